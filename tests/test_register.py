"""The breach register and law-change impact, both read from the audit log (issue 23, 3-4)."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import pytest

from breachrules import AuditLog, Engine, NoticeRecord, load_incident
from breachrules.audit.impact import describe, impact
from breachrules.audit.register import COLUMNS, register, retention_period
from breachrules.cli import main
from breachrules.model.timestamps import parse_timestamp

from .conftest import EXAMPLES

EXAMPLE_FILES = ("multinational-saas-breach", "multistate-ransomware", "per-law-findings")


def _log(tmp_path: Path, engine: Engine) -> AuditLog:
    log = AuditLog(tmp_path / "audit.jsonl", keys=None)
    for name in EXAMPLE_FILES:
        incident = load_incident(EXAMPLES / f"{name}.json")
        log.record_assessment(incident, engine.assess(incident))
    return log


@pytest.fixture
def log(tmp_path: Path, engine: Engine) -> AuditLog:
    the_log = _log(tmp_path, engine)
    at = parse_timestamp
    # one notice on time, one late (the CA-QC register is owed "without delay": sent)
    the_log.record_notice(
        NoticeRecord(
            "US-TX:notify-individuals",
            at("2026-04-20T10:00:00-07:00"),
            method="mail",
            evidence="batch-17",
            incident_id="EX-2026-SAAS-0414",
        )
    )
    the_log.record_notice(
        NoticeRecord(
            "BR:notify-anpd",
            at("2026-04-20T10:00:00-07:00"),
            method="portal",
            incident_id="EX-2026-SAAS-0414",
        )
    )
    return the_log


def _rows(log: AuditLog, **where: str) -> list[dict[str, object]]:
    reg = register(log, as_of=datetime.fromisoformat("2026-06-01T00:00:00+00:00"))
    return [r for r in reg.rows() if all(r[k] == v for k, v in where.items())]


def test_every_incident_and_law_is_in_the_register(log: AuditLog) -> None:
    reg = register(log)
    ids = {e.incident_id for e in reg.entries}
    assert ids == {"EX-2026-SAAS-0414", "EX-2026-RET-0302", "EX-2026-FINDINGS-01"}
    # every law that applies to an incident has a row, notified or not
    docs = log.latest_assessments()
    for incident_id, doc in docs.items():
        laws = {d["jurisdiction"] for d in doc["determinations"] if d["status"] != "not_applicable"}
        assert laws <= {e.jurisdiction for e in reg.entries if e.incident_id == incident_id}
    # the register names the exact ruleset text applied
    row = _rows(log, incident_id="EX-2026-SAAS-0414", obligation="US-TX:notify-individuals")[0]
    assert row["ruleset_version"] and len(str(row["ruleset_sha256"])) == 64


def test_notified_when_on_time_or_late_and_by_how_much(log: AuditLog) -> None:
    texas = _rows(log, obligation="US-TX:notify-individuals", incident_id="EX-2026-SAAS-0414")[0]
    assert texas["notified_at"] == "2026-04-20T10:00:00-07:00"
    assert texas["compliance"] == "on_time"
    assert (texas["method"], texas["evidence"]) == ("mail", "batch-17")
    gdpr = _rows(log, obligation="BR:notify-anpd")[0]
    assert gdpr["compliance"] == "late"
    assert gdpr["late_by_seconds"] and int(str(gdpr["late_by_seconds"])) > 0
    assert "after the due time" in str(gdpr["delay"])
    owed = _rows(log, obligation="US-CA:notify-individuals", incident_id="EX-2026-SAAS-0414")
    assert owed[0]["notified_at"] is None and owed[0]["compliance"] in ("owed", "overdue")


def test_what_was_not_notified_and_why_with_the_finding_and_its_date(log: AuditLog) -> None:
    """Florida: no notice to individuals, relying on the (4)(c) no-harm determination made
    on 2026-05-08, which must be kept five years: the register says so, cited."""
    row = _rows(log, obligation="US-FL:notify-individuals", incident_id="EX-2026-FINDINGS-01")[0]
    assert row["obligation_status"] == "not_required"
    assert "No likely identity theft" in str(row["not_notified_because"])
    assert "501.171(4)(c)" in str(row["not_notified_citation"])
    assert (
        row["finding"]
        == "US-FL: harm_likely=False, in_writing=True, law_enforcement_consulted=True"
    )
    assert row["finding_made_at"] == "2026-05-08T15:00:00-04:00"
    assert row["retain_until"] == "2031-05-08"
    assert "five years" in str(row["retention"])
    # a law that owes nothing: the decision and the exception relied on
    ma = _rows(log, incident_id="EX-2026-SAAS-0414", jurisdiction="US-MA")[0]
    assert ma["decision"] == "not_breach" and ma["obligation"] is None
    assert ma["not_notified_because"] and ma["not_notified_citation"]


def test_retention_only_where_a_ruleset_states_it(log: AuditLog) -> None:
    """Canada's record (24 months) and Quebec's register (five years) carry a date; a law
    whose exception was not relied on, or that states no period, leaves it blank."""
    ca = _rows(log, obligation="CA:keep-breach-record")[0]
    assert ca["retain_until"] == "2028-04-16" and "24 months" in str(ca["retention"])
    qc = _rows(log, obligation="CA-QC:keep-incident-register")[0]
    assert qc["retain_until"] == "2031-04-16"
    nj = _rows(log, incident_id="EX-2026-FINDINGS-01", jurisdiction="US-NJ")
    assert nj and all(r["retain_until"] is None for r in nj)
    assert all(r["retention"] is None for r in _rows(log, jurisdiction="EU-GDPR"))
    assert retention_period("retained for five years") == (5, "year")
    assert retention_period("keep it for 24 months after") == (24, "month")
    assert retention_period("notify within 30 days") is None


def test_register_formats(log: AuditLog) -> None:
    reg = register(log)
    rows = list(csv.reader(io.StringIO(reg.to_csv())))
    assert tuple(rows[0]) == COLUMNS and len(rows) == len(reg.entries) + 1
    doc = json.loads(reg.to_json())
    assert doc["columns"] == list(COLUMNS) and len(doc["entries"]) == len(reg.entries)
    md = reg.to_markdown()
    table = [line for line in md.splitlines() if line.startswith("| ")]
    assert len(table) == len(reg.entries) + md.count("\n## Duties under")
    assert "Not verified" in md  # read without verifying, and said so
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(io.BytesIO(reg.to_xlsx()))
    sheet = book["register"]
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    assert sheet.max_row == len(reg.entries) + 1
    frame = reg.to_dataframe()
    assert list(frame.columns) == list(COLUMNS) and len(frame) == len(reg.entries)


def test_register_cli(log: AuditLog, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["register", str(log.path), "--as-of", "2026-06-01T00:00:00Z"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(",".join(COLUMNS[:3]))
    assert main(["register", str(log.path), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["entries"]
    target = tmp_path / "register.xlsx"
    pytest.importorskip("openpyxl")
    assert main(["register", str(log.path), "--format", "xlsx", "--out", str(target)]) == 0
    assert target.read_bytes()[:2] == b"PK"
    assert main(["register", str(tmp_path / "missing.jsonl")]) == 2
    assert "LOG" in capsys.readouterr().err
    assert main(["register", str(EXAMPLES / "multistate-ransomware.json")]) == 2
    assert "not a breachrules audit log" in capsys.readouterr().err
    assert main(["register", str(log.path), "--as-of", "yesterday"]) == 2
    assert "--as-of" in capsys.readouterr().err


def test_register_refuses_a_tampered_log(log: AuditLog, capsys: pytest.CaptureFixture[str]) -> None:
    lines = log.path.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace("EX-2026-SAAS-0414", "EX-2026-SAAS-0415", 1)
    log.path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["register", str(log.path)]) == 1
    assert "broken at line 1" in capsys.readouterr().err


# --- law-change impact -------------------------------------------------------------------

POLICY = """\
code: US-XX
name: Example state
citation: Ex. Code § 1
sources: [{url: https://example.org}]
last_reviewed: 2026-11-01
reaches: {residents: [US-TX]}
versions:
  - effective_from: 2020-01-01
    citation: Ex. Code § 1
    parameters:
      pi: {value: [[name, ssn]], citation: Ex. Code § 1(a)}
personal_information:
  id: pi
  citation: Ex. Code § 1(a)
  when: {elements: {combination_of: $pi}}
breach:
  id: breach
  citation: Ex. Code § 1(b)
  when: {acquired: true}
obligations:
  - id: notify-individuals
    citation: Ex. Code § 1(c)
    recipient: individuals
    by: owner
    deadline: {text: within DAYS days, days: DAYS}
"""


def _incident(n: int) -> dict[str, object]:
    return {
        "id": f"IMP-{n}",
        "discovered_at": f"2026-0{n}-01T09:00:00+00:00",
        "parties": [{"id": "acme", "data_role": "owner"}],
        "exposures": [
            {"elements": ["name", "ssn"], "residents": {"US-TX": 50},
             "acquired": True}
        ],
    }  # fmt: skip


def _logged_under_policy(tmp_path: Path) -> tuple[Path, AuditLog, Engine]:
    """The policy (30 days) in a folder of its own, and a log of the March and April
    incidents assessed under it."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "xx.yaml").write_text(POLICY.replace("DAYS", "30"), encoding="utf-8")
    log = AuditLog(tmp_path / "audit.jsonl", keys=None)
    before = Engine(paths=[rules])
    for n in (3, 4):
        incident = load_incident(_incident(n))
        log.record_assessment(incident, before.assess(incident))
    return rules, log, before


def test_impact_lists_each_changed_decision_with_the_ruleset_version_and_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules, log, before = _logged_under_policy(tmp_path)
    assert impact(log, before).changes == ()  # nothing changed: nothing listed

    (rules / "xx.yaml").write_text(POLICY.replace("DAYS", "15"), encoding="utf-8")
    after = Engine(paths=[rules])
    result = impact(log, after)
    assert result.incidents == 2 and result.changed_incidents == ("IMP-3", "IMP-4")
    change = result.changes[0]
    assert (change.subject, change.kind) == ("US-XX:notify-individuals", "due")
    assert change.before == "2026-03-31T23:59:59+00:00"
    assert change.after == "2026-03-16T23:59:59+00:00"
    assert change.sha256_before and change.sha256_after
    assert change.sha256_before != change.sha256_after
    assert change.version_after == "2020-01-01"
    assert (change.rule, change.citation) == ("US-XX:notify-individuals", "Ex. Code § 1(c)")
    assert "US-XX" in describe(change)
    assert all(c.code == "US-XX" for c in result.changes)  # Texas did not change

    assert main(["impact", str(log.path), "--rulesets", str(rules)]) == 0
    out = capsys.readouterr().out
    assert "2 of 2 incident(s) change" in out and "IMP-3" in out
    assert main(["impact", str(log.path), "--rulesets", str(rules), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["changed_incidents"] == ["IMP-3", "IMP-4"]
    assert main(["impact", str(log.path), "--rulesets", str(rules), "--incident", "IMP-4"]) == 0
    assert "1 of 1 incident(s) change" in capsys.readouterr().out


def test_impact_judges_each_incident_by_the_law_in_force_on_its_dates(
    tmp_path: Path,
) -> None:
    """A new version from 2026-04-01 changes the April incident only: the March incident
    is still judged by the version in force when it was discovered."""
    rules, log, _ = _logged_under_policy(tmp_path)
    version = (
        "  - effective_from: {day}\n{end}    citation: Ex. Code § 1 ({day})\n    parameters:\n"
        "      pi: {{value: [[name, ssn]], citation: Ex. Code § 1(a)}}\n"
        "      deadline: {{value: {{text: within {n} days, days: {n}}}, citation: § 1(c)}}\n"
    )
    amended = POLICY.replace("DAYS", "30")
    head, rest = amended.split("versions:\n", 1)
    rest = rest.split("personal_information:", 1)[1]
    amended = (
        head
        + "versions:\n"
        + version.format(day="2020-01-01", n=30, end="    effective_to: 2026-03-31\n")
        + version.format(day="2026-04-01", n=10, end="")
        + "personal_information:"
        + rest.replace("{text: within 30 days, days: 30}", "$deadline")
    )
    (rules / "xx.yaml").write_text(amended, encoding="utf-8")
    result = impact(log, Engine(paths=[rules]))
    assert result.changed_incidents == ("IMP-4",)
    assert result.changes[0].version_after == "2026-04-01"


def test_impact_asks_the_same_question_as_the_recorded_assessment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An assessment limited to some laws (--jurisdiction) is recorded with its selection,
    so an unchanged law set reports nothing rather than every other law as new."""
    log = tmp_path / "audit.jsonl"
    path = str(EXAMPLES / "multistate-ransomware.json")
    args = ["assess", path, "--as-of", "discovery", "--jurisdiction", "US-TX,US-NJ"]
    assert main([*args, "--audit-log", str(log), "--format", "json"]) == 0
    event = AuditLog(log).events()[0]
    assert set(event.data["jurisdictions"]) == {"US-NJ", "US-TX"}
    capsys.readouterr()
    assert main(["impact", str(log), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["changes"] == []


def test_an_unknown_incident_or_law_is_an_error_not_an_empty_register(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A typo must not read as "nothing to register" (found in a user's run)."""
    log = str(tmp_path / "audit.jsonl")
    incident = str(EXAMPLES / "multistate-ransomware.json")
    assert main(["assess", incident, "--audit-log", log]) == 0
    capsys.readouterr()
    assert main(["register", log, "--incident", "EX-NOPE"]) == 2
    assert "--incident: no entry" in capsys.readouterr().err
    assert main(["register", log, "--jurisdiction", "US-XX"]) == 2
    assert "--jurisdiction: no entry" in capsys.readouterr().err


def test_impact_skips_an_incident_assessed_under_a_ruleset_not_loaded_now(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One incident was assessed with a counsel's own ruleset (chosen by code), another with
    the bundled laws: without that ruleset, the first is listed as skipped, naming the code
    and --rulesets, and the second is still judged."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "xx.yaml").write_text(POLICY.replace("DAYS", "30"), encoding="utf-8")
    log = tmp_path / "audit.jsonl"
    first = tmp_path / "i3.json"
    first.write_text(json.dumps({"schema_version": "1", **_incident(3)}), encoding="utf-8")
    mine = ["--rulesets", str(rules), "assess", str(first), "--jurisdiction", "US-XX"]
    assert main([*mine, "--as-of", "discovery", "--audit-log", str(log)]) == 0
    bundled = ["assess", str(EXAMPLES / "multistate-ransomware.json"), "--as-of", "discovery"]
    assert main([*bundled, "--audit-log", str(log)]) == 0
    capsys.readouterr()
    assert main(["impact", str(log), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    (skipped,) = doc["skipped"]
    assert skipped["incident_id"] == "IMP-3"
    assert "US-XX" in skipped["reason"] and "--rulesets" in skipped["reason"]
    assert doc["incidents"] == 2


# --- what the register says was checked, and whose duty each row is ------------------------


def test_the_register_says_what_was_checked_and_labels_contract_duties(
    tmp_path: Path, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    """A keyed log read without its key says its MACs were not checked (and warns); with
    the key, that they were. A duty under the parties' contract is labelled as such, in a
    section of its own, never among the laws."""
    from breachrules.audit.log import KeyRing

    key_file = tmp_path / "key"
    key_file.write_bytes(b"k" * 40 + b"\n")
    log = AuditLog(tmp_path / "keyed.jsonl", keys=KeyRing.from_file(str(key_file)))
    incident = load_incident(EXAMPLES / "processor-breach-with-contract.json")
    log.record_assessment(incident, engine.assess(incident))
    args = ["register", str(log.path), "--as-of", "2026-02-01T00:00:00Z", "--format"]
    assert main([*args, "md"]) == 0
    captured = capsys.readouterr()
    assert "MACs were not checked" in captured.err
    md = captured.out
    assert "Chain: verified intact (1 events" in md
    assert "MACs: NOT checked: this log is keyed and no key was given" in md
    laws, contracts = md.split("## Duties under contracts between the parties")
    assert "contract:dpa-2025-relaycart:notify-owner" in contracts
    assert "| contract |" not in laws and "contract:" not in laws
    assert main(["audit", "report", str(log.path), "--as-of", "2026-02-01T00:00:00Z"]) == 0
    # (wrapped at words to the width, as every line of the report)
    assert "its MACs NOT checked: no key given" in " ".join(capsys.readouterr().out.split())
    assert main([*args, "json", "--key-file", str(key_file)]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    doc = json.loads(captured.out)
    assert doc["verification"]["chain"] == "intact"
    assert doc["verification"]["macs"] == "checked"
    sources = {e["obligation"]: e["duty_source"] for e in doc["entries"]}
    assert sources["contract:dpa-2025-relaycart:notify-owner"] == "contract"
    assert set(sources.values()) == {"law", "contract"}


def test_a_register_read_without_verifying_says_so() -> None:
    assert register(AuditLog(EXAMPLES / "none.jsonl")).to_dict()["verification"] is None


def test_impact_with_an_engine_lacking_laws_lists_them_as_not_reassessed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An engine of one edited law (``bundled=False``, as notebook 03 builds it) does not
    report every other recorded law as "breach -> None": they are not re-assessed, named
    once (user test 6: 66 such "changes" for Oregon, Wisconsin...)."""
    rules, log, _ = _logged_under_policy(tmp_path)
    (rules / "xx.yaml").write_text(POLICY.replace("DAYS", "15"), encoding="utf-8")
    result = impact(log, Engine(paths=[rules], bundled=False))
    assert {c.code for c in result.changes} == {"US-XX"}
    assert [c.kind for c in result.changes] == ["due", "due"]
    assert "US-TX" in result.not_reassessed and "US-XX" not in result.not_reassessed
    assert result.to_dict()["not_reassessed"] == list(result.not_reassessed)
    # With the bundled laws loaded, every law is re-assessed.
    assert main(["impact", str(log.path), "--rulesets", str(rules)]) == 0
    assert "not re-assessed" not in capsys.readouterr().out


def test_a_status_the_recorded_assessment_listed_is_changed_not_added(tmp_path: Path) -> None:
    """The recorded assessment listed the notice as not_required (50 people, a threshold
    of 100); lowered to 10, it is required: a status change, not an added obligation."""
    rules = tmp_path / "rules"
    rules.mkdir()
    policy = POLICY.replace("DAYS", "30").replace(
        "    by: owner\n", "    by: owner\n    when: {residents: {gt: LIMIT}}\n"
    )
    (rules / "xx.yaml").write_text(policy.replace("LIMIT", "100"), encoding="utf-8")
    log = AuditLog(tmp_path / "audit.jsonl", keys=None)
    incident = load_incident(_incident(3))
    old = Engine(paths=[rules]).assess(incident)
    assert {o.id: o.status for o in old.obligations}["US-XX:notify-individuals"] == ("not_required")
    log.record_assessment(incident, old)
    (rules / "xx.yaml").write_text(policy.replace("LIMIT", "10"), encoding="utf-8")
    (change,) = impact(log, Engine(paths=[rules])).changes
    assert (change.subject, change.kind) == ("US-XX:notify-individuals", "status")
    assert (change.before, change.after) == ("not_required", "required")
