"""Fixes of the Python API and command-line hints a twelfth docs-only user test found
(UT12 findings F8, F9, F10, F11, F14, F15 and F16): each test fails without its fix, and
each holds both sides of the line it draws."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

import breachrules
from breachrules import AssessmentDiff, Engine, compare, load_incident, open_questions, reassess
from breachrules.cli import main
from breachrules.views.questions import DELAY_FACT

from .conftest import EXAMPLES, ROOT, incident_doc

EXAMPLE = EXAMPLES / "multistate-ransomware.json"
EVOLVING = EXAMPLES / "evolving"


# F8: InvalidArgument is public, beside the other errors.


def test_invalid_argument_is_exported_and_caught_by_name(engine: Engine) -> None:
    assert "InvalidArgument" in breachrules.__all__
    incident = load_incident(incident_doc())
    with pytest.raises(breachrules.InvalidArgument, match=r"as_of: .* has no UTC offset"):
        engine.assess(incident, as_of=datetime(2026, 3, 3, 9, 0))
    with pytest.raises(breachrules.InvalidArgument, match="no ruleset for 'XX-NOPE'"):
        engine.assess(incident, jurisdictions=["XX-NOPE"])
    # the other side: a good argument raises nothing
    assert engine.assess(incident, jurisdictions=["us-ca"]).determinations


def test_every_exported_error_is_documented_beside_the_others() -> None:
    contract = (ROOT / "docs" / "contract.md").read_text(encoding="utf-8")
    public = {n: getattr(breachrules, n) for n in breachrules.__all__}
    errors = [n for n, v in public.items() if isinstance(v, type) and issubclass(v, Exception)]
    assert "InvalidArgument" in errors
    assert "is a `BreachrulesError`" in contract
    for name in set(errors) - {"BreachrulesError"}:
        assert f"| `{name}`" in contract, name


# F11: a misspelt party type names the near word; still a warning.


def test_a_misspelt_party_type_warns_with_the_near_word(engine: Engine) -> None:
    def warnings(word: str) -> list[str]:
        party = {"id": "acme", "data_role": "owner", "established_in": ["US-CA"], "types": [word]}
        doc = incident_doc(parties=[party])
        return [w for w in engine.assess(load_incident(doc)).warnings if "types" in w]

    assert warnings("hipaa_covred_entity") == [
        "parties[0].types: 'hipaa_covred_entity' is not a word any ruleset uses; "
        "did you mean 'hipaa_covered_entity'?"
    ]
    # a word far from every known one gets no guess, nor one that only shares words with
    # another status (Form 8-K's smaller reporting company is not Reg S-P's smaller
    # entity); a known word no warning
    assert warnings("zzqqy") == ["parties[0].types: 'zzqqy' is not a word any ruleset uses"]
    assert warnings("sec_smaller_reporting_company") == [
        "parties[0].types: 'sec_smaller_reporting_company' is not a word any ruleset uses"
    ]
    assert warnings("hipaa_covered_entity") == []


# F16: a place given where a law is asked for names the laws that reach it.


def test_a_place_as_jurisdiction_names_the_rulesets_that_reach_it(engine: Engine) -> None:
    with pytest.raises(breachrules.InvalidArgument) as caught:
        engine.jurisdiction_codes(["ie"], "--jurisdiction")
    (problem,) = caught.value.problems
    assert problem.path == "--jurisdiction"
    assert problem.reason.startswith("no ruleset for 'ie'; IE (Ireland) is a place, and ")
    named = problem.reason.split("the rulesets that reach it are ")[1].split(" (")[0]
    assert {"EU-GDPR", "EU-NIS2", "EU-EPRIV"} <= set(named.split(", "))
    assert not any(c.startswith("US-") for c in named.split(", "))


@pytest.mark.parametrize(
    ("word", "said"),
    [
        ("US-CAL", "no ruleset for 'US-CAL'; did you mean 'US-CA'?"),  # not a place: a typo
        ("US-NOPE", "no ruleset for 'US-NOPE'; did you mean"),  # nor this
        ("XX", "no ruleset for 'XX' ("),  # a place no ruleset reaches: nothing to name
    ],
)
def test_a_code_that_is_no_place_keeps_the_near_miss(engine: Engine, word: str, said: str) -> None:
    with pytest.raises(breachrules.InvalidArgument) as caught:
        engine.jurisdiction_codes([word])
    reason = caught.value.problems[0].reason
    assert reason.startswith(said)
    assert "is a place" not in reason


def test_the_command_line_names_the_laws_of_a_place(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess", str(EXAMPLE), "--jurisdiction", "IE"]) == 2
    err = capsys.readouterr().err
    assert "--jurisdiction: no ruleset for 'IE'; IE (Ireland) is a place" in err
    assert "EU-GDPR" in err


# F9: compare without facts says they were not given; str(diff) fits the terminal.


def _days(engine: Engine, old: int, new: int) -> tuple[Any, Any, AssessmentDiff]:
    first = load_incident(EVOLVING / f"day-{old}.json")
    second = load_incident(EVOLVING / f"day-{new}.json")
    return reassess(engine, first, second, jurisdictions=["US-CA"])


def test_compare_without_facts_says_they_were_not_given(engine: Engine) -> None:
    before, after, computed = _days(engine, 2, 4)
    blind = compare(before, after)
    assert blind.facts_given is False
    assert blind.fact_lines() == [
        "Facts changed: not given (pass facts_changed= to compare, or use reassess)"
    ]
    assert "Facts changed (0)" not in str(blind)
    assert blind.to_dict()["facts_given"] is False
    # the same changes, none with a cause, since none was given
    assert [(c.kind, c.subject) for c in blind.changes] == [
        (c.kind, c.subject) for c in computed.changes
    ]
    assert all(c.caused_by == () for c in blind.changes)
    # the other side: given (reassess, or an empty dict said on purpose) they are counted
    assert computed.facts_given is True and "facts_given" not in computed.to_dict()
    assert computed.fact_lines()[0] == "Facts changed (2)"
    assert compare(before, after, {}).fact_lines() == ["Facts changed (0)"]


@pytest.mark.parametrize("columns", [80, 100, 60])
def test_str_of_a_diff_fits_columns(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    """Piped, ``str(diff)`` fits ``$COLUMNS`` as ``breachrules diff`` does (it was 110
    wide at 80): the long fact lines wrap under their path, and a table too wide for the
    ids and timestamps turns into one block per change."""
    monkeypatch.setenv("COLUMNS", str(columns))
    _, _, diff = _days(engine, 1, 2)
    text = str(diff)
    assert text == diff.to_text(columns)
    assert max(len(line) for line in text.splitlines()) <= columns
    assert "exposures[1].encrypted: null -> false" in text
    assert "exposures[1].encrypted" in text.split("Changes (")[1]  # each cause kept whole


def test_a_diff_too_narrow_for_its_table_stacks_like_the_command_line(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    doc = incident_doc()
    doc["exposures"][0]["acquired"] = None
    later = incident_doc()
    later["law_enforcement"] = {"delay_requested_until": "2026-05-20T00:00:00-05:00"}
    old, new = load_incident(doc), load_incident(later)
    _, _, diff = reassess(engine, old, new, jurisdictions=["US-CA"])
    text = str(diff)
    assert max(len(line) for line in text.splitlines()) <= 80
    blocks = [line for line in text.splitlines() if line.startswith("    before:")]
    assert blocks, text  # two timestamps beside an id do not fit 80 columns
    assert str(diff) != diff.to_text(200)  # the other side: wide enough, a table
    assert "    before:" not in diff.to_text(200)


# F15: questions asks about a law-enforcement delay, last, where one would move a date.


def test_questions_ask_about_a_delay_last_naming_the_notices_it_would_move(
    engine: Engine,
) -> None:
    doc = incident_doc()
    doc["exposures"][0]["acquired"] = None  # one deciding question stays open
    q = open_questions(engine, load_incident(doc), jurisdictions=["US-CA"])
    last = q.questions[-1]
    assert last.fact == DELAY_FACT == "law_enforcement.delay_requested_until"
    assert last.only_dates and last.outcomes == ()
    # § 1798.82(c) lets a delay move the letters; the Attorney General's copy has no
    # delay clause of its own
    assert "US-CA:notify-individuals" in last.decides
    assert "US-CA:notify-attorney-general" not in last.decides
    assert last.earliest_due == min(
        o.due for o in q.assessment.obligations if o.id in last.decides and o.due
    )
    assert q.questions[0].fact == "exposures[0].acquired"  # the facts that decide first


def test_no_delay_question_once_a_delay_is_given_or_nothing_it_moves_is_owed(
    engine: Engine,
) -> None:
    given = incident_doc(law_enforcement={"delay_requested_until": "2026-04-20T00:00:00-05:00"})
    q = open_questions(engine, load_incident(given), jurisdictions=["US-CA"])
    assert DELAY_FACT not in {x.fact for x in q.questions}
    nothing = incident_doc()
    nothing["exposures"][0]["acquired"] = False  # not a breach: no letter owed
    q = open_questions(engine, load_incident(nothing), jurisdictions=["US-CA"])
    assert DELAY_FACT not in {x.fact for x in q.questions}


def test_the_command_line_says_what_a_delay_would_move(capsys: pytest.CaptureFixture[str]) -> None:
    day1 = EVOLVING / "day-1.json"
    assert main(["questions", str(day1), "--jurisdiction", "US-CA", "--as-of", "discovery"]) == 0
    out = capsys.readouterr().out
    assert "law_enforcement.delay_requested_until: dates 1 obligation(s)" in out
    assert "none given, read as no request" in " ".join(out.split())


# F10: help() shows what each field of the main result classes means.

MAIN_CLASSES = ["Assessment", "Determination", "Obligation", "Reason", "Deadline"]


@pytest.mark.parametrize("name", MAIN_CLASSES)
def test_help_describes_every_field_of_the_main_classes(name: str) -> None:
    import pydoc

    import attrs

    cls = getattr(breachrules, name)
    shown = pydoc.render_doc(cls, renderer=pydoc.plaintext)
    fields = [f.name for f in attrs.fields(cls)]
    undescribed = [f for f in fields if f"``{f}``" not in shown]
    assert undescribed == [], undescribed


def test_help_says_what_the_status_words_and_due_mean() -> None:
    import pydoc

    text = " ".join(pydoc.render_doc(breachrules.Obligation, renderer=pydoc.plaintext).split())
    assert "``status``: ``required`` (owed now); ``conditional``" in text
    assert "``due``: when it is due, timezone-aware" in text
    assert "``basis``: the provision that imposes the duty" in text


def test_the_reference_opens_with_a_plain_markdown_summary() -> None:
    text = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    summary = text.split(":::", 1)[0]  # before the first mkdocstrings directive
    assert "## The main objects, in brief" in summary
    for name in [*MAIN_CLASSES, "Engine", "InvalidArgument"]:
        assert f"| `{name}` |" in summary or f"`{name}`" in summary, name
    rows = [line for line in summary.splitlines() if line.startswith("| `")]
    assert len(rows) >= 6


# F14: the docs and notebooks import only what the API reference documents.

_IMPORT = re.compile(
    r"^\s*(?:from (breachrules[\w.]*) import ([\w, ()]+)|import (breachrules[\w.]*))"
)


def _documented() -> set[str]:
    text = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    return set(re.findall(r"^::: (breachrules[\w.]*)", text, flags=re.MULTILINE))


def _imports(text: str) -> list[tuple[str, list[str]]]:
    found = []
    for line in text.splitlines():
        m = _IMPORT.match(line.replace('\\n",', "").strip().strip('"'))
        if m:
            module = m.group(1) or m.group(3)
            names = [n.strip(" ()") for n in (m.group(2) or "").split(",") if n.strip(" ()")]
            found.append((module, names))
    return found


def _pages() -> list[Path]:
    pages = [*ROOT.glob("docs/*.md"), *ROOT.glob("examples/**/README.md")]
    return [*pages, *ROOT.glob("examples/notebooks/*.ipynb"), ROOT / "README.md"]


def test_docs_and_notebooks_import_only_documented_modules() -> None:
    documented = _documented()
    assert {"breachrules.audit.register", "breachrules.audit.impact"} <= documented
    wrong = []
    for page in _pages():
        for module, names in _imports(page.read_text(encoding="utf-8")):
            if module in documented:
                continue
            # ``from breachrules.views.exports import ocsf``: each a documented module
            if names and all(f"{module}.{n}" in documented for n in names):
                continue
            wrong.append(f"{page.relative_to(ROOT)}: {module} {names}")
    assert wrong == []


def test_the_import_check_sees_an_undocumented_module() -> None:
    """The other side: the check above finds what it looks for, in a notebook's JSON too."""
    cell = '    "from breachrules.model.timestamps import parse_timestamp\\n",'
    assert _imports(cell) == [("breachrules.model.timestamps", ["parse_timestamp"])]
    assert "breachrules.model.timestamps" not in _documented()
    assert _imports("from breachrules.notebook import (") == [("breachrules.notebook", [])]
    assert "breachrules.notebook" not in _documented()


def test_the_reference_says_which_modules_are_public() -> None:
    text = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    public = text.split("## Which modules are public", 1)[1].split("## Generated", 1)[0]
    for module in _documented():
        assert f"`{module}`" in public, module
    assert "is internal" in public
