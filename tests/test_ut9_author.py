"""User test 9 (a docs-only user writing a fictional law of their own): each fix on the
ruleset author's path, with a test that fails without it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from breachrules.cli import main
from breachrules.errors import InvalidIncident, RulesetError
from breachrules.io.serde import load_incident
from breachrules.law.loader import load_ruleset

ROOT = Path(__file__).parent.parent
PAGE = ROOT / "docs" / "ruleset-format.md"


def doc_files() -> dict[str, str]:
    """The files of the fictional law in docs/ruleset-format.md, by the name each block's
    first line gives (``# my/zz.yaml``)."""
    blocks = re.findall(r"```yaml\n(# (my/[^\s:]+)[^\n]*\n.*?)```", PAGE.read_text(), re.S)
    return {name: text for text, name in blocks}


def write_doc_example(folder: Path) -> Path:
    files = doc_files()
    assert {"my/zz.yaml", "my/_directory/zz.yaml", "my/zz_scenarios.yaml"} <= set(files)
    for name, text in files.items():
        if name.startswith("my/zz") or name == "my/_directory/zz.yaml":
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
    return folder / "my"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- 1. a ruleset names only places an incident may give --------------------------------


def _ruleset(tmp_path: Path, residents: str) -> Path:
    text = (write_doc_example(tmp_path) / "zz.yaml").read_text()
    file = tmp_path / "one.yaml"
    file.write_text(text.replace("residents: [XX-ZZ]", f"residents: [{residents}]"))
    return file


def _incident(place: str) -> dict[str, Any]:
    return {
        "schema_version": "1",
        "id": "t",
        "discovered_at": "2026-08-03T10:00:00-05:00",
        "parties": [{"id": "acme", "data_role": "owner"}],
        "exposures": [{"elements": ["name", "ssn"], "residents": {place: 600}}],
    }


@pytest.mark.parametrize("place", ["US-ZZ", "US-CAL", "UK", "DE-XX", "usa"])
def test_reaches_refuses_what_incidents_refuse(tmp_path: Path, place: str) -> None:
    """A place no incident may give is refused in ``reaches`` with the incident's own
    message (US-ZZ used to validate, then every scenario failed on it)."""
    with pytest.raises(InvalidIncident) as incident:
        load_incident(_incident(place))
    with pytest.raises(RulesetError) as ruleset:
        load_ruleset(_ruleset(tmp_path, place))
    (given,) = incident.value.problems
    (named,) = ruleset.value.problems
    assert named.path == "reaches.residents[0]" and named.line is not None
    assert named.reason == given.reason


@pytest.mark.parametrize("place", ["XX-ZZ", "XX", "ZZ", "QM-A1", "US-CA", "GB", "EU"])
def test_private_use_places_accepted_in_both(tmp_path: Path, place: str) -> None:
    load_incident(_incident(place))
    assert place in load_ruleset(_ruleset(tmp_path, place)).reach.residents


def test_private_use_hint_is_given(tmp_path: Path) -> None:
    with pytest.raises(RulesetError) as caught:
        load_ruleset(_ruleset(tmp_path, "US-ZZ"))
    assert "a place of your own takes a private-use code: XX, XX-ZZ, ZZ" in str(caught.value)


def test_documented_fictional_law_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The fictional law of docs/ruleset-format.md validates, passes its cases and is
    reached by an incident under its place, as the page says; the page shows no place an
    incident refuses."""
    folder = write_doc_example(tmp_path)
    code, out, err = run(capsys, "validate", str(folder))
    assert code == 0 and not err, err
    assert out.count("ok  ") == 3
    code, out, err = run(capsys, "test", str(folder))
    assert code == 0 and "10 passed, 0 failed" in out, out + err
    incident = tmp_path / "incident.json"
    import json

    incident.write_text(json.dumps(_incident("XX-ZZ") | {"good_faith_insider": False}))
    code, out, err = run(capsys, "--rulesets", str(folder), "assess", str(incident))
    assert "XX-ZZ" in out and "breach" in out, out + err
    page = PAGE.read_text()
    assert "US-XX" not in page
    assert re.search(r"^versions: \[\.\.\.\] +# required", page, re.M)


# --- 2. --mutate changes a parameters: series as it changes versions ----------------------


def test_mutate_changes_series_versions_and_delays(tmp_path: Path) -> None:
    """The series form gets the version and delay changes the versions form gets (it got
    none: 0/0 changes, n/a)."""
    from breachrules.testing.mutation import mutation_test

    folder = write_doc_example(tmp_path)
    report = mutation_test(
        folder / "zz.yaml",
        [folder / "zz_scenarios.yaml"],
        find_cases=False,
        kinds=["version", "delay"],
    )
    assert not report.problems, report.problems
    kinds = [r.mutant.kind for r in report.results]
    assert kinds.count("version") == 2 and kinds.count("delay") == 5, kinds
    version = next(r for r in report.results if r.mutant.kind == "version")
    assert version.mutant.where == "parameters.individual_deadline[1].from"
    assert version.mutant.item.startswith("$individual_deadline")
    assert report.count("killed") == 7


def test_mutate_changes_a_delay_written_as_a_series_parameter(tmp_path: Path) -> None:
    from breachrules.testing.mutation import mutants

    folder = write_doc_example(tmp_path)
    text = (folder / "zz.yaml").read_text()
    text = text.replace(
        "law_enforcement_delay: {citation: Zedland DBA § 4(c), ends: after, days: 7}",
        "law_enforcement_delay: $delay",
    ).replace(
        "parameters:\n",
        "parameters:\n  delay:\n    - from: 2020-01-01\n      citation: Zedland DBA § 4(c)\n"
        "      value: {citation: Zedland DBA § 4(c), ends: after, days: 7}\n",
        1,
    )
    (folder / "zz.yaml").write_text(text)
    load_ruleset(folder / "zz.yaml")
    from breachrules.law.loader import read_located

    found = [m for m in mutants(read_located(folder / "zz.yaml")) if m.kind == "delay"]
    assert [m.where for m in found if m.where.startswith("parameters.delay[0].value")], found


# --- 4. a problem of the base is said once -------------------------------------------------


def test_base_problem_said_once_where_cases_give_the_key_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A base problem was repeated under every case when some case also gave the key (and
    so did not share the base's problem at the base's line)."""
    folder = write_doc_example(tmp_path)
    cases = folder / "zz_scenarios.yaml"
    cases.write_text(cases.read_text().replace("XX-ZZ: ", "US-ZZ: "))
    code, out, err = run(capsys, "validate", str(folder))
    assert code != 0
    assert err.count("base.exposures[0].residents.US-ZZ") == 1, err
    assert "cases[1].exposure.residents.US-ZZ" in err
    code, out, err = run(capsys, "test", str(folder))
    assert code != 0
    assert (out + err).count("base.exposures[0].residents.US-ZZ") == 1, out + err


# --- 3. validate reports as much as it can in one run --------------------------------------


def _broken(tmp_path: Path) -> Path:
    folder = write_doc_example(tmp_path)
    file = folder / "zz.yaml"
    text = file.read_text()
    for old, new in [
        ("from: 2026-07-01", "from: 2026-02-30"),  # a date that is no day (schema)
        ("deadline: $individual_deadline", "deadline: $individual_deadlin"),  # parameter
        ("[name, [ssn, drivers_license]]", "[name, [ssnn, drivers_license]]"),  # element
        ("when: {acquired: true}", "when: {acquird: true}"),  # fact
        (
            "from: notice_to_individuals, days: 0}",
            "from: notice_to_individuals, days: 0,\n"
            "               or_when: 'sent:notify-individual'}",
        ),  # or_when
    ]:
        assert old in text, old
        text = text.replace(old, new)
    file.write_text(text)
    return folder


def test_validate_reports_every_stage_in_one_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad date, a bad $parameter, an element and a fact typo and a bad or_when took four
    runs of validate, one stage at a time; now one, each at its line."""
    folder = _broken(tmp_path)
    lines = (folder / "zz.yaml").read_text().splitlines()
    code, out, err = run(capsys, "validate", str(folder))
    assert code == 2
    found = {m[2]: int(m[1]) for m in re.finditer(r"zz\.yaml:(\d+): (\S+):", err)}
    assert set(found) >= {
        "parameters.individual_deadline[1].from",
        "obligations[0].deadline",
        "personal_information.when.elements[0][1][0]",
        "breach.when.acquird",
        "obligations[1].deadline.or_when",
    }, err
    assert "did you mean 'sent:notify-individuals'?" in err
    # 5. a word of a set test is reported at its own line, not at `elements:`
    assert "ssnn" in lines[found["personal_information.when.elements[0][1][0]"] - 1]
    # the scenario files wait for the rulesets, and say so; the directory does not wait
    assert "1 scenario file(s) not checked" in err
    assert "ok  directory" in out


def test_a_missing_parameter_is_not_followed_by_its_consequences(tmp_path: Path) -> None:
    folder = write_doc_example(tmp_path)
    file = folder / "zz.yaml"
    file.write_text(
        file.read_text()
        .replace("deadline: $individual_deadline", "deadline: $individual_deadlin")
        .replace(
            "from: notice_to_individuals, days: 0}",
            "from: notice_to_individuals, days: 0, or_when: 'sent:notify-individuals'}",
        )
    )
    with pytest.raises(RulesetError) as caught:
        load_ruleset(file)
    paths = {p.path for p in caught.value.problems}
    assert paths == {"obligations[0].deadline"}, caught.value.problems


def test_what_the_later_checks_cannot_read_is_said(tmp_path: Path) -> None:
    folder = write_doc_example(tmp_path)
    file = folder / "zz.yaml"
    file.write_text(
        file.read_text()
        .replace("    citation: Zedland DBA § 4(b)\n", "")
        .replace("when: {acquired: true}", "when: {acquird: true}")
    )
    with pytest.raises(RulesetError) as caught:
        load_ruleset(file)
    reasons = [p.reason for p in caught.value.problems]
    assert "'citation' is required" in reasons[0]
    assert reasons[-1].startswith("fix these first: the checks after the file's shape")


def test_the_later_checks_read_past_an_unknown_key(tmp_path: Path) -> None:
    folder = write_doc_example(tmp_path)
    file = folder / "zz.yaml"
    file.write_text(
        file.read_text()
        .replace("    title: Notice to affected residents", "    titel: Notice")
        .replace("when: {acquired: true}", "when: {acquird: true}")
    )
    with pytest.raises(RulesetError) as caught:
        load_ruleset(file)
    paths = [p.path for p in caught.value.problems]
    # In line order (UT10 13): the breach rule comes before the obligations in the file.
    assert paths == ["breach.when.acquird", "obligations[0].titel"], caught.value.problems


# --- 5. validate warns of a notice to a public body no directory entry receives ------------


def test_validate_warns_of_a_public_notice_without_a_directory_entry(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A user's ruleset whose Attorney General notice no entry receives validated in
    silence (its contacts simply empty); now a warning names it, and the exit is 0."""
    folder = write_doc_example(tmp_path)
    code, _out, err = run(capsys, "validate", str(folder))
    assert code == 0 and "warning" not in err, err
    (folder / "_directory" / "zz.yaml").unlink()
    code, _out, err = run(capsys, "validate", str(folder))
    assert code == 0, err
    (warning,) = err.splitlines()
    assert warning.startswith(f"warning: {folder / 'zz.yaml'}:44: XX-ZZ:notify-attorney-general:")
    assert f"add one under {folder / '_directory'}/" in warning
    page = " ".join(PAGE.read_text().split())
    assert "XX-ZZ:notify-attorney-general: no regulator directory entry says how to reach" in page


# --- 13. a user's ruleset the incident does not reach is named once -----------------------

MULTISTATE = ROOT / "examples" / "incidents" / "multistate-ransomware.json"


def test_a_users_ruleset_not_reached_is_named_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--rulesets my/ assess`` of an incident outside the user's law never mentioned it."""
    folder = write_doc_example(tmp_path)
    code, out, err = run(capsys, "--rulesets", str(folder), "assess", str(MULTISTATE))
    assert code == 0, err
    flat = " ".join(out.split())
    assert flat.count("XX-ZZ") == 2, out  # the code and the place it reaches, once
    assert "(not reached: XX-ZZ (your rulesets): it reaches people living in XX-ZZ;" in flat
    assert "(31 in all); its parties are established in US-TX)" in flat
    # the JSON is as it was (no determination for a law that cannot reach)
    code, out, err = run(
        capsys, "--rulesets", str(folder), "assess", str(MULTISTATE), "--format", "json"
    )
    assert code == 0 and "XX-ZZ" not in out
    # a bundled law the incident does not reach is not named
    code, out, err = run(capsys, "assess", str(MULTISTATE))
    assert "not reached" not in out


def test_saying_not_reached_loads_nothing(tmp_path: Path) -> None:
    from breachrules import Engine
    from breachrules.engine.unreached import not_reached
    from breachrules.law.library import Library

    folder = write_doc_example(tmp_path)
    engine = Engine(paths=[folder])
    incident = load_incident(MULTISTATE)
    assessment = engine.assess(incident)
    before = engine.loaded
    mine = Library([folder])
    lines = not_reached(incident, assessment, mine.outlines)
    assert [line.split(":", 1)[0] for line in lines] == ["XX-ZZ"]
    assert engine.loaded == before and "XX-ZZ" not in before and mine.loaded == ()
