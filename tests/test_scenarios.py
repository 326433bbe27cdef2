"""Every ruleset's YAML scenario cases (tests/rulesets/**.yaml), one test per case."""

from __future__ import annotations

from pathlib import Path

import pytest

from breachrules import Engine
from breachrules.testing.scenarios import load_cases, run_case

HERE = Path(__file__).resolve().parent / "rulesets"
FILES = sorted(HERE.rglob("*.yaml"))
CASES = [
    pytest.param(code, incident, expect, as_of, id=f"{f.relative_to(HERE)}::{name}")
    for f in FILES
    for code, cases in [load_cases(f)]
    for name, incident, expect, as_of in cases
]


@pytest.mark.parametrize(("code", "incident", "expect", "as_of"), CASES)
def test_scenario(
    engine: Engine, code: str, incident: dict, expect: dict, as_of: str | None
) -> None:
    """The assessment says what the scenario, derived from the statute, expects."""
    failures = run_case(engine, code, incident, expect, as_of)
    assert not failures, "\n".join(failures)


def test_every_ruleset_has_scenarios(engine: Engine) -> None:
    """No bundled ruleset ships without scenario tests, and each has at least four cases."""
    counts: dict[str, int] = {}
    for f in FILES:
        code, cases = load_cases(f)
        counts[code] = counts.get(code, 0) + len(cases)
    for ruleset in engine.rulesets:
        assert counts.get(ruleset.code, 0) >= 4, f"{ruleset.code} has too few scenario cases"
