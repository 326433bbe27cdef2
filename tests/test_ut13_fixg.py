"""UT13 F4 and F18 (a met choice of grounds names the ground that holds), with tests
that fail without the fix: a reason never names a ground that is not met as the one met."""

from __future__ import annotations

import copy
from typing import Any

from breachrules import Engine, load_incident

DISCOVERED = "2026-12-03T09:30:00+09:00"
LEAK: dict[str, Any] = {
    "schema_version": "1",
    "id": "UT13-FIXG",
    "discovered_at": DISCOVERED,
    "parties": [
        {"id": "orchid", "data_role": "owner", "established_in": ["SG"], "offers_to": ["SG", "JP"]}
    ],
    "exposures": [
        {
            "elements": ["name", "email", "credentials"],
            "residents": {"JP": 400, "SG": 300},
            "encrypted": False,
            "key_compromised": None,
            "acquired": None,
            "accessed": True,
        }
    ],
    "good_faith_insider": False,
    "risk": {"findings": {"SG": {"harm_likely": False}}},
}


def _reason(engine: Engine, obligation: str, **exposure: Any) -> str:
    """The first reason of ``obligation`` for the leak with ``exposure``'s changes."""
    doc = copy.deepcopy(LEAK)
    doc["exposures"][0].update(exposure)
    a = engine.assess(load_incident(doc), as_of=DISCOVERED)
    (ob,) = (o for o in a.obligations if o.id == obligation)
    return ob.reasons[0].text


def test_jp_preliminary_report_names_the_ground_met_not_the_head_count(engine: Engine) -> None:
    """400 Japanese residents with exposed credentials: owed on Rules Art. 7(ii), and the
    reason says so; it no longer reads "the test is affected residents > 1000"."""
    text = _reason(engine, "JP:report-ppc-preliminary")
    assert "met on: elements include credentials" in text
    assert "1000" not in text


def test_jp_head_count_named_where_it_holds(engine: Engine) -> None:
    """The other side: 1,400 residents and no sensitive or property-damage data, met on
    the head count alone, which the reason names and no element ground beside it."""
    text = _reason(
        engine, "JP:report-ppc-preliminary", elements=["name", "email"], residents={"JP": 1400}
    )
    assert "met on: affected residents > 1000" in text
    assert "elements include" not in text


def test_sg_individuals_met_on_deemed_harm_says_so(engine: Engine) -> None:
    """UT13 F18: the SG finding says harm is unlikely, yet an account identifier with its
    password is deemed significant harm (s. 26B(2), reg. 3): the reason names the deemed
    basis and the prescribed elements, not a bare "met" beside harm_likely = false."""
    text = _reason(engine, "SG:notify-individuals")
    assert "deemed for prescribed personal data" in text
    assert "met on: elements include credentials" in text
    assert "harm_likely" not in text


def test_a_rule_without_a_choice_keeps_its_text(engine: Engine) -> None:
    """A rule with nothing to choose between names no grounds: its text is as before."""
    doc = copy.deepcopy(LEAK)
    doc["parties"][0]["established_in"] = ["UY"]
    doc["exposures"][0]["residents"] = {"UY": 10}
    a = engine.assess(load_incident(doc), as_of=DISCOVERED)
    (ob,) = (o for o in a.obligations if o.id == "UY:notify-urcdp")
    assert ob.reasons[0].text.endswith(": met")
