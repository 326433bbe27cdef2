"""The brief for customer-facing staff (issue 23, part 2): per population and language,
what may be said now and what not yet, answers drawn from the drafts, and what changed."""

from __future__ import annotations

import json
from typing import Any

import pytest

from breachrules import Engine, load_incident
from breachrules.cli import main
from breachrules.views.brief import BRIEF_MARKING, brief_changes

from .conftest import EXAMPLES, incident_doc

HOLD = "[[holding statement approved by counsel]]"
EVOLVING = EXAMPLES / "evolving"


def _brief(engine: Engine, doc: dict[str, Any] | str) -> Any:
    incident = load_incident(doc)
    return engine.assess(incident).brief(incident)


def test_nothing_is_said_before_a_law_enforcement_delay_ends(engine: Engine) -> None:
    delayed = incident_doc(
        law_enforcement={
            "notified_at": "2026-03-02T15:00:00-05:00",
            "delay_requested_until": "2026-03-20T00:00:00-05:00",
        }
    )
    part = _brief(engine, delayed).parts[0]
    assert any("until the law-enforcement delay ends" in n for n in part.not_yet)
    assert part.may_say == (f"Only the approved holding line: {HOLD}",)
    assert all(q.answer == HOLD for q in part.questions if "involved" in q.question)
    free = _brief(engine, incident_doc()).parts[0]  # the same incident without the request
    assert not any("law-enforcement delay" in n for n in free.not_yet)
    involved = next(q for q in free.questions if q.question == "What information was involved?")
    assert involved.answer == "The information involved: name, Social Security number."


def test_a_delay_that_has_ended_holds_nothing(engine: Engine) -> None:
    doc = incident_doc(
        law_enforcement={"notified_at": None, "delay_requested_until": "2026-03-20T00:00:00-05:00"}
    )
    incident = load_incident(doc)
    later = engine.assess(incident, as_of="2026-03-21T00:00:00-05:00").brief(incident)
    assert not any("law-enforcement delay" in n for n in later.parts[0].not_yet)


def test_nothing_pre_empts_a_notice_a_law_requires_first(engine: Engine) -> None:
    """New Jersey's report to the State Police goes "in advance of the disclosure to the
    customer" (N.J.S.A. 56:8-163(c)(1)): until then, only the holding line."""
    staff = _brief(engine, str(EXAMPLES / "multistate-ransomware.json"))
    assert any("US-NJ" in f and "State Police" in f for f in staff.first)
    us = next(p for p in staff.parts if p.population == "US")
    assert any("56:8-163(c)(1)" in n for n in us.not_yet)
    assert all(q.answer.endswith(HOLD) for q in us.questions if "involved" in q.question)
    ma = next(p for p in staff.parts if p.population.startswith("US-MA"))
    assert any("nature of the breach" in n for n in ma.not_yet)  # 93H § 3(b), from the draft


def test_one_part_per_population_and_language(engine: Engine) -> None:
    staff = _brief(engine, str(EXAMPLES / "multinational-saas-breach.json"))
    languages = {(p.population.split(" ")[0], p.language) for p in staff.parts}
    assert {("US", "en"), ("EU", "de"), ("EU", "fr"), ("CA-QC", "fr"), ("JP", "ja")} <= languages
    for part in staff.parts:
        assert "hotline number" in part.placeholders
        assert part.letter and part.status in ("required", "conditional")


def test_remedies_a_law_requires_have_a_placeholder(engine: Engine) -> None:
    """California's identity-theft services (SSN exposed): an enrolment placeholder."""
    part = _brief(engine, incident_doc()).parts[0]
    answer = next(q.answer for q in part.questions if "credit monitoring" in q.question)
    assert "how to enrol" in answer


def test_brief_changes_as_facts_arrive(engine: Engine) -> None:
    old = _brief(engine, str(EVOLVING / "day-1.json"))
    new = _brief(engine, str(EVOLVING / "day-4.json"))
    changes = brief_changes(old, new)
    assert ("removed", "Letter: conditional") in {(c.kind, c.line) for c in changes}
    assert ("added", "Letter: required") in {(c.kind, c.line) for c in changes}
    assert brief_changes(new, new) == ()


def test_brief_and_diff_commands(capsys: pytest.CaptureFixture[str]) -> None:
    example = str(EXAMPLES / "multistate-ransomware.json")
    assert main(["brief", example, "--as-of", "discovery"]) == 0
    text = capsys.readouterr().out
    assert " ".join(text.split()).startswith(f"**{BRIEF_MARKING}**")  # wrapped to the width
    assert "Questions customers will ask" in text
    assert main(["brief", example, "--format", "json", "--as-of", "discovery"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["marking"] == BRIEF_MARKING and document["parts"]
    day1, day4 = str(EVOLVING / "day-1.json"), str(EVOLVING / "day-4.json")
    assert main(["diff", day1, day4, "--as-of", "discovery"]) == 0
    assert "Staff brief changes" in capsys.readouterr().out
    assert main(["diff", day1, day4, "--as-of", "discovery", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert {"part", "kind", "line"} <= set(document["brief_changes"][0])
