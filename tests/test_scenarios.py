"""Every ruleset's YAML scenario cases (tests/rulesets/**.yaml), one test per case."""

from __future__ import annotations

from pathlib import Path

import pytest

from breachrules import Engine
from breachrules.law.loader import bundled_paths, load_rulesets
from breachrules.testing.scenarios import Scenario, load_cases, read_scenarios, run_scenario

HERE = Path(__file__).resolve().parent / "rulesets"
FILES = sorted(HERE.rglob("*.yaml"))
# Checked against the bundled rulesets: an expectation on an obligation id a ruleset does
# not define, an unknown key or status word fails its case instead of passing vacuously.
BUNDLED = load_rulesets(bundled_paths())
READ = [read_scenarios(f, BUNDLED) for f in FILES]
CASES = [
    pytest.param(case, id=f"{Path(read.file).relative_to(HERE)}::{case.name}")
    for read in READ
    for case in read.cases
]


def test_scenario_files_are_well_formed() -> None:
    """No scenario file has a problem of the whole file (unknown ruleset, bad YAML)."""
    problems = [str(p) for read in READ for p in read.problems]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("case", CASES)
def test_scenario(engine: Engine, case: Scenario) -> None:
    """The assessment says what the scenario, derived from the statute, expects."""
    outcome = run_scenario(engine, case)
    assert outcome.passed, "\n".join(outcome.failures)


def test_every_ruleset_has_scenarios(engine: Engine) -> None:
    """No bundled ruleset ships without scenario tests, and each has at least four cases."""
    counts: dict[str, int] = {}
    for f in FILES:
        code, cases = load_cases(f)
        counts[code] = counts.get(code, 0) + len(cases)
    for ruleset in engine.rulesets:
        assert counts.get(ruleset.code, 0) >= 4, f"{ruleset.code} has too few scenario cases"
