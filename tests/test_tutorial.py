"""The "Testing your policies" tutorial runs in CI, and the helpers it teaches work.

docs/testing-your-policies.md shows examples/policies/ file by file; these tests run
that code (so the tutorial cannot rot) and check that the document shows the files
exactly as they are (so it cannot drift from them either).
"""

from __future__ import annotations

import importlib.util
import inspect
import re
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

from breachrules import Assessment, Engine, load_incident
from breachrules.testing import (
    assert_determination,
    assert_no_obligation,
    assert_obligation,
    run_folder,
    scenario_files,
)

from .conftest import ROOT, incident_doc

POLICIES = ROOT / "examples" / "policies"
TUTORIAL = ROOT / "docs" / "testing-your-policies.md"
SHOWN = {
    "acme.yaml": "yaml",
    "acme_scenarios.yaml": "yaml",
    "test_acme_policy.py": "python",
}


@cache
def _tutorial_module() -> ModuleType:
    """The tutorial's test module, imported once from its path (it is not a package)."""
    spec = importlib.util.spec_from_file_location(
        "breachrules_tutorial_acme", POLICIES / "test_acme_policy.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TUTORIAL_TESTS = sorted(
    name
    for name, _ in inspect.getmembers(_tutorial_module(), inspect.isfunction)
    if name.startswith("test_")
)


@pytest.mark.parametrize("name", TUTORIAL_TESTS)
def test_tutorial_code_passes(name: str) -> None:
    """Each test of examples/policies/test_acme_policy.py passes (the tutorial's own
    property tests call their strategies through Hypothesis when invoked)."""
    getattr(_tutorial_module(), name)()


def test_tutorial_has_tests() -> None:
    assert len(TUTORIAL_TESTS) >= 3


@pytest.mark.parametrize("file", sorted(SHOWN))
def test_tutorial_shows_the_files_as_they_are(file: str) -> None:
    """The document includes every example file verbatim in a fenced block."""
    text = (POLICIES / file).read_text(encoding="utf-8")
    doc = TUTORIAL.read_text(encoding="utf-8")
    assert f"```{SHOWN[file]}\n{text}```" in doc, f"{file} differs from the tutorial's copy"


def test_tutorial_code_blocks_name_their_files() -> None:
    """Every long code block in the tutorial is one of the example files, so nothing
    in it is untested."""
    doc = TUTORIAL.read_text(encoding="utf-8")
    texts = {(POLICIES / f).read_text(encoding="utf-8") for f in SHOWN}
    for block in re.findall(r"```(?:yaml|python)\n(.*?)```", doc, flags=re.S):
        if block.count("\n") > 12:
            assert block in texts, block[:200]


# --- breachrules.testing ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def ca_assessment(engine: Engine) -> Assessment:
    return engine.assess(load_incident(incident_doc()))


def test_assert_obligation_passes_and_returns_it(ca_assessment: Assessment) -> None:
    ob = assert_obligation(ca_assessment, "US-CA", "individuals", "required", party="acme")
    assert ob.jurisdiction == "US-CA"
    assert assert_obligation(ca_assessment, "US-CA", ob.id.split(":", 1)[1]) is ob
    assert assert_obligation(ca_assessment, "US-CA", "individuals", due=ob.due) is ob


def test_assert_obligation_failure_says_what_the_assessment_said(ca_assessment: Assessment) -> None:
    with pytest.raises(AssertionError, match=r"status is required, expected conditional"):
        assert_obligation(ca_assessment, "US-CA", "individuals", "conditional")
    with pytest.raises(AssertionError, match=r"due is .*, expected 2026-03-03T00:00:00-05:00"):
        assert_obligation(ca_assessment, "US-CA", "individuals", due="2026-03-03T00:00:00-05:00")
    with pytest.raises(
        AssertionError, match=r"no obligation to notify 'media'[\s\S]*US-CA:notify-individuals"
    ):
        assert_obligation(ca_assessment, "US-CA", "media")
    with pytest.raises(AssertionError, match="US-TX was not evaluated"):
        assert_obligation(ca_assessment, "US-TX", "individuals")
    with pytest.raises(ValueError, match="status"):
        assert_obligation(ca_assessment, "US-CA", "individuals", "owed")


def test_assert_determination(ca_assessment: Assessment) -> None:
    assert assert_determination(ca_assessment, "US-CA", "breach", missing_facts=[]).status
    with pytest.raises(AssertionError, match=r"status is breach, expected not_breach[\s\S]*Cal\."):
        assert_determination(ca_assessment, "US-CA", "not_breach")
    with pytest.raises(AssertionError, match="EU-GDPR was not evaluated"):
        assert_determination(ca_assessment, "EU-GDPR", "breach")


def test_assert_no_obligation(ca_assessment: Assessment) -> None:
    assert_no_obligation(ca_assessment, "US-CA", "media")
    with pytest.raises(AssertionError, match="expected nothing owed to 'individuals'"):
        assert_no_obligation(ca_assessment, "US-CA", "individuals")


def test_run_folder_reports_each_case(tmp_path: Path) -> None:
    """run_folder loads the folder's rulesets with the bundled ones, runs every scenario
    file, and turns a bad case into a failed outcome instead of an exception."""
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "acme.yaml").write_text(
        (POLICIES / "acme.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    scenarios = (POLICIES / "acme_scenarios.yaml").read_text(encoding="utf-8")
    (tmp_path / "cases.yaml").write_text(scenarios, encoding="utf-8")
    broken = scenarios.replace('due: "2026-03-03T14:30:00-05:00"', 'due: "2026-03-04"')
    broken = broken.replace("id: acme-base", "id: acme-base\n  surprise: 1")
    (tmp_path / "broken.yaml").write_text(broken, encoding="utf-8")
    (tmp_path / "other.yaml").write_text(
        "ruleset: XX-NONE\n"
        "base: {id: t, discovered_at: '2026-03-02T14:30:00Z',\n"
        "       parties: [{id: a, data_role: owner}]}\n"
        "cases: [{name: nowhere, expect: {status: breach}}]\n",
        encoding="utf-8",
    )
    rulesets, files = scenario_files(tmp_path)
    assert [p.name for p in rulesets] == ["acme.yaml"]
    assert sorted(p.name for p in files) == ["broken.yaml", "cases.yaml", "other.yaml"]
    outcomes = run_folder(tmp_path)
    by_file: dict[str, list[bool]] = {}
    for o in outcomes:
        by_file.setdefault(Path(o.file).name, []).append(o.passed)
    assert all(by_file["cases.yaml"]) and len(by_file["cases.yaml"]) == 8
    assert not any(by_file["broken.yaml"])  # every case's incident is invalid
    assert by_file["other.yaml"] == [False]
    failure = next(o for o in outcomes if Path(o.file).name == "other.yaml").failures[0]
    assert "XX-NONE" in failure


def test_run_folder_with_an_engine_uses_it(engine: Engine) -> None:
    """Given an engine, run_folder does not build one (the bundled engine lacks XX-ACME,
    so the Acme cases fail, naming the missing ruleset)."""
    outcomes = run_folder(POLICIES, engine)
    assert outcomes and not any(o.passed for o in outcomes)
    assert "XX-ACME" in outcomes[0].failures[0]
