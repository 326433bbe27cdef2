"""What the SOAR adapters in examples/integrations/ say of each duty.

Every adapter lists every owed duty once: a law's under its decision (its relays up a
chain of providers, ``<id>@<party>``, included), a contract's apart and marked as
contractual, not law; each with its ``kind`` (a record or an assessment is never worded
as a notice), its sending ``party`` and ``recipient_party``, and the assessment's
``sent_at``, ``not_before`` (with its waiting period), ``deadline.time_zone`` and
``warnings``. The fixtures and loaders are those of tests/test_integrations.py.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from breachrules import Engine, load_incident
from tests.test_integrations import (
    INTEGRATIONS,
    ROOT,
    _load,
    _soar_sdk_python,
    _thehive_standin,
)

INCIDENTS = ROOT / "examples" / "incidents"
CHAIN = INCIDENTS / "processor-chain-with-contracts.json"
#: Sent notices (the two earliest due, and New Jersey's report to the State Police, which
#: starts the wait before its letters may go) and a key no ruleset has (a warning).
SENT = {
    "US-PR:notify-regulator": "2026-03-04T10:00:00-05:00",
    "US-LA:notify-attorney-general": "2026-03-04T11:00:00-05:00",
    "US-NJ:notify-regulator": "2026-03-05T10:00:00-05:00",
    "US-ZZ:notify-nobody": "2026-03-05T10:00:00-05:00",
}

#: XSOAR's context keys for the fields compared.
PASCAL = {
    "Id": "id",
    "Kind": "kind",
    "Duty": "duty",
    "Contractual": "contractual",
    "Party": "party",
    "RecipientParty": "recipient_party",
    "Due": "due",
    "TimeZone": "time_zone",
    "NotBefore": "not_before",
    "WaitingPeriod": "waiting_period",
    "SentAt": "sent_at",
}

Outcome = tuple[list[dict[str, Any]], list[str], str | None]


def _documents() -> list[dict[str, Any]]:
    chain = json.loads(CHAIN.read_text("utf-8"))
    ransom = json.loads((INCIDENTS / "multistate-ransomware.json").read_text("utf-8"))
    sent = dict(ransom, notices_sent=SENT)
    records = json.loads((INCIDENTS / "multinational-saas-breach.json").read_text("utf-8"))
    return [chain, ransom, sent, records]


def _stdio(doc: dict[str, Any]) -> Outcome:
    status, response = _load("stdio/breachrules_stdio.py").run({"incident": doc})
    assert status == 0, response
    owed = [o for d in response["decisions"] for o in d["obligations"]]
    owed += response["contract_duties"]
    return owed, response["warnings"], response["summary"]["next_due"]


def _xsoar(doc: dict[str, Any]) -> Outcome:
    xsoar = _load("xsoar/BreachRulesAssess.py")
    incident = {"id": "7", "CustomFields": {"breachrulesincident": json.dumps(doc)}}
    decisions, summary = [r.outputs for r in xsoar.assess_command(incident, {})]
    owed = [o for d in decisions for o in d["Obligations"]] + summary["ContractDuties"]
    owed = [{PASCAL.get(k, k): v for k, v in o.items()} for o in owed]
    return owed, summary["Warnings"], summary["NextDue"]


def _soar(doc: dict[str, Any]) -> Outcome:
    soar = _load("splunk_soar/breachrules_connector.py")
    job = {"identifier": "assess_incident", "parameters": [{"incident_json": json.dumps(doc)}]}
    (result,) = json.loads(soar.BreachRulesConnector()._handle_action(json.dumps(job), 0))
    assert result["status"] == "success", result["message"]
    owed = [o for d in result["data"] for o in d["obligations"]]
    return owed, result["summary"]["warnings"], result["summary"]["next_due"]


ADAPTERS: dict[str, Callable[[dict[str, Any]], Outcome]] = {
    "stdio": _stdio,
    "xsoar": _xsoar,
    "splunk_soar": _soar,
}


def _check(owed: list[dict[str, Any]], warnings: list[str], next_due: str | None, doc: Any) -> None:
    assessment = Engine().assess(load_incident(doc))
    expected = [o for o in assessment.obligations if o.status != "not_required"]
    # every owed duty once: contract duties and relays included
    assert sorted(o["id"] for o in owed) == sorted(o.id for o in expected)
    by_id = {o["id"]: o for o in owed}
    for o in expected:
        got = by_id[o.id]
        assert got["kind"] == o.kind, o.id
        assert got["party"] == o.party and got["recipient_party"] == o.recipient_party, o.id
        assert got["contractual"] is (o.jurisdiction == "contract"), o.id
        assert got["due"] == (o.due.isoformat() if o.due else None), o.id
        assert got["time_zone"] == o.deadline.time_zone, o.id
        assert got["not_before"] == (o.not_before.isoformat() if o.not_before else None), o.id
        wait = o.deadline.not_before
        assert got["waiting_period"] == (wait["text"] if wait else None), o.id
        assert got["sent_at"] == (o.sent_at.isoformat() if o.sent_at else None), o.id
        if o.kind != "notice":  # a record or an assessment is never worded as a notice
            assert not re.search(r"\b(notif|send|sent)", got["duty"], re.I), got["duty"]
    assert warnings == list(assessment.warnings)
    unsent = [o.due for o in expected if o.due and o.sent_at is None]
    assert next_due == (min(unsent).isoformat() if unsent else None)


@pytest.mark.parametrize("adapter", sorted(ADAPTERS))
def test_every_duty_once_with_its_kind_party_and_times(adapter: str) -> None:
    for doc in _documents():
        _check(*ADAPTERS[adapter](doc), doc)


@pytest.mark.parametrize("adapter", sorted(ADAPTERS))
def test_contract_duties_and_relays_are_labelled(adapter: str) -> None:
    owed, _, _ = ADAPTERS[adapter](json.loads(CHAIN.read_text("utf-8")))
    by_id = {o["id"]: o for o in owed}
    contract = by_id["contract:sub-dpa:notify-owner"]
    assert contract["contractual"] is True
    assert (contract["party"], contract["recipient_party"]) == ("mailer", "crm")
    relay = by_id["US-CA:notify-owner@crm"]
    assert relay["contractual"] is False
    assert (relay["party"], relay["recipient_party"]) == ("crm", "shop")


def test_the_sent_notice_and_the_wait(capsys: pytest.CaptureFixture[str]) -> None:
    """The stdio response of the incident that records notices sent, seen whole."""
    owed, warnings, next_due = _stdio(_documents()[2])
    by_id = {o["id"]: o for o in owed}
    assert by_id["US-NJ:notify-regulator"]["sent_at"] == "2026-03-05T10:00:00-05:00"
    assert by_id["US-NJ:notify-individuals"]["not_before"] == "2026-03-05T10:00:00-05:00"
    assert by_id["US-AR:keep-written-determination"]["kind"] == "record"
    assert by_id["US-CA:notify-individuals"]["time_zone"] == "America/Los_Angeles"
    assert next_due == "2026-03-17T23:59:59-05:00"  # the two due earlier were sent
    assert any("US-ZZ:notify-nobody" in w for w in warnings)
    unsent, _, _ = _stdio(_documents()[1])
    wait = {o["id"]: o for o in unsent}["US-NJ:notify-individuals"]
    assert wait["not_before"] is None and wait["waiting_period"]


def _tasks(doc: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    from tests.test_integrations import _fixture

    job = _fixture("thehive_responder_input.json")
    job["data"]["customFields"] = {"breachrulesIncident": {"string": json.dumps(doc)}}
    _thehive_standin().BreachRulesResponder(job).run()
    report = json.loads(capsys.readouterr().out)
    assert report["success"] is True
    return report


def test_thehive_tasks_say_sent_not_before_and_the_zone(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, ransom, sent, _ = _documents()
    report = _tasks(sent, capsys)
    tasks = {
        op["title"]: op["description"].splitlines()
        for op in report["operations"]
        if op["type"] == "CreateTask"
    }
    assert (
        "Sent: 2026-03-05T10:00:00-05:00 (as the incident records it)"
        in (tasks["US-NJ:notify-regulator"])
    )
    assert any(
        line.startswith("Not before: 2026-03-05T10:00:00-05:00 (after the report")
        for line in tasks["US-NJ:notify-individuals"]
    )
    assert tasks["US-CA:notify-individuals"][2].endswith(
        "(due 2026-04-01T23:59:59-05:00; days counted in America/Los_Angeles)"
    )
    record = tasks["US-AR:keep-written-determination"][1]
    assert record.endswith(
        ": lonestar-outfitters keeps a record of the breach (its own; nothing is sent)."
    )
    # the next due date passes over the notices sent (Puerto Rico's and Louisiana's)
    (due,) = [op["value"] for op in report["operations"] if op.get("name") == "breachrulesNextDue"]
    assert due == 1773809999000  # 2026-03-17T23:59:59-05:00
    assert any("US-ZZ:notify-nobody" in w for w in report["full"]["warnings"])
    unsent = _tasks(ransom, capsys)
    wait = next(
        op["description"]
        for op in unsent["operations"]
        if op.get("title") == "US-NJ:notify-individuals"
    )
    assert "Not before: not known yet (after the report" in wait


def test_splunk_soar_manifest_declares_every_field_and_dependency() -> None:
    soar = _load("splunk_soar/breachrules_connector.py")
    app = json.loads((INTEGRATIONS / "splunk_soar" / "breachrules.json").read_text("utf-8"))
    paths = {o["data_path"] for o in app["actions"][1]["output"]}
    doc = json.loads(CHAIN.read_text("utf-8"))
    job = {"identifier": "assess_incident", "parameters": [{"incident_json": json.dumps(doc)}]}
    (result,) = json.loads(soar.BreachRulesConnector()._handle_action(json.dumps(job), 0))
    contract = [d for d in result["data"] if d["jurisdiction"] == "contract"]
    assert [d["status"] for d in contract] == ["contractual"]
    for item in result["data"]:
        for o in item["obligations"]:
            for key in o:
                assert f"action_result.data.*.obligations.*.{key}" in paths, key
    for key in result["summary"]:
        assert f"action_result.summary.{key}" in paths, key
    # The app installs breachrules from its wheels alone: every dependency is declared.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    wanted = {re.split(r"[<>=!~; \[]", d, maxsplit=1)[0] for d in project["dependencies"]}
    declared = {w["module"] for w in app["pip313_dependencies"]["wheel"]}
    norm = {re.sub(r"[-_.]+", "-", m).lower() for m in declared}
    missing = {m for m in wanted if re.sub(r"[-_.]+", "-", m).lower() not in norm}
    assert not missing, missing


def test_xsoar_yaml_declares_the_new_outputs() -> None:
    import yaml

    xsoar = _load("xsoar/BreachRulesAssess.py")
    spec = yaml.safe_load((INTEGRATIONS / "xsoar" / "BreachRulesAssess.yml").read_text("utf-8"))
    declared = {o["contextPath"] for o in spec["outputs"]}
    incident = {"id": "7", "CustomFields": {"breachrulesincident": CHAIN.read_text("utf-8")}}
    used: set[str] = set()
    for result in xsoar.assess_command(incident, {}):
        entries = result.outputs if isinstance(result.outputs, list) else [result.outputs]
        for entry in entries:
            for key, value in entry.items():
                if isinstance(value, list) and value and isinstance(value[0], dict):
                    used |= {f"{result.outputs_prefix}.{key}.{k}" for o in value for k in o}
                else:
                    used.add(f"{result.outputs_prefix}.{key}")
    assert "BreachRules.Assessment.ContractDuties.Contractual" in used
    assert used <= declared, sorted(used - declared)


def test_the_readme_commands_run_as_written(tmp_path: Path) -> None:
    """Each 'Trying an adapter without its product' command, run as the README writes it
    (from the checkout, ``PYTHONPATH=.``), exits 0 and prints what its platform reads."""
    readme = (INTEGRATIONS / "README.md").read_text("utf-8")
    table = readme.split("## Trying an adapter without its product", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^\| [^|]+ \| `(python [^`]+)`", table, re.M)
    assert len(commands) == 5, commands
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BREACHRULES_NO_CACHE": "1"}
    sdk_python = os.environ.get("SOAR_SDK_PYTHON")
    for command in commands:
        folder = ROOT
        if command.startswith("python -m src.app"):  # run inside splunk_soar_sdk/
            if not sdk_python:
                continue
            folder = INTEGRATIONS / "splunk_soar_sdk"
            command = command.replace("python", sdk_python, 1)
        else:
            command = command.replace("python", sys.executable, 1)
        done = subprocess.run(
            command,
            shell=True,
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, (command, done.stderr[-2000:])
        assert "Traceback" not in done.stdout + done.stderr, (command, done.stderr[-2000:])
        assert "failed" not in done.stdout or "sample_action" in command, command


def test_splunk_soar_sdk_app_lists_contract_duties() -> None:
    """The SDK app, through the SDK's own runner (where it installs), on its sample."""
    python = _soar_sdk_python()
    folder = INTEGRATIONS / "splunk_soar_sdk"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BREACHRULES_NO_CACHE": "1"}
    argv = ["-m", "src.app", "action", "assess-incident"]
    argv += ["-a", "sample_asset.json", "-p", "sample_params.json"]
    done = subprocess.run(
        [python, *argv], cwd=folder, env=env, capture_output=True, text=True, timeout=300
    )
    out = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + done.stderr)
    assert "Action success: True" in out, out[-2000:]
    data = json.loads(out.split("Result data:", 1)[1].split("Result summary:", 1)[0])
    contract = [d for d in data if d["jurisdiction"] == "contract"]
    assert [d["status"] for d in contract] == ["contractual"]
    duty = {o["id"]: o for o in contract[0]["obligations"]}["contract:sub-dpa:notify-owner"]
    assert (duty["party"], duty["recipient_party"], duty["contractual"]) == ("mailer", "crm", True)
    relay = {o["id"]: o for d in data for o in d["obligations"]}["US-CA:notify-owner@crm"]
    assert (relay["party"], relay["recipient_party"], relay["kind"]) == ("crm", "shop", "notice")
    assert "'contract_duties': 2" in out and "'warnings': []" in out
