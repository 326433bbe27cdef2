"""assess_many: the same assessments as one engine, in input order, on several processes."""

from __future__ import annotations

import gc
import sys

from breachrules import Engine, assess_many, load_incident

from .conftest import EXAMPLES


def test_assess_many_matches_sequential_results_in_order(engine: Engine) -> None:
    """Two worker processes give byte-identical assessments, in the order given."""
    incidents = [load_incident(p) for p in sorted(EXAMPLES.glob("*.json"))] * 3
    many = assess_many(incidents, processes=2, chunk_size=4)
    assert [a.to_json() for a in many] == [engine.assess(i).to_json() for i in incidents]
    # The heap is frozen only while the workers fork and run (see batch.py), then thawed.
    assert gc.get_freeze_count() == 0


def test_assess_many_in_process_with_progress(capsys, monkeypatch) -> None:
    """processes=1 runs here with one engine; without rich, a counter reaches the total."""
    monkeypatch.setitem(sys.modules, "rich.progress", None)
    incidents = [load_incident(p) for p in sorted(EXAMPLES.glob("*.json"))][:3]
    out = assess_many(incidents, processes=1, progress=True, jurisdictions=["US-CA"])
    assert [a.incident_id for a in out] == [i.id for i in incidents]
    assert "assessed 3/3" in capsys.readouterr().err


def test_the_rich_progress_bar_is_on_standard_error(capsys) -> None:  # type: ignore[no-untyped-def]
    """With rich, the bar goes where the counter goes (scaling.md): standard output stays
    the caller's (user test 6 found the bar on standard output)."""
    incidents = [load_incident(p) for p in sorted(EXAMPLES.glob("*.json"))][:3]
    assess_many(incidents, processes=1, progress=True, jurisdictions=["US-CA"])
    out, err = capsys.readouterr()
    assert out == "" and "assessing" in err


def _statuses(assessment) -> dict[str, str]:
    return {o.id: o.status for o in assessment.obligations}


def test_reduce_runs_in_the_worker(engine: Engine) -> None:
    """A reducer's results come back instead of whole assessments, in order."""
    incidents = [load_incident(p) for p in sorted(EXAMPLES.glob("*.json"))] * 2
    got = assess_many(incidents, processes=2, chunk_size=3, reduce=_statuses)
    assert got == [_statuses(engine.assess(i)) for i in incidents]


def test_a_batch_leaves_the_heap_as_it_found_it(engine: Engine) -> None:
    """The results are frozen while the batch runs and thawed afterwards; a host's own
    frozen objects stay frozen."""
    incidents = [load_incident(p) for p in sorted(EXAMPLES.glob("*.json"))][:3]
    assert gc.get_freeze_count() == 0
    assess_many(incidents, processes=1, engine=engine, chunk_size=1)
    assert gc.get_freeze_count() == 0
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assess_many(incidents, processes=1, engine=engine, chunk_size=1)
        assert gc.get_freeze_count() >= frozen
    finally:
        gc.unfreeze()
