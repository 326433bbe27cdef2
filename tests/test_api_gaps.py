"""The Python API and command-line gaps a docs-only user test found (2026-12-07, the
third): load errors that do not name their file, a folder given to `assess`, the import's
refusals caught by a `*.json` glob, a diff with no text form and two words for "no longer
owed", a piped diff table that broke field paths, a ruleset file counted twice."""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest

from breachrules import Engine, load_incident, reassess
from breachrules.cli import main
from breachrules.errors import InvalidIncident
from breachrules.law.loader import load_rulesets

from .conftest import EXAMPLES, ROOT
from .test_one_order import TAPE

EVOLVING = EXAMPLES / "evolving"


def test_a_load_error_names_the_file(tmp_path: Path) -> None:
    """A list where the document belongs (an import's old refused.json), read in a batch
    over a folder: the error says which file."""
    path = tmp_path / "refused.json"
    path.write_text("[]")
    with pytest.raises(InvalidIncident) as caught:
        load_incident(path)
    assert str(path) in str(caught.value)
    assert caught.value.problems[0].file == str(path)
    with pytest.raises(InvalidIncident) as caught:
        load_incident(str(path))
    assert f"{path}: (document): expected a JSON object, got a list" in str(caught.value)
    with pytest.raises(InvalidIncident) as caught:  # text is not a file: no name to give
        load_incident("[]")
    assert caught.value.problems[0].file is None


def test_assess_a_folder_says_what_to_do(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess", str(EVOLVING)]) == 2
    err = capsys.readouterr().err
    assert "a folder, not an incident file" in err and "no such file" not in err
    assert str(EVOLVING / "day-1.json") in err and "assess_many" in err


def test_import_help_describes_the_sources_and_the_refusals(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for words in ("victim.country", "record_count", "submission date", "refused.jsonl"):
        assert words in text
    assert "docs/scaling.md" in text


def _day(n: int) -> Any:
    return load_incident(EVOLVING / f"day-{n}.json")


def test_a_diff_prints_from_python_as_the_command_line_prints_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """str(diff) and diff.to_text() are the facts and the table `breachrules diff` prints
    to a file (the staff brief and the disclaimer are the command's own)."""
    monkeypatch.delenv("COLUMNS", raising=False)
    engine = Engine()
    _, _, diff = reassess(engine, _day(2), _day(4), jurisdictions=["US-CA"])
    old, new = str(EVOLVING / "day-2.json"), str(EVOLVING / "day-4.json")
    assert main(["diff", old, new, "--jurisdiction", "US-CA", "--as-of", "discovery"]) == 0
    printed = capsys.readouterr().out
    assert str(diff) == diff.to_text(80)  # the width of a file or pipe (UT11 18)
    assert printed.startswith(str(diff) + "\n")
    # Listed on both days: a status change, not "removed" (UT11 21).
    assert (
        "  status  US-CA:notify-attorney-general\n    before:    conditional\n"
        "    after:     not_required\n"
    ) in str(diff)


def test_an_obligation_no_longer_owed_is_removed_to_not_required(engine: Engine) -> None:
    """New York's 40 residents were a mistake: New York's law no longer reaches the
    incident and produces no obligations at all, Texas's notice to the owner is still
    owed. Every removed obligation says after='not_required' (before, New York's said
    None and a law's own not_required said 'not_required')."""
    old = load_incident(TAPE)
    doc = json.loads(json.dumps(TAPE))
    doc["exposures"][0]["residents"] = {"US-TX": 12000, "US-OH": 900}
    doc["exposures"][0]["encrypted"] = True  # Texas: encrypted, key not compromised
    _, after, diff = reassess(engine, old, load_incident(doc))
    removed = [c for c in diff.changes if c.kind == "removed"]
    assert {c.subject for c in removed} >= {"US-NY:notify-individuals", "US-TX:notify-cras"}
    assert not any(o.id.startswith("US-NY:") for o in after.obligations)  # absent, not exempt
    assert {c.after for c in removed} == {"not_required"}
    assert all(c.before == "not_required" for c in diff.changes if c.kind == "added")


def test_a_piped_diff_keeps_field_paths_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """80 columns, piped: `exposures[0].key_compromised` moves whole to its own line
    (it was split `key_comprom` / `ised`)."""
    doc = json.loads(json.dumps(TAPE))
    for e in doc["exposures"]:
        e["encrypted"], e["key_compromised"] = None, None
    new = json.loads(json.dumps(doc))
    new["exposures"][0].update(encrypted=True, key_compromised=False)
    (tmp_path / "old.json").write_text(json.dumps(doc))
    (tmp_path / "new.json").write_text(json.dumps(new))
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json")]) == 0
    table = capsys.readouterr().out.split("Changes (")[1].split("\n\n")[0]
    paths = re.findall(r"exposures\[0\]\.\w*", table)
    assert paths and set(paths) == {"exposures[0].encrypted", "exposures[0].key_compromised"}
    assert "ised" not in {line.strip().rstrip(",") for line in table.splitlines()}


def test_a_ruleset_named_twice_is_loaded_once(tmp_path: Path) -> None:
    """`breachrules --rulesets val/acme.yaml test val`: the file itself and the folder
    holding it are one ruleset, not two definitions of its code; two files defining one
    code are still refused."""
    folder = tmp_path / "val"
    folder.mkdir()
    shutil.copy(ROOT / "rulesets" / "us" / "oh.yaml", folder / "oh.yaml")
    one = folder / "oh.yaml"
    same = tmp_path / "val" / ".." / "val" / "oh.yaml"
    assert [r.code for r in load_rulesets([one, folder, same], cache=False)] == ["US-OH"]
    engine = Engine([one, folder], bundled=False, backend="python")
    assert [o.code for o in engine._library.outlines] == ["US-OH"]
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(one, other / "oh.yaml")
    with pytest.raises(Exception, match="is also defined in"):
        load_rulesets([folder, other], cache=False)


def test_the_notebook_extra_installs_what_the_notebooks_import() -> None:
    """Notebook 01 imports IPython.display; the docs' index names every notebook."""
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    assert any(d.lower().startswith("ipython") for d in extras["notebook"])
    index = (ROOT / "docs" / "index.md").read_text()
    notebooks = sorted(p.name for p in (ROOT / "examples" / "notebooks").glob("*.ipynb"))
    assert all(f"`{name}`" in index for name in notebooks)
    assert index.count("(testing-your-policies.md)") == 1
