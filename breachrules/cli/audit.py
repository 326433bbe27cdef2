"""``breachrules audit``: record assessments and notices in the log, verify it, report."""

from __future__ import annotations

import argparse
import sys
import textwrap
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any, TextIO

import attrs

from breachrules.audit.compliance import NoticeRecord, unknown_incident
from breachrules.audit.keys import new_signing_key
from breachrules.audit.log import (
    AuditLog,
    KeyRing,
    head_line,
    repair,
)
from breachrules.audit.register_cells import checked
from breachrules.audit.timeline import backwards, doubts
from breachrules.audit.timeline import notes as plain_notes
from breachrules.cli.proof import say, verify
from breachrules.cli.table import DISCLAIMER, table, width
from breachrules.cli.values import duration, jsonable
from breachrules.errors import BreachrulesError, InvalidArgument, Problem
from breachrules.io.serde import dumps, load_assessment
from breachrules.model.timestamps import format_timestamp, parse_timestamp

__all__ = ["RESERVED", "cmd_audit"]

#: The top-level key of ``audit report --format json`` that is not an incident id: what
#: the verification of the log checked (the register's ``verification`` object).
RESERVED = "verification"


def _log(args: argparse.Namespace) -> AuditLog:
    key_file = getattr(args, "key_file", None)
    keys = KeyRing.from_file(key_file) if key_file else None
    return AuditLog(args.log, getattr(args, "cloudevents", False), keys)


def _moment(text: str, argument: str) -> datetime:
    try:
        return parse_timestamp(text)
    except (TypeError, ValueError) as exc:
        raise InvalidArgument([Problem(argument, str(exc))]) from None


def cmd_audit(args: argparse.Namespace, out: TextIO) -> int:
    if args.audit_command == "keygen":  # no log: the key pair a checkpoint is signed with
        public = new_signing_key(args.pem)
        print(f"wrote {args.pem}: an Ed25519 signing key (keep it secret)", file=out)
        print(f"public key (verify --public-key): {public}", file=out)
        return 0
    log = _log(args)
    if args.audit_command == "verify":
        return verify(args, log, out)
    if args.audit_command == "head":
        if not log.path.exists():
            raise BreachrulesError(f"{log.path}: no such file")
        result = log.verify()
        if not result.ok:
            raise BreachrulesError(f"{log.path}: broken at line {result.broken_line}")
        print(head_line(result.events, result.last_hash), file=out)
        return 0
    if args.audit_command == "repair":
        line = repair(log.path)
        print(
            f"moved torn line {line} to {log.path.name}.torn"
            if line
            else "nothing to repair: the log ends with a complete line",
            file=out,
        )
        return 0
    if args.audit_command == "checkpoint":
        try:
            pem = Path(args.signing_key).read_bytes()
        except OSError as exc:
            raise InvalidArgument([Problem("--signing-key", str(exc))]) from None
        at = _moment(args.at, "--at") if args.at else datetime.now(UTC)
        event = log.checkpoint(pem, at)
        print(f"checkpoint signed as event {event.seq}, hash {event.hash}", file=out)
        print(f"  signer's public key (verify --public-key): {event.data['public_key']}", file=out)
        return 0
    if args.audit_command == "record":
        return _record(args, log, out)
    # report
    result = log.verify()
    if not result.ok:
        raise BreachrulesError(
            f"{log.path}: the chain is broken at line {result.broken_line}; "
            "a report from a tampered log would prove nothing"
        )
    as_of = (
        _moment(args.as_of, "--as-of")
        if args.as_of not in (None, "now")
        else datetime.now(UTC).replace(microsecond=0)
    )
    docs = _only(log.latest_assessments(), args.incident, log.path.name)
    back = backwards(log.events())
    report: dict[str, list[Any]] = {}
    for incident_id, doc in docs.items():
        assessment = load_assessment(doc)
        standing = assessment.compliance(log.notices(incident_id), as_of=as_of)
        # In due order, undated last (the sort is stable: ties keep the assessment's order).
        ordered = sorted(standing, key=lambda e: (e.due is None, e.due or as_of))
        report[incident_id] = [
            {
                **attrs.asdict(e, recurse=False),
                "doubts": doubts(e, back, incident_id),
                # what is plain, not doubted: sent days before it was recorded, before due
                "notes": plain_notes(e),
                # The other duties the notice that counts also met (one notice, several
                # duties): each standing is judged on its own, the link kept.
                "sent_with": list(e.records[0].sent_with) if e.records else [],
            }
            for e in ordered
        ]
    if args.format == "json":
        if result.keyed == 0 and result.unkeyed < result.events:
            print(
                f"warning: {args.log} is keyed and no key was given: its MACs were not "
                "checked, so a rewrite with every hash recomputed would pass (give "
                "--key-file); the report's verification says so",
                file=sys.stderr,
            )
        # What was verified, beside the incidents: a name the documented shape reserves
        # (docs/contract.md), so an incident of that id cannot be shown in it; refused,
        # never silently replaced.
        if RESERVED in report:
            raise InvalidArgument(
                [
                    Problem(
                        "--format",
                        f"an incident in {log.path.name} has the id {RESERVED!r}, the key "
                        "this JSON report keeps for what was verified: leave it out with "
                        "--incident, or read it with `breachrules register --format json`",
                    )
                ]
            )
        out.write(dumps(jsonable({**report, RESERVED: checked(result)})) + "\n")
        return 0
    # The moment is shown in the offset the due dates are given in (the incident's), so
    # that the two can be compared at a glance; incidents in different offsets each say it.
    zones = {i: _zone(entries) for i, entries in report.items()}
    offsets = {as_of.astimezone(z).utcoffset() for z in zones.values() if z is not None}
    first = next((z for z in zones.values() if z is not None), None)
    header = as_of.astimezone(first) if first is not None and len(offsets) == 1 else as_of
    say(  # wrapped at words: the first line a reader sees fits the terminal (UT11 16)
        out,
        f"Compliance as of {format_timestamp(header)} (log verified: {result.events} events"
        + (
            "; its MACs NOT checked: no key given, see --key-file)"
            if result.macs_unchecked
            else ")"
        ),
    )
    for incident_id, entries in report.items():
        print(file=out)
        zone = zones[incident_id]
        local = as_of.astimezone(zone) if zone is not None else header
        own = (
            f" (as of {format_timestamp(local)})" if local.utcoffset() != header.utcoffset() else ""
        )
        print(f"Incident {incident_id}{own}", file=out)
        rows = []
        notes = []
        for e in entries:
            if e["status"] == "not_required":
                continue
            late = e["late_by_seconds"]
            if e["status"] == "pending" and e["overdue"]:
                status = "OVERDUE (pending)"  # overdue if the facts still unknown make it owed
            elif e["status"] in ("overdue", "late", "early"):
                status = e["status"].upper()
            else:
                status = e["status"]
            due = (
                format_timestamp(e["due"])
                if e["due"]
                else str(e["due_after"])
                if e["due_after"]
                else "no fixed date"
            )
            notes += [f"  * {e['obligation_id']}: {d}" for d in e["doubts"]]
            notes += [f"    {e['obligation_id']}: {n}" for n in e["notes"]]
            rows.append(
                [
                    "  "
                    + status
                    + (f" by {duration(late)[:-5]}" if late else "")
                    + (" *" if e["doubts"] else ""),
                    e["obligation_id"],
                    f"{due} -> {format_timestamp(e['sent_at']) if e['sent_at'] else '-'}",
                ]
            )
        # Ids and timestamps never break (they are copied); the due and sent times share a
        # column, the sent time on a line of its own ("-> ...") where the width is short,
        # never "->" alone on a line between them.
        # A status is one value ("LATE by 10h 0m"): it never breaks, "0m" alone on the
        # sent time's line reads as part of it.
        id_width = max((len(r[1]) for r in rows), default=10)
        status_width = max((len(r[0]) for r in rows), default=8)
        one_line = max((len(r[2]) for r in rows), default=0)
        gaps = 4  # two, of terminal.GAP spaces each
        if status_width + id_width + one_line + gaps > width(out):
            rows = [[r[0], r[1], r[2].replace(" -> ", "\n-> ", 1)] for r in rows]
        table(
            out,
            ["  STATUS", "OBLIGATION", "DUE -> SENT"],
            rows,
            wrap={2},
            min_widths={0: status_width, 1: id_width, 2: 28},
        )
        for note in notes:  # wrapped, never breaking a timestamp or an id
            print(
                textwrap.fill(
                    note,
                    width(out),
                    subsequent_indent="    ",
                    break_long_words=False,
                    break_on_hyphens=False,
                ),
                file=out,
            )
    print(file=out)
    print(DISCLAIMER, file=out)
    return 0


def _record(args: argparse.Namespace, log: AuditLog, out: TextIO) -> int:
    """``audit record``: one ``notice_sent`` event per ``--obligation``, none if any is
    refused."""
    obligations: list[str] = list(dict.fromkeys(args.obligation))
    incident_id = args.incident
    if incident_id is None:
        latest = log.latest_assessments()
        ids = list(latest)
        owing = [
            i
            for i, doc in latest.items()
            if set(obligations) <= {o.get("id") for o in doc.get("obligations", ())}
        ]
        if len(ids) > 1 and len(owing) == 1:
            ids = owing  # only one incident has those obligations: it is the one meant
        if len(ids) != 1:
            raise InvalidArgument(
                [
                    Problem(
                        "--incident",
                        "is needed: the log holds "
                        + (f"{len(ids)} incidents ({', '.join(ids)})" if ids else "no assessment"),
                    )
                ]
            )
        incident_id = ids[0]
    sent_at = _moment(args.sent_at, "--sent-at")
    now = datetime.now(UTC)
    if sent_at > now + timedelta(minutes=5):
        # The log is append-only: a sending recorded before it happened could never be
        # taken back, and every later report would measure against it.
        raise InvalidArgument(
            [
                Problem(
                    "--sent-at", f"{args.sent_at} is in the future; record a notice once it is sent"
                )
            ]
        )
    recorded_at = now.replace(microsecond=0)
    if args.recorded_at:
        recorded_at = _moment(args.recorded_at, "--recorded-at")
        if recorded_at > now + timedelta(minutes=5) or recorded_at < sent_at:
            raise InvalidArgument(
                [
                    Problem(
                        "--recorded-at",
                        f"{args.recorded_at} is "
                        + ("in the future" if recorded_at > sent_at else "before --sent-at")
                        + ": a notice is recorded once it is sent, and not before now",
                    )
                ]
            )
    records = [
        NoticeRecord(
            obligation_id=obligation,
            sent_at=sent_at,
            recipient=args.recipient,
            method=args.method,
            evidence=args.evidence,
            incident_id=incident_id,
            recorded_at=recorded_at,
        )
        for obligation in obligations
    ]
    events = log.record_notices(records, forced=args.force)
    for obligation, event in zip(obligations, events, strict=True):
        print(f"recorded {obligation} as event {event.seq}, hash {event.hash}", file=out)
    for obligation in obligations:
        _warn_if_early(log, incident_id, obligation)
    return 0


def _only(
    docs: dict[str, dict[str, Any]], asked: list[str] | None, log_name: str
) -> dict[str, dict[str, Any]]:
    """The assessments of the incidents ``--incident`` names (all without it), in the
    log's order; an id no assessment is of is refused, with its near matches: a typo must
    not read as an incident with nothing to report."""
    if not asked:
        return docs
    problems = [unknown_incident(i, docs, log_name) for i in dict.fromkeys(asked)]
    if any(problems):
        raise InvalidArgument([p for p in problems if p is not None])
    return {i: doc for i, doc in docs.items() if i in asked}


def _zone(entries: list[dict[str, Any]]) -> tzinfo | None:
    """The offset an incident's due dates are given in (that of its discovery), if any."""
    return next((e["due"].tzinfo for e in entries if e["due"] is not None), None)


def _warn_if_early(log: Any, incident_id: str | None, obligation: str) -> None:
    """Say so when the notice just recorded went out before its law's waiting period
    ended (the record stands: the log says what happened)."""
    doc = log.latest_assessments().get(incident_id) if incident_id else None
    if doc is None:
        return
    standing = load_assessment(doc).compliance(log.notices(incident_id))
    for entry in standing:
        if entry.obligation_id == obligation and entry.status == "early":
            print(
                f"warning: {obligation} was sent before its law's waiting period ended "
                "(or before the notice it waits for was recorded); `audit report` shows it "
                "as EARLY",
                file=sys.stderr,
            )
