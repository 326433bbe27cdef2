"""UT11 findings on the SOAR adapters (examples/integrations/): what an analyst who fills in
a platform's custom fields is told.

- 7: TheHive took the case's ``startDate`` for an unset ``breachDiscoveredAt`` unsaid;
- 8: TheHive and XSOAR named ``exposures[0]...``, never the field filled in, and invalid
  JSON in ``breachResidents`` named nothing;
- 10: XSOAR read an unknown yes/no word (``Maybe``) as unknown unsaid;
- 11: TheHive ignored a misspelt custom field (``breachEncryptd``) unsaid;
- 13: stdio refused a JSON array with an empty ``problems`` list;
- 14: the README told stdio users to ``pip install breachrules`` (not on PyPI).
"""

from __future__ import annotations

import base64
import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest

from breachrules import AuditLog, InvalidIncident

from .test_integrations import INTEGRATIONS, ROOT, _fixture, _load, _thehive_standin

START = "2026-06-04T12:30:00+00:00"  # the sample case's startDate (and discovery)


def _job(**fields: Any) -> dict[str, Any]:
    """The sample TheHive job with custom fields set (a value) or removed (None)."""
    job = copy.deepcopy(_fixture("thehive_responder_input.json"))
    custom = job["data"]["customFields"]
    for name, value in fields.items():
        if value is None:
            custom.pop(name, None)
        else:
            custom[name] = value
    return job


def _respond(job: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    _thehive_standin().BreachRulesResponder(job).run()
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    return report


def _xsoar(**fields: Any) -> dict[str, Any]:
    incident = copy.deepcopy(_fixture("xsoar_incident.json"))
    incident["CustomFields"].update(fields)
    return incident


def _xsoar_warnings(incident: dict[str, Any]) -> list[str]:
    xsoar = _load("xsoar/BreachRulesAssess.py")
    _, whole = (r.to_context() for r in xsoar.assess_command(incident, {}))
    (summary,) = whole["EntryContext"].values()
    warnings: list[str] = summary["Warnings"]
    return warnings


# --- 7. TheHive: discovery from the case's startDate is said, with the value used ----------


def test_thehive_says_when_discovery_is_the_cases_start_date(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    job = _job(breachDiscoveredAt=None)
    job["config"]["audit_log"] = str(tmp_path / "cortex.jsonl")
    report = _respond(job, capsys)
    assert report["success"] is True and report["full"]["as_of"] == START
    said = [w for w in report["full"]["warnings"] if w.startswith("breachDiscoveredAt")]
    assert said == [
        f"breachDiscoveredAt is not set: discovered_at is taken from the case's startDate "
        f"({START}); every deadline runs from it, so set breachDiscoveredAt if the breach "
        "was discovered at another moment"
    ]
    # the audit log keeps what the platform was told
    (event,) = AuditLog(tmp_path / "cortex.jsonl").events()
    assert said[0] in event.data["assessment"]["warnings"]
    # set, nothing is said
    report = _respond(_job(), capsys)
    assert not any("breachDiscoveredAt" in w for w in report["full"]["warnings"])
    # and the integrations README says it
    readme = " ".join((INTEGRATIONS / "README.md").read_text("utf-8").split())
    assert "TheHive takes the case's `startDate`" in readme
    assert "breachDiscoveredAt is not set: discovered_at is taken from the" in readme


def test_thehive_without_discovery_or_start_names_the_field_to_fill(
    capsys: pytest.CaptureFixture[str],
) -> None:
    job = _job(breachDiscoveredAt=None)
    del job["data"]["startDate"]
    report = _respond(job, capsys)
    assert report["success"] is False
    assert "breachDiscoveredAt (discovered_at): expected an ISO 8601" in report["errorMessage"]


def test_xsoar_says_when_discovery_is_the_incidents_occurred() -> None:
    """XSOAR's documented fallback (``occurred``) is said too, with its value."""
    incident = _xsoar(breachdiscoveredat="0001-01-01T00:00:00Z")
    said = [w for w in _xsoar_warnings(incident) if w.startswith("breachdiscoveredat")]
    assert said and "the incident's occurred (2026-03-01T22:10:00Z)" in said[0]
    assert not any(w.startswith("breachdiscoveredat") for w in _xsoar_warnings(_xsoar()))


# --- 8. errors name the platform field --------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("breachResidents", {"string": "US-MA: 820"}, "breachResidents: expected a JSON object"),
        (
            "breachResidents",
            {"string": "[820]"},
            'count, such as {"US-MA": 820, "DE": 12}: got an array',
        ),
        (
            "breachResidents",
            {"string": '{"US-MX": 820}'},
            "breachResidents (exposures[0].residents.US-MX): 'US-MX' is not",
        ),
        (
            "breachResidents",
            {"string": '{"US-MA": "many"}'},
            "breachResidents (exposures[0].residents.US-MA): expected a whole number",
        ),
        (
            "breachEncrypted",
            {"string": "nope"},
            "breachEncrypted (exposures[0].encrypted): expected true or false",
        ),
        ("breachDataElements", {"string": "name, shoe_size"}, "breachDataElements (exposures"),
    ],
)
def test_thehive_errors_name_the_custom_field(
    field: str, value: dict[str, Any], named: str, capsys: pytest.CaptureFixture[str]
) -> None:
    report = _respond(_job(**{field: value}), capsys)
    assert report["success"] is False
    assert named in report["errorMessage"], report["errorMessage"]


def test_thehive_counts_given_as_text_still_count(capsys: pytest.CaptureFixture[str]) -> None:
    report = _respond(_job(breachResidents={"string": '{"US-MA": "820", "US-RI": 95}'}), capsys)
    assert report["success"] is True


def test_thehive_whole_document_errors_name_its_field(capsys: pytest.CaptureFixture[str]) -> None:
    bad = json.loads((ROOT / "examples/incidents/multistate-ransomware.json").read_text("utf-8"))
    bad["discovered_at"] = "2026-03-02T09:00:00"  # no UTC offset
    job = _job()
    job["data"]["customFields"] = {"breachrulesIncident": {"string": json.dumps(bad)}}
    report = _respond(job, capsys)
    assert "breachrulesIncident (discovered_at):" in report["errorMessage"]
    job["data"]["customFields"] = {"breachrulesIncident": {"string": "[1, 2]"}}
    report = _respond(job, capsys)
    assert report["success"] is False
    assert "breachrulesIncident: expected a JSON object" in report["errorMessage"]


def test_xsoar_errors_name_the_custom_field() -> None:
    xsoar = _load("xsoar/BreachRulesAssess.py")
    rows = [{"residence": "US-FL", "count": "many"}]
    with pytest.raises(InvalidIncident) as caught:
        xsoar.assess_command(_xsoar(breachaffectedresidents=rows), {})
    (problem,) = caught.value.problems
    assert problem.path == "breachaffectedresidents (exposures[0].residents.US-FL)"
    with pytest.raises(InvalidIncident) as caught:
        xsoar.assess_command(_xsoar(breachdataelements=["name", "shoe_size"]), {})
    assert caught.value.problems[0].path.startswith("breachdataelements (exposures[0].elements")


# --- 10. XSOAR: a yes/no value it cannot read is read as unknown, and said ---------------


def test_xsoar_warns_of_a_yes_no_value_it_cannot_read() -> None:
    xsoar = _load("xsoar/BreachRulesAssess.py")
    incident = _xsoar(breachencrypted="Maybe")
    assert xsoar.incident_from_xsoar(incident)["exposures"][0]["encrypted"] is None
    assert (
        "breachencrypted: 'Maybe' is not yes, no or unknown, so exposures[0].encrypted is "
        "read as unknown; set the field to Yes or No if the fact is known"
    ) in _xsoar_warnings(incident)


@pytest.mark.parametrize(("word", "fact"), [("Yes", True), ("no", False), ("Unknown", None)])
def test_xsoar_reads_its_yes_no_words_unsaid(word: str, fact: bool | None) -> None:
    xsoar = _load("xsoar/BreachRulesAssess.py")
    incident = _xsoar(breachencrypted=word)
    assert xsoar.incident_from_xsoar(incident)["exposures"][0]["encrypted"] is fact
    assert not any("breachencrypted" in w for w in _xsoar_warnings(incident))


# --- 11. an unread, near-miss custom field is warned of ----------------------------------


def test_thehive_warns_of_a_misspelt_custom_field(capsys: pytest.CaptureFixture[str]) -> None:
    report = _respond(_job(breachEncryptd={"boolean": True}), capsys)
    assert report["success"] is True
    assert (
        "breachEncryptd: not a field breachrules reads, so its value is ignored; did you mean "
        "breachEncrypted?"
    ) in report["full"]["warnings"]


def test_thehive_is_silent_on_its_own_and_unrelated_fields(
    capsys: pytest.CaptureFixture[str],
) -> None:
    report = _respond(
        _job(
            breachrulesStatus={"string": "breach"},  # the responder's own, from a run before
            breachrulesNextDue={"date": 1780576200000},
            businessUnit={"string": "clinics"},  # another team's field
            breachTicket={"string": None},  # defined on the case, never filled
        ),
        capsys,
    )
    assert not any("not a field" in w for w in report["full"]["warnings"])


def test_thehive_warns_that_a_whole_document_overrides_the_simple_fields(
    capsys: pytest.CaptureFixture[str],
) -> None:
    document = (ROOT / "examples/incidents/multistate-ransomware.json").read_text("utf-8")
    report = _respond(_job(breachrulesIncident={"string": document}), capsys)
    assert report["success"] is True
    (said,) = [w for w in report["full"]["warnings"] if w.startswith("breachrulesIncident")]
    assert said.startswith("breachrulesIncident is set, so breachDiscoveredAt, ")
    assert said.endswith(" are ignored: the whole document decides")


def test_xsoar_warns_of_an_unread_breach_field() -> None:
    warnings = _xsoar_warnings(_xsoar(breachencryptd="Yes", severityreason="high"))
    assert any(w.startswith("breachencryptd: ") and "breachencrypted?" in w for w in warnings)
    assert not any("severityreason" in w for w in warnings)
    assert not any("not a field" in w for w in _xsoar_warnings(_xsoar(breachencryptd="")))


# --- 13. stdio: every refusal names a problem ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"), [("[1, 2]", "an array"), ('"x"', "a string"), ("null", "null")]
)
def test_stdio_refuses_a_request_that_is_no_object_naming_a_problem(text: str, kind: str) -> None:
    stdio = _load("stdio/breachrules_stdio.py")
    out = io.StringIO()
    assert stdio.main(io.StringIO(text), out) == 2
    response = json.loads(out.getvalue())
    assert response["ok"] is False
    assert response["problems"] == [
        {
            "path": "(document)",
            "reason": "expected a JSON object (an incident document, or an envelope holding "
            f"one), got {kind}",
        }
    ]


def test_stdio_lambda_refusals_name_a_problem() -> None:
    import jsonschema

    from breachrules.views.exports.stdio import response_schema

    stdio = _load("stdio/breachrules_stdio.py")
    schema = jsonschema.Draft202012Validator(response_schema())
    for event in (
        {"body": "{"},
        {"body": "not base64!", "isBase64Encoded": True},
        {"body": base64.b64encode(b"[1]").decode(), "isBase64Encoded": True},
    ):
        response = json.loads(stdio.handler(event, None)["body"])
        assert response["ok"] is False and response["problems"][0]["path"], event
        schema.validate(response)
    direct = stdio.handler([1, 2], None)
    assert direct["problems"][0]["path"] == "(document)"
    assert not schema.is_valid({"ok": False, "error": "x", "problems": []})


# --- 14. the README installs breachrules the way that works ------------------------------


def test_the_readme_installs_stdio_from_a_checkout_not_pypi() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme[readme.index("## Integrations") : readme.index("## Bundled rulesets")]
    stdio = section[section.index("**Shuffle, Tines, serverless**") :]
    assert "`pip install breachrules`;" not in stdio
    assert "pip install /path/to/breachrules" in stdio and "not on PyPI" in stdio
    xsoar = (INTEGRATIONS / "xsoar" / "BreachRulesAssess.py").read_text("utf-8")
    assert "with ``pip install breachrules``" not in xsoar


# --- 8 and 10 on Splunk SOAR's classic app, whose simple fields are parameters -----------


def _soar(**params: Any) -> dict[str, Any]:
    soar = _load("splunk_soar/breachrules_connector.py")
    job = _fixture("splunk_soar_action.json")
    job["parameters"] = [{**job["parameters"][0], **params}]
    (result,) = json.loads(soar.BreachRulesConnector()._handle_action(json.dumps(job), 0))
    return dict(result)


def test_splunk_soar_names_the_parameter_and_warns_of_an_unread_yes_no() -> None:
    bad = _soar(residents="DE: 5400")
    assert bad["status"] == "failed"
    assert "residents: expected a JSON object of residence code to count" in bad["message"]
    bad = _soar(residents='{"DE": "many"}')
    assert "residents (exposures[0].residents.DE): expected a whole number" in bad["message"]
    said = "encrypted: 'maybe' is not yes, no or unknown, so exposures[0].encrypted is read"
    assert any(w.startswith(said) for w in _soar(encrypted="maybe")["summary"]["warnings"])
    assert not any("encrypted" in w for w in _soar(encrypted="false")["summary"]["warnings"])


def test_fields_name_only_the_paths_they_gave() -> None:
    """A problem is renamed only under a path a field gave (``exposures[0].residents``
    and what is inside it, never a sibling that begins alike); any other stays as it is."""
    from breachrules import Problem
    from breachrules.views.exports.fields import Fields

    fields = Fields()
    fields.put("exposures[0].residents", "breachResidents", {})
    fields.put("exposures[0].encrypted", "breachEncrypted", None)
    given = ["exposures[0].residents.DE", "exposures[0].residents", "exposures[0].residentsX"]
    given += ["exposures[1].residents.DE", "(document)", "exposures[0].encrypted"]
    named = [p.path for p in fields.named([Problem(path, "why") for path in given])]
    assert named == [
        "breachResidents (exposures[0].residents.DE)",
        "breachResidents (exposures[0].residents)",
        "exposures[0].residentsX",
        "exposures[1].residents.DE",
        "(document)",
        "breachEncrypted (exposures[0].encrypted)",
    ]
