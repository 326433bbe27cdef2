"""The formats hosts speak (issue 23, part 5): OCSF, CACAO 2.0, OSCAL and calendar reminders,
each checked against the standard's published schema where one could be vendored."""

from __future__ import annotations

import json
import re
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from breachrules import Assessment, Engine, Incident, load_incident
from breachrules.cli import main
from breachrules.views.exports import cacao, ocsf, oscal

from .conftest import EXAMPLES, ROOT

SCHEMAS = ROOT / "tests" / "fixtures" / "schemas"
EXAMPLE_FILES = ("multinational-saas-breach", "multistate-ransomware")


def _unicode_classes(node: Any) -> Any:
    """OSCAL's token pattern uses ``\\p{L}``/``\\p{N}``, which Python's ``re`` lacks: read
    them as ``[^\\W\\d_]`` (any Unicode letter) and ``\\d`` (any Unicode digit)."""
    if isinstance(node, dict):
        return {
            k: v.replace(r"\p{L}", r"[^\W\d_]").replace(r"\p{N}", r"\d")
            if k == "pattern" and isinstance(v, str)
            else _unicode_classes(v)
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_unicode_classes(v) for v in node]
    return node


@pytest.fixture(scope="module")
def oscal_validator() -> jsonschema.Draft7Validator:
    schema = json.loads((SCHEMAS / "oscal" / "oscal_complete_schema.json").read_text("utf-8"))
    assert schema["$id"].endswith("/1.2.3/oscal-complete-schema.json")
    return jsonschema.Draft7Validator(
        _unicode_classes(schema), format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )


@pytest.fixture(scope="module", params=EXAMPLE_FILES)
def assessed(request: pytest.FixtureRequest, engine: Engine) -> tuple[Incident, Assessment]:
    incident = load_incident(EXAMPLES / f"{request.param}.json")
    return incident, engine.assess(incident)


# --- OSCAL -------------------------------------------------------------------------------


def _errors(validator: jsonschema.Draft7Validator, doc: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(doc)]


def test_oscal_assessment_results_validate(
    assessed: tuple[Incident, Assessment], oscal_validator: jsonschema.Draft7Validator
) -> None:
    incident, assessment = assessed
    doc = oscal.assessment_results(assessment, incident)
    assert _errors(oscal_validator, doc) == []
    result = doc["assessment-results"]["results"][0]
    assert len(result["findings"]) == len(assessment.obligations)
    assert len(result["observations"]) >= len(incident.exposures)
    first = assessment.obligations[0]
    finding = next(f for f in result["findings"] if f["title"] == first.id)
    assert finding["target"]["target-id"] == oscal.control_id(first.id)
    # the validator is real: a finding without its target is refused
    del finding["target"]
    assert _errors(oscal_validator, doc)


def test_oscal_catalog_validates_and_holds_every_obligation(
    engine: Engine, oscal_validator: jsonschema.Draft7Validator
) -> None:
    doc = oscal.catalog(engine.rulesets)
    assert _errors(oscal_validator, doc) == []
    groups = {g["props"][0]["value"]: g for g in doc["catalog"]["groups"]}
    assert set(groups) == {r.code for r in engine.rulesets}
    ids = {c["id"] for g in groups.values() for c in g.get("controls", ())}
    assert oscal.control_id("US-CA:notify-individuals") in ids
    assert len(ids) == sum(len(r.current.obligations) for r in engine.rulesets)


def test_oscal_findings_are_satisfied_by_notices_sent_on_time(
    assessed: tuple[Incident, Assessment],
) -> None:
    from breachrules import NoticeRecord

    incident, assessment = assessed
    owed = next(o for o in assessment.obligations if o.status == "required" and o.due)
    record = NoticeRecord(owed.id, owed.due - timedelta(hours=1), incident_id=incident.id)

    def state(records: list[NoticeRecord]) -> str:
        doc = oscal.assessment_results(assessment, incident, records)
        findings = doc["assessment-results"]["results"][0]["findings"]
        return next(f for f in findings if f["title"] == owed.id)["target"]["status"]["state"]

    assert state([]) == "not-satisfied"
    assert state([record]) == "satisfied"


# --- OCSF --------------------------------------------------------------------------------


def test_ocsf_incident_finding_matches_the_schema_class(
    assessed: tuple[Incident, Assessment],
) -> None:
    klass = json.loads((SCHEMAS / "ocsf" / "incident_finding.json").read_text("utf-8"))
    categories = json.loads((SCHEMAS / "ocsf" / "categories.json").read_text("utf-8"))
    category_uid = categories["attributes"][klass["category"]]["uid"]
    incident, assessment = assessed
    event = ocsf.incident_finding(assessment, incident)
    assert event["category_uid"] == category_uid
    assert event["class_uid"] == category_uid * 1000 + klass["uid"]
    assert event["type_uid"] == event["class_uid"] * 100 + event["activity_id"]
    attributes = klass["attributes"]
    for name, spec in attributes.items():
        if spec.get("requirement") == "required":
            assert name in event, name
        if "enum" in spec and name in event:
            assert str(event[name]) in spec["enum"], name
    assert any(name in event for name in klass["constraints"]["at_least_one"])
    # base_event's required attributes (OCSF dictionary): every event carries them
    for name in ("category_uid", "class_uid", "type_uid", "severity_id", "time", "metadata"):
        assert name in event
    assert {"product", "version"} <= set(event["metadata"])
    owed = [o for o in assessment.obligations if o.status != "not_required"]
    uids = [f["uid"] for f in event["finding_info_list"]]
    assert uids == [f"{assessment.incident_id}/{o.id}" for o in owed]
    assert event["is_suspected_breach"] is True


# --- CACAO -------------------------------------------------------------------------------

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def test_cacao_playbook_is_a_straight_line_of_manual_steps(
    assessed: tuple[Incident, Assessment],
) -> None:
    """The rules the CACAO 2.0 JSON schemas state (see tests/fixtures/schemas/README.md)."""
    _, assessment = assessed
    plan = assessment.plan()
    book = cacao.playbook(plan)
    required = {"type", "spec_version", "id", "name", "created_by", "created", "modified"}
    assert required | {"workflow_start", "workflow"} <= set(book)
    assert (book["type"], book["spec_version"]) == ("playbook", "cacao-2.0")
    assert re.fullmatch(f"playbook--{UUID}", book["id"])
    assert re.fullmatch(f"identity--{UUID}", book["created_by"])
    assert STAMP.match(book["created"]) and STAMP.match(book["modified"])
    assert "notification" in book["playbook_types"]
    steps = book["workflow"]
    for key, step in steps.items():
        kind = key.split("--", 1)[0]
        assert re.fullmatch(f"{kind}--{UUID}", key)
        assert step["type"] == kind
        if kind == "end":
            assert not {"on_completion", "on_success", "on_failure"} & set(step)
            continue
        assert "on_success" not in step and "on_failure" not in step
        if kind == "action":
            assert step["agent"] in book["agent_definitions"]
            assert step["commands"] and all(c["type"] == "manual" for c in step["commands"])
            for ref in step["external_references"]:
                assert ref["name"] and set(ref) & {"description", "source", "url"}
    # walk the line: start, one action per plan action in due order, end
    order, at = [], book["workflow_start"]
    while steps[at]["type"] != "end":
        order.append(at)
        at = steps[at]["on_completion"]
    assert len(order) == len(plan.actions) + 1 == len(steps) - 1
    actions = [steps[k] for k in order[1:]]
    for step, action in zip(actions, plan.actions, strict=True):
        deadline = step["external_references"][0]["description"]
        if action.due is not None:
            utc = action.due.astimezone(UTC)
            assert utc.strftime("%Y-%m-%dT%H:%M:%S") in deadline
        else:
            assert deadline.startswith("no fixed period")
    for agent in book["agent_definitions"].values():
        assert agent["type"] == "organization" and agent["name"]


def test_exports_are_deterministic(assessed: tuple[Incident, Assessment]) -> None:
    incident, assessment = assessed
    for make in (
        lambda: ocsf.incident_finding(assessment, incident),
        lambda: cacao.playbook(assessment.plan()),
        lambda: oscal.assessment_results(assessment, incident),
    ):
        assert json.dumps(make(), sort_keys=True) == json.dumps(make(), sort_keys=True)


# --- iCalendar reminders -----------------------------------------------------------------


def test_plan_calendar_reminds_24_hours_and_1_hour_before_due(
    assessed: tuple[Incident, Assessment],
) -> None:
    from icalendar import Calendar

    _, assessment = assessed
    plan = assessment.plan()
    calendar = Calendar.from_ical(plan.to_ics())
    todos = calendar.walk("VTODO")
    assert len(todos) == len(plan.actions)
    for todo in todos:
        alarms = todo.walk("VALARM")
        if todo.get("DUE") is None:  # no due time: nothing to remind of (see test_ut7b)
            assert alarms == []
            continue
        triggers = sorted(a.get("trigger").dt for a in alarms)
        assert triggers == [-timedelta(hours=24), -timedelta(hours=1)]
        for alarm in alarms:
            assert alarm.get("trigger").params["RELATED"] == "END"  # relative to DUE
            assert str(alarm.get("action")) == "DISPLAY" and alarm.get("description")


# --- the command line --------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["ocsf", "cacao", "oscal"])
def test_export_cli(fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = EXAMPLES / "multistate-ransomware.json"
    assert main(["export", str(path), "--format", fmt, "--as-of", "discovery"]) == 0
    doc = json.loads(capsys.readouterr().out)
    key = {"ocsf": "class_uid", "cacao": "spec_version", "oscal": "assessment-results"}[fmt]
    assert key in doc
    out = tmp_path / f"x.{fmt}.json"
    assert main(["export", str(path), "--format", fmt, "--out", str(out)]) == 0
    assert json.loads(out.read_text("utf-8"))


def test_export_cli_catalog_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--format", "oscal-catalog"]) == 0
    assert "catalog" in json.loads(capsys.readouterr().out)
    assert main(["export", "--format", "ocsf"]) == 2
    assert "INCIDENT" in capsys.readouterr().err
    assert main(["export", str(tmp_path / "missing.json"), "--format", "cacao"]) == 2
    path = EXAMPLES / "multistate-ransomware.json"
    assert main(["export", "--jurisdiction", "US-TX", str(path), "--format", "ocsf"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc["unmapped"]["determinations"]) == {"US-TX"}
