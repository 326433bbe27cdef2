"""Fixes of the audit log commands an eleventh docs-only user test found (UT11 findings
2, 3, 6, 15, 16, 17, 19, 20 and 25): each test fails without its fix, and each holds
both sides of the line it draws."""

from __future__ import annotations

import io
import json
import re
import stat
import sys
from pathlib import Path

import pytest

from breachrules import AuditLog, NoticeRecord
from breachrules.audit.keys import KeyRing, signing_public_key
from breachrules.audit.log import anchor_path
from breachrules.audit.proof import written_form
from breachrules.cli import main
from breachrules.engine.audit import event_hash
from breachrules.errors import InvalidArgument

from .conftest import EXAMPLES

DAY2 = EXAMPLES / "evolving" / "day-2.json"
AS_OF = "2026-09-16T12:00:00-07:00"
LETTERS = "US-CA:notify-individuals"
KEY = b"k" * 32 + b"-ut11"
HEX64 = re.compile(r"\b[0-9a-f]{64}\b")


def _assess(log: Path, incident: Path = DAY2, *extra: str) -> None:
    argv = ["assess", str(incident), "--jurisdiction", "US-CA", "--format", "json"]
    assert main([*argv, "--audit-log", str(log), "--as-of", AS_OF, *extra]) == 0


def _record(log: Path, *extra: str) -> list[str]:
    return [
        "audit",
        "record",
        str(log),
        "--obligation",
        LETTERS,
        "--sent-at",
        "2026-10-15T09:59:59-07:00",  # 10 hours after the 30-day deadline
        "--recorded-at",
        "2026-10-15T11:00:00-07:00",
        *extra,
    ]


@pytest.fixture
def log(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The page's unkeyed log: day 2 assessed, the letters recorded 10 hours late."""
    path = tmp_path / "audit.jsonl"
    _assess(path)
    assert main(_record(path)) == 0
    capsys.readouterr()
    return path


def _keyed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    key_file = tmp_path / "k.key"
    key_file.write_bytes(KEY + b"\n")
    monkeypatch.setenv("BREACHRULES_AUDIT_KEY_FILE", str(key_file))
    path = tmp_path / "keyed.jsonl"
    _assess(path)
    assert main(_record(path)) == 0
    monkeypatch.delenv("BREACHRULES_AUDIT_KEY_FILE")
    return path, key_file


def _rewrite(path: Path, mac_key: bytes | None = None) -> None:
    """What an insider does: move the late letters' sending an hour earlier... and ten
    more, recomputing every hash by the documented algorithm; with ``mac_key`` (an
    insider who holds the key), every MAC too."""
    prev = "0" * 64
    lines = []
    for text in path.read_text().splitlines():
        body = json.loads(text)
        if body["type"] == "notice_sent":
            body["data"]["sent_at"] = body["at"] = "2026-10-14T23:00:00-07:00"
        body["prev_hash"] = prev
        body["hash"] = event_hash({k: v for k, v in body.items() if k != "mac"})
        if mac_key is not None:
            body["mac"] = KeyRing.mac(mac_key, body["hash"])
        prev = body["hash"]
        lines.append(written_form(body).decode())
    path.write_text("\n".join(lines) + "\n")


def _out(capsys: pytest.CaptureFixture[str]) -> tuple[list[str], str]:
    """The lines printed, and the text with its wrapping undone (to read a sentence)."""
    out = capsys.readouterr().out
    return out.splitlines(), " ".join(out.split())


# --- 2: a keyed log verified without its key is not called intact ------------------------


def test_a_keyed_log_verified_without_its_key_is_unverified_exit_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path, key_file = _keyed(tmp_path, monkeypatch)
    capsys.readouterr()
    # Intact, and the key given: ok.
    assert main(["audit", "verify", str(path), "--key-file", str(key_file)]) == 0
    lines, _ = _out(capsys)
    assert lines[0].startswith("ok: 2 event(s)")
    assert AuditLog(path, keys=KeyRing((KEY,))).verify().macs_unchecked == 0
    # Intact, no key: not a pass, said on the first line.
    assert main(["audit", "verify", str(path)]) == 3
    lines, text = _out(capsys)
    assert lines[0].startswith("unverified: the MACs of 2 of 2 event(s) were NOT checked")
    assert "(no key given: give --key-file" in text
    assert "key: NOT checked: 2 event(s) carry an HMAC-SHA-256" in text
    assert AuditLog(path).verify().macs_unchecked == 2
    # Forged, no key: still exit 3, never 0; with the key: broken.
    anchor_path(path).unlink()
    _rewrite(path)
    assert main(["audit", "verify", str(path)]) == 3
    assert _out(capsys)[0][0].startswith("unverified:")
    assert main(["audit", "verify", str(path), "--key-file", str(key_file)]) == 1
    assert "its MAC does not match" in _out(capsys)[1]


def test_an_unkeyed_log_still_verifies_ok_exit_0(
    log: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The other side: a log that carries no MAC has none to leave unchecked."""
    assert AuditLog(log).verify().macs_unchecked == 0
    assert main(["audit", "verify", str(log)]) == 0
    lines, text = _out(capsys)
    assert lines[0].startswith("ok: 2 event(s)") and "key: none: this log is unkeyed" in text


# --- 3: what a break leaves proven, exactly -----------------------------------------------


def test_an_anchor_caught_rewrite_proves_none_of_the_events_it_covers(
    log: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Event 2 rewritten, every hash recomputed: the anchor (event 2) catches it, and in
    an unkeyed log neither event 2 nor event 1 is proven: no "before it are intact"."""
    _rewrite(log)
    result = AuditLog(log).verify()
    assert (result.caught_by, result.broken_event, result.events) == ("anchor", 2, 0)
    assert main(["audit", "verify", str(log)]) == 1
    lines, text = _out(capsys)
    assert lines[0].startswith("broken: line 2 (event 2): the head anchor")
    assert "events 1-2 are not proven" in text
    assert "intact;" not in text and "before it are intact" not in text


def test_a_break_a_checked_mac_bounds_leaves_the_events_before_it_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The other side: the key holder rewrites event 2 with valid MACs, and a head
    published before catches it: event 1's checked MAC proves event 1."""
    path, key_file = _keyed(tmp_path, monkeypatch)
    capsys.readouterr()
    assert main(["audit", "head", str(path), "--key-file", str(key_file)]) == 0
    published = capsys.readouterr().out.strip()
    anchor_path(path).unlink()
    _rewrite(path, KEY)
    result = AuditLog(path, keys=KeyRing((KEY,))).verify(anchor=published)
    assert (result.caught_by, result.broken_event, result.events) == ("anchor", 2, 1)
    argv = ["audit", "verify", str(path), "--key-file", str(key_file), "--anchor", published]
    assert main(argv) == 1
    assert "the 1 event(s) before it are intact" in _out(capsys)[1]


def test_a_chain_break_still_proves_the_events_before_it(
    log: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = log.read_text().splitlines(keepends=True)
    lines[1] = lines[1].replace('"2026-10-15T09:59:59-07:00"', '"2026-10-14T09:59:59-07:00"')
    log.write_text("".join(lines))
    assert main(["audit", "verify", str(log)]) == 1
    _, text = _out(capsys)
    assert "broken: line 2 (event 2): content does not match its hash" in text
    assert "the 1 event(s) before it are intact" in text


# --- 6: a wrong incident id is named, and never forced ------------------------------------


def test_a_wrong_incident_is_named_with_its_near_match_and_not_forced(
    log: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = log.read_bytes()
    for extra in ((), ("--force", "sent under another id")):
        assert main([*_record(log, "--incident", "EX-2026-PAY-914"), *extra]) == 2
        err = capsys.readouterr().err
        assert "--incident: no assessment in audit.jsonl is of incident 'EX-2026-PAY-914'" in err
        assert "did you mean 'EX-2026-PAY-0914'?" in err
        assert "--obligation" not in err and "force" not in err
    assert main([*_record(log, "--incident", "zzz")]) == 2
    assert "(it holds EX-2026-PAY-0914)" in capsys.readouterr().err
    assert log.read_bytes() == before  # nothing written
    # The right id records it; from Python, a wrong one is refused, forced or not.
    assert main([*_record(log, "--incident", "EX-2026-PAY-0914")]) == 0
    sent = NoticeRecord(LETTERS, AuditLog(log).notices()[0].sent_at, incident_id="PAY")
    with pytest.raises(InvalidArgument, match="incident 'PAY'"):
        AuditLog(log).record_notice(sent, forced="a reason")


# --- 15: a binary workbook is not written to a terminal ------------------------------------


def test_an_xlsx_register_is_refused_on_a_terminal_and_written_to_a_pipe(
    log: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("openpyxl")
    argv = ["register", str(log), "--format", "xlsx", "--as-of", "2026-12-07T10:00:00Z"]

    class Stdout(io.TextIOWrapper):
        tty = False

        def isatty(self) -> bool:
            return self.tty

    for tty in (True, False):
        written = io.BytesIO()
        stdout = Stdout(written, encoding="utf-8")
        stdout.tty = tty
        monkeypatch.setattr(sys, "stdout", stdout)
        code = main(argv)
        stdout.flush()
        if tty:
            assert code == 2 and written.getvalue() == b""
            err = capsys.readouterr().err
            assert "--out: an xlsx register is a binary workbook" in err
            assert "give --out FILE" in err
        else:  # a pipe or a redirected file takes it
            assert code == 0 and written.getvalue().startswith(b"PK")


# --- 16, 17: fitted to 80 columns, wrapped at words, never inside a value ------------------


def test_audit_report_never_breaks_a_status(
    log: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["audit", "report", str(log), "--as-of", "2026-10-20T00:00:00-07:00"]) == 0
    lines, _ = _out(capsys)
    assert any("LATE by 10h 0m  US-CA:notify-individuals" in line for line in lines)
    assert not any(line.strip().startswith("0m") for line in lines)
    assert max(len(line) for line in lines) <= 80


def test_audit_reports_first_line_fits_80_columns_when_the_macs_were_not_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _keyed(tmp_path, monkeypatch)[0]
    capsys.readouterr()
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["audit", "report", str(path), "--as-of", "2026-10-20T00:00:00-07:00"]) == 0
    lines, text = _out(capsys)
    assert max(len(line) for line in lines) <= 80
    assert "(log verified: 2 events; its MACs NOT checked: no key given" in text


@pytest.mark.parametrize("keyed", [False, True])
def test_audit_verify_fits_80_columns_and_keeps_the_hash_whole(
    tmp_path: Path,
    log: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    keyed: bool,
) -> None:
    path = _keyed(tmp_path, monkeypatch)[0] if keyed else log
    digest = AuditLog(path).verify().last_hash
    capsys.readouterr()
    monkeypatch.setenv("COLUMNS", "80")
    main(["audit", "verify", str(path)])
    lines, _ = _out(capsys)
    assert max(len(line) for line in lines) <= 80
    assert any(digest in line for line in lines)  # on a line of its own if need be
    assert all(line.startswith("  ") for line in lines[1:])  # under the verdict


# --- 19: audit report --incident ----------------------------------------------------------


def test_audit_report_keeps_only_the_incidents_asked_for(
    log: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.json"
    other.write_text(json.dumps({**json.loads(DAY2.read_text()), "id": "EX-OTHER-1"}))
    _assess(log, other)
    capsys.readouterr()
    report = ["audit", "report", str(log), "--as-of", "2026-10-20T00:00:00-07:00"]
    assert main(report) == 0
    assert "Incident EX-OTHER-1" in (both := capsys.readouterr().out)
    assert "Incident EX-2026-PAY-0914" in both
    assert main([*report, "--incident", "EX-OTHER-1"]) == 0
    one = capsys.readouterr().out
    assert "Incident EX-OTHER-1" in one and "EX-2026-PAY-0914" not in one
    assert main([*report, "--incident", "EX-2026-PAY-0914", "--format", "json"]) == 0
    assert list(json.loads(capsys.readouterr().out)) == ["EX-2026-PAY-0914", "verification"]
    assert main([*report, "--incident", "EX-OTHER-2"]) == 2
    assert "did you mean 'EX-OTHER-1'?" in capsys.readouterr().err


# --- 20: the signing key pair, and a malformed public key ---------------------------------


def test_keygen_makes_the_pair_checkpoint_and_verify_use(
    log: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("cryptography")
    pem = tmp_path / "signing.pem"
    assert main(["audit", "keygen", str(pem)]) == 0
    public = HEX64.findall(capsys.readouterr().out)[0]
    assert signing_public_key(pem.read_bytes()) == public
    assert stat.S_IMODE(pem.stat().st_mode) == 0o600
    assert main(["audit", "keygen", str(pem)]) == 2  # never overwritten
    assert "exists" in capsys.readouterr().err
    argv = ["audit", "checkpoint", str(log), "--signing-key", str(pem)]
    assert main([*argv, "--at", "2026-10-20T00:00:00Z"]) == 0
    assert public in capsys.readouterr().out
    assert main(["audit", "verify", str(log), "--public-key", public]) == 0
    capsys.readouterr()
    for malformed in ("00" + public, public[:-1], "z" * 64):
        assert main(["audit", "verify", str(log), "--public-key", malformed]) == 2
        out, err = capsys.readouterr()
        assert out == "" and "--public-key:" in err


# --- 25: the reserved key of audit report --format json ------------------------------------


def test_an_incident_named_verification_is_refused_not_replaced(
    log: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "v.json"
    other.write_text(json.dumps({**json.loads(DAY2.read_text()), "id": "verification"}))
    _assess(log, other)
    capsys.readouterr()
    report = ["audit", "report", str(log), "--format", "json"]
    assert main(report) == 2
    assert "has the id 'verification'" in capsys.readouterr().err
    assert main([*report, "--incident", "EX-2026-PAY-0914"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["verification"]["chain"] == "intact" and "EX-2026-PAY-0914" in doc


def test_the_line_under_a_protection_has_no_label(
    log: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A log keyed after its first events: the line saying so sits under ``key:``, with
    no stray colon of its own."""
    from breachrules.audit.proof import Verification
    from breachrules.cli.proof import _protections

    _protections(Verification(True, 3, "0" * 64, keyed=2, unkeyed=1), AuditLog(log), sys.stdout)
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == "  key:    2 event(s) carry a valid HMAC-SHA-256"
    assert lines[2] == "          1 earlier event(s) were written before keying"
