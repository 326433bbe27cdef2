"""Why a result changed: the facts each obligation's result and due date read.

:func:`breachrules.views.changes.compare` names, for each change, the changed facts that
caused it; this module says which facts a result reads (its reasons' facts, its missing
facts, its deadline's anchor) and which facts *date* a notice as opposed to deciding it (the
anchor, a law-enforcement delay, the notice it goes with), so that a due date moved by a
delay is put down to the delay, not to a fact that changed beside it (UT12 F3).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from breachrules.engine import audit
from breachrules.model.decisions import AuditEvent

if TYPE_CHECKING:
    from breachrules.model.decisions import Assessment, Obligation

__all__ = ["causes", "due_reads", "reads"]

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


def reads(
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


def due_reads(
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
                    paths |= due_reads(other, sides, seen | {oid})
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


def causes(changed: Iterable[str], reads: set[str]) -> tuple[str, ...]:
    def related(path: str) -> bool:
        if _ANY_PARTY.sub("parties[*]", path) in reads:
            return True
        return any(path == r or path.startswith(r + ".") or r.startswith(path + ".") for r in reads)

    return tuple(p for p in changed if related(p))
