"""Assess many incidents, on several processes, with progress.

:func:`assess_many` spreads incidents over this process and a pool of worker processes
(``processes=2`` is this process and one worker, both assessing). Each worker builds
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
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from breachrules.engine import Engine
from breachrules.model.decisions import Assessment
from breachrules.model.facts import Incident

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
    engine: Engine | None = None,
) -> list[Any]:
    engine = engine or _WORKER
    assert engine is not None, "worker started without an engine"
    out = [engine.assess(i, as_of=as_of, jurisdictions=jurisdictions) for i in chunk]
    return out if reduce is None else [reduce(a) for a in out]


@contextmanager
def _frozen_heap() -> Iterator[Callable[[], None]]:
    """Keep the garbage collector off what a batch has already built, while it runs.

    A batch keeps every result until it returns, and each full collection would scan them
    all again: thousands of assessments, millions of objects. ``gc.freeze()`` moves what
    is alive into a generation the collector leaves alone; the batch calls what this
    yields after each chunk, and everything is thawed at the end. Frozen before workers
    fork, the heap is also not copied page by page into each worker by its collections.
    Frozen objects are still freed as soon as nothing refers to them. If the host had
    frozen objects itself, nothing is thawed (that would thaw the host's too): the
    batch's results then stay frozen, which matters only for reference cycles, and
    assessments have none.
    """
    host_froze = gc.get_freeze_count() > 0
    gc.freeze()
    try:
        yield gc.freeze
    finally:
        if not host_froze:
            gc.unfreeze()


def _share(
    pool: ProcessPoolExecutor,
    workers: int,
    chunks: list[list[Incident]],
    local: Engine,
    args: tuple[datetime | str | None, list[str] | None, Callable[[Assessment], Any] | None],
    advance: Callable[[int], None],
    keep: Callable[[], None],
) -> list[list[Any]]:
    """Assess ``chunks`` on the pool's workers and in this process at once.

    The workers take chunks from the front, each kept busy with one chunk and one more
    queued; this process takes chunks from the back and collects the workers' results
    between its own. So ``processes=2`` is this process and one worker, both assessing,
    and only the worker's half of the results is sent between processes.
    """
    as_of, codes, reduce = args
    results: list[list[Any]] = [[] for _ in chunks]
    front, back = 0, len(chunks)
    flight: dict[Future[list[Any]], int] = {}

    def collect(futures: Iterable[Future[list[Any]]]) -> None:
        for future in futures:
            index = flight.pop(future)
            results[index] = future.result()
            advance(len(results[index]))
        keep()

    while front < back or flight:
        while front < back and len(flight) < 2 * workers:
            flight[pool.submit(_assess_chunk, chunks[front], as_of, codes, reduce)] = front
            front += 1
        if front < back:
            back -= 1
            results[back] = _assess_chunk(chunks[back], as_of, codes, reduce, local)
            advance(len(results[back]))
            keep()
            collect([f for f in flight if f.done()])
        else:
            collect(wait(flight, return_when=FIRST_COMPLETED).done)
    return results


def _chunks(items: Sequence[Incident], size: int) -> Iterator[list[Incident]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def _progress(total: int, enabled: bool) -> tuple[Callable[[int], None], Callable[[], None]]:
    if not enabled:
        return (lambda n: None), (lambda: None)
    try:
        from rich.console import Console
        from rich.progress import Progress

        # On standard error, as the fallback writes it: standard output is the caller's.
        bar = Progress(console=Console(stderr=True), transient=False)
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
    """Assess every incident on ``processes`` processes, this one included (default: one
    per CPU; 1: only this one). The result list is in input order.

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
            with _frozen_heap() as keep:
                for chunk in _chunks(items, chunk_size):
                    out += _assess_chunk(chunk, as_of, codes, reduce, engine)
                    advance(len(chunk))
                    keep()
            return out
        config = ([str(p) for p in paths], bundled, backend)
        if "fork" in multiprocessing.get_all_start_methods():
            global _WORKER
            if engine is not None:
                _WORKER = engine
            else:
                _start(*config)  # inherited by the forked workers: no compile per worker
            local = _WORKER
            assert local is not None
            # Each law is loaded and compiled when first reached: do it here, once, for
            # every law this batch reaches, so the forked workers inherit it compiled.
            local.prepare(items, codes)
            pool_args: dict[str, Any] = {"mp_context": multiprocessing.get_context("fork")}
        else:  # pragma: no cover - spawn-only platforms
            local = engine or Engine(paths=paths, bundled=bundled, backend=backend)
            pool_args = {"initializer": _start, "initargs": config}
        assert local is not None
        with (
            _frozen_heap() as keep,
            ProcessPoolExecutor(max_workers=workers - 1, **pool_args) as pool,
        ):
            chunks = list(_chunks(items, chunk_size))
            args = (as_of, codes, reduce)
            done = _share(pool, workers - 1, chunks, local, args, advance, keep)
        return [result for chunk in done for result in chunk]
    finally:
        stop()
