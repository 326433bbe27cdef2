"""``breachrules audit``: record assessments and notices in the log, verify it, report."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any, TextIO

import attrs

from breachrules.audit.compliance import NoticeRecord
from breachrules.audit.log import AuditLog
from breachrules.cli.table import DISCLAIMER, duration, jsonable, table
from breachrules.errors import BreachrulesError
from breachrules.io.serde import dumps, load_assessment
from breachrules.model.timestamps import format_timestamp, parse_timestamp

__all__ = ["BadOption", "cmd_audit"]


class BadOption(Exception):
    """A command-line option with an unusable value: exit 2, naming the option."""


def cmd_audit(args: argparse.Namespace, out: TextIO) -> int:
    log = AuditLog(args.log, getattr(args, "cloudevents", False))
    if args.audit_command == "verify":
        if not log.path.exists():
            raise BreachrulesError(f"{log.path}: no such file")
        result = log.verify()
        if result.ok:
            print(f"ok: {result.events} event(s), last hash {result.last_hash}", file=out)
            return 0
        print(
            f"broken: line {result.broken_line} (event {result.events + 1}): {result.reason}; "
            f"the {result.events} event(s) before it are intact",
            file=out,
        )
        return 1
    if args.audit_command == "record":
        incident_id = args.incident
        if incident_id is None:
            ids = list(log.latest_assessments())
            if len(ids) != 1:
                raise BreachrulesError(
                    "--incident is needed: the log holds "
                    + (f"{len(ids)} incidents ({', '.join(ids)})" if ids else "no assessment")
                )
            incident_id = ids[0]
        try:
            sent_at = parse_timestamp(args.sent_at)
        except (TypeError, ValueError) as exc:
            raise BreachrulesError(f"--sent-at: {exc}") from None
        record = NoticeRecord(
            obligation_id=args.obligation,
            sent_at=sent_at,
            recipient=args.recipient,
            method=args.method,
            evidence=args.evidence,
            incident_id=incident_id,
        )
        event = log.record_notice(record)
        print(f"recorded as event {event.seq}, hash {event.hash}", file=out)
        return 0
    # report
    result = log.verify()
    if not result.ok:
        raise BreachrulesError(
            f"{log.path}: the chain is broken at line {result.broken_line}; "
            "a report from a tampered log would prove nothing"
        )
    # The same rule as assess, plan and questions: unsent notices are judged as of now.
    try:
        as_of = (
            datetime.now(UTC).replace(microsecond=0)
            if args.as_of in (None, "now")
            else parse_timestamp(args.as_of)
        )
    except (TypeError, ValueError) as exc:
        raise BadOption(f"--as-of: {exc}") from None
    docs = log.latest_assessments()
    report: dict[str, list[Any]] = {}
    for incident_id, doc in docs.items():
        assessment = load_assessment(doc)
        standing = assessment.compliance(log.notices(incident_id), as_of=as_of)
        report[incident_id] = [attrs.asdict(e, recurse=False) for e in standing]
    if args.format == "json":
        out.write(dumps(jsonable(report)) + "\n")
        return 0
    print(
        f"Compliance as of {format_timestamp(as_of)} (log verified: {result.events} events)",
        file=out,
    )
    for incident_id, entries in report.items():
        print(file=out)
        print(f"Incident {incident_id}", file=out)
        rows = []
        for e in entries:
            if e["status"] == "not_required":
                continue
            late = e["late_by_seconds"]
            status = e["status"].upper() if e["status"] in ("overdue", "late") else e["status"]
            rows.append(
                [
                    "  " + status + (f" by {duration(late)[:-5]}" if late else ""),
                    e["obligation_id"],
                    format_timestamp(e["due"]) if e["due"] else "no fixed date",
                    format_timestamp(e["sent_at"]) if e["sent_at"] else "-",
                ]
            )
        table(out, ["  STATUS", "OBLIGATION", "DUE", "SENT"], rows)
    print(file=out)
    print(DISCLAIMER, file=out)
    return 0
