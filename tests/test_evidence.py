"""Before you notify, and proving it later: questions, explanations, diffs, compliance, log."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import attrs
import pytest

from breachrules import (
    AuditLog,
    Engine,
    NoticeRecord,
    load_assessment,
    load_incident,
    open_questions,
    reassess,
)
from breachrules.cli import main
from breachrules.engine.audit import verify_chain
from breachrules.views.questions import DELAY_FACT

from .conftest import EXAMPLES

EVOLVING = EXAMPLES / "evolving"
DAY1, DAY2, DAY4 = (load_incident(EVOLVING / f"day-{n}.json") for n in (1, 2, 4))
CA = ["US-CA"]


# --- open questions -----------------------------------------------------------------------


def test_open_questions_name_each_unknown_and_what_each_answer_changes(engine: Engine) -> None:
    """Exfiltration and tape encryption unknown: both are questions; each answer's effect
    follows from § 1798.82 (breach by either exposure; AG copy only past 500 residents)."""
    q = open_questions(engine, DAY1, jurisdictions=CA)
    by_fact = {x.fact: x for x in q.questions}
    # and, last, a law-enforcement delay, which § 1798.82(c) lets move the letters (UT12)
    assert set(by_fact) == {"exposures[0].acquired", "exposures[1].encrypted", DELAY_FACT}
    exfil = {o.value: o for o in by_fact["exposures[0].acquired"].outcomes}
    # 1,200 residents taken: a breach, and 1,500 > 500 brings in the Attorney General.
    assert {(c.subject, c.after) for c in exfil[True].changes} >= {
        ("US-CA", "breach"),
        ("US-CA:notify-individuals", "required"),
        ("US-CA:notify-attorney-general", "required"),
    }
    # Nothing taken from the server: only the 300 tape records can remain, so no AG copy
    # (listed on both sides: a status change, UT11 21).
    assert [(c.subject, c.kind, c.after) for c in exfil[False].changes] == [
        ("US-CA:notify-attorney-general", "status", "not_required")
    ]
    tape = {o.value: o for o in by_fact["exposures[1].encrypted"].outcomes}
    assert ("US-CA:notify-individuals", "required") in {
        (c.subject, c.after) for c in tape[False].changes
    }
    assert tape[True].changes == ()  # encrypted tape: still waiting on the server question


def test_open_questions_are_ranked_by_what_they_decide(engine: Engine) -> None:
    """The question deciding more obligations, then the sooner-due one, comes first."""
    q = open_questions(engine, DAY2, jurisdictions=CA)
    assert [x.fact for x in q.questions] == ["exposures[0].acquired", DELAY_FACT]
    q1 = open_questions(engine, DAY1, jurisdictions=CA)
    counts = [sum(":" in s for s in x.decides) for x in q1.questions if not x.only_dates]
    assert counts == sorted(counts, reverse=True)
    assert q1.questions[0].earliest_due == q1.readiness.waiting[0].due


def test_readiness_separates_what_may_be_sent_now(engine: Engine) -> None:
    """Day 2: individual notice is required now; the AG copy waits on exfiltration."""
    r = open_questions(engine, DAY2, jurisdictions=CA).readiness
    assert {i.obligation_id for i in r.send_now} == {
        "US-CA:notify-individuals",
        "US-CA:offer-identity-theft-services",
    }
    (waiting,) = r.waiting
    assert waiting.obligation_id == "US-CA:notify-attorney-general"
    # § 1798.82(f) (from 2026): 15 days from the consumers' notice, not yet recorded as
    # sent, so the earliest lawful date: 15 days from discovery, 2026-09-29 23:59:59 -07:00,
    # as of 2026-09-14 08:00 -07:00.
    assert waiting.waits_on == ("exposures[0].acquired", "notices_sent.US-CA:notify-individuals")
    assert waiting.seconds_left == int(
        timedelta(days=15, hours=15, seconds=59 * 60 + 59).total_seconds()
    )


def test_impossible_answers_are_reported_not_assessed(engine: Engine) -> None:
    """A compromised key for data known to be unencrypted is not a possible answer."""
    doc = DAY2.to_dict()
    doc["exposures"][1]["key_compromised"] = None
    doc["exposures"][1]["encrypted"] = False
    doc["exposures"][0].update({"acquired": True, "encrypted": None, "key_compromised": None})
    doc["exposures"][1].update({"encrypted": False})
    q = open_questions(engine, load_incident(doc), jurisdictions=CA)
    by_fact = {x.fact: {o.value: o for o in x.outcomes} for x in q.questions}
    # exposures[0]: encryption and key both unknown, so either answer for the key is possible.
    assert by_fact["exposures[0].key_compromised"][True].impossible is None


# --- diffs --------------------------------------------------------------------------------


def test_answering_questions_one_by_one_gives_the_expected_diffs(engine: Engine) -> None:
    """Day 1 -> 2 (tape unencrypted) makes notice required; day 2 -> 4 (no exfiltration)
    removes the AG copy; each change names the one fact that caused it."""
    _, _, d12 = reassess(engine, DAY1, DAY2, jurisdictions=CA)
    assert {(c.subject, c.kind, c.before, c.after, c.caused_by) for c in d12.changes} == {
        ("US-CA", "determination", "undetermined", "breach", ("exposures[1].encrypted",)),
        (
            "US-CA:notify-individuals",
            "status",
            "conditional",
            "required",
            ("exposures[1].encrypted",),
        ),
        (
            "US-CA:offer-identity-theft-services",
            "status",
            "conditional",
            "required",
            ("exposures[1].encrypted",),
        ),
    }
    _, _, d24 = reassess(engine, DAY2, DAY4, jurisdictions=CA)
    assert [(c.subject, c.kind, c.caused_by) for c in d24.changes] == [
        ("US-CA:notify-attorney-general", "status", ("exposures[0].acquired",))
    ]
    assert d24.facts_changed["exposures[0].acquired"] == (None, False)


def test_diff_changes_are_audit_events_continuing_the_assessment_chain(engine: Engine) -> None:
    """Each change is an audit event, chained onto the new assessment's own events."""
    _, new, diff = reassess(engine, DAY1, DAY2, jurisdictions=CA)
    assert len(diff.audit) == len(diff.changes)
    chain = [attrs.asdict(e) for e in (*new.audit, *diff.audit)]
    assert verify_chain(chain) is None
    chain[-1]["detail"]["after"] = "not_required"
    assert verify_chain(chain) == len(chain) - 1


def test_unchanged_incident_has_no_changes(engine: Engine) -> None:
    """Re-assessing the same facts changes nothing."""
    _, _, diff = reassess(engine, DAY2, DAY2, jurisdictions=CA)
    assert diff.changes == () and diff.facts_changed == {}


# --- explanations -------------------------------------------------------------------------


def test_explain_shows_rules_facts_citations_and_version(engine: Engine) -> None:
    """The explanation names the law version, each rule's citation and the facts it read."""
    a = engine.assess(DAY2, jurisdictions=CA)
    text = a.explain("US-CA:notify-individuals")
    assert "version in force from 2026-01-01" in text
    assert "Cal. Civ. Code § 1798.82(a)" in text
    assert "exposures[1].encrypted = false" in text
    assert "exposures[0].acquired = null" in text  # the server exposure is still open
    assert "not legal advice" in text
    with pytest.raises(KeyError):
        a.explain("US-CA:no-such-obligation")


def test_reasons_carry_the_facts_they_read(engine: Engine) -> None:
    """Every breach-rule reason lists the facts it read, with the values seen."""
    a = engine.assess(DAY2, jurisdictions=CA)
    reasons = {r.rule: r for r in a.determination("US-CA").reasons}
    assert reasons["US-CA:breach-of-security"].facts == {
        "exposures[0].acquired": None,
        "exposures[1].acquired": True,
    }
    assert reasons["US-CA:personal-information"].facts["exposures[1].elements"] == ["name", "ssn"]


# --- compliance ---------------------------------------------------------------------------


def _sent(obligation: str, at: object) -> NoticeRecord:
    return NoticeRecord(obligation_id=obligation, sent_at=at)  # type: ignore[arg-type]


def test_notice_an_hour_late_is_late(engine: Engine) -> None:
    """Sent one hour after the due time: late by 3,600 seconds, never compliant."""
    a = engine.assess(DAY2, jurisdictions=CA)
    due = a.obligation("US-CA:notify-individuals").due
    assert due is not None
    entries = {
        e.obligation_id: e
        for e in a.compliance([_sent("US-CA:notify-individuals", due + timedelta(hours=1))])
    }
    late = entries["US-CA:notify-individuals"]
    assert (late.status, late.late_by_seconds) == ("late", 3600)


def test_notice_at_the_due_second_is_on_time(engine: Engine) -> None:
    """Sent at exactly the due moment: on time."""
    a = engine.assess(DAY2, jurisdictions=CA)
    due = a.obligation("US-CA:notify-individuals").due
    entries = {e.obligation_id: e for e in a.compliance([_sent("US-CA:notify-individuals", due)])}
    assert entries["US-CA:notify-individuals"].status == "on_time"


def test_unsent_notices_are_owed_then_overdue_and_conditional_pending(engine: Engine) -> None:
    """Unsent: owed before the due time, overdue after; conditional ones are pending."""
    a = engine.assess(DAY2, jurisdictions=CA)
    due = a.obligation("US-CA:notify-individuals").due
    assert due is not None
    before = {e.obligation_id: e.status for e in a.compliance([], as_of=due)}
    after = {e.obligation_id: e.status for e in a.compliance([], as_of=due + timedelta(seconds=1))}
    assert before["US-CA:notify-individuals"] == "owed"
    assert after["US-CA:notify-individuals"] == "overdue"
    assert after["US-CA:notify-attorney-general"] == "pending"


def test_record_for_unknown_obligation_is_kept(engine: Engine) -> None:
    """A record naming no obligation is reported as unmatched, never dropped."""
    a = engine.assess(DAY2, jurisdictions=CA)
    entries = a.compliance([_sent("US-XX:notify", a.as_of)])
    assert entries[-1].status == "unmatched" and entries[-1].obligation_id == "US-XX:notify"


def test_a_clock_from_a_recorded_notice_is_dated_from_the_record(engine: Engine) -> None:
    """New York's copy to the Attorney General runs five business days from the HIPAA
    notice to the Secretary as sent (§ 899-aa(9)). Assessed before that notice was sent,
    then the sending recorded: compliance dates the copy from the record exactly as an
    assessment made with `notices_sent` does (Thursday 21 May 2026 -> Friday 22, Memorial
    Day skipped, 26-29 May), and a copy still unsent on 10 June is overdue."""
    doc = {
        "schema_version": "1",
        "id": "NY-HIPAA",
        "discovered_at": "2026-03-02T14:30:00-05:00",
        "parties": [
            {
                "id": "acme",
                "data_role": "owner",
                "types": ["hipaa_covered_entity"],
                "established_in": ["US-NY"],
            }
        ],
        "exposures": [
            {
                "elements": ["name", "ssn"],
                "residents": {"US-NY": 1200},
                "encrypted": False,
                "acquired": True,
                "accessed": True,
                "phi": True,
            }
        ],
        "risk": {"findings": {"US-NY": {"harm_likely": True}}},
        "good_faith_insider": False,
    }
    sent = "2026-05-21T15:00:00-04:00"
    copy = "US-NY:notify-attorney-general-hipaa"
    before = engine.assess(load_incident(doc), jurisdictions=["US-NY", "US-HIPAA"])
    entries = {
        e.obligation_id: e
        for e in before.compliance(
            [_sent("US-HIPAA:notify-secretary", datetime.fromisoformat(sent))],
            as_of=datetime.fromisoformat("2026-06-10T00:00:00-04:00"),
        )
    }
    after = engine.assess(
        load_incident({**doc, "notices_sent": {"US-HIPAA:notify-secretary": sent}}),
        jurisdictions=["US-NY", "US-HIPAA"],
    )
    assert entries[copy].due == after.obligation(copy).due
    assert entries[copy].due is not None and entries[copy].due.date().isoformat() == "2026-05-29"
    assert entries[copy].status == "overdue"


# --- the audit log ------------------------------------------------------------------------


@pytest.fixture
def log(engine: Engine, tmp_path: Path) -> AuditLog:
    log = AuditLog(tmp_path / "audit.jsonl")
    a = engine.assess(DAY2, jurisdictions=CA)
    log.record_assessment(DAY2, a)
    log.record_notice(_sent("US-CA:notify-individuals", a.as_of + timedelta(days=3)))
    log.record_notice(_sent("US-CA:offer-identity-theft-services", a.as_of + timedelta(days=3)))
    return log


def _lines(log: AuditLog) -> list[str]:
    return log.path.read_text().splitlines(keepends=True)


def test_intact_log_verifies(log: AuditLog) -> None:
    """Three appended events verify; the stored assessment reads back equal."""
    result = log.verify()
    assert (result.ok, result.events) == (True, 3)
    doc = log.latest_assessments()["EX-2026-PAY-0914"]
    assert load_assessment(doc).to_dict() == doc


def test_forged_event_is_caught(log: AuditLog) -> None:
    """Changing one byte of an event breaks it."""
    lines = _lines(log)
    lines[1] = lines[1].replace("US-CA:notify-individuals", "US-CA:notify-individualz")
    log.path.write_text("".join(lines))
    result = log.verify()
    assert (result.ok, result.broken_line) == (False, 2)


def test_deleted_event_is_caught(log: AuditLog) -> None:
    """Removing an event breaks the next one's link."""
    lines = _lines(log)
    del lines[1]
    log.path.write_text("".join(lines))
    result = log.verify()
    assert (result.ok, result.broken_line) == (False, 2)


def test_reordered_events_are_caught(log: AuditLog) -> None:
    """Swapping two events breaks the chain where the order changed."""
    lines = _lines(log)
    lines[1], lines[2] = lines[2], lines[1]
    log.path.write_text("".join(lines))
    assert log.verify().broken_line == 2


def test_inserted_event_is_caught(log: AuditLog, tmp_path: Path) -> None:
    """An event copied in from another sound log does not fit this chain."""
    other = AuditLog(tmp_path / "other.jsonl")
    other.append("note", {"text": "inserted"}, "2026-09-15T00:00:00-07:00")
    lines = _lines(log)
    lines.insert(1, other.path.read_text())
    log.path.write_text("".join(lines))
    assert log.verify().broken_line == 2


def test_broken_log_is_never_extended(log: AuditLog) -> None:
    """Appending to a tampered log is refused, so tampering cannot be buried."""
    lines = _lines(log)
    log.path.write_text("".join(lines[:1] + lines[2:]))
    with pytest.raises(ValueError, match="broken at line 2"):
        log.record_notice(_sent("US-CA:notify-individuals", DAY2.discovered_at))


def test_cloudevents_log_verifies_and_catches_tampering(engine: Engine, tmp_path: Path) -> None:
    """CloudEvents 1.0 envelopes carry the same chain in extension attributes."""
    log = AuditLog(tmp_path / "ce.jsonl", cloudevents=True)
    log.record_assessment(DAY2, engine.assess(DAY2, jurisdictions=CA))
    log.record_notice(_sent("US-CA:notify-individuals", DAY2.discovered_at))
    first = json.loads(_lines(log)[0])
    assert first["specversion"] == "1.0" and first["type"] == "org.breachrules.assessment"
    assert log.verify().ok
    log.path.write_text(log.path.read_text().replace('"sequence":"2"', '"sequence":"3"'))
    assert log.verify().broken_line == 2


# --- command line -------------------------------------------------------------------------


def test_cli_audit_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """assess --audit-log, audit record, audit report (late by 1h), audit verify (0, then 1)."""
    log = str(tmp_path / "a.jsonl")
    day2 = str(EVOLVING / "day-2.json")
    assess = ["assess", day2, "--jurisdiction", "US-CA", "--audit-log", log]
    assert main([*assess, "--as-of", "2026-09-16T12:00:00-07:00"]) == 0
    # Due 2026-10-14T23:59:59-07:00; sent an hour later, and recorded the same night.
    args = ["audit", "record", log, "--obligation", "US-CA:notify-individuals"]
    args += ["--recorded-at", "2026-10-15T02:00:00-07:00"]
    assert main([*args, "--sent-at", "2026-10-15T00:59:59-07:00", "--method", "letter"]) == 0
    capsys.readouterr()
    assert main(["audit", "report", log, "--as-of", "2026-10-20T00:00:00-07:00"]) == 0
    out = capsys.readouterr().out
    assert "LATE by 1h 0m  US-CA:notify-individuals" in out
    assert "OVERDUE" in out  # the credit-monitoring offer was never recorded
    assert main(["audit", "verify", log]) == 0
    lines = Path(log).read_text().splitlines(keepends=True)
    lines[1] = lines[1].replace('"letter"', '"email"')
    Path(log).write_text("".join(lines))
    capsys.readouterr()
    assert main(["audit", "verify", log]) == 1
    assert "line 2" in capsys.readouterr().out


def test_cli_questions_explain_diff(capsys: pytest.CaptureFixture[str]) -> None:
    """The three 'before you notify' commands run and say what they should."""
    day1, day2 = str(EVOLVING / "day-1.json"), str(EVOLVING / "day-2.json")
    assert main(["questions", day1, "--jurisdiction", "US-CA"]) == 0
    assert "1. exposures[0].acquired" in capsys.readouterr().out
    assert main(["explain", day2, "US-CA:notify-individuals"]) == 0
    assert "Cal. Civ. Code § 1798.82(a)" in capsys.readouterr().out
    assert main(["diff", day1, day2, "--jurisdiction", "US-CA", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert {c["subject"] for c in doc["changes"]} == {
        "US-CA",
        "US-CA:notify-individuals",
        "US-CA:offer-identity-theft-services",
    }
    assert main(["explain", day2, "US-CA:nope"]) == 2  # an unknown id is bad input


# --- the compliance report ------------------------------------------------------------------


@pytest.fixture
def day2_log(tmp_path: Path) -> str:
    """Day 2 under California: the letters (due 10-14) owed, the Attorney General's copy
    (due 09-29) pending on the number of residents, still unknown."""
    log = str(tmp_path / "a.jsonl")
    assessed = ["assess", str(EVOLVING / "day-2.json"), "--jurisdiction", "US-CA"]
    at = ["--as-of", "2026-09-16T12:00:00-07:00"]
    assert main([*assessed, *at, "--format", "json", "--audit-log", log]) == 0
    return log


def _report(log: str, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    capsys.readouterr()
    assert main(["audit", "report", log, "--as-of", "2026-10-01T00:00:00Z", *extra]) == 0
    return capsys.readouterr().out


def test_report_marks_a_pending_notice_past_due_overdue(
    day2_log: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # The Attorney General's copy runs from the consumers' notice as sent (not yet): its
    # earliest lawful date (09-29) has passed, but it is never overdue before the notice
    # it follows is sent (UT11 4); it says when it falls due instead.
    out = _report(day2_log, capsys)
    row = next(ln for ln in out.splitlines() if "US-CA:notify-attorney-general" in ln)
    assert row.split()[0] == "pending" and "15 days after" in row
    assert "owed" in out.split("US-CA:notify-individuals")[0].splitlines()[-1]  # not yet due
    doc = json.loads(_report(day2_log, capsys, "--format", "json"))
    flags = {e["obligation_id"]: (e["status"], e["overdue"]) for e in doc[DAY2.id]}
    assert flags["US-CA:notify-attorney-general"] == ("pending", False)
    assert flags["US-CA:notify-individuals"] == ("owed", False)


def test_report_rows_run_in_due_order(day2_log: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = _report(day2_log, capsys)
    ids = [w for ln in out.splitlines() for w in ln.split()[1:2] if w.startswith("US-CA:")]
    assert ids == [
        "US-CA:notify-individuals",  # 2026-10-14
        "US-CA:offer-identity-theft-services",  # 2026-10-14
        "US-CA:notify-attorney-general",  # 15 days after the letters are sent: undated
    ]
    doc = json.loads(_report(day2_log, capsys, "--format", "json"))
    assert [e["obligation_id"] for e in doc[DAY2.id] if e["obligation_id"] in ids] == ids


def test_report_gives_its_moment_in_the_offset_of_the_due_dates(
    day2_log: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _report(day2_log, capsys)
    assert "Compliance as of 2026-09-30T17:00:00-07:00 (log verified" in out
    assert "2026-10-14T23:59:59-07:00" in out


def test_a_byte_that_leaves_the_json_equal_is_caught(log: AuditLog) -> None:
    """One space inserted into a line leaves its canonical form (and so its hash) equal:
    the line must still be byte for byte the text it was written as."""
    lines = _lines(log)
    lines[1] = lines[1].replace('"type":', '"type": ', 1)
    log.path.write_text("".join(lines))
    result = log.verify()
    assert (result.ok, result.broken_line, result.caught_by) == (False, 2, "chain")
    assert result.reason is not None and result.reason.startswith("not as written")
