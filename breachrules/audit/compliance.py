"""Notices actually sent, and whether each obligation was met on time.

The host records what it sent (:class:`NoticeRecord`); :func:`compliance` compares the
records with an assessment's obligations. A notice sent after its due time is ``late``,
by how much, and is never reported as compliant; one sent before its law's waiting period
ended, or before the notice it must wait for was recorded as sent, is ``early`` (a carrier
"shall not notify customers ... until 7 full business days have passed after notification
to the USSS and the FBI", 47 CFR 64.2011(b)(1)); a notice with no fixed period ("without
unreasonable delay") is ``sent`` and left for counsel to judge, because the statute gives
no line to measure against.
"""

from __future__ import annotations

import difflib
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, Any

import attrs

from breachrules.errors import InvalidArgument, Problem
from breachrules.law.calendars import due_at
from breachrules.law.ruleset import Counting
from breachrules.law.ruleset import Deadline as Clock
from breachrules.model.bindings import bind
from breachrules.model.records import ComplianceEntry, ComplianceStatus, NoticeRecord
from breachrules.model.timestamps import format_timestamp, parse_timestamp

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

    from breachrules.model.decisions import Assessment, Obligation

__all__ = [
    "ComplianceEntry",
    "ComplianceStatus",
    "NoticeRecord",
    "compliance",
    "notice_data",
    "read_notice",
    "unknown_incident",
]

_TIMES = ("sent_at", "recorded_at")
_FIELDS = frozenset(a.name for a in attrs.fields(NoticeRecord))


def compliance(
    assessment: Assessment, records: Iterable[NoticeRecord], as_of: datetime | None = None
) -> tuple[ComplianceEntry, ...]:
    """Each obligation of ``assessment`` against ``records``, as of ``as_of``.

    ``as_of`` (default: the assessment's own) decides whether an unsent notice is
    ``owed`` or ``overdue``. The earliest record for an obligation is the one that counts.
    A notice whose clock runs from another notice as sent (``from: sent:<id>``, New
    York's copy of the HIPAA notice to the Secretary) is dated from that notice's record
    here, even when the assessment was made before it was sent; while that notice is
    recorded as sent nowhere, the copy is owed after it (``due_after``), never due or
    overdue before the notice it follows goes out.
    """
    moment = as_of or assessment.as_of
    by_id: dict[str, list[NoticeRecord]] = {}
    for record in records:
        by_id.setdefault(record.obligation_id, []).append(record)
    firsts = {k: min(r.sent_at for r in v) for k, v in by_id.items()}
    out: list[ComplianceEntry] = []
    for o in assessment.obligations:
        sent = tuple(sorted(by_id.pop(o.id, []), key=lambda r: r.sent_at))
        first = sent[0].sent_at if sent else None
        after = _due_after(o, firsts) if first is None else None
        due = None if after else _sooner_if_sent(o, firsts, _dated_from_records(o, firsts))
        status: ComplianceStatus
        late_by = None
        if o.status == "not_required":
            status = "not_required"
        elif first is not None and _early(o, firsts, first):
            status = "early"
        elif first is not None:
            if due is None:
                status = "sent"
            elif first <= due:
                status = "on_time"
            else:
                status = "late"
                late_by = int((first - due).total_seconds())
        elif o.status == "conditional":
            status = "pending"
        else:
            status = "overdue" if due is not None and moment > due else "owed"
        past_due = first is None and due is not None and moment > due
        overdue = past_due and status in ("overdue", "pending")
        out.append(
            ComplianceEntry(
                o.id,
                status,
                due,
                first,
                late_by,
                sent,
                overdue,
                *_recording(sent, due),
                due_after=after,
            )
        )
    for obligation_id, rest in sorted(by_id.items()):
        ordered = tuple(sorted(rest, key=lambda r: r.sent_at))
        out.append(
            ComplianceEntry(
                obligation_id,
                "unmatched",
                None,
                ordered[0].sent_at,
                None,
                ordered,
                False,
                *_recording(ordered, None),
            )
        )
    return tuple(out)


def _recording(
    sent: tuple[NoticeRecord, ...], due: datetime | None
) -> tuple[datetime | None, int | None, bool]:
    """When the counted (earliest) record was made, how long after its claimed sending,
    and whether after ``due``: what the log, not the host's word, says."""
    if not sent or sent[0].recorded_at is None:
        return None, None, False
    recorded = sent[0].recorded_at
    after = int((recorded - sent[0].sent_at).total_seconds())
    return recorded, max(after, 0), due is not None and recorded > due


def _dated_from_records(o: Obligation, firsts: Mapping[str, datetime]) -> datetime | None:
    """The due date of ``o``, counted from the recorded sending of the notice its clock runs
    from (``sent:<id>`` or ``sent:<CODE>:<id>``) when there is such a record; else as
    assessed. Counted as the law counts (days, hours or months; business days on its
    calendar; its counting convention), in the offset of the assessed due date, or of the
    record where the assessment had none."""
    anchor = o.deadline.from_
    if not anchor.startswith("sent:"):
        return o.due
    name = anchor.removeprefix("sent:")
    sent = firsts.get(name if ":" in name else f"{o.id.split(':', 1)[0]}:{name}")
    if sent is None:
        return o.due
    d = o.deadline
    tz = o.due.tzinfo if o.due is not None else sent.tzinfo
    period = {k: getattr(d, k) for k in ("days", "hours", "months", "business_days", "calendar")}
    return _counted(period, d.counting, sent, tz, d.time_zone)


def _due_after(o: Obligation, firsts: Mapping[str, datetime]) -> str | None:
    """When ``o`` falls due, in words, where its clock runs from a notice recorded as sent
    neither in the incident (the assessment did not know it) nor in the log: "5 business
    days after US-HIPAA:notify-secretary is sent". ``None`` where ``o`` is dated."""
    key = o.follows
    return o.due_after(key) if key is not None and key not in firsts else None


def _sooner_if_sent(
    o: Obligation, firsts: Mapping[str, datetime], due: datetime | None
) -> datetime | None:
    """``due``, or the recorded sending of the notice named by ``or_when`` where that is
    sooner ("within 14 business days ... or when the data collector provides notice to
    consumers ..., whichever is sooner", 9 V.S.A. § 2435(b)(3)(B)(i))."""
    name = o.deadline.or_when
    if name is None or not name.startswith("sent:"):
        return due
    name = name.removeprefix("sent:")
    sent = firsts.get(name if ":" in name else f"{o.id.split(':', 1)[0]}:{name}")
    if sent is None or (due is not None and due <= sent):
        return due
    return sent.astimezone(due.tzinfo) if due is not None else sent


def _early(o: Obligation, firsts: Mapping[str, datetime], first: datetime) -> bool:
    """Whether ``o`` was sent (at ``first``) before its law's waiting period ended: before
    the assessed ``not_before``, or before the end counted from the recorded sending of
    the notice it waits for; or while that notice is recorded nowhere as sent."""
    wait = o.deadline.not_before
    if wait is None:
        return False
    end = o.not_before
    key = o.waits_for
    sent = firsts.get(key) if key is not None else None
    if sent is not None:
        tz = end.tzinfo if end is not None else sent.tzinfo
        end = _counted(wait, o.deadline.counting, sent, tz, o.deadline.time_zone)
    return end is None or first < end


def _counted(
    period: Mapping[str, Any],
    counting: Mapping[str, Any] | None,
    start: datetime,
    tz: tzinfo | None,
    zone: str | None = None,
) -> datetime | None:
    """The end of ``period`` (a deadline's or a waiting period's days, hours or months, on
    its calendar, counted by its convention, its days ending in ``zone``, the law's time
    zone) from ``start``, in ``tz``."""
    counting = counting or {}
    clock = Clock(
        text="",
        days=period.get("days"),
        hours=period.get("hours"),
        months=period.get("months"),
        business_days=bool(period.get("business_days")),
        counting=Counting(
            first_day=counting.get("first_day", "excluded"),
            ends=counting.get("ends", "end_of_day"),
        ),
    )
    calendar = None
    if period.get("calendar"):
        country, _, sub = str(period["calendar"]).partition("-")
        calendar = (country, sub or None)
    return due_at(clock, start.astimezone(tz), tz, calendar, zone)


def notice_data(
    records: Sequence[NoticeRecord],
    known: Callable[[str | None], set[str]],
    log_name: str,
    forced: str | None,
    incidents: Collection[str] | None = None,
) -> list[dict[str, Any]]:
    """The ``data`` of the ``notice_sent`` event for each record (see
    ``AuditLog.record_notices``): ``recorded_at`` is the record's own or the wall clock
    (UTC); each names the others sent with it in ``sent_with``; a forced one its reason.
    ``known(incident_id)`` gives the obligation ids the log's assessments produced; a
    record naming another is refused (all are checked before any is written) unless
    ``forced`` gives a reason. ``incidents``, the ids the log's assessments are of: a
    record under any other is refused, forced or not (no report would ever read it, and
    the log is append-only), naming the near matches."""
    forcing = forced is not None and bool(forced.strip())
    problems = []
    unknown = _unknown_incidents(records, incidents, log_name)
    if unknown:
        raise InvalidArgument(unknown)
    for record in records:
        ids = known(record.incident_id)
        if record.obligation_id not in ids and not forcing:
            hint = difflib.get_close_matches(record.obligation_id, sorted(ids), n=1)
            problems.append(
                Problem(
                    "--obligation",
                    f"no assessment in {log_name} produced {record.obligation_id!r}"
                    + (f"; did you mean {hint[0]!r}?" if hint else "")
                    + " (to record it anyway, force it with a reason)",
                )
            )
    if problems:
        raise InvalidArgument(problems)
    now = datetime.now(UTC).replace(microsecond=0)
    together = [r.obligation_id for r in records]
    out = []
    for record in records:
        data: dict[str, Any] = {
            k: v for k, v in attrs.asdict(record).items() if k not in (*_TIMES, "sent_with")
        }
        data["sent_at"] = format_timestamp(record.sent_at)
        data["recorded_at"] = format_timestamp(record.recorded_at or now)
        if len(together) > 1:
            data["sent_with"] = [i for i in together if i != record.obligation_id]
        if forcing and record.obligation_id not in known(record.incident_id):
            data["forced"] = str(forced).strip()
        out.append(data)
    return out


def unknown_incident(incident_id: str, incidents: Collection[str], log_name: str) -> Problem | None:
    """The problem with ``--incident incident_id`` when no assessment in the log is of
    it (``incidents``: the ids they are of), naming the near matches, else None."""
    if incident_id in incidents:
        return None
    seen = sorted(incidents)
    near = difflib.get_close_matches(incident_id, seen, n=3, cutoff=0.6)
    return Problem(
        "--incident",
        f"no assessment in {log_name} is of incident {incident_id!r}"
        + (f"; did you mean {' or '.join(repr(n) for n in near)}?" if near else "")
        + (f" (it holds {_listed(seen)})" if seen and not near else "")
        + ("" if seen else " (it holds no assessment: assess with --audit-log first)"),
    )


def _unknown_incidents(
    records: Sequence[NoticeRecord], incidents: Collection[str] | None, log_name: str
) -> list[Problem]:
    """A problem for each record whose incident no assessment in the log is of: the
    incident, not the obligation, is what is wrong, and forcing cannot make it right."""
    if incidents is None:
        return []
    named = dict.fromkeys(r.incident_id for r in records if r.incident_id is not None)
    found = (unknown_incident(i, incidents, log_name) for i in named)
    return [p for p in found if p is not None]


def _listed(ids: Sequence[str], most: int = 10) -> str:
    """``ids`` in a message: all of them, or the first ``most`` and how many more."""
    shown = ", ".join(ids[:most])
    return shown + (f" and {len(ids) - most} more" if len(ids) > most else "")


def read_notice(data: Mapping[str, Any]) -> NoticeRecord:
    """A ``notice_sent`` event's data read back (``recorded_at`` is None in a log written
    before it was kept; fields a later version adds are passed over)."""
    fields = {k: v for k, v in data.items() if k in _FIELDS and k not in _TIMES}
    recorded = data.get("recorded_at")
    return NoticeRecord(
        sent_at=parse_timestamp(data["sent_at"]),
        recorded_at=parse_timestamp(recorded) if recorded else None,
        **fields,
    )


bind("assessment.compliance", compliance)
