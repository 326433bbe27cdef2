"""What-if sweeps: vary facts over ranges and see where obligations switch on.

:func:`sweep` takes an incident and a mapping from fact paths to the values to try
(``{"exposures[0].residents.US-CA": range(0, 2001, 100), "risk.harm_likely": [True,
False, None]}``), assesses every combination, and returns for each scenario the values
tried and the status of every obligation. It runs on Dask: pass ``scheduler`` as the
address of a Dask scheduler (``"tcp://10.0.0.5:8786"``) or a ``distributed.Client``, and
the same call runs on that cluster; with neither, it starts a local cluster for the call.
Each worker process compiles its engine once and reuses it for every scenario it gets.

Dask is an optional extra: ``pip install 'breachrules[distributed]'``.
"""

from __future__ import annotations

import copy
import importlib
import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from breachrules.engine import Engine
from breachrules.io.serde import load_incident
from breachrules.model.facts import Incident
from breachrules.model.paths import set_path

__all__ = ["SweepPoint", "scenarios", "sweep"]

_ENGINES: dict[tuple[Any, ...], Engine] = {}


@attrs.frozen
class SweepPoint:
    """One scenario: the values tried, each determination and each obligation's status."""

    values: tuple[Any, ...]
    determinations: dict[str, str]
    obligations: dict[str, str]
    #: The fact paths the values were tried at, in order (what ``to_dataframe`` names its
    #: columns by).
    paths: tuple[str, ...] = ()


def scenarios(
    base: Mapping[str, Any], vary: Mapping[str, Sequence[Any]]
) -> Iterator[dict[str, Any]]:
    """Every combination of ``vary`` applied to a copy of the incident document ``base``."""
    paths = list(vary)
    for values in itertools.product(*(vary[p] for p in paths)):
        doc = copy.deepcopy(dict(base))
        for path, value in zip(paths, values, strict=True):
            set_path(doc, path, value)
        yield doc


def _engine(config: tuple[Any, ...]) -> Engine:
    engine = _ENGINES.get(config)
    if engine is None:
        paths, bundled, backend = config
        engine = _ENGINES[config] = Engine(paths=paths, bundled=bundled, backend=backend)
    return engine


def _run_partition(
    indices: Iterable[int],
    base: Mapping[str, Any],
    vary: Mapping[str, Sequence[Any]],
    jurisdictions: list[str] | None,
    config: tuple[Any, ...],
) -> list[SweepPoint]:
    engine = _engine(config)
    paths = list(vary)
    sizes = [len(vary[p]) for p in paths]
    out = []
    for index in indices:
        # Decode the flat index into one value per varied path (row-major, like product).
        picks, rest = [], index
        for size in reversed(sizes):
            rest, pick = divmod(rest, size)
            picks.append(pick)
        picks.reverse()
        values = tuple(vary[p][k] for p, k in zip(paths, picks, strict=True))
        doc = copy.deepcopy(dict(base))
        for path, value in zip(paths, values, strict=True):
            set_path(doc, path, value)
        a = engine.assess(load_incident(doc), jurisdictions=jurisdictions)
        out.append(
            SweepPoint(
                values,
                {d.jurisdiction: d.status for d in a.determinations},
                {o.id: o.status for o in a.obligations},
                tuple(paths),
            )
        )
    return out


def sweep(
    incident: Incident | Mapping[str, Any],
    vary: Mapping[str, Sequence[Any]],
    *,
    scheduler: Any = None,
    jurisdictions: Iterable[str] | None = None,
    partitions: int | None = None,
    paths: Sequence[str] = (),
    bundled: bool = True,
    backend: str | None = "python",
) -> list[SweepPoint]:
    """Assess every combination of ``vary`` on Dask; results in ``itertools.product`` order.

    ``scheduler``: a scheduler address (``"tcp://host:8786"``), a ``distributed.Client``,
    or None for a local cluster started (and closed) for this call. Only the address
    changes between a laptop and a cluster. The pure-Python backend is the default here:
    it needs no C extension on the workers.
    """
    try:
        # Held as Any: Dask's own type hints are partial.
        db: Any = importlib.import_module("dask.bag")
        distributed: Any = importlib.import_module("distributed")
    except ImportError as exc:  # pragma: no cover - the extra is not installed
        raise ImportError("sweep needs Dask: pip install 'breachrules[distributed]'") from exc
    Client, LocalCluster = distributed.Client, distributed.LocalCluster
    base = incident.to_dict() if isinstance(incident, Incident) else dict(incident)
    grid = {p: list(v) for p, v in vary.items()}
    total = 1
    for values in grid.values():
        total *= len(values)
    codes = list(jurisdictions) if jurisdictions is not None else None
    config = (tuple(paths), bundled, backend)
    owned: list[Any] = []
    if isinstance(scheduler, Client):
        client = scheduler
    elif scheduler is None:
        cluster = LocalCluster(processes=True, dashboard_address=None)
        client = Client(cluster)
        owned = [client, cluster]
    else:
        client = Client(scheduler)
        owned = [client]
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        n = partitions or max(1, min(total, workers * 8))
        bag = db.range(total, npartitions=n).map_partitions(
            _run_partition, base, grid, codes, config
        )
        result: list[SweepPoint] = client.compute(bag).result()
        return result
    finally:
        for thing in owned:
            thing.close()
