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
3. resident memory at the start and end of many assessments (it must stay flat).

Nothing here is a pass/fail test: speed is measured, never asserted.
"""

from __future__ import annotations

import argparse
import gc
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

__all__ = ["main"]

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
        )
        took = time.perf_counter() - start
        print(
            f"sweep on Dask ({args.scheduler or 'local cluster'}): {len(points)} scenarios "
            f"in {took:.0f}s, {len(points) / took:.0f} scenarios/s"
        )


if __name__ == "__main__":  # pragma: no cover
    main()
