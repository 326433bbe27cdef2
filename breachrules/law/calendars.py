"""Clock anchors and due dates: calendar days, hours and business days with holidays.

Conventions (documented in docs/deadlines.md):

- A period in **hours** runs from the anchor's exact moment: 72 hours after
  2026-03-02T14:30-05:00 is 2026-03-05T14:30-05:00.
- A period in **calendar days** ends at the last second of the last day: "within 30
  days of discovery" on 2026-03-02 is due 2026-04-01T23:59:59 in the incident's offset.
- A period of **0 days** ("contemporaneously with the notice to individuals") is the
  anchor's own moment.
- A period in **business days** skips the weekend and the public holidays of the
  ruleset's calendar (the ``holidays`` library, which also gives each country's weekend:
  Friday and Saturday in Egypt); the obligation records which calendar.
- A period in **months** ends on the same date N months on, or on the last day of that
  month when it has no such date (31 January + 1 month: the end of 28 or 29 February).
- Each law's own way of counting (``counting:``, :class:`~breachrules.law.ruleset.Counting`)
  can count the day of the event as day 1 (``first_day: included``: 30 days from 1 April
  end on 30 April) or end at the same clock time instead of the end of the day.
- Days are counted in the UTC offset of ``discovered_at`` (where the party that must act
  counts them) and, when the ruleset names one, in its ``time_zone`` too (an IANA zone,
  daylight saving time included: where the law's days begin and end); the earlier end is
  due, in the UTC offset of ``discovered_at`` or, when the law's day ends first, in the
  law's own offset on that day. The same incident gives the same due
  dates on every machine (the zone database is the ``tzdata`` package's where the system
  has none).
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache

from breachrules.law.cache import Codec, default_cache
from breachrules.law.ruleset import Deadline

__all__ = [
    "add_business_days",
    "add_months",
    "calendar_label",
    "due_at",
    "end_of_day",
    "is_business_day",
    "zone_of",
]


_DATES = Codec([])


@lru_cache(maxsize=64)
def _calendar(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    """The public holidays of ``year`` and the next in one calendar.

    Kept in the compiled-law cache (:mod:`breachrules.law.cache`, whose fingerprint
    includes the holidays release): the holidays library imports every one of its 250
    countries' modules to give one calendar, which cost a command-line call more than
    the whole assessment.
    """
    key = hashlib.sha256(f"{country}\0{subdivision or ''}\0{year}".encode()).hexdigest()
    store = default_cache()
    cached = store.get("calendar", key, _DATES)
    if isinstance(cached, tuple) and all(type(d) is date for d in cached):
        return frozenset(cached)
    import holidays

    found = holidays.country_holidays(country, subdiv=subdivision, years=[year, year + 1])
    days = tuple(sorted(found))
    store.put("calendar", key, days, _DATES)
    return frozenset(days)


def calendar_label(calendar: tuple[str, str | None] | None) -> str | None:
    """``"US"`` or ``"US-CA"``: how an obligation names the holiday calendar it used."""
    if calendar is None:
        return None
    country, sub = calendar
    return f"{country}-{sub}" if sub else country


#: Saturday and Sunday (``date.weekday()`` numbers), the weekend where no calendar is named.
_SAT_SUN = frozenset({5, 6})


@lru_cache(maxsize=64)
def _weekend(country: str) -> frozenset[int]:
    """The days of the week that are not working days in ``country`` (its ``holidays``
    calendar's ``weekend``: Friday and Saturday in Egypt, Israel and Saudi Arabia), kept in
    the compiled-law cache beside the holidays so the library is imported only once."""
    store = default_cache()
    cached = store.get("weekend", hashlib.sha256(country.encode()).hexdigest(), _DATES)
    if isinstance(cached, tuple) and cached and all(type(d) is int for d in cached):
        return frozenset(cached)
    import holidays

    days = tuple(sorted(holidays.country_holidays(country).weekend)) or (5, 6)
    store.put("weekend", hashlib.sha256(country.encode()).hexdigest(), days, _DATES)
    return frozenset(days)


def is_business_day(day: date, calendar: tuple[str, str | None] | None) -> bool:
    """Not a weekend day and not a public holiday of ``calendar``: the weekend is the
    country's own (Friday and Saturday in Egypt); with no calendar, Saturday and Sunday."""
    if calendar is None:
        return day.weekday() not in _SAT_SUN
    if day.weekday() in _weekend(calendar[0]):
        return False
    return day not in _calendar(calendar[0], calendar[1], day.year)


@lru_cache(maxsize=4096)
def add_business_days(start: date, count: int, calendar: tuple[str, str | None] | None) -> date:
    """The ``count``-th business day after ``start`` (``start`` itself never counts).

    Cached: a multistate assessment asks the same question of the same calendar many
    times, and a holiday lookup costs microseconds."""
    day = start
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        if is_business_day(day, calendar):
            remaining -= 1
    return day


def add_months(day: date, months: int) -> date:
    """The same date ``months`` calendar months on, or that month's last day when it has
    no such date (31 January + 1 month is 28 or 29 February): the end-of-month rule of
    Regulation (EEC, Euratom) No 1182/71 Art. 3(2)(c) and of Japan's Civil Code Art. 143(2)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, _days_in_month(year, month)))


def _days_in_month(year: int, month: int) -> int:
    """How many days ``month`` of ``year`` has (what ``calendar.monthrange`` gives, without
    importing ``calendar`` and ``locale`` into every assessment: about 1 ms a call)."""
    if month == 12:  # never the first of a year after 9999
        return 31
    return (date(year, month + 1, 1) - timedelta(days=1)).day


@lru_cache(maxsize=256)
def zone_of(name: str) -> tzinfo | None:
    """The IANA time zone ``name`` (``America/Chicago``), or None when there is no such
    zone. Imports :mod:`zoneinfo` only when a ruleset names a zone."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def end_of_day(day: date, tz: tzinfo | None) -> datetime:
    """The last whole second of ``day`` in ``tz``."""
    return datetime.combine(day, _LAST_SECOND, tzinfo=tz)


_LAST_SECOND = time(23, 59, 59)


def due_at(
    deadline: Deadline,
    anchor: datetime,
    tz: tzinfo | None,
    calendar: tuple[str, str | None] | None = None,
    zone: str | None = None,
) -> datetime | None:
    """The latest lawful moment for ``deadline`` counted from ``anchor``; None if no period.

    Hours run from the anchor's exact moment. Days and months follow the deadline's
    ``counting``: the day of the anchor is left out (day 1 is the next day) unless the law
    counts it, and the period ends at the end of its last day unless the law ends it at
    the anchor's own clock time.

    ``zone`` is the ruleset's ``time_zone``, where the law's days begin and end. The
    incident's offset ``tz`` is where the party that must act counts its days. The period
    is counted in both and the earlier end is due, given in ``tz``: a notice sent by then
    is on time wherever the day is reckoned (a Tokyo law's day ends before a New York
    reporter's; a New York reporter's before a California law's). When the law's end comes
    first it is given in the law's own offset on that day (``23:59:59-04:00`` in New York
    in April, though discovery was in winter time): the end of the law's day, as read."""
    own = _due_at(deadline, anchor, tz, calendar)
    if zone is None or own is None or deadline.hours is not None:
        return own
    law_tz = zone_of(zone)
    if law_tz is None:
        return own
    law = _due_at(deadline, anchor, law_tz, calendar)
    if law is None or own < law or (own == law and own.utcoffset() == anchor.utcoffset()):
        return own
    # The law's end (or the same moment, "with the notice", kept as its anchor reads).
    return law.astimezone(timezone(law.utcoffset() or timedelta(0)))


def _due_at(
    deadline: Deadline,
    anchor: datetime,
    tz: tzinfo | None,
    calendar: tuple[str, str | None] | None,
) -> datetime | None:
    local = anchor.astimezone(tz)
    if deadline.hours is not None:
        return local + timedelta(hours=deadline.hours)
    same_time = deadline.counting.ends == "same_time"
    # With the first day included, day 1 is the anchor's own day: count from the day before.
    start = local.date()
    if deadline.counting.first_day == "included":
        start -= timedelta(days=1)
    if deadline.months is not None:
        if same_time:
            return datetime.combine(add_months(local.date(), deadline.months), local.timetz())
        return end_of_day(add_months(local.date(), deadline.months) - (local.date() - start), tz)
    if deadline.days is None:
        return None
    if deadline.days == 0:
        return local  # "contemporaneously with" / "with the notice": the anchor's own moment
    if deadline.business_days:
        last = add_business_days(start, deadline.days, calendar)
    else:
        last = start + timedelta(days=deadline.days)
    if same_time:
        return datetime.combine(last, local.timetz())
    return end_of_day(last, tz)
