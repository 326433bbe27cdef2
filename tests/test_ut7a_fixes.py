"""User test 7 (a docs-only tester's fictional Zedland ruleset, a Dutch bank under DORA and
the GDPR): input, validation and audit fixes, each with a test that fails without it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from breachrules.cli import main
from breachrules.errors import RulesetError
from breachrules.law import cache
from breachrules.law.directory import load_directory
from breachrules.law.loader import load_rulesets
from breachrules.testing.scenarios import read_scenarios

#: The tester's fictional ruleset (my/zz/zz.yaml, shortened): every date field is a
#: ``{name}`` to fill in.
ZEDLAND = """\
code: XX-ZZ
name: Zedland Personal Data Breach Act
citation: Zedland PDBA 2025, ss. 1-9
sources:
  - {{url: https://laws.zedland.example/pdba, title: Zedland PDBA 2025}}
last_reviewed: {last_reviewed}
reaches:
  residents: [XX]
  citation: PDBA s. 2
holidays: {{country: NZ}}
time_zone: Pacific/Chatham
versions:
  - effective_from: {effective_from}
    effective_to: {effective_to}
    citation: Zedland PDBA 2025
    parameters: {{}}
  - effective_from: '2027-01-01'
    citation: Zedland PDBA 2025 as amended
personal_information:
  id: personal-information
  citation: PDBA s. 1(d)
  when:
    elements:
      combination_of:
        - [name, [government_id, financial_account]]
breach:
  id: breach
  citation: PDBA s. 1(b)
  when: {{acquired: true}}
  exceptions:
    - id: risk-of-harm
      citation: PDBA s. 3
      when: {{harm_likely: false}}
      effective_from: {exception_from}
obligations:
  - id: notify-regulator
    title: Notice to the Zedland Data Commissioner
    citation: PDBA s. 4
    recipient: regulator
    by: owner
    effective_from: {obligation_from}
    deadline:
      text: within 72 hours of discovery
      from: discovery
      hours: 72
"""
GOOD = {
    "last_reviewed": "2026-12-01",
    "effective_from": "2025-01-01",
    "effective_to": "2026-12-31",
    "exception_from": "2025-01-01",
    "obligation_from": "2025-01-01",
}
#: The same law written as dated value series (``parameters:``): the ``from`` dates.
ZEDLAND_SERIES = """\
code: XX-ZZ
name: Zedland Personal Data Breach Act
citation: Zedland PDBA 2025
sources: [{{url: https://laws.zedland.example/pdba}}]
last_reviewed: '2026-12-01'
reaches: {{residents: [XX]}}
parameters:
  deadline:
    - {{from: {first}, value: {{text: in 72 hours, from: discovery, hours: 72}}, citation: s. 4}}
    - {{from: {second}, value: {{text: in 48 hours, from: discovery, hours: 48}}, citation: s. 4}}
personal_information: {{id: pi, citation: PDBA s. 1(d), when: {{elements: {{contains: name}}}}}}
breach: {{id: breach, citation: PDBA s. 1(b), when: {{acquired: true}}}}
obligations:
  - id: notify-regulator
    citation: PDBA s. 4
    recipient: regulator
    by: owner
    deadline: $deadline
"""
DIRECTORY = """\
last_reviewed: {file}
entries:
  - id: zz-data-commissioner
    name: Zedland Data Commissioner
    country: XX
    for: [XX-ZZ:notify-regulator]
    source: https://dc.zedland.example/contact
    verified: false
  - id: zz-police
    name: Zedland Police
    country: XX
    for: [XX-ZZ:notify-regulator]
    source: https://police.zedland.example
    verified: false
    last_reviewed: {entry}
"""
SCENARIOS = """\
ruleset: XX-ZZ
base:
  id: base
  discovered_at: {as_of}
  parties: [{{id: acme, data_role: owner}}]
  exposures:
    - {{elements: [name, government_id], residents: {{XX: 600}}, acquired: true}}
cases:
  - name: regulator at 72 hours
    as_of: {as_of}
    expect:
      obligations:
        notify-regulator: {{status: required, due: {due}}}
"""


def _zedland(tmp_path: Path, **dates: str) -> Path:
    folder = tmp_path / "zz"
    folder.mkdir(exist_ok=True)
    (folder / "zz.yaml").write_text(ZEDLAND.format(**{**GOOD, **dates}), encoding="utf-8")
    return folder


def _line_of(text: str, words: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if words in line)


# --- 1. a bad date in a ruleset: exit 2 with file:line and the near miss -------------------


@pytest.mark.parametrize("quote", ["", "'", '"'])
def test_an_impossible_date_in_a_ruleset_is_refused_at_its_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    quote: str,
) -> None:
    """The tester's ``effective_from: 2025-02-30`` (quoted or not) and ``last_reviewed:
    2026-13-01`` gave "unexpected error: ValueError: day is out of range for month", exit 1,
    under validate, assess --rulesets and --no-cache alike."""
    monkeypatch.setattr(cache, "_ENABLED", None)  # --no-cache turns it off for the process
    folder = _zedland(
        tmp_path,
        effective_from=f"{quote}2025-02-30{quote}",
        last_reviewed=f"{quote}2026-13-01{quote}",
    )
    text = (folder / "zz.yaml").read_text(encoding="utf-8")
    incident = tmp_path / "incident.json"
    incident.write_text(json.dumps(_ZZ_INCIDENT), encoding="utf-8")
    for argv in (
        ["validate", str(folder)],
        ["--rulesets", str(folder), "assess", str(incident)],
        ["--no-cache", "--rulesets", str(folder), "assess", str(incident)],
    ):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert "unexpected error" not in err
        assert f"zz.yaml:{_line_of(text, 'effective_from: ' + quote + '2025')}: " in err
        assert "February 2025 has 28 days; did you mean '2025-02-28'?" in err
        assert f"zz.yaml:{_line_of(text, 'last_reviewed')}: last_reviewed:" in err
        assert "no month 13" in err


def test_an_impossible_date_in_a_series_or_the_directory_is_refused_at_its_line(
    tmp_path: Path,
) -> None:
    series = tmp_path / "series.yaml"
    series.write_text(ZEDLAND_SERIES.format(first="2025-01-01", second="2026-02-29"))
    with pytest.raises(RulesetError) as caught:
        load_rulesets([series], cache=False)
    (problem,) = caught.value.problems
    assert problem.line == 10 and "February 2026 has 28 days" in problem.reason

    folder = tmp_path / "dir"
    (folder / "_directory").mkdir(parents=True)
    file = folder / "_directory" / "zz.yaml"
    file.write_text(DIRECTORY.format(file="2026-13-01", entry="2026-04-31"))
    with pytest.raises(RulesetError) as caught:
        load_directory([folder], cache=False)
    got = {(p.path, p.line): p.reason for p in caught.value.problems}
    assert got == {
        ("last_reviewed", 1): "'2026-13-01' is not a date: there is no month 13 (01 to 12)",
        ("entries[1].last_reviewed", 15): (
            "'2026-04-31' is not a date: April 2026 has 30 days; did you mean '2026-04-30'?"
        ),
    }  # the file's date once, not under every entry that takes it


def test_an_explicit_yaml_tag_that_cannot_be_read_is_a_problem_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``!!timestamp 2025-02-30`` (and an integer too long for Python) raised a bare
    ValueError from the YAML constructor, in rulesets and the directory alike."""
    folder = _zedland(tmp_path, last_reviewed="!!timestamp 2025-02-30")
    (folder / "_directory").mkdir()
    (folder / "_directory" / "zz.yaml").write_text("last_reviewed: [unclosed\n")
    assert main(["validate", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "zz.yaml:6: not valid YAML: cannot read '2025-02-30' as !!timestamp" in err
    _zedland(tmp_path, last_reviewed="9" * 5000)
    assert main(["validate", str(folder)]) == 2
    assert "zz.yaml:6: not valid YAML: cannot read '99999" in capsys.readouterr().err
    _zedland(tmp_path)
    assert main(["validate", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "unexpected error" not in err and "_directory/zz.yaml:2: not valid YAML" in err


#: What a YAML author might write where a date goes: dates of any digits, quoted or not,
#: other scalars, explicit tags, and any text at all as a quoted string.
_DIGITS = st.tuples(st.integers(0, 9999), st.integers(0, 99), st.integers(0, 99)).map(
    lambda d: f"{d[0]:04d}-{d[1]:02d}-{d[2]:02d}"
)
_SCALARS = st.one_of(
    _DIGITS,
    _DIGITS.map(lambda d: f"'{d}'"),
    _DIGITS.map(lambda d: f"!!timestamp {d}"),
    _DIGITS.map(lambda d: f"{d}T10:00:00Z"),
    st.sampled_from(
        [
            *("null", "~", "true", "no", "2025-1-1", ".inf", "-.nan", "0x1F", "0o17", "20250101"),
            *(
                "2025-01-01 10:00",
                "[]",
                "{}",
                "!!int 12",
                "!!float x",
                "!!binary AAA",
                "'٢٠٢٥-01-01'",
            ),
        ]
    ),
    st.integers(),
    st.text().map(json.dumps),
)
_RULESET_FIELDS = sorted(GOOD)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(field=st.sampled_from([*_RULESET_FIELDS, "series", "directory", "scenario"]), value=_SCALARS)
def test_no_yaml_scalar_in_a_date_field_escapes_as_an_unexpected_error(
    tmp_path: Path, field: str, value: str
) -> None:
    """Whatever is written in a date field, loading either succeeds or raises RulesetError
    whose every problem names the file and a line; a scenario file's moments are problems
    of the file, never an exception."""
    if field == "scenario":
        file = tmp_path / "zz_scenarios.yaml"
        file.write_text(SCENARIOS.format(as_of=value, due=value), encoding="utf-8")
        read = read_scenarios(file)  # the base's discovered_at too
        for problem in [*read.problems, *(p for c in read.cases for p in c.problems)]:
            assert problem.file == str(file) and problem.line is not None, problem
        return
    if field == "directory":
        folder = tmp_path / "d"
        (folder / "_directory").mkdir(parents=True, exist_ok=True)
        file = folder / "_directory" / "zz.yaml"
        file.write_text(DIRECTORY.format(file=value, entry="2026-01-01"), encoding="utf-8")
        load: Any = lambda: load_directory([folder], cache=False)  # noqa: E731
    elif field == "series":
        file = tmp_path / "series.yaml"
        file.write_text(ZEDLAND_SERIES.format(first=value, second="2027-01-01"))
        load = lambda: load_rulesets([file], cache=False)  # noqa: E731
    else:
        file = _zedland(tmp_path, **{field: value}) / "zz.yaml"
        load = lambda: load_rulesets([file], cache=False)  # noqa: E731
    try:
        load()
    except RulesetError as exc:
        for problem in exc.problems:
            assert problem.file == str(file) and problem.line is not None, problem


# --- 2. validate checks each case's incident, at the line of the bad key ---------------------

#: The tester's scenario file (my/zz/zz_scenarios.yaml), shortened; the base has a case of
#: its own-written discovered_at to override.
ZZ_CASES = """\
ruleset: XX-ZZ
base:
  id: base
  discovered_at: {discovered}
  parties: [{{id: acme, data_role: owner}}]
  exposures: [{{elements: [name, government_id], residents: {{XX: 600}}, acquired: true}}]
  risk: {{findings: {{XX-ZZ: {{harm_likely: true}}}}}}
cases:
  - name: name plus government id acquired is a breach; regulator 72 hours
    expect:
      status: breach
      obligations:
        notify-regulator: {{status: required, due: "2026-03-05T10:00:00+13:45"}}
  - name: not acquired is not a breach
    exposure: {{acquired: {acquired}}}
    expect:
      status: not_breach
  - name: harm unlikely is an exception
    incident:
      risk:
        findings:
          XX-ZZ: {{harm_likely: false}}
      good_faith_insidr: false
    expect:
      status: not_breach
"""


def _cases(tmp_path: Path, discovered: str, acquired: str = "false") -> Path:
    folder = _zedland(tmp_path)
    (folder / "zz_scenarios.yaml").write_text(
        ZZ_CASES.format(discovered=discovered, acquired=acquired), encoding="utf-8"
    )
    return folder


def test_validate_checks_each_cases_incident_at_the_line_of_the_bad_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``exposure: {acquird: false}`` in a case and a misspelt key in another case's
    ``incident:`` passed ``validate`` (exit 0) and failed only under ``test``."""
    folder = _cases(tmp_path, "'2026-03-02T10:00:00+13:45'", acquired="false, acquird: false")
    file = folder / "zz_scenarios.yaml"
    assert main(["validate", str(folder)]) == 2
    err = capsys.readouterr().err
    assert f"{file}:15: cases[1].exposure.acquird: unknown field; did you mean 'acquired'?" in err
    assert f"{file}:23: cases[2].incident.good_faith_insidr: unknown field" in err
    assert "cases[0]" not in err  # the first case is well formed
    assert main(["test", str(folder)]) == 1
    out = capsys.readouterr().out
    assert out.count("FAIL") == 2 and f"{file}:15: cases[1].exposure.acquird" in out


def test_a_bad_base_is_said_once_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``discovered_at: "2026-02-30..."`` in the base passed ``validate``, and ``test``
    printed it under every case."""
    folder = _cases(tmp_path, '"2026-02-30T10:00:00+13:45"')
    file = folder / "zz_scenarios.yaml"
    assert main(["validate", str(folder)]) == 2
    err = capsys.readouterr().err
    wanted = f"{file}:4: base.discovered_at: '2026-02-30T10:00:00+13:45' is not a moment"
    assert err.count(wanted) == 1 and "did you mean '2026-02-28T10:00:00+13:45'?" in err
    assert main(["test", str(folder)]) == 1
    out = capsys.readouterr().out
    assert out.count("is not a moment") == 1 and out.count("FAIL") == 1


def test_a_base_problem_some_case_mends_stays_with_the_cases_that_have_it(
    tmp_path: Path,
) -> None:
    folder = _cases(tmp_path, '"2026-02-30T10:00:00+13:45"')
    file = folder / "zz_scenarios.yaml"
    text = file.read_text(encoding="utf-8").replace(
        "    exposure: {acquired: false}",
        "    exposure: {acquired: false}\n    incident: {discovered_at: '2026-03-01T10:00:00Z'}",
    )
    file.write_text(text, encoding="utf-8")
    read = read_scenarios(file)
    assert read.problems == ()
    assert [[(p.path, p.line) for p in case.problems] for case in read.cases] == [
        [("base.discovered_at", 4)],
        [],
        [("base.discovered_at", 4), ("cases[2].incident.good_faith_insidr", 24)],
    ]
    assert read.cases[1].loaded is not None


# --- 3. moments out of order: refused where impossible, warned where they can be true -------

#: The tester's New York CRM export (my/u3/inc.json).
HOST: dict[str, Any] = {
    "schema_version": "1",
    "id": "HOST-777",
    "discovered_at": "2026-11-20T16:00:00-05:00",
    "time_zone": "America/New_York",
    "occurred_at": "2026-11-18T00:00:00-05:00",
    "parties": [
        {"id": "corp", "name": "Corp LLC", "data_role": "owner", "established_in": ["US-NY"]}
    ],
    "exposures": [
        {
            "elements": ["name", "ssn", "email"],
            "residents": {"US-NY": 1200},
            "encrypted": False,
            "acquired": True,
            "accessed": True,
        }
    ],
    "risk": {"harm_likely": True},
    "good_faith_insider": False,
}
HOST_AS_OF = "2026-11-25T00:00:00-05:00"


def _stdio() -> Any:
    import importlib.util
    import sys

    path = Path(__file__).resolve().parents[1] / "examples/integrations/stdio/breachrules_stdio.py"
    name = "integration_breachrules_stdio"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def _assess_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], doc: dict[str, Any], as_of: str
) -> tuple[int, Any, str]:
    file = tmp_path / "incident.json"
    file.write_text(json.dumps(doc), encoding="utf-8")
    status = main(["assess", str(file), "--format", "json", "--as-of", as_of])
    out, err = capsys.readouterr()
    return status, json.loads(out) if status == 0 else None, err


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("occurred_at", "2026-11-25T00:00:00-05:00", "cannot be discovered before it happens"),
        ("breach_determined_at", "2026-11-19T00:00:00-05:00", "before the incident is known"),
    ],
)
def test_an_impossible_order_of_the_incidents_moments_is_warned_about(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], field: str, value: str, words: str
) -> None:
    """The tester's occurred_at after discovered_at and breach_determined_at before it were
    assessed silently (assess --format json and the stdio adapter, exit 0). They are
    assessed as given (a discovery can be recorded late; nothing is dropped), and said."""
    doc = {**HOST, field: value}
    status, assessment, _ = _assess_json(tmp_path, capsys, doc, HOST_AS_OF)
    assert status == 0
    (warning,) = [w for w in assessment["warnings"] if w.startswith(f"{field} ({value})")]
    assert words in warning
    assert main(["assess", str(tmp_path / "incident.json"), "--as-of", HOST_AS_OF]) == 0
    assert warning in " ".join(capsys.readouterr().err.split())  # said on standard error
    code, response = _stdio().run({"incident": doc, "as_of": HOST_AS_OF})
    assert code == 0 and warning in response["warnings"]
    # the other side: the same moments in order, no such warning
    ordered = {**HOST, field: "2026-11-20T16:00:00-05:00"}
    status, assessment, _ = _assess_json(tmp_path, capsys, ordered, HOST_AS_OF)
    assert status == 0 and not [w for w in assessment["warnings"] if "discovered_at" in w]


def test_a_notice_sent_before_discovery_is_counted_and_warned_about(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A notices_sent entry dated before discovery was counted as sent (overdue false) with
    no word: a party that learned first can truly have sent it, so it is a warning."""
    sent = {"US-NY:notify-individuals": "2026-11-01T00:00:00-05:00"}
    doc = {**HOST, "notices_sent": sent}
    status, assessment, _ = _assess_json(tmp_path, capsys, doc, HOST_AS_OF)
    assert status == 0
    (warning,) = [w for w in assessment["warnings"] if "before discovered_at" in w]
    assert warning.startswith(
        "notices_sent.US-NY:notify-individuals (2026-11-01T00:00:00-05:00) is before "
        "discovered_at (2026-11-20T16:00:00-05:00)"
    )
    notice = next(o for o in assessment["obligations"] if o["id"] == "US-NY:notify-individuals")
    assert notice["sent_at"] == "2026-11-01T00:00:00-05:00"  # kept as given, never dropped
    code, response = _stdio().run({"incident": doc, "as_of": HOST_AS_OF})
    assert code == 0 and warning in response["warnings"]
    # the other side: sent after discovery, no such warning
    later = {**HOST, "notices_sent": {"US-NY:notify-individuals": "2026-11-21T09:00:00-05:00"}}
    status, assessment, _ = _assess_json(tmp_path, capsys, later, HOST_AS_OF)
    assert not [w for w in assessment["warnings"] if "before discovered_at" in w]


def test_an_assessment_as_of_a_moment_before_discovery_is_warned_about(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The tester's discovered_at in 2031, assessed now: no clock started, nothing overdue,
    and not a word. It is a warning (what was due at an earlier moment is a fair question)."""
    doc = {**HOST, "discovered_at": "2031-01-01T00:00:00-05:00"}
    doc["occurred_at"] = doc["discovered_at"]
    status, assessment, _ = _assess_json(tmp_path, capsys, doc, HOST_AS_OF)
    assert status == 0
    (warning,) = [w for w in assessment["warnings"] if "moment of assessment" in w]
    assert "discovered_at (2031-01-01T00:00:00-05:00) is after the moment of assessment" in warning
    code, response = _stdio().run({"incident": doc, "as_of": HOST_AS_OF})
    assert code == 0 and warning in response["warnings"]
    status, assessment, _ = _assess_json(tmp_path, capsys, HOST, HOST_AS_OF)
    assert not [w for w in assessment["warnings"] if "moment of assessment" in w]


# --- 4. the stdio adapter refuses unknown request keys; its request and response schemas ---


def test_the_stdio_adapter_refuses_a_misspelt_request_key_with_the_near_miss() -> None:
    """``{"incident": ..., "ful": true, "jurisdiction": ["US-NY"]}`` was answered, exit 0,
    for every law and without the assessment asked for."""
    request = {"incident": HOST, "ful": True, "jurisdiction": ["US-NY"], "as_of": HOST_AS_OF}
    code, response = _stdio().run(request)
    assert code == 2 and response["ok"] is False and response["error"] == "invalid request"
    assert {p["path"]: p["reason"].split(" (")[0] for p in response["problems"]} == {
        "ful": "unknown request key; did you mean 'full'?",
        "jurisdiction": "unknown request key; did you mean 'jurisdictions'?",
    }
    for wrong, path in (({"full": "yes"}, "full"), ({"as_of": "tomorrow"}, "as_of")):
        code, response = _stdio().run({"incident": HOST, **wrong})
        assert code == 2 and [p["path"] for p in response["problems"]] == [path]
    code, response = _stdio().run({"incident": HOST, "full": True, "jurisdictions": ["US-NY"]})
    assert code == 0 and [d["jurisdiction"] for d in response["decisions"]] == ["US-NY"]
    assert "assessment" in response


def test_the_stdio_adapters_real_requests_and_responses_validate_against_its_schemas(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tester found no schema for the stdio request or response."""
    import jsonschema

    assert main(["schema", "stdio-request"]) == 0
    request_schema = json.loads(capsys.readouterr().out)
    assert main(["schema", "stdio-response"]) == 0
    response_schema = json.loads(capsys.readouterr().out)
    requests = jsonschema.Draft202012Validator(request_schema)
    responses = jsonschema.Draft202012Validator(response_schema)
    sample = Path(__file__).resolve().parents[1] / "examples/integrations/stdio/sample_request.json"
    monkeypatch.setenv("BREACHRULES_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    sent = {**HOST, "notices_sent": {"US-NY:notify-individuals": "2026-11-21T09:00:00-05:00"}}
    good = [
        json.loads(sample.read_text(encoding="utf-8")),
        HOST,  # a bare incident document
        {"incident": sent, "as_of": HOST_AS_OF, "jurisdictions": None, "full": False},
        {"incident": _ZZ_INCIDENT, "full": True},
    ]
    for request in good:
        requests.validate(request)
        code, response = _stdio().run(request)
        assert code == 0, response
        responses.validate(response)
        assert "audit" in response
    monkeypatch.delenv("BREACHRULES_AUDIT_LOG")
    bad = [
        {"incident": HOST, "ful": True},
        {"incident": {**HOST, "discovered_at": "2026-02-30T10:00:00Z"}},
        {**HOST, "exposures": [{"elements": ["name"], "residents": {"US-NY": -1}}]},
    ]
    assert not requests.is_valid(bad[0])  # the others are what only the engine can say
    for request in bad:
        code, response = _stdio().run(request)
        assert code == 2
        responses.validate(response)
    # every key a duty has is in the schema, and nothing else
    duties = response_schema["$defs"]["Duty"]["properties"]
    code, response = _stdio().run(HOST)
    assert set(response["decisions"][0]["obligations"][0]) == set(duties)


# --- 5. a notice recorded after the fact is not "recorded out of order" ---------------------

NY_INDIVIDUALS = "US-NY:notify-individuals"


def _assessed_log(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The tester's workflow: assess (as of the moment of assessment) into an audit log."""
    file = tmp_path / "incident.json"
    file.write_text(json.dumps(HOST), encoding="utf-8")
    log = tmp_path / "audit.jsonl"
    argv = ["assess", str(file), "--as-of", HOST_AS_OF, "--audit-log", str(log)]
    assert main(argv) == 0
    capsys.readouterr()
    return log


def _record(log: Path, sent_at: str, recorded_at: str, obligation: str = NY_INDIVIDUALS) -> None:
    argv = ["audit", "record", str(log), "--obligation", obligation, "--method", "letter"]
    assert main([*argv, "--sent-at", sent_at, "--recorded-at", recorded_at]) == 0


def _report(log: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, dict[str, Any]]:
    capsys.readouterr()
    argv = ["audit", "report", str(log), "--as-of", "2026-11-26T00:00:00Z"]
    assert main(argv) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert main([*argv, "--format", "json"]) == 0
    entries = json.loads(capsys.readouterr().out)["HOST-777"]
    return text, next(e for e in entries if e["obligation_id"] == NY_INDIVIDUALS)


def test_a_notice_recorded_days_after_it_was_sent_is_said_plainly_not_doubted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Assess now, then record a notice sent three days ago: the report said "event 2 is
    dated ..., before event 1 ... recorded out of order, so its date is only the host's
    word". The order of a log is that of its recordings; the past sending is said plainly."""
    log = _assessed_log(tmp_path, capsys)
    _record(log, "2026-11-22T10:00:00-05:00", "2026-11-25T15:00:00Z")
    text, entry = _report(log, capsys)
    assert "out of order" not in text and "ran backwards" not in text
    assert f"on_time {NY_INDIVIDUALS}" in text  # no * : nothing doubted
    assert (
        f"{NY_INDIVIDUALS}: sent 3d 0h before it was recorded (2026-11-25T15:00:00+00:00)" in text
    )
    assert entry["doubts"] == [] and entry["notes"] == [
        "sent 3d 0h before it was recorded (2026-11-25T15:00:00+00:00)"
    ]


def test_a_recording_that_runs_backwards_is_still_doubted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What stays flagged: a recorded_at before that of an earlier notice of the incident
    (the log's clock ran backwards)."""
    log = _assessed_log(tmp_path, capsys)
    _record(log, "2026-11-21T10:00:00-05:00", "2026-11-25T15:00:00Z", "US-NY:notify-cras")
    _record(log, "2026-11-22T10:00:00-05:00", "2026-11-24T15:00:00Z")
    text, entry = _report(log, capsys)
    assert f"on_time * {NY_INDIVIDUALS}" in text
    (doubt,) = entry["doubts"]
    assert doubt.startswith(
        "event 3 was recorded 2026-11-24T15:00:00+00:00, before event 2 (a notice sent "
        "2026-11-21T10:00:00-05:00, recorded 2026-11-25T15:00:00+00:00)"
    )
    # recorded after its due date: tests/test_audit_log.py, the back-dated notice


# --- 6. --sent-from LOG: the notices an audit log records as sent move the plan ----------

#: The tester's Dutch bank (my/nl-bank.json): DORA, NIS2 and the GDPR.
NL_BANK: dict[str, Any] = {
    "schema_version": "1",
    "id": "NL-BANK-2026-001",
    "discovered_at": "2026-12-04T03:10:00+01:00",
    "time_zone": "Europe/Amsterdam",
    "occurred_at": "2026-12-04T02:00:00+01:00",
    "breach_determined_at": "2026-12-04T09:00:00+01:00",
    "malicious": True,
    "parties": [
        {
            "id": "lagebank",
            "name": "Lage Landen Bank N.V.",
            "data_role": "owner",
            "types": ["dora_financial_entity", "nis2_essential_entity"],
            "established_in": ["NL"],
            "offers_to": ["NL", "BE", "GB"],
        }
    ],
    "exposures": [
        {
            "elements": ["name", "financial_account", "government_id"],
            "residents": {"NL": 40000, "BE": 3000, "GB": 200},
            "encrypted": True,
            "acquired": True,
            "accessed": True,
            "lost": True,
        }
    ],
    "classification": {
        "significant": True,
        "major_ict_incident": True,
        "classified_at": "2026-12-04T06:00:00+01:00",
    },
    "good_faith_insider": False,
}
NL_AS_OF = "2026-12-07T13:00:00+01:00"
DORA_INITIAL = "EU-DORA:initial-notification"
DORA_INTERMEDIATE = "EU-DORA:intermediate-report"


def _dora_log(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path]:
    """The tester's steps (docs/audit-and-evidence.md): assess into a log, then record the
    DORA initial notification sent on 4 December."""
    file = tmp_path / "nl-bank.json"
    file.write_text(json.dumps(NL_BANK), encoding="utf-8")
    log = tmp_path / "audit.jsonl"
    assert main(["assess", str(file), "--as-of", NL_AS_OF, "--audit-log", str(log)]) == 0
    argv = ["audit", "record", str(log), "--obligation", DORA_INITIAL, "--method", "portal"]
    argv += ["--sent-at", "2026-12-04T09:45:00+01:00", "--recorded-at", "2026-12-07T11:55:35Z"]
    assert main(argv) == 0
    capsys.readouterr()
    return file, log


def _plan_dates(
    capsys: pytest.CaptureFixture[str], file: Path, *extra: str
) -> tuple[dict[str, Any], str]:
    argv = ["plan", str(file), "--as-of", NL_AS_OF, "--format", "json", *extra]
    assert main(argv) == 0
    out, err = capsys.readouterr()
    actions = json.loads(out)["actions"]
    return {a["obligations"][0]: a for a in actions if len(a["obligations"]) == 1}, err


def test_recording_the_dora_initial_report_moves_the_intermediate_reports_date_in_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`audit record` of a sent notice did not move `plan`: it reads sent notices only from
    the incident's notices_sent, so the intermediate report stayed at its earliest lawful
    date while `audit report` showed the initial report sent."""
    file, log = _dora_log(tmp_path, capsys)
    before, _ = _plan_dates(capsys, file)
    after, err = _plan_dates(capsys, file, "--sent-from", str(log))
    assert before[DORA_INITIAL]["sent_at"] is None
    assert after[DORA_INITIAL]["sent_at"] == "2026-12-04T09:45:00+01:00"
    assert before[DORA_INTERMEDIATE]["due"] == "2026-12-07T06:00:00+01:00"
    assert after[DORA_INTERMEDIATE]["due"] == "2026-12-07T09:45:00+01:00"  # 72 h from it
    assert "warning: notices_sent" not in err
    argv = ["assess", str(file), "--as-of", NL_AS_OF, "--format", "json"]
    assert main([*argv, "--sent-from", str(log)]) == 0
    obligations = json.loads(capsys.readouterr().out)["obligations"]
    initial = next(o for o in obligations if o["id"] == DORA_INITIAL)
    assert initial["sent_at"] == "2026-12-04T09:45:00+01:00"
    for command in ("brief", "questions"):  # the same option, the same incident
        assert main([command, str(file), "--as-of", NL_AS_OF, "--sent-from", str(log)]) == 0
    capsys.readouterr()


def test_the_incidents_own_notices_sent_wins_with_a_warning_and_a_broken_log_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file, log = _dora_log(tmp_path, capsys)
    own = {**NL_BANK, "notices_sent": {DORA_INITIAL: "2026-12-04T09:30:00+01:00"}}
    file.write_text(json.dumps(own), encoding="utf-8")
    dates, err = _plan_dates(capsys, file, "--sent-from", str(log))
    assert dates[DORA_INITIAL]["sent_at"] == "2026-12-04T09:30:00+01:00"
    assert (
        f"warning: notices_sent.{DORA_INITIAL}: the incident says it was sent "
        f"2026-12-04T09:30:00+01:00, {log} records it sent 2026-12-04T09:45:00+01:00; the "
        "incident's is used"
    ) in err
    lines = log.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("09:45:00", "09:15:00")  # the sending, rewritten
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    argv = ["plan", str(file), "--as-of", NL_AS_OF, "--sent-from", str(log)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"--sent-from: {log}: the chain is broken at line 2" in err
    assert main([*argv[:-1], str(tmp_path / "none.jsonl")]) == 2
    assert "no such file" in capsys.readouterr().err


_ZZ_INCIDENT: dict[str, Any] = {
    "schema_version": "1",
    "id": "ZZ-1",
    "title": "Zedland test",
    "discovered_at": "2026-03-02T10:00:00+13:45",
    "parties": [
        {"id": "acme", "name": "Acme", "data_role": "owner", "established_in": ["XX"]},
    ],
    "exposures": [
        {
            "elements": ["name", "government_id"],
            "residents": {"XX": 700},
            "encrypted": False,
            "acquired": True,
            "accessed": True,
        }
    ],
    "risk": {"harm_likely": None, "findings": {"XX-ZZ": {"harm_likely": True}}},
    "good_faith_insider": False,
}
