"""'More than 500 residents of a State or jurisdiction' with people under a country code.

An HHS portal row with no state puts everyone under ``US``: no State. The HIPAA media
notice (45 CFR 164.406) was then required for 800 people under ``US``, though whether 500
live in one State is not known (user test 3). Now the largest count in one place is known
only within bounds, and the notice is conditional, naming where the people live.
"""

from __future__ import annotations

from typing import Any

import pytest

from breachrules.engine import Engine
from breachrules.io.serde import load_incident

from .conftest import incident_doc

MEDIA = "US-HIPAA:notify-media"


def _hipaa(*residents: dict[str, int], acquired: bool | None = True) -> dict[str, Any]:
    doc = incident_doc()
    doc["parties"][0] |= {"types": ["hipaa_covered_entity"], "established_in": []}
    doc["exposures"] = [
        {
            "elements": ["name", "medical"],
            "residents": r,
            "encrypted": False,
            "acquired": acquired,
            "accessed": acquired,
        }
        for r in residents
    ]
    return doc


def _media(engine: Engine, doc: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    a = engine.assess(load_incident(doc), jurisdictions=["US-HIPAA"])
    (o,) = [o for o in a.obligations if o.id == MEDIA]
    return o.status, o.missing_facts


@pytest.mark.parametrize(
    ("residents", "status", "missing"),
    [
        ({"US": 800}, "conditional", ("exposures[0].residents.US",)),
        ({"US": 400}, "not_required", ()),  # not 500 in one State, wherever they live
        ({"US": 500}, "not_required", ()),  # "more than 500": 500 in one State is not
        ({"US-CA": 600, "US": 100}, "required", ()),  # California alone is over 500
        ({"US-CA": 400, "US": 200}, "conditional", ("exposures[0].residents.US",)),
        ({"US-CA": 300, "US-TX": 300}, "not_required", ()),
        ({"US-CA": 800}, "required", ()),
    ],
)
def test_people_under_the_country_are_in_some_state_not_one(
    engine: Engine, residents: dict[str, int], status: str, missing: tuple[str, ...]
) -> None:
    assert _media(engine, _hipaa(residents)) == (status, missing)


def test_across_exposures_and_possible_worlds(engine: Engine) -> None:
    """Exposures in doubt are weighed world by world: 300 in California known, 300 under
    US in another exposure, both maybe taken: more than 500 in one State is unknown."""
    doc = _hipaa({"US-CA": 300}, {"US": 300}, {"US-TX": 10}, acquired=None)
    status, missing = _media(engine, doc)
    assert status == "conditional"
    assert "exposures[1].residents.US" in missing
    doc = _hipaa({"US-CA": 300}, {"US-TX": 300}, {"US-NY": 10}, acquired=None)
    assert _media(engine, doc)[0] == "not_required"


def test_the_imported_hhs_row_without_a_state(engine: Engine) -> None:
    from breachrules.io.importers import import_hhs_row

    row = {
        "Name of Covered Entity": "Example Clinic",
        "State": "",
        "Covered Entity Type": "Healthcare Provider",
        "Individuals Affected": "800",
        "Breach Submission Date": "2024-05-01",
        "Type of Breach": "Theft",
        "Location of Breached Information": "Laptop",
        "Business Associate Present": "No",
    }
    result = import_hhs_row(row)
    assert result.incident is not None, result.reason
    a = engine.assess(load_incident(result.incident), jurisdictions=["US-HIPAA"])
    (o,) = [o for o in a.obligations if o.id == MEDIA]
    assert (o.status, o.missing_facts) == ("conditional", ("exposures[0].residents.US",))
