"""Growth with the incident: the audit records each exposure's facts once and its rule events
refer to them, so it grows with the exposures plus the decisions, never their product, and
still proves what every rule read (issue 24, target 4). Speed is never asserted here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from breachrules import AuditLog, Engine, load_incident
from breachrules.audit.proof import check_assessment, rule_inputs, verify, written_form
from breachrules.engine.audit import chain, event_hash, verify_chain

from .conftest import ROOT

STATES = ["US-CA", "US-TX", "US-NY", "US-FL", "US-IL", "US-PA", "US-OH", "US-GA", "US-NC", "US-MI"]


def many_exposures(n: int) -> dict[str, Any]:
    """``n`` exposures, each with residents of 5 of 10 states, of two kinds."""
    return {
        "schema_version": "1",
        "id": f"GROWTH-{n}",
        "discovered_at": "2026-03-02T09:00:00+00:00",
        "parties": [{"id": "org", "data_role": "owner", "established_in": ["US-TX"]}],
        "exposures": [
            {
                "elements": ["name", "ssn"] if k % 2 else ["name", "drivers_license"],
                "residents": {STATES[(k + j) % 10]: 100 + k for j in range(5)},
                "encrypted": None if k % 7 == 3 else False,
                "acquired": True,
            }
            for k in range(n)
        ],
        "malicious": True,
        "good_faith_insider": False,
    }


def provider_chain(n: int) -> dict[str, Any]:
    """A breach at the end of a chain of ``n`` service providers."""
    parties = [{"id": "owner", "data_role": "owner", "established_in": ["US-TX"]}]
    for k in range(n):
        above = "owner" if k == 0 else f"sp{k - 1}"
        parties.append({"id": f"sp{k}", "data_role": "service_provider", "serves": above})
    return {
        "schema_version": "1",
        "id": f"CHAIN-{n}",
        "discovered_at": "2026-03-02T09:00:00+00:00",
        "parties": parties,
        "breached_party": f"sp{n - 1}",
        "exposures": [
            {
                "elements": ["name", "ssn"],
                "residents": dict.fromkeys(STATES, 1000),
                "encrypted": False,
                "acquired": True,
            }
        ],
        "malicious": True,
    }


def test_the_audit_grows_with_decisions_not_exposures_times_rules(engine: Engine) -> None:
    """Ten times the exposures: the same decisions, the same number of audit events; only
    the one ``facts`` event holds more."""
    small = engine.assess(load_incident(many_exposures(10)))
    large = engine.assess(load_incident(many_exposures(100)))
    assert [e.event for e in small.audit] == [e.event for e in large.audit]
    assert [e.rule for e in small.audit] == [e.rule for e in large.audit]
    facts = [e for e in large.audit if e.event == "facts"]
    assert len(facts) == 1 and len(facts[0].detail["exposures"]) == 100
    assert not any(e.event == "rule_evaluated" for e in large.audit)


def test_rule_events_prove_what_each_rule_read(engine: Engine) -> None:
    """Every rule event's inputs, resolved through the ``facts`` event, are the facts its
    reason shows (a reason shows only the residents in the law's reach; the audit keeps
    every exposure's residents as given), and every exposure it was evaluated on has one
    value."""
    incident = load_incident(many_exposures(12))
    a = engine.assess(incident)
    audit = a.to_dict()["audit"]
    assert verify_chain(audit) is None
    reasons = {(d.jurisdiction, r.rule): r for d in a.determinations for r in d.reasons}
    checked = 0
    for index, event in enumerate(audit):
        if event["event"] != "rule_values":
            continue
        inputs = rule_inputs(audit, index)
        reason = reasons[event["jurisdiction"], event["rule"]]
        for path, value in reason.facts.items():
            if path.endswith(".residents"):
                assert value.items() <= inputs[path].items(), path
            else:
                assert inputs[path] == value, path
        if event["detail"]["exposure_facts"]:
            evaluated = {i for group in event["detail"]["values"].values() for i in group}
            exposures = {int(p[10:].split("]")[0]) for p in inputs if p.startswith("exposures[")}
            assert evaluated == exposures
            checked += 1
    assert checked > 10


def _log(tmp_path: Path, engine: Engine) -> AuditLog:
    incident = load_incident(many_exposures(3))
    log = AuditLog(tmp_path / "audit.jsonl")
    log.record_assessment(incident, engine.assess(incident))
    return log


def _rewrite(path: Path, edit_audit: Any) -> None:
    """An insider's edit of the logged assessment's audit, every hash recomputed, inner
    chain and log alike: only the proof of the rules' inputs can catch it."""
    body = json.loads(path.read_text())
    audit = body["data"]["assessment"]["audit"]
    edit_audit(audit)
    prev = "0" * 64
    for event in audit:
        event["prev_hash"] = prev
        event["hash"] = prev = event_hash(event)
    body["hash"] = event_hash(body)
    path.write_bytes(written_form(body) + b"\n")  # the insider writes the log's own form
    path.with_name(path.name + ".head").unlink()


def test_a_logged_assessment_proves_its_facts(tmp_path: Path, engine: Engine) -> None:
    log = _log(tmp_path, engine)
    assert log.verify().ok

    def forge(audit: list[dict[str, Any]]) -> None:  # the encryption "was" known
        facts = next(e for e in audit if e["event"] == "facts")
        facts["detail"]["exposures"][1]["encrypted"] = True

    _rewrite(log.path, forge)
    result = verify(log.path)
    assert not result.ok and result.broken_line == 1
    assert "records facts other than the logged incident's" in (result.reason or "")


def test_a_rule_event_must_refer_to_recorded_facts(tmp_path: Path, engine: Engine) -> None:
    log = _log(tmp_path, engine)

    def dangle(audit: list[dict[str, Any]]) -> None:
        event = next(e for e in audit if e["event"] == "rule_values")
        event["detail"]["values"].setdefault("true", []).append(7)

    _rewrite(log.path, dangle)
    result = verify(log.path)
    assert not result.ok
    assert "refers to exposure 7, which its facts event lacks" in (result.reason or "")


def test_an_old_assessment_with_rule_evaluated_events_still_verifies(
    tmp_path: Path, engine: Engine
) -> None:
    """Logs written before the ``facts`` event (one ``rule_evaluated`` per rule and
    exposure) verify as before: they prove no inputs, and claim none."""
    incident = load_incident(many_exposures(2))
    document = engine.assess(incident).to_dict()
    old = chain(
        [
            ("ruleset_selected", None, "US-CA", {"version": "2026-01-01", "reach": "x"}),
            ("rule_evaluated", "US-CA:breach", "US-CA", {"exposure": 0, "value": True}),
            ("rule_evaluated", "US-CA:breach", "US-CA", {"exposure": 1, "value": None}),
        ],
        document["audit"][0]["at"],
    )
    document["audit"] = [
        {k: getattr(e, k) for k in ("seq", "event", "at", "rule", "jurisdiction")}
        | {"detail": e.detail, "prev_hash": e.prev_hash, "hash": e.hash}
        for e in old
    ]
    assert check_assessment({"incident": incident.to_dict(), "assessment": document}) is None
    assert rule_inputs(document["audit"], 1) == {}
    log = AuditLog(tmp_path / "old.jsonl")
    log.append(
        "assessment",
        {"incident": incident.to_dict(), "assessment": document},
        "2026-03-02T09:00:00Z",
    )
    assert log.verify().ok


@pytest.mark.parametrize("backend", ["python", "durable"])
def test_a_chain_of_providers_grows_linearly(backend: str) -> None:
    """Each provider added to the chain adds the same relayed notices and audit events."""
    if backend == "durable":
        pytest.importorskip("durable")
    engine = Engine(backend=backend)
    sizes = {}
    for n in (10, 20, 30):
        a = engine.assess(load_incident(provider_chain(n)))
        sizes[n] = (len(a.obligations), len(a.audit))
    step = [sizes[20][k] - sizes[10][k] for k in (0, 1)]
    assert step == [sizes[30][k] - sizes[20][k] for k in (0, 1)]
    assert step[0] > 0


# --- reasons refer to the facts event (issue 24, target 4) --------------------------------


def test_reasons_about_many_exposures_name_fields_not_values(engine: Engine) -> None:
    """Ten times the exposures (past ``LISTED_EXPOSURES``): the same reasons, each of the
    same size; the exposures' values are in the audit's one ``facts`` event."""
    from breachrules.model.decisions import LISTED_EXPOSURES

    small = engine.assess(load_incident(many_exposures(30))).to_dict()
    large = engine.assess(load_incident(many_exposures(300))).to_dict()
    assert LISTED_EXPOSURES < 30 // 2  # each state has half the exposures

    def reasons(doc: dict[str, Any]) -> list[dict[str, Any]]:
        return [r for d in doc["determinations"] for r in d["reasons"]] + [
            r for o in doc["obligations"] for r in o["reasons"]
        ]

    assert [r["rule"] for r in reasons(small)] == [r["rule"] for r in reasons(large)]
    assert [r["facts"] for r in reasons(small)] == [r["facts"] for r in reasons(large)]
    assert [r.get("exposure_facts") for r in reasons(small)] == [
        r.get("exposure_facts") for r in reasons(large)
    ]
    referring = [r for r in reasons(large) if r.get("exposure_facts")]
    assert referring and not any(
        k.startswith("exposures[") for r in reasons(large) for k in r["facts"]
    )
    assert sum(len(json.dumps(r)) for r in reasons(large)) < 1.2 * sum(
        len(json.dumps(r)) for r in reasons(small)
    )


def _resolved(a: Any) -> dict[tuple[str, str, str], dict[str, Any]]:
    from breachrules.engine.audit import reason_facts

    out = {}
    for d in a.determinations:
        for r in d.reasons:
            out[d.jurisdiction, "d", r.rule] = reason_facts(a.audit, d.jurisdiction, r)
    for o in a.obligations:
        for r in o.reasons:
            out[o.id, "o", r.rule] = reason_facts(a.audit, o.jurisdiction, r)
    return out


def test_a_referring_reason_resolves_to_the_facts_it_used_to_list(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``reason_facts`` gives back, through the audit, every fact a reason listed before
    it referred (residents as the exposure records them: every place, a superset)."""
    from breachrules.engine import audit, evidence

    incident = load_incident(many_exposures(30))
    referred = engine.assess(incident)
    assert any(r.exposure_facts for d in referred.determinations for r in d.reasons)
    assert any(r.exposure_facts for o in referred.obligations for r in o.reasons)
    monkeypatch.setattr(evidence, "LISTED_EXPOSURES", 10**6)
    monkeypatch.setattr(audit, "LISTED_EXPOSURES", 10**6)
    listed = engine.assess(incident)
    assert not any(r.exposure_facts for d in listed.determinations for r in d.reasons)
    want, got = _resolved(listed), _resolved(referred)
    assert want.keys() == got.keys()
    for key, facts in want.items():
        assert facts.keys() == got[key].keys(), key
        for path, value in facts.items():
            if path.endswith(".residents"):
                assert value.items() <= got[key][path].items(), (key, path)
            else:
                assert got[key][path] == value, (key, path)
    # Same decisions either way: only where the facts are written differs.
    assert [(o.id, o.status, o.due) for o in listed.obligations] == [
        (o.id, o.status, o.due) for o in referred.obligations
    ]


def test_explain_and_diff_read_a_referring_reason_through_the_audit(engine: Engine) -> None:
    doc = many_exposures(30)
    before = engine.assess(load_incident(doc), jurisdictions=["US-CA"])
    text = before.explain("US-CA")
    assert "exposures[29].encrypted = false" in text
    from breachrules.views.changes import compare

    doc["exposures"][0]["encrypted"] = True
    after = engine.assess(load_incident(doc), jurisdictions=["US-CA"])
    diff = compare(before, after, {"exposures[0].encrypted": (False, True)})
    for change in diff.changes:
        assert change.caused_by == ("exposures[0].encrypted",)


def test_a_forged_reference_to_the_facts_is_caught(tmp_path: Path, engine: Engine) -> None:
    """Rule events name the ``facts`` event by its hash, and a determination the exposures
    its obligations' reasons read: each reference must resolve."""
    incident = load_incident(many_exposures(30))
    a = engine.assess(incident)
    audit = a.to_dict()["audit"]
    facts = next(e for e in audit if e["event"] == "facts")
    assert all(
        e["detail"]["facts_event"] == facts["hash"] for e in audit if e["event"] == "rule_values"
    )
    assert any("affected" in e["detail"] for e in audit if e["event"] == "determination")
    for n in range(len(audit)):
        rule_inputs(audit, n)  # every reference resolves

    def log() -> AuditLog:
        path = tmp_path / f"audit-{len(list(tmp_path.iterdir()))}.jsonl"
        written = AuditLog(path)
        written.record_assessment(incident, a)
        return written

    def elsewhere(audit: list[dict[str, Any]]) -> None:
        event = next(e for e in audit if e["event"] == "rule_values")
        event["detail"]["facts_event"] = "0" * 64

    def beyond(audit: list[dict[str, Any]]) -> None:
        event = next(e for e in audit if "affected" in e["detail"])
        event["detail"]["affected"].append(99)

    for edit, words in (
        (elsewhere, "refers to a facts event that is not before it"),
        (beyond, "refers to exposure 99, which its facts event lacks"),
    ):
        written = log()
        assert written.verify().ok
        _rewrite(written.path, edit)
        result = verify(written.path)
        assert not result.ok and words in (result.reason or ""), result.reason


def test_the_json_text_writes_each_audit_event_on_one_line(engine: Engine) -> None:
    a = engine.assess(load_incident(many_exposures(30)))
    text = a.to_json()
    assert json.loads(text) == a.to_dict()
    lines = [line for line in text.splitlines() if line.startswith('    {"at": ')]
    assert len(lines) == len(a.audit)
    assert [json.loads(line.rstrip(","))["hash"] for line in lines] == [e.hash for e in a.audit]


def test_providers_chains_of_10_25_50_grow_linearly(engine: Engine) -> None:
    """Relayed notices and audit events per provider stay the same from 10 to 50."""
    sizes = {}
    for n in (10, 25, 50):
        a = engine.assess(load_incident(provider_chain(n)))
        sizes[n] = (len(a.obligations), len(a.audit), len(a.to_json()))
    per = [(sizes[50][k] - sizes[25][k]) / 25 for k in range(3)]
    assert per[:2] == [(sizes[25][k] - sizes[10][k]) / 15 for k in range(2)]
    assert per[2] <= 1.1 * (sizes[25][2] - sizes[10][2]) / 15


def test_both_backends_agree_on_many_exposures(engine: Engine, durable_engine: Engine) -> None:
    """Referring reasons and one incident world per kind of exposure, on both backends:
    byte-identical documents."""
    for n in (12, 40, 123):
        incident = load_incident(many_exposures(n))
        assert durable_engine.assess(incident).to_json() == engine.assess(incident).to_json()


def test_work_per_exposure_is_done_once_per_set_of_places(engine: Engine) -> None:
    """Exposures naming the same places share one entry of the area index, and laws whose
    reach names the same areas (the two laws of ``US-CA``, the federal laws of ``US``)
    get one tuple of counted residents: worked out once per assessment, not per law."""
    from breachrules.engine.reach import area_index, reach

    incident = load_incident(many_exposures(30))
    index = area_index(incident)
    # Exposure k and k + 10 have residents of the same five states, in the same order.
    assert index[3] is index[13] is index[23]
    assert index[3] is not index[4]
    ca, ca_health = engine.ruleset("US-CA"), engine.ruleset("US-CA-HLTH")
    assert ca.reach.residents == ca_health.reach.residents
    first = reach(ca, incident, None, index)
    assert reach(ca_health, incident, None, index).residents is first.residents
    assert first.residents == reach(ca, incident).residents  # a fresh index: the same counts
    assert [sorted(r) for r in first.residents[:3]] == [["US-CA"], [], []]
    assert reach(engine.ruleset("US-TX"), incident, None, index).residents is not first.residents


def test_the_warning_for_uncounted_people_scans_the_outlines_once_per_code(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """People no law counts (a code too coarse for the state laws) get a warning per
    exposure; the rulesets' outlines are scanned once per code, not once per exposure."""
    scans = []

    class Counted(tuple):  # type: ignore[type-arg]
        def __iter__(self):  # type: ignore[no-untyped-def]
            scans.append(1)
            return super().__iter__()

    doc = many_exposures(40)
    for e in doc["exposures"]:
        e["residents"] = {"US": 10}
    monkeypatch.setattr(engine._library, "outlines", Counted(engine._library.outlines))
    warnings = [w for w in engine.assess(load_incident(doc)).warnings if ".residents.US:" in w]
    assert len(warnings) == 40
    assert warnings[7].startswith("exposures[7].residents.US: 10 affected people whom no law")
    assert len(scans) <= 3  # the areas of the laws that apply, the finer areas of US, ...


def test_exposures_of_one_kind_share_their_facts_base(engine: Engine) -> None:
    """The law-independent part of an exposure's facts is built once per kind of
    exposure (the same facts and elements), so a thousand exposures of a few kinds merge
    a few dicts per law; each fact still carries its own head counts."""
    from breachrules.engine.facts import Facts
    from breachrules.engine.reach import area_index, reach
    from breachrules.engine.results import Case

    incident = load_incident(many_exposures(30))
    facts = Facts(Case.of(incident, incident.discovered_at, area_index(incident)))
    ruleset = engine.ruleset("US-CA")
    law = ruleset.law_on(incident.discovered_at.date())
    assert law is not None
    compiled = engine._compiled[law.key]
    reached = reach(ruleset, incident, None, facts.case.areas)
    made = {i: facts.exposure(i, reached, compiled) for i in (0, 6, 8, 16, 10)}
    # 0, 6, 8 and 16: the same elements and facts, all counting Californians; 10 is
    # of another kind (whether it was encrypted is not known).
    assert len({id(facts._exposure_bases[i]) for i in (0, 6, 8, 16)}) == 1
    assert facts._exposure_bases[10] is not facts._exposure_bases[0]
    assert made[0] is not made[6]
    assert [made[i]["residents"] for i in made] == [100, 106, 108, 116, 110]
    assert made[16]["persons_total"] == 5 * 116
    assert "encrypted" not in made[10] and made[0]["encrypted"] is False


def test_a_not_applicable_laws_entry_is_made_once_per_engine(engine: Engine) -> None:
    """A law reported as not applicable is listed by the same immutable ``RulesetRef`` in
    every assessment (made once per engine, not once per assessment), and the reach of
    every law reads the assessment's chain of parties: the documents are unchanged."""
    from breachrules.scale.measure import EXAMPLES

    incident = load_incident(EXAMPLES / "hipaa-large-breach-ba.json")
    first, second = engine.assess(incident), engine.assess(incident)
    refs = [r for r in first.rulesets if r.code == "US-GLBA"]
    assert refs and next(r for r in second.rulesets if r.code == "US-GLBA") is refs[0]
    assert [d.status for d in first.determinations if d.jurisdiction == "US-GLBA"] == [
        "not_applicable"
    ]
    assert first.to_json() == second.to_json()


def test_a_duty_needing_no_breach_reads_every_exposure_and_its_reason_resolves(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """New York's copy of a no-harm determination (§ 899-aa(2)(a), ``requires_breach:
    false``) counts the residents of every exposure in reach, breached or not: twelve
    exposures of 50 New Yorkers, half of them encrypted (not breached), are 600 residents,
    "over five hundred". Its reason refers to all twelve, and resolves through the audit to
    what it would have listed."""
    from breachrules.engine import audit, evidence

    doc = json.loads((ROOT / "examples" / "incidents" / "multistate-ransomware.json").read_text())
    doc["inadvertent_authorized_disclosure"] = True
    doc["risk"] = {
        "findings": {"US-NY": {"harm_likely": False, "made_at": "2026-03-05T10:00:00-05:00"}}
    }
    doc["exposures"] = [
        {
            "elements": ["name", "ssn"],
            "residents": {"US-NY": 50},
            "encrypted": n % 2 == 0,
            "key_compromised": False,
            "acquired": True,
            "accessed": True,
        }
        for n in range(12)
    ]
    incident = load_incident(doc)
    referred = engine.assess(incident, jurisdictions=["US-NY"])
    (det,) = referred.determinations
    # (2)(a) excuses the owner's notices, not the breach (s12/y4): a breach whose notice to
    # residents is not required, the copy of the determination required.
    assert det.status == "breach"
    assert referred.obligation("US-NY:notify-individuals").status == "not_required"
    copy = referred.obligation("US-NY:notify-attorney-general-determination")
    assert copy.status == "required"
    assert copy.reasons[0].exposure_facts  # refers: twelve exposures is past the listing
    resolved = audit.reason_facts(referred.audit, "US-NY", copy.reasons[0])
    assert {f"exposures[{i}].residents" for i in range(12)} <= resolved.keys()
    monkeypatch.setattr(evidence, "LISTED_EXPOSURES", 10**6)
    monkeypatch.setattr(audit, "LISTED_EXPOSURES", 10**6)
    listed = engine.assess(incident, jurisdictions=["US-NY"])
    want = listed.obligation("US-NY:notify-attorney-general-determination").reasons[0].facts
    for path, value in want.items():
        assert resolved[path] == value, path
