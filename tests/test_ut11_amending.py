"""UT11 24: docs/register-and-impact.md's "Amending a law" steps work as written.

The tester copied a bundled ruleset as the page said and ran ``breachrules test my/rules``:
exit 2, "no scenario files". The page now copies the bundled law's own cases too; this
runs its shell block, step by step, after the page's own console blocks (which write the
``audit.jsonl`` its last step reads), in a scratch folder standing for a checkout.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from breachrules.cli import main

from .conftest import ROOT
from .test_docs import run_page

PAGE = ROOT / "docs" / "register-and-impact.md"


def _steps() -> list[list[str]]:
    """The commands of the page's "Amending a law" shell block, comments dropped."""
    text = PAGE.read_text(encoding="utf-8")
    section = text[text.index("### Amending a law") :]
    block = re.search(r"```sh\n(?P<body>.*?)```", section, re.S)
    assert block is not None
    steps: list[list[str]] = []
    for line in block["body"].splitlines():
        words = shlex.split(line, comments=True)
        while words:
            end = words.index("&&") if "&&" in words else len(words)
            steps.append(words[:end])
            words = words[end + 1 :]
    return steps


def _run(step: list[str], cwd: Path) -> int:
    """One step: ``mkdir -p``, ``cp`` from the checkout, an editor (skipped: the copy is
    tested as it is), or a ``breachrules`` command (its exit status)."""
    if step[0] == "mkdir":
        for folder in step[2:]:
            (cwd / folder).mkdir(parents=True, exist_ok=True)
    elif step[0] == "cp":
        source, target = ROOT / step[1], cwd / step[2]
        assert source.is_file(), f"the page copies {step[1]}, which the checkout lacks"
        shutil.copy(source, target / source.name if step[2].endswith("/") else target)
    elif step[0] != "$EDITOR":
        assert step[0] == "breachrules", step
        return main(step[1:])
    return 0


def test_the_amending_steps_run_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    run_page(PAGE.read_text(encoding="utf-8"), tmp_path, capsys)  # writes audit.jsonl
    monkeypatch.chdir(tmp_path)
    ran = []
    for step in _steps():
        code = _run(step, tmp_path)
        out, err = capsys.readouterr()
        assert code == 0, f"{shlex.join(step)} exited {code}: {err}"
        if step[:2] == ["breachrules", "test"]:  # the bundled law's cases, on the copy
            assert re.fullmatch(r"(\d+) cases in 1 file\(s\): \1 passed, 0 failed\n", out)
        ran.append(step[:2])
    assert ran.count(["breachrules", "test"]) == 2 and ["breachrules", "validate"] in ran
    assert ran[-1] == ["breachrules", "--rulesets"]  # impact, on the page's audit.jsonl


def test_test_without_cases_says_which_to_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """What the page promises of ``breachrules test`` on a folder with a copied law and no
    cases: exit 2, and the ``cp`` that brings the bundled law's own cases beside it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "my" / "rules").mkdir(parents=True)
    shutil.copy(ROOT / "rulesets" / "us" / "wa.yaml", tmp_path / "my" / "rules")
    assert main(["test", "my/rules"]) == 2
    err = capsys.readouterr().err
    cases = ROOT / "tests" / "rulesets" / "us" / "wa.yaml"
    assert f"cp {cases} my/rules/wa_scenarios.yaml" in err
    # a folder of the user's own law: no bundled cases to name, the format's page instead
    (tmp_path / "mine").mkdir()
    assert main(["test", "mine"]) == 2
    err = capsys.readouterr().err
    assert "no scenario files in mine (a scenario file is YAML with `ruleset:`" in err
    assert "tests/rulesets/us/wa.yaml for rulesets/us/wa.yaml" in err
