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
reaches: {residents: [US-XX]}
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
    doc = incident_doc(risk={"harm_likely": harm_likely})
    doc["exposures"][0].update({"residents": {"US-XX": 1000}, **exposure})
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
    a = _assess(xx_engine, residents={"US-XX": residents})
    sub = a.obligation("US-XX:notify-individuals").substitute_notice
    assert sub is not None
    assert (sub.persons_exceed, sub.cost_exceeds, sub.persons_threshold_met) == (1000, 250000, met)


def test_substitute_notice_unknown_when_only_doubtful_exposures_cross(xx_engine: Engine) -> None:
    """600 certainly breached plus 600 whose acquisition is unknown: the 1,000 line is unknown."""
    doc = incident_doc(risk={"harm_likely": True})
    first = {**doc["exposures"][0], "residents": {"US-XX": 600}}
    doc["exposures"] = [first, {**first, "acquired": None}]
    a = xx_engine.assess(load_incident(doc))
    sub = a.obligation("US-XX:notify-individuals").substitute_notice
    assert sub is not None and sub.persons_threshold_met is None
