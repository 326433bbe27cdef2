"""How the contract writes a moment: ISO 8601 with a UTC offset, never naive.

Every layer reads and writes timestamps (the incident's facts, due dates, audit events,
plans), so the two functions live at the bottom, beside the facts they describe.

A moment must also lie in a sane range (:data:`EARLIEST` to :data:`LATEST`): a deadline
is counted forward from it, and ``9999-12-31`` plus thirty days is no date Python can
hold; ``0001-01-01T00:00:00Z`` is how some platforms (Cortex XSOAR among them) write a
date that was never set, and must not be read as a real one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

__all__ = [
    "EARLIEST",
    "LATEST",
    "check_moment",
    "date_problem",
    "format_timestamp",
    "hinting_in",
    "in_offset_of",
    "kind_of",
    "offset_name",
    "parse_timestamp",
]

#: The earliest and latest moments an input may name (inclusive).
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2199, 12, 31, 23, 59, 59, tzinfo=UTC)


def kind_of(value: object) -> str:
    """A value's JSON kind in a user's words ("a string", "a number", ...), for messages."""
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def check_moment(value: datetime, text: str | None = None) -> datetime:
    """``value`` if it has a UTC offset and lies between EARLIEST and LATEST; else ValueError."""
    shown = text if text is not None else value.isoformat()
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{shown!r} has no UTC offset (a naive time is never read as local)")
    try:
        inside = EARLIEST <= value <= LATEST
    except OverflowError:  # pragma: no cover - an offset pushing year 1 or 9999 out of range
        inside = False
    if not inside:
        unset = " (0001-01-01 is how some platforms write an unset date: leave it out or null)"
        raise ValueError(
            f"{shown!r} is outside the supported range {format_timestamp(EARLIEST)} to "
            f"{format_timestamp(LATEST)}" + (unset if value.year == 1 else "")
        )
    return value


_YMD = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _impossible(written: str, rest: str = "") -> str | None:
    """Why the ``YYYY-MM-DD`` date ``written`` is no day of the calendar (None if it is
    one), with the near miss: the same text with the month's last (or first) day."""
    import calendar  # only when a date is wrong

    year, month, day = (int(part) for part in written.split("-"))
    if year < 1:
        return "there is no year 0000 (years start at 0001)"
    if not 1 <= month <= 12:
        return f"there is no month {month:02d} (01 to 12)"
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        near = f"{year:04d}-{month:02d}-{min(max(day, 1), last):02d}{rest}"
        return f"{calendar.month_name[month]} {year} has {last} days; did you mean {near!r}?"
    return None


def date_problem(value: object) -> str | None:
    """Why ``value`` is not a calendar date written ``YYYY-MM-DD``, in a user's words with
    the near miss (``'2025-02-30'``: February 2025 has 28 days, did you mean
    ``'2025-02-28'``?); None when it is one. A ruleset's dates and the date part of a
    timestamp are both judged here, so an impossible day is refused the same way in each."""
    if isinstance(value, date):  # a YAML loader that reads dates itself
        return None
    if not isinstance(value, str):
        return f"expected a date (YYYY-MM-DD), got {kind_of(value)}"
    if _YMD.fullmatch(value) is None:
        return f"{value!r} is not a date (YYYY-MM-DD)"
    wrong = _impossible(value)
    return f"{value!r} is not a date: {wrong}" if wrong else None


def parse_timestamp(value: object) -> datetime:
    """Parse an ISO 8601 timestamp that carries a UTC offset and lies in the sane range."""
    if not isinstance(value, str):
        raise TypeError(f"expected an ISO 8601 timestamp string, got {kind_of(value)}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        day = _YMD.match(value)
        wrong = _impossible(day.group(0), value[day.end() :]) if day is not None else None
        if wrong is not None:  # an impossible day (2026-02-30): say which, with the near miss
            raise ValueError(f"{value!r} is not a moment: {wrong}") from None
        raise ValueError(f"{value!r} is not an ISO 8601 timestamp") from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        # Suggest the full form: a date alone needs a time before its offset
        # (2026-04-01T00:00:00Z, never 2026-04-01Z).
        full = parsed.isoformat()
        zone, offset = _HINT_ZONE.get(), _hint_offset(parsed)
        example = (
            f"{full}{offset} ({zone}'s offset then) or {full}Z"
            if offset is not None
            else f"{full}Z or {full}-05:00"
        )
        raise ValueError(
            f"{value!r} has no UTC offset; write it as e.g. {example} "
            "(a naive timestamp is never read as local time)"
        )
    return check_moment(parsed, value)


#: The IANA zone of the document being read (its ``time_zone``), for the hint a timestamp
#: without an offset is given: the offset that clock had, not a stranger's.
_HINT_ZONE: ContextVar[str | None] = ContextVar("hint_zone", default=None)


@contextmanager
def hinting_in(zone: object) -> Iterator[None]:
    """Within this block, a timestamp with no UTC offset is told the offset of ``zone``
    (an incident's ``time_zone``; anything not a zone name is ignored)."""
    token = _HINT_ZONE.set(zone if isinstance(zone, str) and zone else None)
    try:
        yield
    finally:
        _HINT_ZONE.reset(token)


def _hint_offset(naive: datetime) -> str | None:
    """The UTC offset (``+01:00``) the hinting zone had at ``naive``'s wall-clock time."""
    name = _HINT_ZONE.get()
    if name is None:
        return None
    try:
        text = naive.replace(tzinfo=ZoneInfo(name)).strftime("%z")
    except (KeyError, ValueError, OSError):  # not a zone: the general hint
        return None
    return f"{text[:3]}:{text[3:]}" if text else None


def format_timestamp(value: datetime) -> str:
    """ISO 8601 with the offset kept, ``Z``-free and second precision when possible."""
    return value.isoformat()


def in_offset_of(moment: datetime, reference: datetime) -> datetime:
    """``moment`` in ``reference``'s UTC offset: the one reckoning a table shows every due
    time in (the incident's, that of the moment of assessment), whatever zone each law's
    own day ended in."""
    return moment.astimezone(reference.tzinfo)


def offset_name(reference: datetime) -> str:
    """``reference``'s UTC offset in words: ``UTC-05:00``, ``UTC+09:00``, ``UTC``."""
    text = reference.strftime("%z")
    return "UTC" if text in ("+0000", "") else f"UTC{text[:3]}:{text[3:]}"
