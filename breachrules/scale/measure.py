"""What the benchmark runs and how it times it: the incidents of issue 24's targets, the
bare durable-rules floor, CPU time taken in turns, and new processes with their peak memory.

Kept apart from :mod:`breachrules.scale.bench`, which holds one function per target and
prints the report, so that the tests can check each measurement against what it claims.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

from breachrules.engine import Engine
from breachrules.engine.compiled import EXPOSURE, INCIDENT
from breachrules.engine.facts import Facts
from breachrules.engine.reach import area_index, reach
from breachrules.engine.results import Case
from breachrules.io.serde import load_incident
from breachrules.model.facts import Incident

__all__ = [
    "CLI_EXAMPLE",
    "EXAMPLES",
    "STATES",
    "Run",
    "against_floor",
    "cli_runs",
    "copy_rulesets",
    "everything_incident",
    "floor_batches",
    "growth_runs",
    "interleaved",
    "many_exposures",
    "provider_chain",
    "rss_mb",
    "run_process",
]

ROOT = Path(__file__).resolve().parents[2]  # the checkout (examples/ beside the package)
EXAMPLES = ROOT / "examples" / "incidents"
#: The example the command-line figures assess (31 jurisdictions).
CLI_EXAMPLE = EXAMPLES / "multistate-ransomware.json"


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


def rss_mb() -> float:
    """Current resident set size in MB (Linux /proc; else the peak from getrusage)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except OSError:  # pragma: no cover - not Linux
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


class Run(NamedTuple):
    """One process, run to its end: wall seconds, peak resident memory (MB), and the CPU
    seconds it used (user and system; on a busy shared machine the wall time also holds
    the time other processes ran, and the CPU time does not)."""

    wall: float
    peak_mb: float
    cpu: float


def run_process(argv: list[str], env: dict[str, str]) -> Run:
    """Run one process to its end and measure it."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(child.pid, 0)
    took = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        error = child.stderr.read().decode() if child.stderr else ""
        raise RuntimeError(f"{' '.join(argv)} failed: {error}")
    if child.stderr:
        child.stderr.close()
    # ru_maxrss is in kilobytes on Linux, bytes on macOS.
    peak = usage.ru_maxrss / (1e6 if sys.platform == "darwin" else 1e3)
    return Run(took, peak, usage.ru_utime + usage.ru_stime)


def cli_runs(rounds: int) -> dict[str, list[Run]]:
    """New processes, as a playbook starts them: ``assess`` (cache warm), ``schema
    incident`` and ``import breachrules`` take turns in every round; ``assess`` with an
    empty cache once per round. The cache is a temporary folder, never the user's; the
    first, unmeasured call also leaves the modules byte-compiled, as installing does."""
    python = sys.executable
    assess = [python, "-m", "breachrules", "assess", str(CLI_EXAMPLE), "--as-of", "discovery"]
    commands = {
        "assess": assess,
        "schema": [python, "-m", "breachrules", "schema", "incident"],
        "import": [python, "-c", "import breachrules"],
    }
    out: dict[str, list[Run]] = {name: [] for name in [*commands, "cold"]}
    with tempfile.TemporaryDirectory(prefix="breachrules-bench-") as folder:
        env = {**os.environ, "BREACHRULES_CACHE_DIR": str(Path(folder) / "warm")}
        env.pop("BREACHRULES_NO_CACHE", None)
        # Byte-compiled modules, as an installed package has them: a checkout run with
        # PYTHONDONTWRITEBYTECODE would otherwise compile every module in every process.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        run_process(assess, env)  # fills the cache, as the first call anywhere does
        for n in range(rounds):
            for name, argv in commands.items():
                out[name].append(run_process(argv, env))
            cold = {**env, "BREACHRULES_CACHE_DIR": str(Path(folder) / f"cold-{n}")}
            out["cold"].append(run_process(assess, cold))
    return out


def copy_rulesets(target: Path) -> int:
    """Every bundled ruleset again in ``target``, each under a new code (``XA-C001``...)
    and reaching only a fictional place of its own (``XA-001``...): rulesets an incident
    elsewhere never reaches, so that loading only the reached ones can be seen not to
    grow with how many are installed. Returns how many were written."""
    import yaml

    from breachrules.law.loader import bundled_paths, is_scenario_document, ruleset_files

    n = 0
    for file in ruleset_files(bundled_paths()[0]):
        doc = yaml.safe_load(file.read_text(encoding="utf-8"))
        if not isinstance(doc, dict) or is_scenario_document(doc):
            continue
        n += 1
        doc["code"] = f"XA-C{n:03d}"
        reaches = doc.get("reaches") or {}
        for key in ("residents", "established_in"):
            if reaches.get(key):
                reaches[key] = [f"XA-{n:03d}"]
        reaches.pop("by_party_type", None)
        text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
        (target / f"copy-{n:03d}.yaml").write_text(text, encoding="utf-8")
    return n


def growth_runs(rounds: int) -> tuple[dict[str, list[Run]], int]:
    """New ``breachrules assess`` processes on the bundled rulesets and on twice as many
    (the bundled set copied under new codes, :func:`copy_rulesets`), and ``schema
    incident``, taking turns in every round, the cache warm for both; and how many
    rulesets the second set has."""
    python = sys.executable
    assess = [python, "-m", "breachrules", "assess", str(CLI_EXAMPLE), "--as-of", "discovery"]
    out: dict[str, list[Run]] = {"bundled": [], "doubled": [], "schema": []}
    with tempfile.TemporaryDirectory(prefix="breachrules-bench-") as folder:
        copies = Path(folder) / "copies"
        copies.mkdir()
        n = copy_rulesets(copies)
        doubled = [python, "-m", "breachrules", "--rulesets", str(copies), *assess[3:]]
        commands = {
            "bundled": assess,
            "doubled": doubled,
            "schema": [python, "-m", "breachrules", "schema", "incident"],
        }
        env = {**os.environ, "BREACHRULES_CACHE_DIR": str(Path(folder) / "cache")}
        env.pop("BREACHRULES_NO_CACHE", None)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        run_process(assess, env)
        run_process(doubled, env)  # both sets in the cache, as after a first call
        for _ in range(rounds):
            for name, argv in commands.items():
                out[name].append(run_process(argv, env))
    return out, n


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


STATES = ["US-CA", "US-TX", "US-NY", "US-FL", "US-IL", "US-PA", "US-OH", "US-GA", "US-NC", "US-MI"]


def many_exposures(count: int = 1000) -> Incident:
    """``count`` exposures, each with residents of 5 of 10 states (issue 24, target 4)."""
    exposures = [
        {
            "elements": ["name", "ssn"],
            "residents": {STATES[(i + k) % 10]: 100 + i for k in range(5)},
            "encrypted": False,
            "acquired": True,
            "accessed": True,
        }
        for i in range(count)
    ]
    return load_incident(
        {
            "schema_version": "1",
            "id": "BENCH-EXPOSURES",
            "discovered_at": "2026-03-02T09:00:00-05:00",
            "parties": [{"id": "owner", "data_role": "owner", "established_in": ["US-TX"]}],
            "exposures": exposures,
            "good_faith_insider": False,
        }
    )


def provider_chain(length: int) -> Incident:
    """An owner and ``length`` service providers, each serving the one before; the last
    is breached."""
    parties: list[dict[str, Any]] = [
        {"id": "p0", "data_role": "owner", "established_in": ["US-CA"]}
    ]
    for n in range(1, length + 1):
        parties.append(
            {
                "id": f"p{n}",
                "data_role": "service_provider",
                "serves": f"p{n - 1}",
                "established_in": [STATES[n % 10]],
            }
        )
    return load_incident(
        {
            "schema_version": "1",
            "id": f"BENCH-CHAIN-{length}",
            "discovered_at": "2026-03-02T09:00:00-05:00",
            "parties": parties,
            "breached_party": f"p{length}",
            "exposures": [
                {
                    "elements": ["name", "ssn"],
                    "residents": dict.fromkeys(STATES, 1000),
                    "encrypted": False,
                    "acquired": True,
                    "accessed": True,
                }
            ],
            "good_faith_insider": False,
        }
    )
