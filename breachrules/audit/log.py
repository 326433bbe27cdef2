"""An append-only JSON Lines audit log that proves what was known, decided and sent.

Each line is one event: an assessment (the incident document and the assessment
document, whole), a re-assessment's changes, or a notice sent. Every event carries the
SHA-256 of its own canonical form (RFC 8785, without the ``hash`` field) and the hash of
the event before it, so changing any byte, deleting, inserting or reordering an event
breaks the chain at that point, and :func:`verify` names the first broken event.

With ``cloudevents=True`` each line is a CloudEvents 1.0 JSON event (``specversion``,
``id``, ``source``, ``type``, ``time``, ``data``) with the chain in the extension attributes
``sequence``, ``prevhash`` and ``hash``; both forms verify the same way and may not be
mixed in one log. The log is plain text: keep it on write-once storage, or anchor the last
hash somewhere you do not control, to make truncation of the tail evident too.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from breachrules.audit.compliance import NoticeRecord
from breachrules.engine.audit import GENESIS, event_hash
from breachrules.model.timestamps import format_timestamp, parse_timestamp

if TYPE_CHECKING:
    from breachrules.model.decisions import Assessment
    from breachrules.model.facts import Incident
    from breachrules.views.changes import AssessmentDiff

__all__ = ["AuditLog", "LogEvent", "Verification", "verify"]

_SOURCE = "urn:breachrules"


@attrs.frozen
class LogEvent:
    """One line of the log, in the plain form (CloudEvents lines are read into it)."""

    seq: int
    type: str
    at: str
    data: dict[str, Any]
    prev_hash: str
    hash: str
    line: int


@attrs.frozen
class Verification:
    """The result of :func:`verify`: intact, or the first broken event and why."""

    ok: bool
    events: int
    last_hash: str
    broken_line: int | None = None
    reason: str | None = None


def _plain(body: Mapping[str, Any]) -> LogEvent | None:
    if "specversion" in body:
        try:
            return LogEvent(
                seq=int(body["sequence"]),
                type=str(body["type"]).removeprefix("org.breachrules."),
                at=str(body["time"]),
                data=dict(body["data"]),
                prev_hash=str(body["prevhash"]),
                hash=str(body["hash"]),
                line=0,
            )
        except (KeyError, TypeError, ValueError):
            return None
    try:
        return LogEvent(
            seq=int(body["seq"]),
            type=str(body["type"]),
            at=str(body["at"]),
            data=dict(body["data"]),
            prev_hash=str(body["prev_hash"]),
            hash=str(body["hash"]),
            line=0,
        )
    except (KeyError, TypeError, ValueError):
        return None


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    with path.open(encoding="utf-8") as handle:
        for number, text in enumerate(handle, start=1):
            if text.strip():
                yield number, text


def verify(path: str | Path) -> Verification:
    """Check every link of the log at ``path``; name the first broken event."""
    prev, count = GENESIS, 0
    for number, text in _lines(Path(path)):
        try:
            body = json.loads(text)
        except json.JSONDecodeError as exc:
            return Verification(False, count, prev, number, f"not JSON: {exc.msg}")
        event = _plain(body) if isinstance(body, dict) else None
        if event is None:
            return Verification(False, count, prev, number, "not an audit event")
        if event.seq != count + 1:
            return Verification(
                False, count, prev, number, f"sequence {event.seq} where {count + 1} was due"
            )
        if event.prev_hash != prev:
            return Verification(
                False, count, prev, number, "prev_hash does not match the event before it"
            )
        if event.hash != event_hash(body):
            return Verification(False, count, prev, number, "content does not match its hash")
        prev, count = event.hash, count + 1
    return Verification(True, count, prev)


class AuditLog:
    """Append events to the JSON Lines log at ``path`` (created if needed).

    Appending reads the last event to continue the chain; it refuses to append to a log
    whose chain is already broken, so a tampered log is never extended as if it were sound.
    Not safe for several writers at once: give each writer its own log, or serialise.
    """

    def __init__(self, path: str | Path, cloudevents: bool = False) -> None:
        self.path = Path(path)
        self.cloudevents = cloudevents

    def verify(self) -> Verification:
        """Check every link; see :func:`verify`."""
        return verify(self.path)

    def events(self) -> list[LogEvent]:
        """Every event, in order (no verification: call :func:`verify` for that)."""
        out: list[LogEvent] = []
        if not self.path.exists():
            return out
        for number, text in _lines(self.path):
            event = _plain(json.loads(text))
            if event is not None:
                out.append(attrs.evolve(event, line=number))
        return out

    def append(self, type: str, data: Mapping[str, Any], at: datetime | str) -> LogEvent:
        """Append one event of ``type`` carrying ``data`` (plain JSON values only)."""
        state = verify(self.path) if self.path.exists() else Verification(True, 0, GENESIS)
        if not state.ok:
            raise ValueError(
                f"{self.path}: the chain is broken at line {state.broken_line} "
                f"({state.reason}); not appending"
            )
        when = format_timestamp(at) if isinstance(at, datetime) else at
        seq = state.events + 1
        body: dict[str, Any]
        if self.cloudevents:
            body = {
                "specversion": "1.0",
                "id": f"{seq}-{state.last_hash[:16]}",
                "source": _SOURCE,
                "type": f"org.breachrules.{type}",
                "time": when,
                "datacontenttype": "application/json",
                "data": dict(data),
                "sequence": str(seq),
                "prevhash": state.last_hash,
            }
        else:
            body = {
                "seq": seq,
                "type": type,
                "at": when,
                "data": dict(data),
                "prev_hash": state.last_hash,
            }
        body["hash"] = event_hash(body)
        line = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        event = _plain(body)
        assert event is not None
        return event

    def record_assessment(self, incident: Incident, assessment: Assessment) -> LogEvent:
        """What was known (the incident) and what was decided (the assessment), whole."""
        return self.append(
            "assessment",
            {"incident": incident.to_dict(), "assessment": assessment.to_dict()},
            assessment.as_of,
        )

    def record_changes(self, incident_id: str, diff: AssessmentDiff, at: datetime) -> LogEvent:
        """A re-assessment's changes and the facts that caused them."""
        return self.append("reassessment", {"incident_id": incident_id, **diff.to_dict()}, at)

    def record_notice(self, record: NoticeRecord) -> LogEvent:
        """A notice actually sent; its time is when it was sent."""
        data = {k: v for k, v in attrs.asdict(record).items() if k != "sent_at"}
        data["sent_at"] = format_timestamp(record.sent_at)
        return self.append("notice_sent", data, record.sent_at)

    def notices(self, incident_id: str | None = None) -> list[NoticeRecord]:
        """The notices recorded in the log (for one incident, if given)."""
        out = []
        for e in self.events():
            if e.type != "notice_sent":
                continue
            if incident_id is not None and e.data.get("incident_id") not in (None, incident_id):
                continue
            fields = {k: v for k, v in e.data.items() if k != "sent_at"}
            out.append(NoticeRecord(sent_at=parse_timestamp(e.data["sent_at"]), **fields))
        return out

    def latest_assessments(self) -> dict[str, dict[str, Any]]:
        """The most recent assessment document recorded for each incident id."""
        out: dict[str, dict[str, Any]] = {}
        for e in self.events():
            if e.type == "assessment":
                doc = e.data["assessment"]
                out[str(doc["incident_id"])] = doc
        return out
