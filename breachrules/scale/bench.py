"""Benchmarks: an assessment against the raw durable-rules floor, batches, memory.

Run ``python -m breachrules.bench`` (``--quick`` for a short run). It prints, with the
machine it ran on and medians over several rounds:

1. per bundled example and for one incident that reaches every bundled ruleset: the CPU
   time of ``Engine.assess`` with each backend (each measured with only its own engine
   built), the bare durable-rules floor for the same facts
   (assert, read and delete one session per ruleset evaluated, nothing else), and the
   ratio of the durable assessment to that floor (once more for the every-ruleset
   incident after ``gc.freeze()``, as a long-running host would). The floor's facts are
   encoded for durable-rules before timing starts: encoding them is breachrules' work;
2. ``assess_many`` on 1 and 2 processes, and the speed-up;
3. resident memory at the start and end of many assessments (it must stay flat);
4. the figures of issue 24's targets 2 to 4 (``target_hot_path``, ``target_sweep``,
   ``target_growth``), each measured, against its target, with their ratio.

Nothing here is a pass/fail test: speed is measured, never asserted. Measuring side by
side in one run is one job, so the figures stay in one module.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from breachrules.engine import Engine
from breachrules.engine.compiled import EXPOSURE, INCIDENT
from breachrules.engine.facts import Facts
from breachrules.engine.reach import area_index, reach
from breachrules.engine.results import Case
from breachrules.io.serde import load_incident
from breachrules.model.facts import Incident
from breachrules.scale.batch import assess_many

__all__ = [
    "growth_incident",
    "main",
    "print_targets",
    "provider_chain_incident",
    "target_growth",
    "target_hot_path",
    "target_sweep",
]

ROOT = Path(__file__).resolve().parents[2]  # the checkout (examples/ beside the package)
EXAMPLES = ROOT / "examples" / "incidents"


def interleaved(
    fns: dict[str, Callable[[], object]], rounds: int, number: int
) -> dict[str, list[float]]:
    """CPU seconds per call of each function, per round; the functions take turns in every
    round, so a slow spell of the machine affects all of them alike. CPU time of this
    process, not wall time: on a shared virtual machine the time another guest takes
    would otherwise land on whichever function was running."""
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            start = time.process_time()
            for _ in range(number):
                fn()
            samples[name].append((time.process_time() - start) / number)
    return samples


def against_floor(
    incident: Incident, durable: Engine, rounds: int, number: int
) -> tuple[float, float, float, int]:
    """The durable assessment and its floor, back to back in every round: their medians,
    the median of the rounds' ratios, and how many rulesets were evaluated."""
    from breachrules.engine import _durable

    batches = floor_batches(durable, incident)

    def floor() -> None:
        for handle, facts in batches:
            _durable.raw_cycle(handle, facts)

    t = interleaved({"floor": floor, "durable": partial(durable.assess, incident)}, rounds, number)
    ratio = statistics.median(x / y for x, y in zip(t["durable"], t["floor"], strict=True))
    return statistics.median(t["durable"]), statistics.median(t["floor"]), ratio, len(batches)


def floor_batches(engine: Engine, incident: Incident) -> list[tuple[Any, list[Any]]]:
    """The facts one assessment asserts, per ruleset session, encoded as durable-rules
    takes them (durable backend). Encoding is breachrules' work, so it is done here,
    untimed: the floor is durable-rules alone."""
    from breachrules.engine import _durable

    facts = Facts(Case.of(incident, incident.discovered_at, area_index(incident)))
    out = []
    for ruleset in engine.rulesets:
        law = ruleset.law_on(incident.discovered_at.date())
        reached = reach(ruleset, incident)
        if law is None or reached.applies is False:
            continue
        compiled = engine._compiled[law.key]
        relevant = [i for i, r in enumerate(reached.residents) if r] or [-1]
        exposure = [facts.exposure(i, reached, compiled) for i in relevant]
        incident_fact = [facts.world(relevant, reached, compiled)]
        batches = [(EXPOSURE, exposure), (INCIDENT, incident_fact)]
        out.append((compiled.engine_name, _durable.encode_batches(batches)))
    return out


def everything_incident(engine: Engine) -> Incident:
    """One incident that reaches every bundled ruleset: residents everywhere, every party
    type, every classification fact set."""
    places: set[str] = set()
    types: set[str] = set()
    for r in engine.rulesets:
        places.update(p for p in r.reach.residents if p not in ("EU", "US"))
        types.update(r.party_types)
    places.update(["DE", "FR", "US-CA"])
    doc = {
        "schema_version": "1",
        "id": "BENCH-ALL",
        "discovered_at": "2026-03-02T09:00:00+00:00",
        "breach_determined_at": "2026-03-03T09:00:00+00:00",
        "materiality_determined_at": "2026-03-03T09:00:00+00:00",
        "parties": [
            {
                "id": "org",
                "data_role": "owner",
                "types": sorted(types),
                "established_in": ["US-CA", "DE"],
                "offers_to": ["US", "EU", *sorted(p for p in places if "-" not in p)],
            }
        ],
        "exposures": [
            {
                "elements": ["name", "ssn", "email", "medical", "financial_account_access"],
                "residents": dict.fromkeys(sorted(places), 600),
                "encrypted": False,
                "acquired": True,
                "accessed": True,
            }
        ],
        "risk": {"harm_likely": True, "gdpr_risk": "high"},
        "good_faith_insider": False,
        "malicious": True,
        "classification": {
            "significant": True,
            "major_ict_incident": True,
            "classified_at": "2026-03-02T12:00:00+00:00",
            "bank_notification_incident": True,
            "bank_determined_at": "2026-03-02T12:00:00+00:00",
            "nydfs_reportable": True,
            "nydfs_determined_at": "2026-03-02T12:00:00+00:00",
            "material": True,
        },
    }
    return load_incident(doc)


def _summary(a: Any) -> dict[str, str]:
    """What a batch usually keeps: each obligation's status (module-level: picklable)."""
    return {o.id: o.status for o in a.obligations}


def _ag_status(point: Any) -> str | None:
    """What a sweep usually keeps of a scenario (module-level: picklable)."""
    status: str | None = point.obligations.get("US-CA:notify-attorney-general")
    return status


def rss_mb() -> float:
    """Current resident set size in MB (Linux /proc; else the peak from getrusage)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except OSError:  # pragma: no cover - not Linux
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m breachrules.bench")
    parser.add_argument("--quick", action="store_true", help="fewer rounds and assessments")
    parser.add_argument("--memory", type=int, default=None, help="assessments for the RSS run")
    parser.add_argument(
        "--sweep", type=int, default=0, help="also time a Dask what-if sweep of about N scenarios"
    )
    parser.add_argument("--scheduler", default=None, help="Dask scheduler address for --sweep")
    args = parser.parse_args(argv)
    rounds, number = (3, 20) if args.quick else (7, 50)
    # Each backend is measured with only its own engine built, as a host would run it.
    durable = Engine(backend="durable")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"python {platform.python_version()}, {len(durable.rulesets)} rulesets"
    )
    print(
        f"CPU time, medians of {rounds} rounds x {number} assessments; in each round the "
        "floor and the assessment run back to back, and the ratio is the median of the "
        "rounds' ratios"
    )
    cases = [(p.name, load_incident(p)) for p in sorted(EXAMPLES.glob("*.json"))]
    cases.append(("every bundled ruleset", everything_incident(durable)))
    measured = [(name, *against_floor(i, durable, rounds, number)) for name, i in cases]
    # A long-running host calls gc.freeze() once its engine is built (docs/scaling.md):
    # the collector then never rescans the engine's compiled rulesets.
    gc.freeze()
    name, incident = cases[-1]
    measured.append((f"{name}, gc.freeze()", *against_floor(incident, durable, rounds, number)))
    gc.unfreeze()
    python = Engine(backend="python")
    print(f"{'incident':<38} {'durable':>9} {'python':>9} {'floor':>9} {'ratio':>6} rulesets")
    for (name, d, f, ratio, n), (_, incident) in zip(measured, [*cases, cases[-1]], strict=True):
        p = statistics.median(
            interleaved({"p": partial(python.assess, incident)}, rounds, number)["p"]
        )
        print(
            f"{name[:38]:<38} {d * 1e3:>7.2f}ms {p * 1e3:>7.2f}ms {f * 1e3:>7.2f}ms "
            f"{ratio:>6.2f} {n}"
        )

    batch = [incident for _, incident in cases[:-1]] * (40 if args.quick else 200)
    repeats = 1 if args.quick else 3
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

    n = args.memory or (5_000 if args.quick else 100_000)
    incident = cases[0][1]
    for _ in range(200):
        python.assess(incident)
    before = rss_mb()
    start = time.perf_counter()
    for _ in range(n):
        python.assess(incident)
    print(
        f"memory over {n} assessments (python backend): RSS {before:.0f} MB -> "
        f"{rss_mb():.0f} MB in {time.perf_counter() - start:.0f}s"
    )
    if args.sweep:
        from breachrules.scale.sweep import sweep

        counts = max(1, args.sweep // 4)
        vary: dict[str, list[Any]] = {
            "exposures[0].residents.US-CA": list(range(counts)),
            "risk.harm_likely": [True, False],
            "exposures[0].encrypted": [False, True],
        }
        start = time.perf_counter()
        points = sweep(
            load_incident(EXAMPLES / "unknown-exfiltration-ransomware.json"),
            vary,
            scheduler=args.scheduler,
            jurisdictions=["US-CA"],
            reduce=_ag_status,
        )
        took = time.perf_counter() - start
        print(
            f"sweep on Dask ({args.scheduler or 'local cluster'}): {len(points)} scenarios "
            f"in {took:.0f}s, {len(points) / took:.0f} scenarios/s"
        )
    print("issue 24, targets 2-4 (measured, target, ratio = measured / target):")
    print_targets(target_hot_path(rounds, number))
    print_targets(target_sweep(20_000 if args.quick else 100_000))
    print_targets(target_growth(3 if args.quick else 5))


if __name__ == "__main__":  # pragma: no cover
    main()


# --- issue 24, targets 2 to 4: each function returns its figures as
# (label, measured, target, ratio), ratio = measured / target (at most 1 meets it) --------

Figure = tuple[str, float, float, float]


def _figure(label: str, measured: float, target: float) -> Figure:
    return (label, measured, target, measured / target)


def _with_document(engine: Engine, incident: Incident) -> dict[str, Any]:
    return engine.assess(incident).to_dict()


def target_hot_path(rounds: int = 7, number: int = 20) -> list[Figure]:
    """Target 2: the every-ruleset incident with ``to_dict()`` on the default backend
    against durable-rules in the same run (interleaved CPU time; the fraction is the
    median of the rounds' fractions), durable against its own floor, and the slowest
    bundled example of 1 to 4 jurisdictions on the default backend."""
    python, durable = Engine(), Engine(backend="durable")
    incident = everything_incident(python)
    t = interleaved(
        {
            "python": partial(_with_document, python, incident),
            "durable": partial(_with_document, durable, incident),
        },
        rounds,
        number,
    )
    fraction = statistics.median(p / d for p, d in zip(t["python"], t["durable"], strict=True))
    _, _, floor_ratio, _ = against_floor(incident, durable, rounds, number)
    typical = []
    for path in sorted(EXAMPLES.glob("*.json")):
        example = load_incident(path)
        reached = python.assess(example)
        applied = sum(d.status != "not_applicable" for d in reached.determinations)
        if 1 <= applied <= 4:
            one = interleaved({"x": partial(_with_document, python, example)}, rounds, number)
            typical.append((statistics.median(one["x"]), path.name))
    slowest, name = max(typical)
    return [
        _figure(
            f"every ruleset, python incl. to_dict ({statistics.median(t['python']) * 1e3:.1f} ms)"
            f" / durable ({statistics.median(t['durable']) * 1e3:.1f} ms)",
            fraction,
            0.15,
        ),
        _figure("every ruleset, durable / its floor", floor_ratio, 1.5),
        _figure(f"1-4 jurisdictions, slowest example ({name}), ms", slowest * 1e3, 1.0),
    ]


def target_sweep(counts: int = 100_000, cores: int = 2) -> list[Figure]:
    """Target 3: a what-if sweep (a count of residents times two flags) evaluated as one
    Dask partition does, in this process; 10**6 scenarios extrapolated from ``2 *
    counts`` and divided among ``cores`` worker processes (an extrapolation, not a run:
    ``--sweep N --scheduler ADDRESS`` runs one on a cluster)."""
    from breachrules.scale.sweep import evaluate_scenarios

    engine = Engine()
    base = load_incident(EXAMPLES / "unknown-exfiltration-ransomware.json").to_dict()
    vary: dict[str, list[Any]] = {
        "exposures[0].residents.US-CA": list(range(counts)),
        "risk.harm_likely": [True, False],
    }
    start = time.process_time()
    evaluate_scenarios(engine, base, vary, range(2 * counts), ["US-CA"])
    took = time.process_time() - start
    million = took * 1e6 / (2 * counts) / cores
    return [
        _figure(
            f"10^6 scenarios, extrapolated from {2 * counts:,} on {cores} cores, s", million, 60.0
        )
    ]


def growth_incident(exposures: int, states: int = 10, each: int = 5) -> Incident:
    """``exposures`` exposures, each with residents of ``each`` of ``states`` states."""
    codes = [
        "US-CA",
        "US-TX",
        "US-NY",
        "US-FL",
        "US-IL",
        "US-PA",
        "US-OH",
        "US-GA",
        "US-NC",
        "US-MI",
        "US-WA",
        "US-AZ",
    ]
    codes = codes[:states]
    doc = {
        "schema_version": "1",
        "id": f"BENCH-GROWTH-{exposures}",
        "discovered_at": "2026-03-02T09:00:00+00:00",
        "parties": [{"id": "org", "data_role": "owner", "established_in": ["US-TX"]}],
        "exposures": [
            {
                "elements": ["name", "ssn"] if k % 2 else ["name", "drivers_license"],
                "residents": {codes[(k + j) % states]: 100 + k for j in range(each)},
                "encrypted": False,
                "acquired": True,
            }
            for k in range(exposures)
        ],
        "malicious": True,
        "good_faith_insider": False,
    }
    return load_incident(doc)


def provider_chain_incident(providers: int) -> Incident:
    """A breach at the end of a chain of ``providers`` service providers."""
    parties: list[dict[str, Any]] = [{"id": "owner", "data_role": "owner"}]
    for k in range(providers):
        above = "owner" if k == 0 else f"sp{k - 1}"
        parties.append({"id": f"sp{k}", "data_role": "service_provider", "serves": above})
    parties[0]["established_in"] = ["US-TX"]
    doc = {
        "schema_version": "1",
        "id": f"BENCH-CHAIN-{providers}",
        "discovered_at": "2026-03-02T09:00:00+00:00",
        "parties": parties,
        "breached_party": f"sp{providers - 1}",
        "exposures": [
            {
                "elements": ["name", "ssn"],
                "residents": dict.fromkeys(["US-CA", "US-TX", "US-NY", "US-FL", "US-IL"], 900),
                "encrypted": False,
                "acquired": True,
            }
        ],
        "malicious": True,
    }
    return load_incident(doc)


def target_growth(rounds: int = 5) -> list[Figure]:
    """Target 4: 1,000 exposures each reaching 5 of 10 states (time with ``to_dict()``,
    and the size of its JSON), and a chain of 50 service providers against 25 (linear
    is a ratio of 2)."""
    engine = Engine()
    large = growth_incident(1000)
    t = interleaved({"x": partial(_with_document, engine, large)}, rounds, 1)["x"]
    a = engine.assess(large)
    size = len(a.to_json().encode("utf-8")) / 1e6
    audit = len(json.dumps(a.to_dict()["audit"], indent=2).encode("utf-8")) / 1e6
    chains = {n: provider_chain_incident(n) for n in (25, 50)}
    c = interleaved({str(n): partial(engine.assess, i) for n, i in chains.items()}, rounds, 3)
    growth = statistics.median(c["50"]) / statistics.median(c["25"])
    return [
        _figure(
            "1,000 exposures x 5 of 10 states incl. to_dict, ms", statistics.median(t) * 1e3, 50.0
        ),
        _figure(f"1,000 exposures, JSON (of which audit {audit:.2f} MB), MB", size, 1.0),
        _figure("50 providers / 25 providers (linear: 2)", growth, 2.0),
    ]


def print_targets(figures: list[Figure]) -> None:
    """One line per figure: what was measured, the target, and their ratio."""
    for label, measured, target, ratio in figures:
        print(f"  {label:<72} {measured:>9.3f} (target {target:g}) ratio {ratio:.2f}")
