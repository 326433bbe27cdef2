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
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

import attrs

from breachrules.engine import audit
from breachrules.model.decisions import AuditEvent
from breachrules.model.timestamps import format_timestamp
from breachrules.views.fact_words import NOT_GIVEN, not_given
from breachrules.views.terminal import grid, plain_grid

if TYPE_CHECKING:
    from breachrules.engine import Engine
    from breachrules.model.decisions import Assessment, Obligation
    from breachrules.model.facts import Incident

__all__ = ["AssessmentDiff", "Change", "compare", "default_at", "fact_paths", "reassess"]

ChangeKind = Literal["added", "removed", "status", "due", "determination"]

#: The incident field each deadline anchor reads (``deadline.from``).
_ANCHOR_FIELDS = {
    "discovery": "discovered_at",
    "breach_determination": "breach_determined_at",
    "materiality_determination": "materiality_determined_at",
    "ransom_payment": "ransom_paid_at",
    "classification": "classification.classified_at",
    "bank_determination": "classification.bank_determined_at",
    "nydfs_determination": "classification.nydfs_determined_at",
    "occurrence": "occurred_at",
    "calendar_year_end": "discovered_at",
}
#: The anchors read from a party's own field (``engine.clocks.anchors``): the owner's
#: awareness is its own discovery or its provider's word (``parties[N].told_at``), the
#: agent's determination its ``parties[N].determined_at``; ``[*]`` is any party.
_PARTY_ANCHORS = {
    "owner_awareness": ("discovered_at", "parties[*].told_at"),
    "agent_determination": ("parties[*].determined_at",),
}
_ANY_PARTY = re.compile(r"^parties\[\d+\]")


@attrs.frozen
class Change:
    """One difference: ``subject`` is an obligation id or, for a determination, a code.

    ``before`` and ``after`` are statuses (``determination``, ``status``, ``added``,
    ``removed``) or due times in ISO 8601 (``due``; None for no fixed period). An
    obligation no longer owed (``removed``) has ``after="not_required"`` and one newly
    owed (``added``) ``before="not_required"``, whether the law now says so or no longer
    produces the obligation at all (it no longer applies); a determination of a law that
    no longer applies, or newly does, has None on that side.
    """

    subject: str
    kind: ChangeKind
    before: str | None
    after: str | None
    #: Fact paths that changed between the two incidents and that this subject reads.
    caused_by: tuple[str, ...] = ()


@attrs.frozen
class AssessmentDiff:
    """The changes between two assessments, the facts that changed, and audit events."""

    changes: tuple[Change, ...]
    facts_changed: dict[str, tuple[Any, Any]] = attrs.Factory(dict)
    audit: tuple[AuditEvent, ...] = ()

    def fact_lines(self) -> list[str]:
        """The facts changed, a heading and one line each: ``path: before -> after``."""
        return [f"Facts changed ({len(self.facts_changed)})"] + [
            f"  {path}: {_shown(path, old)} -> {_shown(path, new)}"
            for path, (old, new) in self.facts_changed.items()
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

    def to_text(self, width: int = 100) -> str:
        """The diff as ``breachrules diff`` prints it to a file (without the staff brief):
        the facts changed, then the changes in a table fitted to ``width`` columns, wider
        only where an id, a field path or a timestamp would otherwise break. ``str(diff)``
        is this text."""
        out = [*self.fact_lines(), "", f"Changes ({len(self.changes)})"]
        header, rows, wraps, least = self.table()
        lines = plain_grid(header, rows, width - 2, wraps, least, overflow=True)
        if lines is None:  # a character not one cell wide: rich lays it out
            lines = _rich_lines(grid(header, rows, width - 2, wraps, least), width - 2)
        out += [("  " + line).rstrip() for line in lines]
        return "\n".join(out) + "\n"

    def __str__(self) -> str:
        return self.to_text()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (facts as ``{"before": ..., "after": ...}``)."""
        return {
            "changes": [attrs.asdict(c) for c in self.changes],
            "facts_changed": {
                path: {"before": old, "after": new}
                for path, (old, new) in self.facts_changed.items()
            },
            "audit": [attrs.asdict(e) for e in self.audit],
        }


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


def _reads(
    obligations: Iterable[tuple[Obligation | None, Sequence[AuditEvent]]], extra: Iterable[str]
) -> set[str]:
    paths = set(extra)
    for o, events in obligations:
        if o is None:
            continue
        paths.update(o.missing_facts)
        for reason in o.reasons:
            paths.update(audit.reason_facts(events, o.jurisdiction, reason))
        anchor = _ANCHOR_FIELDS.get(o.deadline.from_)
        if anchor:
            paths.add(anchor)
    return paths


#: How a reason that a law-enforcement delay wrote opens (``engine.clocks.delay_reason``
#: and ``engine.delays``): the plan and the brief read the same words.
_DELAY_OPENINGS = ("law enforcement asked for a delay", "a law-enforcement delay was asked for")
#: The fact a law-enforcement delay moves a due date by.
_DELAY_FIELD = "law_enforcement.delay_requested_until"


def _due_reads(
    oid: str, sides: Sequence[Assessment], seen: frozenset[str] = frozenset()
) -> set[str]:
    """The facts that date notice ``oid``, as opposed to deciding whether it is owed: the
    deadline's anchor (``deadline.from``) and, where a law-enforcement delay holds the
    notice on either side, the delay's end and whatever else its reason read; a notice
    dated by another (``from: notice_to_individuals`` or ``sent:<id>``: California's
    identity-theft offer goes with its letter) is dated by that one's facts. A due date
    that moved is attributed to these first, the way ``explain`` tells it ("law
    enforcement asked for a delay until ..."), not to a fact that merely changed beside
    them (UT12 F3: a delay and an acquisition arriving together)."""
    paths: set[str] = set()
    for a in sides:
        for o in a.obligations:
            if o.id != oid:
                continue
            anchor = _ANCHOR_FIELDS.get(o.deadline.from_)
            if anchor:
                paths.add(anchor)
            paths.update(_PARTY_ANCHORS.get(o.deadline.from_, ()))
            for reason in o.reasons:
                if reason.text.startswith(_DELAY_OPENINGS):
                    paths.add(_DELAY_FIELD)
                    paths.update(audit.reason_facts(a.audit, o.jurisdiction, reason))
            for other in _dated_by(o, a):
                if other not in seen:
                    paths |= _due_reads(other, sides, seen | {oid})
    return paths


def _dated_by(o: Obligation, a: Assessment) -> list[str]:
    """The notices whose sending dates ``o``: its law's letter to individuals (``from:
    notice_to_individuals``) or the one it names (``from: sent:<id>``)."""
    start = o.deadline.from_
    if start == "notice_to_individuals":
        return [
            p.id
            for p in a.obligations
            if p.jurisdiction == o.jurisdiction
            and p.recipient == "individuals"
            and p.status != "not_required"
            and p.id != o.id
        ]
    if start.startswith("sent:"):
        name = start.removeprefix("sent:")
        return [name if ":" in name else f"{o.jurisdiction}:{name}"]
    return []


def _causes(changed: Iterable[str], reads: set[str]) -> tuple[str, ...]:
    def related(path: str) -> bool:
        if _ANY_PARTY.sub("parties[*]", path) in reads:
            return True
        return any(path == r or path.startswith(r + ".") or r.startswith(path + ".") for r in reads)

    return tuple(p for p in changed if related(p))


def compare(
    old: Assessment,
    new: Assessment,
    facts_changed: Mapping[str, tuple[Any, Any]] | None = None,
) -> AssessmentDiff:
    """The changes from ``old`` to ``new``, attributed to ``facts_changed`` where possible."""
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
        # Not owed on one side, whether not_required or not produced at all: one word for
        # both (the Change docstring).
        if before is None or before.status == "not_required":
            if after is not None and after.status != "not_required":
                changes.append(Change(oid, "added", "not_required", after.status, causes))
            continue
        if after is None or after.status == "not_required":
            changes.append(Change(oid, "removed", before.status, "not_required", causes))
            continue
        if before.status != after.status:
            changes.append(Change(oid, "status", before.status, after.status, causes))
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
    return AssessmentDiff(tuple(changes), changed, events)


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
