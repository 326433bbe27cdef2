"""One owner's data per incident: another owner outside the breached data's chain is named.

A user test (UT12) listed a US covered entity and its Irish sister company as two owners of
one incident; the GDPR was reported not applicable ("the owner neither is established in
nor targets this area"), the Irish company never considered, and nothing said so. The
laws are decided for the chain from the breached party up to its owner; an owner outside
it is now named in a warning that says how to assess its data.
"""

from __future__ import annotations

from typing import Any

import pytest

from breachrules import Engine


def _incident(parties: list[dict[str, Any]], breached: str) -> dict[str, Any]:
    return {
        "id": "T-OWNERS",
        "discovered_at": "2026-12-06T09:00:00Z",
        "parties": parties,
        "breached_party": breached,
        "exposures": [{"elements": ["name", "email"], "residents": {"IE": 40}, "acquired": True}],
    }


DENTAL = {
    "id": "dental",
    "name": "Dental",
    "data_role": "owner",
    "types": ["hipaa_covered_entity"],
    "established_in": ["US-TX"],
}
SISTER = {"id": "sister", "name": "Sister Ltd", "data_role": "owner", "established_in": ["IE"]}
HOST = {"id": "host", "name": "Host", "data_role": "service_provider", "serves": "dental"}


def _owner_warnings(engine: Engine, doc: dict[str, Any]) -> list[str]:
    return [w for w in engine.assess(doc).warnings if "owns data too" in w]


def test_an_owner_outside_the_chain_is_named_with_how_to_assess_its_data(engine: Engine) -> None:
    [warning] = _owner_warnings(engine, _incident([DENTAL, SISTER], "dental"))
    assert warning.startswith("parties[1] (sister) owns data too")
    assert "decided for dental's data" in warning
    assert "with dental as its service provider (serves: sister)" in warning


def test_one_owner_or_an_owner_at_the_end_of_the_chain_is_not_named(engine: Engine) -> None:
    assert _owner_warnings(engine, _incident([DENTAL], "dental")) == []
    # the host serves the dental company: one chain, one owner
    assert _owner_warnings(engine, _incident([HOST, DENTAL], "host")) == []


def test_behind_a_service_provider_the_other_owner_is_named_too(engine: Engine) -> None:
    [warning] = _owner_warnings(engine, _incident([HOST, DENTAL, SISTER], "host"))
    assert warning.startswith("parties[2] (sister)")
    assert "(host -> dental)" in warning
    assert "with the parties that held it for sister as its service providers" in warning


@pytest.mark.parametrize("breached", ["dental", "sister"])
def test_the_named_owner_is_whichever_the_chain_leaves_out(engine: Engine, breached: str) -> None:
    other = "sister" if breached == "dental" else "dental"
    [warning] = _owner_warnings(engine, _incident([DENTAL, SISTER], breached))
    assert f"({other}) owns data too" in warning
