"""The command line a responder uses: deadlines as of now, tables that fit, the plan."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from breachrules import Engine, load_incident
from breachrules.cli import main

from .conftest import EXAMPLES

MULTINATIONAL = EXAMPLES / "multinational-saas-breach.json"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _days_ago(tmp_path: Path, days: int) -> Path:
    """The California example, discovered ``days`` days ago."""
    doc = json.loads((EXAMPLES / "multistate-ransomware.json").read_text())
    doc["discovered_at"] = (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds")
    path = tmp_path / "incident.json"
    path.write_text(json.dumps(doc))
    return path


@pytest.mark.parametrize("command", ["assess", "plan", "questions"])
def test_default_is_now_and_overdue_is_plain(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
) -> None:
    """On day 40 a 30-day deadline has passed: the command line says OVERDUE by default,
    and counts from discovery only when asked."""
    path = _days_ago(tmp_path, 40)
    code, out, _ = run(capsys, command, str(path), "--jurisdiction", "US-CA")
    assert code == 0
    assert "OVERDUE by" in out
    code, out, _ = run(
        capsys, command, str(path), "--jurisdiction", "US-CA", "--as-of", "discovery"
    )
    assert code == 0 and "OVERDUE" not in out
    code, out, _ = run(capsys, command, str(path), "--jurisdiction", "US-CA", "--as-of", "now")
    assert "OVERDUE by" in out


def test_json_as_of_is_now(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """assess --format json is as of now too, and every overdue obligation says so."""
    path = _days_ago(tmp_path, 40)
    before = datetime.now(UTC).replace(microsecond=0)
    _, out, _ = run(capsys, "assess", str(path), "--format", "json")
    doc = json.loads(out)
    assert datetime.fromisoformat(doc["as_of"]) >= before
    assert any(o["overdue"] for o in doc["obligations"])


def test_library_default_stays_the_discovery_time(engine: Engine, tmp_path: Path) -> None:
    """Library calls are reproducible: no wall clock unless as_of is given."""
    incident = load_incident(_days_ago(tmp_path, 40))
    assert engine.assess(incident).as_of == incident.discovered_at


def test_bad_as_of_exits_2_naming_the_option(capsys: pytest.CaptureFixture[str]) -> None:
    for command in (["assess", str(MULTINATIONAL)], ["audit", "report", "x.jsonl"]):
        code, _, err = run(capsys, *command, "--as-of", "yesterday")
        if command[0] == "audit":
            # the log is read first; a missing log is its own error
            assert code in (1, 2)
            continue
        assert code == 2 and "--as-of" in err and "Traceback" not in err


@pytest.mark.parametrize("columns", [80, 100, 160])
@pytest.mark.parametrize("command", ["assess", "plan", "questions"])
def test_output_fits_the_width(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    columns: int,
) -> None:
    """No line is wider than the terminal (the multinational example used to print a
    1,393-column line); long cells wrap within their column. Only a word longer than the
    line (a regulator's URL) runs past it, whole, on a line of its own."""
    monkeypatch.setenv("COLUMNS", str(columns))
    for path in (MULTINATIONAL, EXAMPLES / "unknown-exfiltration-ransomware.json"):
        code, out, _ = run(capsys, command, str(path), "--as-of", "discovery")
        assert code == 0
        widest = max(len(line) for line in out.splitlines() if len(line.split()) > 1)
        assert widest <= columns, (command, path.name, widest)


@pytest.mark.parametrize("columns", [80, 120])
def test_ids_and_codes_never_break_inside(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    engine: Engine,
    columns: int,
) -> None:
    """Every obligation id in the assessment table, and every party and jurisdiction code
    in the plan, is printed whole on one line (a responder copies and searches them), and
    no line is wider than the terminal."""
    monkeypatch.setenv("COLUMNS", str(columns))
    for path in (MULTINATIONAL, EXAMPLES / "processor-chain-with-contracts.json"):
        assessment = engine.assess(load_incident(path))
        code, out, _ = run(capsys, "assess", str(path), "--as-of", "discovery")
        assert code == 0
        assert max(len(line) for line in out.splitlines()) <= columns
        words = {w.rstrip(",") for line in out.splitlines() for w in line.split()}
        live = [o.id for o in assessment.obligations if o.status != "not_required"]
        assert live and [i for i in live if i not in words] == []
        code, out, _ = run(capsys, "plan", str(path), "--as-of", "discovery")
        assert code == 0
        assert max(len(line) for line in out.splitlines() if len(line.split()) > 1) <= columns
        words = {w.rstrip(",") for line in out.splitlines() for w in line.split()}
        plan = assessment.plan()
        codes = {c for a in plan.actions for c in a.jurisdictions} | {a.party for a in plan.actions}
        assert sorted(codes - words) == []


@pytest.mark.parametrize("columns", [80, 120])
def test_explain_wraps_to_the_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    """explain fits the terminal; a wrapped line continues under its own text (after
    ``1.``), and only a word longer than the line (a URL) may stand past the edge."""
    monkeypatch.setenv("COLUMNS", str(columns))
    subject = "EU-GDPR:notify-supervisory-authority"
    code, out, _ = run(capsys, "explain", str(MULTINATIONAL), subject, "--as-of", "discovery")
    assert code == 0
    lines = out.splitlines()
    too_wide = [line for line in lines if len(line) > columns and len(line.split()) > 1]
    assert too_wide == []
    # the long EEA citation of step 1 wraps under "[", not under the margin
    at = next(
        n
        for n, line in enumerate(lines)
        if line.startswith("     [Regulation (EU) 2016/679, Art. 3(1)")
    )
    assert lines[at + 1].startswith("     ") and not lines[at + 1].startswith("      [")
    # every word of the unwrapped explanation is still there, in order
    assessment = Engine().assess(load_incident(MULTINATIONAL))
    assert out.split() == assessment.explain(subject).split()


def test_first_line_says_what_to_do_first(capsys: pytest.CaptureFixture[str]) -> None:
    """The first line names the earliest due action and the most decisive open question."""
    path = EXAMPLES / "unknown-exfiltration-ransomware.json"
    _, out, _ = run(capsys, "assess", str(path), "--as-of", "discovery")
    first = out.splitlines()[0]
    summary = " ".join(out.split("\n\n")[0].split())
    # Acquisition is unknown, so every notice is conditional: first only if required.
    assert first.startswith("First if required: ") and "ask first: exposures[0].acquired" in summary
    _, out, _ = run(capsys, "plan", str(MULTINATIONAL), "--as-of", "discovery")
    # The contract's 24 hours are only the latest: nine laws say "immediately" or the like.
    assert " ".join(out.split("\n\n")[0].split()) == (
        "Do first: #1 Notice to mediconnect (ticketly), as soon as possible (9 laws, see the "
        "note), 1d 0h left at the latest."
    )
    _, out, _ = run(capsys, "questions", str(path), "--as-of", "discovery")
    assert out.startswith("Ask first: exposures[0].acquired")


def test_markup_like_text_is_printed_as_is(capsys: pytest.CaptureFixture[str]) -> None:
    """Square brackets in the law's text are text, not rich markup."""
    _, out, _ = run(
        capsys, "assess", str(MULTINATIONAL), "--jurisdiction", "US-CA", "--as-of", "discovery"
    )
    assert "[reviewed " in out


# --- the plan ----------------------------------------------------------------------------


def test_plan_rows_are_numbered_and_letters_split_by_population(engine: Engine) -> None:
    """One letter for the US states together, one for the EU, one for Quebec; the rows
    the notes refer to carry their numbers."""
    plan = engine.assess(load_incident(MULTINATIONAL)).plan()
    letters = {a.title: a.jurisdictions for a in plan.actions if a.recipient == "individuals"}
    us = letters["Letter to affected individuals (US)"]
    assert {"US-CA", "US-HIPAA", "US-TX"} <= set(us) and all(c.startswith("US-") for c in us)
    assert letters["Letter to affected individuals (EU)"] == ("EU-GDPR",)
    assert letters["Letter to affected individuals (CA-QC)"] == ("CA-QC",)
    assert not any("US-" in c and "EU-" in c for c in map(",".join, letters.values()))
    table = plan.to_table()
    numbered = [line.split()[0] for line in table.splitlines() if line[:4].strip().isdigit()]
    assert numbered[:3] == ["1", "2", "3"]
    assert "  1. contract baa-dpa-2025 is stricter" in table


def test_plan_shows_a_law_enforcement_delay_on_its_action(engine: Engine) -> None:
    doc = json.loads((EXAMPLES / "multistate-ransomware.json").read_text())
    doc["law_enforcement"] = {"delay_requested_until": "2026-07-01T00:00:00-05:00"}
    assessment = engine.assess(load_incident(doc), jurisdictions=["US-CA", "US-TX"])
    plan = assessment.plan()
    held = [a for a in plan.actions if a.held_for_law_enforcement]
    assert held, [a.title for a in plan.actions]
    table = plan.to_table(width=200)
    row = next(line for line in table.splitlines() if "held for law enforcement" in line)
    assert row.split()[0].isdigit()


def test_ics_uses_utc_and_stamps_the_making(engine: Engine) -> None:
    """RFC 5545: no TZID without its VTIMEZONE; times in UTC; DTSTAMP is when it was made."""
    plan = engine.assess(load_incident(MULTINATIONAL)).plan()
    made = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    data = plan.to_ics(stamp=made)
    assert b"TZID" not in data
    cal = Calendar.from_ical(data)
    zones = {tz["TZID"] for tz in cal.walk("VTIMEZONE")}
    todos = cal.walk("VTODO")
    assert len(todos) == len(plan.actions)
    for todo in todos:
        for name in ("DUE", "DTSTAMP"):
            if name not in todo:  # an action with no fixed date has no DUE (exports.md)
                continue
            value = todo[name]
            assert "TZID" not in value.params or value.params["TZID"] in zones
            assert value.dt.utcoffset() == timedelta(0)
        assert todo["DTSTAMP"].dt == made
    dated = [a for a in plan.actions if a.due]
    assert todos[0]["DUE"].dt == dated[0].due


def test_cli_ics_is_stamped_now(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "plan.ics"
    before = datetime.now(UTC).replace(microsecond=0)
    assert main(["plan", str(MULTINATIONAL), "--format", "ics", "--out", str(out)]) == 0
    todo = Calendar.from_ical(out.read_bytes()).walk("VTODO")[0]
    assert todo["DTSTAMP"].dt >= before


def test_layout_helpers() -> None:
    """Widths: each column its least, the rest shared evenly up to each column's most;
    None when even the least do not fit. Wrapping: under the text after ``1.``, a URL
    whole on its own line."""
    from breachrules.views.terminal import fit_widths, word_width, wrap

    assert fit_widths([5, 10, 3], [5, 30, 4], 30) == [5, 21, 4]
    assert fit_widths([5, 10], [9, 30], 12) is None
    assert word_width(["US-CA:notify-attorney-general and more", "x"], 24) == 24
    assert word_width(["a bb", "ccc"], 24) == 3
    url = "https://example.org/" + "x" * 40
    text = "  1. first second third fourth fifth sixth " + url + " end\n"
    assert wrap(text, 30) == (
        "  1. first second third fourth\n     fifth sixth\n     " + url + "\n     end\n"
    )


def test_diff_keeps_ids_and_fact_paths_whole_at_80_columns(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A table whose ids cannot all fit (diff's subject, before, after and cause) runs
    past the edge rather than fold an id or a fact path that a reader copies."""
    monkeypatch.setenv("COLUMNS", "80")
    day2, day4 = EXAMPLES / "evolving" / "day-2.json", EXAMPLES / "evolving" / "day-4.json"
    code, out, _ = run(capsys, "diff", str(day2), str(day4), "--as-of", "discovery")
    assert code == 0
    words = {w for line in out.splitlines() for w in line.split()}
    assert {"US-CA:notify-attorney-general", "exposures[0].acquired"} <= words
