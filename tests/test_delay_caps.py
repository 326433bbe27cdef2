"""Caps on law-enforcement delays (``law_enforcement_delay.longest``): the loader, the
clock, the reasons, and a property.

A law that caps a delay (Form 8-K Item 1.05(c): "up to 30 days following the date when the
disclosure ... was otherwise required to be provided", with further periods on further
determinations; 45 CFR 164.412(b): an oral statement delays "no longer than 30 days from
the date of the oral statement") must never show a due date past the cap. Every
expectation is worked by hand (the arithmetic is beside it), never copied from the engine.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from breachrules import Engine, InvalidIncident, RulesetError, load_incident, load_ruleset
from breachrules.cli import main
from breachrules.views.plan import plan

from .conftest import EXAMPLE_LAW, incident_doc, law_problems

LAW = (
    EXAMPLE_LAW
    + """
obligations:
  - id: notify-regulator
    citation: Ex. Act s. 3
    recipient: regulator
    by: owner
    deadline: {text: within 30 days, from: discovery, days: 30}
    law_enforcement_delay:
      citation: Ex. Act s. 3(2)
      ends: end_of_delay
      longest:
        from: due
        days: 30
        text: up to 30 days following the date the notice was otherwise due
        further:
          - {days: 30, text: an additional period of up to 30 days on a further determination}
          - {days: 60, text: a final additional period of up to 60 days}
        beyond: only by the regulator's exemptive order
  - id: notify-individuals
    citation: Ex. Act s. 4
    recipient: individuals
    by: owner
    deadline: {text: within 60 days, from: discovery, days: 60}
    law_enforcement_delay:
      citation: Ex. Act s. 4(2)
      longest:
        from: statement
        days: 30
        oral_only: true
        citation: Ex. Act s. 4(2)(b)
        text: an oral statement delays no longer than 30 days from its date
  - id: notify-media
    citation: Ex. Act s. 5
    recipient: media
    by: owner
    deadline: {text: within 60 days, from: discovery, days: 60}
    law_enforcement_delay: Ex. Act s. 5(2)
  - id: notify-customers
    citation: Ex. Act s. 6
    recipient: consumer_reporting_agencies
    by: owner
    deadline: {text: without unreasonable delay}
    law_enforcement_delay:
      citation: Ex. Act s. 6(2)
      longest:
        from: statement
        days: 30
        text: an initial period of up to 30 days
        further:
          - {text: extended by the agency as it judges necessary}
"""
)

# Discovered Monday 2 March 2026 14:30 -05:00 (incident_doc): the regulator's 30 days end
# 1 April 23:59:59 (2 March + 30: 29 days to 31 March, + 1 = 1 April); the individuals'
# and media's 60 days end 1 May 23:59:59 (1 April + 30).
REGULATOR_DUE = "2026-04-01T23:59:59-05:00"
SIXTY_DAYS = "2026-05-01T23:59:59-05:00"


@pytest.fixture(scope="module")
def law(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    folder: Path = tmp_path_factory.mktemp("delay-caps")
    (folder / "xx.yaml").write_text(LAW)
    return Engine(paths=[folder], bundled=False, backend="python")


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _doc(**law_enforcement: Any) -> dict[str, Any]:
    doc = incident_doc(law_enforcement=law_enforcement)
    doc["exposures"][0]["residents"] = {"XX": 10}
    return doc


def _obligations(engine: Engine, doc: dict[str, Any]) -> dict[str, Any]:
    return {o.id.split(":", 1)[1]: o for o in engine.assess(load_incident(doc)).obligations}


def _delay_text(ob: Any) -> str:
    return next(r.text for r in ob.reasons if "delay" in r.text and "asked" in r.text)


# --- a cap counted from the date the notice was otherwise due -----------------------------


def test_a_delay_within_the_cap_keeps_the_agencys_date(law: Engine) -> None:
    """Due 1 April; the cap is 30 days after it, 1 May 23:59:59. A delay until 20 April
    12:00 is within it: the agency's date stands, and nothing is asked for."""
    ob = _obligations(law, _doc(delay_requested_until="2026-04-20T12:00:00-05:00"))[
        "notify-regulator"
    ]
    assert ob.due == _at("2026-04-20T12:00:00-05:00")
    assert "law_enforcement.delay_extensions" not in ob.missing_facts
    assert "does not cut it short" in _delay_text(ob)


def test_a_delay_past_the_cap_is_cut_to_it(law: Engine) -> None:
    """A delay until 1 July, with no further determination recorded: cut to 1 May
    23:59:59 (1 April + 30 days), the earlier lawful date, and the fact that could give a
    later one is named. The reason says both: the delay asked for and the law's cap, with
    the further periods the law allows and what they need."""
    ob = _obligations(law, _doc(delay_requested_until="2026-07-01T00:00:00-05:00"))[
        "notify-regulator"
    ]
    assert ob.due == _at("2026-05-01T23:59:59-05:00")
    assert "law_enforcement.delay_extensions" in ob.missing_facts
    text = _delay_text(ob)
    assert "law enforcement asked for a delay until 2026-07-01T00:00:00-05:00" in text
    assert "up to 30 days following the date the notice was otherwise due" in text
    assert "the longest lawful delay ends 2026-05-01T23:59:59-05:00" in text
    assert "an additional period of up to 30 days on a further determination" in text
    assert "the earlier lawful date is shown" in text
    reason = next(r for r in ob.reasons if r.text == text)
    assert reason.citation == "Ex. Act s. 3(2)"
    assert reason.facts["law_enforcement.delay_extensions"] is None


@pytest.mark.parametrize(
    ("extensions", "due"),
    [
        (0, "2026-05-01T23:59:59-05:00"),  # 1 April + 30
        (1, "2026-05-31T23:59:59-05:00"),  # 1 April + 60: 1 May + 30 = 31 May
        (2, "2026-07-01T00:00:00-05:00"),  # cap 1 April + 120 = 30 July: the agency's date
    ],
)
def test_each_further_determination_adds_its_period(law: Engine, extensions: int, due: str) -> None:
    doc = _doc(delay_requested_until="2026-07-01T00:00:00-05:00", delay_extensions=extensions)
    ob = _obligations(law, doc)["notify-regulator"]
    assert ob.due == _at(due)
    assert "law_enforcement.delay_extensions" not in ob.missing_facts


def test_past_every_further_period_the_law_says_what_remains(law: Engine) -> None:
    """Five determinations recorded, delay until 1 December: the law allows two further
    periods, so the cap is 1 April + 120 days = 30 July (30 April is day 29, 30 May day
    59, 29 June day 89, 29 July day 119), and the reason names what lies beyond."""
    doc = _doc(delay_requested_until="2026-12-01T00:00:00-05:00", delay_extensions=5)
    ob = _obligations(law, doc)["notify-regulator"]
    assert ob.due == _at("2026-07-30T23:59:59-05:00")
    text = _delay_text(ob)
    assert "beyond that: only by the regulator's exemptive order" in text
    assert "5 further determination(s) recorded" in text


def test_a_notice_cut_to_its_cap_is_still_held_in_the_plan(law: Engine) -> None:
    """The plan holds the cut notice until the cap, and its note does not say the clock
    resumes at the end of the delay asked for."""
    doc = _doc(delay_requested_until="2026-07-01T00:00:00-05:00")
    action = next(
        a for a in plan(law.assess(load_incident(doc))).actions if a.recipient == "regulator"
    )
    assert action.held_for_law_enforcement == ("XX",)
    note = next(n for n in action.notes if "caps the delay" in n)
    assert "it is due when the delay ends" not in note


# --- a cap on an oral statement, counted from the statement --------------------------------


def test_an_oral_statement_is_cut_to_30_days_from_its_date(law: Engine) -> None:
    """Oral statement on 15 April 09:00, delay asked until 1 July: 15 April + 30 days =
    15 May 23:59:59, later than the 60-day date (1 May), so due then."""
    doc = _doc(
        delay_requested_until="2026-07-01T00:00:00-05:00",
        delay_requested_at="2026-04-15T09:00:00-05:00",
        delay_in_writing=False,
    )
    ob = _obligations(law, doc)["notify-individuals"]
    assert ob.due == _at("2026-05-15T23:59:59-05:00")
    assert not {"law_enforcement.delay_in_writing", "law_enforcement.delay_requested_at"} & set(
        ob.missing_facts
    )
    assert "Ex. Act s. 4(2)(b)" in {r.citation for r in ob.reasons}


def test_a_written_statement_delays_for_the_time_it_specifies(law: Engine) -> None:
    doc = _doc(
        delay_requested_until="2026-07-01T00:00:00-05:00",
        delay_requested_at="2026-04-15T09:00:00-05:00",
        delay_in_writing=True,
    )
    assert _obligations(law, doc)["notify-individuals"].due == _at("2026-07-01T00:00:00-05:00")


def test_a_statement_not_recorded_as_written_is_read_as_oral(law: Engine) -> None:
    """Unknown form: the oral cap (the earlier date), naming the fact that would lift it."""
    doc = _doc(
        delay_requested_until="2026-07-01T00:00:00-05:00",
        delay_requested_at="2026-04-15T09:00:00-05:00",
    )
    ob = _obligations(law, doc)["notify-individuals"]
    assert ob.due == _at("2026-05-15T23:59:59-05:00")
    assert "law_enforcement.delay_in_writing" in ob.missing_facts
    assert "it is read as oral" in _delay_text(ob)


def test_an_early_oral_statement_leaves_the_laws_own_date(law: Engine) -> None:
    """Oral statement on 10 March: its 30 days end 9 April, before the 60-day date (1 May),
    which stands. The reason is not worded as a hold (nothing is held past the law's
    date), so the plan does not hold the notice."""
    doc = _doc(
        delay_requested_until="2026-07-01T00:00:00-05:00",
        delay_requested_at="2026-03-10T09:00:00-05:00",
        delay_in_writing=False,
    )
    ob = _obligations(law, doc)["notify-individuals"]
    assert ob.due == _at(SIXTY_DAYS)
    text = next(r.text for r in ob.reasons if "caps the delay" in r.text)
    assert text.startswith("a law-enforcement delay was asked for until")
    assert "ends 2026-04-09T23:59:59-05:00, before the law's own due date" in text
    action = next(
        a for a in plan(law.assess(load_incident(doc))).actions if a.recipient == "individuals"
    )
    assert "XX" not in action.held_for_law_enforcement


def test_an_undated_statement_gives_no_delay_past_the_laws_date(law: Engine) -> None:
    """Neither the statement's form nor its date is recorded: the cap cannot be dated, so
    the 60-day date stands and both facts are named; the uncapped media notice waits."""
    o = _obligations(law, _doc(delay_requested_until="2026-07-01T00:00:00-05:00"))
    ob = o["notify-individuals"]
    assert ob.due == _at(SIXTY_DAYS)
    assert {"law_enforcement.delay_in_writing", "law_enforcement.delay_requested_at"} <= set(
        ob.missing_facts
    )
    assert o["notify-media"].due == _at("2026-07-01T00:00:00-05:00")


def test_a_notice_with_no_fixed_period_names_the_cap(law: Engine) -> None:
    """No due date to move: the reason names the delay and the law's cap, and an
    extension the law leaves to the agency lifts nothing that could be dated."""
    ob = _obligations(law, _doc(delay_requested_until="2026-07-01T00:00:00-05:00"))[
        "notify-customers"
    ]
    assert ob.due is None
    text = _delay_text(ob)
    assert "the law caps the delay: an initial period of up to 30 days" in text
    assert "extended by the agency as it judges necessary" in text


def test_an_unlimited_further_period_lifts_the_cap(tmp_path: Path) -> None:
    """A law whose agency may extend without limit: with one extension recorded, the delay
    runs as asked (1 July), not to the first period's end."""
    text = LAW.replace(
        "    deadline: {text: without unreasonable delay}\n",
        "    deadline: {text: within 60 days, from: discovery, days: 60}\n",
    )
    (tmp_path / "xx.yaml").write_text(text)
    engine = Engine(paths=[tmp_path], bundled=False, backend="python")
    asked = {
        "delay_requested_until": "2026-07-01T00:00:00-05:00",
        "delay_requested_at": "2026-04-15T09:00:00-05:00",
    }
    first = _obligations(engine, _doc(**asked, delay_extensions=0))["notify-customers"]
    assert first.due == _at("2026-05-15T23:59:59-05:00")  # 15 April + 30
    lifted = _obligations(engine, _doc(**asked, delay_extensions=1))["notify-customers"]
    assert lifted.due == _at("2026-07-01T00:00:00-05:00")


# --- the incident's new facts ----------------------------------------------------------------


def test_the_new_facts_round_trip_and_are_checked() -> None:
    doc = _doc(
        delay_requested_until="2026-07-01T00:00:00-05:00",
        delay_requested_at="2026-04-15T09:00:00-05:00",
        delay_in_writing=False,
        delay_extensions=2,
    )
    incident = load_incident(doc)
    assert load_incident(incident.to_dict()) == incident
    assert incident.to_dict()["law_enforcement"]["delay_extensions"] == 2
    with pytest.raises(InvalidIncident) as info:
        load_incident(_doc(delay_requested_until="2026-07-01T00:00:00-05:00", delay_extensions=-1))
    assert any(p.path == "law_enforcement.delay_extensions" for p in info.value.problems)
    with pytest.raises(InvalidIncident) as info:
        load_incident(
            _doc(
                delay_requested_until="2026-04-01T00:00:00-05:00",
                delay_requested_at="2026-04-15T09:00:00-05:00",
            )
        )
    assert any(p.path == "law_enforcement.delay_requested_until" for p in info.value.problems)


# --- the loader refuses a malformed cap --------------------------------------------------------

_CAP = "      longest:\n        from: due\n        days: 30\n"


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        # a cap needs its period
        (_CAP, "      longest:\n        from: due\n", "days"),
        # days are whole and at least 1
        (_CAP, "      longest:\n        from: due\n        days: 0\n", "days"),
        # the cap counts from the due date or the statement, nothing else
        (_CAP, "      longest:\n        from: discovery\n        days: 30\n", "from"),
        # an unknown key is refused, not ignored
        (_CAP, _CAP + "        hours: 5\n", "hours"),
        # a cap is read with the delay's own end only
        (
            "      ends: end_of_delay\n      longest:\n        from: due",
            "      ends: after\n      days: 7\n      longest:\n        from: due",
            "longest caps the delay the agency asked for, read with ends: end_of_delay",
        ),
        # from: due needs a due date to count from
        (
            "        from: statement\n        days: 30\n        text: an initial period",
            "        from: due\n        days: 30\n        text: an initial period",
            "from: due counts from the date the notice was otherwise due",
        ),
        # an unlimited further period must be the last
        (
            "          - {text: extended by the agency as it judges necessary}\n",
            "          - {text: extended by the agency as it judges necessary}\n"
            "          - {days: 30, text: more}\n",
            "a further period without days has no limit",
        ),
        # nothing lies beyond an unlimited further period
        (
            "          - {text: extended by the agency as it judges necessary}\n",
            "          - {text: extended by the agency as it judges necessary}\n"
            "        beyond: never\n",
            "nothing lies beyond it",
        ),
    ],
)
def test_a_malformed_cap_is_refused_naming_the_field(
    tmp_path: Path, old: str, new: str, says: str
) -> None:
    """Each problem has its line, and its field path or its reason names the field."""
    problems = law_problems(tmp_path, LAW, old, new)
    assert problems and all(p.split(":", 1)[0].isdigit() for p in problems), problems
    (tmp_path / "xx.yaml").write_text(LAW.replace(old, new))
    with pytest.raises(RulesetError) as info:
        load_ruleset(tmp_path / "xx.yaml")
    found = [f"{p.path}: {p.reason}" for p in info.value.problems]
    assert any("law_enforcement_delay" in f and says in f for f in found), found


# --- a property: the cap only ever brings the date earlier, never before the law's own -----


def _uncapped() -> str:
    """The example law with no caps: the same delays, as long as asked."""
    out, skip = [], False
    for line in LAW.splitlines():
        if line.startswith("      longest:"):
            skip = True
            continue
        if skip and line.startswith("        "):
            continue
        skip = False
        out.append(line)
    return "\n".join(out) + "\n"


@pytest.fixture(scope="module")
def uncapped(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    folder: Path = tmp_path_factory.mktemp("delay-uncapped")
    (folder / "xx.yaml").write_text(_uncapped())
    return Engine(paths=[folder], bundled=False, backend="python")


DISCOVERED = _at("2026-03-02T14:30:00-05:00")


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    until=st.integers(0, 240 * 86_400),
    asked=st.none() | st.integers(0, 120 * 86_400),
    in_writing=st.none() | st.booleans(),
    extensions=st.none() | st.integers(0, 4),
)
def test_a_capped_due_date_lies_between_the_laws_own_and_the_uncapped_one(
    law: Engine,
    uncapped: Engine,
    until: int,
    asked: int | None,
    in_writing: bool | None,
    extensions: int | None,
) -> None:
    """For every delay, statement and count of further determinations: a cap never gives
    a later date than the same delay without it (so never later than the law allows), and
    never an earlier one than the law's own due date (a delay only ever moves it later)."""
    le: dict[str, Any] = {
        "delay_requested_until": (DISCOVERED + timedelta(seconds=until)).isoformat(),
        "delay_in_writing": in_writing,
        "delay_extensions": extensions,
    }
    if asked is not None:
        le["delay_requested_at"] = (DISCOVERED + timedelta(seconds=min(asked, until))).isoformat()
    capped = _obligations(law, _doc(**le))
    free = _obligations(uncapped, _doc(**le))
    own = _obligations(law, _doc())
    for key in ("notify-regulator", "notify-individuals", "notify-media"):
        assert own[key].due <= capped[key].due <= free[key].due, (key, le)
    assert own["notify-regulator"].due == _at(REGULATOR_DUE)


def test_the_statements_form_is_an_open_question_with_both_answers(law: Engine) -> None:
    """`questions` asks whether the statement was in writing and shows what each answer
    does to the date: in writing, the agency's date (1 July); oral, the cap (15 May)."""
    from breachrules.views.questions import open_questions

    doc = _doc(
        delay_requested_until="2026-07-01T00:00:00-05:00",
        delay_requested_at="2026-04-15T09:00:00-05:00",
    )
    found = open_questions(law, load_incident(doc))
    q = next(q for q in found.questions if q.fact == "law_enforcement.delay_in_writing")
    assert "XX:notify-individuals" in q.decides
    assert [o.value for o in q.outcomes] == [True, False]
    assert q.outcomes[0].changes and not q.outcomes[1].changes


# --- a problem is reported at the line of the key the author wrote --------------------------


@pytest.mark.parametrize(
    ("old", "new", "word"),
    [
        (  # a misspelt key whose fields follow on the lines below
            "      longest:\n        from: due",
            "      longst:\n        from: due",
            "longst:",
        ),
        (  # the same, with a blank line and a comment before its first field
            "      longest:\n        from: due",
            "      longst:\n\n        # the cap\n        from: due",
            "longst:",
        ),
        (  # a word the cap cannot be read with: the line of ends:, not of longest's fields
            "      ends: end_of_delay\n      longest:",
            "      ends: restart\n      longest:",
            "ends: restart",
        ),
    ],
    ids=["misspelt key", "blank line and comment first", "ends word"],
)
def test_a_delay_problem_names_the_line_of_its_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, word: str
) -> None:
    """`breachrules validate` (with the folder also under --rulesets, as the user had it)
    reports the line of the offending key, not the line of the first field below it."""
    text = LAW.replace(old, new)
    assert text != LAW
    folder = tmp_path / "policies"
    folder.mkdir()
    (folder / "xx.yaml").write_text(text)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if word in t)
    assert main(["--rulesets", str(folder), "validate", str(folder)]) == 2
    err = capsys.readouterr().err
    assert f"{folder / 'xx.yaml'}:{line}: obligations[0].law_enforcement_delay." in err, err
