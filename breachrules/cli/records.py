"""``breachrules register``, ``impact`` and ``export``: the records and formats hosts keep.

- ``register LOG [--format csv|json|xlsx|md]``: the breach register built from the audit log
  (:mod:`breachrules.audit.register`);
- ``impact LOG [--rulesets DIR]``: which recorded decisions the rulesets as they now stand
  change (:mod:`breachrules.audit.impact`);
- ``export INCIDENT --format ocsf|cacao|oscal|oscal-catalog``: the decision in a host's
  format (:mod:`breachrules.views.exports`).

Each refuses a log whose chain is broken (a register or an impact read from a tampered log
would prove nothing) and names the argument at fault on bad input (exit 2).
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from breachrules.cli.table import DISCLAIMER, table, width
from breachrules.errors import BreachrulesError, InvalidArgument, Problem
from breachrules.model.decisions import Assessment
from breachrules.model.facts import Incident
from breachrules.views.terminal import plain_grid

if TYPE_CHECKING:  # imported by the commands when they run, not with the parser
    from breachrules.audit.log import AuditLog, Verification
from breachrules.model.timestamps import parse_timestamp

__all__ = ["add_parsers", "cmd_export", "cmd_impact", "cmd_register"]

EXPORT_FORMATS = ("ocsf", "cacao", "oscal", "oscal-catalog")


def add_parsers(
    sub: Any, jurisdiction_argument: Callable[[argparse.ArgumentParser], None], as_of_help: str
) -> None:
    """The three sub-commands' arguments (``sub`` is the main parser's sub-parsers)."""
    p = sub.add_parser("register", help="the breach register built from an audit log")
    p.add_argument("log", metavar="LOG", help="the JSON Lines audit log")
    p.add_argument("--format", choices=["csv", "json", "xlsx", "md"], default="csv")
    p.add_argument(
        "--as-of",
        default="now",
        help="when unsent notices are judged owed or overdue: 'now' or an ISO 8601 timestamp",
    )
    p.add_argument("--incident", action="append", metavar="ID", help="only this incident")
    p.add_argument(
        "--jurisdiction",
        action="extend",
        nargs="+",
        metavar="CODE",
        help="only these laws' rows (codes, any case; repeatable)",
    )
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    p.add_argument(
        "--key-file",
        metavar="FILE",
        help="the audit key file, to check a keyed log's MACs (default: "
        "$BREACHRULES_AUDIT_KEY_FILE or $BREACHRULES_AUDIT_KEY); the register says whether "
        "they were checked",
    )

    p = sub.add_parser(
        "impact", help="which recorded decisions the rulesets as they now stand change"
    )
    p.add_argument("log", metavar="LOG", help="the JSON Lines audit log")
    p.add_argument(
        "--rulesets",
        dest="impact_rulesets",
        action="append",
        default=[],
        metavar="DIR",
        help="your own rulesets as they now stand, beside the bundled ones (repeatable)",
    )
    p.add_argument("--incident", action="append", metavar="ID", help="only this incident")
    p.add_argument("--format", choices=["table", "json"], default="table")

    p = sub.add_parser("export", help="the decision as OCSF, CACAO 2.0 or OSCAL")
    p.add_argument("incident", nargs="?", help="incident JSON file, or - for standard input")
    p.add_argument("--format", choices=EXPORT_FORMATS, required=True)
    p.add_argument("--as-of", default="now", help=as_of_help)
    jurisdiction_argument(p)
    p.add_argument(
        "--audit-log",
        metavar="LOG",
        help="OSCAL: notices recorded in this log decide which findings are satisfied",
    )
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")


def _checked_log(path: str, argument: str = "LOG", key_file: str | None = None) -> AuditLog:
    return _verified(path, argument, key_file)[0]


def _verified(
    path: str, argument: str = "LOG", key_file: str | None = None
) -> tuple[AuditLog, Verification]:
    """The log at ``path``, verified (with the key ring of ``key_file``, else the
    environment's), and what the verification found; a broken log is refused."""
    from breachrules.audit.log import AuditLog, KeyRing

    log = AuditLog(path, keys=KeyRing.from_file(key_file) if key_file else None)
    if not log.path.is_file():
        raise InvalidArgument([Problem(argument, f"{path}: no such file")])
    state = log.verify()
    if not state.ok and not log.events():  # nothing in it reads as an event
        raise InvalidArgument(
            [Problem(argument, f"{path}: not a breachrules audit log ({state.reason})")]
        )
    if not state.ok:
        raise BreachrulesError(
            f"{path}: the chain is broken at line {state.broken_line} ({state.reason}); "
            "a record read from a tampered log would prove nothing"
        )
    return log, state


def _write(args: argparse.Namespace, out: TextIO, data: str | bytes) -> None:
    if args.out:
        target = Path(args.out)
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")
    elif isinstance(data, bytes):
        out.flush()
        sys.stdout.buffer.write(data)
    else:
        out.write(data)


def cmd_register(args: argparse.Namespace, out: TextIO) -> int:
    from breachrules.audit.register import register

    log, state = _verified(args.log, key_file=args.key_file)
    if state.keyed == 0 and state.unkeyed < state.events:
        print(
            f"warning: {args.log} is keyed and no key was given: its MACs were not checked, "
            "so a rewrite with every hash recomputed would pass (give --key-file); "
            + (
                "the CSV cannot say so (use --format md, json or xlsx, which do)"
                if args.format == "csv"
                else "the register says so"
            ),
            file=sys.stderr,
        )
    if args.as_of in (None, "now"):
        moment = datetime.now(UTC).replace(microsecond=0)
    else:
        try:
            moment = parse_timestamp(args.as_of)
        except (TypeError, ValueError) as exc:
            raise InvalidArgument([Problem("--as-of", str(exc))]) from None
    codes = None
    if args.jurisdiction:
        codes = [c.strip().upper() for word in args.jurisdiction for c in word.split(",")]
    reg = register(
        log, as_of=moment, incidents=args.incident, jurisdictions=codes, verification=state
    )
    if not reg.rows() and (args.incident or codes):
        # A typo in --incident or --jurisdiction must not read as "nothing to register".
        asked = ", ".join([*(args.incident or ()), *(codes or ())])
        where = "--incident" if args.incident else "--jurisdiction"
        raise InvalidArgument([Problem(where, f"no entry in {args.log} matches {asked}")])
    if args.format == "xlsx":
        if not args.out and sys.stdout.isatty():
            # A workbook is binary: on a terminal it is noise, and can be control codes.
            raise InvalidArgument(
                [
                    Problem(
                        "--out",
                        "an xlsx register is a binary workbook and is not written to a "
                        "terminal: give --out FILE (or redirect standard output to a file)",
                    )
                ]
            )
        _write(args, out, reg.to_xlsx())
    elif args.format == "json":
        _write(args, out, reg.to_json() + "\n")
    elif args.format == "md":
        _write(args, out, reg.to_markdown() + "\n" + DISCLAIMER + "\n")
    else:
        _write(args, out, reg.to_csv())
    return 0


def cmd_impact(args: argparse.Namespace, out: TextIO) -> int:
    from breachrules.audit.impact import impact
    from breachrules.engine import Engine

    log = _checked_log(args.log)
    engine = Engine(paths=[*args.rulesets, *args.impact_rulesets], backend=args.backend)
    result = impact(log, engine, incidents=args.incident)
    if args.format == "json":
        out.write(result.to_json() + "\n")
        return 0
    changed = result.changed_incidents
    print(
        f"{len(changed)} of {result.incidents} incident(s) change under the rulesets now "
        f"loaded ({len(result.changes)} decision(s))",
        file=out,
    )
    rows = []
    for c in result.changes:
        version = c.version_after or c.version_before or "-"
        if c.sha256_before != c.sha256_after:
            version += f" ({(c.sha256_before or 'no hash')[:8]} -> {(c.sha256_after or '-')[:8]})"
        rows.append(
            [
                "  " + c.incident_id,
                c.subject,
                c.kind,
                f"{c.before} -> {c.after}",
                version,
                f"{c.rule} ({c.citation})" if c.rule else "-",
            ]
        )
    if rows:
        print(file=out)
        header = ["  INCIDENT", "SUBJECT", "CHANGE", "BEFORE -> AFTER", "RULESET", "RULE"]
        wrap = {2, 3, 4, 5}  # ids never break: they are copied into explain and the log
        least = {1: max(len(r[1]) for r in rows)}
        if plain_grid(header, rows, width(out) - 2, wrap, least) is not None:
            table(out, header, rows, wrap=wrap, min_widths=least)
        else:
            _impact_records(out, rows)
    for incident_id, reason in result.skipped:
        print(f"  skipped {incident_id}: {reason}", file=out)
    if result.not_reassessed:
        print(
            f"  not re-assessed (no ruleset loaded for them): {', '.join(result.not_reassessed)}",
            file=out,
        )
    print(file=out)
    print(DISCLAIMER, file=out)
    return 0


def _impact_records(out: TextIO, rows: list[list[str]]) -> None:
    """The impact's changes one record each, where its table does not fit the width
    (80 columns: two ids and two timestamps side by side do not): the incident, the
    subject and the change on one line, then each of its parts on a line of its own, so
    that no id or timestamp is ever broken or run past the edge (UT11 9)."""
    for incident, subject, kind, change, version, rule in rows:
        before, _, after = change.partition(" -> ")
        print(f"{incident}  {subject}  {kind}", file=out)
        for label, value in (
            ("before", before),
            ("after", after),
            ("ruleset", version),
            ("rule", rule),
        ):
            print(
                textwrap.fill(
                    f"{label + ':':<9}{value}",
                    width(out),
                    initial_indent="    ",
                    subsequent_indent=" " * 13,
                    break_long_words=False,
                    break_on_hyphens=False,
                ),
                file=out,
            )


def _files_from_codes(args: argparse.Namespace) -> None:
    """``export --jurisdiction US-CA incident.json``: the last word is the file."""
    codes = list(args.jurisdiction or [])
    if args.incident is None and codes and (codes[-1] == "-" or "." in codes[-1]):
        args.incident = codes.pop()
        args.jurisdiction = codes


def cmd_export(
    args: argparse.Namespace,
    out: TextIO,
    read_incident: Callable[[str], Incident],
    assess: Callable[[argparse.Namespace, Incident], Assessment],
) -> int:
    from breachrules.engine import Engine
    from breachrules.views.exports import cacao, ocsf, oscal

    if args.format == "oscal-catalog":
        engine = Engine(paths=args.rulesets, backend=args.backend)
        document: Any = oscal.catalog(engine.rulesets)
    else:
        _files_from_codes(args)
        if args.incident is None:
            raise InvalidArgument([Problem("INCIDENT", f"--format {args.format} needs one")])
        incident = read_incident(args.incident)
        assessment = assess(args, incident)
        for w in assessment.warnings:
            print(f"warning: {w}", file=sys.stderr)
        if args.format == "ocsf":
            document = ocsf.incident_finding(assessment, incident)
        elif args.format == "cacao":
            document = cacao.playbook(assessment.plan())
        else:
            records = (
                _checked_log(args.audit_log, "--audit-log").notices(incident.id)
                if args.audit_log
                else ()
            )
            document = oscal.assessment_results(assessment, incident, records)
    text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    _write(args, out, text)
    return 0
