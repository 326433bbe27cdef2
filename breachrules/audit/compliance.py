"""Notices actually sent, and whether each obligation was met on time.

The host records what it sent (:class:`NoticeRecord`); :func:`compliance` compares the
records with an assessment's obligations. A notice sent after its due time is ``late``,
by how much, and is never reported as compliant; a notice with no fixed period ("without
unreasonable delay") is ``sent`` and left for counsel to judge, because the statute gives
no line to measure against.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from breachrules.model.bindings import bind
from breachrules.model.records import ComplianceEntry, ComplianceStatus, NoticeRecord

if TYPE_CHECKING:
    from collections.abc import Iterable

    from breachrules.model.decisions import Assessment

__all__ = ["ComplianceEntry", "ComplianceStatus", "NoticeRecord", "compliance"]


def compliance(
    assessment: Assessment, records: Iterable[NoticeRecord], as_of: datetime | None = None
) -> tuple[ComplianceEntry, ...]:
    """Each obligation of ``assessment`` against ``records``, as of ``as_of``.

    ``as_of`` (default: the assessment's own) decides whether an unsent notice is
    ``owed`` or ``overdue``. The earliest record for an obligation is the one that counts.
    """
    moment = as_of or assessment.as_of
    by_id: dict[str, list[NoticeRecord]] = {}
    for record in records:
        by_id.setdefault(record.obligation_id, []).append(record)
    out: list[ComplianceEntry] = []
    for o in assessment.obligations:
        sent = tuple(sorted(by_id.pop(o.id, []), key=lambda r: r.sent_at))
        first = sent[0].sent_at if sent else None
        status: ComplianceStatus
        late_by = None
        if o.status == "not_required":
            status = "not_required"
        elif first is not None:
            if o.due is None:
                status = "sent"
            elif first <= o.due:
                status = "on_time"
            else:
                status = "late"
                late_by = int((first - o.due).total_seconds())
        elif o.status == "conditional":
            status = "pending"
        else:
            status = "overdue" if o.due is not None and moment > o.due else "owed"
        out.append(ComplianceEntry(o.id, status, o.due, first, late_by, sent))
    for obligation_id, rest in sorted(by_id.items()):
        ordered = tuple(sorted(rest, key=lambda r: r.sent_at))
        out.append(
            ComplianceEntry(obligation_id, "unmatched", None, ordered[0].sent_at, None, ordered)
        )
    return tuple(out)


bind("assessment.compliance", compliance)
