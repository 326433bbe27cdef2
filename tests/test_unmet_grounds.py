"""A rule not met names only the head counts that fail (engine.grounds.unmet_text): the
GDPR's communication to data subjects, unmet because the risk was not high, read "not met
(the test is affected residents of the law's own places > 0)", a count that held. Each
test fails without the fix, and each has its other side."""

from __future__ import annotations

import copy
from typing import Any

from breachrules import Engine, load_incident

DISCOVERED = "2026-12-03T09:30:00+01:00"
LEAK: dict[str, Any] = {
    "schema_version": "1",
    "id": "UNMET-GROUNDS",
    "discovered_at": DISCOVERED,
    "parties": [{"id": "shop", "data_role": "owner", "established_in": ["FR"]}],
    "exposures": [
        {
            "elements": ["name", "email", "credentials"],
            "residents": {"FR": 400, "US-CA": 300},
            "encrypted": False,
            "key_compromised": None,
            "acquired": True,
            "accessed": True,
        }
    ],
    "good_faith_insider": False,
    "risk": {"gdpr_risk": "risk"},
}


def _reason(engine: Engine, obligation: str, **change: Any) -> tuple[str, str]:
    """The status and first reason of ``obligation`` for the leak with ``change``'s
    top-level keys replaced."""
    doc = copy.deepcopy(LEAK)
    doc.update(change)
    a = engine.assess(load_incident(doc), as_of=DISCOVERED)
    (ob,) = (o for o in a.obligations if o.id == obligation)
    return ob.status, ob.reasons[0].text


def test_gdpr_unmet_for_risk_does_not_name_the_count_that_holds(engine: Engine) -> None:
    status, text = _reason(engine, "EU-GDPR:notify-data-subjects")
    assert status == "not_required"
    assert "not met" in text
    assert "the test is" not in text


def test_gdpr_met_for_high_risk(engine: Engine) -> None:
    """The other side: a high risk makes the communication owed."""
    status, text = _reason(engine, "EU-GDPR:notify-data-subjects", risk={"gdpr_risk": "high"})
    assert status == "required"
    assert "not met" not in text


def test_a_failing_head_count_is_still_named(engine: Engine) -> None:
    """California's Attorney General copy for 300 residents (more than 500 needed): the
    count that fails is the reason, and it is still named."""
    status, text = _reason(engine, "US-CA:notify-attorney-general")
    assert status == "not_required"
    assert "(the test is affected residents > 500)" in text
