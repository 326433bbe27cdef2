"""Audit d (s11), findings F1, F2 and F11 and their sweep: an owner's finding that harm is
unlikely excuses the owner's notices, never the service provider's notice to the owner.
Each test fails without its fix."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from breachrules import Engine, load_incident
from breachrules.views.explain import explain

from .conftest import ROOT

#: The audit's engine run (/tmp/audit-d/vendor-wa.json): the breached party is a service
#: provider; name and SSN acquired; residents of WA, NJ and PA; each law's own finding
#: that harm is unlikely recorded.
VENDOR: dict[str, Any] = {
    "schema_version": "1",
    "id": "AUD-D-1",
    "discovered_at": "2026-03-02T10:00:00-08:00",
    "parties": [
        {"id": "acme", "data_role": "owner", "established_in": ["US-WA"]},
        {
            "id": "host",
            "data_role": "service_provider",
            "serves": "acme",
            "established_in": ["US-WA"],
        },
    ],
    "breached_party": "host",
    "exposures": [
        {
            "elements": ["name", "ssn"],
            "residents": {"US-WA": 800, "US-NJ": 1200, "US-PA": 700},
            "acquired": True,
            "accessed": True,
            "encrypted": False,
        }
    ],
    "risk": {
        "findings": {
            "US-WA": {"harm_likely": False},
            "US-NJ": {"harm_likely": False},
            "US-PA": {"harm_likely": False},
        }
    },
    "good_faith_insider": False,
}


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def _duties(engine: Engine, doc: dict[str, Any]) -> dict[str, str]:
    result = engine.assess(load_incident(doc), as_of="2026-03-02T10:00:00-08:00")
    return {o.id: o.status for o in result.obligations}


@pytest.mark.parametrize("code", ["US-WA", "US-NJ", "US-PA"])
def test_the_owners_no_harm_finding_leaves_the_providers_notice_owed(
    engine: Engine, code: str
) -> None:
    """The audit's run gave not_breach for all three laws, so the provider's notice to the
    owner disappeared; the owner cannot make its finding without that notice."""
    result = engine.assess(load_incident(VENDOR), as_of="2026-03-02T10:00:00-08:00")
    [decided] = [d for d in result.determinations if d.jurisdiction == code]
    assert decided.status == "breach"
    duties = {o.id: o for o in result.obligations}
    assert duties[f"{code}:notify-owner"].status == "required"
    assert duties[f"{code}:notify-owner"].party == "host"
    assert duties[f"{code}:notify-individuals"].status == "not_required"


def test_harm_likely_keeps_the_owners_notices(engine: Engine) -> None:
    """The other side: harm likely under each law, so the owner's notices are owed too."""
    doc = copy.deepcopy(VENDOR)
    for finding in doc["risk"]["findings"].values():
        finding["harm_likely"] = True
    duties = _duties(engine, doc)
    for code in ("US-WA", "US-NJ", "US-PA"):
        assert duties[f"{code}:notify-owner"] == "required"
        assert duties[f"{code}:notify-individuals"] == "required"


def test_a_rebuttable_exception_to_a_notice_presumes_the_notice(engine: Engine) -> None:
    """New Jersey's 'establishes that misuse ... is not reasonably possible', now on the
    customer notice: without a finding the notice is required (not conditional), nothing is
    missing, and its reason says the law presumes it; an exception to an obligation marked
    rebuttable was read as an ordinary one before (the Regulation S-P ENGINE GAP)."""
    doc = copy.deepcopy(VENDOR)
    doc["risk"]["findings"]["US-NJ"]["harm_likely"] = None
    result = engine.assess(load_incident(doc), as_of="2026-03-02T10:00:00-08:00")
    notice = {o.id: o for o in result.obligations}["US-NJ:notify-individuals"]
    assert notice.status == "required"
    assert "risk.findings.US-NJ.harm_likely" not in notice.missing_facts
    assert any("presumes the duty unless this is shown" in r.text for r in notice.reasons)


def test_explain_names_the_rule_not_met_over_an_exception_that_may_apply(
    engine: Engine,
) -> None:
    """New Jersey's CRA notice below 1,000 people: not required for the count, not for the
    misuse finding still to be made (explain picked the last reason, the exception's)."""
    incident = load_incident(ROOT / "examples" / "incidents" / "per-law-findings.json")
    flat = " ".join(
        explain(engine.assess(incident, as_of="2026-05-04T09:00:00-04:00"), "US-NJ").split()
    )
    assert (
        "US-NJ:notify-cras: not_required (Notice to nationwide consumer reporting agencies "
        "(more than 1,000 persons at one time): not met" in flat
    )
