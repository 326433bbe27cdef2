"""Benchmark: one assessment against the raw durable-rules floor for the same facts.

Run: ``python benchmarks/bench.py [INCIDENT.json ...]``. For each incident it prints the
median time of ``Engine.assess`` and of the bare durable-rules cycle (assert the same
facts, read the state, delete the session, for each ruleset evaluated) and their ratio.
Figures are medians over several rounds; nothing here is a pass/fail test.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from breachrules import Engine, _durable, load_incident
from breachrules.engine import _EXPOSURE, _INCIDENT, _Run
from breachrules.reach import reach

ROOT = Path(__file__).resolve().parent.parent


def median_seconds(fn: Callable[[], object], rounds: int = 7, number: int = 200) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        samples.append((time.perf_counter() - start) / number)
    return statistics.median(samples)


def floor_batches(engine: Engine, incident) -> list[tuple[str, list]]:
    """The facts an assessment asserts, per ruleset session."""
    run = _Run(incident, incident.discovered_at)
    out = []
    for ruleset in engine.rulesets:
        law = ruleset.law_on(incident.discovered_at.date())
        reached = reach(ruleset, incident)
        if law is None or reached.applies is False:
            continue
        compiled = engine._compiled[law.key]
        relevant = [i for i, r in enumerate(reached.residents) if r]
        exposure = [run._exposure_fact(i, reached, compiled) for i in relevant]
        incident_fact = [run._incident_fact(relevant, reached, compiled)]
        out.append((compiled.engine_name, [(_EXPOSURE, exposure), (_INCIDENT, incident_fact)]))
    return out


def main(paths: list[str]) -> None:
    files = [Path(p) for p in paths] or sorted((ROOT / "examples" / "incidents").glob("*.json"))
    engine = Engine()
    machine = f"{platform.machine()} {platform.processor()}".strip()
    print(f"machine: {machine}, {os.cpu_count()} cores, python {platform.python_version()}")
    print(f"{'incident':<40} {'assess':>10} {'floor':>10} {'ratio':>7} rulesets")
    for path in files:
        incident = load_incident(path)
        batches = floor_batches(engine, incident)

        def assess(incident=incident) -> object:
            return engine.assess(incident)

        def floor(batches=batches) -> None:
            for name, batch in batches:
                _durable.raw_cycle(name, batch)

        a = median_seconds(assess)
        f = median_seconds(floor)
        print(f"{path.name:<40} {a * 1e6:>8.0f}us {f * 1e6:>8.0f}us {a / f:>7.2f} {len(batches)}")


if __name__ == "__main__":
    main(sys.argv[1:])
