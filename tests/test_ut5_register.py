"""User test 5, the compliance officer: what was verified, in every register and report
format; a late notice's due and lateness, and a shared notice's link, in the register."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from breachrules import AuditLog, Engine, NoticeRecord, load_incident
from breachrules.audit.log import KeyRing
from breachrules.cli import main
from breachrules.model.timestamps import parse_timestamp

from .test_ut5_fixes import RETAIL

AS_OF = "2026-05-10T00:00:00Z"
FINAL = "JP:report-ppc-final-unlawful-purpose"


@pytest.fixture
def keyed(tmp_path: Path, engine: Engine) -> tuple[Path, Path]:
    """A keyed log: the retailer assessed, one notice serving Japan's two reports, and
    Korea's report to the PIPC a week late."""
    key_file = tmp_path / "audit.key"
    key_file.write_bytes(b"k" * 40 + b"\n")
    log = AuditLog(tmp_path / "audit.jsonl", keys=KeyRing.from_file(str(key_file)))
    incident = load_incident(RETAIL)
    log.record_assessment(incident, engine.assess(incident, as_of=RETAIL["discovered_at"]))
    sent = parse_timestamp("2026-03-05T09:30:00-05:00")
    log.record_notices(
        [
            NoticeRecord("JP:report-ppc-preliminary", sent, incident_id=RETAIL["id"]),
            NoticeRecord(FINAL, sent, incident_id=RETAIL["id"]),
        ]
    )
    late = parse_timestamp("2026-03-12T09:00:00-05:00")
    log.record_notice(NoticeRecord("KR:report-pipc", late, incident_id=RETAIL["id"]))
    return log.path, key_file


def test_every_format_says_what_was_verified(
    keyed: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """CSV cannot carry it: the warning says so, not "the register says so"; the audit
    report's JSON carries a verification object, different with and without the key,
    and warns when the MACs were not checked."""
    path, key = keyed
    register = ["register", str(path), "--as-of", AS_OF, "--format", "csv"]
    assert main(register) == 0
    err = capsys.readouterr().err
    assert "the CSV cannot say so" in err and "the register says so" not in err
    report = ["audit", "report", str(path), "--as-of", AS_OF, "--format", "json"]
    assert main(report) == 0
    without = capsys.readouterr()
    assert "MACs were not checked" in without.err
    assert json.loads(without.out)["verification"]["macs"] == "not_checked"
    assert main([*report, "--key-file", str(key)]) == 0
    with_key = capsys.readouterr()
    assert with_key.err == ""
    doc = json.loads(with_key.out)
    assert doc["verification"]["macs"] == "checked" and doc["verification"]["chain"] == "intact"
    assert RETAIL["id"] in doc


def test_the_register_shows_lateness_and_links_a_shared_notice(
    keyed: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path, key = keyed
    args = ["register", str(path), "--as-of", AS_OF, "--key-file", str(key), "--format"]
    assert main([*args, "md"]) == 0
    md = capsys.readouterr().out
    (row,) = [line for line in md.splitlines() if "| KR:report-pipc |" in line]
    assert "2026-03-05T09:00:00-05:00" in row and "late by 7d 0h" in row
    (final,) = [line for line in md.splitlines() if f"| {FINAL} | 2026" in line]
    assert "| JP:report-ppc-preliminary |" in final
    assert main([*args, "json"]) == 0
    entries = {e["obligation"]: e for e in json.loads(capsys.readouterr().out)["entries"]}
    assert entries[FINAL]["sent_with"] == "JP:report-ppc-preliminary"
    assert entries["JP:report-ppc-preliminary"]["sent_with"] == FINAL
    assert entries["KR:report-pipc"]["sent_with"] is None
    report = ["audit", "report", str(path), "--as-of", AS_OF, "--format", "json"]
    assert main([*report, "--key-file", str(key)]) == 0
    standing = {e["obligation_id"]: e for e in json.loads(capsys.readouterr().out)[RETAIL["id"]]}
    assert standing[FINAL]["sent_with"] == ["JP:report-ppc-preliminary"]
    assert standing["KR:report-pipc"]["sent_with"] == []
