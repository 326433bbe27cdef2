"""Mutation testing of law: change one thing in a ruleset and see whether its cases notice.

A scenario file can pass and still pin nothing: a case that never reaches 1,001 residents
cannot tell ``gt: 1000`` from ``gte: 1000``, and a case that asserts only ``status`` cannot
tell a 30-day deadline from a 31-day one. This module makes the gaps visible. It changes
one thing at a time in a ruleset's document (a *mutant*), loads the changed ruleset as the
loader would, runs the ruleset's scenario cases against it, and reports:

``killed``
    a case failed: the cases pin what was changed;
``survived``
    every case still passed: nothing pins it. Where an incident tells the original and the
    changed ruleset apart, the report carries a ready-to-paste scenario case whose
    expectation is what the *original* ruleset says (counsel check it against the statute
    before pasting: the original may be the one that is wrong);
``equivalent``
    survived, and no incident tried told the two apart (the change may make no difference);
``rejected``
    the loader refused the changed ruleset (a gap between versions, an unknown word):
    such changes cannot reach a user, so they are not counted.

The score is killed / (killed + survived). The changes, by kind:

- ``threshold``: a whole number in a comparison (``gt: 500``) ±1, and ``gt``↔``gte``,
  ``lt``↔``lte``; a substitute-notice limit ±1;
- ``deadline``: ``days`` or ``hours`` ±1; ``business_days``: flipped; ``anchor``: the
  clock runs from another moment;
- ``element``: one data element removed from a list;
- ``exception``: an exception removed, or its condition negated;
- ``version``: a version's first day one day earlier or later (the previous version's
  last day moved with it, so no gap opens);
- ``time_zone``: the law's zone (where its days end) moved six hours east and six hours
  west (as far as there is land: at least two hours), to a place's zone: a case discovered
  mid-afternoon in the law's own zone notices the first, one discovered before dawn the
  second;
- ``holidays``: the business-day calendar's subdivision dropped (``US-NY`` → ``US``) and
  another country's calendar (``US`` → ``GB``, any other → ``US``), where a deadline counts
  business days: a case whose period spans one of the law's holidays notices them;
- ``delay``: an obligation's ``law_enforcement_delay`` removed, its ``ends:`` changed to
  another kind (``end_of_delay`` ↔ ``restart``, ``after`` → either), its period after the
  agency's word ±1 (``days`` or ``hours``), its ``business_days`` flipped, its cap
  (``longest:``) dropped; made where the obligation's deadline has a fixed period (else a
  delay moves no date); a case whose agency asked for a delay, ending before and after the
  notice was otherwise due, notices them;
- ``recipient``, ``party``: the recipient or the bound party swapped;
- ``obligation``: an obligation dropped; ``condition``: an obligation's ``when`` dropped,
  or one item of an ``any:`` or ``all:`` list of two or more dropped, in any condition
  (breach, personal information, exceptions, obligations): a ruleset whose breach is
  ``any: [{acquired: true}, {lost: true}]`` needs a case where loss alone makes a breach.

Rule coverage (``breachrules test --coverage``) is read from the same run: an *item* (a
rule, an exception, a threshold, a deadline, an obligation, an obligation's delay) is
exercised when every change to it is killed, which is stricter than "evaluated": a case
must *depend* on it.

One module, one job: mutants, from a ruleset's text to the report, with the search for a
case that tells a survivor apart; the views (text and coverage) stay small beside it.
"""

from __future__ import annotations

import copy
import itertools
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import attrs
import yaml

from breachrules.engine import Engine
from breachrules.errors import BreachrulesError
from breachrules.io.serde import load_incident
from breachrules.law.lines import field_path, line_of
from breachrules.law.lines import plain as as_plain
from breachrules.law.loader import read_located
from breachrules.model.timestamps import parse_timestamp
from breachrules.model.vocabulary import DATA_ELEMENTS
from breachrules.testing.cases import decision, without
from breachrules.testing.scenarios import Scenario, read_scenarios, run_scenario, same_instant

__all__ = [
    "KINDS",
    "Mutant",
    "MutationReport",
    "Result",
    "coverage_lines",
    "main",
    "mutants",
    "mutation_test",
    "mutation_tests",
    "pair_files",
    "report_lines",
    "scores_document",
]

#: The kinds of change, in the order the report lists them.
KINDS: tuple[str, ...] = (
    "threshold",
    "deadline",
    "business_days",
    "anchor",
    "element",
    "exception",
    "version",
    "time_zone",
    "holidays",
    "delay",
    "recipient",
    "party",
    "obligation",
    "condition",
)

Verdict = Literal["killed", "survived", "equivalent", "rejected"]
Path_ = tuple[str | int, ...]

_ORDER = {"gt": "gte", "gte": "gt", "lt": "lte", "lte": "lt"}
_ELEMENTS = frozenset(DATA_ELEMENTS)
_OTHER_RECIPIENT = {"individuals": "regulator", "attorney_general": "regulator"}
_OTHER_PARTY = {"owner": "breached_party", "breached_party": "owner"}


@attrs.frozen
class Mutant:
    """One change to a ruleset's document.

    ``item`` names what the change belongs to (the id of the nearest rule, exception or
    obligation and the field), so that rule coverage can group changes; ``where`` is the
    field path and ``line`` its line in the ruleset file.
    """

    kind: str
    where: str
    line: int | None
    change: str
    item: str
    document: Any = attrs.field(repr=False, eq=False)
    #: A number the change moved (a threshold's limit), for the search for a telling case.
    number: int | None = None
    #: A data element the change removed, for the same search.
    element: str | None = None
    #: The first day a version change moved, for the same search.
    day: str | None = None
    #: A dropped alternative of an ``any:`` list and the alternatives left, for the same
    #: search (an incident where the dropped one alone is true).
    alternative: Any = attrs.field(default=None, eq=False)
    others: tuple[Any, ...] = attrs.field(default=(), eq=False)
    #: The law's zone and the changed zone, or its calendar and the changed calendar (a
    #: ``time_zone`` or ``holidays`` change), for the same search.
    zones: tuple[str, str] | None = None
    calendars: tuple[tuple[str, str | None], tuple[str, str | None]] | None = None
    #: A change to a law-enforcement delay: the search tries incidents with a delay asked.
    delay: bool = False


@attrs.frozen
class Result:
    """What the cases made of one mutant; ``case`` is a ready scenario case for a survivor."""

    mutant: Mutant
    verdict: Verdict
    killed_by: str | None = None
    case: dict[str, Any] | None = None


@attrs.frozen
class MutationReport:
    """Every mutant of one ruleset and its verdict.

    ``problems`` is not empty when the cases fail on the ruleset as it is: mutation
    testing needs a passing suite, so nothing else was run.
    """

    code: str
    ruleset_file: str
    scenario_files: tuple[str, ...]
    results: tuple[Result, ...] = ()
    problems: tuple[str, ...] = ()

    def count(self, verdict: Verdict, kind: str | None = None) -> int:
        return sum(
            r.verdict == verdict and (kind is None or r.mutant.kind == kind) for r in self.results
        )

    @property
    def counted(self) -> int:
        """Mutants that count: killed or survived (not equivalent, not rejected)."""
        return self.count("killed") + self.count("survived")

    @property
    def score(self) -> float | None:
        """killed / (killed + survived); None when nothing counted."""
        return self.count("killed") / self.counted if self.counted else None


# --- mutants ---------------------------------------------------------------------------


def _get(doc: Any, path: Path_) -> Any:
    for step in path:
        doc = doc[step]
    return doc


def _put(doc: Any, path: Path_, value: Any) -> Any:
    """A copy of ``doc`` with ``value`` at ``path``."""
    out = copy.deepcopy(doc)
    _get(out, path[:-1])[path[-1]] = value
    return out


def _item(doc: Any, path: Path_) -> str:
    """The id of the nearest rule, exception or obligation above ``path``, and the rest."""
    owner, rest = "", list(path)
    node = doc
    for n, step in enumerate(path):
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, Mapping) and isinstance(node.get("id"), str):
            owner, rest = node["id"], list(path[n + 1 :])
        elif isinstance(node, Mapping) and n >= 2 and path[n - 1] == "parameters":
            owner, rest = f"${step} (versions[{path[1]}])", list(path[n + 1 :])
        elif n == 2 and path[0] == "parameters" and isinstance(node, Mapping):
            owner = f"${path[1]} (from {node.get('from')})"  # a dated value of a series
            rest = list(path[n + 1 :])
    tail = field_path(rest)
    return f"{owner} {tail}".strip() if owner else tail


def _is_deadline(node: Mapping[str, Any]) -> bool:
    return "text" in node and ("days" in node or "hours" in node)


def _is_elements(node: list[Any]) -> bool:
    words = [x for x in node if isinstance(x, str)]
    return (
        len(node) >= 2
        and bool(words)
        and all(x in _ELEMENTS for x in words)
        and all(isinstance(x, str | list) for x in node)
    )


def mutants(doc: Any) -> Iterator[Mutant]:
    """Every single change this module makes to a ruleset document (as read by
    :func:`~breachrules.law.loader.read_located`), in document order."""
    plain = as_plain(doc)

    def make(
        kind: str, path: Path_, change: str, new: Any, at: str | None = None, **extra: Any
    ) -> Mutant:
        """``at``: the field under ``path`` the change is made to (its line and place),
        where the item is the whole of ``path`` (a delay's ``ends:``)."""
        field = (*path, at) if at else path
        where = field_path(field)
        return Mutant(kind, where, line_of(doc, field), change, _item(plain, path), new, **extra)

    def walk(node: Any, path: Path_) -> Iterator[Mutant]:
        if isinstance(node, Mapping):
            yield from _mapping(node, path)
            for key, value in node.items():
                yield from walk(value, (*path, key))
        elif isinstance(node, list):
            if _is_elements(node):
                for i, word in enumerate(node):
                    if isinstance(word, str):
                        new = _put(plain, path, as_plain([*node[:i], *node[i + 1 :]]))
                        yield make("element", path, f"{word} removed", new, element=word)
            if path and path[-1] == "exceptions":
                for i, exc in enumerate(node):
                    name = exc.get("id", i) if isinstance(exc, Mapping) else i
                    yield make(
                        "exception",
                        (*path, i),
                        f"exception {name} removed",
                        without(plain, (*path, i)),
                    )
                    if isinstance(exc, Mapping) and "when" in exc:
                        yield make(
                            "exception",
                            (*path, i, "when"),
                            f"exception {name} negated",
                            _put(plain, (*path, i, "when"), {"not": as_plain(exc["when"])}),
                        )
            for i, value in enumerate(node):
                yield from walk(value, (*path, i))

    def _mapping(node: Mapping[str, Any], path: Path_) -> Iterator[Mutant]:
        if len(node) == 1:
            ((op, value),) = node.items()
            if op in _ORDER and isinstance(value, int) and not isinstance(value, bool):
                for step in (1, -1):
                    if value + step >= 0:
                        yield make(
                            "threshold",
                            path,
                            f"{op} {value} → {op} {value + step}",
                            _put(plain, path, {op: value + step}),
                            number=value + step,
                        )
                yield make(
                    "threshold",
                    path,
                    f"{op} {value} → {_ORDER[op]} {value}",
                    _put(plain, path, {_ORDER[op]: value}),
                    number=value,
                )
        for key in ("cost_exceeds", "persons_exceed"):
            value = node.get(key)
            if path and path[-1] == "substitute_notice" and isinstance(value, int):
                for step in (1, -1):
                    yield make(
                        "threshold",
                        (*path, key),
                        f"{key} {value} → {value + step}",
                        _put(plain, (*path, key), value + step),
                        number=value + step,
                    )
        if _is_deadline(node):
            for unit in ("days", "hours"):
                value = node.get(unit)
                if isinstance(value, int) and not isinstance(value, bool):
                    for step in (1, -1):
                        if value + step >= 0:
                            yield make(
                                "deadline",
                                (*path, unit),
                                f"{value} {unit} → {value + step}",
                                _put(plain, (*path, unit), value + step),
                            )
            if "days" in node:
                flag = bool(node.get("business_days", False))
                new = _put(plain, (*path, "business_days"), not flag)
                yield make(
                    "business_days",
                    (*path, "business_days"),
                    f"business_days {flag} → {not flag}",
                    new,
                )
            anchor = node.get("from", "discovery")
            other = "breach_determination" if anchor == "discovery" else "discovery"
            yield make(
                "anchor",
                (*path, "from"),
                f"from {anchor} → {other}",
                _put(plain, (*path, "from"), other),
            )
        for key in ("any", "all"):
            items = node.get(key)
            if isinstance(items, list) and len(items) >= 2:
                yield from _alternatives(key, as_plain(items), (*path, key))
        if len(path) == 2 and path[0] == "obligations" and {"recipient", "by"} <= set(node):
            yield from _obligation(node, path)

    def _alternatives(key: str, items: list[Any], path: Path_) -> Iterator[Mutant]:
        for i, item in enumerate(items):
            rest = [*items[:i], *items[i + 1 :]]
            yield make(
                "condition",
                (*path, i),
                f"{key}: {_flow(item)} dropped",
                _put(plain, path, rest),
                alternative=item if key == "any" else None,
                others=tuple(rest) if key == "any" else (),
            )

    def _obligation(node: Mapping[str, Any], path: Path_) -> Iterator[Mutant]:
        name = node.get("id", path[-1])
        yield make("obligation", path, f"obligation {name} dropped", without(plain, path))
        if node.get("when") not in (None, {}):
            yield make(
                "condition",
                (*path, "when"),
                f"{name}: condition dropped",
                without(plain, (*path, "when")),
            )
        recipient = node["recipient"]
        other = _OTHER_RECIPIENT.get(recipient, "attorney_general")
        yield make(
            "recipient",
            (*path, "recipient"),
            f"recipient {recipient} → {other}",
            _put(plain, (*path, "recipient"), other),
        )
        by = node["by"]
        if by in _OTHER_PARTY:
            yield make(
                "party",
                (*path, "by"),
                f"by {by} → {_OTHER_PARTY[by]}",
                _put(plain, (*path, "by"), _OTHER_PARTY[by]),
            )

    yield from walk(doc, ())
    yield from _versions(plain, make)
    yield from _time_zone(plain, make)
    yield from _holidays(plain, make)
    yield from _delays(plain, make)


def _flow(value: Any) -> str:
    """``value`` as one line of flow YAML (a condition, for the report)."""
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10**6)
    return text.strip().removesuffix("...").strip()


def _versions(plain: Any, make: Callable[..., Mutant]) -> Iterator[Mutant]:
    """Each version's first day moved a day either way (the version before it ends the
    day before); in the ``parameters:`` series form, each dated value's ``from``."""
    yield from _series_days(plain, make)
    versions = plain.get("versions") if isinstance(plain, Mapping) else None
    if not isinstance(versions, list):
        return
    for i in range(1, len(versions)):
        first = versions[i].get("effective_from") if isinstance(versions[i], Mapping) else None
        if not isinstance(first, str):
            continue
        try:
            day = date.fromisoformat(first)
        except ValueError:
            continue
        for step in (1, -1):
            moved = (day + timedelta(days=step)).isoformat()
            new = copy.deepcopy(plain)
            new["versions"][i]["effective_from"] = moved
            before = new["versions"][i - 1]
            if isinstance(before, dict) and "effective_to" in before:
                before["effective_to"] = (day + timedelta(days=step - 1)).isoformat()
            yield make(
                "version",
                ("versions", i, "effective_from"),
                f"first day {first} → {moved}",
                new,
                day=first,
            )


def _series_days(plain: Any, make: Callable[..., Mutant]) -> Iterator[Mutant]:
    """The version changes of a ruleset written as dated value series: each value after a
    series' first starts a day earlier or later (the value before holds until it does)."""
    series = plain.get("parameters") if isinstance(plain, Mapping) else None
    if not isinstance(series, Mapping) or "versions" in plain:
        return
    for name, entries in series.items():
        if not isinstance(entries, list):
            continue
        for i in range(1, len(entries)):
            first = entries[i].get("from") if isinstance(entries[i], Mapping) else None
            try:
                day = date.fromisoformat(str(first))
            except ValueError:
                continue
            for step in (1, -1):
                moved = (day + timedelta(days=step)).isoformat()
                path: Path_ = ("parameters", name, i, "from")
                yield make(
                    "version",
                    path,
                    f"first day {first} → {moved}",
                    _put(plain, path, moved),
                    day=str(first),
                )


#: A place's zone at each whole UTC offset from -11 to +14 hours, most without summer time,
#: for a ``time_zone`` change (the loader wants a place's zone, not ``Etc/GMT+6``).
_ZONE_AT: dict[int, str] = {
    -11: "Pacific/Pago_Pago",
    -10: "Pacific/Honolulu",
    -9: "Pacific/Gambier",
    -8: "Pacific/Pitcairn",
    -7: "America/Phoenix",
    -6: "America/Regina",
    -5: "America/Bogota",
    -4: "America/La_Paz",
    -3: "America/Sao_Paulo",
    -2: "America/Noronha",
    -1: "Atlantic/Cape_Verde",
    0: "Africa/Abidjan",
    1: "Africa/Lagos",
    2: "Africa/Johannesburg",
    3: "Africa/Nairobi",
    4: "Asia/Dubai",
    5: "Asia/Tashkent",
    6: "Asia/Dhaka",
    7: "Asia/Bangkok",
    8: "Asia/Singapore",
    9: "Asia/Tokyo",
    10: "Australia/Brisbane",
    11: "Pacific/Noumea",
    12: "Pacific/Tarawa",
    13: "Pacific/Tongatapu",
    14: "Pacific/Kiritimati",
}
#: How far a ``time_zone`` change moves the law's day, and the least it is worth moving.
_ZONE_SHIFT, _ZONE_LEAST = 6, 2


def _time_zone(plain: Any, make: Callable[..., Mutant]) -> Iterator[Mutant]:
    """The law's zone six hours east and six west (or as far as a place's zone goes)."""
    from breachrules.law.calendars import zone_of

    name = plain.get("time_zone") if isinstance(plain, Mapping) else None
    zone = zone_of(name) if isinstance(name, str) else None
    if zone is None:
        return
    offset = datetime(2026, 1, 15, 12, tzinfo=zone).utcoffset() or timedelta(0)
    hours = round(offset.total_seconds() / 3600)
    for step, side in ((_ZONE_SHIFT, "east"), (-_ZONE_SHIFT, "west")):
        target = max(min(_ZONE_AT), min(max(_ZONE_AT), hours + step))
        if abs(target - hours) < _ZONE_LEAST:
            continue
        other = _ZONE_AT[target]
        yield make(
            "time_zone",
            ("time_zone",),
            f"time_zone {name} → {other} ({abs(target - hours)} hours {side})",
            {**plain, "time_zone": other},
            zones=(name, other),
        )


def _counts_business_days(node: Any) -> bool:
    if isinstance(node, Mapping):
        return node.get("business_days") is True or any(
            _counts_business_days(v) for v in node.values()
        )
    return isinstance(node, list) and any(_counts_business_days(v) for v in node)


def _holidays(plain: Any, make: Callable[..., Mutant]) -> Iterator[Mutant]:
    """The calendar without its subdivision's own holidays, and another country's, where a
    period counts business days (elsewhere the calendar is never read)."""
    held = plain.get("holidays") if isinstance(plain, Mapping) else None
    if not isinstance(held, Mapping) or not _counts_business_days(plain):
        return
    country, sub = str(held.get("country")), held.get("subdivision")
    label = f"{country}-{sub}" if sub else country
    changes: list[tuple[str, dict[str, Any], tuple[str, str | None]]] = []
    if isinstance(sub, str):
        changes.append(
            (
                f"{label} → {country} (the subdivision's holidays dropped)",
                {"country": country},
                (country, None),
            )
        )
    other = "GB" if country == "US" else "US"
    changes.append(
        (f"{label} → {other} (another country's calendar)", {"country": other}, (other, None))
    )
    for change, calendar, pair in changes:
        yield make(
            "holidays",
            ("holidays",),
            f"holidays {change}",
            {**plain, "holidays": calendar},
            calendars=((country, sub if isinstance(sub, str) else None), pair),
        )


def _fixed(plain: Mapping[str, Any], deadline: Any) -> bool:
    """Whether an obligation's deadline (or the ``$parameter`` it names, in any version)
    has a fixed period: only then does a law-enforcement delay move its date."""
    if isinstance(deadline, str) and deadline.startswith("$"):
        values = [p.get("value") for _path, p in _parameter_values(plain, deadline[1:])]
        return any(_fixed(plain, value) for value in values)
    return isinstance(deadline, Mapping) and any(
        isinstance(deadline.get(unit), int) for unit in ("days", "hours", "months")
    )


def _parameter_values(plain: Any, name: str) -> Iterator[tuple[Path_, Mapping[str, Any]]]:
    """Where each value of parameter ``name`` is written, and the entry holding it: in each
    version's ``parameters``, or in the ``parameters:`` series (the same model, either
    form)."""
    if not isinstance(plain, Mapping):
        return
    for j, version in enumerate(plain.get("versions") or []):
        params = version.get("parameters") if isinstance(version, Mapping) else None
        if isinstance(params, Mapping) and isinstance(params.get(name), Mapping):
            yield ("versions", j, "parameters", name), params[name]
    series = plain.get("parameters")
    entries = series.get(name) if isinstance(series, Mapping) else None
    if "versions" not in plain and isinstance(entries, list):
        for k, entry in enumerate(entries):
            if isinstance(entry, Mapping):
                yield ("parameters", name, k), entry


def _delay_changes(value: Any, calendar: bool) -> Iterator[tuple[str, str, Any]]:
    """The changes to one ``law_enforcement_delay`` value (a citation or a mapping): the
    field changed, what the change says, and the changed value."""
    rule = dict(value) if isinstance(value, Mapping) else {"citation": value}
    ends = rule.get("ends", "end_of_delay")
    bare = {k: v for k, v in rule.items() if k not in ("days", "hours", "business_days")}
    capped = "longest" in rule
    if capped:
        yield "longest", "cap (longest) dropped", without(rule, ("longest",))
        bare.pop("longest")
    for other in ("end_of_delay", "restart"):
        if other != ends:
            note = " (its cap dropped)" if capped else ""
            yield "ends", f"ends {ends} → {other}{note}", {**bare, "ends": other}
    if ends != "after":
        return
    for unit in ("days", "hours"):
        number = rule.get(unit)
        if isinstance(number, int) and not isinstance(number, bool):
            for step in (1, -1):
                if number + step >= 0:
                    change = f"{number} {unit} after → {number + step}"
                    yield unit, change, {**rule, unit: number + step}
    if isinstance(rule.get("days"), int) and calendar:
        flag = bool(rule.get("business_days", False))
        change = f"business_days {flag} → {not flag}"
        yield "business_days", change, {**rule, "business_days": not flag}


def _delays(plain: Any, make: Callable[..., Mutant]) -> Iterator[Mutant]:
    """Each obligation's law-enforcement delay removed and changed (where its deadline has
    a fixed period); a delay given as a ``$parameter`` is changed where it is defined."""
    obligations = plain.get("obligations") if isinstance(plain, Mapping) else None
    if not isinstance(obligations, list):
        return
    calendar = bool(plain.get("holidays"))
    defined: set[str] = set()
    for i, ob in enumerate(obligations):
        if not isinstance(ob, Mapping) or ob.get("law_enforcement_delay") in (None, ""):
            continue
        if not _fixed(plain, ob.get("deadline")):
            continue
        path: Path_ = ("obligations", i, "law_enforcement_delay")
        value = ob["law_enforcement_delay"]
        yield make("delay", path, "delay removed", without(plain, path), delay=True)
        if isinstance(value, str) and value.startswith("$"):
            defined.add(value[1:])
            continue
        for field, change, new in _delay_changes(value, calendar):
            yield make("delay", path, change, _put(plain, path, new), delay=True, at=field)
    for name in sorted(defined):
        for where, entry in _parameter_values(plain, name):
            path = (*where, "value")
            for field, change, new in _delay_changes(entry.get("value"), calendar):
                yield make("delay", path, change, _put(plain, path, new), delay=True, at=field)


# --- running ---------------------------------------------------------------------------


def _engine(document: Any, folder: Path, name: str) -> Engine:
    """An engine of this one ruleset, written as the user would write it."""
    file = folder / name
    file.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")
    return Engine([file], bundled=False)


def _same_value(a: Any, b: Any) -> bool:
    """Equal, timestamps compared as instants as scenario files compare them
    (:func:`~breachrules.testing.scenarios.same_instant`): a law's zone moved writes the
    same due moment at another offset, which no case can tell apart."""
    if a == b:
        return True
    if not (isinstance(a, str) and isinstance(b, str)):
        return False
    try:
        return same_instant(parse_timestamp(a), b)
    except ValueError:
        return False


def _difference(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """The ``expect:`` that the original passes and the mutant fails (empty: no difference)."""
    if old["status"] != new["status"]:
        return {"status": old["status"]}  # the determination alone tells them apart
    expect: dict[str, Any] = {}
    obligations: dict[str, Any] = {}
    for ob_id in sorted({*old["obligations"], *new["obligations"]}):
        was, now = old["obligations"].get(ob_id), new["obligations"].get(ob_id)
        if was is None:
            obligations[ob_id] = "absent"
        elif now is None:
            obligations[ob_id] = {"status": was["status"]}
        else:
            fields = {k: v for k, v in was.items() if not _same_value(now.get(k), v)}
            if fields:
                obligations[ob_id] = fields
    if obligations:
        expect["obligations"] = obligations
    return expect


def _overrides(base: Any, incident: Any) -> Any:
    """The smallest ``incident:`` override that turns ``base`` into ``incident``."""
    if isinstance(base, Mapping) and isinstance(incident, Mapping):
        out = {}
        for key, value in incident.items():
            if key not in base:
                out[key] = value
            elif base[key] != value:
                out[key] = _overrides(base[key], value)
        return out
    return incident


def _override(base: Mapping[str, Any], incident: Mapping[str, Any]) -> dict[str, Any]:
    """A case's ``incident:`` override, or its shorter ``exposure:`` form when the only
    change is to the one exposure of a one-exposure base."""
    override = _overrides(base, incident)
    if not override:
        return {}
    ours, theirs = base.get("exposures"), incident.get("exposures")
    if (
        set(override) == {"exposures"}
        and isinstance(ours, list)
        and isinstance(theirs, list)
        and len(ours) == len(theirs) == 1
    ):
        changed = _overrides(ours[0], theirs[0])
        if isinstance(changed, dict) and set(changed) <= set(ours[0]) | set(theirs[0]):
            return {"exposure": changed}
    return {"incident": override}


def _leaves(node: Any, kind: type, path: Path_ = ()) -> Iterator[Path_]:
    """The paths of the leaves of type ``kind`` (a bool is never an int here)."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            yield from _leaves(value, kind, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _leaves(value, kind, (*path, i))
    elif isinstance(node, kind) and (kind is bool or not isinstance(node, bool)):
        yield path


def _variants(mutant: Mutant, incident: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Incidents near ``incident`` that might tell ``mutant`` apart: the case itself, then
    its numbers moved to the changed limit, its exposures holding the removed element, its
    discovery on a moved first day, and each of its flags flipped."""
    yield incident
    if mutant.number is not None:
        for path in _leaves(incident, int):
            for value in (mutant.number - 1, mutant.number, mutant.number + 1):
                if value >= 0:
                    yield _put(incident, path, value)
    if mutant.element is not None:
        for i, _exposure in enumerate(incident.get("exposures") or []):
            held = [e for e in _exposure.get("elements") or [] if e != mutant.element]
            for elements in ([mutant.element], ["name", mutant.element], held):
                yield _put(incident, ("exposures", i, "elements"), elements)
    if mutant.day is not None and isinstance(incident.get("discovered_at"), str):
        first = date.fromisoformat(mutant.day)
        moment = incident["discovered_at"]
        for day in (first - timedelta(days=1), first, first + timedelta(days=1)):
            yield {**incident, "discovered_at": day.isoformat() + moment[10:]}
    if mutant.alternative is not None:
        yield from _alone(mutant.alternative, mutant.others, incident)
    yield from _moments(mutant, incident)
    if mutant.delay:
        yield from _delayed(incident)
    for path in _leaves(incident, bool):
        yield _put(incident, path, not _get(incident, path))


#: Times of day to discover an incident at, for a ``time_zone`` change: before dawn, in the
#: afternoon and late at night, where a law's day and the reporter's fall on other dates.
_TIMES = ("00:30:00", "03:30:00", "05:30:00", "15:30:00", "19:30:00", "23:30:00")


def _moments(mutant: Mutant, incident: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """``incident`` discovered at other times of its day (a ``time_zone`` change), or on
    the eve of each day one calendar keeps and the other does not (a ``holidays`` change)."""
    from breachrules.law.calendars import is_business_day

    moment = incident.get("discovered_at")
    if not isinstance(moment, str) or len(moment) < 19:
        return
    if mutant.zones is not None:
        for clock in _TIMES:
            yield {**incident, "discovered_at": moment[:11] + clock + moment[19:]}
    if mutant.calendars is not None:
        first, second = mutant.calendars
        try:
            day = date(int(moment[:4]), 1, 1)
        except ValueError:
            return
        found = 0
        while day.year <= int(moment[:4]) and found < 12:
            if is_business_day(day, first) != is_business_day(day, second):
                found += 1
                eve = (day - timedelta(days=1)).isoformat()
                yield {**incident, "discovered_at": eve + moment[10:]}
            day += timedelta(days=1)


#: When the agency's word ends the delay, in days after discovery: before a short period
#: runs out, after a 30-, 45- or 60-day one, and long after; and a statement made the day
#: after discovery (for a cap counted from it), not in writing.
_DELAY_ENDS, _STATEMENT = (3, 10, 75, 100, 200, 400), 1


def _delayed(incident: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """``incident`` with law enforcement asking for a delay that ends at several moments
    after discovery, with and without a dated oral statement (a change to a delay)."""
    moment = incident.get("discovered_at")
    try:
        discovered = datetime.fromisoformat(str(moment))
    except ValueError:
        return
    if discovered.tzinfo is None:
        return
    asked = dict(incident.get("law_enforcement") or {})
    statement = (discovered + timedelta(days=_STATEMENT)).isoformat()
    for days in _DELAY_ENDS:
        until = (discovered + timedelta(days=days)).isoformat()
        yield {**incident, "law_enforcement": {**asked, "delay_requested_until": until}}
        oral = {"delay_requested_at": statement, "delay_in_writing": False}
        yield {
            **incident,
            "law_enforcement": {**asked, "delay_requested_until": until, **oral},
        }


def _flags(condition: Any) -> dict[str, bool]:
    """The plain yes/no tests of a condition (``{lost: true}`` -> ``{"lost": True}``)."""
    if not isinstance(condition, Mapping):
        return {}
    return {str(k): v for k, v in condition.items() if isinstance(v, bool)}


def _alone(alternative: Any, others: Sequence[Any], incident: dict[str, Any]) -> Iterator[Any]:
    """``incident`` with the yes/no facts of ``alternative`` made true and those of the
    other alternatives made false, on the incident itself or on each exposure: where the
    dropped alternative alone holds."""
    wanted = _flags(alternative)
    if not wanted:
        return
    against: dict[str, bool] = {}
    for other in others:
        against.update({k: not v for k, v in _flags(other).items() if k not in wanted})
    facts = {**against, **wanted}
    exposures = incident.get("exposures")
    if any(key in incident for key in facts) or not isinstance(exposures, list):
        yield {**incident, **facts}
        return
    for i, exposure in enumerate(exposures):
        if isinstance(exposure, Mapping):
            yield _put(incident, ("exposures", i), {**exposure, **facts})


def _telling_case(
    mutant: Mutant,
    code: str,
    original: Engine,
    changed: Engine,
    cases: Sequence[tuple[Scenario, Any]],
    limit: int,
) -> dict[str, Any] | None:
    """A scenario case the original passes and ``changed`` fails, or None."""
    tried = 0
    for case, base in cases:
        for incident in _variants(mutant, case.incident):
            tried += 1
            if tried > limit:
                return None
            try:
                parsed = load_incident(incident)
                old = decision(
                    original.assess(parsed, as_of=case.as_of, jurisdictions=[code]), code
                )
                new = decision(changed.assess(parsed, as_of=case.as_of, jurisdictions=[code]), code)
            except BreachrulesError:
                continue
            expect = _difference(old, new)
            if expect:
                out: dict[str, Any] = {"name": f"tells apart: {mutant.change} ({mutant.where})"}
                out.update(_override(base or {}, incident))
                if case.as_of:
                    out["as_of"] = case.as_of
                out["expect"] = expect
                return out
    return None


def mutation_test(
    ruleset_file: str | Path,
    scenario_files: Iterable[str | Path],
    *,
    find_cases: bool = True,
    kinds: Iterable[str] | None = None,
    search_limit: int = 400,
) -> MutationReport:
    """Mutate one ruleset and run its scenario files against every mutant.

    ``find_cases`` searches, for each survivor, an incident near the ruleset's own cases
    that tells it apart (at most ``search_limit`` incidents each) and returns it as a ready
    case; without it survivors are reported bare (faster: rule coverage needs no cases).
    """
    ruleset_file = Path(ruleset_file)
    files = tuple(str(f) for f in scenario_files)
    doc = read_located(ruleset_file)
    code = str(doc.get("code", "")) if isinstance(doc, Mapping) else ""
    report = MutationReport(code, str(ruleset_file), files)
    wanted = set(kinds) if kinds is not None else set(KINDS)
    with tempfile.TemporaryDirectory(prefix="breachrules-mutants-") as tmp:
        folder = Path(tmp)
        try:
            original = _engine(as_plain(doc), folder, ruleset_file.name)
        except BreachrulesError as exc:
            return attrs.evolve(report, problems=(str(exc),))
        cases: list[tuple[Scenario, Any]] = []
        problems: list[str] = []
        for file in files:
            read = read_scenarios(file, original.rulesets)
            problems += [str(p) for p in read.problems]
            raw = read_located(file)
            base = as_plain(raw.get("base")) if isinstance(raw, Mapping) else None
            cases += [(case, base) for case in read.cases if case.code == code]
        for case, _base in cases:
            outcome = run_scenario(original, case)
            problems += [
                f"{outcome.file}:{outcome.line}: {outcome.name}: {f}" for f in outcome.failures
            ]
        if not cases:
            problems.append(f"no scenario case names {code}")
        if problems:
            return attrs.evolve(report, problems=tuple(problems))
        results = [
            _judge(m, code, original, cases, folder, ruleset_file.name, find_cases, search_limit)
            for m in mutants(doc)
            if m.kind in wanted
        ]
    return attrs.evolve(report, results=tuple(results))


def _judge(
    mutant: Mutant,
    code: str,
    original: Engine,
    cases: Sequence[tuple[Scenario, Any]],
    folder: Path,
    name: str,
    find_cases: bool,
    limit: int,
) -> Result:
    try:
        changed = _engine(mutant.document, folder, name)
    except (BreachrulesError, ValueError):
        return Result(mutant, "rejected")
    for case, _base in cases:
        if not run_scenario(changed, case).passed:
            return Result(mutant, "killed", killed_by=case.name)
    if not find_cases:
        return Result(mutant, "survived")
    telling = _telling_case(mutant, code, original, changed, cases, limit)
    return Result(mutant, "survived" if telling else "equivalent", case=telling)


def pair_files(
    engine: Engine, scenario_files: Iterable[str | Path]
) -> list[tuple[Path, list[Path]]]:
    """Each ruleset file with the scenario files that name its code, in ruleset order.

    A scenario file names its ruleset by code (``ruleset: US-CT``); the file is the one
    ``engine`` loaded for that code, bundled or the user's own.
    """
    by_code: dict[str, list[Path]] = {}
    for file in scenario_files:
        doc = read_located(file)
        code = doc.get("ruleset") if isinstance(doc, Mapping) else None
        if isinstance(code, str):
            by_code.setdefault(code, []).append(Path(file))
    return [
        (r.path, by_code[r.code])
        for r in engine.rulesets
        if r.code in by_code and r.path is not None
    ]


def _one(args: tuple[str, tuple[str, ...], bool, tuple[str, ...] | None]) -> MutationReport:
    ruleset, scenarios, find_cases, kinds = args
    return mutation_test(ruleset, scenarios, find_cases=find_cases, kinds=kinds)


def mutation_tests(
    pairs: Sequence[tuple[str | Path, Sequence[str | Path]]],
    *,
    find_cases: bool = True,
    kinds: Iterable[str] | None = None,
    jobs: int | None = None,
    progress: Callable[[MutationReport], None] | None = None,
) -> list[MutationReport]:
    """:func:`mutation_test` for several (ruleset file, scenario files) pairs, on ``jobs``
    processes (default: the machine's cores), in the order given."""
    work = [
        (str(r), tuple(map(str, s)), find_cases, tuple(kinds) if kinds is not None else None)
        for r, s in pairs
    ]
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(work)))
    if jobs == 1:
        results = map(_one, work)
        out = []
        for report in results:
            out.append(report)
            if progress:
                progress(report)
        return out
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        out = []
        for report in pool.map(_one, work):
            out.append(report)
            if progress:
                progress(report)
        return out


# --- views -----------------------------------------------------------------------------


def _shown(file: str) -> str:
    """``file`` relative to the working folder when it is under it (shorter, and what the
    user typed), else as given."""
    path = Path(file)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return file


def _percent(score: float | None) -> str:
    return "n/a" if score is None else f"{100 * score:.1f} %"


def report_lines(reports: Sequence[MutationReport], *, cases: bool = True) -> Iterator[str]:
    """The mutation report as text: per ruleset its score and each survivor, with its
    ready case as YAML; then the totals by kind."""
    for report in reports:
        head = f"{report.code or report.ruleset_file}: "
        if report.problems:
            yield head + "not mutated: the cases must pass on the ruleset as it is"
            yield from (f"    {p}" for p in report.problems)
            continue
        yield (
            f"{head}{report.count('killed')}/{report.counted} changes caught "
            f"({_percent(report.score)}); {report.count('equivalent')} not told apart, "
            f"{report.count('rejected')} rejected by the loader"
        )
        for r in report.results:
            if r.verdict not in ("survived", "equivalent"):
                continue
            where = _shown(report.ruleset_file) + (f":{r.mutant.line}" if r.mutant.line else "")
            label = "SURVIVED" if r.verdict == "survived" else "no incident told apart"
            yield f"  {label} {where} [{r.mutant.kind}] {r.mutant.change} ({r.mutant.item})"
            if cases and r.case:
                text = yaml.safe_dump(
                    [r.case], allow_unicode=True, sort_keys=False, width=88, default_flow_style=None
                )
                yield from (f"      {line}" for line in text.rstrip().splitlines())
    yield from _totals(reports)


def _totals(reports: Sequence[MutationReport]) -> Iterator[str]:
    done = [r for r in reports if not r.problems]
    if not done:
        return
    yield ""
    yield "kind            caught / counted"
    for kind in KINDS:
        killed = sum(r.count("killed", kind) for r in done)
        counted = killed + sum(r.count("survived", kind) for r in done)
        if counted:
            yield f"{kind:<15} {killed:>6} / {counted:<6} {_percent(killed / counted)}"
    killed = sum(r.count("killed") for r in done)
    counted = sum(r.counted for r in done)
    score = killed / counted if counted else None
    yield f"{'all':<15} {killed:>6} / {counted:<6} {_percent(score)}"


def coverage_lines(reports: Sequence[MutationReport]) -> Iterator[str]:
    """Rule coverage as text: per ruleset, the items (rules, exceptions, thresholds,
    deadlines, obligations) that no case depends on, and the change that showed it."""
    for report in reports:
        name = report.code or report.ruleset_file
        if report.problems:
            yield f"{name}: not measured: the cases must pass on the ruleset as it is"
            yield from (f"    {p}" for p in report.problems)
            continue
        counted = [r for r in report.results if r.verdict in ("killed", "survived", "equivalent")]
        items = {r.mutant.item for r in counted}
        open_ = {r.mutant.item for r in counted if r.verdict != "killed"}
        yield f"{name}: {len(items) - len(open_)}/{len(items)} items exercised"
        by_item = itertools.groupby(
            sorted((r for r in counted if r.verdict != "killed"), key=lambda r: r.mutant.item),
            key=lambda r: r.mutant.item,
        )
        for item, found_ in by_item:
            found = list(found_)
            if all(r.mutant.alternative is not None for r in found):
                alternative = _flow(found[0].mutant.alternative)
                yield (
                    f"  not exercised: {item}: no case makes the alternative {alternative} "
                    "true on its own"
                )
                continue
            changes = [r.mutant.change for r in found]
            shown = "; ".join(changes[:3]) + (
                f" (+{len(changes) - 3} more)" if len(changes) > 3 else ""
            )
            yield f"  not exercised: {item}: no case notices {shown}"


# --- the recorded figures ----------------------------------------------------------------


def scores_document(reports: Sequence[MutationReport], measured: str) -> dict[str, Any]:
    """The figures the coverage page shows (``rulesets/_mutation.json``): per ruleset the
    changes caught and counted, and each surviving change, with the day they were measured."""
    return {
        "measured": measured,
        "command": "python -m breachrules.testing.mutation --write rulesets/_mutation.json",
        "rulesets": {
            r.code: {
                "caught": r.count("killed"),
                "counted": r.counted,
                "survived": [
                    f"{r.ruleset_file.split('rulesets/', 1)[-1]}:{x.mutant.line} "
                    f"{x.mutant.change} ({x.mutant.item})"
                    for x in r.results
                    if x.verdict == "survived"
                ],
            }
            for r in sorted(reports, key=lambda r: r.code)
            if not r.problems
        },
    }


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m breachrules.testing.mutation [--write FILE] [--jobs N] [SCENARIOS]``:
    mutate every bundled ruleset against the scenario files under ``SCENARIOS`` (default
    ``tests/rulesets``) and print the totals, or write the figures the coverage page shows."""
    import argparse
    import json
    from datetime import date as _date

    from breachrules.testing.helpers import scenario_files

    parser = argparse.ArgumentParser(prog="python -m breachrules.testing.mutation")
    parser.add_argument("scenarios", nargs="?", default="tests/rulesets")
    parser.add_argument("--write", metavar="FILE")
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args(argv)
    _, found = scenario_files(Path(args.scenarios))
    reports = mutation_tests(pair_files(Engine(), found), jobs=args.jobs)
    for line in _totals(reports):
        print(line)
    if args.write:
        document = scores_document(reports, _date.today().isoformat())
        Path(args.write).write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
