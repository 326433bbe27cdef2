"""The notices an audit log records as sent, as an incident's ``notices_sent``.

``breachrules audit record`` writes a sent notice to the log, and ``audit report`` judges
it there; but ``assess``, ``plan``, ``brief`` and ``questions`` read sent notices from the
incident's own ``notices_sent``, so a stage that runs from an earlier one's sending (DORA's
intermediate report, counted from the initial notification) kept its earliest lawful date
until the incident was edited too. With ``--sent-from LOG`` they read both:
the log is verified first (a broken one is refused: a tampered log proves nothing), its
notices for the incident are merged into ``notices_sent``, and where both give a notice
the incident's own entry wins, with a warning naming both moments.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import attrs

from breachrules.audit.log import AuditLog
from breachrules.errors import InvalidArgument, Problem
from breachrules.model.facts import Incident
from breachrules.model.timestamps import format_timestamp

__all__ = ["sent_from_log"]


def sent_from_log(path: str | Path, incident: Incident) -> tuple[Incident, list[str]]:
    """``incident`` with the notices ``path`` records as sent for it added to its
    ``notices_sent`` (the earliest sending of each obligation, as a clock runs from the
    first), and a warning for each notice both give at different moments (the incident's is
    kept). :class:`InvalidArgument` (``--sent-from``) when the log is missing or broken."""
    log = AuditLog(path)
    if not log.path.exists():
        raise InvalidArgument([Problem("--sent-from", f"{path}: no such file")])
    result = log.verify()
    if not result.ok:
        raise InvalidArgument(
            [
                Problem(
                    "--sent-from",
                    f"{path}: the chain is broken at line {result.broken_line} "
                    f"({result.reason}); notices from a log that may have been tampered "
                    "with are not taken as sent (`breachrules audit verify` says more)",
                )
            ]
        )
    recorded: dict[str, datetime] = {}
    for record in log.notices(incident.id):
        first = recorded.get(record.obligation_id)
        if first is None or record.sent_at < first:
            recorded[record.obligation_id] = record.sent_at
    warnings = [
        f"notices_sent.{key}: the incident says it was sent {format_timestamp(sent)}, "
        f"{path} records it sent {format_timestamp(recorded[key])}; the incident's is used"
        for key, sent in incident.notices_sent.items()
        if key in recorded and recorded[key] != sent
    ]
    merged = {**recorded, **incident.notices_sent}
    if merged == incident.notices_sent:
        return incident, warnings
    return attrs.evolve(incident, notices_sent=merged), warnings
