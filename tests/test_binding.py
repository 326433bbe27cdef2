"""Policies and laws bind the parties they name, and duties fall on those parties.

The finding: with ``applies_to: {party_types: [acme]}``, a not-breached Acme hosting
provider brought its customer ``bigco`` under Acme's policy, and ``bigco`` was told to
notify Acme's CISO. A law that applies by party type binds a party of that type only when
it is in the chain of the breached data: the breached party, each party it serves, the
owner.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from breachrules import Engine, load_incident
from breachrules.errors import RulesetError

from .conftest import ROOT

POLICY = (ROOT / "examples" / "policies" / "acme.yaml").read_text(encoding="utf-8")


def _incident(parties: list[dict[str, Any]], breached: str, **extra: Any) -> Any:
    doc: dict[str, Any] = {
        "id": "bystander",
        "discovered_at": "2026-03-02T14:30:00-05:00",
        "parties": parties,
        "breached_party": breached,
        "exposures": [
            {
                "elements": ["name", "ssn", "medical"],
                "residents": {"US-NY": 900},
                "acquired": True,
                "accessed": True,
                "encrypted": False,
            }
        ],
        "risk": {"harm_likely": True},
        "good_faith_insider": False,
    }
    doc.update(extra)
    return load_incident(doc)


def _engine(tmp_path: Path, text: str) -> Engine:
    (tmp_path / "policy.yaml").write_text(text, encoding="utf-8")
    return Engine(paths=[tmp_path / "policy.yaml"], bundled=False)


BYSTANDER = [
    {"id": "bigco", "data_role": "owner", "established_in": ["US-NY"]},
    {
        "id": "acme-hosting",
        "data_role": "service_provider",
        "serves": "bigco",
        "types": ["acme_group"],
        "established_in": ["US-NY"],
    },
]


def test_a_bystander_of_the_policy_type_does_not_bring_its_customer_in(tmp_path: Path) -> None:
    """bigco's own breach is not Acme's business: no duty under Acme's policy."""
    engine = _engine(tmp_path, POLICY)
    assessment = engine.assess(_incident(BYSTANDER, "bigco"), jurisdictions=["XX-ACME"])
    d = assessment.determination("XX-ACME")
    assert d.status == "not_applicable"
    assert "acme-hosting would be, but is neither the breached party" in d.reasons[0].text
    assert not [o for o in assessment.obligations if o.status != "not_required"]


def test_the_policy_type_in_the_chain_binds(tmp_path: Path) -> None:
    """When Acme's hosting is the breached party, the policy applies."""
    engine = _engine(tmp_path, POLICY)
    assessment = engine.assess(_incident(BYSTANDER, "acme-hosting"), jurisdictions=["XX-ACME"])
    assert assessment.determination("XX-ACME").status == "breach"
    owner = assessment.obligation("XX-ACME:notify-owner")
    assert (owner.status, owner.party) == ("required", "acme-hosting")


def test_bound_party_carries_the_duty(tmp_path: Path) -> None:
    """`by: bound_party` puts the duty on the party the policy binds (here by id), not on
    the owner, which the policy does not bind."""
    text = POLICY.replace(
        "applies_to:\n  party_types: [acme_group]",
        "applies_to:\n  parties: [acme-hosting]",
    ).replace(
        "    recipient: individuals\n    by: owner",
        "    recipient: individuals\n    by: bound_party",
    )
    assert "parties: [acme-hosting]" in text and "by: bound_party" in text
    engine = _engine(tmp_path, text)
    assessment = engine.assess(_incident(BYSTANDER, "acme-hosting"), jurisdictions=["XX-ACME"])
    assert assessment.obligation("XX-ACME:notify-individuals").party == "acme-hosting"
    other = engine.assess(_incident(BYSTANDER, "bigco"), jurisdictions=["XX-ACME"])
    assert other.determination("XX-ACME").status == "not_applicable"


def test_bound_party_needs_applies_to(tmp_path: Path) -> None:
    text = POLICY.replace("applies_to:\n  party_types: [acme_group]", "applies_to: {}\n#").replace(
        "    recipient: individuals\n    by: owner",
        "    recipient: individuals\n    by: bound_party",
    )
    with pytest.raises(RulesetError, match="bound_party needs applies_to"):
        _engine(tmp_path, text)


def test_roles_bind_by_place_in_the_chain(tmp_path: Path) -> None:
    """`roles: [service_provider]`: a processors-only policy binds the breached processor."""
    text = POLICY.replace(
        "applies_to:\n  party_types: [acme_group]", "applies_to:\n  roles: [service_provider]"
    )
    engine = _engine(tmp_path, text)
    assert (
        engine.assess(_incident(BYSTANDER, "acme-hosting"), jurisdictions=["XX-ACME"])
        .determination("XX-ACME")
        .status
        == "breach"
    )
    assert (
        engine.assess(_incident(BYSTANDER, "bigco"), jurisdictions=["XX-ACME"])
        .determination("XX-ACME")
        .status
        == "not_applicable"
    )


# --- the statutory siblings ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "party_type"),
    [
        ("US-HIPAA", "hipaa_covered_entity"),
        ("US-GLBA", "glba_financial_institution"),
        ("US-BANK", "bank"),
        ("US-SEC", "sec_registrant"),
    ],
)
def test_a_bystander_of_a_statutory_type_does_not_bring_the_law_in(
    engine: Engine, code: str, party_type: str
) -> None:
    """A covered entity, financial institution, bank or registrant that shares a hosting
    provider with a breached retailer is not breached: the retailer owes nothing under
    that law."""
    parties = [
        {"id": "retailer", "data_role": "owner", "established_in": ["US-NY"]},
        {
            "id": "neighbour",
            "data_role": "owner",
            "types": [party_type],
            "established_in": ["US-NY"],
        },
    ]
    incident = _incident(
        parties, "retailer", classification={"material": True, "bank_notification_incident": True}
    )
    assessment = engine.assess(incident, jurisdictions=[code])
    assert assessment.determination(code).status == "not_applicable"
    assert all(o.status == "not_required" for o in assessment.obligations)


@pytest.mark.parametrize(
    ("code", "party_type"),
    [("US-SEC", "sec_registrant"), ("US-GLBA", "glba_financial_institution")],
)
def test_an_owner_the_law_does_not_bind_gets_no_duty(
    engine: Engine, code: str, party_type: str
) -> None:
    """When the registrant (or the financial institution) is the breached service provider
    of an owner the law does not govern, the owner's duties under that law are the bound
    party's, never the owner's."""
    parties = [
        {"id": "shop", "data_role": "owner", "established_in": ["US-NY"]},
        {
            "id": "vendor",
            "data_role": "service_provider",
            "serves": "shop",
            "types": [party_type],
            "established_in": ["US-NY"],
        },
    ]
    incident = _incident(parties, "vendor", classification={"material": True})
    assessment = engine.assess(incident, jurisdictions=[code])
    assert all(o.party == "vendor" for o in assessment.obligations), [
        (o.id, o.party) for o in assessment.obligations
    ]
