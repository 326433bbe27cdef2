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
    """One notice the organisation sent: to whom, when, how, and where the proof is.

    ``sent_at`` is when the host says it was sent; ``recorded_at`` when the record was
    made (``AuditLog.record_notice`` sets it to the wall clock when it is not given; a
    record read from a log written before it existed has none). Only ``recorded_at`` is
    vouched for by the log: a sending recorded long after it happened rests on its evidence.
    """

    obligation_id: str
    sent_at: datetime
    recipient: str | None = None
    method: str | None = None
    evidence: str | None = None
    incident_id: str | None = None
    recorded_at: datetime | None = None
    #: The other duties the same notice met (``audit record`` with several
    #: ``--obligation``): read from the event's ``sent_with``; empty for a notice that
    #: served one duty.
    sent_with: tuple[str, ...] = attrs.field(default=(), converter=tuple)

    def __attrs_post_init__(self) -> None:
        if self.sent_at.tzinfo is None:
            raise ValueError("sent_at: a naive datetime is never read as local time")
        if self.recorded_at is not None and self.recorded_at.tzinfo is None:
            raise ValueError("recorded_at: a naive datetime is never read as local time")


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

    The status takes ``sent_at`` as the host gave it; the log vouches only for when the
    sending was recorded. ``recorded_at`` is when the record counted here (the earliest)
    was made (``None`` for a record made before breachrules kept it);
    ``recorded_after_sent_seconds`` how long after its claimed sending;
    ``recorded_after_due`` whether it was recorded after ``due``: a notice on time by its
    own word but recorded late is then said to be so, never shown as plainly on time.

    ``due_after``: for a notice timed from another's sending (a copy to an attorney
    general "within five business days of notifying the Secretary") while that one is
    recorded as sent nowhere, when it falls due, in words ("5 business days after
    US-HIPAA:notify-secretary is sent"); ``due`` is then ``None`` and the entry is never
    ``overdue``: its clock has not started, and the earliest lawful date the assessment
    shows meanwhile is a planning date, not a deadline missed.
    """

    obligation_id: str
    status: ComplianceStatus
    due: datetime | None = None
    sent_at: datetime | None = None
    late_by_seconds: int | None = None
    records: tuple[NoticeRecord, ...] = ()
    overdue: bool = False
    recorded_at: datetime | None = None
    recorded_after_sent_seconds: int | None = None
    recorded_after_due: bool = False
    due_after: str | None = None
