"""Sweeps by classes of counts give exactly what assessing every scenario gives (issue 24,
target 3): random incidents, a random count path and flag paths, a random sample of the
grid. No Dask here: ``evaluate_scenarios`` is what each Dask partition runs."""

from __future__ import annotations

import copy
import itertools
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from breachrules import Engine, Incident
from breachrules import strategies as brst
from breachrules.errors import InvalidIncident
from breachrules.io.serde import load_incident
from breachrules.model.paths import set_path
from breachrules.scale.sweep import SweepPoint, _breakpoints, evaluate_scenarios

from .conftest import incident_doc

PLACES = ["US-CA", "US-TX", "US-NY", "US-FL", "DE", "FR", "CA-QC", "US-MA"]
FLAGS = [
    "exposures[0].encrypted",
    "exposures[0].acquired",
    "good_faith_insider",
    "risk.harm_likely",
]


def _one_by_one(
    engine: Engine, base: dict[str, Any], vary: dict[str, list[Any]], sample: list[int]
) -> list[SweepPoint]:
    """The reference: each sampled scenario built, loaded and assessed on its own."""
    grid = list(itertools.product(*vary.values()))
    out = []
    for k in sample:
        doc = copy.deepcopy(base)
        for path, value in zip(vary, grid[k], strict=True):
            set_path(doc, path, value)
        a = engine.assess(load_incident(doc))
        out.append(
            SweepPoint(
                grid[k],
                {d.jurisdiction: d.status for d in a.determinations},
                {o.id: o.status for o in a.obligations},
                tuple(vary),
            )
        )
    return out


@st.composite
def sweeps(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    incident: Incident = draw(brst.incidents(max_count=3000, max_exposures=3))
    base = incident.to_dict()
    i = draw(st.integers(0, len(base["exposures"]) - 1))
    place = draw(st.sampled_from(PLACES))
    # Around the thresholds the bundled laws use (500, 1,000, 5,000...), and zero.
    counts = draw(
        st.lists(
            st.one_of(st.integers(0, 12), st.integers(0, 6000), st.integers(0, 300_000)),
            min_size=1,
            max_size=40,
            unique=True,
        )
    )
    vary: dict[str, list[Any]] = {f"exposures[{i}].residents.{place}": counts}
    for flag in draw(st.lists(st.sampled_from(FLAGS), max_size=2, unique=True)):
        vary[flag] = [True, False, None] if "harm" in flag else [True, False]
    return base, vary


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sweeps(), st.randoms(use_true_random=False))
def test_classes_give_what_every_scenario_gives(
    engine: Engine, drawn: tuple[dict[str, Any], dict[str, list[Any]]], rng: Any
) -> None:
    base, vary = drawn
    total = 1
    for values in vary.values():
        total *= len(values)
    sample = sorted(rng.sample(range(total), min(total, 12)))
    try:
        expected = _one_by_one(engine, base, vary, sample)
    except InvalidIncident:  # a drawn combination no incident can hold (a key lost
        assume(False)  # for data that was not encrypted)
    assert evaluate_scenarios(engine, base, vary, sample) == expected


def test_a_million_counts_cost_a_few_assessments(engine: Engine, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """California's attorney-general copy switches on above 500 (Cal. Civ. Code
    § 1798.82(f)): a sweep of a million counts assesses a handful of them."""
    from breachrules.scale import sweep as module

    calls: list[tuple[Any, ...]] = []
    real = module._assess

    def counting(*args: Any) -> Any:
        calls.append(args[3])
        return real(*args)

    monkeypatch.setattr(module, "_assess", counting)
    vary: dict[str, list[Any]] = {
        "exposures[0].residents.US-CA": list(range(1_000_000)),
        "good_faith_insider": [False, True],
    }
    indices = [0, 1, 2, 3, 1000, 1001, 1002, 1003, 1_999_998, 1_999_999]
    points = evaluate_scenarios(engine, incident_doc(), vary, indices, ["US-CA"])
    ag = [p.obligations.get("US-CA:notify-attorney-general") for p in points]
    # 0 people: not applicable; 1 and 500: not required; 501 and 999,999: required; a
    # good-faith insider's acquisition is no breach at all.
    assert ag == [None, None, "not_required", None, "not_required", None] + ["required", None] * 2
    assert len(calls) <= len(indices)
    calls.clear()
    sample = range(0, 2_000_000, 997)
    everything = evaluate_scenarios(engine, incident_doc(), vary, sample, ["US-CA"])
    assert len(everything) == len(sample) and len(calls) < 20
    for k in (0, 1, 500, 1003, len(sample) - 1):
        values = everything[k].values
        reference = real(engine, incident_doc(), list(vary), values, ["US-CA"])
        assert (everything[k].determinations, everything[k].obligations) == reference


def test_counts_that_join_other_exposures_are_classed_by_their_sums(engine: Engine) -> None:
    """Two exposures in the same world: the count crosses 500 together with the other's."""
    doc = incident_doc()
    second = copy.deepcopy(doc["exposures"][0])
    second["residents"] = {"US-CA": 300}
    doc["exposures"].append(second)
    set_path(doc, "exposures[0].residents.US-CA", 0)
    points = _breakpoints(engine, doc, 0, "US-CA")
    assert points is not None and 201 in points and 501 in points


def test_a_range_of_counts_is_judged_by_its_ends_as_a_list_is_item_by_item() -> None:
    from breachrules.io.documents import LIMITS
    from breachrules.scale.sweep import _counts

    top = LIMITS["count"]
    for values in [
        range(0),
        range(10),
        range(-1, 5),
        range(top - 2, top + 2),
        range(top, -1, -(top // 5)),
        range(5, 0, -1),
    ]:
        assert _counts(values) == _counts(list(values)), values


def test_a_partition_crosses_to_the_client_as_one_byte_string() -> None:
    """What a Dask task returns: its points pickled at once (Dask would serialise a list
    item by item, some 45 µs an item on each side)."""
    import pickle

    from breachrules.scale.sweep import _run_partition

    base = incident_doc()
    vary = {"exposures[0].residents.US-CA": range(0, 1000, 7), "risk.harm_likely": [True, False]}
    config = ((), True, "python")
    part = _run_partition(range(40, 90), base, vary, ["US-CA"], config)
    assert isinstance(part, bytes)
    engine = Engine(backend="python")
    assert pickle.loads(part) == evaluate_scenarios(engine, base, vary, range(40, 90), ["US-CA"])


def test_local_sweep_assesses_by_classes_too(engine: Engine, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """``local_sweep`` takes the path ``sweep`` takes: 100,001 counts in Washington (the
    user test: 168.7 s one by one) cost a few assessments and give every scenario's
    statuses."""
    from breachrules.notebook import local_sweep

    calls: list[Any] = []
    real = Engine.assess

    def counting(self: Engine, *args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Engine, "assess", counting)
    path = "exposures[0].residents.US-WA"
    points = local_sweep(engine, incident_doc(), {path: range(0, 100_001)})
    assert len(points) == 100_001 and len(calls) < 50
    assert [p.values for p in points[:3]] == [(0,), (1,), (2,)]
    assert points[-1].paths == (path,)
    for k in (0, 1, 500, 501, 100_000):
        doc = incident_doc()
        set_path(doc, path, k)
        a = real(engine, load_incident(doc))
        assert points[k].obligations == {o.id: o.status for o in a.obligations}
