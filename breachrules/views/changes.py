"""What changed between two assessments of the same incident, and which facts changed it.

As facts arrive (exfiltration confirmed, a risk assessment finished, more residents
counted) the incident is assessed again; :func:`reassess` compares the two assessments
and names, for every obligation that appeared, disappeared, or whose status or due date
moved, the new facts that caused the change. Each change is also an audit event, chained
onto the new assessment's own audit chain so that the record of *why* the plan changed is
as tamper-evident as the plan.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

import attrs

from breachrules.engine import audit
from breachrules.model.decisions import AuditEvent
from breachrules.model.timestamps import format_timestamp
from breachrules.views.causes import causes as _causes
from breachrules.views.causes import due_reads as _due_reads
from breachrules.views.causes import reads as _reads
from breachrules.views.fact_words import NOT_GIVEN, not_given
from breachrules.views.terminal import GAP, columns, grid, plain_grid, wrap

if TYPE_CHECKING:
    from breachrules.engine import Engine
    from breachrules.model.decisions import Assessment, Obligation
    from breachrules.model.facts import Incident

__all__ = [
    "AssessmentDiff",
    "Change",
    "compare",
    "default_at",
    "fact_paths",
    "reassess",
    "stacked_changes",
    "table_fits",
]

#: What the facts line says when ``compare`` was not told which facts changed: "Facts
#: changed (0)" read as "none changed" (UT12).
FACTS_NOT_GIVEN = "Facts changed: not given (pass facts_changed= to compare, or use reassess)"

ChangeKind = Literal["added", "removed", "status", "due", "determination"]


@attrs.frozen
class Change:
    """One difference: ``subject`` is an obligation id or, for a determination, a code.

    ``before`` and ``after`` are statuses (``determination``, ``status``, ``added``,
    ``removed``) or due times in ISO 8601 (``due``; None for no fixed period). An
    obligation one side does not list at all (its law no longer applies, or newly does) is
    ``removed`` (``after="not_required"``) or ``added`` (``before="not_required"``); one
    both sides list whose status changed is a ``status`` change, to or from
    ``not_required`` included (``conditional -> not_required``: the law now decides it is
    not owed). A determination of a law that no longer applies, or newly does, has None on
    that side.
    """

    subject: str
    kind: ChangeKind
    before: str | None
    after: str | None
    #: Fact paths that changed between the two incidents and that this subject reads.
    caused_by: tuple[str, ...] = ()


@attrs.frozen
class AssessmentDiff:
    """The changes between two assessments, the facts that changed, and audit events.

    ``facts_given`` is False when :func:`compare` was not told which facts changed: then
    ``facts_changed`` is empty because nobody said, not because no fact changed, and no
    change names a cause.
    """

    changes: tuple[Change, ...]
    facts_changed: dict[str, tuple[Any, Any]] = attrs.Factory(dict)
    audit: tuple[AuditEvent, ...] = ()
    facts_given: bool = True

    def fact_lines(self, width: int | None = None) -> list[str]:
        """The facts changed, a heading and one line each: ``path: before -> after``
        (or one line saying they were not given). ``width``: each line wrapped to that many
        columns, its continuation under the path's first letter plus two, a path or a
        word of a value never broken; None: not wrapped."""
        if not self.facts_given:
            return [FACTS_NOT_GIVEN]
        lines = [
            f"{path}: {_shown(path, old)} -> {_shown(path, new)}"
            for path, (old, new) in self.facts_changed.items()
        ]
        if width is None:
            return [f"Facts changed ({len(lines)})"] + [f"  {line}" for line in lines]
        return [f"Facts changed ({len(lines)})"] + [
            part
            for line in lines
            for part in textwrap.wrap(
                line,
                width,
                initial_indent="  ",
                subsequent_indent="    ",
                break_long_words=False,
                break_on_hyphens=False,
            )
        ]

    def table(self) -> tuple[list[str], list[list[str]], set[int], dict[int, int]]:
        """The changes as a table: header, rows, the columns that wrap, and each column's
        least width (its longest word: an id, a field path or a timestamp never breaks,
        it moves whole to the next line). ``breachrules diff`` prints this table too."""
        header = ["  CHANGE", "SUBJECT", "BEFORE", "AFTER", "CAUSED BY"]
        rows = [
            [
                "  " + c.kind,
                c.subject,
                c.before or "none",
                c.after or "none",
                ", ".join(c.caused_by),
            ]
            for c in self.changes
        ]
        least = {
            n: max((len(word) for r in rows for word in r[n].split()), default=len(header[n]))
            for n in range(1, len(header))
        }
        return header, rows, {2, 3, 4}, least

    def to_text(self, width: int | None = None) -> str:
        """The diff as ``breachrules diff`` prints it (without the staff brief): the facts
        changed, then the changes in a table fitted to ``width`` columns or, where the
        ids and timestamps cannot fit whole beside each other, one change per block of
        lines. ``width`` None: the terminal's, else ``$COLUMNS``, else 80, as the command
        line reads it (a diff printed in an 80-column terminal was 110 wide). ``str(diff)``
        is this text."""
        width = columns() if width is None else width
        out = [*self.fact_lines(width), "", f"Changes ({len(self.changes)})"]
        header, rows, wraps, least = self.table()
        if not table_fits(header, rows, least, width):
            return "\n".join([*out, *stacked_changes(rows, width)]) + "\n"
        lines = plain_grid(header, rows, width - 2, wraps, least, overflow=True)
        if lines is None:  # a character not one cell wide: rich lays it out
            lines = _rich_lines(grid(header, rows, width - 2, wraps, least), width - 2)
        out += [("  " + line).rstrip() for line in lines]
        return "\n".join(out) + "\n"

    def __str__(self) -> str:
        return self.to_text()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (facts as ``{"before": ..., "after": ...}``); ``facts_given``
        (added) is written, as false, only when the facts were not given."""
        doc: dict[str, Any] = {
            "changes": [attrs.asdict(c) for c in self.changes],
            "facts_changed": {
                path: {"before": old, "after": new}
                for path, (old, new) in self.facts_changed.items()
            },
            "audit": [attrs.asdict(e) for e in self.audit],
        }
        if not self.facts_given:
            doc["facts_given"] = False
        return doc


def table_fits(header: list[str], rows: list[list[str]], least: dict[int, int], width: int) -> bool:
    """Whether the changes' table fits ``width`` with every id, path and timestamp whole
    (``least``, from :meth:`AssessmentDiff.table`); an empty table always does."""
    kinds = max(len(r[0].strip()) for r in [header, *rows])
    return not rows or kinds + sum(least.values()) + GAP * len(least) + 2 <= width


def stacked_changes(rows: list[list[str]], width: int) -> list[str]:
    """The changes one block of lines each, for a width too narrow for their table (an
    80-column terminal cannot hold two timestamps beside an id, and a timestamp broken
    mid-string is misread)."""
    out: list[str] = []
    for kind, subject, was, now, caused in rows:
        out += [f"  {kind.strip()}  {subject}", f"    before:    {was}", f"    after:     {now}"]
        if caused:
            out += wrap(f"    caused by: {caused}", width).splitlines()
    return out


def _rich_lines(table: Any, width: int) -> list[str]:
    import io

    from rich.console import Console

    buffer = io.StringIO()
    Console(file=buffer, width=width, no_color=True, highlight=False, emoji=False).print(table)
    return buffer.getvalue().splitlines()


def _shown(path: str, value: Any) -> str:
    return NOT_GIVEN if not_given(path, value) else json.dumps(value)


def fact_paths(doc: Any, prefix: str = "") -> dict[str, Any]:
    """Flatten an incident document to ``{"exposures[0].acquired": True, ...}``.

    Lists of plain values (elements, types) stay whole; lists of objects are indexed.
    """
    out: dict[str, Any] = {}
    if isinstance(doc, Mapping):
        for key, value in doc.items():
            out.update(fact_paths(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(doc, list) and any(isinstance(v, Mapping | list) for v in doc):
        for i, value in enumerate(doc):
            out.update(fact_paths(value, f"{prefix}[{i}]"))
    else:
        out[prefix] = doc
    return out


def _due(o: Obligation | None) -> str | None:
    return format_timestamp(o.due) if o is not None and o.due is not None else None


def compare(
    old: Assessment,
    new: Assessment,
    facts_changed: Mapping[str, tuple[Any, Any]] | None = None,
) -> AssessmentDiff:
    """The changes from ``old`` to ``new``, attributed to ``facts_changed`` where possible.

    Two assessments do not hold the incidents' facts, so without ``facts_changed`` no
    change names a cause and the diff says the facts were not given (``facts_given``
    False); :func:`reassess` compares the incidents and passes them.
    """
    changed = dict(facts_changed or {})
    det_reads: dict[str, set[str]] = {}
    for a in (old, new):
        for d in a.determinations:
            reads = det_reads.setdefault(d.jurisdiction, set())
            reads.update(d.missing_facts)
            for reason in d.reasons:  # a reason about many exposures refers to the audit
                reads.update(audit.reason_facts(a.audit, d.jurisdiction, reason))
    changes: list[Change] = []
    old_d = {d.jurisdiction: d.status for d in old.determinations}
    new_d = {d.jurisdiction: d.status for d in new.determinations}
    for code in dict.fromkeys([*old_d, *new_d]):
        if old_d.get(code) != new_d.get(code):
            causes = _causes(changed, det_reads.get(code, set()))
            changes.append(Change(code, "determination", old_d.get(code), new_d.get(code), causes))
    old_o = {o.id: o for o in old.obligations}
    new_o = {o.id: o for o in new.obligations}
    for oid in dict.fromkeys([*old_o, *new_o]):
        before, after = old_o.get(oid), new_o.get(oid)
        code = oid.split(":", 1)[0]
        reads = _reads([(before, old.audit), (after, new.audit)], det_reads.get(code, set()))
        causes = _causes(changed, reads) or tuple(changed)
        # Not produced at all on one side: added or removed, read as not_required there.
        # Listed on both sides, a change of status is a status change, to or from
        # not_required included (UT11 21; the Change docstring).
        if before is None or after is None:
            listed = before if before is not None else after
            if listed is None or listed.status == "not_required":
                continue
            if before is None:
                changes.append(Change(oid, "added", "not_required", listed.status, causes))
            else:
                changes.append(Change(oid, "removed", listed.status, "not_required", causes))
            continue
        if before.status != after.status:
            changes.append(Change(oid, "status", before.status, after.status, causes))
        if "not_required" in (before.status, after.status):
            continue  # no due date to compare on the side that owes nothing
        if _due(before) != _due(after):
            dating = _causes(changed, _due_reads(oid, (old, new)))
            changes.append(Change(oid, "due", _due(before), _due(after), dating or causes))
    records = [
        (
            "obligation_changed" if ":" in c.subject else "determination_changed",
            c.subject if ":" in c.subject else None,
            c.subject.split(":", 1)[0],
            {
                "kind": c.kind,
                "before": c.before,
                "after": c.after,
                "caused_by": {
                    p: {"before": changed[p][0], "after": changed[p][1]} for p in c.caused_by
                },
            },
        )
        for c in changes
    ]
    # The changes continue the new assessment's chain: verify_chain(new.audit + diff.audit).
    events = audit.chain(
        records,
        format_timestamp(new.as_of),
        prev_hash=new.audit[-1].hash if new.audit else audit.GENESIS,
        start=len(new.audit) + 1,
    )
    return AssessmentDiff(tuple(changes), changed, events, facts_changed is not None)


def reassess(
    engine: Engine,
    old: Incident,
    new: Incident,
    as_of: datetime | str | None = None,
    jurisdictions: Iterable[str] | None = None,
) -> tuple[Assessment, Assessment, AssessmentDiff]:
    """Assess both versions of an incident at the same moment and compare them.

    ``as_of`` defaults to the new incident's ``discovered_at``; both assessments use it,
    so every difference comes from the facts, not from the clock.
    """
    moment = as_of if as_of is not None else new.discovered_at
    codes = list(jurisdictions) if jurisdictions is not None else None
    a_old = engine.assess(old, as_of=moment, jurisdictions=codes)
    a_new = engine.assess(new, as_of=moment, jurisdictions=codes)
    before, after = fact_paths(old.to_dict()), fact_paths(new.to_dict())
    changed = {}
    for p in dict.fromkeys([*before, *after]):
        # A document omits a field at its default: that side shows the default, not null.
        was = before[p] if p in before else default_at(old, p)
        now = after[p] if p in after else default_at(new, p)
        if was != now:
            changed[p] = (was, now)
    return a_old, a_new, compare(a_old, a_new, changed)


_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def default_at(incident: Incident, path: str) -> Any:
    """The value at ``path`` (as :func:`fact_paths` writes it) that ``incident`` holds
    though its document omits it (a field at its default); None where it holds none."""
    value: Any = incident
    for name, index in _STEP.findall(path):
        if index:
            i = int(index)
            value = value[i] if isinstance(value, Sequence) and i < len(value) else None
        elif isinstance(value, Mapping):
            value = value.get(name)
        else:
            value = getattr(value, name, None)
        if value is None:
            return None
    return value if isinstance(value, bool | int | float | str) else None
