"""A scenario case's incident checked as ``breachrules test`` would load it, each problem at
the line where it was written.

A case runs on its ``base`` merged with its own ``incident:`` and ``exposure:``; an
incident that does not load fails the case when it runs. ``breachrules validate`` runs no
case, so without this it passed a file whose base said ``discovered_at:
"2026-02-30T..."`` or whose case said ``exposure: {acquird: false}``. Here each case's
incident is loaded (and its policy facts checked against the rulesets, as the engine
checks them), and each problem is placed where the author wrote the key: in the case's
``incident:``, in its ``exposure:`` (which merges into every exposure), or in the base.
A problem written in the base is the base's: said once for the file, however many cases
inherit it, unless some case mends it (gives the key itself and loads): then it stays with
each case that has it, and the case that mends it runs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from breachrules.engine.declared import check_facts
from breachrules.errors import InvalidIncident, Problem
from breachrules.io.serde import load_incident
from breachrules.law.lines import field_path, line_of
from breachrules.law.ruleset import Ruleset
from breachrules.model.facts import Incident
from breachrules.model.paths import steps

__all__ = ["check_case_incidents"]


def check_case_incidents(
    doc: Any,
    incidents: Sequence[dict[str, Any] | None],
    file: str,
    rulesets: Mapping[str, Ruleset] | None,
) -> tuple[list[Incident | None], dict[int, list[Problem]], list[Problem]]:
    """Load the incident of each case (None where a case is not a mapping).

    Returns the incidents loaded (None for one that did not load), the problems of each
    case by its index, and the problems of the base that every case shares (once).
    """
    loaded: list[Incident | None] = []
    found: dict[int, list[Problem]] = {}
    for index, incident in enumerate(incidents):
        if incident is None:
            loaded.append(None)
            continue
        try:
            made = load_incident(incident)
            if rulesets is not None:
                check_facts(made, rulesets)  # a policy fact of the wrong kind: invalid
        except InvalidIncident as exc:
            loaded.append(None)
            found[index] = [_placed(doc, index, p, file) for p in exc.problems]
            continue
        loaded.append(made)
    # A problem written in the base is the base's, said once, unless a case mends it (gives
    # the key itself and loads: it runs, and the cases that inherit the problem fail with
    # it). A case that gives the key and has a problem of its own there mends nothing.
    checked = [i for i, incident in enumerate(incidents) if incident is not None]
    shared: list[Problem] = []
    if all(i in found for i in checked):
        for problems in found.values():
            shared += [p for p in problems if _in_base(p) and p not in shared]
    per_case = {i: [p for p in found[i] if p not in shared] for i in found}
    return loaded, {i: ps for i, ps in per_case.items() if ps}, shared


def _in_base(problem: Problem) -> bool:
    return problem.path == "base" or problem.path.startswith(("base.", "base["))


def _placed(doc: Any, index: int, problem: Problem, file: str) -> Problem:
    """``problem`` of the merged incident of case ``index``, at the place in the scenario
    file where the key it names was written."""
    where = _written_at(doc, index, steps(problem.path) if problem.path else [])
    return Problem(field_path(where), problem.reason, file, line_of(doc, where))


def _written_at(doc: Any, index: int, path: list[str | int]) -> list[str | int]:
    """Where the value at ``path`` of case ``index``'s merged incident was written: the
    case's ``incident:``, its ``exposure:`` for a field of an exposure, the base, or (for a
    field none of them has, such as one required and missing) the deepest of them that
    has part of the path, the case before the base."""
    case = doc["cases"][index]
    own: list[str | int] = ["cases", index, "incident"]
    places: list[tuple[list[str | int], int]] = [
        (own, _depth(case.get("incident"), path)),
    ]
    if path[:1] == ["exposures"] and len(path) > 2 and isinstance(path[1], int):
        places.append((["cases", index, "exposure"], _depth(case.get("exposure"), path[2:])))
    places.append((["base"], _depth(doc.get("base"), path)))
    whole = {tuple(p): d for p, d in places}
    for prefix, depth in places:  # the whole path written: the case wins over the base
        wanted = len(path) - 2 if prefix[-1] == "exposure" else len(path)
        if depth == wanted and depth > 0:
            return [*prefix, *(path[2:] if prefix[-1] == "exposure" else path)]
    prefix, depth = max(places, key=lambda place: whole[tuple(place[0])])
    if depth == 0:
        return ["cases", index]
    rest = path[2:] if prefix[-1] == "exposure" else path
    return [*prefix, *rest[:depth]]


def _depth(node: Any, path: Sequence[str | int]) -> int:
    """How many steps of ``path`` exist in ``node``."""
    depth = 0
    for step in path:
        found = (
            step in node
            if isinstance(step, str) and isinstance(node, Mapping)
            else isinstance(step, int) and isinstance(node, list) and 0 <= step < len(node)
        )
        if not found:
            break
        node = node[step]
        depth += 1
    return depth
