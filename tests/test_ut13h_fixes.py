"""Fixes of the letters, brief and terminal views a thirteenth docs-only user test found
(UT13 findings F10, F11, F12, F13/F8, F14 and F17): each test fails without its fix, and
each holds both sides of the line it draws."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest

from breachrules import Engine, load_incident
from breachrules.cli import main
from breachrules.law.loader import bundled_paths
from breachrules.law.notice_texts import load_notice_data
from breachrules.views.terminal import cells, wrap
from breachrules.views.unverified import settle

from .conftest import incident_doc


def _ut13(**findings: Any) -> dict[str, Any]:
    """The tester's incident, cut down: a Singapore owner with establishments in SG, NL,
    CA-ON and AU, customers in thirteen places, credentials and ID numbers copied."""
    residents = {"SG": 12000, "AU": 3000, "CA-QC": 900, "CA-AB": 300, "CA": 1300}
    residents |= {"DE": 1500, "BR": 600, "JP": 400, "KR": 150, "NZ": 80}
    return incident_doc(
        id="UT13",
        discovered_at="2026-12-03T09:30:00+08:00",
        time_zone="Asia/Singapore",
        parties=[
            {
                "id": "orchid",
                "name": "Orchid Cloud",
                "data_role": "owner",
                "established_in": ["SG", "NL", "CA-ON", "AU"],
            }
        ],
        exposures=[
            {
                "elements": ["name", "email", "contact", "credentials", "government_id"],
                "residents": residents,
                "encrypted": False,
                "acquired": True,
                "accessed": True,
            }
        ],
        risk={"gdpr_risk": None, "findings": findings},
        # copied by an outsider: not a breach only within the organisation (PDPA s. 26B(4))
        facts={"SG": {"within_organisation_only": False}},
    )


FOUND = {"harm_likely": True, "in_writing": True, "made_at": "2026-12-07T17:00:00+08:00"}
NOT_LIKELY = {"harm_likely": False, "in_writing": True, "made_at": "2026-12-07T17:00:00+08:00"}


@pytest.fixture(scope="module")
def ut13(engine: Engine) -> Any:
    incident = load_incident(_ut13(SG=FOUND, AU=FOUND, CA=NOT_LIKELY))
    return incident, engine.assess(incident)


# F10: every country a ruleset covers has a drafting language, so a letter in English
# to people of another language always says which language to write it in.


def _ruleset_countries() -> set[str]:
    codes: set[str] = set()
    for root in bundled_paths():
        for file in root.rglob("*.yaml"):
            found = re.search(r"^code: (\S+)", file.read_text(encoding="utf-8"), re.M)
            if found and not any(part.startswith("_") for part in file.parts):
                codes.add(found.group(1).split("-", 1)[0])
    return codes - {"EU"}


def test_every_country_a_ruleset_covers_has_a_letter_language() -> None:
    data = load_notice_data()
    missing = sorted(c for c in _ruleset_countries() if c not in data.countries)
    assert not missing, missing
    for country in data.countries:
        for language in data.languages_of(country):
            assert language in data.language_names, (country, language)


def test_the_korean_letter_says_to_write_it_in_korean(ut13: Any) -> None:
    incident, assessment = ut13
    letters = {d.key: d for d in assessment.notices(incident).drafts if d.kind == "individuals"}
    korean = letters["letter-orchid-kr-ko"]
    assert any("Write this letter in Korean" in n for n in korean.language_notes)
    # the other side: a letter to people of an English-speaking country gets no such note
    assert not any("Write this letter" in n for n in letters["letter-orchid-nz-en"].language_notes)


# F11: a letter whose duties have a due date shows it, even where the law that requires
# the letter has none; a date from a duty not yet required says whose it is.


@pytest.fixture(scope="module")
def unassessed(engine: Engine) -> Any:
    incident = load_incident(_ut13())
    return incident, engine.assess(incident, as_of="2026-12-08T02:12:00+08:00")


def test_a_letter_shows_the_due_date_of_a_conditional_duty_it_serves(unassessed: Any) -> None:
    incident, assessment = unassessed
    drafts = assessment.notices(incident)
    brazil = drafts.draft("letter-orchid-br-pt")
    dated = {d.obligation: d for d in brazil.duties if d.due is not None}
    assert brazil.status == "required" and "BR:notify-data-subjects" in dated
    assert brazil.due == dated["BR:notify-data-subjects"].due
    header = brazil.to_markdown()
    assert "Status: required; due no fixed date" not in header
    assert "if BR:notify-data-subjects is owed (it is conditional)" in header
    part = next(p for p in assessment.brief(incident).parts if p.population.startswith("BR"))
    assert "no fixed date" not in part.letter.split("(")[0]
    # the other side: a letter none of whose duties has a date still says so
    undated = [d for d in drafts.drafts if d.kind == "individuals" and d.due is None]
    assert undated and all(not any(u.due for u in d.duties) for d in undated)
    assert "Status: required; due no fixed date" in undated[0].to_markdown()


# F12: the staff brief never says letters go "by" a time already past.


def test_an_overdue_letter_is_said_to_go_now(unassessed: Any, engine: Engine) -> None:
    incident, assessment = unassessed
    parts = {p.population.split(" ")[0]: p for p in assessment.brief(incident).parts}
    korea = parts["KR"]
    assert korea.letter.startswith("OVERDUE")
    asked = next(q.answer for q in korea.questions if q.question.startswith("Was my"))
    assert "now, without further delay" in asked and " by 2026" not in asked
    # the other side: the same letter before its due time goes "by" it
    early = engine.assess(incident, as_of="2026-12-04T09:00:00+08:00").brief(incident)
    before = next(p for p in early.parts if p.population.startswith("KR"))
    assert not before.letter.startswith("OVERDUE")
    asked = next(q.answer for q in before.questions if q.question.startswith("Was my"))
    assert "by 2026-12-06T09:30:00+08:00" in asked


# F13 (the findings' F8): wrapping counts terminal cells, two for a wide character.


def test_wrap_counts_cells_not_characters() -> None:
    line = "  4. Personal Information Protection Commission (個人情報保護委員会, PPC), Japan:"
    assert len(line) == 72 and cells(line) == 81  # fits by characters, not by cells
    wrapped = wrap(line, 80).splitlines()
    assert len(wrapped) == 2 and all(cells(w) <= 80 for w in wrapped)
    assert wrapped[1].startswith("     ") and "Japan:" in wrapped[1]  # under its text
    # Japanese with no spaces breaks between its characters, never before a comma
    run = "  - " + "個人情報保護委員会、" * 12
    assert all(cells(w) <= 40 and not w.strip().startswith("、") for w in wrap(run, 40).split("\n"))
    # the other side: a line that fits in cells is left alone; English wraps as before
    assert wrap("個人情報保護委員会" * 4, 72) == "個人情報保護委員会" * 4
    prose = "  1. " + "a word " * 30
    assert wrap(prose, 40) == "\n".join(
        textwrap.wrap(prose[2:], 40, initial_indent="  ", subsequent_indent="     ")
    )


def test_explain_and_plan_fit_80_cells_with_japanese_and_korean(
    capsys: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    path = tmp_path / "ut13.json"
    path.write_text(json.dumps(_ut13()), encoding="utf-8")
    for args in (
        ["explain", str(path), "JP:report-ppc-preliminary"],
        ["explain", str(path), "KR:report-pipc"],
        ["plan", str(path)],
    ):
        main(args)
        printed = capsys.readouterr().out
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]", printed), args
        wide = [ln for ln in printed.splitlines() if cells(ln) > 80 and "http" not in ln]
        assert not wide, (args, wide)


# F14: people whose own law requires no letter, while a letter under a law counting every
# affected person still goes, get that letter's part: in the plan, the drafts and the brief.


def test_a_letter_that_reaches_everyone_has_a_part_for_people_no_own_letter_reaches(
    ut13: Any,
) -> None:
    incident, assessment = ut13
    status = {o.id: o.status for o in assessment.obligations}
    assert status["CA:notify-individuals"] == status["CA-AB:notify-individuals"] == "not_required"
    assert status["SG:notify-individuals"] == status["AU:notify-individuals"] == "required"
    plan = assessment.plan()
    part = next(a for a in plan.actions if a.part_for == "CA")
    assert part.title == "Letter to affected individuals (CA)" and part.status == "required"
    assert {"SG:notify-individuals", "AU:notify-individuals"} <= set(part.obligations)
    assert "CA-AB:notify-individuals" in part.notes[0]
    assert [a.part_for for a in plan.actions].count("CA") == 1
    # every other letter keeps its own population, and names each shared duty once
    assert all(a.part_for is None for a in plan.actions if a is not part)
    for a in plan.actions:
        for note in a.notes:
            if note.startswith("also owed"):
                ids = note.split(": ", 1)[1].split(" (")[0].split(", ")
                assert len(ids) == len(set(ids)), note
    drafts = assessment.notices(incident)
    letter = drafts.draft("letter-orchid-ca-en")
    assert letter.population == "CA" and letter.status == "required"
    assert "SG:notify-individuals" in letter.obligations
    brief = assessment.brief(incident)
    assert any(p.population == "CA" for p in brief.parts)
    assert any("part for CA above" in line for line in brief.letter_under)


def test_no_part_without_a_letter_that_reaches_everyone(ut13: Any, engine: Engine) -> None:
    incident, _ = ut13
    # the other side: PIPEDA alone, its letter not required, no other law's letter
    alone = engine.assess(incident, jurisdictions=["CA"])
    assert not any(
        a.recipient == "individuals" and a.kind == "notice" for a in alone.plan().actions
    )
    assert any(line.startswith("CA:") for line in alone.brief(incident).no_letter)
    # and where PIPEDA's own letter still may go, it is its own, not a part
    undecided = engine.assess(load_incident(_ut13(SG=FOUND, AU=FOUND)))
    own = next(a for a in undecided.plan().actions if a.title.endswith("(CA)"))
    assert own.part_for is None and "CA" in own.jurisdictions


# F17: the rules' own verified: false marks reach explain and assess.


def test_settle_takes_the_sentence_that_says_what_would_settle_it() -> None:
    note = (
        "72 hours confirmed in commentaries; the Decree's 2023 wording was not read. "
        "Reading Decree Art. 39(1) as amended by Presidential Decree No. 33723 would "
        "settle it. Close-out pass of 2026-12-07: nothing found."
    )
    assert settle(note) == (
        "Reading Decree Art. 39(1) as amended by Presidential Decree No. 33723 would settle it."
    )
    assert settle("Read in a summary. What would settle it: s. 26WE(2) on FRL.") == (
        "settled by s. 26WE(2) on FRL."
    )
    # the other side: a note that does not say is quoted as such, never invented
    assert settle("Read in a summary only. Nothing else.") == (
        "not said; the note begins: Read in a summary only."
    )
    assert len(settle("x would settle it " * 40)) <= 224


def _explained(capsys: Any, monkeypatch: Any, path: Path, subject: str) -> str:
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["explain", str(path), subject]) == 0
    return str(capsys.readouterr().out)


def test_explain_names_each_unverified_point_a_result_rests_on(
    capsys: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    path = tmp_path / "ut13.json"
    path.write_text(json.dumps(_ut13()), encoding="utf-8")
    alberta = _explained(capsys, monkeypatch, path, "CA-AB:notify-commissioner")
    assert "Unverified points this rests on" in alberta
    assert re.search(r"- obligations\[notify-commissioner\]: settled by s\. 34\.1\(2\)", alberta)
    assert "- personal_information: " in alberta  # the determination's own definition
    law = _explained(capsys, monkeypatch, path, "AU")
    assert "- breach: settled by the text of s. 26WE(2)" in law
    # the other side: Korea's 2026 version, read in full, rests on no unverified point ...
    korea = _explained(capsys, monkeypatch, path, "KR:notify-data-subjects")
    assert "Unverified points" not in korea
    # ... while a leak found before it came into force rests on the 2023 72 hours
    doc = _ut13()
    doc["discovered_at"] = "2025-03-03T09:30:00+08:00"
    older = tmp_path / "older.json"
    older.write_text(json.dumps(doc), encoding="utf-8")
    text = _explained(capsys, monkeypatch, older, "KR:notify-data-subjects")
    assert "- versions[1].parameters.subject_deadline: Reading Decree Art. 39(1)" in text
    assert "report_trigger" not in text  # the report's threshold is not this notice's


def test_assess_counts_the_unverified_points_of_each_applied_law(
    capsys: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    path = tmp_path / "ut13.json"
    path.write_text(json.dumps(_ut13()), encoding="utf-8")
    assert main(["assess", str(path)]) == 0
    table = capsys.readouterr().out
    said = " ".join(table.split("Unverified points these results rest on")[1].split()[:30])
    assert re.search(r"CA-AB:\d", said) and re.search(r"\bNZ:\d", said)
    # PIPEDA applied, every point read (its last mark came off in the s11 audit): not listed
    assert not re.search(r"\bCA:\d", said)
    assert all(len(line) <= 80 for line in table.splitlines() if "http" not in line)
