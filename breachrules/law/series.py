"""Dated value series: a ruleset's parameters written OpenFisca-style, a value per date.

A law that changes one number at a time (a deadline shortened by an amendment, a
threshold raised) reads most naturally as one series per parameter::

    parameters:
      individual_deadline:
        - from: 2019-07-01
          citation: Ex. Code § 1-2-3(c) (as amended 2019)
          value: {text: without unreasonable delay}
        - from: 2026-01-01
          citation: Ex. Code § 1-2-3(c)(1) (as amended by SB 1, 2025)
          value: {text: within 30 days, from: discovery, days: 30}

Each value holds from its date until the next value of the same parameter, so the law
can neither overlap itself nor leave a gap: there are no end dates to get wrong. The
loader turns the series into the ``versions`` the engine has always used (one version per
date on which any value starts, each ending the day before the next; a version lists the
values that start on its day and inherits the rest), so nothing downstream changes and a
ruleset written with ``versions`` keeps working as it is. A ruleset gives one or the
other, not both.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from breachrules.law.lines import line_of, located, located_list

__all__ = ["expand_series", "series_path"]

Add = Callable[[Sequence[str | int], str], None]


_GENERATED = re.compile(r"^versions\[(\d+)\]\.parameters\.([a-z][a-z0-9_]*)")


def series_path(doc: Mapping[str, Any], path: str) -> str:
    """A problem's field path in the expanded ``doc`` (``versions[2].parameters.x.value``)
    as the author wrote it (``parameters.x[1].value``)."""
    m = _GENERATED.match(path)
    if m is None:
        return path
    version, name = doc["versions"][int(m[1])], m[2]
    entry = version["parameters"].get(name)
    index = entry.get("_index") if isinstance(entry, Mapping) else None
    if index is None:
        return path
    return f"parameters.{name}[{index}]" + path[m.end() :]


def expand_series(doc: Mapping[str, Any], add: Add) -> dict[str, Any] | None:
    """``doc`` with its ``parameters`` series written as ``versions``; None (and
    problems given to ``add``) when the series cannot be read."""
    if "versions" in doc:
        add(
            ["parameters"],
            "a ruleset gives its dated values either as versions or as parameter series "
            "(parameters: {name: [{from, value, citation}, ...]}), not both",
        )
        return None
    starts: dict[date, list[tuple[str, Mapping[str, Any]]]] = {}
    failed = False
    for name, entries in doc["parameters"].items():
        before: date | None = None
        for i, entry in enumerate(entries):
            day = date.fromisoformat(entry["from"])
            if before is not None and day <= before:
                add(
                    ["parameters", name, i, "from"],
                    f"must be later than the value before it ({before}): each value holds "
                    "until the next one starts",
                )
                failed = True
            before = day
            starts.setdefault(day, []).append((name, _indexed(entry, i)))
    if failed:
        return None
    days = sorted(starts)
    versions: list[dict[str, Any]] = []
    version_lines: list[int] = []
    for k, day in enumerate(days):
        entries = starts[day]
        first = entries[0][1]
        line = line_of(doc, ["parameters", entries[0][0]]) or 1
        first_line = getattr(first, "line", line)
        version: dict[str, Any] = {
            "effective_from": day.isoformat(),
            # The law's own citation: a value's citation is its paragraph's (kept on the
            # parameter), not the act's, and "Law applied" names the act.
            "citation": doc["citation"],
            "parameters": located(
                dict(entries),
                first_line,
                {name: getattr(e, "line", first_line) for name, e in entries},
            ),
        }
        if k + 1 < len(days):
            version["effective_to"] = (days[k + 1] - timedelta(days=1)).isoformat()
        lines = dict.fromkeys(version, first_line)
        versions.append(located(version, first_line, lines))
        version_lines.append(first_line)
    out = {k: v for k, v in doc.items() if k != "parameters"}
    series_line = line_of(doc, ["parameters"]) or 1
    out["versions"] = located_list(versions, series_line, version_lines)
    lines = {k: n for k, n in dict(getattr(doc, "lines", {})).items() if k != "parameters"}
    lines["versions"] = series_line
    return located(out, getattr(doc, "line", 1), lines)


def _indexed(entry: Mapping[str, Any], index: int) -> Mapping[str, Any]:
    """The entry with its place in its series (for :func:`series_path`), keeping its lines."""
    lines = dict(getattr(entry, "lines", {}))
    return located({**entry, "_index": index}, getattr(entry, "line", 1), lines)
