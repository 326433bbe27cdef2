"""What-if sweeps: vary facts over ranges and see where obligations switch on.

:func:`sweep` takes an incident and a mapping from fact paths to the values to try
(``{"exposures[0].residents.US-CA": range(0, 2001, 100), "risk.harm_likely": [True,
False, None]}``), assesses every combination, and returns for each scenario the values
tried and the status of every obligation. It runs on Dask: pass ``scheduler`` as the
address of a Dask scheduler (``"tcp://10.0.0.5:8786"``) or a ``distributed.Client``, and
the same call runs on that cluster; with neither, it starts a local cluster for the call.
Each worker process compiles its engine once and reuses it for every scenario it gets.

Where the grid varies a count of affected people (``exposures[i].residents.CODE``), its
values are not assessed one by one. Every rule reads a head count only by comparing it
with a constant (``more than 500``), and reach only asks whether it is above zero, so the
values between two consecutive *breakpoints* (each constant, less the people the same fact
already counts elsewhere, and one more) give the same determinations and obligations:
:func:`evaluate_scenarios` assesses one value per such class and gives its statuses to
the whole class. A sweep of a million counts costs a few dozen assessments plus the
bookkeeping of a million points (a property test checks it against the scenario-by-
scenario path on random incidents and grids).

Dask is an optional extra: ``pip install 'breachrules[distributed]'``.
"""

from __future__ import annotations

import bisect
import copy
import importlib
import itertools
import pickle
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from breachrules.engine import Engine
from breachrules.engine.reach import within
from breachrules.io.documents import LIMITS
from breachrules.io.serde import load_incident
from breachrules.law.conditions import All, Any_, Compare, Node, Not
from breachrules.law.ruleset import Ruleset
from breachrules.model.facts import Incident
from breachrules.model.paths import set_path

__all__ = ["SweepPoint", "evaluate_scenarios", "scenarios", "sweep"]

#: The facts that carry a head count (what a rule compares with a constant).
_COUNTS = frozenset(
    {
        "residents",
        "residents_max_place",
        "residents_certain",
        "local_residents",
        "persons_every_exposure",
    }
)
_COUNT_PATH = re.compile(r"exposures\[(\d+)\]\.residents\.([A-Za-z0-9-]+)")
#: Beyond this many other exposures, the sums a count can join are too many to list.
_MAX_OTHER_EXPOSURES = 8

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


def _values(index: int, vary: Mapping[str, Sequence[Any]], paths: list[str]) -> tuple[Any, ...]:
    """The values of scenario ``index`` (row-major, like ``itertools.product``)."""
    picks: list[Any] = []
    for path in reversed(paths):
        index, pick = divmod(index, len(vary[path]))
        picks.append(vary[path][pick])
    picks.reverse()
    return tuple(picks)


def _assess(
    engine: Engine,
    base: Mapping[str, Any],
    paths: Sequence[str],
    values: Sequence[Any],
    jurisdictions: list[str] | None,
) -> tuple[dict[str, str], dict[str, str]]:
    doc = copy.deepcopy(dict(base))
    for path, value in zip(paths, values, strict=True):
        set_path(doc, path, value)
    a = engine.assess(load_incident(doc), jurisdictions=jurisdictions)
    return (
        {d.jurisdiction: d.status for d in a.determinations},
        {o.id: o.status for o in a.obligations},
    )


def _constants(node: Node) -> Iterator[int]:
    """Every constant a head count is compared with in ``node``."""
    if isinstance(node, Compare):
        if node.field in _COUNTS:
            for value in node.value if isinstance(node.value, list | tuple) else [node.value]:
                if isinstance(value, int) and not isinstance(value, bool):
                    yield value
    elif isinstance(node, Not):
        yield from _constants(node.item)
    elif isinstance(node, All | Any_):
        for item in node.items:
            yield from _constants(item)


def _thresholds(ruleset: Ruleset) -> frozenset[int]:
    """The head counts any version of ``ruleset`` compares with."""
    out: set[int] = set()
    for law in ruleset.laws:
        rules = [law.personal_information, law.breach, *law.breach.exceptions]
        rules += [r for ob in law.obligations for r in (ob.rule, *ob.rule.exceptions)]
        for rule in rules:
            out.update(_constants(rule.when))
    return frozenset(out)


def _subset_sums(counts: Sequence[int]) -> set[int]:
    sums = {0}
    for n in counts:
        sums |= {s + n for s in sums}
    return sums


def _laws_with_counts(engine: Engine) -> list[tuple[tuple[str, ...], frozenset[int]]]:
    """(territory, head-count constants) of every loaded ruleset that compares a count."""
    out = [(r.reach.residents, _thresholds(r)) for r in engine.rulesets]
    return [(areas, constants) for areas, constants in out if constants]


def _breakpoints(
    engine: Engine,
    doc: Mapping[str, Any],
    i: int,
    code: str,
    laws: list[tuple[tuple[str, ...], frozenset[int]]] | None = None,
) -> list[int] | None:
    """Where the outcome can change as ``exposures[i].residents.CODE`` grows, the other
    facts as in ``doc``: sorted, or None when the count cannot be classed.

    A law counts the value ``v`` in a sum ``v + c`` (the exposure's other places it
    counts, plus any other exposures of the same possible world) or in the largest
    number in one place, ``max(v + d, ...)`` (the same place in other exposures), and
    compares it with constants ``t``: the outcome can only change where ``v + c`` or
    ``v + d`` crosses ``t``, or where ``v`` leaves zero (reach).
    """
    exposures = doc.get("exposures")
    if not isinstance(exposures, list) or not 0 <= i < len(exposures):
        return None
    if len(exposures) - 1 > _MAX_OTHER_EXPOSURES:
        return None
    points = {0, 1}
    everyone = _offsets(exposures, i, code, None)
    for areas, constants in _laws_with_counts(engine) if laws is None else laws:
        # A law counts the residents of its territory, or everyone when a party is
        # established in it (see ``reach``): both are taken, which can only add points.
        offsets = everyone | _offsets(exposures, i, code, areas)
        for t in constants:
            for c in offsets:
                points.update((t - c, t - c + 1))
    return sorted(points)


def _offsets(exposures: Sequence[Any], i: int, code: str, areas: Sequence[str] | None) -> set[int]:
    """What a law that counts the places in ``areas`` (every place: None) adds to
    ``exposures[i].residents.CODE`` in any fact: the sums of its other places and other
    exposures, and the same place in other exposures. Empty when it does not count CODE."""

    def counts(place: str) -> bool:
        return areas is None or any(within(place, area) for area in areas)

    if not counts(code):
        return set()
    in_reach: list[int] = []
    same_place: list[int] = []
    own = 0
    for j, exposure in enumerate(exposures):
        residents = exposure.get("residents") or {}
        counted = {c: n for c, n in residents.items() if isinstance(n, int) and counts(c)}
        if j == i:
            own = sum(n for c, n in counted.items() if c != code)
        else:
            in_reach.append(sum(counted.values()))
            same_place.append(counted.get(code, 0))
    return {own + s for s in _subset_sums(in_reach)} | _subset_sums(same_place)


def evaluate_scenarios(
    engine: Engine,
    base: Mapping[str, Any],
    vary: Mapping[str, Sequence[Any]],
    indices: Iterable[int],
    jurisdictions: list[str] | None = None,
    reduce: Callable[[SweepPoint], Any] | None = None,
) -> list[Any]:
    """The scenarios ``indices`` of the grid ``vary`` over ``base``, as :class:`SweepPoint`
    (or what ``reduce`` makes of each), in the order given.

    When a path varies a count of affected people, each combination of the other values
    is a group, and within it only one count per class between breakpoints is assessed
    (see the module's docstring); every other path is assessed value by value.
    """
    paths = list(vary)
    counted = [
        (k, m) for k, p in enumerate(paths) if (m := _COUNT_PATH.fullmatch(p)) and _counts(vary[p])
    ]
    axis = max(counted, key=lambda km: len(vary[paths[km[0]]]), default=None)
    memo: dict[tuple[Any, ...], tuple[dict[str, str], dict[str, str]]] = {}
    cuts: dict[tuple[Any, ...], list[int] | None] = {}
    laws: list[tuple[tuple[str, ...], frozenset[int]]] = []
    out: list[Any] = []
    for index in indices:
        values = _values(index, vary, paths)
        key: tuple[Any, ...] = values
        if axis is not None:
            k, match = axis
            rest = values[:k] + values[k + 1 :]
            points = cuts.get(rest, ...)
            if points is ...:
                doc = copy.deepcopy(dict(base))
                for path, value in zip(paths, values, strict=True):
                    if path != paths[k]:
                        set_path(doc, path, value)
                laws = laws or _laws_with_counts(engine)
                where = int(match.group(1)), match.group(2)
                points = cuts[rest] = _breakpoints(engine, doc, *where, laws)
            if points is not None:
                key = (rest, bisect.bisect_right(points, values[k]))
        try:
            found = memo.get(key)
        except TypeError:  # a value that is no number or word (a list of elements)
            found = _assess(engine, base, paths, values, jurisdictions)
        if found is None:
            found = memo[key] = _assess(engine, base, paths, values, jurisdictions)
        point = SweepPoint(values, dict(found[0]), dict(found[1]), tuple(paths))
        out.append(point if reduce is None else reduce(point))
    return out


def _counts(values: Sequence[Any]) -> bool:
    """Whether every value is a head count (an int from 0 to the limit); a ``range`` is
    judged by its ends, not item by item (each task of a sweep asks again)."""
    if isinstance(values, range):
        return len(values) == 0 or (
            min(values[0], values[-1]) >= 0 and max(values[0], values[-1]) <= LIMITS["count"]
        )
    return all(
        isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= LIMITS["count"] for v in values
    )


def _run_partition(
    indices: Iterable[int],
    base: Mapping[str, Any],
    vary: Mapping[str, Sequence[Any]],
    jurisdictions: list[str] | None,
    config: tuple[Any, ...],
    reduce: Callable[[SweepPoint], Any] | None = None,
) -> bytes:
    """One task's points, pickled here into one byte string.

    Why bytes: Dask serialises a list that a task returns item by item, some 45 µs an
    item on each side (a million points took 86 s on two workers, against 2 s of work);
    one byte string crosses as it is (3 s). The client unpickles what its own workers
    pickled, as Dask itself would have.
    """
    points = evaluate_scenarios(_engine(config), base, vary, indices, jurisdictions, reduce)
    return pickle.dumps(points, protocol=pickle.HIGHEST_PROTOCOL)


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
    reduce: Callable[[SweepPoint], Any] | None = None,
) -> list[Any]:
    """Assess every combination of ``vary`` on Dask; results in ``itertools.product`` order.

    ``scheduler``: a scheduler address (``"tcp://host:8786"``), a ``distributed.Client``,
    or None for a local cluster started (and closed) for this call. Only the address
    changes between a laptop and a cluster. The pure-Python backend is the default here:
    it needs no C extension on the workers. ``reduce``, a module-level (picklable)
    function, is applied to each :class:`SweepPoint` in the worker that made it, so only
    what it returns crosses to this process: a million points are large.
    """
    try:
        # Held as Any: Dask's own type hints are partial.
        distributed: Any = importlib.import_module("distributed")
    except ImportError as exc:  # pragma: no cover - the extra is not installed
        raise ImportError("sweep needs Dask: pip install 'breachrules[distributed]'") from exc
    Client, LocalCluster = distributed.Client, distributed.LocalCluster
    base = incident.to_dict() if isinstance(incident, Incident) else dict(incident)
    # A range stays a range: a million counts cross to each worker as three numbers.
    grid = {p: v if isinstance(v, range) else list(v) for p, v in vary.items()}
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
        # Plain tasks over ranges of scenario numbers (a Dask bag cost more than the
        # scenarios themselves once they are evaluated by classes).
        size = -(-total // n)
        chunks = [range(k, min(total, k + size)) for k in range(0, total, size)]
        futures = client.map(
            _run_partition,
            chunks,
            base=base,
            vary=grid,
            jurisdictions=codes,
            config=config,
            reduce=reduce,
            pure=False,
        )
        return [point for part in client.gather(futures) for point in pickle.loads(part)]
    finally:
        for thing in owned:
            thing.close()
