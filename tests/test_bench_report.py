"""The benchmark's report: one function per target of issue 24, each figure beside its
target and their ratio. Behaviour only; no figure is asserted to be fast."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from .conftest import EXAMPLES


def test_each_figure_is_measured_against_its_target(capsys: pytest.CaptureFixture[str]) -> None:
    from breachrules.scale.bench import Figure, first_decision, report
    from breachrules.scale.measure import Run

    runs = {
        "assess": [Run(0.30, 60.0, 0.2), Run(0.40, 61.0, 0.2), Run(0.20, 59.0, 0.2)],
        "schema": [Run(0.25, 40.0, 0.1), Run(0.20, 40.0, 0.1), Run(0.25, 40.0, 0.1)],
        "import": [Run(0.20, 20.0, 0.02)] * 3,
        "cold": [Run(1.5, 90.0, 1.0)] * 3,
    }
    figures = first_decision(None, runs)  # type: ignore[arg-type]
    by_label = {f.label: f for f in figures}
    warm = by_label["CLI assess, bundled example, cache warm"]
    assert (warm.measured, warm.target) == (0.30, 0.35)
    assert warm.ratio == pytest.approx(0.30 / 0.35)
    # the ratio to schema is taken round by round: 1.2, 2.0, 0.8 -> median 1.2
    assert by_label["CLI assess / schema incident, same rounds"].measured == pytest.approx(1.2)
    assert by_label["  in CPU time"].measured == pytest.approx(2.0)
    assert by_label["CLI assess, first call (cache empty)"].ratio is None
    report("1. time to first decision", figures)
    report("3. sweeps", [])
    out = capsys.readouterr().out
    assert "  met" in out and "NOT MET" in out  # 0.30 <= 0.35 met; import 0.20 > 0.12
    assert "(not measured in this run)" in out
    assert Figure.of("x", 2.0, 1.0, "s").ratio == 2.0


def test_the_command_line_runs_use_a_cache_of_their_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """New processes, each with its peak memory; never the user's cache folder."""
    from breachrules.scale import measure

    seen: list[str] = []
    real = measure.run_process

    def spy(argv: list[str], env: dict[str, str]) -> measure.Run:
        seen.append(env["BREACHRULES_CACHE_DIR"])
        return real([sys.executable, "-c", "pass"], env)

    monkeypatch.setattr(measure, "run_process", spy)
    runs = measure.cli_runs(2)
    assert {k: len(v) for k, v in runs.items()} == dict.fromkeys(
        ["assess", "schema", "import", "cold"], 2
    )
    assert all(r.peak_mb > 1 and r.cpu > 0 for r in runs["assess"])
    assert all(Path(d).parent.name.startswith("breachrules-bench-") for d in seen)
    assert len({d for d in seen if d.endswith("warm")}) == 1
    assert len({d for d in seen if "cold" in d}) == 2  # an empty cache for each cold call


def test_the_growth_incidents_are_what_the_issue_describes() -> None:
    from breachrules.scale.measure import many_exposures, provider_chain

    incident = many_exposures()
    assert len(incident.exposures) == 1000
    assert all(len(e.residents) == 5 for e in incident.exposures)
    assert len({c for e in incident.exposures for c in e.residents}) == 10
    chain = provider_chain(50)
    assert len(chain.parties) == 51 and chain.breached_party == "p50"


def test_targets_2_and_4_in_detail_measure_what_they_say() -> None:
    """Each typical example against 1 ms (larger ones without a target); the 1,000-exposure
    incident's JSON and its parts; chains of providers against linear steps."""
    from breachrules import Engine
    from breachrules.scale.bench import Options, growth_parts, hot_path_examples

    engine = Engine()
    opts = Options(rounds=1, number=1, cli_rounds=1, memory=1, traced=1, sweep=0, scheduler=None)
    examples = hot_path_examples(opts, engine)
    assert len(examples) == len(list(EXAMPLES.glob("*.json")))
    assert all(f.unit == "ms" and f.measured > 0 for f in examples)
    small = [f for f in examples if f.target == 1.0]
    assert small and all(int(f.label.rsplit("(", 1)[1].split()[0]) <= 4 for f in small)
    assert any(f.target is None for f in examples)  # the 30-state ransomware is no typical one
    parts = {f.label.strip(): f for f in growth_parts(opts, engine)}
    whole = parts["1,000 exposures: the whole JSON text"]
    audit = parts["of it the audit (each exposure's facts once)"]
    reasons = parts["of it the reasons (exposure facts by reference)"]
    assert whole.target == 1.0 and audit.measured + reasons.measured < whole.measured
    assert parts["chain of 50 / chain of 25 (linear: 2)"].target == 2.0


def test_the_doubled_rulesets_load_and_reach_only_places_of_their_own(tmp_path: Path) -> None:
    """The bench's second set: every bundled ruleset again under a new code, reaching a
    fictional place of its own, so an example incident reaches none of them."""
    from breachrules import Engine, load_incident
    from breachrules.scale.measure import CLI_EXAMPLE, copy_rulesets

    n = copy_rulesets(tmp_path)
    Engine(paths=[tmp_path])  # the first call reads (and caches) every file
    engine = Engine(paths=[tmp_path])
    assert len(engine._by_code) == 2 * n and n > 100
    incident = load_incident(CLI_EXAMPLE)
    assert engine.assess(incident).to_json() == Engine().assess(incident).to_json()
    assert not any(code.startswith("XA-") for code in engine.loaded)


def test_the_growth_runs_take_turns_on_one_warm_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    from breachrules.scale import measure

    seen: list[tuple[str, ...]] = []
    real = measure.run_process

    def spy(argv: list[str], env: dict[str, str]) -> measure.Run:
        seen.append((env["BREACHRULES_CACHE_DIR"], *argv[3:5]))
        return real([sys.executable, "-c", "pass"], env)

    monkeypatch.setattr(measure, "run_process", spy)
    monkeypatch.setattr(measure, "copy_rulesets", lambda target: 3)
    runs, n = measure.growth_runs(2)
    assert n == 3 and {k: len(v) for k, v in runs.items()} == {
        "bundled": 2,
        "doubled": 2,
        "schema": 2,
    }
    assert len({s[0] for s in seen}) == 1  # one cache, warmed by the first two calls
    assert [s[1] for s in seen[:2]] == ["assess", "--rulesets"]


def test_the_sweep_figures_count_the_assessments_made(monkeypatch: pytest.MonkeyPatch) -> None:
    from breachrules.scale import bench

    monkeypatch.setattr(bench, "_cluster_sweep", lambda *args: [])
    opts = bench.Options(3, 1, 1, 1, 1, 0, None)
    figures = {f.label.split(" (")[0]: f for f in bench.sweep_classes(opts)}
    share = next(f for label, f in figures.items() if label.startswith("  assessments"))
    assert 0 < share.measured < 100
    assert figures["sweep of 10^6 by classes, 1 process"].target == 60.0


def test_the_typical_incident_is_the_mean_of_the_one_to_four_law_examples() -> None:
    """The target's typical incident applies one to four laws: the 18- and 30-law examples
    are listed on their own (2b), not averaged into the figure held against 1 ms."""
    from breachrules import Engine
    from breachrules.io.serde import load_incident
    from breachrules.scale.bench import Options, hot_path, typical_examples

    engine = Engine()
    typical = typical_examples(engine)
    names = {i.id for i in typical}
    every = [load_incident(p) for p in sorted(EXAMPLES.glob("*.json"))]
    laws = {
        i.id: sum(d.status != "not_applicable" for d in engine.assess(i).determinations)
        for i in every
    }
    assert names == {k for k, n in laws.items() if 1 <= n <= 4}
    assert len(names) < len(every)  # the multistate and multinational examples are left out
    opts = Options(rounds=1, number=1, cli_rounds=1, memory=1, traced=1, sweep=0, scheduler=None)
    figures = hot_path(opts, engine, None)
    (line,) = [f for f in figures if f.label.startswith("typical")]
    assert f"1-4-law incident + to_dict(), python (mean of {len(typical)})" in line.label
    assert line.target == 1.0 and len(line.label) <= 60  # the report's label column
    (collector,) = [f for f in figures if "garbage collector" in f.label]
    assert collector.unit == "%" and collector.target is None and collector.measured < 100
