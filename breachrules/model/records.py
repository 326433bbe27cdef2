"""What the host records after an assessment: each notice it sent, and how each obligation
stands against those notices (worked out by :func:`breachrules.audit.compliance.compliance`).

Data, like the decisions they are compared with, so they live at the bottom of the house.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import attrs

__all__ = ["ComplianceEntry", "ComplianceStatus", "NoticeRecord"]


ComplianceStatus = Literal[
    "on_time",
    "late",
    "early",
    "sent",
    "owed",
    "overdue",
    "pending",
    "not_required",
    "unmatched",
]


@attrs.frozen
class NoticeRecord:
    """One notice the organisation sent: to whom, when, how, and where the proof is."""

    obligation_id: str
    sent_at: datetime
    recipient: str | None = None
    method: str | None = None
    evidence: str | None = None
    incident_id: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.sent_at.tzinfo is None:
            raise ValueError("sent_at: a naive datetime is never read as local time")


@attrs.frozen
class ComplianceEntry:
    """How one obligation stands against the notices recorded for it.

    ``on_time``/``late``: sent, before or after ``due`` (``late_by_seconds`` says by how
    much). ``sent``: sent, and the law fixes no period to measure it against. ``owed`` /
    ``overdue``: required, not sent, before or after ``due`` at ``as_of``. ``pending``:
    conditional on facts still unknown and not sent. ``not_required``: nothing owed (a
    record, if any, is kept). ``unmatched``: a record naming no obligation of the
    assessment, reported rather than dropped. ``overdue`` (the flag): not sent and past
    ``due`` at ``as_of``, whether owed (status ``overdue``) or ``pending`` (overdue if the
    facts still unknown make it owed).
    """

    obligation_id: str
    status: ComplianceStatus
    due: datetime | None = None
    sent_at: datetime | None = None
    late_by_seconds: int | None = None
    records: tuple[NoticeRecord, ...] = ()
    overdue: bool = False
