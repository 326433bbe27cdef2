"""User test 5, counsel's own regulator directory (``_directory/`` beside a ruleset):
wrong shapes refused with file and line, ``last_reviewed`` in an entry accepted, and
``validate`` and ``test`` never taking a directory file for a ruleset."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from breachrules import RulesetError
from breachrules.cli import main
from breachrules.law.directory import load_directory

ROOT = Path(__file__).resolve().parent.parent
ENTRY = """\
  - id: xx-commissioner
    name: XX Data Commissioner
    country: XX
    for: [XX-ZL:file-assessment]
    source: https://dc.example/contact
    verified: false
"""


def _folder(tmp_path: Path, directory: str) -> Path:
    (tmp_path / "_directory").mkdir(parents=True)
    (tmp_path / "_directory" / "zl.yaml").write_text(directory)
    return tmp_path


@pytest.mark.parametrize(
    ("text", "where", "says"),
    [
        ("- id: a\n  name: A\n", ":1: (file)", "found a list"),
        (
            "last_reviewed: 2026-12-01\nxx-commissioner:\n  name: A\n",
            ":2: xx-commissioner",
            "unknown key",
        ),
        ("directory:\n" + ENTRY, ":1: directory", "unknown key 'directory'"),
        ("last_reviewed: 2026-12-01\n", ":1: entries", "required, a list of entries"),
        ("entries:\n" + ENTRY, ":2: entries[0].last_reviewed", "in the entry or the file"),
    ],
)
def test_a_wrong_shape_is_refused_with_its_line(
    tmp_path: Path, text: str, where: str, says: str
) -> None:
    folder = _folder(tmp_path, text)
    with pytest.raises(RulesetError) as info:
        load_directory([folder], cache=False)
    shown = [f"{p.file}:{p.line}: {p.path}: {p.reason}" for p in info.value.problems]
    assert any(where in s and says in s for s in shown), shown


def test_last_reviewed_in_an_entry_is_read(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "entries:\n" + ENTRY + "    last_reviewed: 2026-12-05\n")
    (entry,) = load_directory([folder], cache=False)
    assert entry.contact.last_reviewed == "2026-12-05"
    folder2 = _folder(tmp_path / "b", "last_reviewed: 2026-12-01\nentries:\n" + ENTRY)
    (entry,) = load_directory([folder2], cache=False)
    assert entry.contact.last_reviewed == "2026-12-01"


def test_a_list_directory_is_exit_2_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _folder(tmp_path, "- id: a\n")
    shutil.copy(ROOT / "examples" / "incidents" / "lost-laptop-encrypted.json", tmp_path / "i.json")
    assert main(["--rulesets", str(folder), "assess", str(tmp_path / "i.json")]) == 2
    assert "_directory/zl.yaml:1: (file)" in capsys.readouterr().err


def test_validate_and_test_skip_the_directory_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A ruleset folder with its scenarios and its own directory validates and tests
    clean; `validate` checks the directory file as a directory file."""
    folder = tmp_path / "law"
    folder.mkdir()
    for name in ("acme.yaml", "acme_scenarios.yaml"):
        shutil.copy(ROOT / "examples" / "policies" / name, folder / name)
    (folder / "_directory").mkdir()
    (folder / "_directory" / "own.yaml").write_text("last_reviewed: 2026-12-01\nentries: []\n")
    assert main(["validate", str(folder)]) == 0
    assert "ok  directory  0 entries" in capsys.readouterr().out
    assert main(["test", str(folder)]) == 0
