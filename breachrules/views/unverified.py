"""The points marked ``verified: false`` that a decision rests on, each with what would
settle it.

A ruleset marks a rule, a parameter (a period, a threshold) or a version's start date
that could not be confirmed in the law's official text ``verified: false``, with a note
saying what was read and what would settle it. docs/coverage.md lists every one, but a
privacy lead reading ``explain`` saw none of them for the decision in front of them,
while unconfirmed contacts said "NOT confirmed" (UT13 F17). :func:`unverified_points`
finds those a determination or one obligation rests on: the obligation's own rule and
its parts (exceptions, delay, substitute notice), the determination's definitions, the
parameters they use in the version applied, and that version's start date.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from breachrules.engine import Engine
    from breachrules.law.ruleset import Ruleset
    from breachrules.model.decisions import Assessment

__all__ = [
    "Point",
    "applied_counts",
    "applied_ruleset",
    "settle",
    "unverified_lines",
    "unverified_points",
]

#: The longest "what would settle it" shown on one line; the note itself is in
#: docs/coverage.md and the ruleset.
_LONGEST = 220
#: Words that end in a full stop without ending a sentence ("Art. 39(1)", "s. 26WE").
_ABBREVIATED = (
    "art arts s ss no nos reg regs para paras p pp c cf e.g i.e sec secs ch cap sch pt"
    " div ord dec n r rr v vs al etc st co inc ltd pte alta ont stat ann rev comp gen"
    " cal civ bus prof pen gov fin ins veh admin adm laws fed supp u.s n.j.s.a o.c.g.a"
)
_ABBREVIATIONS = frozenset(_ABBREVIATED.split())
_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@attrs.frozen
class Point:
    """One unverified point: where it is in its ruleset (``versions[1].parameters.
    subject_deadline``, as docs/coverage.md names it) and, in one line, what would
    settle it."""

    where: str
    settle: str


def _sentences(text: str) -> list[str]:
    """``text`` cut into sentences at a full stop, semicolon-free, that ends a word which
    is not an abbreviation and is followed by a capital or a quote."""
    out: list[str] = []
    start = 0
    for m in re.finditer(r"\.\s+(?=[A-Z\"'(\[])", text):
        word = re.findall(r"[\w.]+$", text[start : m.start()])
        if word and word[-1].lower().rstrip(".") in _ABBREVIATIONS:
            continue
        out.append(text[start : m.start() + 1].strip())
        start = m.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def settle(note: str | None) -> str:
    """What would settle an unverified point, in one line: the note's sentence that says
    so ("Reading Decree Art. 39(1) ... would settle it."), else its first sentence marked
    as such; cut at a word to fit one line."""
    text = " ".join((note or "").split())
    sentences = _sentences(text)
    said = next((s for s in sentences if "settle" in s.lower()), None)
    if said is not None:  # "What would settle it: X." reads "settled by X."
        said = re.sub(
            r"^(?:What )?would settle (?:it|the mark|this)\s*:\s*", "settled by ", said, flags=re.I
        )
    line = said or ("not said; the note begins: " + sentences[0] if sentences else "not said")
    if len(line) > _LONGEST:
        line = line[:_LONGEST].rsplit(" ", 1)[0] + " ..."
    return line


@functools.lru_cache(maxsize=256)
def _document(path: str, stamp: float) -> Any:
    import yaml  # only to explain: ``assess`` on a warm cache reads no YAML

    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def _raw(ruleset: Ruleset) -> dict[str, Any]:
    if ruleset.path is None or not Path(ruleset.path).is_file():
        return {}
    doc = _document(str(ruleset.path), Path(ruleset.path).stat().st_mtime)
    return doc if isinstance(doc, dict) else {}


def unverified_points(
    ruleset: Ruleset, version: str | None, obligation: str | None = None
) -> tuple[Point, ...]:
    """The unverified points of ``ruleset`` that the determination (``obligation``
    None) or the named obligation rests on, in the version in force from ``version``
    (an ISO date; None: the latest)."""
    doc = _raw(ruleset)
    versions = [v for v in doc.get("versions") or () if isinstance(v, dict)]
    index = next(
        (i for i, v in enumerate(versions) if str(v.get("effective_from")) == version),
        len(versions) - 1,
    )
    if obligation is None:
        own = ["breach", "personal_information"]
        parts: Sequence[Any] = [doc.get("breach"), doc.get("personal_information")]
    else:
        own = [f"obligations[{obligation}]"]
        parts = [o for o in doc.get("obligations") or () if o.get("id") == obligation]
    named = set(_PARAMETER.findall(json.dumps(parts, default=str)))
    used = {f"versions[{index}]"}
    for name in named:  # a parameter is inherited from the latest version defining it
        for j in range(index, -1, -1):
            if name in (versions[j].get("parameters") or {}):
                used.add(f"versions[{j}].parameters.{name}")
                break
    out: list[Point] = []
    for item in ruleset.unverified:
        where, _, note = item.partition(": ")
        mine = any(where == o or where.startswith((f"{o}.", f"{o}[")) for o in own)
        if mine or where in used or any(where.startswith(f"{u}.") for u in used if "." in u):
            out.append(Point(where, settle(note)))
    return tuple(dict.fromkeys(out))


def unverified_lines(points: Iterable[Point], code: str) -> list[str]:
    """The explanation's block for ``points`` (none: no block)."""
    shown = list(points)
    if not shown:
        return []
    return [
        f"Unverified points this rests on ({len(shown)}; marked verified: false in the "
        f"{code} ruleset, each note in docs/coverage.md):",
        *(f"  - {p.where}: {p.settle}" for p in shown),
    ]


@functools.lru_cache(maxsize=1)
def _default() -> Engine:
    from breachrules.engine import Engine

    return Engine()


def applied_ruleset(
    assessment: Assessment, code: str, rulesets: Iterable[Ruleset] | None = None
) -> Ruleset | None:
    """The ruleset ``assessment`` applied for ``code``, from ``rulesets`` (default: the
    bundled ones): only the same text (its SHA-256, where the assessment recorded one), so
    that a stored assessment's explanation never shows another text's marks."""
    ref = next((r for r in assessment.rulesets if r.code == code), None)
    if ref is None:
        return None
    if rulesets is None:
        try:
            rulesets = [_default().ruleset(code)]
        except KeyError:
            return None
    for ruleset in rulesets:
        if ruleset.code == code and (ref.sha256 is None or ruleset.sha256 == ref.sha256):
            return ruleset
    return None


def applied_counts(
    assessment: Assessment, rulesets: Iterable[Ruleset] | None = None
) -> dict[str, int]:
    """For each applied law of ``assessment``, how many unverified points its
    determination and its obligations rest on (each point once); ``rulesets`` as for
    :func:`applied_ruleset`."""
    given = None if rulesets is None else tuple(rulesets)
    counts: dict[str, int] = {}
    for ref in assessment.rulesets:
        ruleset = applied_ruleset(assessment, ref.code, given)
        if ruleset is None or not ruleset.unverified:
            continue
        names = [
            o.id.split(":", 1)[1] for o in assessment.obligations if o.jurisdiction == ref.code
        ]
        found = _law_points(ruleset, ref.version, names)
        if found:
            counts[ref.code] = found
    return counts


def _law_points(ruleset: Ruleset, version: str, names: Sequence[str]) -> int:
    """How many unverified points a whole law applied in ``version`` rests on: its
    definitions, the obligations ``names``, the version's start date and every parameter
    in force in it (each law's parameters serve its rules), read from the loaded ruleset
    alone (no YAML: ``assess`` on a warm cache reads none)."""
    index = next(
        (i for i, v in enumerate(ruleset.versions) if v.effective_from.isoformat() == version),
        len(ruleset.versions) - 1,
    )
    used = {f"versions[{index}]"}
    if ruleset.versions:
        for name, value in ruleset.versions[index].parameters.items():
            j = index  # a parameter is inherited from the earliest version with its value
            while j > 0 and ruleset.versions[j - 1].parameters.get(name) == value:
                j -= 1
            used.add(f"versions[{j}].parameters.{name}")
    own = ["breach", "personal_information", *(f"obligations[{n}]" for n in names)]
    return sum(
        1
        for item in ruleset.unverified
        if (where := item.partition(": ")[0]) in used
        or any(where.startswith(f"{u}.") for u in used if "." in u)
        or any(where == o or where.startswith((f"{o}.", f"{o}[")) for o in own)
    )
