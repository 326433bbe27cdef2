"""The SOAR adapters in examples/integrations/, against fixtures shaped like each platform.

No platform SDK is installed: each adapter falls back to a small stand-in with the
platform's shapes (XSOAR ``CommandResults.to_context()``, Cortex responder JSON on
stdin/stdout, Splunk SOAR ``ActionResult``), and these tests check the documents the
platform would receive.
"""

from __future__ import annotations

import functools
import importlib.util
import io
import json
import sys
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from breachrules import Engine, load_incident

ROOT = Path(__file__).resolve().parents[1]
INTEGRATIONS = ROOT / "examples" / "integrations"
FIXTURES = Path(__file__).parent / "fixtures" / "integrations"


@functools.cache
def _load(relative: str) -> ModuleType:
    path = INTEGRATIONS / relative
    name = "integration_" + path.stem
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


# --- Cortex XSOAR -----------------------------------------------------------------------


def test_xsoar_automation_outputs_decisions() -> None:
    xsoar = _load("xsoar/BreachRulesAssess.py")
    incident = _fixture("xsoar_incident.json")
    entry = xsoar.assess_command(incident, {}).to_context()
    assert entry["Type"] == 1 and entry["ContentsFormat"] == "json"
    ((key, outputs),) = entry["EntryContext"].items()
    assert key.startswith("BreachRules.Decision(val.Jurisdiction")
    by_code = {d["Jurisdiction"]: d for d in outputs}
    assert by_code["US-CA"]["Status"] == "breach"
    assert by_code["US-TX"]["Status"] == "breach"
    assert all(d["Status"] != "not_applicable" for d in outputs)
    notices = {o["Id"]: o for o in by_code["US-CA"]["Obligations"]}
    assert notices["US-CA:notify-individuals"]["Status"] in ("required", "conditional")
    assert entry["Contents"]["incident_id"] == "XSOAR-4711"
    assert "|US-CA|breach|" in entry["HumanReadable"]
    # The custom fields reached the incident document intact.
    doc = xsoar.incident_from_xsoar(incident)
    assert doc["exposures"][0]["residents"] == {"US-CA": 1200, "US-TX": 300, "US-NY": 40}
    assert doc["exposures"][0]["encrypted"] is False


def test_xsoar_yaml_declares_every_output() -> None:
    xsoar = _load("xsoar/BreachRulesAssess.py")
    spec = yaml.safe_load((INTEGRATIONS / "xsoar" / "BreachRulesAssess.yml").read_text("utf-8"))
    declared = {o["contextPath"] for o in spec["outputs"]}
    entry = xsoar.assess_command(_fixture("xsoar_incident.json"), {}).to_context()
    (outputs,) = entry["EntryContext"].values()
    used = {f"BreachRules.Decision.{k}" for d in outputs for k in d}
    used |= {
        f"BreachRules.Decision.Obligations.{k}"
        for d in outputs
        for o in d["Obligations"]
        for k in o
    }
    used.discard("BreachRules.Decision.Obligations")
    assert used <= declared, used - declared
    assert spec["name"] == "BreachRulesAssess" and spec["subtype"] == "python3"


def test_xsoar_whole_document_field_and_jurisdiction_filter() -> None:
    xsoar = _load("xsoar/BreachRulesAssess.py")
    document = (ROOT / "examples" / "incidents" / "hipaa-large-breach-ba.json").read_text("utf-8")
    incident = {"id": "12", "CustomFields": {"breachrulesincident": document}}
    entry = xsoar.assess_command(incident, {"jurisdictions": "US-HIPAA"}).to_context()
    (outputs,) = entry["EntryContext"].values()
    assert [d["Jurisdiction"] for d in outputs] == ["US-HIPAA"]


# --- TheHive / Cortex -------------------------------------------------------------------


def test_thehive_responder_operations(capsys: pytest.CaptureFixture[str], engine: Engine) -> None:
    thehive = _load("thehive/breachrules_responder.py")
    job = _fixture("thehive_responder_input.json")
    thehive.BreachRulesResponder(job).run()
    report = json.loads(capsys.readouterr().out)
    assert report["success"] is True
    operations = report["operations"]
    kinds = [op["type"] for op in operations]
    assert kinds[0] == "AddCustomFields"
    assert "AddTagToCase" in kinds
    expected = load_incident(thehive.incident_from_case(job["data"]))
    assessment = engine.assess(expected)
    owed = [o for o in assessment.obligations if o.status != "not_required"]
    tasks = [op for op in operations if op["type"] == "CreateTask"]
    assert [t["title"] for t in tasks] == [o.id for o in owed]
    assert owed, "the fixture should produce obligations"
    for task, obligation in zip(tasks, owed, strict=True):
        if obligation.due is None:
            assert "dueDate" not in task
        else:
            assert task["dueDate"] == int(obligation.due.timestamp() * 1000)
        assert obligation.basis in task["description"]
    status = next(op for op in operations if op.get("name") == "breachrulesStatus")["value"]
    assert {"tag": f"breachrules:{status}", "type": "AddTagToCase"} in operations
    # The case's epoch-millisecond date became the discovery time.
    assert expected.discovered_at == datetime.fromisoformat("2026-06-04T12:30:00+00:00")


def test_thehive_responder_reports_invalid_case(capsys: pytest.CaptureFixture[str]) -> None:
    thehive = _load("thehive/breachrules_responder.py")
    job = _fixture("thehive_responder_input.json")
    job["data"]["customFields"]["breachDataElements"] = {"string": "name, shoe_size"}
    thehive.BreachRulesResponder(job).run()
    report = json.loads(capsys.readouterr().out)
    assert report["success"] is False
    assert "shoe_size" in report["errorMessage"]


# --- Splunk SOAR ------------------------------------------------------------------------


def test_splunk_soar_action() -> None:
    soar = _load("splunk_soar/breachrules_connector.py")
    job = (FIXTURES / "splunk_soar_action.json").read_text("utf-8")
    results = json.loads(soar.BreachRulesConnector()._handle_action(job, 0))
    ok, bad = results
    assert ok["status"] == "success"
    by_code = {d["jurisdiction"]: d for d in ok["data"]}
    assert by_code["EU-GDPR"]["status"] == "breach"
    assert ok["summary"]["breaches"] == sum(d["status"] == "breach" for d in ok["data"])
    assert ok["summary"]["next_due"] is not None
    assert bad["status"] == "failed"
    assert "discovered_at" in bad["message"]  # a naive timestamp is rejected, not guessed
    app = json.loads((INTEGRATIONS / "splunk_soar" / "breachrules.json").read_text("utf-8"))
    (action,) = app["actions"]
    assert action["identifier"] == "assess_incident"
    paths = {o["data_path"] for o in action["output"]}
    for key in ok["data"][0]:
        assert any(p.startswith(f"action_result.data.*.{key}") for p in paths), key
    for key in ok["summary"]:
        assert f"action_result.summary.{key}" in paths


# --- stdin/stdout (Shuffle, Tines, serverless) ------------------------------------------


def test_stdio_envelope() -> None:
    stdio = _load("stdio/breachrules_stdio.py")
    out = io.StringIO()
    status = stdio.main(io.StringIO((FIXTURES / "stdio_request.json").read_text("utf-8")), out)
    response = json.loads(out.getvalue())
    assert status == 0 and response["ok"] is True
    assert "EU-GDPR" in response["summary"]["breach"]
    assert response["assessment"]["as_of"] == "2026-04-11T08:00:00+00:00"
    assert response["summary"]["next_due"] == "2026-04-13T08:00:00+00:00"  # 72 hours


def test_stdio_bare_document_and_errors() -> None:
    stdio = _load("stdio/breachrules_stdio.py")
    document = _fixture("stdio_request.json")["incident"]
    status, response = stdio.run(document)
    assert status == 0 and "assessment" not in response
    document["exposures"][0]["residents"] = {"GB": -1}
    status, response = stdio.run(document)
    assert status == 2 and response["ok"] is False
    assert response["problems"][0]["path"] == "exposures[0].residents.GB"
    out = io.StringIO()
    assert stdio.main(io.StringIO("{not json"), out) == 2
    assert json.loads(out.getvalue())["ok"] is False


def test_stdio_serverless_handler() -> None:
    stdio = _load("stdio/breachrules_stdio.py")
    body = (FIXTURES / "stdio_request.json").read_text("utf-8")
    response = stdio.handler({"httpMethod": "POST", "body": body}, None)
    assert response["statusCode"] == 200
    assert json.loads(response["body"])["ok"] is True
    assert stdio.handler({"body": "{"}, None)["statusCode"] == 400
