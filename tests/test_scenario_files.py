"""Scenario files cannot pass by mistake: each slip is a problem with file:line, a broken
case fails alone, and `breachrules test` takes files, folders and -k."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from breachrules import Engine
from breachrules.cli import main
from breachrules.errors import RulesetError
from breachrules.law.loader import load_ruleset, load_rulesets
from breachrules.testing import run_folder
from breachrules.testing.scenarios import read_scenarios

from .conftest import EXAMPLES, ROOT

POLICIES = ROOT / "examples" / "policies"
SCENARIOS = (POLICIES / "acme_scenarios.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def acme_engine() -> Engine:
    return Engine(paths=[POLICIES / "acme.yaml"], bundled=False)


def _folder(tmp_path: Path, scenarios: str) -> Path:
    shutil.copy(POLICIES / "acme.yaml", tmp_path / "acme.yaml")
    (tmp_path / "acme_scenarios.yaml").write_text(scenarios, encoding="utf-8")
    return tmp_path


def _failures(tmp_path: Path, scenarios: str, engine: Engine) -> dict[str, tuple[str, ...]]:
    folder = _folder(tmp_path, scenarios)
    return {o.name: o.failures for o in run_folder(folder, engine)}


@pytest.mark.parametrize(
    ("old", "new", "case", "message"),
    [
        (  # a misspelled expectation key
            "notify-owner: {status: not_required}",
            "notify-owner: {stauts: not_required}",
            "a breach of Acme's own systems needs no notice to an owner",
            "unknown key 'stauts' (did you mean 'status'?)",
        ),
        (  # a misspelled obligation id with `absent`
            "notify-owner: absent",
            "notify-ownr: absent",
            "encrypted data with the key safe is not an incident under ISP-7",
            "XX-ACME defines no obligation 'notify-ownr'; did you mean 'notify-owner'?",
        ),
        (  # a misspelled case key
            "    incident: {breached_party: acme-retail}",
            "    incidnt: {breached_party: acme-retail}",
            "a breach of Acme's own systems needs no notice to an owner",
            "unknown key 'incidnt' (did you mean 'incident'?)",
        ),
        (  # a misspelled status word
            "notify-owner: {status: not_required}",
            "notify-owner: {status: not_requird}",
            "a breach of Acme's own systems needs no notice to an owner",
            "'not_requird' is not one of required, conditional, not_required "
            "(did you mean 'not_required'?)",
        ),
        (  # a misspelled determination status
            "      status: not_breach",
            "      status: not_breech",
            "encrypted data with the key safe is not an incident under ISP-7",
            "did you mean 'not_breach'?",
        ),
    ],
)
def test_a_slip_fails_its_case_with_file_and_line(
    tmp_path: Path, acme_engine: Engine, old: str, new: str, case: str, message: str
) -> None:
    """The slip fails its case, at its line, with a near miss; the other cases still pass."""
    assert old in SCENARIOS
    failures = _failures(tmp_path, SCENARIOS.replace(old, new, 1), acme_engine)
    line = next(i for i, text in enumerate(SCENARIOS.splitlines(), 1) if old in text)
    assert any(f"acme_scenarios.yaml:{line}:" in f and message in f for f in failures[case]), (
        failures[case]
    )
    assert sum(bool(f) for f in failures.values()) == 1, failures


def test_a_case_without_expect_fails(tmp_path: Path, acme_engine: Engine) -> None:
    """A case that checks nothing cannot pass."""
    text = SCENARIOS.replace(
        "    expect:\n      status: breach\n      obligations:\n        notify-owner: "
        "{status: not_required}\n",
        "",
        1,
    )
    assert text != SCENARIOS
    failures = _failures(tmp_path, text, acme_engine)
    assert any(
        "'expect' is required" in f
        for f in failures["a breach of Acme's own systems needs no notice to an owner"]
    )


def test_an_error_inside_a_case_fails_that_case_only(tmp_path: Path, acme_engine: Engine) -> None:
    """A field the obligation does not have used to raise AttributeError and stop every
    case; now the schema names it, and an invalid incident fails only its own case."""
    text = SCENARIOS.replace(
        "    incident: {risk: {findings: {XX-ACME: {harm_likely: false}}}}",
        "    incident: {risk: {findings: {XX-ACME: {harm_likely: maybe}}}}",
    )
    failures = _failures(tmp_path, text, acme_engine)
    broken = "no likely harm spares the notice to individuals, not the one to the owner"
    assert failures[broken] and "risk.findings.XX-ACME.harm_likely" in failures[broken][0]
    assert sum(bool(f) for f in failures.values()) == 1


def test_due_is_compared_as_an_instant(tmp_path: Path, acme_engine: Engine) -> None:
    """The same instant in another offset, or an unquoted YAML timestamp, matches."""
    text = SCENARIOS.replace('due: "2026-03-03T14:30:00-05:00"', 'due: "2026-03-03T19:30:00Z"')
    text = text.replace('due: "2026-04-01T23:59:59-05:00"', "due: 2026-04-02T04:59:59+00:00")
    assert text.count("+00:00") == 1 and '-05:00"' not in text.split("cases:")[1]
    failures = _failures(tmp_path, text, acme_engine)
    assert not any(failures.values()), failures
    wrong = SCENARIOS.replace('due: "2026-03-03T14:30:00-05:00"', 'due: "2026-03-03T14:30:00Z"', 1)
    failures = _failures(tmp_path, wrong, acme_engine)
    assert sum(bool(f) for f in failures.values()) == 1


def test_unknown_ruleset_is_named(tmp_path: Path, acme_engine: Engine) -> None:
    """A scenario file for a ruleset that is not loaded says so once, with a near miss."""
    failures = _failures(
        tmp_path, SCENARIOS.replace("ruleset: XX-ACME", "ruleset: XX-ACM"), acme_engine
    )
    assert list(failures) == ["(file)"]
    assert "did you mean 'XX-ACME'?" in failures["(file)"][0]


def test_the_bundled_scenarios_are_checked_against_their_rulesets() -> None:
    """Every bundled scenario file passes the stricter checks (the test of each case
    runs them too); a recipient word with `absent` states "nothing owed to them"."""
    rulesets = load_rulesets([ROOT / "rulesets"])
    read = read_scenarios(ROOT / "tests" / "rulesets" / "us" / "id.yaml", rulesets)
    assert not read.problems and not any(c.problems for c in read.cases)


def test_recipient_absent_can_fail(tmp_path: Path, acme_engine: Engine) -> None:
    """`individuals: absent` fails where the policy owes individuals notice."""
    text = SCENARIOS.replace(
        "notify-individuals: {status: required, party: acme-retail, "
        'due: "2026-04-01T23:59:59-05:00"}',
        "individuals: absent",
    )
    failures = _failures(tmp_path, text, acme_engine)
    bad = failures["a processor breach requires notice to the owner within 24 hours"]
    assert bad and "expected no obligation to individuals" in bad[0]


# --- one folder, both kinds of file ----------------------------------------------------


def test_rulesets_folder_with_scenarios_loads(capsys: pytest.CaptureFixture[str]) -> None:
    """The shipped layout: `--rulesets examples/policies assess` and `validate` work."""
    code = main(
        [
            "--rulesets",
            str(POLICIES),
            "assess",
            str(EXAMPLES / "multistate-ransomware.json"),
            "--jurisdiction",
            "XX-ACME",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    code = main(["validate", str(POLICIES)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "XX-ACME    1 version(s)" in out
    assert "XX-ACME    8 case(s), not run" in out and "acme_scenarios.yaml" in out


# --- validate checks scenario files as test reads them ------------------------------------

TYPOS = SCENARIOS.replace(
    "notify-owner: {status: not_required}", "notify-owner: {status: not_requird}", 1
).replace(
    "notify-individuals: {status: not_required}", "notify-regulatr: {status: not_required}", 1
)


def _line(text: str, word: str) -> int:
    return next(i for i, t in enumerate(text.splitlines(), 1) if word in t)


def test_validate_checks_a_folders_scenario_files_as_test_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A misspelled obligation id or status in a scenario file beside the rulesets is an
    error of validate (exit 2, file:line, the near miss), as it is of test: not `ok`."""
    folder = _folder(tmp_path, TYPOS)
    assert main(["validate", str(folder)]) == 2
    out, err = capsys.readouterr()
    file = folder / "acme_scenarios.yaml"
    assert "ok  XX-ACME    1 version(s)" in out and "case(s)" not in out
    assert f"{file}:{_line(TYPOS, 'not_requird')}:" in err
    assert "did you mean 'not_required'?" in err
    assert f"{file}:{_line(TYPOS, 'notify-regulatr')}:" in err
    assert "no obligation 'notify-regulatr'" in err
    assert main(["test", str(folder)]) == 1  # test fails on the same two cases
    assert capsys.readouterr().out.count("FAIL") == 2


def test_validate_given_a_scenario_file_checks_it_against_its_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A scenario file given alone is recognised (no "'code' is required"): it is checked
    against the rulesets of its folder, as `breachrules test FILE` would read them."""
    folder = _folder(tmp_path, TYPOS)
    assert main(["validate", str(folder / "acme_scenarios.yaml")]) == 2
    out, err = capsys.readouterr()
    assert "'code' is required" not in err and "invalid scenario file" in err
    assert "did you mean 'not_required'?" in err and "notify-regulatr" in err
    (tmp_path / "good").mkdir()
    folder = _folder(tmp_path / "good", SCENARIOS)
    assert main(["validate", str(folder / "acme_scenarios.yaml")]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith("ok  XX-ACME    8 case(s), not run (breachrules test runs them)")


def test_loading_a_lone_scenario_file_as_rulesets_says_what_it_is() -> None:
    """`load_rulesets` (and `--rulesets`) given a scenario file says what it is, once."""
    with pytest.raises(RulesetError) as info:
        load_rulesets([POLICIES / "acme_scenarios.yaml"])
    assert len(info.value.problems) == 1
    assert "this is a scenario file" in str(info.value.problems[0])


def test_loading_a_scenario_file_as_a_ruleset_says_what_it_is() -> None:
    with pytest.raises(RulesetError, match="this is a scenario file"):
        load_ruleset(POLICIES / "acme_scenarios.yaml")


# --- the command line --------------------------------------------------------------------


def test_test_takes_a_file_and_selects_cases(capsys: pytest.CaptureFixture[str]) -> None:
    """`breachrules test FILE.yaml` loads the rulesets beside it; -k selects by name."""
    code = main(["test", str(POLICIES / "acme_scenarios.yaml"), "-k", "encrypted", "--verbose"])
    out, _ = capsys.readouterr()
    assert code == 0, out
    assert "1 cases in 1 file(s): 1 passed, 0 failed" in out
    assert "acme_scenarios.yaml:" in out


def test_test_reports_every_case(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _folder(
        tmp_path,
        SCENARIOS.replace(
            "notify-owner: {status: not_required}", "notify-owner: {stauts: not_required}"
        ),
    )
    code = main(["test", str(folder)])
    out, _ = capsys.readouterr()
    assert code == 1
    assert "8 cases in 1 file(s): 7 passed, 1 failed" in out
    assert "did you mean 'status'?" in out


def test_a_scenario_file_that_is_not_yaml_says_where(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Cases pasted at the wrong indent: the parse error with file and line, not "no
    scenario files" (found by a user pasting a mutation survivor's case)."""
    shutil.copy(ROOT / "examples" / "policies" / "acme.yaml", tmp_path)
    text = (ROOT / "examples" / "policies" / "acme_scenarios.yaml").read_text(encoding="utf-8")
    scenarios = tmp_path / "acme_scenarios.yaml"
    scenarios.write_text(text + "      - name: pasted\n        expect: {status: breach}\n")
    for target in (scenarios, tmp_path):
        assert main(["test", str(target)]) == 2
        err = capsys.readouterr().err
        assert "acme_scenarios.yaml:" in err and "not valid YAML" in err
        assert "no scenario files" not in err
