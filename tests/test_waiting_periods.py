"""Waiting periods: a law that bars an early notice (`deadline.not_before`).

A carrier "shall not notify customers or disclose the breach to the public until 7 full
business days have passed after notification to the USSS and the FBI" (47 CFR
64.2011(b)(1)). The waiting period moves no due date; the obligation reports the earliest
moment it may be given (`not_before`), or, while the notice it runs from is not recorded,
no moment and the fact it waits for. Expectations are worked by hand in the comments.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from breachrules import Engine, load_incident
from breachrules.io.serde import converter

from .conftest import EXAMPLE_LAW, incident_doc, law_problems

LAW = (
    EXAMPLE_LAW
    + """
holidays: {country: US}
obligations:
  - id: notify-police
    citation: Ex. Act s. 3
    recipient: law_enforcement
    by: owner
    deadline: {text: within 7 business days, from: discovery, days: 7, business_days: true}
  - id: notify-individuals
    citation: Ex. Act s. 4
    recipient: individuals
    by: owner
    deadline:
      text: after the waiting period; no outer deadline
      not_before:
        from: "sent:notify-police"
        days: 7
        business_days: true
        text: 7 full business days after the notice to the police
        citation: Ex. Act s. 4(1)
  - id: notify-media
    citation: Ex. Act s. 5
    recipient: media
    by: owner
    when: {residents: {gt: 5000}}
    deadline:
      text: within 30 days
      days: 30
      not_before: {from: "sent:notify-police", days: 0, text: after the police, citation: s. 5}
"""
)

SENT = {"XX:notify-police": "2026-05-05T09:00:00-04:00"}  # Tuesday 5 May 2026


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture(scope="module")
def law(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    folder: Path = tmp_path_factory.mktemp("waits")
    (folder / "xx.yaml").write_text(LAW)
    return Engine(paths=[folder], bundled=False, backend="python")


def _doc(**overrides: Any) -> dict[str, Any]:
    doc = incident_doc(discovered_at="2026-05-01T10:00:00-04:00", **overrides)
    doc["exposures"][0]["residents"] = {"XX": 10}
    return doc


def _obligation(engine: Engine, doc: dict[str, Any], name: str) -> Any:
    (ob,) = [o for o in engine.assess(load_incident(doc)).obligations if o.id == f"XX:{name}"]
    return ob


def test_the_wait_runs_from_the_notice_as_sent(law: Engine) -> None:
    """Sent Tuesday 5 May: 6, 7, 8, 11, 12, 13 and 14 May are the 7 business days, so not
    before the end of Thursday 14 May. No outer deadline: due stays null."""
    ob = _obligation(law, _doc(notices_sent=SENT), "notify-individuals")
    assert ob.not_before == _at("2026-05-14T23:59:59-04:00")
    assert ob.due is None and ob.missing_facts == ()
    assert any(r.text.startswith("not to be given before 2026-05-14") for r in ob.reasons)
    assert ob.deadline.not_before["calendar"] == "US"


def test_before_the_notice_is_sent_the_wait_has_no_end_yet(law: Engine) -> None:
    """Nothing recorded: no moment, and the fact it waits for is named (never "now")."""
    ob = _obligation(law, _doc(), "notify-individuals")
    assert ob.not_before is None and ob.status == "required"
    assert ob.missing_facts == ("notices_sent.XX:notify-police",)
    assert any("the notice it waits for is not recorded as sent" in r.text for r in ob.reasons)


def test_the_wait_moves_no_due_date(law: Engine) -> None:
    """The media notice is due 30 days from discovery (1 May: end of 31 May) whatever its
    wait; the wait of 0 days ends at the police notice's own moment."""
    doc = _doc(notices_sent=SENT)
    doc["exposures"][0]["residents"] = {"XX": 6000}
    ob = _obligation(law, doc, "notify-media")
    assert ob.due == _at("2026-05-31T23:59:59-04:00")
    assert ob.not_before == _at(SENT["XX:notify-police"])


def test_a_notice_not_owed_says_nothing_of_waiting(law: Engine) -> None:
    """10 people: no media notice, so no wait, no missing fact, no reason about it."""
    ob = _obligation(law, _doc(), "notify-media")
    assert ob.status == "not_required" and ob.not_before is None
    assert ob.missing_facts == () and not any("before" in r.text for r in ob.reasons)


def test_written_only_where_a_law_sets_a_wait(law: Engine) -> None:
    """`not_before` appears on the obligation and its deadline only where the law sets a
    waiting period, so every other assessment reads and hashes as before; both writers
    agree, and the audit records the moment."""
    assessment = law.assess(load_incident(_doc(notices_sent=SENT)))
    doc = assessment.to_dict()
    by_id = {o["id"]: o for o in doc["obligations"]}
    assert by_id["XX:notify-individuals"]["not_before"] == "2026-05-14T23:59:59-04:00"
    assert by_id["XX:notify-individuals"]["deadline"]["not_before"]["days"] == 7
    assert "not_before" not in by_id["XX:notify-police"]
    assert "not_before" not in by_id["XX:notify-police"]["deadline"]
    assert json.dumps(converter.unstructure(assessment), sort_keys=True) == json.dumps(
        doc, sort_keys=True
    )
    events = {e.rule: e.detail for e in assessment.audit if e.event == "obligation"}
    assert events["XX:notify-individuals"]["not_before"] == "2026-05-14T23:59:59-04:00"
    assert "not_before" not in events["XX:notify-police"]


def test_both_backends_agree(tmp_path: Path) -> None:
    pytest.importorskip("durable")
    (tmp_path / "xx.yaml").write_text(LAW)
    docs = [
        Engine(paths=[tmp_path], bundled=False, backend=backend)
        .assess(load_incident(_doc(notices_sent=SENT)))
        .to_json()
        for backend in ("python", "durable")
    ]
    assert docs[0] == docs[1]


def test_the_plan_and_explain_show_the_wait(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from breachrules.cli import main

    (tmp_path / "laws").mkdir()
    (tmp_path / "laws" / "xx.yaml").write_text(LAW)
    incident = tmp_path / "i.json"
    incident.write_text(json.dumps(_doc(notices_sent=SENT)))
    base = ["--rulesets", str(tmp_path / "laws")]
    assert main([*base, "explain", str(incident), "XX:notify-individuals"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Not before 2026-05-14T23:59:59-04:00: 7 full business days" in out
    assert "[Ex. Act s. 4(1)]" in out
    incident.write_text(json.dumps(_doc()))
    assert main([*base, "plan", str(incident), "--format", "json"]) == 0
    notes = [n for a in json.loads(capsys.readouterr().out)["actions"] for n in a["notes"]]
    assert any(
        n.startswith("XX: not to be sent before a date not known yet (notices_sent.XX:")
        for n in notes
    ), notes


def _problems(tmp_path: Path, old: str, new: str) -> list[str]:
    return law_problems(tmp_path, LAW, old, new)


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("        days: 7\n        business_days: true\n", "", "not_before needs days"),
        ("holidays: {country: US}\n", "", "holiday calendar"),
        ('"sent:notify-police"', '"sent:notify-polise"', "did you mean 'sent:notify-police'"),
        ("        citation: Ex. Act s. 4(1)\n", "", "citation"),
    ],
)
def test_a_bad_wait_is_reported_with_its_line(
    tmp_path: Path, old: str, new: str, says: str
) -> None:
    problems = _problems(tmp_path, old, new)
    assert problems and all(p.split(":", 1)[0].isdigit() for p in problems)
    assert any(says in p for p in problems), problems


def test_a_scenario_can_expect_the_moment(tmp_path: Path) -> None:
    """A scenario case checks `not_before` as an instant: the same moment in another
    offset passes, another moment fails."""
    from breachrules.testing.scenarios import run_file

    (tmp_path / "xx.yaml").write_text(LAW)
    engine = Engine(paths=[tmp_path], bundled=False, backend="python")
    cases = tmp_path / "cases.yaml"
    for moment, passed in (("2026-05-15T03:59:59Z", True), ("2026-05-13T23:59:59-04:00", False)):
        deadline = {"from": "discovery", "not_before": {"days": 7}}  # contract names
        want = {"obligations": {"notify-individuals": {"not_before": moment, "deadline": deadline}}}
        cases.write_text(
            json.dumps(
                {
                    "ruleset": "XX",
                    "base": _doc(notices_sent=SENT),
                    "cases": [
                        {
                            "name": "wait",
                            "expect": want,
                        }
                    ],
                }
            )
        )
        (outcome,) = run_file(engine, cases)
        assert outcome.passed is passed


@pytest.mark.parametrize(
    ("words", "passed"),
    [
        (["not to be given before 2026-05-14"], True),
        (["7 full business days", "not to be given before"], True),
        (["not to be given before 2026-05-13"], False),
    ],
)
def test_a_scenario_can_expect_words_of_a_reason(
    tmp_path: Path, words: list[str], passed: bool
) -> None:
    """`reasons: [words]` passes when each of the words is in some reason of the
    obligation, and fails naming the reasons when one is not."""
    from breachrules.testing.scenarios import run_file

    (tmp_path / "xx.yaml").write_text(LAW)
    engine = Engine(paths=[tmp_path], bundled=False, backend="python")
    cases = tmp_path / "cases.yaml"
    want = {"obligations": {"notify-individuals": {"reasons": words}}}
    doc = {"ruleset": "XX", "base": _doc(notices_sent=SENT)}
    cases.write_text(json.dumps({**doc, "cases": [{"name": "why", "expect": want}]}))
    (outcome,) = run_file(engine, cases)
    assert outcome.passed is passed
    if not passed:
        assert "no reason says" in " ".join(outcome.failures)


def test_an_unknown_end_is_written_as_null(law: Engine) -> None:
    """The contract: `not_before` is null while the moment the wait runs from is unknown,
    so a host can tell "waiting, start unknown" from "no waiting period" (key absent)."""
    assessment = law.assess(load_incident(_doc()))
    by_id = {o["id"]: o for o in assessment.to_dict()["obligations"]}
    assert "not_before" in by_id["XX:notify-individuals"]
    assert by_id["XX:notify-individuals"]["not_before"] is None
    assert "not_before" not in by_id["XX:notify-police"]
    assert json.dumps(converter.unstructure(assessment), sort_keys=True) == json.dumps(
        assessment.to_dict(), sort_keys=True
    )


def test_the_plan_holds_the_notice_and_puts_first_the_one_it_waits_for(law: Engine) -> None:
    """Before the police report is sent, the letter is held (waits_for names the report)
    and "Do first" is the report, with the letter's due time when that is sooner; once
    the report is recorded, the letter is held until the wait ends, then free."""
    p = law.assess(load_incident(_doc())).plan()
    letter = next(a for a in p.actions if "XX:notify-individuals" in a.obligations)
    police = next(a for a in p.actions if "XX:notify-police" in a.obligations)
    assert letter.waits_for == ("XX:notify-police",) and letter.held(p.as_of)
    assert not police.held(p.as_of)
    first = p.first_line()
    assert first.startswith(f"Do first: #{p.actions.index(police) + 1} ")
    assert "11d 13h left" in first  # the letter has no fixed due date: the police's own
    assert f"#{p.actions.index(letter) + 1} waits for it" in first
    table = p.to_table(width=100)
    assert "(not before" in table and "XX:notify-police is sent)" in table
    doc = p.to_dict()["actions"][p.actions.index(letter)]
    assert list(doc["waits_for"]) == ["XX:notify-police"] and doc["not_before"] is None
    header = p.to_csv().splitlines()[0].split(",")
    assert header[-3:] == ["not_before", "waits_for", "sent_at"]
    sent = law.assess(load_incident(_doc(notices_sent=SENT))).plan()
    letter = next(a for a in sent.actions if "XX:notify-individuals" in a.obligations)
    assert letter.waits_for == () and letter.not_before == _at("2026-05-14T23:59:59-04:00")
    assert letter.held(_at("2026-05-14T12:00:00-04:00"))
    assert not letter.held(_at("2026-05-15T00:00:00-04:00"))


def test_questions_do_not_list_a_held_notice_as_sendable(law: Engine) -> None:
    from breachrules.views.questions import open_questions

    ready = open_questions(law, load_incident(_doc())).readiness
    assert "XX:notify-individuals" not in [i.obligation_id for i in ready.send_now]
    (held,) = [i for i in ready.held if i.obligation_id == "XX:notify-individuals"]
    assert held.waits_on == ("XX:notify-police to be sent",)
    assert "XX:notify-police" in [i.obligation_id for i in ready.send_now]


@pytest.mark.parametrize(
    ("records", "status"),
    [
        # the letter before the police report is recorded at all
        ({"XX:notify-individuals": "2026-05-06T09:00:00-04:00"}, "early"),
        # police Tue 5 May; the wait ends at the end of Thu 14 May: the 14th is too early
        (
            {
                "XX:notify-police": "2026-05-05T09:00:00-04:00",
                "XX:notify-individuals": "2026-05-14T12:00:00-04:00",
            },
            "early",
        ),
        (
            {
                "XX:notify-police": "2026-05-05T09:00:00-04:00",
                "XX:notify-individuals": "2026-05-15T09:00:00-04:00",
            },
            "sent",
        ),
    ],
)
def test_a_notice_sent_before_its_wait_ended_is_early(
    law: Engine, records: dict[str, str], status: str
) -> None:
    """The compliance report measures a sending against the wait, counted from the
    recorded sending of the notice it waits for (the assessment predates both)."""
    from breachrules.audit.compliance import NoticeRecord, compliance

    assessment = law.assess(load_incident(_doc()))
    sent = [NoticeRecord(k, _at(v)) for k, v in records.items()]
    (entry,) = [e for e in compliance(assessment, sent) if e.obligation_id.endswith("individuals")]
    assert entry.status == status


def test_a_notice_owed_without_a_period_makes_the_one_it_waits_for_due_now(
    tmp_path: Path,
) -> None:
    """New Jersey: the letters ("most expedient time possible") wait for the State Police
    report, which has no fixed period either: the report is first, "now", ahead of a
    notice with a fixed date weeks away."""
    text = LAW.replace(
        "deadline: {text: within 7 business days, from: discovery, days: 7, business_days: true}",
        "deadline: {text: in advance of the disclosure}",
    )
    (tmp_path / "xx.yaml").write_text(text)
    engine = Engine(paths=[tmp_path], bundled=False, backend="python")
    doc = _doc()
    doc["exposures"][0]["residents"] = {"XX": 6000}  # the media notice, due in 30 days
    p = engine.assess(load_incident(doc)).plan()
    police = next(a for a in p.actions if "XX:notify-police" in a.obligations)
    assert p.first_line().startswith(f"Do first: #{p.actions.index(police) + 1} ")
    assert ", now; #" in p.first_line()


def test_a_law_enforcement_action_names_its_agency(tmp_path: Path) -> None:
    """The plan names the agencies a law sends its law-enforcement notice to."""
    text = LAW.replace(
        "    recipient: law_enforcement\n    by: owner\n",
        "    recipient: law_enforcement\n    recipient_name: Example State Police\n    by: owner\n",
    )
    assert text != LAW
    (tmp_path / "xx.yaml").write_text(text)
    engine = Engine(paths=[tmp_path], bundled=False, backend="python")
    titles = [a.title for a in engine.assess(load_incident(_doc())).plan().actions]
    assert "Notice to Example State Police" in titles
