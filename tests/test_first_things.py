"""What a responder reads first, found wrong by a docs-only user test (2026-12-07).

A French controller that is also a HIPAA covered entity in California is hit by
ransomware; whether the data left is unknown. Every expectation is read from the laws
and the documented ranking ("by how many obligations they decide and how soon those fall
due", docs/before-you-notify.md), never copied from the engine.
"""

from __future__ import annotations

from typing import Any

from breachrules import Engine, load_incident
from breachrules.cli.table import do_first
from breachrules.views.explain import explain
from breachrules.views.plan import plan
from breachrules.views.questions import open_questions


def _doc(**overrides: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "schema_version": "1",
        "id": "UT-1",
        "discovered_at": "2026-12-03T10:00:00+01:00",
        "parties": [
            {
                "id": "sante",
                "data_role": "owner",
                "types": ["hipaa_covered_entity"],
                "established_in": ["FR", "US-CA"],
                "offers_to": ["EU", "US-CA"],
            }
        ],
        "exposures": [
            {
                "elements": ["name", "medical"],
                "residents": {"US-CA": 300, "FR": 200},
                "encrypted": False,
                "acquired": None,
                "accessed": True,
                "altered": True,
                "lost": True,
                "phi": True,
            }
        ],
        "risk": {"gdpr_risk": None},
        "good_faith_insider": False,
        "malicious": True,
    }
    doc.update(overrides)
    return doc


def test_the_sooner_question_comes_first_when_both_decide_as_many(engine: Engine) -> None:
    """risk.gdpr_risk decides the GDPR notices (72 hours: due 6 December 10:00) and
    exposures[0].acquired California's (due in January): the same number of obligations,
    so the 72-hour clock's question is asked first, by `questions` and by `assess`."""
    incident = load_incident(_doc())
    q = open_questions(engine, incident, as_of="2026-12-03T10:00:00+01:00")
    facts = [x.fact for x in q.questions]
    assert facts.index("risk.gdpr_risk") < facts.index("exposures[0].acquired")
    a = engine.assess(incident)
    assert "ask first: risk.gdpr_risk (decides" in do_first(a)


def test_a_notice_of_ones_own_is_not_a_question(engine: Engine) -> None:
    """California's copy to the Attorney General runs from the consumers' notice as sent
    (notices_sent): that is recorded when sent, not asked about."""
    q = open_questions(engine, load_incident(_doc()))
    assert not [x.fact for x in q.questions if x.fact.startswith("notices_sent.")]


def test_the_plan_names_the_fact_that_decides_a_sooner_conditional_notice(
    engine: Engine,
) -> None:
    """The HIPAA letter is required (due 1 February); the GDPR notice to the authority
    waits on risk.gdpr_risk and is due on 6 December: the first line says to establish it."""
    p = plan(engine.assess(load_incident(_doc())))
    first = p.first_line()
    assert first.startswith("Do first: ")
    assert "establish risk.gdpr_risk" in first


def test_a_merged_letter_says_when_a_conditional_law_would_want_it_sooner(
    engine: Engine,
) -> None:
    """One letter serves HIPAA (required, 60 days: 1 February) and California
    (conditional on acquisition, 30 days: 2 January): the action is due on HIPAA's date
    and a note gives California's sooner date if it is required."""
    doc = _doc()
    doc["exposures"][0]["residents"] = {"US-CA": 300}
    p = plan(engine.assess(load_incident(doc)))
    (letter,) = [a for a in p.actions if a.key.endswith(":individuals:US")]
    assert letter.status == "required" and letter.due is not None
    assert letter.due.isoformat() == "2027-02-01T23:59:59+01:00"
    assert any(
        n.startswith("US-CA: due sooner, 2027-01-02T23:59:59+01:00, if it is required")
        for n in letter.notes
    )


def test_explain_shows_a_capped_delay(engine: Engine) -> None:
    """45 CFR 164.412(b): an oral statement made 4 December asking for 90 days is capped at
    30 days from the statement; `explain` shows the reason and the facts it read (it
    failed on a timestamp among them)."""
    doc = _doc(
        law_enforcement={
            "notified_at": "2026-12-04T11:00:00+01:00",
            "delay_requested_until": "2027-03-04T11:00:00+01:00",
            "delay_requested_at": "2026-12-04T11:00:00+01:00",
            "delay_in_writing": False,
        }
    )
    text = explain(engine.assess(load_incident(doc)), "US-HIPAA:notify-individuals")
    assert "the law caps the delay" in text
    assert 'law_enforcement.delay_requested_at = "2026-12-04T11:00:00+01:00"' in text


def test_a_notice_recorded_as_sent_is_no_longer_offered(engine: Engine) -> None:
    """The US letters (HIPAA's and California's) recorded as sent (notices_sent): the
    obligation says when, the plan shows the action as sent and does not offer it first,
    `questions` no longer lists it as to send, and `assess` does not say "Do first" of
    it. An assessment
    without a record writes no `sent_at` at all (older documents read as before). The plan
    is made as of a moment after the sending (one recorded after ``as_of`` is not yet
    made, UT11 1), and a letter sent on time is not overdue."""
    unsent = engine.assess(load_incident(_doc(risk={"gdpr_risk": "none"})))
    assert all("sent_at" not in o for o in unsent.to_dict()["obligations"])
    assert "US-HIPAA:notify-individuals" in do_first(unsent)
    doc = _doc(
        risk={"gdpr_risk": "none"},
        notices_sent={
            "US-HIPAA:notify-individuals": "2026-12-10T09:00:00+01:00",
            "US-CA:notify-individuals": "2026-12-10T09:00:00+01:00",
        },
    )
    a = engine.assess(load_incident(doc), as_of="2026-12-10T10:00:00+01:00")
    o = a.obligation("US-HIPAA:notify-individuals")
    assert o.sent_at is not None and o.sent_at.isoformat() == "2026-12-10T09:00:00+01:00"
    (written,) = [x for x in a.to_dict()["obligations"] if x["id"] == o.id]
    assert written["sent_at"] == "2026-12-10T09:00:00+01:00"
    p = plan(a)
    (letter,) = [x for x in p.actions if x.key.endswith(":individuals:US")]
    assert letter.sent_at == o.sent_at and letter.overdue is False
    assert "Letter to affected individuals (US)" not in p.first_line()
    assert "sent 2026-12-10 09:00" in p.to_table()
    q = open_questions(engine, load_incident(doc))
    assert o.id not in {i.obligation_id for i in q.readiness.send_now}
    assert "US-HIPAA:notify-individuals" not in do_first(a)
