"""The benchmark's machinery, and the engine properties its figures depend on.

Speed itself is never asserted here (see ``python -m breachrules.bench``); what is tested is
that the floor measures what it says, and that an assessment leaves nothing behind.
"""

from __future__ import annotations

import gc

import pytest

from breachrules import Engine, load_incident
from breachrules.scale.bench import everything_incident, floor_batches, interleaved

from .conftest import EXAMPLES

durable = pytest.importorskip("breachrules.engine._durable")


@pytest.fixture(scope="module")
def durable_engine() -> Engine:
    return Engine(backend="durable")


def test_an_assessment_leaves_no_cyclic_garbage(durable_engine: Engine) -> None:
    """durable-rules' own actions leave every firing's objects in a reference cycle; ours
    must not (``_durable._Action``), or each assessment feeds the garbage collector
    thousands of objects and every collection rescans all the host keeps alive."""
    incident = everything_incident(durable_engine)
    durable_engine.assess(incident)
    enabled = gc.isenabled()
    gc.disable()
    try:
        gc.collect()
        durable_engine.assess(incident)
        assert gc.collect() == 0
    finally:
        if enabled:
            gc.enable()


def test_an_action_that_fails_is_an_engine_error(
    durable_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An exception inside a rule action is reported, never read as "the rule did not fire"."""
    from breachrules.errors import EngineError

    def broken(self: object, c: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(durable._Action, "_fire", broken)
    incident = load_incident(EXAMPLES / "lost-laptop-key-compromised.json")
    with pytest.raises(EngineError, match="boom"):
        durable_engine.assess(incident)
    assert durable.live_sessions() == 0


def test_the_floor_asserts_what_an_assessment_asserts(durable_engine: Engine) -> None:
    """One session per ruleset the assessment evaluates, each deleted afterwards."""
    incident = everything_incident(durable_engine)
    assessment = durable_engine.assess(incident)
    batches = floor_batches(durable_engine, incident)
    evaluated = [d for d in assessment.determinations if d.status != "not_applicable"]
    assert len(batches) == len(evaluated) > 80
    for handle, facts in batches:
        assert facts and all("k" in f and "i" in f for f in facts)  # already encoded
        durable.raw_cycle(handle, facts)
    assert durable.live_sessions() == 0


def test_interleaved_takes_turns() -> None:
    calls: list[str] = []
    samples = interleaved({"a": lambda: calls.append("a"), "b": lambda: calls.append("b")}, 2, 3)
    assert calls == ["a"] * 3 + ["b"] * 3 + ["a"] * 3 + ["b"] * 3
    assert {k: len(v) for k, v in samples.items()} == {"a": 2, "b": 2}


def test_durable_keeps_no_python_copy_of_definitions(durable_engine: Engine) -> None:
    """Compiled rulesets live in the C engine; the Python copy durable-rules keeps of each
    definition would only give every full garbage collection more to scan."""
    host = durable._host()
    assert host._ruleset_directory
    assert all(r._definition is None for r in host._ruleset_directory.values())


def test_against_floor_reports_a_ratio_per_incident(durable_engine: Engine) -> None:
    from breachrules.scale.bench import against_floor

    incident = load_incident(EXAMPLES / "lost-laptop-key-compromised.json")
    assessment_s, floor_s, ratio, rulesets = against_floor(incident, durable_engine, 2, 2)
    assert assessment_s > 0 and floor_s > 0 and ratio > 0
    determinations = durable_engine.assess(incident).determinations
    assert rulesets == sum(d.status != "not_applicable" for d in determinations) == 1
    assert durable.live_sessions() == 0
