"""The direct reader of incident documents (io/direct.py) gives what the converter gives.

A new process that assesses reads a well-formed incident without cattrs generating its
functions (issue 24, target 1); anything the reader is not certain of is left to the
converter, which stays the one judge of what is wrong. These tests hold the reader to
that: on every example and on generated incidents it builds the converter's incident, and
on documents spoilt at random it either declines or agrees with the converter.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from breachrules.errors import InvalidIncident
from breachrules.io import serde
from breachrules.io.direct import read_incident
from breachrules.io.serde import converter, load_incident, unstructure_incident
from breachrules.model.facts import Incident
from breachrules.testing.strategies import incidents

from .conftest import EXAMPLES, ROOT

DOCUMENTS = sorted(EXAMPLES.glob("*.json")) + sorted(
    p
    for p in (ROOT / "tests" / "fixtures").rglob("*.json")
    if isinstance(json.loads(p.read_text(encoding="utf-8")), dict)
    and "discovered_at" in json.loads(p.read_text(encoding="utf-8"))
)


def _converted(document: dict[str, Any]) -> Incident | None:
    try:
        return converter.structure(copy.deepcopy(document), Incident)
    except Exception:
        return None


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_every_example_is_read_directly_as_the_converter_reads_it(path: Path) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    expected = _converted(document)
    if expected is None:  # a fixture of a wrong document: the reader declines it too
        assert read_incident(copy.deepcopy(document)) is None
        return
    got = read_incident(copy.deepcopy(document))
    assert got is not None, "a well-formed document is read directly"
    assert got == expected
    assert repr(got) == repr(expected)  # the same types too (a tuple is not a list)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(incidents())
def test_generated_incidents_are_read_directly_as_the_converter_reads_them(
    incident: Incident,
) -> None:
    document = json.loads(json.dumps(unstructure_incident(incident)))
    got = read_incident(copy.deepcopy(document))
    expected = _converted(document)
    assert got is not None
    assert got == expected == incident
    assert repr(got) == repr(expected)


_ODD = st.sampled_from(
    [None, "", "x", "2026-01-01", 0, -1, 1.5, float("nan"), True, False, [], ["x"], {}, {"x": 1}]
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path] if path else []
    if isinstance(value, dict):
        for k, v in value.items():
            found += _paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += _paths(v, (*path, i))
    return found


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(EXAMPLES.glob("*.json"))), st.data())
def test_a_spoilt_document_is_declined_or_read_as_the_converter_reads_it(
    path: Path, data: st.DataObject
) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    where = data.draw(st.sampled_from(_paths(document)))
    *parents, last = where
    holder = document
    for step in parents:
        holder = holder[step]
    how = data.draw(st.sampled_from(["replace", "delete", "add"]))
    if how == "replace":
        holder[last] = data.draw(_ODD)
    elif how == "delete" and isinstance(holder, dict):
        del holder[last]
    elif isinstance(holder, dict):
        holder["not_a_field"] = data.draw(_ODD)
    got = read_incident(copy.deepcopy(document))
    expected = _converted(document)
    if expected is None:
        assert got is None, f"the converter refuses {where}, so the reader must decline it"
    elif got is not None:
        assert got == expected
        assert repr(got) == repr(expected)


def test_a_well_formed_document_never_asks_the_converter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What saves a new process the converter's generated functions (the fix)."""

    class Refuse:
        def structure(self, *args: Any, **kwargs: Any) -> Any:
            raise AssertionError("the converter was asked")

    monkeypatch.setattr(serde, "converter", Refuse())
    incident = load_incident(EXAMPLES / "multistate-ransomware.json")
    assert incident.id


def test_a_wrong_document_is_still_reported_by_the_converter() -> None:
    document = json.loads((EXAMPLES / "multistate-ransomware.json").read_text(encoding="utf-8"))
    document["exposures"][0]["residents"] = {"US-CA": "12"}
    assert read_incident(copy.deepcopy(document)) is None
    with pytest.raises(InvalidIncident) as caught:
        load_incident(document)
    assert [p.path for p in caught.value.problems] == ["exposures[0].residents.US-CA"]
