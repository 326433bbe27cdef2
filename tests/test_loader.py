"""Ruleset files: every problem is reported with file and line, with near-miss hints."""

from __future__ import annotations

from pathlib import Path

import pytest

from breachrules import RulesetError, load_ruleset
from breachrules.law.loader import bundled_paths

MINIMAL = """\
code: US-XX
name: Example
citation: Ex. Code § 1
sources: [{url: https://example.org}]
last_reviewed: 2026-11-01
reaches: {residents: [XX-ZZ]}
versions:
  - effective_from: 2020-01-01
    citation: Ex. Code § 1
    parameters:
      pi: {value: [[name, ssn]], citation: Ex. Code § 1(a)}
personal_information:
  id: pi
  citation: Ex. Code § 1(a)
  when: {elements: {combination_of: $pi}}
breach:
  id: breach
  citation: Ex. Code § 1(b)
  when: {acquired: true}
obligations:
  - id: notify-individuals
    citation: Ex. Code § 1(c)
    recipient: individuals
    by: owner
    deadline: {text: within 30 days, days: 30}
"""


def load(tmp_path: Path, text: str):
    file = tmp_path / "xx.yaml"
    file.write_text(text)
    return load_ruleset(file)


def errors(tmp_path: Path, text: str) -> list:
    with pytest.raises(RulesetError) as info:
        load(tmp_path, text)
    return info.value.problems


def test_minimal_ruleset_loads(tmp_path: Path) -> None:
    """The minimal example in the authoring guide loads."""
    ruleset = load(tmp_path, MINIMAL)
    assert ruleset.code == "US-XX"
    assert ruleset.current.obligations[0].deadline.days == 30


def test_bundled_rulesets_are_found() -> None:
    """The bundled rulesets are found (inside the wheel or in the checkout)."""
    assert bundled_paths()


def test_unknown_key_has_line_and_suggestion(tmp_path: Path) -> None:
    """A misspelt key is reported at its line with the near miss."""
    [problem] = errors(
        tmp_path,
        MINIMAL.replace(
            "    recipient: individuals", "    recipent: individuals\n    recipient: individuals"
        ),
    )
    assert problem.line == 23
    assert "recipient" in problem.reason and str(problem).startswith(str(tmp_path))


def test_unknown_fact_in_condition(tmp_path: Path) -> None:
    """An unknown fact name in a condition names its line and the near miss."""
    [problem] = errors(tmp_path, MINIMAL.replace("when: {acquired: true}", "when: {aquired: true}"))
    assert problem.line == 19
    assert "'acquired'" in problem.reason


def test_unknown_element_word(tmp_path: Path) -> None:
    """An unknown data element word in a parameter is caught when the rule is compiled."""
    [problem] = errors(tmp_path, MINIMAL.replace("[[name, ssn]]", "[[name, snn]]"))
    assert "'ssn'" in problem.reason


def test_missing_parameter(tmp_path: Path) -> None:
    """A rule that uses a parameter no version sets is an error naming the version."""
    [problem] = errors(tmp_path, MINIMAL.replace("combination_of: $pi", "combination_of: $p1"))
    assert "$p1" in problem.reason and "version 0" in problem.reason


def test_overlapping_versions(tmp_path: Path) -> None:
    """Versions must not overlap and must be in date order."""
    text = (
        MINIMAL.replace(
            "    citation: Ex. Code § 1\n    parameters:",
            "    effective_to: 2021-12-31\n    citation: Ex. Code § 1\n    parameters:",
            1,
        )
        + ""
    )
    text = text.replace(
        "personal_information:",
        "  - effective_from: 2021-06-01\n    citation: Ex. Code § 1 (2021)\npersonal_information:",
    )
    problems = errors(tmp_path, text)
    assert any("overlaps" in p.reason for p in problems)


def test_invalid_yaml_has_line(tmp_path: Path) -> None:
    """Broken YAML is reported with its line."""
    [problem] = errors(tmp_path, MINIMAL.replace("name: Example", "name: [Example"))
    assert problem.line is not None


def test_norway_problem_caught(tmp_path: Path) -> None:
    """A bare NO (read by YAML as false) where a code is expected is an error."""
    problems = errors(tmp_path, MINIMAL.replace("residents: [XX-ZZ]", "residents: [NO]"))
    assert problems[0].path == "reaches.residents[0]"


def test_bad_recipient_and_anchor(tmp_path: Path) -> None:
    """Recipients and clock anchors come from the contract's vocabulary."""
    problems = errors(
        tmp_path,
        MINIMAL.replace("recipient: individuals", "recipient: individual").replace(
            "{text: within 30 days, days: 30}", "{text: within 30 days, days: 30, from: discvery}"
        ),
    )
    reasons = " ".join(p.reason for p in problems)
    assert "individual" in reasons and "discvery" in reasons


def test_each_ruleset_records_the_sha256_of_its_file(tmp_path: Path) -> None:
    """The exact text applied is named by its hash (CRLF read as LF), and every assessment
    lists it beside the version (``rulesets[].sha256``)."""
    import hashlib

    from breachrules import Engine, load_incident

    lf = tmp_path / "lf.yaml"
    lf.write_bytes(MINIMAL.encode())
    crlf = tmp_path / "crlf.yaml"
    crlf.write_bytes(MINIMAL.replace("\n", "\r\n").encode())
    expected = hashlib.sha256(MINIMAL.encode()).hexdigest()
    assert load_ruleset(lf).sha256 == expected
    assert load_ruleset(crlf).sha256 == expected
    edited = tmp_path / "edited.yaml"
    edited.write_text(MINIMAL.replace("Example", "Example (amended)"), encoding="utf-8")
    assert load_ruleset(edited).sha256 != expected

    engine = Engine()
    incident = load_incident(
        {
            "id": "SHA-1",
            "discovered_at": "2026-03-01T09:00:00+00:00",
            "parties": [{"id": "acme", "data_role": "owner"}],
            "exposures": [{"elements": ["name", "ssn"], "residents": {"US-TX": 10}}],
        }
    )
    refs = engine.assess(incident).to_dict()["rulesets"]
    texas = engine.ruleset("US-TX")
    assert texas.path is not None
    on_disk = hashlib.sha256(texas.path.read_bytes().replace(b"\r\n", b"\n")).hexdigest()
    assert {r["code"]: r["sha256"] for r in refs}["US-TX"] == on_disk
