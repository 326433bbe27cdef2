"""Incidents built in Python are checked as documents are (user test 3).

``Incident(...)`` and ``Exposure(...)`` are the contract field for field (CONTRACT
section 6), but did no checking: a naive ``discovered_at`` gave naive due dates,
``elements="ssn"`` and ``acquired="no"`` gave not_breach (the worst wrong answer),
``residents={"US-TX": -500}`` dropped the people silently, and ``elements=["nme"]`` failed
as "unhashable type: 'list'". ``Engine.assess`` now raises ``InvalidIncident`` naming the
field path, as ``load_incident`` does, whichever way the incident was made.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import attrs
import pytest

from breachrules import Exposure, Incident, InvalidIncident, Party, load_incident, reassess
from breachrules.engine import Engine

AWARE = datetime(2026, 11, 20, 15, tzinfo=UTC)
OWNER = (Party(id="p", name="P", data_role="owner", established_in=("US-TX",)),)


def _incident(discovered_at: Any = AWARE, **exposure: Any) -> Incident:
    given: dict[str, Any] = {
        "elements": ("name", "ssn"),
        "residents": {"US-TX": 500},
        "acquired": True,
        "encrypted": False,
    }
    given.update(exposure)
    return Incident(
        id="py", discovered_at=discovered_at, parties=OWNER, exposures=(Exposure(**given),)
    )


@pytest.mark.parametrize(
    ("made", "path", "words"),
    [
        (lambda: _incident(datetime(2026, 11, 20, 10)), "discovered_at", "no UTC offset"),
        (lambda: _incident(elements="ssn"), "exposures[0].elements", "expected a list"),
        (lambda: _incident(elements=5), "exposures[0].elements", "expected a list"),
        (lambda: _incident(acquired="no"), "exposures[0].acquired", "expected true or false"),
        (lambda: _incident(residents={"US-TX": -500}), "exposures[0].residents.US-TX", "negative"),
        (lambda: _incident(elements=["nme"]), "exposures[0].elements[0]", "did you mean 'name'"),
    ],
)
def test_a_python_incident_is_checked_as_a_document(
    engine: Engine, made: Any, path: str, words: str
) -> None:
    with pytest.raises(InvalidIncident) as caught:
        engine.assess(made())
    assert [p.path for p in caught.value.problems] == [path]
    assert words in caught.value.problems[0].reason


def test_what_if_by_evolve_is_checked_too(engine: Engine) -> None:
    """The docs' what-if technique: ``attrs.evolve`` a loaded incident."""
    base = load_incident(_incident().to_dict())
    changed = attrs.evolve(
        base, exposures=tuple(attrs.evolve(e, encrypted="yes") for e in base.exposures)
    )
    with pytest.raises(InvalidIncident) as caught:
        engine.assess(changed)
    assert caught.value.problems[0].path == "exposures[0].encrypted"
    with pytest.raises(InvalidIncident):
        reassess(engine, base, changed)


def test_a_valid_python_incident_decides_as_its_document(engine: Engine) -> None:
    """Lists where the classes hold tuples are read as the document reads them."""
    built = _incident(elements=["name", "ssn"])
    loaded = load_incident(built.to_dict())
    assert engine.assess(built).to_json() == engine.assess(loaded).to_json()
    assert engine.assess(built).determination("US-TX").status != "not_breach"


def test_each_incident_is_checked_once(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    from breachrules.io import checked

    calls = []
    real = checked.load_incident

    def counting(doc: Any) -> Incident:
        calls.append(1)
        return real(doc)

    monkeypatch.setattr(checked, "load_incident", counting)
    built = _incident()
    for _ in range(3):
        engine.assess(built)
    assert len(calls) == 1
    engine.assess(load_incident(built.to_dict()))  # loaded: checked when loaded
    assert len(calls) == 1


def test_incidents_checked_once_are_not_kept_alive() -> None:
    """The memo of checked incidents holds them weakly: a host that loads a new incident
    per request must not keep every one it ever loaded (the first version kept each loaded
    incident in a strong reference: 2,000 loads, 2,000 incidents kept)."""
    import gc
    import json

    from breachrules import Engine, load_incident
    from breachrules.io import _seen

    from .conftest import ROOT

    doc = json.loads((ROOT / "examples" / "incidents" / "hipaa-small-breach.json").read_text())
    engine = Engine()
    gc.collect()
    before = len(_seen._SEEN)
    for _ in range(200):
        incident = load_incident(doc)
        engine.assess(incident)
        del incident
    gc.collect()
    assert len(_seen._SEEN) - before < 5
