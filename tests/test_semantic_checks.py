"""Slips a ruleset author makes that used to load and then mean something else (or crash
an assessment): each is now a problem at load, with file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from breachrules.errors import RulesetError
from breachrules.law.loader import load_ruleset

from .conftest import ROOT

POLICY = (ROOT / "examples" / "policies" / "acme.yaml").read_text(encoding="utf-8")
DEADLINE = "value: {text: within 24 hours of discovery, from: discovery, hours: 24}"
INDIVIDUALS = "deadline: {text: within 30 days of discovery, from: discovery, days: 30}"


def _problems(tmp_path: Path, text: str) -> list[str]:
    file = tmp_path / "policy.yaml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(RulesetError) as caught:
        load_ruleset(file)
    return [str(p) for p in caught.value.problems]


def _line(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (  # the docs' example used to validate and crash every assessment
            "applies_to:",
            "holidays: {country: US, subdivision: XX}\napplies_to:",
            "US has no subdivision 'XX'",
        ),
        ("applies_to:", "holidays: {country: UX}\napplies_to:", "no holiday calendar for"),
        (  # business days without a calendar counted weekends only
            INDIVIDUALS,
            INDIVIDUALS.replace("days: 30}", "days: 30, business_days: true}"),
            "business days need a holiday calendar",
        ),
        (  # hours ignored the business-day flag
            DEADLINE,
            DEADLINE.replace("hours: 24}", "hours: 24, business_days: true}"),
            "business_days counts days",
        ),
        ("residents: [US, CA, GB, EU, AU]", "residents: [US-CAL, CA]", "did you mean 'US-CA'?"),
        ("residents: [US, CA, GB, EU, AU]", "residents: [usa]", "not an ISO 3166 code"),
        (
            "when: {breached_party_role: service_provider}",
            "when: {residents: {gt: -5}}",
            "residents is a count, never negative",
        ),
        (
            "applies_to:\n  party_types: [acme_group]",
            "applies_to:\n  party_types: [acme_grop]",
            "unknown party type 'acme_grop'; did you mean 'acme_group'?",
        ),
    ],
)
def test_slip_is_a_problem_at_its_line(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in POLICY
    text = POLICY.replace(old, new, 1)
    problems = _problems(tmp_path, text)
    line = next(i for i, a in enumerate(text.splitlines(), 1) if a not in POLICY.splitlines())
    assert any(message in p for p in problems), problems
    assert any(f"policy.yaml:{line}:" in p for p in problems if message in p), problems


def test_a_gap_between_versions(tmp_path: Path) -> None:
    text = POLICY.replace(
        "versions:\n",
        "versions:\n  - effective_from: 2024-01-01\n    effective_to: 2025-06-30\n"
        "    citation: ISP-7 (version 2)\n    parameters:\n      owner_deadline:\n"
        "        citation: ISP-7 § 4.1\n        value: {text: x, from: discovery, hours: 48}\n",
        1,
    )
    problems = _problems(tmp_path, text)
    assert any("leaves a gap" in p and "2025-07-01 to 2025-12-31" in p for p in problems)


def test_a_parameter_problem_is_reported_once_at_the_parameter(tmp_path: Path) -> None:
    """A bad deadline parameter used to be reported per version, at the rule's line."""
    text = POLICY.replace(DEADLINE, DEADLINE.replace("hours: 24}", 'hours: "24"}'))
    problems = _problems(tmp_path, text)
    assert problems == [
        f"{tmp_path / 'policy.yaml'}:{_line(text, 'hours: ')}: "
        "versions[0].parameters.owner_deadline.value.hours: '24' is not of type 'integer'"
    ]


def test_a_deadline_error_names_the_key(tmp_path: Path) -> None:
    """Not "is not valid under any of the given schemas": what is wrong, with a near miss."""
    text = POLICY.replace(INDIVIDUALS, INDIVIDUALS.replace("from: discovery", "from: discvery"))
    problems = _problems(tmp_path, text)
    assert any("did you mean 'discovery'?" in p for p in problems), problems
    assert not any("any of the given schemas" in p for p in problems)


def test_code_message_states_the_pattern(tmp_path: Path) -> None:
    problems = _problems(tmp_path, POLICY.replace("code: XX-ACME", "code: xx-acme"))
    assert any("is not a code" in p and "XX-ACME" in p for p in problems)
