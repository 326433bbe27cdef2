"""A user's edited copy of a bundled ruleset replaces it (user test 6: counsel amending
Washington's law could not test, validate or impact their copy beside the bundled one)."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pytest

from breachrules import Engine
from breachrules.cli import main
from breachrules.errors import RulesetError
from breachrules.law.loader import bundled_paths, load_rulesets
from breachrules.law.overrides import RulesetOverride

from .conftest import EXAMPLES, ROOT

BUNDLED_WA = ROOT / "rulesets" / "us" / "wa.yaml"
AG = "agency-notify-attorney-general"

SCENARIOS = """\
ruleset: US-WA
base:
  id: wa-base
  discovered_at: "2026-12-03T09:00:00-08:00"
  good_faith_insider: false
  parties:
    - {id: agency, data_role: owner, types: [government_agency], established_in: [US-WA]}
  exposures:
    - {elements: [name, ssn], residents: {US-WA: 300}, acquired: true, encrypted: false,
       key_compromised: false}
  risk: {findings: {US-WA: {harm_likely: true}}}
cases:
  - name: the amended threshold (250) makes 300 residents enough
    expect:
      obligations:
        agency-notify-attorney-general: {status: required}
"""


def _amended(folder: Path) -> Path:
    """A copy of the bundled Washington law, its agency threshold lowered to 250."""
    folder.mkdir(parents=True, exist_ok=True)
    text = BUNDLED_WA.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if AG in line and "id:" in line)
    k = next(i for i in range(at, len(lines)) if "residents: {gt: 500}" in lines[i])
    lines[k] = lines[k].replace("500", "250")
    (folder / "wa.yaml").write_text("".join(lines), encoding="utf-8")
    (folder / "wa_scenarios.yaml").write_text(SCENARIOS, encoding="utf-8")
    return folder / "wa.yaml"


def test_the_users_copy_replaces_the_bundled_ruleset_with_one_warning(tmp_path: Path) -> None:
    copy = _amended(tmp_path / "waonly")
    with pytest.warns(RulesetOverride) as caught:
        engine = Engine([copy.parent], backend="python")
    said = [str(w.message) for w in caught if w.category is RulesetOverride]
    assert len(said) == 1 and str(copy) in said[0] and str(BUNDLED_WA.resolve()) in said[0]
    assert engine.ruleset("US-WA").path == copy
    assert "US-CA" in engine._library  # the other bundled laws stay
    with pytest.warns(RulesetOverride):
        loaded = load_rulesets([*bundled_paths(), copy], cache=False)
    assert [r.path for r in loaded if r.code == "US-WA"] == [copy]
    # Given first, the copy still wins over the bundled file given after it.
    with pytest.warns(RulesetOverride):
        loaded = load_rulesets([copy, *bundled_paths()], cache=False)
    assert [r.path for r in loaded if r.code == "US-WA"] == [copy]


def test_two_of_the_users_files_with_one_code_stay_an_error(tmp_path: Path) -> None:
    one = _amended(tmp_path / "one")
    two = _amended(tmp_path / "two")
    with pytest.raises(RulesetError, match="US-WA is also defined in"):
        Engine([one, two], backend="python")
    with pytest.raises(RulesetError, match="US-WA is also defined in"):
        load_rulesets([*bundled_paths(), one, two], cache=False)


def test_test_validate_and_rulesets_take_the_copy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = _amended(tmp_path / "waonly")
    assert main(["test", str(copy.parent)]) == 0  # the amended threshold: required
    out, err = capsys.readouterr()
    assert "1 passed" in out
    assert err.count("warning:") == 1 and "replaces the bundled US-WA ruleset" in err
    assert main(["validate", str(copy.parent)]) == 0
    assert main(["validate", str(copy)]) == 0
    capsys.readouterr()
    incident = EXAMPLES / "multistate-ransomware.json"
    assert main(["--rulesets", str(copy.parent), "assess", str(incident)]) == 0
    assert capsys.readouterr().err.count("replaces the bundled US-WA") == 1


def test_a_copy_of_the_whole_bundled_folder_is_one_warning_per_kind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = tmp_path / "allrules"
    shutil.copytree(bundled_paths()[0], mine)
    incident = EXAMPLES / "multistate-ransomware.json"
    with warnings.catch_warnings():
        assert main(["--rulesets", str(mine), "assess", str(incident)]) == 0
    err = capsys.readouterr().err
    said = [line for line in err.splitlines() if line.startswith("warning:") and "replace" in line]
    assert len(said) == 2, err
    assert str(mine) in said[0] and "regulator directory" in said[1]
