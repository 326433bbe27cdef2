"""From an incident to a scenario case: counterexamples you can paste.

When a property fails, Hypothesis shrinks the incident and prints it; when a mutant
survives, the search finds an incident that tells it apart. Either way the next step is a
scenario case that pins the answer. This module writes it:

- :func:`incident_document` is the incident as contract JSON without what a reader does
  not need: every key whose absence means the same (an unknown, an empty list, a default)
  is left out, checked by loading the document back;
- :func:`minimal_incident` goes further, given the law that matters: it drops each
  party, exposure and fact whose removal leaves that law's decision unchanged;
- :func:`scenario_case` is a ready case: the (minimal) incident and an ``expect:`` of what
  the ruleset says now. Correct the expectation against the statute or policy before you
  paste it: a counterexample is a case where the ruleset may be the one that is wrong.

Importing :mod:`breachrules.testing.strategies` makes Hypothesis print a failing incident
in this form, as a ``load_incident({...})`` call you can run, instead of a repr of every
field of every nested object.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import yaml

from breachrules.engine import Engine
from breachrules.errors import BreachrulesError
from breachrules.io.serde import load_incident, unstructure_incident
from breachrules.model.decisions import Assessment
from breachrules.model.facts import Incident
from breachrules.model.timestamps import format_timestamp

__all__ = [
    "compact_json",
    "decision",
    "incident_document",
    "minimal_incident",
    "scenario_case",
    "scenario_yaml",
    "without",
]


def _keys(node: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Every key path in a document, deepest first (so a mapping empties before its key)."""
    out: list[tuple[str | int, ...]] = []
    if isinstance(node, Mapping):
        for key, value in node.items():
            out += [*_keys(value, (*path, key)), (*path, key)]
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _keys(value, (*path, i))
    return out


def incident_document(incident: Incident | Mapping[str, Any]) -> dict[str, Any]:
    """``incident`` as contract JSON with only what was said: each key whose absence
    means the same (an unknown ``null``, an empty list, a ``false`` or a version that is
    the default) is left out, and only where the document still loads to the same
    incident, so nothing is lost (``offers_to: []`` is not the same as no ``offers_to``)."""
    target = incident if isinstance(incident, Incident) else load_incident(incident)
    doc: dict[str, Any] = unstructure_incident(target)
    for path in _keys(doc):
        if path[-1] in ("id", "discovered_at") and len(path) == 1:
            continue
        try:
            candidate = without(doc, path)
            same = load_incident(candidate) == target
        except (BreachrulesError, KeyError, IndexError):
            continue
        if same:
            doc = candidate
    return doc


def decision(assessment: Assessment, code: str) -> dict[str, Any]:
    """What a scenario case can say about ``code`` in ``assessment``: the determination's
    status (``absent`` if the law was not evaluated) and each obligation's status, due
    time, recipient, party and substitute-notice figures."""
    try:
        status: str = assessment.determination(code).status
    except KeyError:
        return {"status": "absent", "obligations": {}}
    obligations: dict[str, dict[str, Any]] = {}
    for ob in assessment.obligations:
        if ob.jurisdiction != code:
            continue
        notice = ob.substitute_notice
        obligations.setdefault(
            ob.id.split(":", 1)[1],
            {
                "status": ob.status,
                "due": format_timestamp(ob.due) if ob.due else None,
                "recipient": ob.recipient,
                "party": ob.party,
                "substitute_notice": None
                if notice is None
                else {
                    "cost_exceeds": notice.cost_exceeds,
                    "persons_exceed": notice.persons_exceed,
                    "persons_threshold_met": notice.persons_threshold_met,
                },
            },
        )
    return {"status": status, "obligations": obligations}


def _decide(engine: Engine, doc: Mapping[str, Any], code: str, as_of: Any) -> Any:
    try:
        assessment = engine.assess(load_incident(doc), as_of=as_of, jurisdictions=[code])
    except BreachrulesError:
        return None
    return decision(assessment, code)


def _removals(doc: dict[str, Any]) -> list[tuple[str | int, ...]]:
    """Paths to try removing, largest first: parties, exposures, then single facts."""
    paths: list[tuple[str | int, ...]] = []
    breached = doc.get("breached_party")
    for i, party in reversed(list(enumerate(doc.get("parties") or []))):
        if party.get("id") != breached:
            paths.append(("parties", i))
    for i in reversed(range(1, len(doc.get("exposures") or []))):
        paths.append(("exposures", i))
    for key in sorted(doc):
        if key not in ("id", "discovered_at", "exposures", "parties", "breached_party"):
            paths.append((key,))
    for i, party in enumerate(doc.get("parties") or []):
        paths += [("parties", i, key) for key in sorted(party) if key != "id"]
    for i, exposure in enumerate(doc.get("exposures") or []):
        for key in sorted(exposure):
            if key not in ("elements", "residents"):
                paths.append(("exposures", i, key))
    return paths


def without(doc: Any, path: tuple[str | int, ...]) -> Any:
    """A deep copy of ``doc`` without the key or item at ``path``."""
    out = copy.deepcopy(doc)
    node: Any = out
    for step in path[:-1]:
        node = node[step]
    del node[path[-1]]
    return out


def minimal_incident(
    incident: Incident | Mapping[str, Any],
    engine: Engine,
    code: str,
    *,
    as_of: datetime | str | None = None,
) -> dict[str, Any]:
    """The smallest document, found greedily, on which ``code``'s decision (see
    :func:`decision`) is the same as on ``incident``: each party other than the breached
    one, each exposure after the first and each optional fact is dropped in turn, and the
    drop is kept when nothing in the decision changes (a dropped fact becomes unknown)."""
    doc = incident_document(incident)
    target = _decide(engine, doc, code, as_of)
    changed = True
    while changed:
        changed = False
        for path in _removals(doc):
            candidate = without(doc, path)
            if _decide(engine, candidate, code, as_of) == target:
                doc, changed = candidate, True
                break
    return doc


def scenario_case(
    incident: Incident | Mapping[str, Any],
    engine: Engine,
    code: str,
    *,
    name: str = "counterexample",
    as_of: datetime | str | None = None,
    minimize: bool = True,
) -> dict[str, Any]:
    """A ready scenario case for ``code``: the incident (minimal, unless ``minimize`` is
    false) and the expectation the ruleset gives now (status, and each obligation's status
    and due time). Check the expectation against the law before pasting the case."""
    doc = (
        minimal_incident(incident, engine, code, as_of=as_of)
        if minimize
        else incident_document(incident)
    )
    assessment = engine.assess(load_incident(doc), as_of=as_of, jurisdictions=[code])
    found = decision(assessment, code)
    expect: dict[str, Any] = {"status": found["status"]}
    obligations = {
        ob_id: {k: v for k, v in (("status", ob["status"]), ("due", ob["due"])) if v is not None}
        for ob_id, ob in found["obligations"].items()
    }
    if obligations:
        expect["obligations"] = obligations
    case: dict[str, Any] = {"name": name, "incident": doc}
    if as_of is not None:
        case["as_of"] = as_of if isinstance(as_of, str) else format_timestamp(as_of)
    case["expect"] = expect
    return case


def _scalar(value: Any, python: bool) -> str:
    if python and (value is None or isinstance(value, bool)):
        return repr(value)  # None, True, False: the call must run as Python
    return json.dumps(value, ensure_ascii=False)


def _flat(value: Any, python: bool) -> str:
    if isinstance(value, Mapping):
        return (
            "{" + ", ".join(f"{json.dumps(k)}: {_flat(v, python)}" for k, v in value.items()) + "}"
        )
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_flat(v, python) for v in value) + "]"
    return _scalar(value, python)


def compact_json(value: Any, indent: str = "", *, python: bool = False) -> str:
    """JSON for reading: one key per line, but lists of plain values and small mappings of
    plain values on one line, so a shrunk incident fits in a screen. With ``python``, the
    same layout as a Python literal (``True``, ``False``, ``None``), so a printed
    ``load_incident({...})`` call can be pasted and run."""
    plain = (str, int, float, bool, type(None))
    one_line = _flat(value, python)
    flat = isinstance(value, list) and all(isinstance(v, plain) for v in value)
    small = isinstance(value, Mapping) and all(
        isinstance(v, plain) or (isinstance(v, list) and all(isinstance(x, plain) for x in v))
        for v in value.values()
    )
    if not isinstance(value, Mapping | list) or flat or (small and len(one_line) <= 72):
        return one_line
    inner = indent + "  "
    if isinstance(value, list):
        items = [inner + compact_json(v, inner, python=python) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + indent + "]"
    items = [
        f"{inner}{json.dumps(k)}: {compact_json(v, inner, python=python)}" for k, v in value.items()
    ]
    return "{\n" + ",\n".join(items) + "\n" + indent + "}"


def scenario_yaml(*cases: Mapping[str, Any]) -> str:
    """Cases as the YAML list items of a scenario file's ``cases:``."""
    return yaml.safe_dump(
        [dict(c) for c in cases],
        allow_unicode=True,
        sort_keys=False,
        width=88,
        default_flow_style=None,
    )
