"""What every importer shares: the result type, place codes and partial dates.

Importers translate someone else's record into the incident document of CONTRACT
section 1. They are lossy but explicit: every field they fill is traced to the source
path it came from (``provenance``), every assumption is written into the incident's
``extensions``, and a record that cannot honestly fill a required field is refused with a
reason instead of being completed by guesswork.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from breachrules.errors import InvalidIncident
from breachrules.io.serde import load_incident
from breachrules.model.places import COUNTRIES, PLACES

__all__ = [
    "EXTENSION_KEY",
    "US_STATES",
    "ImportResult",
    "PartialDate",
    "Refusal",
    "place_code",
    "slug",
    "validated",
]

#: Key under the incident's ``extensions`` where importers record what they did.
EXTENSION_KEY = "breachrules_import"


@dataclass(frozen=True)
class ImportResult:
    """One source record, imported or refused.

    Exactly one of ``incident`` and ``reason`` is set. ``incident`` is a dict that
    :func:`breachrules.load_incident` accepts; ``provenance`` maps each contract field
    path the importer filled to the source path it was read from, or ``"default"`` when
    the importer supplied it (the assumption is then explained under
    ``extensions.breachrules_import.assumptions``). ``code`` is a short, stable word for
    the refusal reason so that summaries can count refusals by kind.
    """

    source: str
    incident: dict[str, Any] | None = None
    provenance: dict[str, str] = field(default_factory=dict)
    reason: str | None = None
    code: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the record was imported (rather than refused)."""
        return self.incident is not None

    @classmethod
    def refuse(cls, source: str, code: str, reason: str) -> ImportResult:
        """A refusal: ``code`` is a short word for summaries, ``reason`` says why in full."""
        return cls(source=source, reason=reason, code=code)


class Refusal(Exception):
    """Raised inside an importer when a required contract field cannot be filled."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def validated(source: str, incident: dict[str, Any], provenance: dict[str, str]) -> ImportResult:
    """Check the produced document with ``load_incident`` before handing it out.

    An importer that produces an invalid document has a bug; refusing (code
    ``invalid-output``) with the validator's field paths makes that visible instead of
    passing a broken document to the host.
    """
    try:
        load_incident(incident)
    except InvalidIncident as exc:
        detail = "; ".join(f"{p.path}: {p.reason}" for p in exc.problems)
        return ImportResult.refuse(
            source, "invalid-output", f"the importer produced an invalid incident: {detail}"
        )
    return ImportResult(source=source, incident=incident, provenance=dict(provenance))


def slug(text: str, fallback: str) -> str:
    """A lower-case identifier for a party id, from a free-text name."""
    value = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return value[:60] or fallback


#: USPS codes of the states, the District and the territories (ISO 3166-2:US suffixes),
#: with their names, so that free text such as "California" or "D.C" can be read.
US_STATES: dict[str, str] = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
    "PR": "Puerto Rico",
    "GU": "Guam",
    "VI": "Virgin Islands",
    "AS": "American Samoa",
    "MP": "Northern Mariana Islands",
}
_US_BY_NAME = {name.lower(): code for code, name in US_STATES.items()} | {
    "d.c": "DC",
    "d.c.": "DC",
    "washington dc": "DC",
    "washington d.c.": "DC",
    "us virgin islands": "VI",
}
#: Provinces and states of other countries whose free-text abbreviations appear in
#: VERIS data; the ISO 3166-2 suffix is the abbreviation itself for these.
_SUBDIVISIONS: dict[str, frozenset[str]] = {
    "CA": frozenset({"AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"}),
    "AU": frozenset({"ACT", "NSW", "NT", "QLD", "SA", "TAS", "VIC", "WA"}),
}
_SUFFIX = re.compile(r"^[A-Z0-9]{1,3}$")


def place_code(country: str | None, state: str | None) -> tuple[str | None, bool]:
    """The ISO 3166 code for a country and a free-text state, and whether the state was read.

    Returns ``(None, False)`` when the country is missing or unknown. A state that cannot
    be read (``"Scotland"``) leaves the country-level code, and ``False`` says so, so the
    caller can keep the raw text.
    """
    if not country or country.strip().upper() not in COUNTRIES:
        return None, False
    cc = country.strip().upper()
    if not state or not state.strip():
        return cc, False
    text = state.strip().rstrip(".").strip()
    upper = text.upper()
    if upper.startswith(cc + "-"):
        upper = upper[len(cc) + 1 :]
    if cc == "US":
        code = upper if upper in US_STATES else _US_BY_NAME.get(text.lower())
        return (f"US-{code}", True) if code else (cc, False)
    if (
        upper in _SUBDIVISIONS.get(cc, frozenset())
        or (state.strip().upper().startswith(cc + "-") and _SUFFIX.match(upper))
    ) and f"{cc}-{upper}" in PLACES:
        return f"{cc}-{upper}", True
    return cc, False


@dataclass(frozen=True)
class PartialDate:
    """A date known to year, month or day precision (VERIS and CSV sources)."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        """``"day"``, ``"month"`` or ``"year"``."""
        if self.month is None:
            return "year"
        return "month" if self.day is None else "day"

    def start(self) -> datetime:
        """The first instant (UTC) of the period the partial date names."""
        return datetime(self.year, self.month or 1, self.day or 1, tzinfo=UTC)

    def end(self) -> datetime:
        """The first instant (UTC) after the period the partial date names."""
        if self.month is None:
            return datetime(self.year + 1, 1, 1, tzinfo=UTC)
        if self.day is None:
            year, month = (self.year + 1, 1) if self.month == 12 else (self.year, self.month + 1)
            return datetime(year, month, 1, tzinfo=UTC)
        return self.start() + timedelta(days=1)

    def as_dict(self) -> dict[str, int]:
        """The parts that are known, for the incident's ``extensions``."""
        parts = {"year": self.year}
        if self.month is not None:
            parts["month"] = self.month
        if self.day is not None:
            parts["day"] = self.day
        return parts

    @classmethod
    def from_mapping(cls, value: object) -> PartialDate | None:
        """Read ``{"year": .., "month": .., "day": ..}``; None if the year is not usable.

        A day is kept only with its month, and an impossible date (31 June) drops to
        month precision rather than being moved to a neighbouring day.
        """
        if not isinstance(value, Mapping):
            return None
        year = _int(value.get("year"))
        if year is None or not 1900 <= year <= 2100:
            return None
        month = _int(value.get("month"))
        if month is None or not 1 <= month <= 12:
            return cls(year)
        day = _int(value.get("day"))
        if day is None:
            return cls(year, month)
        try:
            datetime(year, month, day)
        except ValueError:
            return cls(year, month)
        return cls(year, month, day)


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None
