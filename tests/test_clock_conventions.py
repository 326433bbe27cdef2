"""How each law counts its clocks: the first day, the end of the period, calendar months,
what the clock runs from when its fact is unknown, and how a law-enforcement delay ends.

Every expectation is worked by hand from the convention it tests (the arithmetic is in
the comment beside it), never copied from the engine's output.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from breachrules import Engine, load_incident
from breachrules.law.calendars import add_months, due_at
from breachrules.law.ruleset import Counting, Deadline

from .conftest import EXAMPLE_LAW, incident_doc, law_problems

JST = timezone(timedelta(hours=9))
EST = timezone(timedelta(hours=-5))


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


# --- counting days ----------------------------------------------------------------------


def test_first_day_excluded_ends_at_the_end_of_the_last_day() -> None:
    """Japan Civil Code Arts. 140-141: 30 days from 1 April leave 1 April out (day 1 is
    2 April), so day 30 is 1 May, ending at its end."""
    d = Deadline(text="", days=30, counting=Counting(first_day="excluded"))
    assert due_at(d, _at("2026-04-01T10:00:00+09:00"), JST) == _at("2026-05-01T23:59:59+09:00")


def test_first_day_included_ends_a_day_earlier() -> None:
    """A law that counts the day of the event as day 1: 1 April is day 1, day 30 is
    30 April."""
    d = Deadline(text="", days=30, counting=Counting(first_day="included"))
    assert due_at(d, _at("2026-04-01T10:00:00+09:00"), JST) == _at("2026-04-30T23:59:59+09:00")


def test_same_clock_time() -> None:
    """A period that ends at the same clock time: 10 days from 2 March 14:30 end on
    12 March 14:30, not at 23:59:59."""
    d = Deadline(text="", days=10, counting=Counting(ends="same_time"))
    assert due_at(d, _at("2026-03-02T14:30:00-05:00"), EST) == _at("2026-03-12T14:30:00-05:00")


def test_business_days_with_the_first_day_included() -> None:
    """Monday 2 March 2026 counted as business day 1: day 3 is Wednesday 4 March; with the
    first day left out, day 3 is Thursday 5 March."""
    anchor = _at("2026-03-02T09:00:00-05:00")
    included = Deadline(text="", days=3, business_days=True, counting=Counting("included"))
    excluded = Deadline(text="", days=3, business_days=True)
    assert due_at(included, anchor, EST) == _at("2026-03-04T23:59:59-05:00")
    assert due_at(excluded, anchor, EST) == _at("2026-03-05T23:59:59-05:00")


def test_hours_ignore_the_day_convention() -> None:
    """Hours run from the exact moment whatever the law's day convention: 72 hours from
    2 March 14:30 are 5 March 14:30."""
    d = Deadline(text="", hours=72, counting=Counting(first_day="included"))
    assert due_at(d, _at("2026-03-02T14:30:00-05:00"), EST) == _at("2026-03-05T14:30:00-05:00")


# --- calendar months --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 3, 15), 1, date(2026, 4, 15)),  # the same date a month on
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # February 2026 has no 31st: its last day
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # 2028 is a leap year
        (date(2026, 12, 31), 1, date(2027, 1, 31)),  # across the year end
        (date(2026, 8, 31), 3, date(2026, 11, 30)),  # November has 30 days
    ],
)
def test_add_months_end_of_month(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_one_month_ends_at_the_end_of_the_same_date() -> None:
    """Regulation 1182/71 Art. 3(2)(c): one month from 14 March ends with the last hour of
    14 April; from 31 January with the last hour of 28 February (2026)."""
    d = Deadline(text="", months=1)
    assert due_at(d, _at("2026-03-14T09:00:00+01:00"), timezone(timedelta(hours=1))) == _at(
        "2026-04-14T23:59:59+01:00"
    )
    assert due_at(d, _at("2026-01-31T09:00:00+01:00"), timezone(timedelta(hours=1))) == _at(
        "2026-02-28T23:59:59+01:00"
    )


def test_one_month_with_the_first_day_included_or_at_the_same_time() -> None:
    """Counting 14 March as day 1, one month ends on 13 April; at the same clock time it
    ends on 14 April 09:00."""
    tz = timezone(timedelta(hours=1))
    anchor = _at("2026-03-14T09:00:00+01:00")
    included = Deadline(text="", months=1, counting=Counting(first_day="included"))
    same = Deadline(text="", months=1, counting=Counting(ends="same_time"))
    assert due_at(included, anchor, tz) == _at("2026-04-13T23:59:59+01:00")
    assert due_at(same, anchor, tz) == _at("2026-04-14T09:00:00+01:00")


def test_business_days_follow_the_countrys_own_weekend() -> None:
    """Egypt's weekend is Friday and Saturday: three working days after Tuesday 3 March
    2026 are Wednesday 4, Thursday 5 and Sunday 8; on the US calendar, 4, 5 and Friday 6."""
    tue = _at("2026-03-03T12:00:00+02:00")
    tz = timezone(timedelta(hours=2))
    three = Deadline(text="", days=3, business_days=True)
    assert due_at(three, tue, tz, ("EG", None)) == _at("2026-03-08T23:59:59+02:00")
    assert due_at(three, tue, tz, ("US", None)) == _at("2026-03-06T23:59:59+02:00")


# --- a law with the new clock features, end to end ---------------------------------------

LAW = (
    EXAMPLE_LAW
    + """
counting:
  first_day: excluded
  ends: end_of_day
  citation: Ex. Civil Code Arts. 1-2
obligations:
  - id: notify-individuals
    citation: Ex. Act s. 3
    recipient: individuals
    by: owner
    deadline:
      text: within 45 days of the determination
      from: breach_determination
      days: 45
      if_unknown: {from: [owner_awareness, discovery], text: it cannot precede awareness}
    law_enforcement_delay: {citation: Ex. Act s. 3(2), ends: after, days: 7}
  - id: notify-regulator
    citation: Ex. Act s. 4
    recipient: regulator
    by: owner
    deadline: {text: within 30 days, from: discovery, days: 30}
    law_enforcement_delay: {citation: Ex. Act s. 4(2), ends: restart}
  - id: notify-media
    citation: Ex. Act s. 5
    recipient: media
    by: owner
    deadline: {text: within 30 days, from: discovery, days: 30}
    law_enforcement_delay: Ex. Act s. 5(2)
  - id: final-report
    citation: Ex. Act s. 6
    recipient: regulator
    by: owner
    deadline:
      text: one month after the regulator's notice is sent
      from: "sent:notify-regulator"
      months: 1
      if_unknown: {from: discovery, text: the notice cannot be sent before discovery}
  - id: notify-owner
    citation: Ex. Act s. 7
    recipient: data_owner
    by: breached_party
    deadline:
      text: within 10 days of the agent's determination
      from: agent_determination
      days: 10
"""
)


@pytest.fixture(scope="module")
def law(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    folder: Path = tmp_path_factory.mktemp("clocks")
    (folder / "xx.yaml").write_text(LAW)
    return Engine(paths=[folder], bundled=False, backend="python")


def _doc(**overrides: Any) -> dict[str, Any]:
    doc = incident_doc(**overrides)
    doc["exposures"][0]["residents"] = {"XX": 10}
    return doc


def _obligations(engine: Engine, doc: dict[str, Any]) -> dict[str, Any]:
    return {o.id.split(":", 1)[1]: o for o in engine.assess(load_incident(doc)).obligations}


def test_unknown_determination_gives_the_earliest_lawful_date(law: Engine) -> None:
    """The determination is unknown: the 45 days run from awareness, the earliest moment
    it could be (2 March + 45 days = 16 April), with a reason saying so, and the fact is
    still asked for."""
    o = _obligations(law, _doc())["notify-individuals"]
    assert o.due == _at("2026-04-16T23:59:59-05:00")
    assert "breach_determined_at" in o.missing_facts
    assert any("earliest lawful due date" in r.text for r in o.reasons)


def test_known_determination_runs_the_clock(law: Engine) -> None:
    """Determined on 10 March: 10 March + 45 days = 24 April, and nothing is missing."""
    o = _obligations(law, _doc(breach_determined_at="2026-03-10T12:00:00-05:00"))
    ob = o["notify-individuals"]
    assert ob.due == _at("2026-04-24T23:59:59-05:00")
    assert "breach_determined_at" not in ob.missing_facts
    assert not any("earliest lawful" in r.text for r in ob.reasons)


def test_a_stage_runs_from_the_sending_of_another(law: Engine) -> None:
    """Not yet recorded as sent: one month from discovery (2 March -> 2 April), the
    earliest lawful date. Sent on 20 March: one month later, 20 April."""
    unsent = _obligations(law, _doc())["final-report"]
    assert unsent.due == _at("2026-04-02T23:59:59-05:00")
    assert "notices_sent.XX:notify-regulator" in unsent.missing_facts
    sent = _obligations(
        law, _doc(notices_sent={"XX:notify-regulator": "2026-03-20T10:00:00-05:00"})
    )["final-report"]
    assert sent.due == _at("2026-04-20T23:59:59-05:00")
    assert sent.deadline.months == 1
    assert "notices_sent.XX:notify-regulator" not in sent.missing_facts


def test_the_agents_own_determination(law: Engine) -> None:
    """A processor's 10 days run from its own determination (12 March -> 22 March); unknown,
    the due date is null and the fact is named."""
    provider = {"id": "proc", "data_role": "service_provider", "serves": "acme"}
    doc = _doc(breached_party="proc")
    doc["parties"].append(provider)
    ob = _obligations(law, doc)["notify-owner"]
    assert ob.due is None and "parties[1].determined_at" in ob.missing_facts
    doc["parties"][1]["determined_at"] = "2026-03-12T08:00:00-05:00"
    assert _obligations(law, doc)["notify-owner"].due == _at("2026-03-22T23:59:59-05:00")


DELAY = {"delay_requested_until": "2026-05-10T12:00:00-05:00"}


def test_each_law_ends_its_delay_its_own_way(law: Engine) -> None:
    """Delay until 10 May 12:00 (after every original date):
    - `after`, 7 days: 10 May + 7 = 17 May, end of day;
    - `restart`: the 30 days again from 10 May = 9 June, end of day;
    - a citation alone: due when the delay ends, 10 May 12:00."""
    o = _obligations(law, _doc(law_enforcement=DELAY))
    assert o["notify-individuals"].due == _at("2026-05-17T23:59:59-05:00")
    assert o["notify-regulator"].due == _at("2026-06-09T23:59:59-05:00")
    assert o["notify-media"].due == _at("2026-05-10T12:00:00-05:00")
    assert any("within 7 days" in r.text for r in o["notify-individuals"].reasons)
    assert any("runs again" in r.text for r in o["notify-regulator"].reasons)


def test_a_delay_that_ends_before_the_due_date(law: Engine) -> None:
    """Delay until 5 March, before every original date: the restarted and plain delays
    leave their dates as counted (regulator: 2 March + 30 days = 1 April; media the same),
    but a law that gives 7 days after the agency's word gives them whenever the notice was
    delayed, and 5 March + 7 = 12 March is earlier than 16 April."""
    early = {"delay_requested_until": "2026-03-05T12:00:00-05:00"}
    o = _obligations(law, _doc(law_enforcement=early))
    assert o["notify-regulator"].due == _at("2026-04-01T23:59:59-05:00")
    assert o["notify-media"].due == _at("2026-04-01T23:59:59-05:00")
    assert o["notify-individuals"].due == _at("2026-03-12T23:59:59-05:00")


def test_the_declared_convention_is_reported(law: Engine) -> None:
    o = _obligations(law, _doc())["notify-regulator"]
    assert o.deadline.counting == {
        "first_day": "excluded",
        "ends": "end_of_day",
        "citation": "Ex. Civil Code Arts. 1-2",
    }
    doc = law.assess(load_incident(_doc())).to_dict()
    media = next(x for x in doc["obligations"] if x["id"] == "XX:notify-media")
    assert media["deadline"]["counting"]["citation"] == "Ex. Civil Code Arts. 1-2"
    assert "months" not in media["deadline"]  # written only when the law sets one


def test_a_delay_counted_in_business_days(tmp_path: Path) -> None:
    """`business_days: true` on the delay counts the period after the agency's word on the
    ruleset's calendar (Maine's "7 business days after a law enforcement agency
    determines", 10 M.R.S. § 1348(3)). Agency's word Friday 8 May 2026 (US calendar, no
    holiday until Memorial Day 25 May): 11-15 May are 5 business days, 18 and 19 May make 7,
    so due at the end of 19 May; in calendar days it would be 15 May."""
    text = LAW.replace(
        "ends: after, days: 7}", "ends: after, days: 7, business_days: true}"
    ).replace("counting:\n", "holidays: {country: US}\ncounting:\n", 1)
    (tmp_path / "xx.yaml").write_text(text)
    engine = Engine(paths=[tmp_path], bundled=False, backend="python")
    word = {"delay_requested_until": "2026-05-08T12:00:00-05:00"}
    ob = _obligations(engine, _doc(law_enforcement=word))["notify-individuals"]
    assert ob.due == _at("2026-05-19T23:59:59-05:00")
    assert any("within 7 business days" in r.text for r in ob.reasons)


def test_a_clock_from_another_laws_notice_as_sent(tmp_path: Path) -> None:
    """`from: "sent:<CODE>:<id>"` runs from another ruleset's notice as the incident records
    it (New York's copy to the Attorney General runs from the HIPAA notice to the
    Secretary, N.Y. Gen. Bus. Law § 899-aa(9)). Not recorded: no date, the fact named.
    Sent Friday 20 March: 7 days later, 27 March."""
    text = LAW.replace(
        "    deadline: {text: within 30 days, from: discovery, days: 30}\n"
        "    law_enforcement_delay: Ex. Act s. 5(2)",
        '    deadline: {text: within 7 days, from: "sent:YY:notify-agency", days: 7}',
    )
    (tmp_path / "xx.yaml").write_text(text)
    engine = Engine(paths=[tmp_path], bundled=False, backend="python")
    media = _obligations(engine, _doc())["notify-media"]
    assert media.due is None and media.missing_facts == ("notices_sent.YY:notify-agency",)
    sent = {"YY:notify-agency": "2026-03-20T10:00:00-05:00"}
    media = _obligations(engine, _doc(notices_sent=sent))["notify-media"]
    assert media.due == _at("2026-03-27T23:59:59-05:00")


def test_every_other_laws_notice_named_by_a_bundled_clock_exists(engine: Engine) -> None:
    """A qualified `sent:` name is checked here, against every bundled ruleset, because
    the loader sees one file at a time."""
    obligations = [ob for r in engine.rulesets for law in r.laws for ob in law.obligations]
    known = {ob.rule.id for ob in obligations}
    named = {
        ob.deadline.sent_of
        for ob in obligations
        if ob.deadline.sent_of and ":" in ob.deadline.sent_of
    }
    assert named, "US-NY names US-HIPAA's notice to the Secretary"
    assert named <= known, named - known


def test_a_misspelt_notice_sent_is_a_warning_with_the_near_miss(engine: Engine) -> None:
    """A `notices_sent` key no loaded ruleset has would leave every clock that runs from it
    undated, silently: it is a warning naming the near miss."""
    doc = incident_doc(notices_sent={"EG:notify-centre": "2026-03-03T10:00:00-05:00"})
    warnings = engine.assess(load_incident(doc)).warnings
    assert any("EG:notify-centre" in w and "'EG:notify-center'" in w for w in warnings)
    doc = incident_doc(notices_sent={"EG:notify-center": "2026-03-03T10:00:00-05:00"})
    assert not any("notices_sent" in w for w in engine.assess(load_incident(doc)).warnings)


@pytest.mark.parametrize(
    ("name", "code", "says"),
    [
        ("US-HIPAA:notify-secretary", 0, ""),
        ("US-HIPAA:notify-secretry", 2, "did you mean 'sent:US-HIPAA:notify-secretary'?"),
        ("ZZ-NONE:notify", 0, "warning: "),
    ],
)
def test_validate_checks_another_laws_notice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, code: int, says: str
) -> None:
    """`validate` checks a `sent:<CODE>:<id>` name against the bundled rulesets: a missing
    obligation of a known code is an error with the near miss, an unknown code a warning."""
    from breachrules.cli import main

    text = LAW.replace(
        "    deadline: {text: within 30 days, from: discovery, days: 30}\n"
        "    law_enforcement_delay: Ex. Act s. 5(2)",
        f'    deadline: {{text: within 7 days, from: "sent:{name}", days: 7}}',
    )
    (tmp_path / "xx.yaml").write_text(text)
    assert main(["validate", str(tmp_path)]) == code
    err = capsys.readouterr().err
    # (the law's notice to a public body has no directory entry: a warning of its own)
    err = "".join(
        line for line in err.splitlines(True) if "no regulator directory entry" not in line
    )
    assert says in err if says else err == ""


# --- checks at load ---------------------------------------------------------------------


def _problems(tmp_path: Path, old: str, new: str) -> list[str]:
    return law_problems(tmp_path, LAW, old, new)


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("      months: 1\n", "      months: 1\n      days: 3\n", "one of days, hours or months"),
        ("  ends: end_of_day\n", "  ends: sometime\n", "sometime"),
        ("ends: after, days: 7}", "ends: after}", "ends: after needs"),
        ("ends: restart}", "ends: restart, days: 3}", "not restart"),
        ("ends: after, days: 7}", "ends: after, days: 7, business_days: true}", "holiday calendar"),
        ('"sent:notify-regulator"', '"sent:notify-regulater"', "sent:notify-regulator"),
        ("from: [owner_awareness, discovery]", "from: [notice_to_individuals]", "cannot stand"),
        ('"sent:notify-regulator"', '"obligation:notify-regulator"', "has its own"),
        ('"sent:notify-regulator"', '"sent:us-hipaa:notify"', "sent:<CODE>:<obligation-id>"),
        ("from: breach_determination", "from: occurrence", "nothing stands in for an unknown"),
    ],
)
def test_bad_clock_keys_are_reported_with_their_line(
    tmp_path: Path, old: str, new: str, says: str
) -> None:
    problems = _problems(tmp_path, old, new)
    assert problems and all(p.split(":", 1)[0].isdigit() for p in problems)
    assert any(says in p for p in problems), problems


def test_first_day_included_with_same_time_is_rejected(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        "  first_day: excluded\n  ends: end_of_day\n",
        "  first_day: included\n  ends: same_time\n",
    )
    assert any("first_day: included needs ends: end_of_day" in p for p in problems)


def test_counting_on_an_hours_clock_is_rejected(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        "{text: within 30 days, from: discovery, days: 30}\n    law_enforcement_delay: {",
        "{text: within 30 hours, from: discovery, hours: 30, counting: {first_day: included}}\n"
        "    law_enforcement_delay: {",
    )
    assert any("a period in hours runs from" in p for p in problems)


def test_explain_names_the_month_and_the_convention(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`explain` shows a period in months, and the law's counting with its citation."""
    import json

    from breachrules.cli import main

    (tmp_path / "laws").mkdir()
    (tmp_path / "laws" / "xx.yaml").write_text(LAW)
    (tmp_path / "i.json").write_text(json.dumps(_doc()))
    args = ["--rulesets", str(tmp_path / "laws"), "explain", str(tmp_path / "i.json")]
    assert main([*args, "XX:final-report"]) == 0
    out = " ".join(capsys.readouterr().out.split())  # explain wraps to the terminal
    assert "(1 calendar month, first day excluded, ending at the end of the last day" in out
    assert "[Ex. Civil Code Arts. 1-2]" in out


def test_the_length_of_every_month_is_the_calendars() -> None:
    """``add_months`` counts a month's days itself (``calendar`` imports ``locale``, about
    a millisecond of every assessment): the same as ``calendar.monthrange`` for every
    month of every year a date can have."""
    import calendar

    from breachrules.law.calendars import _days_in_month

    for year in range(1, 10000):
        for month in range(1, 13):
            assert _days_in_month(year, month) == calendar.monthrange(year, month)[1]
    assert add_months(date(9999, 11, 30), 1) == date(9999, 12, 30)
