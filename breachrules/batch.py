"""Assess many incidents, on several processes, with progress.

:func:`assess_many` spreads incidents over a pool of worker processes. Each worker builds
its :class:`~breachrules.engine.Engine` once and reuses it for every incident it is
given, because compiling the rulesets costs far more than one assessment. Where the
platform can fork (Linux), the engine is built once in this process and the workers
inherit it, so they start at once; elsewhere each worker builds its own when it starts.
Results come back in the order of the input. A progress bar (``rich``, if installed; a
plain counter on standard error otherwise) shows how far a long run has got.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

from breachrules.decisions import Assessment
from breachrules.engine import Engine
from breachrules.facts import Incident

__all__ = ["assess_many"]

_WORKER: Engine | None = None


def _start(paths: Sequence[str], bundled: bool, backend: str | None) -> None:
    global _WORKER
    _WORKER = Engine(paths=paths, bundled=bundled, backend=backend)


def _assess_chunk(
    chunk: list[Incident],
    as_of: datetime | str | None,
    jurisdictions: list[str] | None,
    reduce: Callable[[Assessment], Any] | None = None,
) -> list[Any]:
    assert _WORKER is not None, "worker started without an engine"
    out = [_WORKER.assess(i, as_of=as_of, jurisdictions=jurisdictions) for i in chunk]
    return out if reduce is None else [reduce(a) for a in out]


def _chunks(items: Sequence[Incident], size: int) -> Iterator[list[Incident]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def _progress(total: int, enabled: bool) -> tuple[Callable[[int], None], Callable[[], None]]:
    if not enabled:
        return (lambda n: None), (lambda: None)
    try:
        from rich.progress import Progress

        bar = Progress(transient=False)
        bar.start()
        task = bar.add_task("assessing", total=total)
        return (lambda n: bar.advance(task, n)), bar.stop
    except ImportError:
        done = [0]

        def advance(n: int) -> None:
            done[0] += n
            print(f"\rassessed {done[0]}/{total}", end="", file=sys.stderr, flush=True)

        return advance, lambda: print(file=sys.stderr)


def assess_many(
    incidents: Iterable[Incident],
    *,
    processes: int | None = None,
    as_of: datetime | str | None = None,
    jurisdictions: Iterable[str] | None = None,
    paths: Sequence[str | Path] = (),
    bundled: bool = True,
    backend: str | None = None,
    chunk_size: int = 64,
    progress: bool = False,
    reduce: Callable[[Assessment], Any] | None = None,
    engine: Engine | None = None,
) -> list[Any]:
    """Assess every incident; ``processes`` workers (default: one per CPU; 1: in this
    process, with one engine). The result list is in input order.

    ``paths``/``bundled``/``backend`` configure each worker's engine as for ``Engine``;
    or pass a built ``engine``: it is used here and inherited by forked workers.
    ``reduce``, a picklable function, is applied to each assessment in the worker and its
    result returned instead: a whole assessment (audit chain, reasons, facts) is large,
    and sending thousands back to this process can cost more than computing them, so a
    batch that needs only a summary should reduce where it is computed.
    """
    items = list(incidents)
    codes = list(jurisdictions) if jurisdictions is not None else None
    advance, stop = _progress(len(items), progress)
    try:
        workers = processes or os.cpu_count() or 1
        if workers == 1 or len(items) <= chunk_size:
            engine = engine or Engine(paths=paths, bundled=bundled, backend=backend)
            out: list[Any] = []
            for item in items:
                a = engine.assess(item, as_of=as_of, jurisdictions=codes)
                out.append(a if reduce is None else reduce(a))
                advance(1)
            return out
        results: list[Any] = []
        config = ([str(p) for p in paths], bundled, backend)
        if "fork" in multiprocessing.get_all_start_methods():
            global _WORKER
            if engine is not None:
                _WORKER = engine
            else:
                _start(*config)  # inherited by the forked workers: no compile per worker
            pool_args: dict[str, Any] = {"mp_context": multiprocessing.get_context("fork")}
        else:  # pragma: no cover - spawn-only platforms
            pool_args = {"initializer": _start, "initargs": config}
        # Forked workers share the parent's memory until they write to it, and a garbage
        # collection writes to every object it scans: frozen, the engine and everything
        # else alive here are left alone by the workers' collections (see gc.freeze).
        gc.freeze()
        try:
            with ProcessPoolExecutor(max_workers=workers, **pool_args) as pool:
                futures = [
                    pool.submit(_assess_chunk, chunk, as_of, codes, reduce)
                    for chunk in _chunks(items, chunk_size)
                ]
                for future in futures:
                    chunk_result = future.result()
                    results.extend(chunk_result)
                    advance(len(chunk_result))
        finally:
            gc.unfreeze()
        return results
    finally:
        stop()
