"""Small fixes a docs-only user test found (the eighth): each test fails without its fix."""

from __future__ import annotations

import copy
from typing import Any

from breachrules import Engine, load_incident, reassess

from .test_one_order import TAPE


def _incident(party: dict[str, Any], exposure: dict[str, Any]) -> Any:
    doc = copy.deepcopy(TAPE)
    doc["parties"][0].update(party)
    doc["exposures"][0].update(exposure)
    return load_incident(doc)


def test_a_diff_shows_a_field_at_its_default_as_its_default(engine: Engine) -> None:
    """A document omits a field at its default: ``false -> true``, never ``null -> true``
    (bankF.json / bankT.json, zake_true.json / zake.json); a field written at its default
    on one side and omitted on the other did not change."""
    old = _incident({"notified_under_procedures": False}, {"identifiable": True})
    new = _incident({"notified_under_procedures": True}, {"identifiable": False})
    _, _, diff = reassess(engine, old, new, jurisdictions=["US-OH"])
    assert diff.facts_changed == {
        "parties[0].notified_under_procedures": (False, True),
        "exposures[0].identifiable": (True, False),
    }
    assert "  parties[0].notified_under_procedures: false -> true" in diff.fact_lines()
    _, _, back = reassess(engine, new, old, jurisdictions=["US-OH"])
    assert back.facts_changed["exposures[0].identifiable"] == (False, True)
    _, _, same = reassess(engine, old, _incident({}, {}), jurisdictions=["US-OH"])
    assert same.facts_changed == {}
