"""Issue 22: dated value series (OpenFisca style) for a ruleset's parameters.

A series gives each parameter a value per effective date; each holds until the next, so
versions can neither overlap nor leave gaps. The loader reads it into the same versions
the engine already uses: the same law written with ``versions`` gives the same answers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from breachrules import Engine
from breachrules.errors import RulesetError
from breachrules.law.loader import load_ruleset

HEAD = """\
code: XX-SER
name: Series example
citation: Ex. Code § 1
sources: [{url: https://example.org}]
last_reviewed: 2026-11-01
reaches: {residents: [US]}
"""
SERIES = """\
parameters:
  individual_deadline:
    - from: 2019-07-01
      citation: Ex. Code § 1(c)
      value: {text: without unreasonable delay}
    - from: 2026-01-01
      citation: Ex. Code § 1(c)(1)
      value: {text: within 30 days, from: discovery, days: 30}
  ag_threshold:
    - from: 2019-07-01
      citation: Ex. Code § 1(f)
      value: 500
    - from: 2024-03-01
      citation: Ex. Code § 1(f) (2023)
      value: 250
"""
# The same law as the versions an author had to write (and keep contiguous) before.
VERSIONS = """\
versions:
  - effective_from: 2019-07-01
    effective_to: 2024-02-29
    citation: Ex. Code § 1
    parameters:
      individual_deadline:
        citation: Ex. Code § 1(c)
        value: {text: without unreasonable delay}
      ag_threshold: {citation: Ex. Code § 1(f), value: 500}
  - effective_from: 2024-03-01
    effective_to: 2025-12-31
    citation: Ex. Code § 1
    parameters:
      ag_threshold: {citation: Ex. Code § 1(f) (2023), value: 250}
  - effective_from: 2026-01-01
    citation: Ex. Code § 1
    parameters:
      individual_deadline:
        citation: Ex. Code § 1(c)(1)
        value: {text: within 30 days, from: discovery, days: 30}
"""
RULES = """\
breach:
  id: breach
  citation: Ex. Code § 1(a)
  when: {acquired: true}
obligations:
  - id: notify-individuals
    citation: Ex. Code § 1(b)
    recipient: individuals
    by: owner
    deadline: $individual_deadline
  - id: notify-ag
    citation: Ex. Code § 1(f)
    recipient: attorney_general
    by: owner
    when: {residents: {gt: $ag_threshold}}
    deadline: {text: at the same time as notice to individuals}
"""


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_series_loads_into_contiguous_versions(tmp_path: Path) -> None:
    ruleset = load_ruleset(_write(tmp_path, "s.yaml", HEAD + SERIES + RULES))
    spans = [(str(v.effective_from), str(v.effective_to)) for v in ruleset.versions]
    assert spans == [
        ("2019-07-01", "2024-02-29"),
        ("2024-03-01", "2025-12-31"),
        ("2026-01-01", "None"),
    ]
    threshold = [v.parameters["ag_threshold"].value for v in ruleset.versions]
    assert threshold == [500, 250, 250]  # a value holds until the next one starts
    deadline = ruleset.versions[2].parameters["individual_deadline"]
    assert deadline.citation == "Ex. Code § 1(c)(1)"


def test_a_series_and_the_same_versions_give_the_same_assessments(tmp_path: Path) -> None:
    """It loads into the model the engine already uses: byte-identical assessments."""
    series = Engine(paths=[_write(tmp_path / "a", "s.yaml", HEAD + SERIES + RULES)], bundled=False)
    versions = Engine(
        paths=[_write(tmp_path / "b", "v.yaml", HEAD + VERSIONS + RULES)], bundled=False
    )
    for day in ("2020-05-01", "2024-02-29", "2024-03-01", "2026-06-01"):
        for count in (300, 600):
            doc = {
                "id": "s",
                "discovered_at": f"{day}T12:00:00+00:00",
                "parties": [{"id": "o", "data_role": "owner"}],
                "exposures": [
                    {"elements": ["name"], "residents": {"US-NY": count}, "acquired": True}
                ],
            }
            a, b = (_unhashed(e.assess(doc).to_dict()) for e in (series, versions))
            assert a == b, (day, count)


def _unhashed(document: dict[str, Any]) -> dict[str, Any]:
    """The two files differ, so their hashes do (``rulesets[].sha256``, and the audit
    chain that records them); nothing else may."""
    for ref in document["rulesets"]:
        ref.pop("sha256")
    document.pop("audit")
    return document


def _problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(RulesetError) as info:
        load_ruleset(_write(tmp_path, "s.yaml", text))
    return [str(p) for p in info.value.problems]


def test_values_out_of_order_are_an_error_at_their_line(tmp_path: Path) -> None:
    text = HEAD + SERIES.replace("- from: 2024-03-01", "- from: 2019-01-01") + RULES
    [problem] = _problems(tmp_path, text)
    assert problem.endswith(
        "s.yaml:19: parameters.ag_threshold[1].from: must be later than the value before "
        "it (2019-07-01): each value holds until the next one starts"
    )


def test_a_bad_value_is_named_where_the_series_writes_it(tmp_path: Path) -> None:
    text = HEAD + SERIES.replace("days: 30}", "dayz: 30}") + RULES
    [problem] = _problems(tmp_path, text)
    assert ":14: parameters.individual_deadline[1].value.dayz: unknown key 'dayz'" in problem


def test_versions_and_series_together_are_refused(tmp_path: Path) -> None:
    [problem] = _problems(tmp_path, HEAD + VERSIONS + SERIES + RULES)
    assert "either as versions or as parameter series" in problem


def test_neither_versions_nor_series_says_both_ways(tmp_path: Path) -> None:
    problem, *rest = _problems(tmp_path, HEAD + RULES)
    assert "'versions' is required (or 'parameters'" in problem
    # without dated values the later checks cannot read the rules: said so, once
    assert [r.split(": ", 1)[1] for r in rest] == [
        "fix these first: the checks after the file's shape (parameters, conditions, "
        "clocks, places) did not run, so a later problem may remain"
    ]


def test_a_value_a_rule_needs_before_its_series_starts_is_named(tmp_path: Path) -> None:
    late = SERIES.replace(
        "  ag_threshold:\n    - from: 2019-07-01\n      citation: Ex. Code § 1(f)\n"
        "      value: 500\n",
        "  ag_threshold:\n",
    )
    problems = _problems(tmp_path, HEAD + late + RULES)
    assert any(
        "'$ag_threshold' is not set in version 0 (effective 2019-07-01)" in p for p in problems
    )
