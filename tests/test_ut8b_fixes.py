"""Small fixes a docs-only user test found (the eighth): each test fails without its fix."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from breachrules import Engine, load_incident, reassess
from breachrules.cli import main

from .conftest import ROOT
from .test_one_order import TAPE
from .test_ut7a_fixes import HOST, HOST_AS_OF, _stdio


def _incident(party: dict[str, Any], exposure: dict[str, Any]) -> Any:
    doc = copy.deepcopy(TAPE)
    doc["parties"][0].update(party)
    doc["exposures"][0].update(exposure)
    return load_incident(doc)


def test_a_diff_shows_a_field_at_its_default_as_its_default(engine: Engine) -> None:
    """A document omits a field at its default: ``false -> true``, never ``null -> true``
    (bankF.json / bankT.json, zake_true.json / zake.json); a field written at its default
    on one side and omitted on the other did not change."""
    old = _incident({"notified_under_procedures": False}, {"identifiable": True})
    new = _incident({"notified_under_procedures": True}, {"identifiable": False})
    _, _, diff = reassess(engine, old, new, jurisdictions=["US-OH"])
    assert diff.facts_changed == {
        "parties[0].notified_under_procedures": (False, True),
        "exposures[0].identifiable": (True, False),
    }
    assert "  parties[0].notified_under_procedures: false -> true" in diff.fact_lines()
    _, _, back = reassess(engine, new, old, jurisdictions=["US-OH"])
    assert back.facts_changed["exposures[0].identifiable"] == (False, True)
    _, _, same = reassess(engine, old, _incident({}, {}), jurisdictions=["US-OH"])
    assert same.facts_changed == {}


def _alberta(**facts: Any) -> Any:
    return load_incident(
        {
            "schema_version": "1",
            "id": "AB-2026-01",
            "discovered_at": "2026-10-01T09:00:00-06:00",
            "time_zone": "America/Edmonton",
            "parties": [
                {
                    "id": "abco",
                    "data_role": "owner",
                    "types": [],
                    "established_in": ["CA-AB"],
                    "offers_to": ["CA"],
                }
            ],
            "exposures": [
                {
                    "elements": ["name", "financial_account", "dob"],
                    "residents": {"CA-AB": 3000},
                    "encrypted": False,
                    "acquired": True,
                    "accessed": True,
                }
            ],
            "risk": {"harm_likely": True},
            "malicious": True,
            "facts": {"CA-AB": facts},
        }
    )


def test_a_fact_anchor_is_named_as_written(engine: Engine) -> None:
    """ab1.json: the earliest lawful date is counted from ``fact:commissioner_required_
    notice_at``, an identifier copied as written, never ``fact:commissioner required
    notice at``."""
    # The order made (a duty not owed has no due date, so no note on counting one).
    incident = _alberta(
        commissioner_required_notice=True,
        commissioner_required_notice_at="2026-11-10T10:00:00-07:00",
    )
    a = engine.assess(incident, as_of=incident.discovered_at, jurisdictions=["CA-AB"])
    text = a.explain("CA-AB:notify-individuals")
    assert "counted from fact:commissioner_required_notice_at" in " ".join(text.split())
    assert "commissioner required notice at" not in " ".join(text.split())


def test_a_dated_fact_before_discovery_is_warned_and_used(engine: Engine) -> None:
    """ab4.json: a due date the Commissioner set before the incident was discovered is
    said (docs/facts.md, "Moments in order") and the clock still runs from it; one after
    the discovery is not warned."""
    early = "2026-09-01T17:00:00-06:00"
    incident = _alberta(commissioner_required_notice=True, commissioner_notice_due_at=early)
    a = engine.assess(incident, as_of=incident.discovered_at, jurisdictions=["CA-AB"])
    said = [w for w in a.warnings if "commissioner_notice_due_at" in w]
    assert len(said) == 1 and "is before discovered_at" in said[0]
    due = {o.id: o.due for o in a.obligations}["CA-AB:notify-individuals"]
    assert due is not None and due.isoformat() == early
    later = _alberta(
        commissioner_required_notice=True, commissioner_notice_due_at="2026-12-10T17:00:00-07:00"
    )
    b = engine.assess(later, as_of=later.discovered_at, jurisdictions=["CA-AB"])
    assert not [w for w in b.warnings if "before discovered_at" in w]


def test_every_shape_the_stdio_adapter_refuses_is_a_schema_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``"as_of": "2026-12-01"`` validated against ``breachrules schema stdio-request``
    (``format: date-time`` only) while the adapter refused it (no UTC offset). Each value
    whose shape the adapter refuses is refused by the schema too; a date that does not
    exist (30 February) is what only the adapter can say."""
    import jsonschema

    assert main(["schema", "stdio-request"]) == 0
    schema = jsonschema.Draft202012Validator(json.loads(capsys.readouterr().out))
    refused = [
        {"as_of": "2026-12-01"},
        {"as_of": "2026-12-01T10:00:00"},
        {"as_of": "tomorrow"},
        {"as_of": "2300-01-01T00:00:00Z"},
        {"as_of": 20261201},
        {"full": "yes"},
        {"jurisdictions": "US-NY"},
        {"jurisdictions": [1]},
        {"ful": True},
    ]
    for wrong in refused:
        request = {"incident": HOST, **wrong}
        code, response = _stdio().run(request)
        assert code == 2 and response["error"] == "invalid request", wrong
        assert not schema.is_valid(request), wrong
    for right in ({"as_of": HOST_AS_OF}, {"as_of": "2026-11-25T05:00:00Z"}, {"as_of": None}):
        request = {"incident": HOST, **right}
        assert schema.is_valid(request) and _stdio().run(request)[0] == 0, right
    only_the_adapter = {"incident": HOST, "as_of": "2026-02-30T10:00:00Z"}
    assert _stdio().run(only_the_adapter)[0] == 2


def test_the_integrations_readme_says_which_adapters_take_simple_fields() -> None:
    """The README said every adapter accepts a handful of simple fields; the stdio adapter
    refuses them (``elements``: unknown field), and each adapter with simple fields reads
    its own platform's field names, so there is no one reading to give stdio: the README
    says which adapters take them and what stdio takes."""
    readme = (ROOT / "examples" / "integrations" / "README.md").read_text(encoding="utf-8")
    text = " ".join(readme.split())
    assert "Every adapter accepts either a whole" not in text
    simple = {"discovered_at": "2026-11-20T09:00:00Z", "elements": ["name"], "residents": {}}
    code, response = _stdio().run(simple)
    assert code == 2 and "elements" in {p["path"] for p in response["problems"]}
    rows = {
        line.split("|")[1].strip(): line.split("|")[3].strip()
        for line in readme.splitlines()
        if line.startswith("| ") and line.count("|") == 4
    }
    assert rows["stdio (`stdio/`)"].startswith("none")
    assert rows["Splunk SOAR, SDK app (`splunk_soar_sdk/`)"] == "none"
    for adapter, field in (
        ("xsoar/BreachRulesAssess.py", "breachdataelements"),
        ("thehive/breachrules_responder.py", "breachDataElements"),
        ("splunk_soar/breachrules_connector.py", "data_elements"),
    ):
        source = (ROOT / "examples" / "integrations" / adapter).read_text(encoding="utf-8")
        row = next(v for k, v in rows.items() if f"`{adapter.split('/')[0]}/`" in k)
        assert field in source and row != "none", adapter


NE_BANK: dict[str, Any] = {
    "schema_version": "1",
    "id": "BANK-2026-01",
    "discovered_at": "2026-11-20T09:00:00-05:00",
    "parties": [
        {
            "id": "hoosier",
            "data_role": "owner",
            "types": ["bank"],
            "established_in": ["US-IN"],
            "offers_to": ["US"],
        }
    ],
    "exposures": [
        {
            "elements": ["name", "financial_account", "ssn"],
            "residents": {"US-NE": 250},
            "encrypted": False,
            "acquired": True,
            "accessed": True,
        }
    ],
    "malicious": True,
    "good_faith_insider": False,
}


def test_a_question_no_answer_to_which_changes_anything_is_listed_apart(
    engine: Engine, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """bank.json: ``questions`` listed ``exposures[0].phi`` for US-NE (a bank with no
    health data) among the questions to ask, "no answer to it alone changes anything".
    It was then listed apart; since missing facts name only what could still decide a
    rule (``engine.evidence.open_fields``: the bank's own branch of the deemed-compliance
    test already holds, so the HIPAA entity's ``phi`` branch decides nothing), it is not
    asked at all, and nothing listed apart claims to change something."""
    from breachrules.views.first import ranked_facts
    from breachrules.views.questions import open_questions

    incident = load_incident(NE_BANK)
    q = open_questions(engine, incident, jurisdictions=["US-NE"])
    asked = [x.fact for x in q.questions]
    assert "exposures[0].phi" not in asked
    assert "exposures[0].phi" not in [x.fact for x in q.apart]
    assert "parties[0].regulator_procedures" in asked
    assert all(x.changes_nothing for x in q.apart)
    assert not any(x.changes_nothing for x in q.questions)
    ranked = [u.fact for u in ranked_facts(q.assessment)]
    assert asked == [f for f in ranked if f not in {x.fact for x in q.apart}]
    path = tmp_path / "bank.json"
    path.write_text(json.dumps(NE_BANK), encoding="utf-8")
    argv = ["questions", str(path), "--jurisdiction", "US-NE", "--as-of", "discovery"]
    assert main(argv) == 0
    assert "exposures[0].phi" not in capsys.readouterr().out
    assert main([*argv, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert "exposures[0].phi" not in [x["fact"] for x in doc["questions"] + doc["apart"]]
