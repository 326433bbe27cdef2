"""Fixes the eleventh docs-only user test found in plans, compliance reports, the register
and their tables (UT11 findings 1, 4, 5, 9, 12, 18, 21, 22 and 23): each test fails
without its fix."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from breachrules import Engine, load_incident
from breachrules.audit.compliance import NoticeRecord
from breachrules.cli.main import main
from breachrules.views.plan import plan

from .conftest import ROOT

#: UT11's own incident (own-v2.json): a New York owner, name + SSN + account number taken
#: from 800 New Yorkers, 600 Texans and 12 Californians.
UT11: dict[str, Any] = {
    "schema_version": "1",
    "id": "UT11-001",
    "discovered_at": "2026-11-02T09:00:00-05:00",
    "parties": [
        {
            "id": "acme",
            "name": "Acme Widgets Inc.",
            "data_role": "owner",
            "established_in": ["US-NY"],
            "offers_to": ["US"],
        }
    ],
    "exposures": [
        {
            "elements": ["name", "ssn", "financial_account"],
            "residents": {"US-NY": 800, "US-TX": 600, "US-CA": 12},
            "encrypted": False,
            "acquired": True,
            "accessed": True,
        }
    ],
    "good_faith_insider": False,
    "inadvertent_authorized_disclosure": False,
    "breach_determined_at": "2026-11-05T10:00:00-05:00",
}

#: What UT11's log recorded: the CA and NY letters (and CA's offer) 12 days early, the
#: Texas AG notice 10 hours late; the Texas letter (due 2027-01-04) not yet sent.
SENT = {
    "US-CA:notify-individuals": "2026-11-20T10:00:00-05:00",
    "US-CA:offer-identity-theft-services": "2026-11-20T10:00:00-05:00",
    "US-NY:notify-individuals": "2026-11-20T10:00:00-05:00",
    "US-TX:notify-attorney-general": "2026-12-06T10:00:00-05:00",
}


def _incident(**changes: Any) -> Any:
    doc = copy.deepcopy(UT11)
    doc.update(changes)
    return load_incident(doc)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_a_sent_letter_is_not_merged_with_one_still_owed(engine: Engine) -> None:
    """The CA and NY letters went out 12 days early; the Texas letter is due 2027-01-04.
    The plan merged them into one action, due on the CA/NY date and "OVERDUE by 4d 0h"
    with no ``sent_at`` (UT11 1)."""
    incident = _incident(notices_sent=SENT)
    p = plan(engine.assess(incident, as_of=_at("2026-12-07T00:00:00-05:00")))
    letters = [a for a in p.actions if a.recipient == "individuals"]
    sent = [a for a in letters if a.sent_at is not None]
    owed = [a for a in letters if a.sent_at is None]
    assert [a.jurisdictions for a in sent] == [("US-CA", "US-NY")]
    assert sent[0].overdue is False
    assert [a.jurisdictions for a in owed] == [("US-TX",)]
    assert owed[0].due == _at("2027-01-04T23:59:59-05:00")
    assert owed[0].overdue is False
    table = p.to_table()
    assert "OVERDUE" not in table
    assert "sent 2026-11-20 10:00" in table
    assert table.startswith("Do first: #3 Letter to affected individuals (US-TX)")


def test_a_letter_sent_whole_stays_one_action(engine: Engine) -> None:
    """The other side of the boundary: every part sent at one moment is one sent action,
    under the key it always had (a calendar's to-do is the same one)."""
    sent = dict(SENT, **{"US-TX:notify-individuals": "2026-11-20T10:00:00-05:00"})
    before = plan(engine.assess(_incident(), as_of=_at("2026-11-06T00:00:00-05:00")))
    after = plan(engine.assess(_incident(notices_sent=sent), as_of=_at("2026-12-07T00:00-05:00")))
    letters = [a for a in after.actions if a.recipient == "individuals"]
    assert [a.jurisdictions for a in letters] == [("US-CA", "US-NY", "US-TX")]
    assert letters[0].sent_at == _at("2026-11-20T10:00:00-05:00")
    key = next(a.key for a in before.actions if a.recipient == "individuals")
    assert letters[0].key == key


def test_a_late_notice_is_marked_late_in_the_plan(engine: Engine) -> None:
    """The Texas AG notice went out 10 hours after its due date: ``assess`` says "(late)",
    the plan said only "sent" (UT11 1)."""
    p = plan(engine.assess(_incident(notices_sent=SENT), as_of=_at("2026-12-07T00:00-05:00")))
    ag = next(a for a in p.actions if "US-TX:notify-attorney-general" in a.obligations)
    assert ag.overdue is True
    table = p.to_table()
    assert "sent 2026-12-06 10:00" in table and table.count("(late)") == 1
    assert table.index("(late)") > table.index("sent 2026-12-06 10:00")


def test_a_sending_after_as_of_is_not_yet_made_in_the_plan(engine: Engine) -> None:
    """As of 2026-11-21 the Texas AG notice (sent 12-06) is still to send (UT11 1)."""
    early = _at("2026-11-21T00:00:00-05:00")
    p = plan(engine.assess(_incident(notices_sent=SENT), as_of=early))
    ag = next(a for a in p.actions if "US-TX:notify-attorney-general" in a.obligations)
    assert ag.sent_at is None
    assert ag.overdue is False
    assert "sent 2026-12-06" not in p.to_table()


SAAS = ROOT / "examples" / "incidents" / "multinational-saas-breach.json"
COPIES = ("US-NY:notify-attorney-general-hipaa", "US-CA:notify-attorney-general")


def test_a_copy_is_never_overdue_before_the_notice_it_follows_is_sent(engine: Engine) -> None:
    """New York's copy is owed "within five business days of notifying the Secretary",
    California's AG copy "within 15 calendar days of notifying affected consumers": while
    neither notice is sent, the assessment, the compliance report and the register said
    each copy was OVERDUE on its earliest lawful date, weeks before the notice it follows
    is itself due (UT11 4)."""
    late = _at("2026-12-07T12:00:00+00:00")
    a = engine.assess(SAAS, as_of=late)
    for key in COPIES:
        o = a.obligation(key)
        assert o.due is not None and o.due < late  # the earliest lawful date stays shown
        assert o.follows is not None and o.overdue is False
    standing = {e.obligation_id: e for e in a.compliance([], as_of=late)}
    ny = standing["US-NY:notify-attorney-general-hipaa"]
    assert (ny.status, ny.due, ny.overdue) == ("owed", None, False)
    assert ny.due_after == "5 business days after US-HIPAA:notify-secretary is sent"
    ca = standing["US-CA:notify-attorney-general"]
    assert ca.due_after == "15 days after US-CA:notify-individuals is sent"
    # The notices they follow are themselves overdue, and stay so.
    assert standing["US-HIPAA:notify-secretary"].status == "overdue"
    copy_action = next(x for x in plan(a).actions if COPIES[0] in x.obligations)
    assert copy_action.overdue is False and copy_action.due_after == ny.due_after


def test_once_the_notice_it_follows_is_sent_the_copy_is_dated_from_it(engine: Engine) -> None:
    """The other side: the Secretary notified on 2026-06-01, New York's copy is due five
    business days later and overdue once that has passed unsent."""
    late = _at("2026-12-07T12:00:00+00:00")
    a = engine.assess(SAAS, as_of=late)
    sent = NoticeRecord("US-HIPAA:notify-secretary", _at("2026-06-01T10:00:00-07:00"))
    standing = {e.obligation_id: e for e in a.compliance([sent], as_of=late)}
    ny = standing["US-NY:notify-attorney-general-hipaa"]
    assert ny.due_after is None and ny.due is not None
    assert ny.due.date().isoformat() == "2026-06-08"
    assert (ny.status, ny.overdue) == ("overdue", True)
    recorded = engine.assess(
        json.loads(SAAS.read_text(encoding="utf-8"))
        | {"notices_sent": {"US-HIPAA:notify-secretary": "2026-06-01T10:00:00-07:00"}},
        as_of=late,
    )
    o = recorded.obligation("US-NY:notify-attorney-general-hipaa")
    assert o.follows is None and o.overdue is True


def test_the_compliance_report_and_register_say_when_a_copy_falls_due(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The report's DUE column says "5 business days after ... is sent", not an overdue
    date; the register's ``due`` is blank and ``due_after`` says it (UT11 4)."""
    log = tmp_path / "audit.jsonl"
    main(["assess", str(SAAS), "--as-of", "discovery", "--audit-log", str(log), "--format", "json"])
    capsys.readouterr()
    main(["audit", "report", str(log), "--as-of", "2026-12-07T12:00:00Z"])
    out = capsys.readouterr().out
    lines = out.splitlines()
    n = next(i for i, line in enumerate(lines) if "US-NY:notify-attorney-general-hipaa" in line)
    assert lines[n].split()[0] == "owed"
    assert "5 business days after" in " ".join(lines[n : n + 2])
    assert any(line.split()[:2] == ["OVERDUE", "US-HIPAA:notify-secretary"] for line in lines)
    main(["register", str(log), "--as-of", "2026-12-07T12:00:00Z", "--format", "json"])
    rows = json.loads(capsys.readouterr().out)["entries"]
    (ny,) = [r for r in rows if r["obligation"] == "US-NY:notify-attorney-general-hipaa"]
    assert ny["due"] is None and ny["compliance"] == "owed"
    assert ny["due_after"] == "5 business days after US-HIPAA:notify-secretary is sent"


def _register(tmp_path: Path, capsys: pytest.CaptureFixture[str], *docs: Path) -> list[Any]:
    """The register (JSON) of a log holding an assessment of each incident file."""
    log = tmp_path / "audit.jsonl"
    for doc in docs:
        argv = ["assess", str(doc), "--as-of", "discovery", "--audit-log", str(log)]
        main([*argv, "--format", "json"])
    capsys.readouterr()
    main(["register", str(log), "--as-of", "2026-12-07T12:00:00Z", "--format", "json"])
    return list(json.loads(capsys.readouterr().out)["entries"])


def test_a_breachs_basis_is_what_made_it_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The register's ``decision_basis`` for a breach was the decision's last reason, an
    exception not met ("Paper records are not covered: not met"): it is now the definition
    and trigger met, and that no exception applied (UT11 5)."""
    ut11 = tmp_path / "ut11.json"
    ut11.write_text(json.dumps(UT11), encoding="utf-8")
    rows = _register(tmp_path, capsys, ut11)
    ny = next(r["decision_basis"] for r in rows if r["jurisdiction"] == "US-NY")
    assert ny.startswith("Private information: met for exposures[0] (N.Y. Gen. Bus. Law")
    assert "breach of the security of the system): met for exposures[0]" in ny
    assert "no exception applied (" in ny and "Paper records are not covered" in ny
    assert "not met" not in ny


def test_no_breach_and_undetermined_bases_name_what_decided_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The other side: Massachusetts (name + medical) is no breach because its personal
    information is not met, not because of a good-faith exception "not met"; New York's
    undetermined decision rests on the fact still unknown."""
    examples = ROOT / "examples" / "incidents"
    # New York's (2)(a) exception excuses the owner's notices, not the breach (s12/y4), so
    # the example's open New York finding no longer leaves the decision undetermined; an
    # unknown good-faith insider (an exception to the breach itself) does.
    doc = json.loads((examples / "per-law-findings.json").read_text())
    doc["good_faith_insider"] = None
    open_doc = tmp_path / "per-law-findings-open.json"
    open_doc.write_text(json.dumps(doc), encoding="utf-8")
    rows = _register(tmp_path, capsys, SAAS, open_doc)
    basis = {(r["incident_id"], r["jurisdiction"]): r["decision_basis"] for r in rows}
    ma = basis["EX-2026-SAAS-0414", "US-MA"]
    assert ma.startswith("Personal information: not met for exposures[0]")
    ny = basis["EX-2026-FINDINGS-01", "US-NY"]
    assert ny.startswith("Good-faith access or acquisition by an employee") and ": unknown" in ny


def test_diff_calls_a_change_to_not_required_a_status_change(engine: Engine) -> None:
    """Acquisition unknown, then known: New York's AG copy of the determination went from
    conditional to not_required. ``diff`` called it "removed", which the docs keep for an
    obligation one side does not list at all (UT11 21)."""
    from breachrules.views.changes import compare

    unknown = copy.deepcopy(UT11)
    unknown["exposures"][0]["acquired"] = None
    for key in ("good_faith_insider", "inadvertent_authorized_disclosure", "breach_determined_at"):
        del unknown[key]
    old = engine.assess(load_incident(unknown), as_of=_at(UT11["discovered_at"]))
    new = engine.assess(_incident(), as_of=_at(UT11["discovered_at"]))
    key = "US-NY:notify-attorney-general-determination"
    assert old.obligation(key).status == "conditional"
    assert new.obligation(key).status == "not_required"
    (change,) = [c for c in compare(old, new).changes if c.subject == key]
    assert (change.kind, change.before, change.after) == ("status", "conditional", "not_required")
    # The other side: a law no longer applying lists none of its obligations: removed.
    gone = engine.assess(_incident(), as_of=_at(UT11["discovered_at"]), jurisdictions=["US-TX"])
    kinds = {c.subject: c.kind for c in compare(new, gone).changes}
    assert kinds["US-NY:notify-individuals"] == "removed"


def test_the_register_gives_each_law_its_people_and_the_party_that_owes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """California counted 12 people, not the incident's 1,412; the owing party has a column;
    ``as_of`` says plainly what ``assessed_at`` holds (UT11 22)."""
    ut11 = tmp_path / "ut11.json"
    ut11.write_text(json.dumps(UT11), encoding="utf-8")
    rows = _register(tmp_path, capsys, ut11)
    people = {r["jurisdiction"]: (r["people_counted"], r["people"]) for r in rows}
    assert people["US-CA"] == (12, 1412)
    assert people["US-NY"] == (800, 1412)
    assert {r["party"] for r in rows if r["obligation"]} == {"acme"}
    assert all(r["as_of"] == r["assessed_at"] == UT11["discovered_at"] for r in rows)


def test_a_law_that_counts_everyone_has_the_whole_incident_on_its_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The other side: HIPAA and the GDPR (an EU establishment) count every affected
    person; a processor's duty names the processor as the party that owes it."""
    rows = _register(tmp_path, capsys, SAAS)
    people = {r["jurisdiction"]: (r["people_counted"], r["people"]) for r in rows}
    assert people["US-HIPAA"] == (19730, 19730)
    assert people["US-TX"] == (1100, 19730)
    parties = {r["obligation"]: r["party"] for r in rows if r["obligation"]}
    assert parties["contract:baa-dpa-2025:notify-owner"] == "ticketly"
    assert parties["US-HIPAA:notify-secretary"] == "mediconnect"


def test_people_no_law_covers_are_warned_about_beside_covered_ones(engine: Engine) -> None:
    """50 people in KP beside US residents: no warning, though docs/contract.md says the
    warnings name people no bundled law counts (UT11 12)."""
    doc = copy.deepcopy(UT11)
    doc["exposures"][0]["residents"].update({"KP": 50})
    said = engine.assess(load_incident(doc)).warnings
    assert any(w.startswith("exposures[0].residents.KP: 50 affected people") for w in said)
    assert not any("US-CA" in w or "US-NY" in w for w in said)


def test_no_warning_where_a_law_counts_everyone_or_none_applies(engine: Engine) -> None:
    """The other side: an owner established in the EU (the GDPR counts every affected
    person, wherever they live) leaves no one uncounted; with no law at all, one warning
    says so, not one per place."""
    doc = copy.deepcopy(UT11)
    doc["exposures"][0]["residents"].update({"KP": 50, "FR": 10})
    doc["parties"][0]["established_in"] = ["FR"]
    assert not any("KP" in w for w in engine.assess(load_incident(doc)).warnings)
    alone = copy.deepcopy(UT11)
    alone["exposures"][0]["residents"] = {"KP": 50, "AQ": 3}
    (said,) = [w for w in engine.assess(load_incident(alone)).warnings if "KP" in w]
    assert said.startswith("no law reaches this incident: no loaded ruleset covers AQ, KP")


def _impact_log(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path]:
    """A log of the UT11 incident, and a copy of Texas's law with its AG period cut from
    30 days to 20 (UT11's edit): the AG notice's due date moves."""
    ut11 = tmp_path / "ut11.json"
    ut11.write_text(json.dumps(UT11), encoding="utf-8")
    log = tmp_path / "audit.jsonl"
    main(["assess", str(ut11), "--as-of", "discovery", "--audit-log", str(log), "--format", "json"])
    rules = tmp_path / "rules"
    rules.mkdir()
    text = (ROOT / "rulesets" / "us" / "tx.yaml").read_text(encoding="utf-8")
    assert text.count("days: 30") >= 1
    (rules / "tx.yaml").write_text(text.replace("days: 30", "days: 20"), encoding="utf-8")
    capsys.readouterr()
    return log, rules


def test_impact_fits_80_columns_never_breaking_a_timestamp(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 80 columns the impact table was 103-128 wide and broke timestamps across lines
    (UT11 9): where it does not fit, each change is a record of whole lines."""
    log, rules = _impact_log(tmp_path, capsys)
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["--rulesets", str(rules), "impact", str(log)]) == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "  UT11-001  US-TX:notify-attorney-general  due" in out
    assert "    before:  2026-12-05T23:59:59-05:00" in out
    assert "    after:   2026-11-25T23:59:59-05:00" in out


def test_impact_keeps_its_table_where_it_fits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other side: 160 columns hold the table, one row per change."""
    log, rules = _impact_log(tmp_path, capsys)
    monkeypatch.setenv("COLUMNS", "160")
    assert main(["--rulesets", str(rules), "impact", str(log)]) == 0
    out = capsys.readouterr().out
    assert "INCIDENT" in out and "BEFORE -> AFTER" in out
    assert "    before:" not in out


def test_piped_output_fits_80_columns_when_the_width_is_unknown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``assess | cat`` printed 100-column tables (UT11 18): with no terminal and no
    ``$COLUMNS`` the width is 80, and no timestamp or id is broken for it."""
    ut11 = tmp_path / "ut11.json"
    ut11.write_text(json.dumps(UT11), encoding="utf-8")
    monkeypatch.delenv("COLUMNS", raising=False)
    for command in ("assess", "plan"):
        assert main([command, str(ut11), "--as-of", "2026-12-07T00:00:00-05:00"]) == 0
        out = capsys.readouterr().out
        assert max(len(line) for line in out.splitlines() if len(line.split()) > 1) <= 80
        words = {w.rstrip(",") for line in out.splitlines() for w in line.split()}
        assert "US-TX:notify-attorney-general" in words or command == "plan"
    # The other side: a width given is kept.
    monkeypatch.setenv("COLUMNS", "120")
    assert main(["assess", str(ut11), "--as-of", "2026-12-07T00:00:00-05:00"]) == 0
    assert max(len(line) for line in capsys.readouterr().out.splitlines()) > 80


def test_the_notebook_plan_says_sent_late_not_overdue(engine: Engine) -> None:
    """A late Texas AG notice is sent, late: the HTML plan said "overdue" of a sent action
    once sent actions carried their lateness (UT11 1); an unsent one past due still is."""
    from breachrules.views.notebook import plan_html

    html = plan_html(
        plan(engine.assess(_incident(notices_sent=SENT), as_of=_at("2026-12-07T00:00:00-05:00")))
    )
    assert "<b>(late)</b>" in html and html.count("<b>(late)</b>") == 1
    assert "<b>overdue</b>" not in html
    unsent = plan_html(plan(engine.assess(_incident(), as_of=_at("2026-12-07T00:00:00-05:00"))))
    assert "<b>overdue</b>" in unsent
