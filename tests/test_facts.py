"""Facts, not conclusions: each law decided by its own test, never by another law's.

Each test pins one rule of the fact model: per-law risk findings (and what the legacy flag
still means), tests declared the same by citation, data of unknown kind, presumptions,
and the clocks that run from the owner's awareness and from the law's own finding.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from breachrules import Engine, load_incident

from .conftest import incident_doc

LAW = """
code: {code}
name: Example law {code}
citation: Ex. Code {code}
sources: [{{url: "https://example.org/{code}"}}]
last_reviewed: 2026-12-01
reaches: {{residents: [XX]}}
{extra}
versions:
  - effective_from: 2020-01-01
    citation: Ex. Code {code}
personal_information:
  id: pi
  citation: Ex. Code {code} § 1
  when:
    any:
      - elements: {{combination_of: [[name, ssn]]}}
      - all: [{{elements: {{any_of: [ssn]}}}}, {{identity_theft_without_name: true}}]
breach:
  id: breach
  citation: Ex. Code {code} § 2
  when: {{acquired: true}}
  exceptions:
    - id: no-harm
      citation: Ex. Code {code} § 3
      when: {{harm_likely: false, harm_finding_law_enforcement_consulted: true}}
obligations:
  - id: notify-individuals
    citation: Ex. Code {code} § 4
    recipient: individuals
    by: owner
    deadline: {{text: within 30 days of the owner's awareness, from: owner_awareness, days: 30}}
  - id: send-no-harm-finding
    citation: Ex. Code {code} § 3(b)
    recipient: attorney_general
    by: owner
    requires_breach: false
    when: {{harm_likely: false}}
    deadline: {{text: within 30 days of the written finding, from: risk_finding, days: 30}}
"""


@pytest.fixture(scope="module")
def laws(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    folder: Path = tmp_path_factory.mktemp("laws")
    (folder / "a.yaml").write_text(LAW.format(code="US-XA", extra=""))
    same = "risk_test: {same_as: [US-XA], citation: Ex. Code § 3, statute: the same words}"
    (folder / "b.yaml").write_text(LAW.format(code="US-XB", extra=same))
    (folder / "c.yaml").write_text(LAW.format(code="US-XC", extra=""))
    return Engine(paths=[folder], bundled=False, backend="python")


def _doc(**overrides: Any) -> dict[str, Any]:
    doc = incident_doc(**overrides)
    doc["exposures"][0]["residents"] = {"XX": 100}
    return doc


FOUND = {"harm_likely": False, "law_enforcement_consulted": True, "in_writing": True}


def test_a_finding_under_one_law_clears_only_that_law(laws: Engine) -> None:
    """US-XA's no-harm finding clears US-XA, and US-XB (same words, declared), not US-XC."""
    a = laws.assess(load_incident(_doc(risk={"findings": {"US-XA": FOUND}})))
    status = {d.jurisdiction: d.status for d in a.determinations}
    assert status == {"US-XA": "not_breach", "US-XB": "not_breach", "US-XC": "undetermined"}
    assert a.determination("US-XC").missing_facts == (
        "risk.findings.US-XC.harm_likely",
        "risk.findings.US-XC.law_enforcement_consulted",
    )


def test_what_the_law_asks_of_the_finding_is_read(laws: Engine) -> None:
    """The exception needs the finding made after consulting law enforcement."""
    found = {**FOUND, "law_enforcement_consulted": False}
    a = laws.assess(load_incident(_doc(risk={"findings": {"US-XA": found}})))
    assert a.determination("US-XA").status == "breach"


def test_the_legacy_flag_false_clears_no_law_and_says_so(laws: Engine) -> None:
    """``risk.harm_likely: false`` names no law's test: every test stays open, with a warning."""
    a = laws.assess(load_incident(_doc(risk={"harm_likely": False})))
    assert {d.status for d in a.determinations} == {"undetermined"}
    assert any("risk.findings.<CODE>" in w and "US-XC" in w for w in a.warnings)


def test_the_legacy_flag_true_is_read_by_every_law(laws: Engine) -> None:
    """Harm likely can only make a notice more required: it is read under every law."""
    a = laws.assess(load_incident(_doc(risk={"harm_likely": True})))
    assert {d.status for d in a.determinations} == {"breach"}
    assert a.warnings == ()


def test_data_of_unknown_kind_leaves_the_element_test_open(laws: Engine) -> None:
    """``unknown`` elements: the definition is undetermined and names the elements."""
    doc = _doc(risk={"harm_likely": True})
    doc["exposures"][0]["elements"] = ["unknown"]
    d = laws.assess(load_incident(doc)).determination("US-XA")
    assert d.status == "undetermined"
    assert d.missing_facts == ("exposures[0].elements", "exposures[0].identity_theft_without_name")
    doc["exposures"][0]["elements"] = ["unknown", "name", "ssn"]
    assert laws.assess(load_incident(doc)).determination("US-XA").status == "breach"
    doc["exposures"][0]["elements"] = ["other"]
    assert laws.assess(load_incident(doc)).determination("US-XA").status == "not_breach"


def test_an_element_without_a_name_counts_where_it_enables_identity_theft(laws: Engine) -> None:
    """An SSN alone: unknown whether it enables identity theft is undetermined, not clear."""
    doc = _doc(risk={"harm_likely": True})
    doc["exposures"][0]["elements"] = ["ssn"]
    statuses = []
    for value in (None, True, False):
        doc["exposures"][0]["identity_theft_without_name"] = value
        statuses.append(laws.assess(load_incident(doc)).determination("US-XA").status)
    assert statuses == ["undetermined", "breach", "not_breach"]


def test_the_owners_clock_runs_from_when_its_provider_told_it(laws: Engine) -> None:
    """``from: owner_awareness``: a processor's breach runs the owner's clock from the
    processor's notice to it; unknown until ``parties[].told_at`` is known."""
    doc = _doc(
        risk={"harm_likely": True},
        parties=[
            {"id": "own", "data_role": "owner", "established_in": ["XX"]},
            {"id": "proc", "data_role": "service_provider", "serves": "own"},
        ],
        breached_party="proc",
    )
    ob = laws.assess(load_incident(doc)).obligation("US-XA:notify-individuals")
    assert ob.due is None and ob.missing_facts == ("parties[0].told_at",)
    doc["parties"][0]["told_at"] = "2026-03-10T09:00:00-05:00"
    ob = laws.assess(load_incident(doc)).obligation("US-XA:notify-individuals")
    assert ob.due is not None and ob.due.isoformat() == "2026-04-09T23:59:59-05:00"


def test_a_duty_that_follows_from_relying_on_an_exception_has_its_own_clock(
    laws: Engine,
) -> None:
    """The no-harm finding must be sent within 30 days of being made (``from: risk_finding``)."""
    found = {**FOUND, "made_at": "2026-03-05T12:00:00-05:00"}
    a = laws.assess(load_incident(_doc(risk={"findings": {"US-XA": found}})))
    ob = a.obligation("US-XA:send-no-harm-finding")
    assert ob.status == "required" and ob.due is not None
    assert ob.due.isoformat() == "2026-04-04T23:59:59-05:00"
    a = laws.assess(load_incident(_doc(risk={"findings": {"US-XA": FOUND}})))
    assert a.obligation("US-XA:send-no-harm-finding").missing_facts == (
        "risk.findings.US-XA.made_at",
    )


def test_a_finding_keyed_by_something_that_is_no_code_is_refused() -> None:
    """``risk.findings`` keys are ruleset codes; anything else is an input error."""
    from breachrules import InvalidIncident

    with pytest.raises(InvalidIncident, match=r"risk\.findings\.florida"):
        load_incident(incident_doc(risk={"findings": {"florida": {"harm_likely": False}}}))


def _clinic_patient_records() -> dict[str, Any]:
    """A covered entity's patient records (name and medical data, PHI under 160.103)."""
    doc = incident_doc(
        parties=[
            {
                "id": "clinic",
                "data_role": "owner",
                "types": ["hipaa_covered_entity"],
                "established_in": ["US-CA"],
            }
        ],
    )
    doc["exposures"][0]["elements"] = ["name", "medical"]
    doc["exposures"][0]["phi"] = True
    return doc


def test_hipaa_presumes_a_breach_until_the_risk_assessment_rebuts_it(engine: Engine) -> None:
    """45 CFR 164.402(2): unknown risk assessment is a presumed breach, not undetermined."""
    doc = _clinic_patient_records()
    # Taken by an intruder: no inadvertent or good-faith disclosure (164.402(1)(ii)-(iii)).
    doc["malicious"] = True
    d = engine.assess(load_incident(doc), jurisdictions=["US-HIPAA"]).determination("US-HIPAA")
    assert d.status == "breach"
    assert d.presumed_unless == ("risk.hipaa_low_probability_of_compromise",)
    # Whether the records are PHI at all, unknown: presumed (the rule assumes it), and
    # named beside the risk assessment as what would rebut the breach.
    doc["exposures"][0]["phi"] = None
    d = engine.assess(load_incident(doc), jurisdictions=["US-HIPAA"]).determination("US-HIPAA")
    assert d.status == "breach"
    assert d.presumed_unless == ("exposures[0].phi", "risk.hipaa_low_probability_of_compromise")


def test_hipaa_exclusions_of_164_402_1_rebut_the_presumed_breach(engine: Engine) -> None:
    """45 CFR 164.402(1)(ii)-(iii) (audit s11 HIPAA-1): an inadvertent disclosure between
    authorized persons, or one the recipient could not have retained, is no breach; while
    neither is established the breach is presumed (164.414(b)) and both are named, never
    read as no breach."""
    doc = _clinic_patient_records()
    doc["malicious"] = False  # a misdirected letter, say
    doc["risk"] = {"hipaa_low_probability_of_compromise": False}
    d = engine.assess(load_incident(doc), jurisdictions=["US-HIPAA"]).determination("US-HIPAA")
    assert d.status == "breach"
    assert d.presumed_unless == (
        "inadvertent_authorized_disclosure",
        "facts.US-HIPAA.recipient_authorized_at_same_entity",
        "facts.US-HIPAA.recipient_could_not_retain",
    )
    doc["facts"] = {"US-HIPAA": {"recipient_could_not_retain": True}}
    d = engine.assess(load_incident(doc), jurisdictions=["US-HIPAA"]).determination("US-HIPAA")
    assert (d.status, d.presumed_unless) == ("not_breach", ())
    # (ii): the contract's inadvertence fact (New York reads it too) and HIPAA's own
    # recipient fact, both needed.
    doc["inadvertent_authorized_disclosure"] = True
    doc["facts"] = {"US-HIPAA": {"recipient_could_not_retain": False}}
    d = engine.assess(load_incident(doc), jurisdictions=["US-HIPAA"]).determination("US-HIPAA")
    assert (d.status, d.presumed_unless) == (
        "breach",
        ("facts.US-HIPAA.recipient_authorized_at_same_entity",),
    )
    doc["facts"]["US-HIPAA"]["recipient_authorized_at_same_entity"] = True
    d = engine.assess(load_incident(doc), jurisdictions=["US-HIPAA"]).determination("US-HIPAA")
    assert (d.status, d.presumed_unless) == ("not_breach", ())
    doc["facts"]["US-HIPAA"]["recipient_authorized_at_same_entity"] = False
    d = engine.assess(load_incident(doc), jurisdictions=["US-HIPAA"]).determination("US-HIPAA")
    assert (d.status, d.presumed_unless) == ("breach", ())
