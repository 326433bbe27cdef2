"""The benchmark: every target of the speed issue, measured side by side in one run.

Run ``python -m breachrules.bench`` (``--quick`` for a short run). It prints the machine,
then one line per figure: what was measured, the target, and the ratio of the two (at or
below 1.00 meets the target). One function per target, each returning its figures:

1. :func:`first_decision`: wall time of a new ``breachrules assess`` process on a bundled
   example (the compiled-law cache warm, as every call but the first finds it), the same
   against ``breachrules schema incident`` run in the same rounds, and ``import
   breachrules``; the first call with an empty cache is shown beside them;
2. :func:`hot_path`: the every-ruleset incident with ``to_dict()`` on the default backend
   against the durable-rules backend (and the share of its time the garbage collector
   takes, measured with it paused), a typical incident, and the durable backend against
   the bare durable-rules floor (assert, read and delete one session per ruleset
   evaluated, its facts encoded beforehand: encoding them is breachrules' work);
3. :func:`sweeps`: a what-if sweep's throughput, projected to 10⁶ scenarios
   (``--sweep N``);
4. :func:`growth`: an incident of 1,000 exposures each reaching 5 of 10 states (time and
   JSON size), and a chain of service providers at two lengths (linear growth);
5. :func:`memory`: resident memory before and after many assessments, Python's own
   allocations (``tracemalloc``) over a shorter run, and the command line's peak RSS.

``--details`` adds the per-example table of both backends against the floor, and
``assess_many`` on one and two processes. Nothing here is a pass/fail test: speed is
measured, never asserted (the tests check that the bench measures what it says).

It is one job, the report of every target, and so one module past the usual length: one
function per target, and per second look at a target (:func:`ruleset_growth`,
:func:`sweep_classes`, :func:`hot_path_examples`, :func:`growth_parts`), each read beside
the figures it explains; how each figure is taken is in :mod:`breachrules.scale.measure`.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import importlib.util
import os
import platform
import statistics
import time
import tracemalloc
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any, NamedTuple

from breachrules.engine import Engine
from breachrules.io.serde import load_incident
from breachrules.model.facts import Incident
from breachrules.scale.batch import assess_many
from breachrules.scale.measure import (
    EXAMPLES,
    Run,
    against_floor,
    cli_runs,
    everything_incident,
    floor_batches,
    growth_runs,
    interleaved,
    many_exposures,
    provider_chain,
    rss_mb,
)

__all__ = [
    "Figure",
    "everything_incident",
    "first_decision",
    "floor_batches",
    "growth",
    "growth_parts",
    "hot_path",
    "hot_path_examples",
    "interleaved",
    "main",
    "memory",
    "ruleset_growth",
    "sweep_classes",
    "sweeps",
    "typical_examples",
]


class Figure(NamedTuple):
    """One line of the report: ``measured`` against ``target`` in ``unit``.

    ``ratio`` is measured / target (at or below 1.0 meets it); None for a figure shown
    without a target (the first call with an empty cache, the CLI's peak RSS).
    """

    label: str
    measured: float
    target: float | None
    unit: str
    ratio: float | None

    @classmethod
    def of(cls, label: str, measured: float, target: float | None, unit: str) -> Figure:
        ratio = measured / target if target else None
        return cls(label, measured, target, unit, ratio)


class Options(NamedTuple):
    rounds: int
    number: int
    cli_rounds: int
    memory: int
    traced: int
    sweep: int
    scheduler: str | None


def _summary(a: Any) -> dict[str, str]:
    """What a batch usually keeps: each obligation's status (module-level: picklable)."""
    return {o.id: o.status for o in a.obligations}


def first_decision(opts: Options, runs: dict[str, list[Run]]) -> list[Figure]:
    """Target 1: the first decision in a third of a second (wall time, new processes).

    The same in CPU time beside it: on a shared machine the wall time also holds the time
    other processes ran, which the CPU time does not (on an idle machine they agree to a
    few milliseconds)."""

    def median(name: str, what: str = "wall") -> float:
        return float(statistics.median(getattr(r, what) for r in runs[name]))

    ratios = [a.wall / s.wall for a, s in zip(runs["assess"], runs["schema"], strict=True)]
    cpu = [a.cpu / s.cpu for a, s in zip(runs["assess"], runs["schema"], strict=True)]
    return [
        Figure.of("CLI assess, bundled example, cache warm", median("assess"), 0.35, "s"),
        Figure.of("  CPU time of the same", median("assess", "cpu"), 0.35, "s"),
        Figure.of("CLI assess / schema incident, same rounds", statistics.median(ratios), 1.3, "x"),
        Figure.of("  in CPU time", statistics.median(cpu), 1.3, "x"),
        Figure.of("import breachrules", median("import"), 0.12, "s"),
        Figure.of("  CPU time of the same", median("import", "cpu"), 0.12, "s"),
        Figure.of("CLI assess, first call (cache empty)", median("cold"), None, "s"),
        Figure.of("CLI schema incident", median("schema"), None, "s"),
    ]


def hot_path(opts: Options, python: Engine, durable: Engine | None) -> list[Figure]:
    """Target 2 (the hot path): CPU time in this process."""
    everything = everything_incident(python)
    typical = typical_examples(python)

    def default_all() -> None:
        python.assess(everything).to_dict()

    def typical_all() -> None:
        for incident in typical:
            python.assess(incident).to_dict()

    def paused() -> None:
        # The same with the cyclic garbage collector paused: what its collections cost an
        # assessment in this process (whose heap holds every ruleset of both engines).
        gc.disable()
        try:
            default_all()
        finally:
            gc.enable()

    fns: dict[str, Callable[[], object]] = {
        "python": default_all,
        "paused": paused,
        "typical": typical_all,
    }
    if durable is not None:
        fns["durable"] = partial(durable.assess, everything)
    t = interleaved(fns, opts.rounds, max(1, opts.number // 5))
    collector = statistics.median(
        (1 - p / a) * 100 for a, p in zip(t["python"], t["paused"], strict=True)
    )
    figures = [
        Figure.of(
            "every-ruleset incident + to_dict(), python",
            statistics.median(t["python"]) * 1e3,
            None,
            "ms",
        ),
        Figure.of("  of it the garbage collector (same, paused)", collector, None, "%"),
        Figure.of(
            f"typical 1-4-law incident + to_dict(), python (mean of {len(typical)})",
            statistics.median(t["typical"]) / len(typical) * 1e3,
            1.0,
            "ms",
        ),
    ]
    if durable is None:
        return figures
    ratio = statistics.median(p / d for p, d in zip(t["python"], t["durable"], strict=True))
    figures.insert(1, Figure.of("  the same / durable backend, same rounds", ratio, 0.15, "x"))
    _, _, floor_ratio, _ = against_floor(everything, durable, opts.rounds, opts.number // 5 or 1)
    figures.append(Figure.of("durable backend / durable-rules floor", floor_ratio, 1.5, "x"))
    return figures


def typical_examples(python: Engine) -> list[Incident]:
    """The bundled examples of the target's typical incident: those whose assessment
    applies one to four laws (the larger ones are listed in 2b without a target)."""
    incidents = [load_incident(p) for p in sorted(EXAMPLES.glob("*.json"))]
    return [i for i in incidents if 1 <= _laws(python, i) <= 4]


def _laws(engine: Engine, incident: Incident) -> int:
    """How many laws an assessment of ``incident`` applies (not ``not_applicable``)."""
    return sum(d.status != "not_applicable" for d in engine.assess(incident).determinations)


def sweeps(opts: Options) -> list[Figure]:
    """Target 3 (sweeps): scenarios per second, projected to 10⁶ (only with --sweep N)."""
    if not opts.sweep:
        return []
    from breachrules.scale.sweep import sweep

    counts = max(1, opts.sweep // 4)
    vary: dict[str, list[Any]] = {
        "exposures[0].residents.US-CA": list(range(counts)),
        "risk.harm_likely": [True, False],
        "exposures[0].encrypted": [False, True],
    }
    start = time.perf_counter()
    points = sweep(
        load_incident(EXAMPLES / "unknown-exfiltration-ransomware.json"),
        vary,
        scheduler=opts.scheduler,
        jurisdictions=["US-CA"],
    )
    took = time.perf_counter() - start
    where = opts.scheduler or "local cluster"
    return [
        Figure.of(f"sweep of {len(points)} scenarios ({where})", took, None, "s"),
        Figure.of("  projected to 10^6 scenarios", took / len(points) * 1e6, 60.0, "s"),
    ]


def ruleset_growth(opts: Options) -> list[Figure]:
    """Target 1 with more rulesets: ``breachrules assess`` on the bundled rulesets and on
    twice as many (the bundled set again under new codes, reaching only places of their
    own), and ``schema incident``, new processes taking turns in every round, the cache
    warm. An assessment loads only the rulesets its incident can reach, so the second
    should cost what the first does."""
    runs, copies = growth_runs(opts.cli_rounds)

    def ratio(a: str, b: str) -> float:
        return statistics.median(x.wall / y.wall for x, y in zip(runs[a], runs[b], strict=True))

    doubled = statistics.median(r.wall for r in runs["doubled"])
    total = copies * 2
    return [
        Figure.of(f"CLI assess with {total} rulesets, cache warm", doubled, 0.35, "s"),
        Figure.of(
            f"  the same / with the {copies} bundled, same rounds",
            ratio("doubled", "bundled"),
            None,
            "x",
        ),
        Figure.of(
            "  the same / schema incident, same rounds", ratio("doubled", "schema"), 1.3, "x"
        ),
        Figure.of(
            "  its peak RSS", statistics.median(r.peak_mb for r in runs["doubled"]), None, "MB"
        ),
    ]


def _ag(point: Any) -> Any:
    """What a sweep usually keeps of each scenario (module-level: it runs in the workers)."""
    return point.obligations.get("US-CA:notify-attorney-general")


def sweep_classes(opts: Options) -> list[Figure]:
    """Target 3 in this process: a sweep of 10⁶ scenarios (a count times two flags) by
    classes of counts, CPU time; how many assessments it made and their share of the time
    (what evaluating scenarios as columns could at most save); the scenario-by-scenario
    path projected to 10⁶; and, where ``dask.distributed`` is installed, the same sweep on
    a local cluster of two worker processes, reduced in the workers (wall time)."""
    from breachrules.scale import sweep as sweeping

    engine = Engine(backend="python")
    base = load_incident(EXAMPLES / "unknown-exfiltration-ransomware.json").to_dict()
    counts = 250_000 if opts.rounds > 3 else 62_500
    vary: dict[str, Any] = {
        "exposures[0].residents.US-CA": range(counts),
        "risk.harm_likely": [True, False],
        "exposures[0].encrypted": [False, True],
    }
    total = counts * 4
    paths = list(vary)
    real = sweeping._assess
    spent = [0, 0.0]

    def counted(
        engine: Engine,
        base: Mapping[str, Any],
        paths: Sequence[str],
        values: Sequence[Any],
        jurisdictions: list[str] | None,
    ) -> tuple[dict[str, str], dict[str, str]]:
        start = time.process_time()
        found = real(engine, base, paths, values, jurisdictions)
        spent[0] += 1
        spent[1] += time.process_time() - start
        return found

    sweeping.evaluate_scenarios(engine, base, vary, range(1000), ["US-CA"])  # engine warm
    sweeping._assess = counted
    try:
        start = time.process_time()
        sweeping.evaluate_scenarios(engine, base, vary, range(total), ["US-CA"], _ag)
        took = time.process_time() - start
    finally:
        sweeping._assess = real
    sample = range(0, total, max(1, total // 500))
    start = time.process_time()
    for index in sample:
        real(engine, base, paths, sweeping._values(index, vary, paths), ["US-CA"])
    each = (time.process_time() - start) / len(sample)
    figures = [
        Figure.of(
            f"sweep of 10^6 by classes, 1 process (from {total:,}; CPU)",
            took * 1e6 / total,
            60.0,
            "s",
        ),
        Figure.of(
            f"  assessments it made ({spent[0]}), share of its time",
            100 * spent[1] / took,
            None,
            "%",
        ),
        Figure.of("  scenario by scenario, projected to 10^6 (CPU)", each * 1e6, 60.0, "s"),
    ]
    if importlib.util.find_spec("distributed") is None:  # breachrules[distributed]
        return figures
    return figures + _cluster_sweep(opts, vary, total)


def _cluster_sweep(opts: Options, vary: dict[str, Any], total: int) -> list[Figure]:
    """The same sweep on a local Dask cluster of two worker processes, reduced in them."""
    from breachrules.scale.sweep import sweep

    # Held as Any: Dask's own type hints are partial.
    distributed: Any = importlib.import_module("distributed")
    Client, LocalCluster = distributed.Client, distributed.LocalCluster

    incident = load_incident(EXAMPLES / "unknown-exfiltration-ransomware.json")
    start = time.perf_counter()
    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    client = Client(cluster)
    started = time.perf_counter() - start
    try:
        small = {**vary, "exposures[0].residents.US-CA": range(100)}
        sweep(incident, small, scheduler=client, jurisdictions=["US-CA"], reduce=_ag)
        start = time.perf_counter()
        sweep(incident, vary, scheduler=client, jurisdictions=["US-CA"], reduce=_ag)
        took = time.perf_counter() - start
    finally:
        client.close()
        cluster.close()
    return [
        Figure.of("  local Dask cluster, 2 workers, starting it (wall)", started, None, "s"),
        Figure.of(f"  its sweep of {total:,}, reduced in the workers (wall)", took, None, "s"),
        Figure.of("  projected to 10^6 (wall)", took * 1e6 / total, 60.0, "s"),
    ]


def growth(opts: Options, python: Engine) -> list[Figure]:
    """Target 4 (growth with the incident): CPU time in this process, default backend."""
    exposures = many_exposures()
    short, long = provider_chain(25), provider_chain(50)
    size = len(python.assess(exposures).to_json().encode())

    def assess(incident: Incident) -> Callable[[], object]:
        return lambda: python.assess(incident).to_dict()

    fns = {"exposures": assess(exposures), "short": assess(short), "long": assess(long)}
    t = interleaved(fns, max(3, opts.rounds // 2), 1)
    chain = statistics.median(x / y for x, y in zip(t["long"], t["short"], strict=True))
    return [
        Figure.of(
            "1,000 exposures x 5 of 10 states + to_dict()",
            statistics.median(t["exposures"]) * 1e3,
            50.0,
            "ms",
        ),
        Figure.of("  its assessment as JSON", size / 1e6, 1.0, "MB"),
        Figure.of(
            "chain of 50 providers / chain of 25 (linear: 2)",
            chain,
            2.0,
            "x",
        ),
    ]


def memory(opts: Options, python: Engine, runs: dict[str, list[Run]]) -> list[Figure]:
    """Target 5 (memory flat): RSS over ``opts.memory`` assessments; tracemalloc's count
    of live Python allocations over ``opts.traced`` (it slows every allocation, so it
    runs on fewer); and the command line's peak RSS from the target 1 runs."""
    incident = load_incident(EXAMPLES / "multistate-ransomware.json")
    for _ in range(200):
        python.assess(incident)
    gc.collect()
    before = rss_mb()
    for _ in range(opts.memory):
        python.assess(incident)
    gc.collect()
    grown = rss_mb() - before
    tracemalloc.start()
    for _ in range(100):
        python.assess(incident)
    gc.collect()
    start, _ = tracemalloc.get_traced_memory()
    for _ in range(opts.traced):
        python.assess(incident)
    gc.collect()
    end, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    peak = statistics.median(r.peak_mb for r in runs["assess"])
    return [
        Figure.of(f"RSS growth over {opts.memory:,} assessments (flat: <= 2 MB)", grown, 2.0, "MB"),
        Figure.of(
            f"live Python allocations, growth over {opts.traced:,} (tracemalloc)",
            (end - start) / 1e6,
            0.5,
            "MB",
        ),
        Figure.of("RSS before the run", before, None, "MB"),
        Figure.of("CLI assess peak RSS", peak, None, "MB"),
    ]


def report(target: str, figures: list[Figure]) -> None:
    """Print one target's figures: measured, target, ratio, side by side."""
    print(target)
    if not figures:
        print("  (not measured in this run)")
    for f in figures:
        goal = f"<= {f.target:g} {f.unit}" if f.target is not None else "-"
        ratio = f"{f.ratio:5.2f}" if f.ratio is not None else "    -"
        mark = "" if f.ratio is None else ("  met" if f.ratio <= 1.0 else "  NOT MET")
        print(f"  {f.label:<60} {f.measured:>9.3f} {f.unit:<3} {goal:>12} {ratio}{mark}")


def details(opts: Options, python: Engine, durable: Engine | None) -> None:
    """Per example: each backend against the durable-rules floor; then ``assess_many``."""
    if durable is not None:
        print(
            f"\nCPU time, medians of {opts.rounds} rounds x {opts.number} assessments; in each "
            "round the floor and the assessment run back to back, and the ratio is the median "
            "of the rounds' ratios"
        )
        cases = [(p.name, load_incident(p)) for p in sorted(EXAMPLES.glob("*.json"))]
        cases.append(("every bundled ruleset", everything_incident(durable)))
        measured = [
            (name, *against_floor(i, durable, opts.rounds, opts.number)) for name, i in cases
        ]
        # A long-running host calls gc.freeze() once its engine is built (docs/scaling.md):
        # the collector then never rescans the engine's compiled rulesets.
        gc.freeze()
        name, incident = cases[-1]
        frozen = against_floor(incident, durable, opts.rounds, opts.number)
        measured.append((f"{name}, gc.freeze()", *frozen))
        gc.unfreeze()
        print(f"{'incident':<38} {'durable':>9} {'python':>9} {'floor':>9} {'ratio':>6} rulesets")
        for (name, d, f, ratio, n), (_, incident) in zip(
            measured, [*cases, cases[-1]], strict=True
        ):
            p = statistics.median(
                interleaved({"p": partial(python.assess, incident)}, opts.rounds, opts.number)["p"]
            )
            print(
                f"{name[:38]:<38} {d * 1e3:>7.2f}ms {p * 1e3:>7.2f}ms {f * 1e3:>7.2f}ms "
                f"{ratio:>6.2f} {n}"
            )
    examples = [load_incident(p) for p in sorted(EXAMPLES.glob("*.json"))]
    batch = examples * (40 if opts.rounds <= 3 else 200)
    repeats = 1 if opts.rounds <= 3 else 3
    for label, reducer in (("reduced in the worker", _summary), ("whole assessments", None)):
        timings: dict[int, float] = {}  # a built engine: assessment time, not compile time
        for _ in range(repeats):
            for procs in (1, 2):
                start = time.perf_counter()
                assess_many(batch, processes=procs, reduce=reducer, engine=python)
                took = time.perf_counter() - start
                timings[procs] = min(timings.get(procs, took), took)
        print(
            f"assess_many, {len(batch)} incidents, {label} (python backend, best of "
            f"{repeats}): 1 process {timings[1]:.2f}s, 2 processes {timings[2]:.2f}s, "
            f"speed-up {timings[1] / timings[2]:.2f}x"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m breachrules.bench")
    parser.add_argument("--quick", action="store_true", help="fewer rounds and assessments")
    parser.add_argument("--memory", type=int, default=None, help="assessments for the RSS run")
    parser.add_argument(
        "--sweep", type=int, default=0, help="also time a Dask what-if sweep of about N scenarios"
    )
    parser.add_argument("--scheduler", default=None, help="Dask scheduler address for --sweep")
    parser.add_argument(
        "--details",
        action="store_true",
        help="also each example on both backends against the floor, and assess_many",
    )
    args = parser.parse_args(argv)
    quick = args.quick
    opts = Options(
        rounds=3 if quick else 7,
        number=20 if quick else 50,
        cli_rounds=5 if quick else 15,
        memory=args.memory or (5_000 if quick else 100_000),
        traced=500 if quick else 5_000,
        sweep=args.sweep,
        scheduler=args.scheduler,
    )
    # The command-line figures first, before this process holds engines and a warm CPU
    # cache: each is a new process anyway.
    runs = cli_runs(opts.cli_rounds)
    # Each backend is measured with only its own engine built, as a host would run it.
    python = Engine(backend="python")
    try:
        durable: Engine | None = Engine(backend="durable")
    except Exception:  # the durable extra is optional; its figures are then not measured
        durable = None
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"python {platform.python_version()}, {len(python.rulesets)} rulesets, "
        f"durable-rules {'installed' if durable is not None else 'not installed'}"
    )
    print(
        f"medians: {opts.cli_rounds} rounds of new processes (wall time) for target 1; "
        f"{opts.rounds} rounds, CPU time in this process, for targets 2 and 4; a ratio at "
        "or below 1.00 meets its target"
    )
    report("1. time to first decision", first_decision(opts, runs))
    report("1b. time to first decision with more rulesets", ruleset_growth(opts))
    report("2. hot path", hot_path(opts, python, durable))
    report("2b. hot path, each typical incident", hot_path_examples(opts, python))
    report("3. sweeps (--sweep N)", sweeps(opts))
    report("3b. sweeps by classes, and on two workers", sweep_classes(opts))
    report("4. growth with the incident", growth(opts, python))
    report("4b. growth, where the bytes go; providers' chains", growth_parts(opts, python))
    report("5. memory", memory(opts, python, runs))
    if args.details:
        details(opts, python, durable)


if __name__ == "__main__":  # pragma: no cover
    main()


# --- Issue 24, targets 2 and 4 in detail: where the time and the bytes go -----------------


def hot_path_examples(opts: Options, python: Engine) -> list[Figure]:
    """Target 2, each bundled example on its own: CPU time of ``assess`` and ``to_dict()``
    on the default backend; those that apply one to four laws (the typical incident of
    the target) against its 1 ms, the larger ones shown without a target."""
    cases = [(p.stem, load_incident(p)) for p in sorted(EXAMPLES.glob("*.json"))]
    laws = {name: _laws(python, i) for name, i in cases}
    fns: dict[str, Callable[[], object]] = {
        name: partial(_assess_to_dict, python, incident) for name, incident in cases
    }
    t = interleaved(fns, opts.rounds, max(1, opts.number // 5))
    return [
        Figure.of(
            f"{name[:44]} ({laws[name]} laws)",
            statistics.median(t[name]) * 1e3,
            1.0 if 1 <= laws[name] <= 4 else None,
            "ms",
        )
        for name, _ in cases
    ]


def growth_parts(opts: Options, python: Engine) -> list[Figure]:
    """Target 4 in detail: the 1,000-exposure incident's JSON text, and how much of it
    the audit (each exposure's facts once, rule events referring to them) and the reasons
    (which name the exposure fields they read instead of repeating the values) take; then
    chains of 10, 25 and 50 service providers, each step against linear growth."""
    import json

    assessment = python.assess(many_exposures())
    document = assessment.to_dict()
    text = len(assessment.to_json().encode())
    audit = sum(len(json.dumps(e, sort_keys=True, ensure_ascii=False)) for e in document["audit"])
    reasons = sum(
        len(json.dumps(r, ensure_ascii=False))
        for part in ("determinations", "obligations")
        for item in document[part]
        for r in item["reasons"]
    )
    fns: dict[str, Callable[[], object]] = {
        str(n): partial(_assess_to_dict, python, provider_chain(n)) for n in (10, 25, 50)
    }
    t = interleaved(fns, max(3, opts.rounds // 2), 1)

    def step(long: int, short: int) -> float:
        return statistics.median(x / y for x, y in zip(t[str(long)], t[str(short)], strict=True))

    return [
        Figure.of("1,000 exposures: the whole JSON text", text / 1e6, 1.0, "MB"),
        Figure.of("  of it the audit (each exposure's facts once)", audit / 1e6, None, "MB"),
        Figure.of("  of it the reasons (exposure facts by reference)", reasons / 1e6, None, "MB"),
        Figure.of(
            "chain of 10 providers + to_dict()", statistics.median(t["10"]) * 1e3, None, "ms"
        ),
        Figure.of("chain of 25 / chain of 10 (linear: 2.5)", step(25, 10), 2.5, "x"),
        Figure.of("chain of 50 / chain of 25 (linear: 2)", step(50, 25), 2.0, "x"),
    ]


def _assess_to_dict(engine: Engine, incident: Incident) -> object:
    """One assessment and its document: what a host that returns JSON pays."""
    return engine.assess(incident).to_dict()
