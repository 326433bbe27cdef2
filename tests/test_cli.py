"""The command line: exit codes, JSON output, errors without tracebacks."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from breachrules import Engine
from breachrules.cli import main

from .conftest import EXAMPLES, ROOT

EXAMPLE = EXAMPLES / "multistate-ransomware.json"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_assess_json_is_the_contract_document(capsys: pytest.CaptureFixture[str]) -> None:
    """--format json prints exactly the assessment document, valid against its schema."""
    code, out, _ = run(capsys, "assess", str(EXAMPLE), "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["schema_version"] == "1"
    _, schema_text, _ = run(capsys, "schema", "assessment")
    jsonschema.validate(document, json.loads(schema_text))


def test_assess_table_is_readable(capsys: pytest.CaptureFixture[str]) -> None:
    """One row per jurisdiction with status, recipients and due days; details; disclaimer."""
    code, out, _ = run(capsys, "assess", str(EXAMPLE))
    assert code == 0
    section = out.split("By jurisdiction", 1)[1].split("\n\n", 1)[0]
    rows = {
        ln.split()[0]: ln.split(None, 2)[1:] for ln in section.splitlines() if ln[:5] == "  US-"
    }
    # § 1798.82(f) (from 2026): the AG's copy is due 15 days after the consumers are
    # notified; with that notice not yet sent, the earliest lawful date (15 days after the
    # owner's awareness), never the latest.
    assert rows["US-CA"] == ["breach", "AG 2026-03-17, individuals 2026-04-01"]
    assert "Law applied" in out and "Obligations" in out and "not legal advice" in out


def test_assess_from_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """'-' reads the incident from standard input."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(EXAMPLE.read_text()))
    code, out, _ = run(capsys, "assess", "-", "--format", "json", "--jurisdiction", "US-CA")
    assert code == 0
    assert [d["jurisdiction"] for d in json.loads(out)["determinations"]] == ["US-CA"]


def test_invalid_incident_exits_2_with_path(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Bad input exits 2 and names the field path on stderr, without a traceback."""
    doc = json.loads(EXAMPLE.read_text())
    doc["exposures"][0]["residents"]["US-CA"] = -5
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    code, out, err = run(capsys, "assess", str(bad))
    assert code == 2
    assert "exposures[0].residents.US-CA" in err and "Traceback" not in err
    assert out == ""


@pytest.mark.parametrize("text", ["5", "[1]", "", "not json"])
def test_stdin_that_is_not_an_object_exits_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    """Standard input is always read as a document, never as a file name."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    code, _, err = run(capsys, "assess", "-")
    assert code == 2
    assert "(document)" in err and "cannot read" not in err


def test_missing_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """A missing incident file is invalid input (exit 2)."""
    code, _, err = run(capsys, "assess", "no-such-file.json")
    assert code == 2 and "no such file" in err


def test_rulesets_json(capsys: pytest.CaptureFixture[str]) -> None:
    """rulesets --format json lists code, name, version and citation."""
    code, out, _ = run(capsys, "rulesets", "--format", "json")
    rows = json.loads(out)
    assert code == 0
    assert {"US-CA", "EU-GDPR", "US-HIPAA"} <= {r["code"] for r in rows}
    assert all({"code", "name", "version", "citation"} <= set(r) for r in rows)


def test_validate_bundled_rulesets(capsys: pytest.CaptureFixture[str]) -> None:
    """The bundled rulesets validate cleanly."""
    code, out, _ = run(capsys, "validate", str(ROOT / "rulesets"))
    assert code == 0 and "US-CA" in out


def test_validate_reports_file_and_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A malformed ruleset gives exit 2 with file:line."""
    text = (
        (ROOT / "rulesets" / "us" / "ca.yaml")
        .read_text()
        .replace("when: {acquired: true}", "when: {acquird: true}")
    )
    bad = tmp_path / "ca.yaml"
    bad.write_text(text)
    code, _, err = run(capsys, "validate", str(bad))
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "acquird" in t)
    assert code == 2
    assert f"{bad}:{line}" in err and "did you mean 'acquired'" in err


def test_schema_incident(capsys: pytest.CaptureFixture[str]) -> None:
    """The incident schema accepts every example."""
    _, out, _ = run(capsys, "schema", "incident")
    schema = json.loads(out)
    for path in EXAMPLES.glob("*.json"):
        jsonschema.validate(json.loads(path.read_text()), schema)


def test_python_dash_m() -> None:
    """python -m breachrules is the same program."""
    result = subprocess.run(
        [sys.executable, "-m", "breachrules", "assess", str(EXAMPLE), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["incident_id"]


def test_coverage_page_is_current(engine: Engine) -> None:
    """docs/coverage.md is exactly what the bundled rulesets generate."""
    from breachrules.law.loader import bundled_paths
    from breachrules.views.coverage import coverage_markdown, mutation_scores, pending_laws

    roots = bundled_paths()
    expected = coverage_markdown(engine.rulesets, pending_laws(roots), mutation_scores(roots))
    assert (ROOT / "docs" / "coverage.md").read_text() == expected, (
        "regenerate with: python -m breachrules.coverage > docs/coverage.md"
    )


def test_coverage_help_is_a_usage_and_a_folder_of_ones_own_has_its_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``python -m breachrules.coverage --help`` printed the whole page (user test 6)."""
    from breachrules.views.coverage import main as coverage

    with pytest.raises(SystemExit) as done:
        coverage(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: python -m breachrules.coverage") and "| code |" not in out
    mine = tmp_path / "mine"
    mine.mkdir()
    shutil.copy(ROOT / "rulesets" / "us" / "wa.yaml", mine / "wa.yaml")
    coverage(["--rulesets", str(mine)])
    page = capsys.readouterr().out
    assert f"--rulesets {mine}` from the rulesets in {mine}" in page
    assert "`US-WA`" in page and "`US-CA`" not in page


def test_readme_table_is_current(engine: Engine) -> None:
    """The README's bundled-rulesets table, with each last-reviewed date, is generated too."""
    from breachrules.views.coverage import readme_table

    assert readme_table(engine.rulesets) in (ROOT / "README.md").read_text(), (
        "regenerate with: python -m breachrules.coverage --readme"
    )


def test_cli_test_runs_a_users_scenarios(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """breachrules test PATH: exit 0 when every case holds, 1 naming the failing case."""
    import shutil

    folder = tmp_path / "policies"
    shutil.copytree(ROOT / "examples" / "policies", folder)
    assert main(["test", str(folder)]) == 0
    assert "8 passed, 0 failed" in capsys.readouterr().out
    scenarios = folder / "acme_scenarios.yaml"
    text = scenarios.read_text()
    assert "status: required" in text
    scenarios.write_text(text.replace("status: required", "status: not_required", 1))
    assert main(["test", str(folder)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("FAIL ") and "1 failed" in out


def test_plan_explain_and_questions_show_the_assessments_warnings_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A warning (the legacy harm flag applied to no law) reaches the user of plan,
    explain and questions too, on standard error so that a CSV or iCalendar plan and a
    JSON list of questions stay clean."""
    doc = json.loads((ROOT / "examples" / "incidents" / "per-law-findings.json").read_text())
    doc["risk"] = {"harm_likely": False}
    path = tmp_path / "legacy.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert main(["plan", str(path), "--as-of", "discovery", "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    assert "warning: risk.harm_likely is false" in err and "warning" not in out
    assert main(["explain", str(path), "US-NJ", "--as-of", "discovery"]) == 0
    assert "warning: risk.harm_likely is false" in capsys.readouterr().err
    for form in ("table", "json"):
        assert main(["questions", str(path), "--as-of", "discovery", "--format", form]) == 0
        out, err = capsys.readouterr()
        assert "warning: risk.harm_likely is false" in err and "warning" not in out


def test_the_collector_waits_longer_while_the_command_line_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A call builds tens of thousands of objects that live until it exits: while ``main``
    runs, the youngest generation's threshold is ``YOUNG_THRESHOLD`` (with Python's 700,
    the collector ran about 70 times per ``assess``); afterwards the caller's thresholds
    are back, also after an argument error, and a higher one the caller set is kept."""
    import gc
    import importlib

    cli = importlib.import_module("breachrules.cli.main")  # the module, not its main

    seen: list[tuple[int, ...]] = []
    real = cli._dispatch

    def dispatch(args: object) -> int:
        seen.append(gc.get_threshold())
        return real(args)  # type: ignore[arg-type]

    monkeypatch.setattr(cli, "_dispatch", dispatch)
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, *before[1:])
        assert main(["schema", "incident"]) == 0
        assert seen[-1] == (cli.YOUNG_THRESHOLD, *before[1:])
        assert gc.get_threshold() == (700, *before[1:])
        with pytest.raises(SystemExit):
            main(["assess", "--format", "nonsense"])
        assert gc.get_threshold() == (700, *before[1:])
        gc.set_threshold(cli.YOUNG_THRESHOLD * 3, *before[1:])
        assert main(["schema", "incident"]) == 0
        assert seen[-1][0] == cli.YOUNG_THRESHOLD * 3
    finally:
        gc.set_threshold(*before)
    capsys.readouterr()


def test_python_m_breachrules_collects_less_from_its_first_import() -> None:
    """``python -m breachrules`` raises the threshold before it imports the command line."""
    code = (
        "import runpy, sys, gc\n"
        "sys.argv = ['breachrules', '--version']\n"
        "try:\n"
        "    runpy.run_module('breachrules', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(gc.get_threshold()[0])\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert run.stdout.split()[-1] == "100000", run.stderr
