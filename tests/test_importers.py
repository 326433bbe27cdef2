"""Importers against real data: every VCDB incident, every HHS portal row, STIX fixtures.

Data credits:

- VCDB: the VERIS Community Database by Verizon (https://github.com/vz-risk/VCDB),
  licensed under Creative Commons Attribution-ShareAlike 4.0 International (CC BY-SA
  4.0). The records are read from ``../shared/data/vcdb/validated/``, never copied into
  the package; the summary this module prints is derived data and carries the credit.
- HHS: the HHS Office for Civil Rights breach portal listing, a U.S. government work.

The VCDB run imports all 8,553 records and assesses every imported incident with
``Engine().assess`` (about 15 seconds in all on a laptop; the test enforces three
minutes). Run ``pytest -s tests/test_importers.py`` to see the summaries.
"""

from __future__ import annotations

import csv
import json
import os
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any

import attrs
import pytest

from breachrules import Engine, load_incident
from breachrules.io.importers import (
    ImportResult,
    import_file,
    import_hhs_row,
    import_many,
    import_stix,
    import_veris,
    run_import,
)

# Beside the checkout (../shared/data), or where BREACHRULES_DATA points.
DATA = next(
    (
        p
        for p in (
            Path(os.environ.get("BREACHRULES_DATA", "/nonexistent")),
            Path(__file__).resolve().parents[2] / "shared" / "data",
            Path("/work/shared/data"),
        )
        if p.is_dir()
    ),
    Path(__file__).resolve().parents[2] / "shared" / "data",
)
VCDB = DATA / "vcdb" / "validated"
HHS = DATA / "hhs" / "breach_report.csv"
STIX = Path(__file__).parent / "fixtures" / "stix"
VCDB_CREDIT = "VERIS Community Database, Verizon (CC BY-SA 4.0)"

needs_vcdb = pytest.mark.skipif(not VCDB.is_dir(), reason="VCDB data not present")
needs_hhs = pytest.mark.skipif(not HHS.is_file(), reason="HHS data not present")


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


# --- VERIS / VCDB ---------------------------------------------------------------------


@needs_vcdb
def test_every_vcdb_incident_is_imported_and_assessed_or_refused(engine: Engine) -> None:
    start = time.monotonic()
    files = sorted(VCDB.glob("*.json"))
    assert len(files) == 8553
    results = import_many(files, "veris")
    imported_at = time.monotonic()
    assert len(results) == len(files)
    refused: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    breach_by_law: Counter[str] = Counter()
    for result in results:
        if result.incident is None:
            assert result.reason and result.code, result.source
            assert result.code != "invalid-output", result.reason
            refused[result.code] += 1
            continue
        assert result.provenance["discovered_at"]
        incident = load_incident(result.incident)
        assessment = engine.assess(incident)
        for d in assessment.determinations:
            statuses[d.status] += 1
            if d.status == "breach":
                breach_by_law[d.jurisdiction] += 1
    done = time.monotonic()
    imported = len(results) - sum(refused.values())
    print(f"\nVCDB summary (data: {VCDB_CREDIT})")
    print(f"  files {len(files)}, imported {imported}, refused {sum(refused.values())}")
    for code, n in refused.most_common():
        print(f"    refused {code}: {n}")
    print("  determinations by status: " + ", ".join(f"{s} {n}" for s, n in statuses.most_common()))
    print("  breach by law: " + ", ".join(f"{c} {n}" for c, n in breach_by_law.most_common(10)))
    print(f"  import {imported_at - start:.1f}s, assess {done - imported_at:.1f}s")
    assert imported > 4000
    assert set(refused) <= {"no-count", "unknown-data", "no-location", "no-date"}
    assert done - start < 180


def _vcdb(name: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((VCDB / name).read_text(encoding="utf-8"))
    return doc


def _record(**overrides: Any) -> dict[str, Any]:
    """A small VERIS 1.3.4 record written for these tests (not VCDB data)."""
    doc: dict[str, Any] = {
        "schema_version": "1.3.4",
        "incident_id": "TEST-0001",
        "security_incident": "Confirmed",
        "source_id": "test",
        "action": {"hacking": {"variety": ["SQLi"], "vector": ["Web application"]}},
        "actor": {"external": {"variety": ["Unknown"], "motive": ["Financial"]}},
        "asset": {"assets": [{"variety": "S - Database"}]},
        "attribute": {
            "confidentiality": {
                "data_disclosure": "Yes",
                "data_total": 1200,
                "data": [{"variety": "Medical"}, {"variety": "Payment", "amount": 300}],
                "state": ["Stored unencrypted"],
            }
        },
        "discovery_method": {"unknown": True},
        "timeline": {
            "incident": {"year": 2016, "month": 3},
            "discovery": {"unit": "Days", "value": 10},
        },
        "victim": {
            "country": ["US"],
            "state": "California",
            "industry": "622110",
            "victim_id": "Example Hospital",
        },
        "plus": {"master_id": "TEST-0001", "timeline": {"notification": {"year": 2016}}},
    }
    doc.update(overrides)
    return doc


def test_veris_mapping_is_explicit() -> None:
    result = import_veris(_record())
    assert result.ok, result.reason
    incident = result.incident
    assert incident is not None
    exposure = incident["exposures"][0]
    assert exposure["residents"] == {"US-CA": 1200}
    assert exposure["elements"] == ["medical", "financial_account", "unknown"]
    assert exposure["acquired"] is True and exposure["accessed"] is True
    assert exposure["encrypted"] is False
    assert exposure["key_compromised"] is None
    # Earliest instant consistent with the record: start of March 2016 plus 10 days.
    assert incident["discovered_at"] == "2016-03-11T00:00:00+00:00"
    assert "occurred_at" not in incident  # month precision only: unknown
    assert incident["malicious"] is True
    assert incident["parties"][0]["types"] == ["hipaa_covered_entity"]
    meta = incident["extensions"]["breachrules_import"]
    assert "not where the affected" in meta["assumptions"]["exposures[0].residents"]
    assert meta["timing"]["discovered_no_later_than"] == "2017-01-01T00:00:00+00:00"
    assert incident["extensions"]["veris"]["incident_id"] == "TEST-0001"
    assert result.provenance["exposures[0].residents.US-CA"].startswith("victim.country")
    assert result.provenance["parties[0].data_role"] == "default"
    load_incident(incident)


def test_veris_1_4_record() -> None:
    doc = _record(schema_version="1.4.1")
    doc["attribute"]["confidentiality"]["data"] = [
        {"variety": "Sensitive Personal"},
        {"variety": "Multi-factor credential"},
        {"variety": "Session key"},
    ]
    doc["attribute"]["confidentiality"]["state"] = ["Stored encrypted"]
    doc["action"] = {"error": {"variety": ["Misdelivery"]}}
    result = import_veris(doc)
    incident = result.incident
    assert incident is not None, result.reason
    exposure = incident["exposures"][0]
    assert exposure["elements"] == ["special_category", "credentials", "unknown"]
    assert exposure["encrypted"] is True and exposure["key_compromised"] is None
    assert incident["malicious"] is False
    meta = incident["extensions"]["breachrules_import"]
    assert meta["unmapped"] == {"attribute.confidentiality.data.variety": ["Session key"]}


@pytest.mark.parametrize(
    ("disclosure", "expected"),
    [("Yes", True), ("No", False), ("Potentially", None), ("Unknown", None)],
)
def test_veris_disclosure(disclosure: str, expected: bool | None) -> None:
    doc = _record()
    doc["attribute"]["confidentiality"]["data_disclosure"] = disclosure
    result = import_veris(doc)
    assert result.incident is not None
    assert result.incident["exposures"][0]["acquired"] is expected


@pytest.mark.parametrize(
    ("availability", "integrity", "expected"),
    [
        (None, None, {}),
        (["Loss"], None, {"lost": True}),
        (["Obscuration"], None, {"lost": True}),
        (["Destruction", "Interruption"], None, {"destroyed": True}),
        (None, ["Modify data", "Software installation"], {"altered": True}),
        (["Interruption"], ["Alter behavior"], {}),
    ],
)
def test_veris_destruction_loss_alteration(
    availability: list[str] | None, integrity: list[str] | None, expected: dict[str, bool]
) -> None:
    """Availability and integrity varieties that say what happened to the data set the
    exposure's destroyed, lost and altered; anything else leaves them unknown (absent),
    so a law whose breach includes them asks instead of answering "no breach"."""
    doc = _record()
    doc["timeline"]["incident"] = {"year": 2020, "month": 3}  # the GDPR applies
    doc["plus"]["timeline"]["notification"] = {"year": 2020}
    doc["attribute"]["confidentiality"]["data_disclosure"] = "No"
    if availability is not None:
        doc["attribute"]["availability"] = {"variety": availability}
    if integrity is not None:
        doc["attribute"]["integrity"] = {"variety": integrity}
    result = import_veris(doc)
    assert result.incident is not None, result.reason
    exposure = result.incident["exposures"][0]
    assert {k: exposure[k] for k in ("destroyed", "lost", "altered") if k in exposure} == expected
    for fact in expected:
        assert result.provenance[f"exposures[0].{fact}"].startswith("attribute.")
    incident = load_incident(result.incident)
    gdpr = Engine().assess(
        attrs.evolve(
            incident,
            parties=(attrs.evolve(incident.parties[0], established_in=("FR",)),),
        ),
        jurisdictions=["EU-GDPR"],
    )
    status = gdpr.determinations[0].status
    assert status == ("breach" if expected else "undetermined")


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda d: d["victim"].update(country=["Unknown"]), "no-location"),
        (lambda d: d["attribute"]["confidentiality"].pop("data_total"), None),
        (
            lambda d: d["attribute"]["confidentiality"].update(
                data_total=None, data=[{"variety": "Medical"}]
            ),
            "no-count",
        ),
        (
            lambda d: d["attribute"]["confidentiality"].update(data=[{"variety": "Unknown"}]),
            "unknown-data",
        ),
        (lambda d: d["timeline"].update(incident={}), "no-date"),
        (lambda d: d.update(schema_version="2.0"), "unsupported-version"),
    ],
)
def test_veris_refusals(change: Any, code: str | None) -> None:
    doc = _record()
    change(doc)
    result = import_veris(doc)
    assert result.code == code, result.reason
    if code is None:  # without data_total, the largest amount is a lower bound
        assert result.incident is not None
        assert result.incident["exposures"][0]["residents"] == {"US-CA": 300}


def test_veris_state_spellings_and_non_personal_data() -> None:
    for text, code in [("US-NY", "US-NY"), ("IL ", "US-IL"), ("D.C", "US-DC"), ("Narnia", "US")]:
        doc = _record(victim={"country": ["US"], "state": text, "industry": "44"})
        result = import_veris(doc)
        assert result.incident is not None
        assert list(result.incident["exposures"][0]["residents"]) == [code]
        unmapped = result.incident["extensions"]["breachrules_import"]["unmapped"]
        # A state that cannot be read is kept, never silently dropped.
        assert unmapped.get("victim.state") == (text if code == "US" else None)
    doc = _record()
    doc["attribute"]["confidentiality"]["data"] = [{"variety": "Secrets"}]
    result = import_veris(doc)
    assert result.incident is not None
    assert result.incident["exposures"] == []


@pytest.mark.parametrize(
    ("variety", "known"),
    [("Medical", "medical"), ("Payment", "financial_account"), ("Bank", "financial_account")],
)
def test_a_variety_that_does_not_say_names_were_taken_asks(
    engine: Engine, variety: str, known: str
) -> None:
    """California counts medical or account data only with a name (Cal. Civ. Code
    § 1798.82(h)(1)): read as the data alone, every such record was "not a breach"."""
    doc = _record(victim={"country": ["US"], "state": "CA", "industry": "44"})
    doc["timeline"]["incident"] = {"year": 2020, "month": 3}
    doc["plus"]["timeline"]["notification"] = {"year": 2020}
    doc["attribute"]["confidentiality"]["data"] = [{"variety": variety}]
    result = import_veris(doc)
    assert result.incident is not None, result.reason
    assert result.incident["exposures"][0]["elements"] == [known, "unknown"]
    notes = result.incident["extensions"]["breachrules_import"]["assumptions"]
    assert "does not say whether the person's name" in notes["exposures[0].elements"]
    ca = engine.assess(load_incident(result.incident), jurisdictions=["US-CA"])
    assert ca.determinations[0].status == "undetermined"
    assert "exposures[0].elements" in ca.determinations[0].missing_facts


def test_veris_counts_the_importer_cannot_read_are_said() -> None:
    doc = _record()
    doc["attribute"]["confidentiality"]["data"] = [{"variety": "Medical", "amount": "lots"}]
    result = import_veris(doc)
    assert result.incident is not None, result.reason
    meta = result.incident["extensions"]["breachrules_import"]
    assert meta["unmapped"]["attribute.confidentiality.data.amount"] == ["Medical: 'lots'"]
    assert "'lots'" in meta["assumptions"]["exposures[0].residents.amounts"]
    doc = _record()
    doc["attribute"]["confidentiality"].update(
        data_total=49_000_000_000, data=[{"variety": "Medical"}]
    )
    refused = import_veris(doc)
    assert refused.code == "no-count"
    assert refused.reason is not None
    assert "data_total 49000000000 is out of range" in refused.reason


def test_veris_an_unread_state_is_in_the_residents_note() -> None:
    result = import_veris(_record(victim={"country": ["US"], "state": "Californa"}))
    assert result.incident is not None, result.reason
    assert list(result.incident["exposures"][0]["residents"]) == ["US"]
    meta = result.incident["extensions"]["breachrules_import"]
    assert meta["unmapped"]["victim.state"] == "Californa"
    assert "'Californa' could not be read" in meta["assumptions"]["exposures[0].residents"]


@needs_vcdb
def test_vcdb_schema_version_quirk_and_licence() -> None:
    quirky = [p for p in sorted(VCDB.glob("*.json")) if '"1_3_4"' in p.read_text("utf-8")]
    assert quirky
    for path in quirky:
        (result,) = import_file(path, "veris")
        assert result.code != "unsupported-version"
    (result,) = import_file(sorted(VCDB.glob("*.json"))[0], "veris")
    if result.incident is not None:
        assert "CC BY-SA 4.0" in result.incident["extensions"]["breachrules_import"]["licence"]


@needs_vcdb
def test_run_import_writes_incidents_and_refusals(tmp_path: Path) -> None:
    files = sorted(VCDB.glob("*.json"))[:40] + list(VCDB.glob("* *.json"))
    calls: list[tuple[int, int]] = []
    summary = run_import("veris", files, tmp_path / "out", lambda d, t: calls.append((d, t)))
    assert calls[-1] == (len(files), len(files))
    written = list((tmp_path / "out").glob("*.json"))
    lines = (tmp_path / "out" / "refused.jsonl").read_text("utf-8").splitlines()
    refused = [json.loads(line) for line in lines]
    assert summary["imported"] == len(written)
    assert summary["refused"] == len(refused) == sum(summary["refused_by_reason"].values())
    assert summary["records"] == summary["imported"] + summary["refused"]
    assert any("CC BY-SA 4.0" in c for c in summary["credits"])
    assert all(" " not in p.name for p in written)
    for path in written:
        load_incident(path)
    assert all({"file", "reason", "code"} <= set(r) for r in refused)


# --- HHS breach portal ------------------------------------------------------------------


def _hhs_rows() -> list[dict[str, str]]:
    with HHS.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@needs_hhs
def test_every_hhs_row_gets_what_hipaa_requires(engine: Engine) -> None:
    """45 CFR 164.404 (individuals), 164.406 (media, more than 500 residents of a
    State), 164.408(b) (the Secretary, 500 or more) and 164.408(c) (annual log, fewer
    than 500)."""
    start = time.monotonic()
    rows = _hhs_rows()
    assert len(rows) == 853
    tally: Counter[str] = Counter()
    for number, row in enumerate(rows, start=2):
        result = import_hhs_row(row, source=f"breach_report.csv:{number}")
        assert result.incident is not None, result.reason
        count = int(row["Individuals Affected"])
        assessment = engine.assess(load_incident(result.incident), jurisdictions=["US-HIPAA"])
        assert assessment.determination("US-HIPAA").status == "breach", number
        status = {o.id: o.status for o in assessment.obligations}
        assert status["US-HIPAA:notify-individuals"] == "required", number
        assert status["US-HIPAA:notify-secretary"] == (
            "required" if count >= 500 else "not_required"
        )
        assert status["US-HIPAA:notify-secretary-annual-log"] == (
            "required" if count < 500 else "not_required"
        )
        # Media: more than 500 residents of a State. Rows without a state put the
        # individuals under "US", which is no State: whatever the engine says there is
        # tallied, not asserted.
        if row["State"].strip():
            media = "required" if count > 500 else "not_required"
            assert status["US-HIPAA:notify-media"] == media, number
            tally[f"media {media}"] += 1
        else:
            tally[f"no state, media {status['US-HIPAA:notify-media']}"] += 1
        ba = "US-HIPAA:notify-covered-entity"
        tally[f"business associate notice {status[ba]}"] += 1
        tally["rows"] += 1
    elapsed = time.monotonic() - start
    print(
        "\nHHS breach portal (U.S. government work): "
        + ", ".join(f"{k}: {v}" for k, v in sorted(tally.items()))
    )
    print(f"  {elapsed:.1f}s")


@needs_hhs
def test_hhs_row_mapping() -> None:
    row = _hhs_rows()[0]
    result = import_hhs_row(row)
    incident = result.incident
    assert incident is not None
    assert incident["discovered_at"] == f"{row['Breach Submission Date']}T00:00:00+00:00"
    assert "latest possible" in incident["extensions"]["breachrules_import"]["discovered_at_is"]
    assert result.provenance["discovered_at"] == "Breach Submission Date"
    ba_row = next(r for r in _hhs_rows() if r["Covered Entity Type"] == "Business Associate")
    ba = import_hhs_row(ba_row).incident
    assert ba is not None
    assert ba["parties"][0]["types"] == ["hipaa_business_associate"]
    assert ba["breached_party"] == ba["parties"][0]["id"]


def _hhs_row(**cells: str) -> dict[str, str]:
    """One portal row written for these tests (not the HHS data)."""
    row = {
        "Name of Covered Entity": "Example Clinic",
        "State": "CA",
        "Covered Entity Type": "Healthcare Provider",
        "Individuals Affected": "1200",
        "Breach Submission Date": "2024-05-01",
        "Type of Breach": "Theft",
        "Location of Breached Information": "Laptop",
        "Business Associate Present": "No",
    }
    row.update(cells)
    return row


def test_hhs_phi_does_not_say_names_were_taken(engine: Engine) -> None:
    """Most state laws count medical information only with a name: read as PHI alone,
    733 of the 853 reported breaches were "not a breach" under state law."""
    result = import_hhs_row(_hhs_row())
    assert result.incident is not None, result.reason
    assert result.incident["exposures"][0]["elements"] == ["medical", "unknown"]
    notes = result.incident["extensions"]["breachrules_import"]["assumptions"]
    assert "'unknown'" in notes["exposures[0].elements"]
    ca = engine.assess(load_incident(result.incident), jurisdictions=["US-CA"])
    assert ca.determinations[0].status == "undetermined"


def test_hhs_a_state_that_is_no_state_code_is_said() -> None:
    result = import_hhs_row(_hhs_row(State="ZZ"))
    assert result.incident is not None, result.reason
    note = result.incident["extensions"]["breachrules_import"]["assumptions"]
    assert "'ZZ' is not a US state code" in note["exposures[0].residents"]
    short = {k: v for k, v in _hhs_row().items() if k != "Individuals Affected"}
    row: dict[str, Any] = {**short, "Individuals Affected": None}
    refused = import_hhs_row(row)
    assert refused.code == "short-row", refused.reason


@needs_hhs
def test_run_import_hhs(tmp_path: Path) -> None:
    summary = run_import("hhs", [HHS], tmp_path)
    assert (summary["files"], summary["records"], summary["imported"]) == (1, 853, 853)
    written = sorted(p.name for p in tmp_path.glob("breach_report--*.json"))
    assert len(written) == 853
    assert (tmp_path / "refused.jsonl").read_text("utf-8") == ""


# --- STIX 2.1 ---------------------------------------------------------------------------


def _stix(name: str) -> list[ImportResult]:
    return import_stix(json.loads((STIX / name).read_text("utf-8")), source=name)


def test_stix_ransomware_with_exfiltration(engine: Engine) -> None:
    (result,) = _stix("ransomware-exfiltration.json")
    incident = result.incident
    assert incident is not None, result.reason
    assert incident["discovered_at"] == "2026-03-02T07:48:00+00:00"  # the detected task
    assert incident["ransom_paid_at"] == "2026-03-05T16:02:00+00:00"
    assert incident["malicious"] is True
    (exposure,) = incident["exposures"]  # availability and monetary impacts are no exposure
    assert exposure["residents"] == {"US-CA": 48210}
    assert exposure["elements"] == ["financial_account", "unknown"]
    assert exposure["acquired"] is True and exposure["encrypted"] is None
    assert result.provenance["discovered_at"].startswith("task task--")
    assessment = engine.assess(load_incident(incident))
    assert assessment.determination("US-CA").status in ("breach", "not_breach", "undetermined")


def test_stix_suspected_loss_stays_unknown(engine: Engine) -> None:
    (result,) = _stix("lost-laptop-suspected.json")
    incident = result.incident
    assert incident is not None, result.reason
    exposure = incident["exposures"][0]
    assert exposure["acquired"] is None and exposure["accessed"] is None
    assert exposure["residents"] == {"DE": 312}
    assert exposure["elements"] == ["medical", "unknown"]
    assert incident["malicious"] is False
    # No detected task: the created timestamp, flagged as the latest possible bound.
    assert incident["discovered_at"] == "2026-05-12T14:20:00+00:00"
    notes = incident["extensions"]["breachrules_import"]["assumptions"]
    assert "latest possible" in notes["discovered_at"]
    gdpr = engine.assess(load_incident(incident)).determination("EU-GDPR")
    assert gdpr.status == "undetermined"


def test_stix_incident_core_v1_inline_impacts() -> None:
    (result,) = _stix("incident-core-v1-inline.json")
    incident = result.incident
    assert incident is not None, result.reason
    assert incident["discovered_at"] == "2026-10-15T01:01:01+00:00"
    assert incident["exposures"][0]["residents"] == {"CA-ON": 123456}


def test_stix_refusals() -> None:
    results = _stix("no-victim-location.json")
    assert [r.code for r in results] == ["no-location", "no-incident-core"]
    assert all(r.reason for r in results)
    assert import_stix({"type": "bundle", "objects": []})[0].code == "no-incident"
    assert import_stix("nonsense")[0].code == "not-stix"


def test_run_import_stix(tmp_path: Path) -> None:
    summary = run_import("stix", [STIX], tmp_path)
    assert summary == {
        "kind": "stix",
        "files": 4,
        "records": 5,
        "imported": 3,
        "refused": 2,
        "refused_by_reason": {"no-incident-core": 1, "no-location": 1},
        "out": str(tmp_path),
        "refused_file": str(tmp_path / "refused.jsonl"),
        "credits": [],
    }
    # The docs' batch over the folder (docs/scaling.md): a `*.json` glob finds only the
    # incidents; the refusals are JSON Lines beside them, one object per line.
    from breachrules import load_incident

    incidents = [load_incident(p) for p in sorted(tmp_path.glob("*.json"))]
    assert len(incidents) == 3
    lines = (tmp_path / "refused.jsonl").read_text("utf-8").splitlines()
    assert sorted(json.loads(line)["code"] for line in lines) == ["no-incident-core", "no-location"]


@needs_hhs
def test_cli_import_writes_incidents_and_a_summary(tmp_path, capsys) -> None:
    """breachrules import hhs CSV --out DIR: one incident per row, a summary, the credits."""
    from breachrules.cli import main

    out = tmp_path / "hhs"
    assert main(["import", "hhs", str(HHS), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    text = captured.out
    assert "853 imported, 0 refused" in text
    # Not a terminal (a CI log): no progress lines, only the summary.
    assert "\r" not in captured.err and "imported 1/" not in captured.err
    assert len(list(out.glob("*.json"))) == 853  # the incidents; refused.jsonl beside them


@pytest.mark.parametrize("tty", [True, False])
def test_cli_import_progress_only_on_a_terminal(tmp_path, capsys, monkeypatch, tty) -> None:
    """On a terminal the import shows a progress line that rewrites itself; in a CI log
    (standard error not a terminal) there is none, and the summary line says it all."""
    import io

    from breachrules.cli import main

    class Stderr(io.StringIO):
        def isatty(self) -> bool:
            return tty

    err = Stderr()
    monkeypatch.setattr("sys.stderr", err)
    assert main(["import", "stix", str(STIX), "--out", str(tmp_path / "out")]) == 0
    summary = capsys.readouterr().out.splitlines()[0]
    assert re.fullmatch(
        r"\d+ imported, \d+ refused \(of \d+ records in \d+ files\) into .+", summary
    )
    files = len(list(STIX.glob("*.json")))
    if tty:
        assert f"\rimported {files}/{files} files" in err.getvalue()
    else:
        assert err.getvalue() == ""
