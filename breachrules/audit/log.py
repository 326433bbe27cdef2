"""An append-only JSON Lines audit log that proves what was known, decided and sent.

Each line is one event: an assessment (the incident document and the assessment
document, whole), a re-assessment's changes, a notice sent, or a signed checkpoint.
Three protections, each caught by :func:`verify` and named in its answer
(docs/security.md sets out what each does and does not stop):

- **the chain**: every event carries the SHA-256 of its own canonical form (RFC 8785,
  without ``hash`` and ``mac``) and the hash of the event before it, so an edited,
  deleted, inserted or reordered event breaks the chain, unless whoever edited it
  recomputed every later hash, which anyone can; and each line must be byte for byte
  the text it was written as (the canonical form ignores spacing, so an inserted space
  would otherwise pass);
- **the key** (:class:`KeyRing`): with a secret key the host controls, every event also
  carries ``mac``, an HMAC-SHA-256 of its hash, and ``key_id``. Recomputing the chain
  without the key leaves MACs that do not match;
- **the head anchor**: ``LOG.head`` beside the log names the last event and its hash
  (with a MAC when keyed); ``breachrules audit head`` prints it for publishing elsewhere.
  Deleting events from the end no longer verifies: the anchor names an event the log
  lacks. Signed **checkpoints** (Ed25519, ``breachrules[signing]``) add non-repudiation:
  who holds the private key signed that the log stood so at that moment.

Appends are flushed and fsynced, and a failed write is cut back so that no partial event
remains; a process killed mid-write leaves a torn last line, which :func:`verify` reports
as torn (not as tampering) and ``breachrules audit repair`` moves aside.

With ``cloudevents=True`` each line is a CloudEvents 1.0 JSON event (``specversion``,
``id``, ``source``, ``type``, ``time``, ``data``) with the chain in the extension attributes
``sequence``, ``prevhash``, ``hash``, ``mac`` and ``keyid``; both forms verify the same
way. A log keeps the form its events have: an append in another form (without the key
to a keyed log, under a key the log was not written with, with a key to an unkeyed log,
plain to a CloudEvents log or the reverse) is refused before anything is written
(:class:`AuditLogFormError`), so that an honest slip never leaves the log looking
tampered. Logs written before the key and the anchor existed read and verify as before,
reported as unkeyed.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from breachrules.audit.compliance import NoticeRecord, notice_data, read_notice
from breachrules.audit.keys import KEY_ENV, KEY_FILE_ENV, KeyRing, public_key_hex, signing_key
from breachrules.audit.proof import (
    LogEvent,
    Verification,
    anchor_path,
    checkpoint_message,
    content_hash,
    head_line,
    log_form,
    read_event,
    read_events,
    repair,
    verify,
    written_form,
)
from breachrules.errors import BreachrulesError, InvalidArgument, Problem
from breachrules.model.timestamps import format_timestamp

if TYPE_CHECKING:
    from breachrules.model.decisions import Assessment
    from breachrules.model.facts import Incident
    from breachrules.views.changes import AssessmentDiff

__all__ = [
    "KEY_ENV",
    "KEY_FILE_ENV",
    "AuditLog",
    "AuditLogError",
    "AuditLogFormError",
    "KeyRing",
    "LogEvent",
    "Verification",
    "anchor_path",
    "head_line",
    "repair",
    "verify",
]

_SOURCE = "urn:breachrules"


class AuditLogError(BreachrulesError, ValueError):
    """The audit log cannot be read or written (a full disk, a read-only folder, a torn
    line), or would be extended while broken. Nothing partial is left behind."""


class AuditLogFormError(InvalidArgument, AuditLogError):
    """An append in another form than the log's own: without the key to a keyed log, under
    a key it was not written with, with a key to an unkeyed log, plain to a CloudEvents
    log or the reverse. Refused before anything is written; the problem names what to give.
    The command line exits 2 on it."""


class AuditLog:
    """Append events to the JSON Lines log at ``path`` (created if needed).

    Appending verifies the log first and refuses to extend one whose chain is broken, so a
    tampered log is never extended as if it were sound. ``keys`` (default: the ring the
    environment configures, see :meth:`KeyRing.from_env`) makes every new event keyed.
    Writers on one machine are serialised by a lock on the file; give writers on
    different machines their own logs.
    """

    def __init__(
        self, path: str | Path, cloudevents: bool = False, keys: KeyRing | None = None
    ) -> None:
        self.path = Path(path)
        self.cloudevents = cloudevents
        self.keys = keys if keys is not None else KeyRing.from_env()

    def verify(self, *, anchor: str | None = None, public_keys: Sequence[str] = ()) -> Verification:
        """Check every link with every protection available; see :func:`verify`."""
        return verify(self.path, self.keys, anchor=anchor, public_keys=public_keys)

    def head(self) -> str:
        """The head line to publish elsewhere (:func:`head_line`)."""
        state = self.verify()
        return head_line(state.events, state.last_hash)

    def events(self) -> list[LogEvent]:
        """Every complete event, in order (no verification: call :func:`verify` for that)."""
        out: list[LogEvent] = []
        if not self.path.exists():
            return out
        for number, raw, _ in read_events(self.path):
            try:
                body = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError):
                continue  # a torn line
            event = read_event(body) if isinstance(body, dict) else None
            if event is not None:
                out.append(attrs.evolve(event, line=number))
        return out

    def append(self, type: str, data: Mapping[str, Any], at: datetime | str) -> LogEvent:
        """Append one event of ``type`` carrying ``data`` (plain JSON values only)."""
        when = format_timestamp(at) if isinstance(at, datetime) else at
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except OSError as exc:
            raise AuditLogError(
                f"cannot write {self.path}: {exc.strerror or exc}; nothing was appended"
            ) from None
        try:
            _lock(fd)
            self._check_form()
            state = verify(self.path, self.keys)
            if not state.ok:
                raise AuditLogError(
                    f"{self.path}: the chain is broken at line {state.broken_line} "
                    f"({state.reason}); not appending"
                )
            if state.torn_line is not None:
                raise AuditLogError(
                    f"{self.path}: line {state.torn_line} is torn (an interrupted write); "
                    f"run `breachrules audit repair {self.path}` first; not appending"
                )
            body = self._body(type, data, when, state.events + 1, state.last_hash)
            _write_all(fd, self.path, written_form(body) + b"\n")
            event = read_event(body)
            assert event is not None
            self._anchor(event)
            return event
        finally:
            os.close(fd)

    def _check_form(self) -> None:
        """Refuse to append in another form than the log's (read from its events):
        an event without a MAC after keyed ones reads as MACs stripped, and a plain event
        after CloudEvents ones breaks the log's form for every reader of it."""
        form = log_form(self.path)
        if form is None:
            return
        cloudevents, keyed, key_id = form
        give_key = (
            f"set {KEY_FILE_ENV} to its key file (or {KEY_ENV} to the key; "
            "`breachrules audit` also takes --key-file)"
        )
        problem = None
        if cloudevents and not self.cloudevents:
            problem = (
                "this log holds CloudEvents events: append to it with --cloudevents "
                "(in Python, cloudevents=True)"
            )
        elif self.cloudevents and not cloudevents:
            problem = "this log holds plain events, not CloudEvents: append without --cloudevents"
        elif keyed and self.keys is None:
            problem = (
                f"this log is keyed (its events carry MACs under key {key_id}), and no key was "
                f"given: give the key it was written with: {give_key}"
            )
        elif keyed and self.keys is not None and self.keys.find(key_id or "") is None:
            problem = (
                f"this log is keyed under key {key_id}, which is not in the key ring given: "
                "give the key it was written with (after a rotation, the old key stays in the "
                f"file below the new one): {give_key}"
            )
        elif not keyed and self.keys is not None:
            problem = (
                "this log is unkeyed (no event carries a MAC), and a key was given: to append "
                f"to it, unset {KEY_FILE_ENV} and {KEY_ENV} (and drop --key-file), or start "
                "a new log for keyed events (if it was keyed, its MACs were stripped: "
                "`breachrules audit verify` with the key says so)"
            )
        if problem is not None:
            raise AuditLogFormError([Problem(str(self.path), problem + "; nothing was appended")])

    def _body(
        self, type: str, data: Mapping[str, Any], when: str, seq: int, prev: str
    ) -> dict[str, Any]:
        body: dict[str, Any]
        ce = self.cloudevents
        if ce:
            body = {
                "specversion": "1.0",
                "id": f"{seq}-{prev[:16]}",
                "source": _SOURCE,
                "type": f"org.breachrules.{type}",
                "time": when,
                "datacontenttype": "application/json",
                "data": dict(data),
                "sequence": str(seq),
                "prevhash": prev,
            }
        else:
            body = {"seq": seq, "type": type, "at": when, "data": dict(data), "prev_hash": prev}
        if self.keys is not None:
            body["keyid" if ce else "key_id"] = self.keys.current[0]
        body["hash"] = content_hash(body)
        if self.keys is not None:
            body["mac"] = KeyRing.mac(self.keys.current[1], body["hash"])
        return body

    def _anchor(self, event: LogEvent) -> None:
        """Write ``LOG.head`` atomically (temporary file, fsync, rename)."""
        doc: dict[str, Any] = {"events": event.seq, "hash": event.hash}
        if self.keys is not None:
            key_id, key = self.keys.current
            doc.update(key_id=key_id, mac=KeyRing.mac(key, f"{event.seq} {event.hash}"))
        target = anchor_path(self.path)
        temporary = target.with_name(target.name + ".tmp")
        try:
            with temporary.open("w", encoding="utf-8") as handle:
                handle.write(json.dumps(doc, sort_keys=True) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, target)
        except OSError as exc:
            raise AuditLogError(
                f"event {event.seq} was appended to {self.path}, but its head anchor "
                f"{target} could not be written: {exc.strerror or exc}"
            ) from None

    def record_assessment(
        self,
        incident: Incident,
        assessment: Assessment,
        jurisdictions: Sequence[str] | None = None,
    ) -> LogEvent:
        """What was known (the incident) and what was decided (the assessment), whole.

        ``jurisdictions``: the laws the assessment was limited to, if it was; recorded so
        that ``breachrules impact`` asks the same question again, not every law."""
        data: dict[str, Any] = {"incident": incident.to_dict(), "assessment": assessment.to_dict()}
        if jurisdictions is not None:
            data["jurisdictions"] = list(jurisdictions)
        return self.append("assessment", data, assessment.as_of)

    def record_changes(self, incident_id: str, diff: AssessmentDiff, at: datetime) -> LogEvent:
        """A re-assessment's changes and the facts that caused them."""
        return self.append("reassessment", {"incident_id": incident_id, **diff.to_dict()}, at)

    def record_notice(self, record: NoticeRecord, *, forced: str | None = None) -> LogEvent:
        """A notice actually sent (:meth:`record_notices` with one record)."""
        return self.record_notices([record], forced=forced)[0]

    def record_notices(
        self, records: Sequence[NoticeRecord], *, forced: str | None = None
    ) -> list[LogEvent]:
        """Notices actually sent: one ``notice_sent`` event per record, in order. Several
        records are one notice serving several duties (``plan`` merges them into one
        action); each event then names the others in ``sent_with``.

        Each event's ``at`` is the record's ``sent_at``, as the host gives it; its
        ``recorded_at`` (the record's own, else the wall clock, UTC) is when the record was
        made, which a report weighs against the due date and the claimed sending.
        Every obligation must be one that an assessment in the log produced for the
        incident (checked for all before any is written): a typo written to an
        append-only log stays there for good, and leaves the real obligation overdue.
        ``forced`` (a reason, itself logged) records them anyway; but never under an
        incident no assessment in the log is of (a typo in its id).
        """
        datas = notice_data(
            records, self.obligation_ids, self.path.name, forced, self.latest_assessments()
        )
        return [
            self.append("notice_sent", d, r.sent_at) for r, d in zip(records, datas, strict=True)
        ]

    def checkpoint(self, private_key_pem: bytes, at: datetime | str) -> LogEvent:
        """Append a checkpoint signed with an Ed25519 private key (PEM): the signer
        vouches that the log held these events, ending in this hash (non-repudiation)."""
        key = signing_key(private_key_pem)
        self._check_form()
        state = self.verify()
        if not state.ok:
            raise AuditLogError(f"{self.path}: broken at line {state.broken_line}; not signing")
        signature = key.sign(checkpoint_message(state.events, state.last_hash))
        data = {
            "events": state.events,
            "head": state.last_hash,
            "algorithm": "ed25519",
            "public_key": public_key_hex(key),
            "signature": signature.hex(),
        }
        return self.append("checkpoint", data, at)

    def obligation_ids(self, incident_id: str | None = None) -> set[str]:
        """Every obligation id an assessment in the log produced (for one incident)."""
        out: set[str] = set()
        for e in self.events():
            if e.type != "assessment":
                continue
            doc = e.data.get("assessment") or {}
            if incident_id is not None and doc.get("incident_id") != incident_id:
                continue
            out.update(str(o.get("id")) for o in doc.get("obligations") or ())
        return out

    def notices(self, incident_id: str | None = None) -> list[NoticeRecord]:
        """The notices recorded in the log (for one incident, if given)."""
        out = []
        for e in self.events():
            if e.type != "notice_sent":
                continue
            if incident_id is not None and e.data.get("incident_id") not in (None, incident_id):
                continue
            out.append(read_notice(e.data))
        return out

    def latest_assessments(self) -> dict[str, dict[str, Any]]:
        """The most recent assessment document recorded for each incident id."""
        out: dict[str, dict[str, Any]] = {}
        for e in self.events():
            if e.type == "assessment":
                doc = e.data["assessment"]
                out[str(doc["incident_id"])] = doc
        return out


def _lock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on Windows
        return
    fcntl.flock(fd, fcntl.LOCK_EX)


def _write_all(fd: int, path: Path, data: bytes) -> None:
    """Write ``data`` at the end, flushed to disk; on failure cut the file back to where
    it was, so that a full disk never leaves half an event."""
    start = os.lseek(fd, 0, os.SEEK_END)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, start)
            os.fsync(fd)
        raise AuditLogError(
            f"cannot write {path}: {exc.strerror or exc}; nothing was appended"
        ) from None
