"""When each notice was recorded, against when it says it was sent.

An event's ``at`` is the moment it speaks of, not the moment it was written. An
assessment's is its ``as_of``, deliberately: the same inputs give the same bytes, hashes
included. A notice's is its ``sent_at``, as the host gave it. Only a notice's
``recorded_at`` (the wall clock when ``audit record`` wrote it) says when the record was
made, and nothing in a log proves a sending earlier than its recording.

:func:`doubts` names, for one obligation's standing, what a report must not pass over:
a notice recorded after its due date, one recorded more than :data:`RECORDED_LONG_AFTER`
after the sending it records, and one whose ``at`` runs backwards from the event before
it in the log for the same incident, or a checkpoint (:func:`backwards`: it was written
after an event it claims to precede).
The status is left as the host's word makes it; the doubt is said beside it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta

from breachrules.audit.proof import LogEvent
from breachrules.model.records import ComplianceEntry
from breachrules.model.timestamps import format_timestamp, parse_timestamp

__all__ = ["RECORDED_LONG_AFTER", "backwards", "doubts", "span"]

#: A notice recorded more than this after the sending it records is flagged.
RECORDED_LONG_AFTER = timedelta(hours=24)


def span(seconds: int) -> str:
    """``54d 3h`` or ``5h 20m``."""
    days, rest = divmod(seconds, 86400)
    return f"{days}d {rest // 3600}h" if days else f"{rest // 3600}h {(rest % 3600) // 60}m"


def backwards(events: Sequence[LogEvent]) -> dict[tuple[str | None, str], str]:
    """For each notice whose event is dated before the event before it in the log (the
    last one of the same incident, or a checkpoint, whichever came later: another
    incident's dates say nothing of this one's), keyed by (incident id, obligation id):
    what runs backwards."""
    out: dict[tuple[str | None, str], str] = {}
    last: dict[str | None, LogEvent] = {}
    checkpoint: LogEvent | None = None
    for event in events:
        incident = _incident(event)
        if event.type == "notice_sent":
            before = last.get(incident)
            if checkpoint is not None and (before is None or checkpoint.seq > before.seq):
                before = checkpoint
            if before is not None and _earlier(event.at, before.at):
                key = (incident, str(event.data.get("obligation_id")))
                out.setdefault(
                    key,
                    f"event {event.seq} is dated {event.at}, before event {before.seq} "
                    f"({_what(before)}), which comes before it in the log: it was recorded "
                    "out of order, so its date is only the host's word",
                )
        if event.type == "checkpoint":
            checkpoint = event
        else:
            last[incident] = event
    return out


def _incident(event: LogEvent) -> str | None:
    found = event.data.get("incident_id")
    if found is None and isinstance(event.data.get("assessment"), Mapping):
        found = event.data["assessment"].get("incident_id")
    return None if found is None else str(found)


def _earlier(at: str, than: str) -> bool:
    try:
        return parse_timestamp(at) < parse_timestamp(than)
    except (TypeError, ValueError):
        return False


def _what(event: LogEvent) -> str:
    if event.type == "assessment":
        return f"an assessment as of {event.at}"
    if event.type == "notice_sent":
        return f"a notice sent {event.at}"
    return f"a {event.type} event dated {event.at}"


def doubts(
    entry: ComplianceEntry,
    back: Mapping[tuple[str | None, str], str] | None = None,
    incident_id: str | None = None,
) -> list[str]:
    """What the log says against ``entry``'s sending as the host gave it (see the module)."""
    out: list[str] = []
    after = entry.recorded_after_sent_seconds or 0
    long_after = after > RECORDED_LONG_AFTER.total_seconds()
    # A late notice is late whenever it was recorded; one on time by the host's word but
    # recorded after its due date is on time only by that word.
    after_due = entry.recorded_after_due and entry.due is not None and entry.status != "late"
    if entry.recorded_at is not None and (long_after or after_due):
        text = f"recorded {format_timestamp(entry.recorded_at)}"
        if long_after:
            text += f", {span(after)} after the sending it records"
        if after_due and entry.due is not None:
            text += (
                f", after its due date ({format_timestamp(entry.due)}): that it went out "
                "in time rests on its evidence, not on this log"
            )
        out.append(text)
    for key in ((incident_id, entry.obligation_id), (None, entry.obligation_id)):
        if back and key in back:
            out.append(back[key])
            break
    return out
