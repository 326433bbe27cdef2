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

from breachrules import Engine, InvalidIncident, load_incident

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


def _thehive_standin() -> ModuleType:
    """The responder on its stand-in base class (in-process, the job passed as a dict),
    even where the real cortexutils is installed (tested in a subprocess below)."""
    saved = {m: sys.modules.get(m) for m in ("cortexutils", "cortexutils.responder")}
    sys.modules.update(dict.fromkeys(saved))  # None: the import fails
    try:
        return _load("thehive/breachrules_responder.py")
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


def _fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


# --- Cortex XSOAR -----------------------------------------------------------------------


def test_xsoar_automation_outputs_decisions() -> None:
    xsoar = _load("xsoar/BreachRulesAssess.py")
    incident = _fixture("xsoar_incident.json")
    entry, whole = (r.to_context() for r in xsoar.assess_command(incident, {}))
    assert entry["Type"] == 1 and entry["ContentsFormat"] == "json"
    (summary,) = whole["EntryContext"].values()
    assert summary["IncidentId"] == "XSOAR-4711" and "US-CA" in summary["Breach"]
    ((key, outputs),) = entry["EntryContext"].items()
    assert key.startswith("BreachRules.Decision(val.IncidentId")
    assert "val.Jurisdiction == obj.Jurisdiction" in key
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


@pytest.mark.parametrize("unset", ["0001-01-01T00:00:00Z", "0001-01-01T00:00:00"])
def test_xsoar_unset_date_is_unset(unset: str) -> None:
    """XSOAR's unset-date marker is never read as year 1: the discovery date falls back to
    ``occurred``, and with neither set the incident is invalid, not "no breach"."""
    xsoar = _load("xsoar/BreachRulesAssess.py")
    incident = _fixture("xsoar_incident.json")
    real = incident["CustomFields"]["breachdiscoveredat"]
    incident["CustomFields"]["breachdiscoveredat"] = unset
    incident["occurred"] = real
    entry = xsoar.assess_command(incident, {})[0].to_context()
    (outputs,) = entry["EntryContext"].values()
    assert {d["Jurisdiction"]: d["Status"] for d in outputs}["US-CA"] == "breach"
    incident["occurred"] = unset
    with pytest.raises(InvalidIncident, match="discovered_at"):
        xsoar.assess_command(incident, {})


def test_xsoar_yaml_declares_every_output() -> None:
    xsoar = _load("xsoar/BreachRulesAssess.py")
    spec = yaml.safe_load((INTEGRATIONS / "xsoar" / "BreachRulesAssess.yml").read_text("utf-8"))
    declared = {o["contextPath"] for o in spec["outputs"]}
    entry = xsoar.assess_command(_fixture("xsoar_incident.json"), {})[0].to_context()
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
    entry = xsoar.assess_command(incident, {"jurisdictions": "US-HIPAA"})[0].to_context()
    (outputs,) = entry["EntryContext"].values()
    assert [d["Jurisdiction"] for d in outputs] == ["US-HIPAA"]


# --- TheHive / Cortex -------------------------------------------------------------------


def test_thehive_responder_operations(capsys: pytest.CaptureFixture[str], engine: Engine) -> None:
    thehive = _thehive_standin()
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
        # TheHive's CreateTask keeps only title and description: the due date is the
        # description's first line.
        assert set(task) == {"type", "title", "description"}
        first = task["description"].splitlines()[0]
        if obligation.due is None:
            assert first.startswith("Due: no fixed date")
        else:
            assert first == (
                f"Due: {obligation.due.isoformat()} "
                f"({int(obligation.due.timestamp() * 1000)} epoch ms)"
            )
        assert obligation.basis in task["description"]
    status = next(op for op in operations if op.get("name") == "breachrulesStatus")["value"]
    assert {"tag": f"breachrules:{status}", "type": "AddTagToCase"} in operations
    # The case's epoch-millisecond date became the discovery time.
    assert expected.discovered_at == datetime.fromisoformat("2026-06-04T12:30:00+00:00")


def test_thehive_responder_reports_invalid_case(capsys: pytest.CaptureFixture[str]) -> None:
    thehive = _thehive_standin()
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
    test, action = app["actions"]
    assert test["identifier"] == "test_connectivity" and test["type"] == "test"
    assert action["identifier"] == "assess_incident"
    # a Python the platform runs, with the app's wheels declared for it
    assert app["python_version"] == "3.13"
    modules = {w["module"] for w in app["pip313_dependencies"]["wheel"]}
    assert {"breachrules", "rich", "attrs"} <= modules
    assert (INTEGRATIONS / "splunk_soar" / app["logo"]).is_file()
    paths0 = {o["data_path"] for o in action["output"]}
    assert {"action_result.status", "action_result.message", "summary.total_objects"} <= paths0
    assert {f"action_result.parameter.{p}" for p in action["parameters"]} <= paths0
    connectivity = json.loads(
        soar.BreachRulesConnector()._handle_action(
            json.dumps({"identifier": "test_connectivity", "parameters": [{}]}), 0
        )
    )
    assert connectivity[0]["status"] == "success"
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


def test_stdio_lambda_base64_body_and_direct_invoke() -> None:
    """API Gateway sends binary-safe bodies base64-encoded; a direct invoke gets the
    plain document, not an HTTP envelope."""
    import base64

    stdio = _load("stdio/breachrules_stdio.py")
    body = (FIXTURES / "stdio_request.json").read_text("utf-8")
    encoded = base64.b64encode(body.encode()).decode()
    response = stdio.handler({"body": encoded, "isBase64Encoded": True}, None)
    assert response["statusCode"] == 200
    assert "EU-GDPR" in json.loads(response["body"])["summary"]["breach"]
    bad = stdio.handler({"body": "not base64!", "isBase64Encoded": True}, None)
    assert bad["statusCode"] == 400 and "body" in json.loads(bad["body"])["error"]
    direct = stdio.handler(json.loads(body), None)
    assert "statusCode" not in direct and direct["ok"] is True
    assert "EU-GDPR" in direct["summary"]["breach"]
    invalid = stdio.handler({"incident": {"id": 5}}, None)
    assert invalid["ok"] is False and invalid["problems"]


def test_xsoar_demisto_sdk_validate(tmp_path: Path) -> None:
    """``demisto-sdk validate`` passes on the automation, in a pack of a content repository
    (where demisto-sdk installs: it is not in the test extras, being very large)."""
    import os
    import shutil
    import subprocess

    sdk = os.environ.get("DEMISTO_SDK") or shutil.which("demisto-sdk")
    if sdk is None:
        pytest.skip("demisto-sdk is not installed (set DEMISTO_SDK to its path)")
    script = tmp_path / "Packs" / "BreachRules" / "Scripts" / "BreachRulesAssess"
    script.mkdir(parents=True)
    for name in ("BreachRulesAssess.py", "BreachRulesAssess.yml"):
        shutil.copy(INTEGRATIONS / "xsoar" / name, script / name)
    (script.parents[1] / "pack_metadata.json").write_text(
        json.dumps(
            {
                "name": "BreachRules",
                "description": "breachrules",
                "support": "community",
                "currentVersion": "1.0.0",
                "author": "breachrules",
                "categories": ["Utilities"],
            }
        )
    )
    git = ["git", "-c", "user.email=ci@example.invalid", "-c", "user.name=ci"]
    subprocess.run([*git, "init", "-q", "-b", "master", str(tmp_path)], check=True)
    subprocess.run([*git, "-C", str(tmp_path), "add", "-A"], check=True)
    subprocess.run([*git, "-C", str(tmp_path), "commit", "-qm", "pack"], check=True)
    result = subprocess.run(
        [sdk, "validate", "-i", str(script.relative_to(tmp_path))],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert "All validations passed" in result.stdout + result.stderr, result.stdout[-2000:]


def test_thehive_responder_as_installed() -> None:
    """Copied as the README installs it (responders/BreachRules/), the definition's
    command resolves to an executable script, with requirements and TLP/PAP checks."""
    import os

    folder = INTEGRATIONS / "thehive"
    definition = json.loads((folder / "BreachRules_Assess.json").read_text("utf-8"))
    responders = Path("/opt/cortex/responders")
    installed = responders / "BreachRules"
    command = responders / definition["command"]
    assert command.parent == installed
    script = folder / command.name
    assert script.is_file() and os.access(script, os.X_OK)
    assert script.read_text("utf-8").startswith("#!/usr/bin/env python3")
    requirements = (folder / "requirements.txt").read_text("utf-8").split()
    assert {"breachrules", "cortexutils"} <= set(requirements)
    for key in ("check_tlp", "max_tlp", "check_pap", "max_pap"):
        assert key in definition["config"]


def test_thehive_with_real_cortexutils(tmp_path: Path) -> None:
    """Against the real cortexutils.Responder (where it installs): its report() swallows
    exceptions raised by operations(), so the report must be checked to say success."""
    import os
    import subprocess

    python = os.environ.get("CORTEXUTILS_PYTHON") or sys.executable
    probe = subprocess.run([python, "-c", "import cortexutils.responder"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("cortexutils is not installed (set CORTEXUTILS_PYTHON to a python with it)")
    job = _fixture("thehive_responder_input.json")
    job.setdefault("config", {}).update({"check_tlp": True, "max_tlp": 2})
    job["tlp"] = 2
    job["pap"] = 2
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    result = subprocess.run(
        [python, str(INTEGRATIONS / "thehive" / "breachrules_responder.py")],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    report = json.loads(result.stdout)
    assert report["success"] is True, report.get("errorMessage")
    kinds = [op["type"] for op in report["operations"]]
    assert "CreateTask" in kinds and kinds[0] == "AddCustomFields"
    task = next(op for op in report["operations"] if op["type"] == "CreateTask")
    assert task["description"].startswith("Due: ")


def test_splunk_soar_manifest_with_the_sdk() -> None:
    """The app manifest validates against splunk-soar-sdk's own model (where the SDK
    installs: it needs Python 3.13, the platform's)."""
    meta = pytest.importorskip("soar_sdk.meta.app")
    app = json.loads((INTEGRATIONS / "splunk_soar" / "breachrules.json").read_text("utf-8"))
    model = meta.AppMeta(**{k: v for k, v in app.items() if k != "actions"}, project_name="x")
    assert model.python_version == "3.13"
    assert model.pip313_dependencies.wheel[0].module == "breachrules"


def _soar_sdk_python() -> str:
    """A Python with splunk-soar-sdk (it needs 3.13): ``SOAR_SDK_PYTHON``, else this one."""
    import os
    import subprocess

    python = os.environ.get("SOAR_SDK_PYTHON") or sys.executable
    probe = subprocess.run([python, "-c", "import soar_sdk.app"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("splunk-soar-sdk is not installed (set SOAR_SDK_PYTHON to a python with it)")
    return python


def test_splunk_soar_sdk_app_runs_its_actions(tmp_path: Path) -> None:
    """The SDK app (splunk_soar_sdk/) runs both actions through the SDK's own local runner,
    as SOAR would: test connectivity, a whole incident, and an invalid one (the action
    fails, naming the field)."""
    import os
    import shutil
    import subprocess

    python = _soar_sdk_python()
    app = tmp_path / "app"
    shutil.copytree(INTEGRATIONS / "splunk_soar_sdk", app)
    asset = tmp_path / "asset.json"
    asset.write_text("{}", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(app)])}

    def action(name: str, params: dict[str, Any] | None = None) -> str:
        argv = [python, "-m", "src.app", "action", name, "-a", str(asset)]
        if params is not None:
            path = tmp_path / f"{name}.json"
            path.write_text(json.dumps(params), encoding="utf-8")
            argv += ["-p", str(path)]
        done = subprocess.run(
            argv, cwd=app, env=env, capture_output=True, text=True, timeout=300, check=False
        )
        return done.stdout + done.stderr

    assert "Action success: True" in action("test-connectivity")
    document = (ROOT / "examples" / "incidents" / "multistate-ransomware.json").read_text()
    out = action("assess-incident", {"incident_json": document, "jurisdictions": "US-CA,US-TX"})
    assert "Action success: True" in out, out[-2000:]
    assert "'breaches': 2" in out and '"jurisdiction": "US-CA"' in out
    bad = json.loads(document)
    bad["discovered_at"] = "2026-03-02T09:00:00"  # naive: rejected, never guessed
    out = action("assess-incident", {"incident_json": json.dumps(bad)})
    assert "Action success: False" in out and "discovered_at" in out, out[-2000:]
    # What the SDK writes into the manifest (the wheels need uv.lock and the index; see
    # the integrations README): python_version and each action's output data paths.
    probe = (
        "import json; from src.app import app; print(json.dumps({"
        "'python_version': app.app_meta_info['python_version'], 'actions': {"
        "a.action: [o['data_path'] for o in a.model_dump()['output']]"
        " for a in app.actions_manager.get_actions_meta_list()}}))"
    )
    done = subprocess.run(
        [python, "-c", probe], cwd=app, env=env, capture_output=True, text=True, check=True
    )
    meta = json.loads(done.stdout.strip().splitlines()[-1])
    assert meta["python_version"] == "3.13"
    standard = {"action_result.status", "action_result.message", "summary.total_objects"}
    assert standard <= set(meta["actions"]["test connectivity"])
    paths = set(meta["actions"]["assess incident"])
    assert standard | {"action_result.parameter.incident_json"} <= paths
    assert {"action_result.data.*.jurisdiction", "action_result.summary.next_due"} <= paths
    assert (app / "logo.svg").is_file() and (app / "logo_dark.svg").is_file()


# --- who sends what, contract duties, the audit, and the samples the README runs ----------

CHAIN = ROOT / "examples" / "incidents" / "processor-chain-with-contracts.json"


def _chain_job() -> dict[str, Any]:
    job = _fixture("thehive_responder_input.json")
    job["data"]["customFields"] = {"breachrulesIncident": {"string": CHAIN.read_text("utf-8")}}
    return job


def test_thehive_tasks_say_who_notifies_whom(capsys: pytest.CaptureFixture[str]) -> None:
    """A task reads '<sender> notifies <recipient>': the sending party, then the recipient
    party where the recipient is a party of the incident; never the raw vocabulary word
    with the sender in brackets. A contract duty says it is not law."""
    thehive = _thehive_standin()
    thehive.BreachRulesResponder(_chain_job()).run()
    tasks = {
        op["title"]: op["description"].splitlines()[1]
        for op in json.loads(capsys.readouterr().out)["operations"]
        if op["type"] == "CreateTask"
    }
    assert tasks["contract:dpa-crm:notify-owner"] == (
        "**required** (a duty under a contract, not law): crm notifies shop (the data owner)."
    )
    assert tasks["EU-GDPR:notify-controller"].endswith(": mailer notifies crm (the controller).")
    assert tasks["US-CA:notify-individuals"].endswith(": shop notifies the affected individuals.")
    assert not any("data_owner" in line or "notify " in line for line in tasks.values())


def test_stdio_summary_holds_the_contract_duties_and_who_sends_each() -> None:
    stdio = _load("stdio/breachrules_stdio.py")
    status, response = stdio.run({"incident": json.loads(CHAIN.read_text("utf-8"))})
    assert status == 0
    assert set(response) == {
        "ok",
        "incident_id",
        "summary",
        "decisions",
        "contract_duties",
        "warnings",
    }
    contract = {o["id"]: o for o in response["contract_duties"]}
    assert contract["contract:sub-dpa:notify-owner"]["party"] == "mailer"
    assert contract["contract:sub-dpa:notify-owner"]["recipient_party"] == "crm"
    # The earliest due date is a contract duty's, and it is listed.
    assert response["summary"]["next_due"] == contract["contract:sub-dpa:notify-owner"]["due"]
    assert all(d["jurisdiction"] != "contract" for d in response["decisions"])
    assert all("party" in o for d in response["decisions"] for o in d["obligations"])


def test_the_adapters_keep_the_audit_where_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from breachrules import AuditLog

    stdio = _load("stdio/breachrules_stdio.py")
    log = tmp_path / "stdio.jsonl"
    monkeypatch.setenv("BREACHRULES_AUDIT_LOG", str(log))
    status, response = stdio.run(_fixture("stdio_request.json"))
    assert status == 0 and response["audit"]["event"] == 1
    assert AuditLog(log).verify().ok and AuditLog(log).latest_assessments()
    thehive = _thehive_standin()
    job = _fixture("thehive_responder_input.json")
    job["config"]["audit_log"] = str(tmp_path / "cortex.jsonl")
    thehive.BreachRulesResponder(job).run()
    assert json.loads(capsys.readouterr().out)["success"] is True
    assert len(AuditLog(tmp_path / "cortex.jsonl").events()) == 1


def test_the_samples_the_readme_runs_locally(capsys: pytest.CaptureFixture[str]) -> None:
    """Each adapter can be tried without its product, on the sample in its folder."""
    readme = (INTEGRATIONS / "README.md").read_text("utf-8")
    for sample in (
        "thehive/sample_job.json",
        "stdio/sample_request.json",
        "xsoar/sample_incident.json",
        "splunk_soar/sample_action.json",
    ):
        assert sample in readme, sample
    thehive = _thehive_standin()
    job = json.loads((INTEGRATIONS / "thehive" / "sample_job.json").read_text("utf-8"))
    thehive.BreachRulesResponder(job).run()
    assert json.loads(capsys.readouterr().out)["success"] is True
    stdio = _load("stdio/breachrules_stdio.py")
    sample = (INTEGRATIONS / "stdio" / "sample_request.json").read_text("utf-8")
    assert stdio.main(io.StringIO(sample), io.StringIO()) == 0
    # breachrules is not on PyPI yet: the README installs it from a checkout or a wheel.
    assert "pip install /path/to/breachrules" in readme and "once published" in readme
    assert "\nlegal advice.\n" not in readme
