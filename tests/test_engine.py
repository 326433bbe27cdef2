"""The engine: determinism, threads, session hygiene, three-valued logic, schemas."""

from __future__ import annotations

import hashlib
import json
import threading
from concurrent.futures import ThreadPoolExecutor

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breachrules import Assessment, BreachrulesError, Engine, load_incident
from breachrules.engine.audit import verify_chain
from breachrules.io.schema import json_schema
from breachrules.law.conditions import evaluate
from breachrules.model.decisions import Assessment as AssessmentClass

from .conftest import EXAMPLES, incident_doc


def test_output_is_deterministic(engine: Engine) -> None:
    """The same incident and as_of give byte-identical JSON, audit hashes included."""
    incident = load_incident(incident_doc())
    assert engine.assess(incident).to_json() == engine.assess(incident).to_json()


def test_as_of_defaults_to_discovery_not_wall_clock(engine: Engine) -> None:
    """Without as_of, the assessment is as of discovered_at."""
    incident = load_incident(incident_doc())
    assert engine.assess(incident).as_of == incident.discovered_at


def test_naive_as_of_rejected(engine: Engine) -> None:
    """as_of must carry a UTC offset, like every timestamp."""
    with pytest.raises(BreachrulesError, match="as_of"):
        engine.assess(load_incident(incident_doc()), as_of="2026-03-10T00:00:00")


def test_unknown_jurisdiction_rejected(engine: Engine) -> None:
    """Asking for a ruleset that is not loaded is an error naming the loaded ones."""
    with pytest.raises(BreachrulesError, match="US-ZZ"):
        engine.assess(load_incident(incident_doc()), jurisdictions=["US-ZZ"])


def test_rulesets_outside_reach_are_not_evaluated(engine: Engine) -> None:
    """A California-only incident is not assessed under GDPR at all; HIPAA, whose territory
    holds the affected people but which governs no party here, is reported not applicable."""
    assessment = engine.assess(load_incident(incident_doc()))
    by_code = {d.jurisdiction: d for d in assessment.determinations}
    assert "EU-GDPR" not in by_code
    assert by_code["US-CA"].status == "breach"
    # Every other law named is a party-type regime (HIPAA, and the other federal ones).
    others = {code: d for code, d in by_code.items() if code != "US-CA"}
    assert "US-HIPAA" in others
    assert all(d.status == "not_applicable" for d in others.values())
    assert all("no party is of a type" in d.reasons[0].text for d in others.values())
    evaluated = {e.jurisdiction for e in assessment.audit if e.event == "rule_values"}
    assert evaluated == {"US-CA"}  # no HIPAA rule was evaluated


def test_explicit_jurisdiction_outside_reach_is_not_applicable(engine: Engine) -> None:
    """Named explicitly, an unreached ruleset is reported not_applicable with a reason."""
    assessment = engine.assess(load_incident(incident_doc()), jurisdictions=["US-HIPAA"])
    determination = assessment.determination("US-HIPAA")
    assert determination.status == "not_applicable"
    assert determination.reasons


def test_every_decision_cites_a_statute(engine: Engine) -> None:
    """Every reason and every obligation carries a non-empty citation."""
    for path in sorted(EXAMPLES.glob("*.json")):
        assessment = engine.assess(load_incident(path))
        for d in assessment.determinations:
            assert all(r.citation for r in d.reasons), d
        for o in assessment.obligations:
            assert o.basis, o


@pytest.fixture(scope="module")
def assessment_schema() -> dict:
    return json_schema(AssessmentClass, "assessment")


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.name)
def test_examples_validate_against_shipped_schema(
    engine: Engine, path, assessment_schema: dict
) -> None:
    """Every example assesses, and the JSON validates against the assessment schema."""
    document = json.loads(engine.assess(load_incident(path)).to_json())
    jsonschema.validate(document, assessment_schema)
    assert verify_chain(document["audit"]) is None


def test_audit_chain_detects_tampering(engine: Engine) -> None:
    """Changing, removing or reordering an audit event breaks the chain at that event."""
    events = engine.assess(load_incident(incident_doc())).to_dict()["audit"]
    assert len(events) > 3
    changed = json.loads(json.dumps(events))
    changed[2]["detail"]["value"] = "tampered"
    assert verify_chain(changed) == 2
    assert verify_chain(events[:1] + events[2:]) == 1
    assert verify_chain([events[1], events[0], *events[2:]]) == 0


def test_sequential_assessments_leave_no_session(durable_engine: Engine) -> None:
    """10,000 assessments in a row (past durable-rules' 1,024-session limit) all succeed
    with identical results and leave no durable-rules session alive."""
    from breachrules.engine import _durable

    engine = durable_engine
    incident = load_incident(incident_doc())
    expected = engine.assess(incident).to_json()
    for _ in range(10_000):
        result = engine.assess(incident)
    assert result.to_json() == expected
    assert _durable.live_sessions() == 0


@pytest.mark.parametrize("backend", ["python", "durable"])
def test_threads_assess_concurrently(
    backend: str, engine: Engine, request: pytest.FixtureRequest
) -> None:
    """Eight threads assessing at once get correct results, no crash, no session left."""
    if backend == "durable":
        engine = request.getfixturevalue("durable_engine")
    from breachrules.engine import _python

    incidents = [load_incident(p) for p in sorted(EXAMPLES.glob("*.json"))]
    expected = [engine.assess(i).to_json() for i in incidents]
    barrier = threading.Barrier(8)

    def work(n: int) -> list[str]:
        barrier.wait()
        return [engine.assess(incidents[(n + k) % len(incidents)]).to_json() for k in range(200)]

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(work, range(8)))
    for n, got in enumerate(results):
        for k, text in enumerate(got):
            assert text == expected[(n + k) % len(incidents)]
    if backend == "durable":
        from breachrules.engine import _durable

        assert _durable.live_sessions() == 0
    else:
        assert _python is engine._backend


def test_second_engine_reuses_registered_rules(durable_engine: Engine) -> None:
    """Building many engines does not re-register identical rules in the C engine."""
    from breachrules.engine import _durable

    before = len(_durable._REGISTERED)
    assert before > 0
    Engine(backend="durable")
    Engine(backend="durable")
    assert len(_durable._REGISTERED) == before


# --- three-valued reasoning ------------------------------------------------------------------

maybe_bool = st.sampled_from([True, False, None])


@st.composite
def partial_incidents(draw: st.DrawFn) -> dict:
    """Incidents over the facts the bundled rulesets read, with any fact possibly unknown."""
    exposure = {
        "elements": draw(
            st.lists(
                st.sampled_from(["name", "ssn", "medical", "credentials", "passport", "email"]),
                min_size=1,
                unique=True,
            )
        ),
        "residents": draw(
            st.dictionaries(
                st.sampled_from(["US-CA", "US-TX", "DE", "FR"]), st.integers(1, 2000), min_size=1
            )
        ),
        "encrypted": draw(maybe_bool),
        "acquired": draw(maybe_bool),
        "accessed": draw(maybe_bool),
    }
    if exposure["encrypted"] is not False:
        exposure["key_compromised"] = draw(maybe_bool)
    types = draw(st.sampled_from([[], ["hipaa_covered_entity"]]))
    return incident_doc(
        discovered_at=draw(
            st.sampled_from(["2019-06-01T09:00:00+00:00", "2026-03-02T14:30:00-05:00"])
        ),
        parties=[
            {
                "id": "acme",
                "data_role": "owner",
                "types": types,
                "established_in": ["US-CA"],
                "offers_to": draw(st.sampled_from([None, ["EU"], ["US"]])),
            }
        ],
        exposures=[exposure],
        good_faith_insider=draw(maybe_bool),
        risk={
            "harm_likely": draw(maybe_bool),
            "gdpr_risk": draw(st.sampled_from([None, "none", "risk", "high"])),
            "hipaa_low_probability_of_compromise": draw(maybe_bool),
        },
    )


def _resolutions(doc: dict, value: bool) -> dict:
    """``doc`` with every unknown boolean fact set to ``value`` (where consistent)."""
    out = json.loads(json.dumps(doc))
    for key in ("good_faith_insider",):
        if out.get(key) is None:
            out[key] = value
    for key in ("harm_likely", "hipaa_low_probability_of_compromise"):
        if out["risk"].get(key) is None:
            out["risk"][key] = value
    if out["risk"].get("gdpr_risk") is None:
        out["risk"]["gdpr_risk"] = "high" if value else "none"
    for e in out["exposures"]:
        for key in ("acquired", "accessed"):
            if e.get(key) is None:
                e[key] = value
        if e.get("encrypted") is None:
            # a compromised key implies the data was encrypted
            e["encrypted"] = value or e.get("key_compromised") is True
        if e.get("encrypted") and e.get("key_compromised") is None:
            e["key_compromised"] = value
    for p in out["parties"]:
        if p.get("offers_to") is None:
            p["offers_to"] = ["EU"] if value else []
    return out


def _statuses(a: Assessment) -> dict[str, str]:
    """Each decided status; a presumed breach (and what follows from it) is not decided:
    learning the facts that rebut the presumption may turn it (45 CFR 164.402(2))."""
    presumed = {d.jurisdiction for d in a.determinations if d.presumed_unless}
    return {
        d.jurisdiction: d.status for d in a.determinations if d.jurisdiction not in presumed
    } | {o.id: o.status for o in a.obligations if o.jurisdiction not in presumed}


@settings(max_examples=150, deadline=None)
@given(partial_incidents(), st.booleans())
def test_learning_facts_never_reverses_a_definite_result(
    engine: Engine, doc: dict, value: bool
) -> None:
    """Kleene monotonicity: establishing unknown facts never changes a decided status
    (breach / not_breach, required / not_required); only undetermined or conditional
    results may change. An unknown fact is therefore never silently read as false."""
    before = _statuses(engine.assess(load_incident(doc)))
    after = _statuses(engine.assess(load_incident(_resolutions(doc, value))))
    for key, status in before.items():
        if status in ("breach", "required", "not_applicable"):
            assert after.get(key) == status, (key, status, after.get(key))
        if status in ("not_breach", "not_required"):
            # may become not applicable (or vanish) when the law turns out not to reach
            # the incident at all
            assert after.get(key) in (status, "not_applicable", None), (key, status, after.get(key))


@settings(max_examples=150, deadline=None)
@given(partial_incidents())
def test_undetermined_names_missing_facts(engine: Engine, doc: dict) -> None:
    """Every undetermined determination and conditional obligation names its missing facts."""
    a = engine.assess(load_incident(doc))
    for d in a.determinations:
        assert (d.status == "undetermined") == bool(d.missing_facts), d
    for o in a.obligations:
        if o.status == "conditional":
            assert o.missing_facts, o


@settings(max_examples=100, deadline=None)
@given(partial_incidents())
def test_durable_backend_agrees_with_reference_semantics(durable_engine: Engine, doc: dict) -> None:
    """For every compiled rule, durable-rules fires its true/false rule exactly when the
    pure-Python Kleene evaluator says the condition is true/false (differential test)."""
    from breachrules.engine import _durable
    from breachrules.engine.compiled import EXPOSURE
    from breachrules.engine.facts import Facts
    from breachrules.engine.reach import area_index
    from breachrules.engine.results import Case

    incident = load_incident(doc)
    facts = Facts(Case.of(incident, incident.discovered_at, area_index(incident)))
    for ruleset in durable_engine.rulesets:
        law = ruleset.law_on(incident.discovered_at.date())
        if law is None:
            continue
        compiled = durable_engine._compiled[law.key]
        from breachrules.engine.reach import reach

        reached = reach(ruleset, incident)
        if not any(reached.residents):
            continue
        fact = facts.exposure(0, reached, compiled)
        with _durable.evaluate(compiled.engine_name) as session:
            fired = session.assert_facts(EXPOSURE, [fact])
        got = {index: positive for index, positive, _ in fired}
        for rule in [law.personal_information, law.breach, *law.breach.exceptions]:
            index = compiled.index[rule.id]
            assert got.get(index) == evaluate(rule.when, fact), rule.id


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_canonical_json_is_rfc8785(value: object) -> None:
    """The fast canonical form used for audit hashes equals the rfc8785 package's."""
    import rfc8785

    from breachrules.engine.audit import canonical

    try:
        expected = rfc8785.dumps(value)
    except Exception:  # lone surrogates: rfc8785 refuses them; nothing to compare
        return
    assert canonical(value) == expected


@settings(max_examples=300, deadline=None)
@given(
    st.text(min_size=1),
    st.none() | st.text(),
    st.none() | st.text(),
    st.dictionaries(st.text(max_size=8), json_values, max_size=4),
)
def test_chain_template_hashes_as_rfc8785(
    event: str, rule: str | None, jurisdiction: str | None, detail: dict
) -> None:
    """Audit events are hashed from a template; the hash equals that of the RFC 8785 form
    of the whole event, for any text in any field (quotes, controls, non-ASCII)."""
    import rfc8785

    from breachrules.engine.audit import GENESIS, Chain

    link = Chain("2026-03-02T09:00:00+00:00")
    try:
        link.add(event, rule, jurisdiction, detail)
    except Exception:  # lone surrogates: rfc8785 refuses them, so does the chain
        return
    (e,) = link.close()
    body = {
        "seq": 1,
        "event": event,
        "at": e.at,
        "rule": rule,
        "jurisdiction": jurisdiction,
        "detail": detail,
        "prev_hash": GENESIS,
    }
    assert e.hash == hashlib.sha256(rfc8785.dumps(body)).hexdigest()


# --- parties, contracts, liability -----------------------------------------------------------


def _processor_doc(**overrides: object) -> dict:
    doc = incident_doc(
        parties=[
            {"id": "shop", "data_role": "owner", "established_in": ["US-CA"]},
            {"id": "saas", "data_role": "service_provider", "serves": "shop"},
            {"id": "other", "data_role": "service_provider", "serves": "shop"},
        ],
        breached_party="saas",
        contracts=[
            {
                "id": "dpa-1",
                "owner": "shop",
                "provider": "saas",
                "notify_owner_within_hours": 48,
                "individual_notice_by": "owner",
                "costs_borne_by": "provider",
            }
        ],
    )
    doc.update(overrides)
    return doc


def test_liability_follows_the_contract(engine: Engine) -> None:
    """The contract shifts costs to the breached provider; the owner still notifies;
    a party without a contract falls back to the statute (the owner notifies and pays)."""
    liability = {
        entry.party: entry for entry in engine.assess(load_incident(_processor_doc())).liability
    }
    assert (liability["shop"].bears_costs, liability["shop"].notifies_individuals) == (False, True)
    assert (liability["saas"].bears_costs, liability["saas"].notifies_individuals) == (True, False)
    assert liability["saas"].basis == "contract dpa-1"
    assert (liability["other"].bears_costs, liability["other"].notifies_individuals) == (
        False,
        False,
    )
    assert liability["other"].basis.startswith("statute")


def test_liability_without_contract_is_statutory(engine: Engine) -> None:
    """Without a contract the owner notifies and pays; the provider does neither."""
    liability = {
        e.party: e for e in engine.assess(load_incident(_processor_doc(contracts=[]))).liability
    }
    assert liability["shop"].bears_costs and liability["shop"].notifies_individuals
    assert not liability["saas"].bears_costs and not liability["saas"].notifies_individuals


def test_contract_shortens_notice_to_owner(engine: Engine) -> None:
    """The contract's 48 hours stand beside the statute's "immediately" duty."""
    assessment = engine.assess(load_incident(_processor_doc()))
    contractual = assessment.obligation("contract:dpa-1:notify-owner")
    assert contractual.status == "required"
    assert contractual.party == "saas"
    assert contractual.due is not None
    assert contractual.due.isoformat() == "2026-03-04T14:30:00-05:00"
    assert assessment.obligation("US-CA:notify-owner").status == "required"


def test_contract_duty_conditional_names_missing_facts(engine: Engine) -> None:
    """While the breach is undetermined, the contractual duty is conditional on the
    same missing facts."""
    doc = _processor_doc()
    doc["exposures"][0]["acquired"] = None
    contractual = engine.assess(load_incident(doc)).obligation("contract:dpa-1:notify-owner")
    assert contractual.status == "conditional"
    assert contractual.missing_facts == ("exposures[0].acquired",)


def test_no_contract_duty_without_breach(engine: Engine) -> None:
    """No breach under any law reached: no contractual notice is listed."""
    doc = _processor_doc()
    doc["exposures"][0]["acquired"] = False
    ids = [o.id for o in engine.assess(load_incident(doc)).obligations]
    assert "contract:dpa-1:notify-owner" not in ids


def test_unknown_party_type_is_kept_and_reported(engine: Engine) -> None:
    """A party type no ruleset uses is kept on the incident and reported as a warning."""
    doc = incident_doc()
    doc["parties"][0]["types"] = ["hipaa_covered_entity", "state_charter_bank"]
    incident = load_incident(doc)
    assert incident.parties[0].types == ("hipaa_covered_entity", "state_charter_bank")
    warnings = engine.assess(incident).warnings
    assert len(warnings) == 1
    assert "state_charter_bank" in warnings[0]
