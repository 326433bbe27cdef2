"""Fixes of the engine and views findings of a twelfth docs-only user test (UT12 findings
2, 3, 4, 6, 7, 12 and 13), on the tester's own incident: a Texas dental practice (a HIPAA
covered entity) whose phished mailbox held 2,300 patients' records (TX 1,900, OK 250, NM
120, CA 30) and 40 Irish customers' emails of a sister company. Each test fails without
its fix, and each holds both sides of the line it draws."""

from __future__ import annotations

import copy
from typing import Any

from breachrules import Engine, load_incident
from breachrules.model.facts import Incident

AS_OF = "2026-12-07T12:00:00-06:00"

DAY1: dict[str, Any] = {
    "schema_version": "1",
    "id": "INC-2026-1206",
    "title": "Phished mailbox at Lone Star Dental, patient export",
    "discovered_at": "2026-12-06T09:00:00-06:00",
    "time_zone": "America/Chicago",
    "parties": [
        {
            "id": "lsd",
            "name": "Lone Star Dental Care LLC",
            "data_role": "owner",
            "types": ["hipaa_covered_entity"],
            "established_in": ["US-TX"],
            "offers_to": ["US"],
        },
        {
            "id": "lsd-ie",
            "name": "Lone Star Dental Ireland Ltd",
            "data_role": "owner",
            "types": [],
            "established_in": ["IE"],
            "offers_to": ["EU"],
        },
    ],
    "breached_party": "lsd",
    "exposures": [
        {
            "description": "Patient export from phished mailbox",
            "elements": ["name", "dob", "health_insurance", "ssn"],
            "residents": {"US-TX": 1900, "US-OK": 250, "US-NM": 120, "US-CA": 30},
            "encrypted": None,
            "key_compromised": None,
            "acquired": None,
            "accessed": True,
            "phi": True,
        },
        {
            "description": "Sister company's EU customer emails in the same mailbox",
            "elements": ["email"],
            "residents": {"IE": 40},
            "encrypted": None,
            "key_compromised": None,
            "acquired": None,
            "accessed": True,
        },
    ],
    "risk": {"harm_likely": None, "gdpr_risk": None, "hipaa_low_probability_of_compromise": None},
    "malicious": True,
    "good_faith_insider": False,
}


def _day2() -> dict[str, Any]:
    """Day 2: both exposures acquired, and law enforcement asked for a delay."""
    doc = copy.deepcopy(DAY1)
    for e in doc["exposures"]:
        e["acquired"] = True
    doc["law_enforcement"] = {
        "notified_at": "2026-12-07T08:00:00-06:00",
        "delay_requested_until": "2027-01-20T00:00:00-06:00",
        "delay_requested_at": "2026-12-07T10:00:00-06:00",
        "delay_in_writing": None,
    }
    return doc


def _incident(doc: dict[str, Any], **exposure: Any) -> Incident:
    """``doc`` with ``exposure``'s fields set on exposures[N] (keys ``N_field``)."""
    doc = copy.deepcopy(doc)
    for key, value in exposure.items():
        n, field = key.split("_", 1)
        doc["exposures"][int(n)][field] = value
    return load_incident(doc)


# --- F4: the brief never says "no letter" where another law's letter reaches them -------


def test_new_mexico_residents_get_the_hipaa_letter_in_the_brief(engine: Engine) -> None:
    """NM's Act steps aside because HIPAA governs (§ 57-12C-8): the HIPAA letter, which
    counts every affected person, reaches the 120 NM patients; the brief says so and never
    lists them among the people no letter goes to."""
    incident = _incident(_day2())
    b = engine.assess(incident, as_of=AS_OF).brief(incident)
    assert not any(n.startswith("US-NM:") for n in b.no_letter)
    [nm] = [n for n in b.letter_under if n.startswith("US-NM:")]
    assert "the letter under US-HIPAA (conditional) goes to every affected person" in nm
    text = b.to_text(width=80)
    assert "People whose own law's letter another law's letter replaces" in text
    assert "People no letter goes to on these facts" not in text


def test_without_a_hipaa_letter_new_mexico_residents_get_none(engine: Engine) -> None:
    """The other side: no PHI anywhere, so HIPAA's letter is not required; NM's Act still
    steps aside for a covered entity, and now no letter reaches the NM residents."""
    incident = _incident(_day2(), **{"0_phi": False, "1_phi": False})
    a = engine.assess(incident, as_of=AS_OF)
    hipaa = [o for o in a.obligations if o.jurisdiction == "US-HIPAA"]
    assert {o.status for o in hipaa} <= {"not_required"}
    b = a.brief(incident)
    assert any(n.startswith("US-NM:") for n in b.no_letter)
    assert not b.letter_under


# --- F3: a moved due date is attributed to the fact that dates it -----------------------


def _due_causes(engine: Engine, new: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    from breachrules import reassess

    _, _, diff = reassess(engine, load_incident(DAY1), load_incident(new), as_of=AS_OF)
    return {c.subject: c.caused_by for c in diff.changes if c.kind == "due"}


def test_the_delay_not_the_acquisition_moves_californias_due_date(engine: Engine) -> None:
    """Acquisition and a law-enforcement delay arrive together: the letter's due date (and
    the identity-theft offer's, which goes with it) moved because of the delay, as
    ``explain`` says (Cal. Civ. Code § 1798.82(c)), not because of ``acquired``."""
    causes = _due_causes(engine, _day2())
    assert causes["US-CA:notify-individuals"] == ("law_enforcement.delay_requested_until",)
    assert causes["US-CA:offer-identity-theft-services"] == (
        "law_enforcement.delay_requested_until",
    )


def test_a_due_date_moved_by_its_anchor_names_the_anchor(engine: Engine) -> None:
    """The other side: no delay, but discovery two days later with the acquisition: the
    due date moved by its anchor (``discovered_at``), and only that is named."""
    doc = copy.deepcopy(DAY1)
    doc["discovered_at"] = "2026-12-04T09:00:00-06:00"
    for e in doc["exposures"]:
        e["acquired"] = True
    causes = _due_causes(engine, doc)
    assert causes["US-CA:notify-individuals"] == ("discovered_at",)
