"""Loading incidents: every kind of bad input is reported with its field path."""

from __future__ import annotations

import json

import pytest

from breachrules import InvalidIncident, load_incident
from breachrules.io.serde import unstructure_incident

from .conftest import EXAMPLES, incident_doc


def problems(doc: object) -> dict[str, str]:
    with pytest.raises(InvalidIncident) as info:
        load_incident(doc)  # type: ignore[arg-type]
    return {p.path: p.reason for p in info.value.problems}


def test_valid_incident_round_trips() -> None:
    """``to_dict`` is ``load_incident``'s inverse."""
    incident = load_incident(incident_doc())
    again = load_incident(incident.to_dict())
    assert again == incident


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.name)
def test_examples_load_and_round_trip(path) -> None:
    """Every bundled example is a valid incident and survives a round trip."""
    incident = load_incident(path)
    assert load_incident(json.dumps(unstructure_incident(incident))) == incident


def test_wrong_type_is_reported_not_coerced() -> None:
    """A count given as a string is an error at its exact path, never converted."""
    doc = incident_doc()
    doc["exposures"][0]["residents"] = {"US-CA": "1200"}
    assert "exposures[0].residents.US-CA" in problems(doc)


def test_boolean_is_not_a_number() -> None:
    """``true`` is not a count, and ``1`` is not ``true``."""
    doc = incident_doc()
    doc["exposures"][0]["residents"] = {"US-CA": True}
    doc["exposures"][0]["encrypted"] = 1
    found = problems(doc)
    assert "exposures[0].residents.US-CA" in found
    assert "exposures[0].encrypted" in found


def test_naive_timestamp_rejected() -> None:
    """A timestamp without a UTC offset is rejected, never read as local time."""
    found = problems(incident_doc(discovered_at="2026-03-02T14:30:00"))
    assert "no UTC offset" in found["discovered_at"]


def test_unknown_element_lists_allowed_words() -> None:
    """An unknown data element word names the near miss and the allowed words."""
    doc = incident_doc()
    doc["exposures"][0]["elements"] = ["name", "sn"]
    reason = problems(doc)["exposures[0].elements[1]"]
    assert "'ssn'" in reason and "drivers_license" in reason


def test_negative_count() -> None:
    """A negative number of affected people is an error."""
    doc = incident_doc()
    doc["exposures"][0]["residents"] = {"US-CA": -1}
    assert "negative" in problems(doc)["exposures[0].residents.US-CA"]


def test_bad_residence_code() -> None:
    """Residence keys must be ISO 3166 codes."""
    doc = incident_doc()
    doc["exposures"][0]["residents"] = {"California": 3}
    assert "ISO 3166" in problems(doc)["exposures[0].residents.California"]


def test_breached_party_must_exist() -> None:
    """``breached_party`` naming no party is an error that lists the parties."""
    reason = problems(incident_doc(breached_party="acmee"))["breached_party"]
    assert "'acme'" in reason


def test_unknown_field_suggests_near_miss() -> None:
    """A misspelt field is reported with a suggestion, not silently dropped."""
    doc = incident_doc()
    doc["exposures"][0]["encrpted"] = True
    assert "encrypted" in problems(doc)["exposures[0].encrpted"]


def test_missing_required_field() -> None:
    """A missing required field is named."""
    doc = incident_doc()
    del doc["discovered_at"]
    assert "discovered_at" in problems(doc)


def test_many_problems_reported_together() -> None:
    """Every structural problem is listed at once, not just the first."""
    doc = incident_doc(id=5, discovered_at="yesterday")
    doc["exposures"][0]["acquired"] = "yes"
    assert {"id", "discovered_at", "exposures[0].acquired"} <= set(problems(doc))


def test_type_and_vocabulary_problems_reported_together() -> None:
    """A wrong type and an unknown word, a negative count and a dangling reference are all
    reported in one error, not one after another."""
    doc = incident_doc(id=5, breached_party="nobody")
    doc["exposures"][0]["elements"] = ["name", "sn"]
    doc["exposures"][0]["residents"] = {"US-CA": -1, "US-TX": "3"}
    found = problems(doc)
    assert {
        "id",
        "breached_party",
        "exposures[0].elements[1]",
        "exposures[0].residents.US-CA",
        "exposures[0].residents.US-TX",
    } <= set(found)


def test_not_json() -> None:
    """Text that is not JSON is reported as such."""
    assert "not valid JSON" in problems("{not json")["(document)"]


def test_wrong_schema_version() -> None:
    """Only schema version 1 is read."""
    assert "schema_version" in problems(incident_doc(schema_version="2"))


def test_service_provider_chain() -> None:
    """The owner of the data is found through a chain of service providers."""
    doc = incident_doc(
        parties=[
            {"id": "owner", "data_role": "owner"},
            {"id": "proc", "data_role": "service_provider", "serves": "owner"},
            {"id": "sub", "data_role": "service_provider", "serves": "proc"},
        ],
        breached_party="sub",
    )
    incident = load_incident(doc)
    assert incident.breached.id == "sub"
    assert incident.owner.id == "owner"
