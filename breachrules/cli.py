"""The ``breachrules`` command line (CONTRACT section 5). ``python -m breachrules`` too.

Exit status: 0 assessed (or listed, or valid); 2 the input is invalid, with each problem's
field path (or file and line) on stderr and no traceback; 1 any other failure.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

import structlog

from breachrules import __version__
from breachrules.decisions import Assessment, Obligation
from breachrules.engine import Engine
from breachrules.errors import BreachrulesError, InvalidIncident, Problem, RulesetError
from breachrules.facts import Incident
from breachrules.loader import RULESET_SCHEMA, load_rulesets
from breachrules.serde import dumps, format_timestamp, json_schema, load_incident, parse_json

__all__ = ["main"]

DISCLAIMER = "breachrules supports counsel's judgment; it is not legal advice."


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="breachrules",
        description="Explainable, cited breach-notification decisions. " + DISCLAIMER,
    )
    parser.add_argument("--version", action="version", version=f"breachrules {__version__}")
    parser.add_argument(
        "--rulesets",
        action="append",
        default=[],
        metavar="PATH",
        help="add your own ruleset file or folder (repeatable)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("assess", help="assess an incident document")
    p.add_argument("incident", help="incident JSON file, or - for standard input")
    p.add_argument(
        "--as-of", help="moment of evaluation, ISO 8601 with offset (default: discovered_at)"
    )
    p.add_argument(
        "--jurisdiction", action="append", metavar="CODE", help="only these rulesets (repeatable)"
    )
    p.add_argument("--format", choices=["table", "json"], default="table")

    p = sub.add_parser("rulesets", help="list the loaded rulesets")
    p.add_argument("--format", choices=["table", "json"], default="table")

    p = sub.add_parser("schema", help="print a JSON Schema")
    p.add_argument("which", choices=["incident", "assessment", "ruleset"])

    p = sub.add_parser("validate", help="check a ruleset file or folder")
    p.add_argument("path")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
    )
    args = _parser().parse_args(argv)
    try:
        return _dispatch(args)
    except InvalidIncident as exc:
        _problems("invalid incident", exc)
        return 2
    except RulesetError as exc:
        _problems("invalid ruleset", exc)
        return 2
    except BreachrulesError as exc:
        print(f"breachrules: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 1
    except Exception as exc:  # pragma: no cover - last resort: a message, never a traceback
        print(f"breachrules: unexpected error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


def _problems(what: str, exc: InvalidIncident | RulesetError) -> None:
    print(f"breachrules: {what}:", file=sys.stderr)
    for problem in exc.problems:
        print(f"  {problem}", file=sys.stderr)


def _engine(args: argparse.Namespace) -> Engine:
    return Engine(paths=args.rulesets)


def _dispatch(args: argparse.Namespace) -> int:
    out = sys.stdout
    if args.command == "assess":
        incident = _read_incident(args.incident)
        assessment = _engine(args).assess(
            incident, as_of=args.as_of, jurisdictions=args.jurisdiction
        )
        if args.format == "json":
            out.write(assessment.to_json() + "\n")
        else:
            print_table(assessment, incident, out)
        return 0
    if args.command == "rulesets":
        engine = _engine(args)
        rows: list[dict[str, Any]] = [
            {
                "code": r.code,
                "name": r.name,
                "version": r.current.version.effective_from.isoformat(),
                "citation": r.current.version.citation,
                "last_reviewed": r.last_reviewed.isoformat(),
                "checked_against": r.checked_against,
                "versions": [v.effective_from.isoformat() for v in r.versions],
                "unverified": len(r.unverified),
            }
            for r in sorted(engine.rulesets, key=lambda r: r.code)
        ]
        if args.format == "json":
            out.write(dumps(rows) + "\n")
        else:
            _table(
                out,
                ["CODE", "VERSION", "REVIEWED", "CHECKED", "NAME"],
                [
                    [
                        str(r["code"]),
                        str(r["version"]),
                        str(r["last_reviewed"]),
                        str(r["checked_against"] or "-"),
                        str(r["name"]),
                    ]
                    for r in rows
                ],
            )
        return 0
    if args.command == "schema":
        from breachrules.decisions import Assessment as A

        schema = {
            "incident": lambda: json_schema(Incident, "breachrules incident (schema version 1)"),
            "assessment": lambda: json_schema(A, "breachrules assessment (schema version 1)"),
            "ruleset": lambda: RULESET_SCHEMA,
        }[args.which]()
        out.write(dumps(schema) + "\n")
        return 0
    if args.command == "validate":
        path = Path(args.path)
        if not path.exists():
            print(f"breachrules: {path}: no such file or folder", file=sys.stderr)
            return 2
        rulesets = load_rulesets([path])
        for r in rulesets:
            print(f"ok  {r.code:<10} {len(r.versions)} version(s)  {r.path}", file=out)
        return 0
    raise AssertionError(args.command)  # pragma: no cover


def _read_incident(source: str) -> Incident:
    if source == "-":
        # Parsed here, never passed on as text: stdin is a document, not a file name.
        data = parse_json(sys.stdin.read())
        if not isinstance(data, dict):
            raise InvalidIncident([Problem("(document)", "expected a JSON object")])
        return load_incident(data)
    path = Path(source)
    if not path.is_file():
        raise InvalidIncident([Problem("(document)", f"{source}: no such file")])
    return load_incident(path)


def _table(out: TextIO, header: list[str], rows: list[list[str]]) -> None:
    widths = (
        [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=False)]
        if rows
        else [len(h) for h in header]
    )
    for row in [header, *rows]:
        print(
            "  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=False)).rstrip(),
            file=out,
        )


_SHORT_RECIPIENT = {
    "individuals": "individuals",
    "attorney_general": "AG",
    "regulator": "regulator",
    "consumer_reporting_agencies": "CRAs",
    "media": "media",
    "law_enforcement": "police",
    "data_owner": "owner",
    "controller": "controller",
    "covered_entity": "covered entity",
}


def _notify_summary(obligations: list[Obligation]) -> str:
    """One jurisdiction's live notices in a line: recipient and due day, earliest first.

    A recipient owed several notices (notice and a credit-monitoring offer) appears once,
    with the earliest day; ``?`` marks a conditional notice; ``asap`` a notice with no
    fixed period ("without unreasonable delay").
    """
    best: dict[str, tuple[bool, float, str]] = {}
    for o in obligations:
        who = _SHORT_RECIPIENT.get(o.recipient, o.recipient)
        when = o.due.date().isoformat() if o.due else "asap"
        mark = "?" if o.status == "conditional" else ""
        key = (o.due is None, o.due.timestamp() if o.due else 0.0, f"{who} {when}{mark}")
        if who not in best or key < best[who]:
            best[who] = key
    return ", ".join(v[2] for v in sorted(best.values()))


def print_table(assessment: Assessment, incident: Incident, out: TextIO) -> None:
    """A person-readable summary of an assessment: one row per jurisdiction, then details."""
    title = f" ({incident.title})" if incident.title else ""
    print(f"Incident {assessment.incident_id}{title}", file=out)
    print(f"Assessed as of {format_timestamp(assessment.as_of)}", file=out)
    print(file=out)
    refs = {r.code: r for r in assessment.rulesets}
    live = [o for o in assessment.obligations if o.status != "not_required"]
    by_code: dict[str, list[Obligation]] = {}
    for o in live:
        by_code.setdefault(o.jurisdiction, []).append(o)
    shown = [d for d in assessment.determinations if d.status != "not_applicable"]
    print(
        "By jurisdiction (due day in the incident's time zone;"
        " asap: no fixed period; ?: conditional)",
        file=out,
    )
    rows = [
        ["  " + d.jurisdiction, d.status, _notify_summary(by_code.get(d.jurisdiction, []))]
        for d in shown
    ]
    _table(out, ["  JURISDICTION", "STATUS", "NOTIFY (DUE)"], rows)
    skipped = [d.jurisdiction for d in assessment.determinations if d.status == "not_applicable"]
    if skipped:
        print(f"  ({len(skipped)} not applicable: {', '.join(skipped)})", file=out)
    print(file=out)
    print("Law applied", file=out)
    rows = []
    for d in shown:
        ref = refs.get(d.jurisdiction)
        law = f"{ref.citation} [reviewed {ref.last_reviewed}]" if ref else ""
        missing = ("missing: " + ", ".join(d.missing_facts)) if d.missing_facts else ""
        rows.append(["  " + d.jurisdiction, missing or law])
    _table(out, ["  JURISDICTION", "LAW / MISSING FACTS"], rows)
    print(file=out)
    print("Obligations (by due date)", file=out)
    live.sort(key=lambda o: (o.due is None, o.due.timestamp() if o.due else 0, o.id))
    rows = []
    for o in live:
        due = format_timestamp(o.due) if o.due else o.deadline.text
        due = due if len(due) <= 45 else due[:44] + "…"
        if o.overdue:
            due += "  OVERDUE"
        to = o.recipient_name or o.recipient.replace("_", " ")
        to = to if len(to) <= 40 else to[:39] + "…"
        rows.append(["  " + o.status, due, o.party, to, o.id, o.basis])
    _table(out, ["  STATUS", "DUE", "PARTY", "TO", "OBLIGATION", "BASIS"], rows)
    exempt = [o for o in assessment.obligations if o.status == "not_required"]
    if exempt:
        print(f"  ({len(exempt)} evaluated and not required)", file=out)
    open_facts = sorted(
        {m for o in live for m in o.missing_facts}
        | {m for d in assessment.determinations for m in d.missing_facts}
    )
    if open_facts:
        print(file=out)
        print("Open questions (facts that decide conditional results)", file=out)
        for m in open_facts:
            print(f"  - {m}", file=out)
    for w in assessment.warnings:
        print(f"warning: {w}", file=out)
    print(file=out)
    print(DISCLAIMER, file=out)
