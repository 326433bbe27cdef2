"""The hot path's shortcuts give exactly what the long way gives (issue 24, target 2).

``Assessment.to_dict()`` is written field by field (``io/assessment_doc.py``), the pure-Python
backend evaluates each distinct fact once, and the audit stage hashes engine events without
re-checking their shape: each is compared here with the reference it replaces. Speed is
never asserted (``python -m breachrules.bench`` measures it).
"""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from breachrules import Engine, Incident, load_incident
from breachrules import strategies as brst
from breachrules.engine import _python
from breachrules.engine.audit import canonical
from breachrules.io.assessment_doc import assessment_document
from breachrules.io.serde import unstructure_assessment
from breachrules.law.conditions import FIELDS, Compare, Has, evaluate
from breachrules.law.loader import bundled_paths, load_rulesets
from breachrules.scale.bench import everything_incident

from .conftest import EXAMPLES

incidents = brst.incidents(max_count=3000)


def _same_document(engine: Engine, incident: Incident) -> None:
    a = engine.assess(incident)
    fast, reference = assessment_document(a), unstructure_assessment(a)
    # Equal, in the same key order, and a copy the caller may change.
    assert json.dumps(fast) == json.dumps(reference)
    for event in fast["audit"]:
        event["detail"]["tampered"] = True
    for r in fast["determinations"]:
        for reason in r["reasons"]:
            reason["facts"].clear()
    for o in fast["obligations"]:  # a deadline's document is a copy of one kept per deadline
        o["deadline"]["text"] = "tampered"
    assert json.dumps(assessment_document(a)) == json.dumps(reference)


def test_to_dict_is_the_converters_document_for_every_example(engine: Engine) -> None:
    for path in sorted(EXAMPLES.rglob("*.json")):
        _same_document(engine, load_incident(path))
    _same_document(engine, everything_incident(engine))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(incidents)
def test_to_dict_is_the_converters_document(engine: Engine, incident: Incident) -> None:
    _same_document(engine, incident)


def test_engine_events_hash_as_their_canonical_form(engine: Engine) -> None:
    """The audit stage skips the shape check for the engine's own events: each event's
    hash must still be the SHA-256 of RFC 8785 of the event (the documented algorithm)."""
    import hashlib

    for incident in [
        everything_incident(engine),
        load_incident(EXAMPLES / "multistate-ransomware.json"),
    ]:
        for event in engine.assess(incident).to_dict()["audit"]:
            body = {k: v for k, v in event.items() if k != "hash"}
            assert hashlib.sha256(canonical(body)).hexdigest() == event["hash"]


def test_the_python_backend_evaluates_each_distinct_fact_once(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Facts that agree on every key the rules read share one evaluation; facts that
    differ only in keys no rule reads are the same fact."""
    calls: list[object] = []
    real = _python.compile_test

    def counting(node):  # type: ignore[no-untyped-def]
        test = real(node)

        def counted(fact):  # type: ignore[no-untyped-def]
            calls.append(fact)
            return test(fact)

        return counted

    monkeypatch.setattr(_python, "compile_test", counting)
    rules = _python.compile_rules(
        [(Compare("residents", "gt", 500), "i"), (Has("elements", "ssn"), "e")]
    )
    assert rules.keys == {"i": ("residents",), "e": ("elements:ssn",)}
    with _python.evaluate(rules) as session:
        facts = [
            {"elements:ssn": True, "residents": 1},
            {"elements:ssn": True, "residents": 9, "paper": True},
            {"elements:ssn": False},
        ]
        assert session.assert_facts("e", facts) == [(1, True, 0), (1, True, 1), (1, False, 2)]
    assert len(calls) == 2


def _values_for(key: str) -> list[Any]:
    field = key.split(":", 1)[0]
    kind, words, _ = FIELDS.get(field, ("bool", (), ""))
    if ":" in key or kind == "bool":
        return [None, True, False]
    if kind == "int":
        return [None, 0, 1, 250, 499, 500, 501, 999, 1000, 1001, 5000, 100_000]
    return [None, *words]


RULES = [
    rule.when
    for r in load_rulesets(bundled_paths())
    for law in r.laws
    for rule in (
        law.personal_information,
        law.breach,
        *law.breach.exceptions,
        *(x for ob in law.obligations for x in (ob.rule, *ob.rule.exceptions)),
    )
]


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_compiled_conditions_are_the_reference_semantics(data: st.DataObject) -> None:
    """Every bundled rule, compiled, gives ``conditions.evaluate``'s value (unknown
    facts absent, thresholds crossed both ways)."""
    node = data.draw(st.sampled_from(RULES))
    facts: dict[str, Any] = {}
    for key in _python._keys(node):
        value = data.draw(st.sampled_from(_values_for(key)), label=key)
        if value is not None:
            facts[key] = value
    assert _python.compile_test(node)(facts) == evaluate(node, facts)


def _random_incident(rng: random.Random, n: int) -> dict[str, object]:
    """Many exposures, none certainly breached (no finding on the risk of harm), head
    counts on either side of the thresholds the laws compare them with."""
    # "US": people in some State, which one not known (HIPAA's per-State media count).
    places = ["US-CA", "US-TX", "US-NY", "US-FL", "US-MA", "US-NJ", "US-WA", "DE", "US"]
    counts = [1, 2, 9, 10, 11, 249, 250, 251, 499, 500, 501, 999, 1000, 1001, 5000, 10001]
    return {
        "schema_version": "1",
        "id": f"KINDS-{n}",
        "discovered_at": "2026-03-02T09:00:00+00:00",
        "parties": [
            {
                "id": "org",
                "data_role": "owner",
                "established_in": ["US-TX"],
                "types": rng.choice([[], ["hipaa_covered_entity"]]),
            }
        ],
        "exposures": [
            {
                "elements": rng.choice([["name", "ssn"], ["name", "medical"], ["unknown"]]),
                "residents": {p: rng.choice(counts) for p in rng.sample(places, 3)},
                "encrypted": rng.choice([None, False, False, True]),
                "acquired": rng.choice([None, None, None, True]),
            }
            for _ in range(n)
        ],
        "good_faith_insider": rng.choice([None, False]),
    }


def test_one_world_of_each_kind_decides_as_every_world(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With nothing certainly breached, each uncertain exposure was a world of its own; one
    world per kind of exposure (its facts, and where each head count lies among the
    constants the law compares it with) gives byte-identical assessments."""
    from breachrules.engine import evaluate as stage

    real = stage._one_of_each_kind
    merged = 0

    def every_world(worlds: Any, facts: Any, reached: Any, c: Any, outside: int = 0) -> Any:
        least = min(
            facts.kind_of_world(w[0], reached, c.count_cuts, c.whole_countries, outside)[1]
            for w in worlds[:-1]
        )
        return worlds, least

    def one_of_each(worlds: Any, *rest: Any) -> Any:
        nonlocal merged
        kept, least = real(worlds, *rest)
        merged += len(worlds) - len(kept)
        return kept, least

    rng = random.Random(24)
    for n in (2, 3, 5, 8, 13, 21, 40, 60):
        for _ in range(4):
            incident = load_incident(_random_incident(rng, n))
            monkeypatch.setattr(stage, "_one_of_each_kind", one_of_each)
            kinds = engine.assess(incident).to_json()
            monkeypatch.setattr(stage, "_one_of_each_kind", every_world)
            assert kinds == engine.assess(incident).to_json()
    assert merged > 100  # worlds were merged, not only compared


def test_a_law_that_does_not_apply_is_decided_once_per_engine(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A law that does not apply for the same reason gives every incident the same
    determination: made once per engine and shared (immutable), not once per assessment;
    its audit event is still each assessment's own link of its chain."""
    from breachrules.engine import laws

    small = engine.assess(load_incident(EXAMPLES / "hipaa-small-breach.json"))
    large = engine.assess(load_incident(EXAMPLES / "hipaa-large-breach-ba.json"))
    assert small.determination("US-GLBA").status == "not_applicable"
    assert small.determination("US-GLBA") is large.determination("US-GLBA")

    def event(a: Any) -> Any:
        return next(e for e in a.audit if e.jurisdiction == "US-GLBA")

    assert event(small).detail == event(large).detail
    assert event(small).detail is not event(large).detail
    assert event(small).hash != event(large).hash
    # The same as a fresh engine decides it, and the number of reasons kept is bounded.
    fresh = Engine()
    monkeypatch.setattr(laws, "_KEPT", 2)
    again = fresh.assess(load_incident(EXAMPLES / "hipaa-large-breach-ba.json"))
    assert again.to_json() == large.to_json()
    assert len(fresh._compiled._not_applicable) <= 2


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text()), st.lists(st.integers(min_value=-1)), st.text())
def test_the_audits_hand_written_details_are_the_encoders(
    words: list[str], indexes: list[int], event: str
) -> None:
    """The audit writes the engine's details by hand, in their known shapes: each piece
    must be exactly what the detail encoder writes (quotes, escapes, non-ASCII text)."""
    from breachrules.engine.canonical import (
        QUOTED,
        WHERE,
        encode_detail,
        field_names,
        ints,
        quote,
        rule_values_text,
        strings,
        where_text,
    )

    assert strings(words) == encode_detail(words)
    assert strings([]) == strings(()) == encode_detail([])
    assert QUOTED[event] == QUOTED[event] == encode_detail(event)
    # Written once per process, then kept: the same text the second time.
    assert field_names(words) == field_names(tuple(words)) == encode_detail(words)
    for jurisdiction in (event, None):
        text = where_text("obligation", jurisdiction)
        assert WHERE["obligation", jurisdiction] == text
        body = {"event": "obligation", "jurisdiction": jurisdiction, "prev_hash": ""}
        assert text == encode_detail(body)[:-2].replace("{", ",", 1)
    assert ints(indexes) == encode_detail(indexes)
    values = {"true": indexes, "false": [0], "unknown": [1, 2]}
    for shown in (values, {"unknown": indexes}):
        for facts in ({}, {w: [w, 1, None, True] for w in words}):
            detail = {
                "values": shown,
                "exposure_facts": words,
                "facts": facts,
                "facts_event": event,
            }
            assert rule_values_text(detail, quote(event)) == encode_detail(detail)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(incidents)
def test_every_event_of_generated_incidents_hashes_as_its_canonical_form(
    engine: Engine, incident: Incident
) -> None:
    """Each engine event's hash is the SHA-256 of RFC 8785 of the event, whatever the
    incident names (party ids and places appear in reasons of the audit)."""
    import hashlib

    for event in engine.assess(incident).to_dict()["audit"]:
        body = {k: v for k, v in event.items() if k != "hash"}
        assert hashlib.sha256(canonical(body)).hexdigest() == event["hash"]


def test_the_python_backends_session_is_a_context_manager() -> None:
    """``_python.evaluate`` returns the session itself, used in a ``with`` statement as
    the durable backend's is (no generator per law of every assessment)."""
    rules = _python.compile_rules([(Compare("residents", "gt", 500), "i")])
    session = _python.evaluate(rules)
    assert isinstance(session, _python.Session)
    with session as inside:
        assert inside is session
        assert inside.assert_facts("i", [{"residents": 501}]) == [(0, True, 0)]


@pytest.mark.parametrize(
    "name",
    [
        "decisions.Reason",
        "decisions.Determination",
        "decisions.Obligation",
        "decisions.AuditEvent",
        "decisions.Assessment",
        "results.Breach",
        "results.Evaluated",
        "results.Decided",
    ],
)
def test_the_positional_constructors_make_the_classes_own_objects(name: str) -> None:
    """``engine.build.positional`` sets each slot directly: the object must be the one the
    class's own ``__init__`` makes (equal, same type, frozen), for every class the engine
    builds that way, with every field given."""
    import attrs

    from breachrules.engine import results
    from breachrules.engine.build import positional
    from breachrules.model import decisions

    module, _, attr = name.partition(".")
    cls = getattr({"decisions": decisions, "results": results}[module], attr)
    make = positional(cls)
    assert make is not cls  # no validator or converter: the fast constructor applies
    values = [f"{f.name}-value" for f in attrs.fields(cls)]
    made, reference = make(*values), cls(*values)
    assert type(made) is cls and made == reference and repr(made) == repr(reference)
    assert attrs.asdict(made) == attrs.asdict(reference)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        made.status = "changed"  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        make(*values[:-1])  # every field must be given


def test_a_class_with_a_validator_keeps_its_own_constructor() -> None:
    import attrs

    from breachrules.engine.build import positional

    @attrs.frozen
    class Checked:
        n: int = attrs.field(validator=attrs.validators.instance_of(int))

    @attrs.frozen
    class Converted:
        n: int = attrs.field(converter=int)

    @attrs.define
    class Plain:
        n: int

    assert positional(Checked) is Checked and positional(Converted) is Converted
    assert positional(Plain) is not Plain and positional(Plain)(3) == Plain(3)


def test_a_case_counts_each_period_once_as_the_calendar_would(engine: Engine) -> None:
    """``Case.due_at`` keeps what it counted for an assessment: the same due date as
    ``calendars.due_at`` for every duty's period of every bundled law, from moments that
    are equal but written with other offsets too (which a due date can tell apart), and
    counted once for each period and start."""
    from datetime import UTC, timedelta, timezone

    from breachrules.engine.reach import area_index
    from breachrules.engine.results import Case
    from breachrules.law.calendars import due_at

    incident = load_incident(EXAMPLES / "hipaa-large-breach-ba.json")
    start = incident.discovered_at
    starts = [
        start,
        start.astimezone(UTC),
        start.astimezone(timezone(timedelta(hours=9))),
        start + timedelta(days=3, hours=7),
    ]
    case = Case.of(incident, start, area_index(incident))
    calls = 0
    for ruleset in engine.rulesets:
        for ob in ruleset.laws[-1].obligations:
            periods = [ob.deadline, ob.deadline.cap, ob.deadline.not_before]
            for d in [p for p in periods if p is not None]:
                for moment in starts:
                    expected = due_at(d, moment, case.tz, ruleset.holidays, ruleset.time_zone)
                    for _ in range(2):
                        calls += 1
                        got = case.due_at(ruleset, d, moment)
                        assert got == expected, (ruleset.code, ob.rule.id, moment)
                        assert got is None or got.utcoffset() == expected.utcoffset()
    assert 0 < len(case.counted) < calls / 2
