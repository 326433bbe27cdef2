"""Retention periods, read from a ruleset's own words and never invented.

A law that lets an entity rely on an exception often attaches a duty to keep the record
("documented in writing and retained for five years", N.J.S.A. 56:8-163(a)); others require
a record of every breach kept for a period (SOR/2018-64 s. 6: 24 months). Rulesets state
these in the exception's ``duty`` or the record-keeping obligation's deadline text, and the
assessment carries that text. :func:`retention_period` reads the period from those words
only; where they state none, there is none to report.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from breachrules.model.timestamps import parse_timestamp

__all__ = ["add_period", "duties", "retention", "retention_period"]

_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_NUMBERS |= {"eight": 8, "nine": 9, "ten": 10}
_PERIOD = re.compile(
    r"\b(?:retain\w*|kept|keep\w*|maintain\w*|record\w*)\b[^.;]*?"
    r"\b(?:(?:for|of)\s+)?(?:at\s+least\s+|a\s+(?:minimum|period)\s+of\s+)?"
    r"(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten)[\s-]+(year|month)s?\b",
    re.IGNORECASE,
)


def retention_period(text: str) -> tuple[int, str] | None:
    """The retention period a ruleset's words state: ``(5, "year")`` for "retained for five
    years", ``(24, "month")`` for "retain it for 24 months"; None when the words state
    none (nothing is guessed)."""
    m = _PERIOD.search(text)
    if m is None:
        return None
    word = m.group(1).lower()
    return (int(word) if word.isdigit() else _NUMBERS[word], m.group(2).lower())


def add_period(day: date, count: int, unit: str) -> date:
    months = count * (12 if unit == "year" else 1)
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def retention(
    texts: Iterable[tuple[str, str | None]], anchors: Iterable[str | None]
) -> tuple[str | None, str | None, str | None]:
    for text, citation in texts:
        period = retention_period(text)
        if period is None:
            continue
        known = [parse_timestamp(a) for a in anchors if a]
        until = None
        if known:
            start = max(known).date()
            until = add_period(start, *period).isoformat()
        return text, citation, until
    return None, None, None


_RELIED = re.compile(r":\s*(applies|met)\b")


def duties(reasons: Iterable[Mapping[str, Any]]) -> list[tuple[str, str | None]]:
    """The duties (text, citation) of the exceptions that ``reasons`` say were relied on:
    the rule "applies" or is "met". A duty of an exception that only may apply, or that a
    presumption puts on the entity to show, binds nobody yet."""
    out = []
    for r in reasons:
        text = str(r.get("text") or "")
        if "duty:" not in text:
            continue
        before, duty = text.split("duty:", 1)
        if _RELIED.search(before) and "not met" not in before:
            out.append((duty.strip(), r.get("citation")))
    return out
