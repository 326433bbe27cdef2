"""Fixes of an independent legal spot audit (s11, audit b): each test fails without its
fix, and each holds both sides of the line it draws.

F1: the District of Columbia's harm exclusion needs the consultation with its Attorney
General. F2: a law that binds an entity by its type (NIS2, DORA, CRA) binds it whatever its
data role: an entity breached as its customer's service provider owes its own reports, on
its own clock. F3: an EU processor's establishment does not bring a non-EU controller's
Art. 33/34 duties in; the processor's own Art. 33(2) duty stays.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from breachrules import Engine, load_incident
from breachrules.cli.table import do_first

from .conftest import EXAMPLE_LAW, incident_doc


def _provider_breached(owner_types: list[str], provider_types: list[str], **extra: Any) -> Any:
    """A shop (owner) in DE whose service provider, also in DE, was breached."""
    doc = incident_doc(
        discovered_at="2026-10-05T09:00:00+02:00",
        parties=[
            {
                "id": "shop",
                "data_role": "owner",
                "types": owner_types,
                "established_in": ["DE"],
                "offers_to": ["DE"],
                "told_at": "2026-10-06T15:00:00+02:00",
            },
            {
                "id": "provider",
                "data_role": "service_provider",
                "serves": "shop",
                "types": provider_types,
                "established_in": ["DE"],
            },
        ],
        breached_party="provider",
        exposures=[
            {
                "elements": ["name", "email"],
                "residents": {"DE": 5000},
                "encrypted": False,
                "acquired": True,
                "accessed": True,
            }
        ],
        **extra,
    )
    return load_incident(doc)


# ---------------------------------------------------------------------------------- F1


def _dc(**facts: Any) -> Any:
    return load_incident(
        incident_doc(
            parties=[{"id": "acme", "data_role": "owner", "established_in": ["US-VA"]}],
            exposures=[
                {
                    "elements": ["name", "ssn"],
                    "residents": {"US-DC": 1200},
                    "encrypted": False,
                    "acquired": True,
                    "accessed": True,
                }
            ],
            risk={"findings": {"US-DC": {"harm_likely": False, "law_enforcement_consulted": True}}},
            facts={"US-DC": facts} if facts else {},
        )
    )


def test_dc_harm_finding_without_the_attorney_general_is_no_exclusion(engine: Engine) -> None:
    """F1: harm found unlikely after consulting federal law enforcement only is a breach,
    with every notice owed; with the Attorney General consulted too, it is excluded."""
    skipped = engine.assess(_dc(attorney_general_consulted=False), jurisdictions=["US-DC"])
    assert skipped.determination("US-DC").status == "breach"
    assert skipped.obligation("US-DC:notify-attorney-general").status == "required"
    consulted = engine.assess(_dc(attorney_general_consulted=True), jurisdictions=["US-DC"])
    assert consulted.determination("US-DC").status == "not_breach"


def test_dc_attorney_general_consultation_unknown_is_asked_never_excluded(engine: Engine) -> None:
    """F1: while the consultation is not given the breach is undetermined, naming it."""
    d = engine.assess(_dc(), jurisdictions=["US-DC"]).determination("US-DC")
    assert d.status == "undetermined"
    assert d.missing_facts == ("facts.US-DC.attorney_general_consulted",)


# ---------------------------------------------------------------------------------- F2


@pytest.mark.parametrize(
    ("code", "types", "classification", "stages"),
    [
        (
            "EU-NIS2",
            ["nis2_essential_entity"],
            {"significant": True},
            ["early-warning", "incident-notification", "final-report"],
        ),
        (
            "EU-DORA",
            ["dora_financial_entity"],
            {"major_ict_incident": True, "classified_at": "2026-10-05T11:00:00+02:00"},
            ["initial-notification", "intermediate-report", "final-report"],
        ),
        (
            "EU-CRA",
            ["product_manufacturer"],
            {"actively_exploited_vulnerability": True, "severe_incident": True},
            ["early-warning", "notification", "final-report-incident", "inform-users"],
        ),
    ],
)
def test_a_bound_entity_breached_as_service_provider_owes_its_own_reports(
    engine: Engine,
    code: str,
    types: list[str],
    classification: dict[str, Any],
    stages: list[str],
) -> None:
    """F2: the entity the law binds, breached as the service provider of a customer the
    law does not bind, owes every stage itself; the table no longer says nothing is to be
    sent. The reverse (the customer bound, its provider not) stays the customer's."""
    incident = _provider_breached([], types, classification=classification)
    a = engine.assess(incident, jurisdictions=[code])
    for stage in stages:
        ob = a.obligation(f"{code}:{stage}")
        assert (ob.status, ob.party) == ("required", "provider"), stage
    assert "Nothing to send" not in do_first(a)
    reverse = engine.assess(
        _provider_breached(types, [], classification=classification), jurisdictions=[code]
    )
    for stage in stages:
        ob = reverse.obligation(f"{code}:{stage}")
        assert (ob.status, ob.party) == ("required", "shop"), stage


def test_the_bound_providers_clock_runs_from_its_own_awareness(engine: Engine) -> None:
    """F2: a manufacturer breached as its customer's provider became aware at discovery;
    its 24 hours never run from when the customer was told (a day later), and the
    customer's told_at is not a fact its clock needs."""
    incident = _provider_breached(
        [], ["product_manufacturer"], classification={"actively_exploited_vulnerability": True}
    )
    ob = engine.assess(incident, jurisdictions=["EU-CRA"]).obligation("EU-CRA:early-warning")
    assert ob.due is not None and ob.due.isoformat() == "2026-10-06T09:00:00+02:00"
    assert ob.missing_facts == ()


def test_owner_awareness_of_a_bound_party_in_any_law(tmp_path: Path) -> None:
    """F2, the engine: in any law binding parties by type, a ``by: owner`` duty that falls
    on the bound provider counts ``owner_awareness`` from the provider's awareness; the
    owner's own duty still counts from the owner's."""
    law = EXAMPLE_LAW + (
        "applies_to: {party_types: [xx_licensee]}\n"
        "declares: {party_types: [xx_licensee]}\n"
        "obligations:\n"
        "  - id: notify-regulator\n"
        "    citation: Ex. Act s. 3\n"
        "    recipient: regulator\n"
        "    recipient_name: XX regulator\n"
        "    by: owner\n"
        "    deadline: {text: within 3 days of becoming aware, from: owner_awareness, days: 3}\n"
    )
    (tmp_path / "xx.yaml").write_text(law, encoding="utf-8")
    engine = Engine(paths=[tmp_path / "xx.yaml"], bundled=False)

    def due(owner_types: list[str], provider_types: list[str]) -> tuple[str, str | None]:
        doc = incident_doc(
            discovered_at="2026-03-02T10:00:00+00:00",
            parties=[
                {
                    "id": "shop",
                    "data_role": "owner",
                    "types": owner_types,
                    "established_in": ["XX"],
                    "told_at": "2026-03-05T10:00:00+00:00",
                },
                {
                    "id": "provider",
                    "data_role": "service_provider",
                    "serves": "shop",
                    "types": provider_types,
                    "established_in": ["XX"],
                },
            ],
            breached_party="provider",
            exposures=[
                {
                    "elements": ["ssn"],
                    "residents": {"XX": 10},
                    "encrypted": False,
                    "acquired": True,
                    "accessed": True,
                }
            ],
        )
        ob = engine.assess(load_incident(doc), jurisdictions=["XX"]).obligation(
            "XX:notify-regulator"
        )
        return ob.party, None if ob.due is None else ob.due.date().isoformat()

    assert due([], ["xx_licensee"]) == ("provider", "2026-03-05")
    assert due(["xx_licensee"], []) == ("shop", "2026-03-08")


# ---------------------------------------------------------------------------------- F3


def _eu_processor(controller: dict[str, Any], residents: dict[str, int]) -> Any:
    """A controller whose Irish hosting processor was breached."""
    return load_incident(
        incident_doc(
            discovered_at="2026-03-02T12:00:00+01:00",
            parties=[
                {"id": "usco", "data_role": "owner", **controller},
                {
                    "id": "iehost",
                    "data_role": "service_provider",
                    "serves": "usco",
                    "established_in": ["IE"],
                },
            ],
            breached_party="iehost",
            exposures=[
                {
                    "elements": ["name", "ssn"],
                    "residents": residents,
                    "encrypted": False,
                    "acquired": True,
                    "accessed": True,
                }
            ],
            risk={"gdpr_risk": "risk"},
        )
    )


def _gdpr(engine: Engine, incident: Any) -> dict[str, tuple[str, str]]:
    a = engine.assess(incident, jurisdictions=["EU-GDPR"])
    return {
        o.id.split(":", 1)[1]: (o.status, o.party)
        for o in a.obligations
        if o.id.startswith("EU-GDPR:")
    }


def test_an_eu_processor_does_not_bind_a_non_eu_controller(engine: Engine) -> None:
    """F3: a US controller offering only to the US, US residents only, its Irish processor
    breached: the processor tells the controller (Art. 33(2)); the controller owes no
    notification to a supervisory authority and nothing under Arts. 33(5) and 34."""
    owed = _gdpr(
        engine, _eu_processor({"established_in": ["US-CA"], "offers_to": ["US"]}, {"US-CA": 5000})
    )
    assert owed["notify-controller"] == ("required", "iehost")
    assert owed["notify-supervisory-authority"] == ("not_required", "usco")
    assert owed["document-breach"] == ("not_required", "usco")


@pytest.mark.parametrize(
    ("controller", "residents", "status"),
    [
        ({"established_in": ["US-CA", "DE"], "offers_to": ["US"]}, {"US-CA": 5000}, "required"),
        ({"established_in": ["US-CA"], "offers_to": ["EU"]}, {"US-CA": 5000, "FR": 1}, "required"),
        ({"established_in": ["US-CA"], "offers_to": ["EU"]}, {"US-CA": 5000}, "not_required"),
        ({"established_in": ["US-CA"], "offers_to": ["US"]}, {"FR": 10}, "not_required"),
        ({"offers_to": ["US"]}, {"US-CA": 5000}, "conditional"),
        ({"established_in": ["US-CA"]}, {"FR": 10}, "conditional"),
    ],
)
def test_the_controllers_own_link_decides_its_duties(
    engine: Engine, controller: dict[str, Any], residents: dict[str, int], status: str
) -> None:
    """F3, both sides: its own establishment (Art. 3(1)) or its offering to data subjects
    in the Union who are affected (Art. 3(2)) binds the controller; an establishment or an
    offering not given leaves the duty conditional, never not_required."""
    owed = _gdpr(engine, _eu_processor(controller, residents))
    assert owed["notify-supervisory-authority"] == (status, "usco")
    assert owed["notify-controller"] == ("required", "iehost")


def test_targets_here_reads_offers_to_as_the_reach_does() -> None:
    """``owner_targets_here``: a place within the law's places or holding one targets it;
    another place does not; ``offers_to`` not given is unknown."""
    from breachrules.engine.facts import targets_here

    home = frozenset({"EU", "IS", "LI", "NO"})
    assert targets_here(("DE",), home) is True
    assert targets_here(("EU",), home) is True
    assert targets_here(("US", "GB"), home) is False
    assert targets_here((), home) is False
    assert targets_here(None, home) is None


# ---------------------------------------------------------------------------------- F10


def test_the_cra_intermediate_report_waits_for_the_csirts_request(engine: Engine) -> None:
    """F10: Art. 14(6)'s request reads false until given (a request is known once made):
    no request, no report; a request recorded, the report is owed with no fixed period."""
    facts = {f.name: f for r in engine.rulesets if r.code == "EU-CRA" for f in r.facts}
    assert facts["intermediate_report_requested"].until_given is False

    def report(**given: Any) -> Any:
        incident = _provider_breached(
            ["product_manufacturer"],
            [],
            classification={"actively_exploited_vulnerability": True},
            facts={"EU-CRA": given} if given else {},
        )
        a = engine.assess(incident, jurisdictions=["EU-CRA"])
        return a.obligation("EU-CRA:intermediate-report")

    assert report().status == "not_required"
    owed = report(intermediate_report_requested=True)
    assert (owed.status, owed.party, owed.due) == ("required", "shop", None)
