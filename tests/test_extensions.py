"""Ruleset extensions for state laws: paper records, duties on exceptions, substitute notice."""

from __future__ import annotations

from pathlib import Path

import pytest

from breachrules import Engine, load_incident

from .conftest import incident_doc

RULESET = """\
code: US-XX
name: Example
citation: Ex. Code § 1
sources: [{url: https://example.org}]
last_reviewed: 2026-11-01
reaches: {residents: [XX]}  # ISO 3166 private use
versions:
  - effective_from: 2020-01-01
    citation: Ex. Code § 1
personal_information:
  id: pi
  citation: Ex. Code § 1(a)
  when: {elements: {combination_of: [[name, ssn]]}}
breach:
  id: breach
  citation: Ex. Code § 1(b)
  when: {acquired: true}
  exceptions:
    - id: paper-records-not-covered
      citation: Ex. Code § 1(a) ("computerized data")
      when: {paper: true}
    - id: risk-of-harm
      citation: Ex. Code § 1(d)
      when: {harm_likely: false}
      duty: Document the determination in writing and keep it five years.
obligations:
  - id: notify-individuals
    citation: Ex. Code § 1(c)
    recipient: individuals
    by: owner
    deadline: {text: within 30 days, days: 30}
    substitute_notice:
      citation: Ex. Code § 1(e)
      text: Substitute notice if cost exceeds $250,000 or more than 1,000 persons
      cost_exceeds: 250000
      persons_exceed: 1000
"""


@pytest.fixture(scope="module")
def xx_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    path: Path = tmp_path_factory.mktemp("rules") / "xx.yaml"
    path.write_text(RULESET)
    return Engine(paths=[path], bundled=False)


def _assess(engine: Engine, harm_likely: bool | None = True, **exposure: object):
    doc = incident_doc(risk={"findings": {"US-XX": {"harm_likely": harm_likely}}})
    doc["exposures"][0].update({"residents": {"XX": 1000}, **exposure})
    return engine.assess(load_incident(doc))


@pytest.mark.parametrize(
    ("paper", "status", "missing"),
    [
        (False, "breach", []),
        (True, "not_breach", []),
        (None, "undetermined", ["exposures[0].paper"]),
    ],
)
def test_paper_records_exception(
    xx_engine: Engine, paper: bool | None, status: str, missing: list[str]
) -> None:
    """A law for computerized data only: paper records are no breach; unknown medium is named."""
    d = _assess(xx_engine, paper=paper).determination("US-XX")
    assert (d.status, list(d.missing_facts)) == (status, missing)


def test_paper_defaults_to_electronic(xx_engine: Engine) -> None:
    """An exposure that says nothing about paper is computerized data, as in the contract."""
    assert _assess(xx_engine).determination("US-XX").status == "breach"


@pytest.mark.parametrize(("harm_likely", "shown"), [(False, True), (None, True), (True, False)])
def test_duty_is_shown_when_exception_may_apply(
    xx_engine: Engine, harm_likely: bool | None, shown: bool
) -> None:
    """Relying on a risk-of-harm exception carries its paperwork duty into the reasons."""
    reasons = _assess(xx_engine, harm_likely=harm_likely).determination("US-XX").reasons
    texts = [r.text for r in reasons if r.rule == "US-XX:risk-of-harm"]
    assert texts
    assert ("duty: Document the determination" in texts[0]) is shown


@pytest.mark.parametrize(("residents", "met"), [(1000, False), (1001, True)])
def test_substitute_notice_person_threshold(xx_engine: Engine, residents: int, met: bool) -> None:
    """The person-count ground for substitute notice is decided on both sides of the line."""
    a = _assess(xx_engine, residents={"XX": residents})
    sub = a.obligation("US-XX:notify-individuals").substitute_notice
    assert sub is not None
    assert (sub.persons_exceed, sub.cost_exceeds, sub.persons_threshold_met) == (1000, 250000, met)


def test_substitute_notice_unknown_when_only_doubtful_exposures_cross(xx_engine: Engine) -> None:
    """600 certainly breached plus 600 whose acquisition is unknown: the 1,000 line is unknown."""
    doc = incident_doc(risk={"harm_likely": True})
    first = {**doc["exposures"][0], "residents": {"XX": 600}}
    doc["exposures"] = [first, {**first, "acquired": None}]
    a = xx_engine.assess(load_incident(doc))
    sub = a.obligation("US-XX:notify-individuals").substitute_notice
    assert sub is not None and sub.persons_threshold_met is None


DATED = """\
code: US-YY
name: Example with an exception added by an amendment
citation: Ex. Code § 2
sources: [{url: https://example.org}]
last_reviewed: 2026-11-01
reaches: {residents: [XY]}
versions:
  - {effective_from: 2018-01-01, effective_to: 2019-10-22, citation: Ex. Code § 2 (2018)}
  - {effective_from: 2019-10-23, citation: Ex. Code § 2 (as amended 2019)}
personal_information:
  id: pi
  citation: Ex. Code § 2(a)
  when: {elements: {combination_of: [[name, ssn]]}}
breach:
  id: breach
  citation: Ex. Code § 2(b)
  when: {acquired: true}
  exceptions:
    - id: no-harm
      citation: Ex. Code § 2(c) (added 2019)
      when: {harm_likely: false}
      effective_from: "2019-10-23"
obligations:
  - id: notify-individuals
    citation: Ex. Code § 2(d)
    recipient: individuals
    by: owner
    deadline: {text: without unreasonable delay}
"""


@pytest.mark.parametrize(
    ("day", "status"), [("2019-10-22", "breach"), ("2019-10-23", "not_breach")]
)
def test_exception_follows_its_effective_date(tmp_path: Path, day: str, status: str) -> None:
    """An exception added by an amendment applies from that version on, not before."""
    path = tmp_path / "yy.yaml"
    path.write_text(DATED)
    engine = Engine(paths=[path], bundled=False)
    doc = incident_doc(
        discovered_at=f"{day}T12:00:00+00:00", risk={"findings": {"US-YY": {"harm_likely": False}}}
    )
    doc["exposures"][0]["residents"] = {"XY": 10}
    assert engine.assess(load_incident(doc)).determination("US-YY").status == status


def test_exception_date_inside_a_version_is_rejected(tmp_path: Path) -> None:
    """An exception date that is not a version boundary is an error naming the boundaries."""
    from breachrules import RulesetError, load_ruleset

    path = tmp_path / "yy.yaml"
    path.write_text(DATED.replace('effective_from: "2019-10-23"', 'effective_from: "2019-11-01"'))
    with pytest.raises(RulesetError, match="not the first day of a version"):
        load_ruleset(path)


def test_scenario_checks_only_the_substitute_notice_keys_given(xx_engine: Engine) -> None:
    """A scenario may pin one field of substitute_notice without restating the rest."""
    from breachrules.testing.scenarios import run_case

    doc = incident_doc(risk={"harm_likely": True})
    doc["exposures"][0]["residents"] = {"XX": 1001}
    ok = {"obligations": {"notify-individuals": {"substitute_notice": {"persons_exceed": 1000}}}}
    bad = {"obligations": {"notify-individuals": {"substitute_notice": {"cost_exceeds": 1}}}}
    assert run_case(xx_engine, "US-XX", doc, ok, None) == []
    assert run_case(xx_engine, "US-XX", doc, bad, None) != []


def test_obligation_added_later_needs_no_parameter_in_earlier_versions(tmp_path: Path) -> None:
    """A duty an amendment added may use a parameter the earlier versions never had."""
    text = (
        DATED
        + """\
  - id: notify-regulator
    citation: Ex. Code § 2(e) (added 2019)
    recipient: regulator
    by: owner
    when: $regulator_when
    effective_from: "2019-10-23"
    deadline: {text: within 5 days, days: 5}
"""
    )
    text = text.replace(
        "  - {effective_from: 2019-10-23, citation: Ex. Code § 2 (as amended 2019)}",
        "  - effective_from: 2019-10-23\n    citation: Ex. Code § 2 (as amended 2019)\n"
        "    parameters:\n      regulator_when: {value: {residents: {gt: 5}}, citation: § 2(e)}",
    )
    path = tmp_path / "yy.yaml"
    path.write_text(text)
    engine = Engine(paths=[path], bundled=False)
    for day, present in (("2019-10-22", False), ("2019-10-23", True)):
        doc = incident_doc(discovered_at=f"{day}T12:00:00+00:00", risk={"harm_likely": True})
        doc["exposures"][0]["residents"] = {"XY": 10}
        ids = {o.id for o in engine.assess(load_incident(doc)).obligations}
        assert ("US-YY:notify-regulator" in ids) is present


def test_obligations_may_share_exception_ids_without_sharing_results(tmp_path: Path) -> None:
    """Two obligations each with an 'exempt' exception keep their own conditions."""
    text = (
        RULESET.replace("US-XX", "US-ZZ")
        + """\
    exceptions:
      - id: exempt
        citation: Ex. Code § 1(f)
        when: {owner_types: {any_of: [hipaa_covered_entity]}}
  - id: notify-owner
    citation: Ex. Code § 1(g)
    recipient: data_owner
    by: breached_party
    when: {breached_party_role: service_provider}
    deadline: {text: immediately}
    exceptions:
      - id: exempt
        citation: Ex. Code § 1(h)
        when: {breached_party_types: {any_of: [glba_financial_institution]}}
"""
    )
    path = tmp_path / "zz.yaml"
    path.write_text(text)
    engine = Engine(paths=[path], bundled=False)
    doc = incident_doc(risk={"harm_likely": True})
    doc["parties"][0]["types"] = ["hipaa_covered_entity"]
    doc["exposures"][0]["residents"] = {"XX": 10}
    a = engine.assess(load_incident(doc))
    assert a.obligation("US-ZZ:notify-individuals").status == "not_required"


def test_duplicate_exception_id_within_a_rule_is_rejected(tmp_path: Path) -> None:
    """Within one rule, exception ids must differ."""
    from breachrules import RulesetError, load_ruleset

    text = RULESET.replace("    - id: risk-of-harm", "    - id: paper-records-not-covered")
    path = tmp_path / "xx.yaml"
    path.write_text(text)
    with pytest.raises(RulesetError, match="duplicate exception id"):
        load_ruleset(path)


STAGED = """\
code: EU-ZZ
name: Example staged incident reporting
citation: Ex. Reg. Art. 19
sources: [{url: https://example.org}]
last_reviewed: 2026-11-01
reaches: {residents: [EU]}
applies_to: {party_types: [dora_financial_entity]}
versions:
  - {effective_from: 2025-01-17, citation: Ex. Reg.}
personal_information:
  id: any-data
  citation: Ex. Reg. Art. 1
  when: {elements: {any_of: [name, email]}}
breach:
  id: major-incident
  citation: Ex. Reg. Art. 19(1)
  when: {major_ict_incident: true}
obligations:
  - id: initial-notification
    citation: Ex. Reg. Art. 19(4)(a)
    recipient: regulator
    by: owner
    requires_breach: false
    when: {major_ict_incident: true}
    deadline:
      text: 4 hours from classification, at most 24 hours from awareness
      from: classification
      hours: 4
      cap: {from: discovery, hours: 24}
  - id: intermediate-report
    citation: Ex. Reg. Art. 19(4)(b)
    recipient: regulator
    by: owner
    requires_breach: false
    when: {major_ict_incident: true}
    deadline:
      text: 72 hours from the initial notification
      from: "obligation:initial-notification"
      hours: 72
  - id: final-report
    citation: Ex. Reg. Art. 19(4)(c)
    recipient: regulator
    by: owner
    requires_breach: false
    when: {major_ict_incident: true}
    deadline:
      text: one month after the intermediate report
      from: "obligation:intermediate-report"
      days: 30
"""


@pytest.fixture(scope="module")
def staged(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    path: Path = tmp_path_factory.mktemp("staged") / "zz.yaml"
    path.write_text(STAGED)
    return Engine(paths=[path], bundled=False)


def _staged(engine: Engine, classified_at: str | None):
    doc = incident_doc(
        discovered_at="2026-03-02T08:00:00+01:00",
        classification={"major_ict_incident": True, "classified_at": classified_at},
    )
    doc["parties"][0]["types"] = ["dora_financial_entity"]
    doc["exposures"][0]["residents"] = {"DE": 100}
    a = engine.assess(load_incident(doc))
    return {o.id.split(":")[1]: o for o in a.obligations}


@pytest.mark.parametrize(
    ("classified_at", "initial"),
    [
        # classified 2 hours after awareness: 4 hours from classification comes first
        ("2026-03-02T10:00:00+01:00", "2026-03-02T14:00:00+01:00"),
        # classified 21 hours after: the 24-hour cap from awareness comes first
        ("2026-03-03T05:00:00+01:00", "2026-03-03T08:00:00+01:00"),
    ],
)
def test_cap_takes_the_earlier_clock(staged: Engine, classified_at: str, initial: str) -> None:
    """'4 hours from classification, no later than 24 hours from awareness'."""
    from breachrules.io.serde import format_timestamp

    obs = _staged(staged, classified_at)
    assert format_timestamp(obs["initial-notification"].due) == initial
    assert obs["initial-notification"].missing_facts == ()


def test_cap_gives_a_due_date_while_the_main_anchor_is_unknown(staged: Engine) -> None:
    """Not yet classified: the 24-hour outer limit still binds, and the fact is named."""
    obs = _staged(staged, None)
    initial = obs["initial-notification"]
    assert initial.due is not None and initial.due.isoformat() == "2026-03-03T08:00:00+01:00"
    assert initial.missing_facts == ("classification.classified_at",)


def test_chained_clocks_run_from_the_earlier_stage(staged: Engine) -> None:
    """Intermediate: 72 hours after the initial due time; final: 30 days after that."""
    from breachrules.io.serde import format_timestamp

    obs = _staged(staged, "2026-03-02T10:00:00+01:00")
    assert format_timestamp(obs["intermediate-report"].due) == "2026-03-05T14:00:00+01:00"
    assert format_timestamp(obs["final-report"].due) == "2026-04-04T23:59:59+01:00"


def test_chain_to_unknown_obligation_is_rejected(tmp_path: Path) -> None:
    """A clock that runs from an obligation the ruleset lacks is an error with a hint."""
    from breachrules import RulesetError, load_ruleset

    path = tmp_path / "zz.yaml"
    path.write_text(
        STAGED.replace('"obligation:intermediate-report"', '"obligation:intermediate-reprt"')
    )
    with pytest.raises(RulesetError, match="did you mean 'obligation:intermediate-report'"):
        load_ruleset(path)


def test_cap_does_not_cut_short_a_clock_that_starts_after_it(staged: Engine) -> None:
    """Classified 49 hours after awareness: due 4 hours after classification, not before it."""
    from breachrules.io.serde import format_timestamp

    obs = _staged(staged, "2026-03-04T09:00:00+01:00")
    assert format_timestamp(obs["initial-notification"].due) == "2026-03-04T13:00:00+01:00"


INCIDENT_REGIME = """\
code: EU-YY
name: Example incident-reporting regime
citation: Ex. Dir. Art. 23
sources: [{url: https://example.org}]
last_reviewed: 2026-11-01
reaches: {residents: [EU], established_in: [EU]}
applies_to: {party_types: [nis2_essential_entity]}
versions:
  - {effective_from: 2024-10-18, citation: Ex. Dir.}
breach:
  id: significant-incident
  citation: Ex. Dir. Art. 23(3)
  when: {significant: true}
obligations:
  - id: early-warning
    citation: Ex. Dir. Art. 23(4)(a)
    recipient: regulator
    by: owner
    requires_breach: false
    when: {significant: true}
    deadline: {text: within 24 hours, from: discovery, hours: 24}
"""


@pytest.mark.parametrize(("significant", "status"), [(True, "breach"), (False, "not_breach")])
def test_incident_regime_is_decided_without_exposures(
    tmp_path: Path, significant: bool, status: str
) -> None:
    """An incident-based regime decides on the incident's own facts when nothing was exposed."""
    path = tmp_path / "yy.yaml"
    path.write_text(INCIDENT_REGIME)
    engine = Engine(paths=[path], bundled=False)
    doc = incident_doc(exposures=[], classification={"significant": significant})
    doc["parties"][0].update({"types": ["nis2_essential_entity"], "established_in": ["DE"]})
    a = engine.assess(load_incident(doc))
    d = a.determination("EU-YY")
    assert d.status == status
    assert "the incident (no exposure in reach)" in " ".join(r.text for r in d.reasons)
    assert a.obligation("EU-YY:early-warning").status == (
        "required" if significant else "not_required"
    )


def test_delay_request_is_shown_on_a_notice_without_fixed_period(engine: Engine) -> None:
    """Before SB 446 California notice had no fixed period; a delay request is still named."""
    doc = incident_doc(
        discovered_at="2025-06-02T10:00:00-07:00",
        law_enforcement={"delay_requested_until": "2025-07-01T00:00:00-07:00"},
    )
    a = engine.assess(load_incident(doc), jurisdictions=["US-CA"])
    notice = a.obligation("US-CA:notify-individuals")
    assert notice.due is None
    assert any("delay until 2025-07-01T00:00:00-07:00" in r.text for r in notice.reasons)
