"""Counterexamples you can paste: an incident becomes minimal JSON and a scenario case.

Claims: the minimal incident keeps the decision of the law asked about and drops parties
and facts that do not change it; the ready case passes when run as a scenario case; and a
failing Hypothesis example prints as a runnable ``load_incident({...})`` call.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis.vendor.pretty import pretty

from breachrules import Engine, load_incident
from breachrules.model.facts import Incident
from breachrules.testing import run_folder
from breachrules.testing import strategies as brst
from breachrules.testing.cases import (
    decision,
    incident_document,
    minimal_incident,
    scenario_case,
    scenario_yaml,
)

from .conftest import ROOT

POLICIES = ROOT / "examples" / "policies"

INCIDENT = {
    "id": "CE-1",
    "discovered_at": "2026-03-02T14:30:00-05:00",
    "parties": [
        {
            "id": "acme-retail",
            "data_role": "owner",
            "types": ["acme_group"],
            "established_in": ["US-NY"],
        },
        {"id": "mailcloud", "data_role": "service_provider", "serves": "acme-retail"},
        {"id": "bystander", "data_role": "owner", "established_in": ["US-TX"]},
    ],
    "breached_party": "mailcloud",
    "exposures": [
        {
            "elements": ["name", "email"],
            "residents": {"US-NY": 900},
            "acquired": True,
            "encrypted": False,
            "description": "newsletter list",
        },
    ],
    "risk": {"findings": {"XX-ACME": {"harm_likely": True}}},
}


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine([POLICIES / "acme.yaml"], bundled=False)


def test_the_document_leaves_out_unknowns_and_empty_lists() -> None:
    doc = incident_document(load_incident(INCIDENT))
    assert doc["exposures"][0]["residents"] == {"US-NY": 900}
    assert "key_compromised" not in doc["exposures"][0]  # unknown: null is the default
    assert all(v not in (None, [], {}) for v in doc.values())
    assert load_incident(doc) == load_incident(INCIDENT)


def test_the_minimal_incident_keeps_the_decision_and_drops_the_bystander(engine: Engine) -> None:
    small = minimal_incident(INCIDENT, engine, "XX-ACME")
    assert [p["id"] for p in small["parties"]] == ["acme-retail", "mailcloud"]
    assert "description" not in small["exposures"][0]
    before = decision(engine.assess(load_incident(INCIDENT)), "XX-ACME")
    after = decision(engine.assess(load_incident(small)), "XX-ACME")
    assert before == after and before["status"] == "breach"


def test_the_ready_case_passes_as_a_scenario_case(engine: Engine, tmp_path: Path) -> None:
    case = scenario_case(INCIDENT, engine, "XX-ACME", name="a processor breach, minimal")
    assert case["expect"]["obligations"]["notify-owner"] == {
        "status": "required",
        "due": "2026-03-03T14:30:00-05:00",
    }
    shutil.copy(POLICIES / "acme.yaml", tmp_path)
    text = "ruleset: XX-ACME\ncases:\n" + textwrap.indent(scenario_yaml(case), "  ")
    (tmp_path / "cases.yaml").write_text(text)
    outcomes = run_folder(tmp_path)
    assert [o.passed for o in outcomes] == [True], outcomes
    assert yaml.safe_load(text)["cases"][0]["name"] == "a processor breach, minimal"


@settings(max_examples=25, deadline=None)
@given(incident=brst.incidents())
def test_a_failing_example_prints_as_a_runnable_call(incident: Incident) -> None:
    """Hypothesis prints a drawn incident with the printer the strategies register: a
    ``load_incident({...})`` call whose document loads back to the same incident."""
    text = pretty(incident)
    assert text.startswith("load_incident({") and text.endswith("})")
    # A Python call that runs as printed (True/False/None, not JSON's true/false/null).
    assert eval(text, {"load_incident": load_incident}) == incident
