"""The regulator directory: every notice to a regulator, attorney general or agency says
how to reach it, and the GDPR's competent authority is picked by establishment (Arts. 55-56)."""

from __future__ import annotations

from pathlib import Path

import pytest

from breachrules import Engine, RulesetError, load_incident
from breachrules.law.directory import load_directory
from breachrules.law.loader import bundled_paths

from .conftest import incident_doc

GDPR = "EU-GDPR:notify-supervisory-authority"


def _gdpr_contacts(engine: Engine, established: list[str], residents: dict[str, int]) -> list[str]:
    doc = incident_doc(
        parties=[
            {
                "id": "ctl",
                "name": "Controller",
                "data_role": "owner",
                "established_in": established,
                "offers_to": ["EU"],
            }
        ],
        exposures=[
            {
                "elements": ["name", "email"],
                "residents": residents,
                "encrypted": False,
                "acquired": True,
                "accessed": True,
            }
        ],
        risk={"gdpr_risk": "risk"},
    )
    a = engine.assess(load_incident(doc), jurisdictions=["EU-GDPR"])
    return [c.id for c in a.obligation(GDPR).recipient_contacts]


def test_every_notice_to_a_public_body_has_a_directory_entry(engine: Engine) -> None:
    """Each obligation to a regulator, attorney general or law enforcement is served."""
    served = {i for e in engine.directory for i in e.receives}
    missing = sorted(
        ob.rule.id
        for r in engine.rulesets
        for law in r.laws
        for ob in law.obligations
        if ob.recipient in ("regulator", "attorney_general", "law_enforcement")
        and ob.rule.id not in served
    )
    assert missing == []


def test_lead_authority_of_a_controller_established_in_a_german_land(engine: Engine) -> None:
    """Art. 56: the authority of the main establishment, down to the Land (DE-BY: BayLDA)."""
    assert _gdpr_contacts(engine, ["DE-BY"], {"FR": 10}) == ["DE-BY-BAYLDA"]


def test_germany_without_a_land_lists_every_german_authority(engine: Engine) -> None:
    """With no Land named, every Land authority and the BfDI are listed for counsel."""
    ids = _gdpr_contacts(engine, ["DE"], {"FR": 10})
    assert "DE-BY-BAYLDA" in ids and "DE-BFDI" in ids and "FR-CNIL" not in ids


def test_main_establishment_is_the_first_one_in_the_eu(engine: Engine) -> None:
    """An establishment outside the EU/EEA is skipped: US then IE leads to the Irish DPC."""
    assert _gdpr_contacts(engine, ["US", "IE", "FR"], {"NL": 10}) == ["IE-DPC"]


def test_no_eu_establishment_means_each_affected_member_state(engine: Engine) -> None:
    """Art. 55: without an EU establishment, each member state whose residents are affected."""
    assert _gdpr_contacts(engine, ["US"], {"FR": 10, "NL": 5}) == ["FR-CNIL", "NL-AP"]


def test_a_single_body_is_attached_as_is(engine: Engine) -> None:
    """The California Attorney General receives the AG notice, with its portal."""
    a = engine.assess(load_incident(incident_doc()), jurisdictions=["US-CA"])
    (contact,) = a.obligation("US-CA:notify-attorney-general").recipient_contacts
    assert contact.id == "US-CA-AG" and contact.portal and contact.portal.startswith("https://")
    doc = a.to_dict()
    ag = next(o for o in doc["obligations"] if o["id"] == "US-CA:notify-attorney-general")
    assert ag["recipient_contacts"][0]["id"] == "US-CA-AG"


NIS2_STAGES = (
    "EU-NIS2:early-warning",
    "EU-NIS2:incident-notification",
    "EU-NIS2:intermediate-report",
    "EU-NIS2:final-report",
)
NIS2_GENERIC = "EU-NIS2-NATIONAL-CSIRT"


def _nis2_contacts(
    engine: Engine, established: list[str], residents: dict[str, int]
) -> dict[str, list[str]]:
    """The contacts of each NIS2 Art. 23 stage for an essential entity's significant incident."""
    doc = incident_doc(
        discovered_at="2026-03-02T14:30:00+01:00",
        parties=[
            {
                "id": "ent",
                "name": "Entity",
                "data_role": "owner",
                "types": ["nis2_essential_entity"],
                "established_in": established,
                "offers_to": ["EU"],
            }
        ],
        exposures=[
            {
                "elements": ["name", "email"],
                "residents": residents,
                "encrypted": False,
                "acquired": True,
                "accessed": True,
            }
        ],
        classification={"significant": True},
    )
    a = engine.assess(load_incident(doc), jurisdictions=["EU-NIS2"])
    return {s: [c.id for c in a.obligation(s).recipient_contacts] for s in NIS2_STAGES}


def test_nis2_goes_to_the_body_of_the_member_state_of_establishment(engine: Engine) -> None:
    """Art. 26(1): an entity established in Ireland reports to Ireland's NCSC, at every
    stage, and not to the generic 'national CSIRT or competent authority' entry."""
    contacts = _nis2_contacts(engine, ["IE"], {"IE": 10, "FR": 5})
    assert contacts["EU-NIS2:early-warning"] == ["IE-NIS2-NCSC"]
    assert all(ids == ["IE-NIS2-NCSC"] for ids in contacts.values())


def test_nis2_in_a_state_without_an_entry_gets_the_generic_entry_alone(engine: Engine) -> None:
    """Malta has no national entry: the state of establishment is still the competent one
    (Art. 26(1)), so the entry that covers it (the generic "national CSIRT or competent
    authority" of the EU) is given alone, never another state's body, whatever the
    residents' places: German residents do not make Germany's BSI competent."""
    assert _nis2_contacts(engine, ["MT"], {"MT": 10})["EU-NIS2:early-warning"] == [NIS2_GENERIC]
    assert _nis2_contacts(engine, ["MT"], {"DE": 10})["EU-NIS2:early-warning"] == [NIS2_GENERIC]


def test_nis2_with_no_establishment_in_the_union_follows_the_residents(engine: Engine) -> None:
    """An entity established outside the Union (its representative's state is not a fact
    the contract records) is shown the bodies of the states whose residents are affected."""
    ids = _nis2_contacts(engine, ["US"], {"IE": 10})["EU-NIS2:early-warning"]
    assert ids == ["IE-NIS2-NCSC"]


def test_a_duty_owed_by_a_provider_goes_to_the_body_where_the_provider_is_established(
    engine: Engine,
) -> None:
    """A Dutch managed service provider (an important entity) breached while serving a
    German essential entity owes its own Art. 23 stages (-serving-bound-owner): they go to
    the Netherlands' NCSC, where it is established (Art. 26(1)), while the owner's own
    stages go to Germany's BSI. Before, the owner's establishment chose the body of every
    notice, so the provider was sent to the BSI."""
    doc = incident_doc(
        discovered_at="2026-03-02T14:30:00+01:00",
        parties=[
            {
                "id": "stadtwerk",
                "data_role": "owner",
                "types": ["nis2_essential_entity"],
                "established_in": ["DE"],
            },
            {
                "id": "msp",
                "data_role": "service_provider",
                "serves": "stadtwerk",
                "types": ["nis2_important_entity"],
                "established_in": ["NL"],
            },
        ],
        breached_party="msp",
        exposures=[
            {
                "elements": ["name", "email"],
                "residents": {"DE": 1000},
                "encrypted": False,
                "acquired": True,
                "accessed": True,
            }
        ],
        classification={"significant": True},
    )
    a = engine.assess(load_incident(doc), jurisdictions=["EU-NIS2"])
    provider = a.obligation("EU-NIS2:early-warning-serving-bound-owner")
    owner = a.obligation("EU-NIS2:early-warning")
    assert provider.party == "msp" and owner.party == "stadtwerk"
    assert [c.name for c in provider.recipient_contacts] == [
        "Nationaal Cyber Security Centrum (NCSC, Netherlands)"
    ]
    assert "BSI" in owner.recipient_contacts[0].name


def test_a_malformed_entry_is_refused_with_its_file_and_line(tmp_path: Path) -> None:
    """An unknown field or a bad ``for`` is an error that names the file and the line."""
    folder = tmp_path / "_directory"
    folder.mkdir()
    (folder / "x.yaml").write_text(
        "last_reviewed: 2026-12-06\nentries:\n"
        "  - id: X\n    name: X\n    country: US\n    source: https://example.org\n"
        "    verified: true\n    for: [notacode]\n    portl: https://example.org\n",
        encoding="utf-8",
    )
    with pytest.raises(RulesetError) as caught:
        load_directory([tmp_path])
    text = str(caught.value)
    assert "portl" in text and "for" in text and "x.yaml" in text


def test_an_entry_for_an_unknown_obligation_is_refused(tmp_path: Path) -> None:
    """A directory entry naming an obligation no loaded ruleset defines fails the engine."""
    folder = tmp_path / "_directory"
    folder.mkdir()
    (folder / "x.yaml").write_text(
        "last_reviewed: 2026-12-06\nentries:\n"
        "  - id: X\n    name: X\n    country: US\n    source: https://example.org\n"
        "    verified: true\n    for: ['US-CA:notify-attorney-genral']\n",
        encoding="utf-8",
    )
    with pytest.raises(RulesetError, match="notify-attorney-general"):
        Engine(paths=[tmp_path], backend="python")


def test_the_bundled_directory_loads_on_its_own() -> None:
    """The shipped data is well formed, and its ids are unique."""
    entries = load_directory(bundled_paths())
    assert len(entries) == len({e.contact.id for e in entries}) > 150
