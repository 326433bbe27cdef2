"""When each notice was recorded, against when it says it was sent.

An event's ``at`` is the moment it speaks of, not the moment it was written. An
assessment's is its ``as_of``, deliberately: the same inputs give the same bytes, hashes
included. A notice's is its ``sent_at``, as the host gave it. Only a notice's
``recorded_at`` (the wall clock when ``audit record`` wrote it) says when the record was
made, and nothing in a log proves a sending earlier than its recording.

:func:`doubts` names, for one obligation's standing, what a report must not pass over:
a notice on time by its claim but recorded after its due date (saying how long after the
sending), and one recorded out of order (:func:`backwards`: its ``recorded_at`` runs
backwards from an event before it in the log for the same incident, or a checkpoint).
:func:`notes` says plainly what is normal: a notice recorded days after it was sent, but
before it was due, was recorded after the fact, not out of order.
The status is left as the host's word makes it; the doubt is said beside it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta

from breachrules.audit.proof import LogEvent
from breachrules.model.records import ComplianceEntry
from breachrules.model.timestamps import format_timestamp, parse_timestamp

__all__ = ["RECORDED_LONG_AFTER", "backwards", "doubts", "notes", "span"]

#: A notice recorded more than this after the sending it records is flagged.
RECORDED_LONG_AFTER = timedelta(hours=24)


def span(seconds: int) -> str:
    """``54d 3h`` or ``5h 20m``."""
    days, rest = divmod(seconds, 86400)
    return f"{days}d {rest // 3600}h" if days else f"{rest // 3600}h {(rest % 3600) // 60}m"


def backwards(events: Sequence[LogEvent]) -> dict[tuple[str | None, str], str]:
    """For each notice recorded out of order, keyed by (incident id, obligation id): what
    runs backwards.

    Order is judged on when events were recorded, not on the moments they speak of: a
    notice recorded today of a sending three days ago, after an assessment as of today, is
    the normal workflow (its past ``sent_at`` is said plainly, :func:`notes`). A notice's
    ``recorded_at`` is out of order when it is before that of an event before it in the log
    (the last of the same incident that says when it was recorded, or a checkpoint,
    whichever came later: another incident's say nothing of this one's): the log's own
    clock ran backwards. A notice written before ``recorded_at`` existed has only its
    ``at`` (the claimed sending), judged against the event before it as before.
    """
    out: dict[tuple[str | None, str], str] = {}
    last: dict[str | None, LogEvent] = {}
    recorded: dict[str | None, LogEvent] = {}
    checkpoint: LogEvent | None = None

    def later(event: LogEvent | None) -> LogEvent | None:
        if checkpoint is not None and (event is None or checkpoint.seq > event.seq):
            return checkpoint
        return event

    for event in events:
        incident = _incident(event)
        if event.type == "notice_sent":
            key = (incident, str(event.data.get("obligation_id")))
            mine = _recorded(event)
            if mine is not None:
                before = later(recorded.get(incident))
                theirs = _recorded(before) if before is not None else None
                if before is not None and theirs is not None and _earlier(mine, theirs):
                    out.setdefault(
                        key,
                        f"event {event.seq} was recorded {mine}, before event {before.seq} "
                        f"({_what(before)}, recorded {theirs}), which comes before it in the "
                        "log: the log's clock ran backwards, so when it was recorded is only "
                        "the host's word",
                    )
            else:
                before = later(last.get(incident))
                if before is not None and _earlier(event.at, before.at):
                    out.setdefault(
                        key,
                        f"event {event.seq} is dated {event.at}, before event {before.seq} "
                        f"({_what(before)}), which comes before it in the log, and does not "
                        "say when it was recorded: its date is only the host's word",
                    )
        if event.type == "checkpoint":
            checkpoint = event
        else:
            last[incident] = event
            if _recorded(event) is not None:
                recorded[incident] = event
    return out


def _recorded(event: LogEvent) -> str | None:
    """When ``event`` was written, where the log says: a notice's ``recorded_at``, a
    checkpoint's moment of signing. An assessment's ``at`` is its ``as_of``, the moment it
    speaks of (a plan for next week is as of next week), so it says none."""
    if event.type == "checkpoint":
        return event.at
    found = event.data.get("recorded_at") if event.type == "notice_sent" else None
    return found if isinstance(found, str) else None


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


def _after_due(entry: ComplianceEntry) -> bool:
    """A late notice is late whenever it was recorded; one on time by the host's word but
    recorded after its due date is on time only by that word."""
    return bool(entry.recorded_after_due and entry.due is not None and entry.status != "late")


def notes(entry: ComplianceEntry) -> list[str]:
    """What is plain about ``entry``'s recording, not a doubt: a notice recorded more than
    :data:`RECORDED_LONG_AFTER` after the sending it records, but before its due date (or
    with none), was recorded after the fact, as notices are; its timeliness does not rest
    on the claim, so it is said, not flagged."""
    after = entry.recorded_after_sent_seconds or 0
    if entry.recorded_at is None or after <= RECORDED_LONG_AFTER.total_seconds():
        return []
    if _after_due(entry):
        return []  # a doubt (:func:`doubts`) says it
    return [f"sent {span(after)} before it was recorded ({format_timestamp(entry.recorded_at)})"]


def doubts(
    entry: ComplianceEntry,
    back: Mapping[tuple[str | None, str], str] | None = None,
    incident_id: str | None = None,
) -> list[str]:
    """What the log says against ``entry``'s sending as the host gave it (see the module):
    recorded after its due date while on time by the claim, and recorded out of order."""
    out: list[str] = []
    after = entry.recorded_after_sent_seconds or 0
    long_after = after > RECORDED_LONG_AFTER.total_seconds()
    if entry.recorded_at is not None and _after_due(entry) and entry.due is not None:
        text = f"recorded {format_timestamp(entry.recorded_at)}"
        if long_after:
            text += f", {span(after)} after the sending it records"
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
