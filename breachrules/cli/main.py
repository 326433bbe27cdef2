"""The ``breachrules`` command line (CONTRACT section 5). ``python -m breachrules`` too.

Exit status: 0 assessed (or listed, or valid); 2 the input is invalid, with each problem's
field path (or file and line) on stderr and no traceback; 1 any other failure.

One module, one job: the argument parser and a function per command. What is printed for
people is in :mod:`breachrules.cli.table`; ``breachrules audit`` in :mod:`breachrules.cli.audit`.
"""

from __future__ import annotations

import argparse
import difflib
import gc
import json
import sys
import warnings
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import attrs

from breachrules._version import __version__
from breachrules.cli import records
from breachrules.cli.table import (
    DISCLAIMER,
    FILE_WIDTH,
    left,
    print_table,
    render,
    table,
    width,
)
from breachrules.cli.values import duration, jsonable
from breachrules.errors import (
    BreachrulesError,
    InvalidArgument,
    InvalidIncident,
    Problem,
    RulesetError,
)
from breachrules.model.decisions import Assessment
from breachrules.model.facts import Incident
from breachrules.model.timestamps import format_timestamp, parse_timestamp

if TYPE_CHECKING:
    from breachrules.engine import Engine
    from breachrules.law.ruleset import Deadline, Ruleset

# Each command imports what it needs when it runs, not when the program starts: a SOAR
# playbook or a shell script starts a new process per incident, and ``breachrules
# schema`` should not wait for the engine, nor ``assess`` for the importers.

__all__ = ["AS_OF_HELP", "YOUNG_THRESHOLD", "main", "run"]

#: The command line judges deadlines as of now: a responder on day 20 must see that a
#: deadline of day 10 has passed. The library's default stays the discovery time, so a
#: library call is reproducible (the same inputs, the same bytes, audit hashes included).
AS_OF_HELP = (
    "moment of evaluation: 'now' (the default), 'discovery' (the incident's discovered_at) "
    "or an ISO 8601 timestamp with offset"
)


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
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="read every ruleset file afresh, without the compiled-law cache "
        "(also BREACHRULES_NO_CACHE=1; the cache's folder is BREACHRULES_CACHE_DIR)",
    )
    parser.add_argument(
        "--backend",
        choices=["durable", "python"],
        help="rule engine: pure Python (the default) or durable-rules (the Rete extra)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("assess", help="assess an incident document")
    p.add_argument("incident", nargs="?", help="incident JSON file, or - for standard input")
    p.add_argument("--as-of", default="now", help=AS_OF_HELP)
    _jurisdiction_argument(p)
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument(
        "--sent-from",
        metavar="LOG",
        help="also take as sent the notices this audit log records for the incident "
        "(verified first; the incident's own notices_sent wins where both give one)",
    )
    p.add_argument(
        "--audit-log",
        metavar="LOG",
        help="append the incident and the assessment to this JSON Lines audit log",
    )
    p.add_argument(
        "--cloudevents", action="store_true", help="write audit events as CloudEvents 1.0"
    )

    p = sub.add_parser("test", help="run YAML scenario files against your own rulesets")
    p.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="scenario files, or folders holding rulesets and scenario files",
    )
    p.add_argument("-k", dest="select", metavar="NAME", help="only cases whose name contains NAME")
    p.add_argument("--verbose", action="store_true", help="also list the cases that pass")
    p.add_argument(
        "--coverage",
        action="store_true",
        help="rule coverage: the rules, exceptions, thresholds, deadlines and any: alternatives "
        "no case depends on",
    )
    p.add_argument(
        "--mutate",
        action="store_true",
        help="mutation testing: change one thing at a time in each ruleset and report the "
        "changes no case catches, each with a ready case that would",
    )
    p.add_argument(
        "--kind",
        action="append",
        dest="kinds",
        metavar="KIND",
        help="with --mutate or --coverage: only these kinds of change (repeatable)",
    )
    p.add_argument(
        "--fail-under",
        type=float,
        default=None,
        metavar="PERCENT",
        help="with --mutate: exit 1 when fewer than PERCENT of the changes are caught",
    )
    p.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="processes for --mutate (default: cores)",
    )

    p = sub.add_parser(
        "import",
        help="import VERIS, STIX 2.1 or HHS portal records as incidents",
        description=IMPORT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "kind",
        choices=["veris", "stix", "hhs"],
        help="veris: VERIS 1.3/1.4 JSON records; stix: STIX 2.1 bundles (Incident Core "
        "extension); hhs: the HHS OCR breach portal's CSV export",
    )
    p.add_argument(
        "inputs",
        nargs="+",
        metavar="FILE_OR_DIR",
        help="files, or folders searched for *.json (veris, stix) or *.csv (hhs)",
    )
    p.add_argument(
        "--out",
        required=True,
        metavar="DIR",
        help="where to write the incidents (one DIR/<name>.json each) and DIR/refused.jsonl "
        "(one refused record per line, with its reason)",
    )

    p = sub.add_parser("plan", help="the notification plan: every action ordered by due time")
    p.add_argument("incident", nargs="?", help="incident JSON file, or - for standard input")
    p.add_argument("--as-of", default="now", help=AS_OF_HELP)
    _jurisdiction_argument(p)
    p.add_argument(
        "--sent-from",
        metavar="LOG",
        help="also take as sent the notices this audit log records for the incident "
        "(verified first; the incident's own notices_sent wins where both give one)",
    )
    p.add_argument("--format", choices=["table", "json", "csv", "ics"], default="table")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")

    p = sub.add_parser("questions", help="open questions: unknown facts ranked by what they decide")
    p.add_argument("incident", nargs="?", help="incident JSON file, or - for standard input")
    p.add_argument("--as-of", default="now", help=AS_OF_HELP)
    _jurisdiction_argument(p)
    p.add_argument(
        "--sent-from",
        metavar="LOG",
        help="also take as sent the notices this audit log records for the incident "
        "(verified first; the incident's own notices_sent wins where both give one)",
    )
    p.add_argument("--format", choices=["table", "json"], default="table")

    p = sub.add_parser("explain", help="explain one obligation or determination, step by step")
    p.add_argument("incident", help="incident JSON file, or - for standard input")
    p.add_argument("subject", help='an obligation id ("US-CA:notify-individuals") or a code')
    p.add_argument("--as-of", default="now", help=AS_OF_HELP)

    p = sub.add_parser("diff", help="what changed between two versions of an incident, and why")
    p.add_argument("old", nargs="?", help="the earlier incident JSON file")
    p.add_argument("new", nargs="?", help="the later incident JSON file")
    p.add_argument("--as-of", default="now", help=AS_OF_HELP + "; the same for both")
    _jurisdiction_argument(p)
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument("--audit-log", metavar="LOG", help="append the changes to this audit log")

    p = sub.add_parser(
        "notices", help="notice drafts for counsel: one per population, one per regulator"
    )
    p.add_argument("incident", nargs="?", help="incident JSON file, or - for standard input")
    p.add_argument("--out", required=True, metavar="DIR", help="where to write the drafts")
    p.add_argument("--format", choices=["md", "html", "docx"], default="md")
    p.add_argument("--as-of", default="now", help=AS_OF_HELP)
    _jurisdiction_argument(p)

    p = sub.add_parser("brief", help="the brief for support and account staff")
    p.add_argument("incident", nargs="?", help="incident JSON file, or - for standard input")
    p.add_argument(
        "--sent-from",
        metavar="LOG",
        help="also take as sent the notices this audit log records for the incident "
        "(verified first; the incident's own notices_sent wins where both give one)",
    )
    p.add_argument("--format", choices=["text", "md", "json"], default="text")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    p.add_argument("--as-of", default="now", help=AS_OF_HELP)
    _jurisdiction_argument(p)

    p = sub.add_parser("audit", help="the tamper-evident audit log")
    audit_sub = p.add_subparsers(dest="audit_command", required=True)
    key_help = (
        "the audit key file (one key per line, the first current); "
        "default: $BREACHRULES_AUDIT_KEY_FILE or $BREACHRULES_AUDIT_KEY"
    )
    a = audit_sub.add_parser(
        "verify",
        help="exit 0 if LOG is intact, 1 naming the first break, 3 if it is keyed and no "
        "key was given (its MACs unchecked)",
    )
    a.add_argument("log")
    a.add_argument("--key-file", metavar="FILE", help=key_help)
    a.add_argument("--anchor", metavar="HEAD", help="a published head line to hold LOG to")
    a.add_argument(
        "--public-key",
        action="append",
        default=[],
        metavar="HEX",
        help="a trusted checkpoint signer's Ed25519 public key (repeatable)",
    )
    a = audit_sub.add_parser("record", help="append a notice actually sent")
    a.add_argument("log")
    a.add_argument(
        "--obligation",
        required=True,
        action="append",
        metavar="ID",
        help="the obligation id the notice met (from assess, plan or the report); repeat it "
        "for one notice that serves several duties (plan's 'obligations: A | B'): one event "
        "is written per duty, each naming the others",
    )
    a.add_argument(
        "--sent-at",
        required=True,
        metavar="TIMESTAMP",
        help="when it was sent, ISO 8601 with offset (the log also records when you record it)",
    )
    a.add_argument(
        "--recorded-at",
        metavar="TIMESTAMP",
        help="the moment of recording to write (default: now, the wall clock in UTC); "
        "for reproducible tests and examples",
    )
    a.add_argument("--incident", metavar="ID", help="incident id (default: the log's only one)")
    a.add_argument("--recipient")
    a.add_argument("--method", help="e.g. letter, email, portal")
    a.add_argument("--evidence", help="where the proof is: a document id, a URL, a hash")
    a.add_argument(
        "--force",
        metavar="REASON",
        help="record an obligation no assessment in LOG produced; the reason is logged",
    )
    a.add_argument("--key-file", metavar="FILE", help=key_help)
    a.add_argument("--cloudevents", action="store_true")
    a = audit_sub.add_parser("report", help="per obligation: on time, late, owed, pending")
    a.add_argument("log")
    a.add_argument(
        "--as-of",
        default="now",
        help="judge unsent notices as of this moment: 'now' (the default) or ISO 8601",
    )
    a.add_argument("--format", choices=["table", "json"], default="table")
    a.add_argument(
        "--incident", action="append", metavar="ID", help="only this incident (repeatable)"
    )
    a.add_argument("--key-file", metavar="FILE", help=key_help)
    a = audit_sub.add_parser("head", help="print LOG's head line, for publishing elsewhere")
    a.add_argument("log")
    a.add_argument("--key-file", metavar="FILE", help=key_help)
    a = audit_sub.add_parser("repair", help="move a torn last line (an interrupted write) aside")
    a.add_argument("log")
    a = audit_sub.add_parser(
        "keygen", help="write a new Ed25519 signing key (PEM) and print its public key"
    )
    a.add_argument("pem", metavar="PEM", help="the file to create (never overwritten)")
    a = audit_sub.add_parser("checkpoint", help="append a checkpoint signed with Ed25519")
    a.add_argument("log")
    a.add_argument("--signing-key", required=True, metavar="PEM", help="Ed25519 private key")
    a.add_argument("--at", metavar="TIMESTAMP", help="the checkpoint's time (default: now)")
    a.add_argument("--key-file", metavar="FILE", help=key_help)
    a.add_argument("--cloudevents", action="store_true")

    records.add_parsers(sub, _jurisdiction_argument, AS_OF_HELP)

    p = sub.add_parser("rulesets", help="list the loaded rulesets")
    p.add_argument("--format", choices=["table", "json"], default="table")

    p = sub.add_parser("schema", help="print a JSON Schema")
    p.add_argument(
        "which",
        choices=[
            "incident",
            "assessment",
            "ruleset",
            "scenario",
            "stdio-request",
            "stdio-response",
        ],
    )

    p = sub.add_parser(
        "validate",
        help="check a ruleset file or folder, and its scenario files (without running them)",
    )
    p.add_argument("path")
    return parser


def _jurisdiction_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--jurisdiction",
        action="extend",
        nargs="+",
        metavar="CODE",
        help="only these rulesets: codes, comma lists or both, any case; repeatable",
    )


#: The positional file arguments of each command that takes ``--jurisdiction``.
_FILES: dict[str, tuple[str, ...]] = {
    "assess": ("incident",),
    "plan": ("incident",),
    "questions": ("incident",),
    "diff": ("old", "new"),
    "notices": ("incident",),
    "brief": ("incident",),
}


def _place_files(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """``--jurisdiction CODE ...`` takes every word after it; give back the file names.

    ``assess --jurisdiction US-CA incident.json`` is as natural as the other order, so a
    word at the end of the list that is no code (a path, or ``-`` for standard input)
    fills a missing file argument instead of being read as a jurisdiction.
    """
    names = _FILES.get(args.command)
    if names is None:
        return
    missing = [n for n in names if getattr(args, n) is None]
    codes: list[str] = list(args.jurisdiction or [])
    taken: list[str] = []
    while len(taken) < len(missing) and codes and _looks_like_file(codes[-1]):
        taken.insert(0, codes.pop())
    for name, value in zip(missing, taken, strict=False):
        setattr(args, name, value)
    if args.jurisdiction is not None:
        args.jurisdiction = codes
    still = [n for n in names if getattr(args, n) is None]
    if still:
        parser.error(f"the following arguments are required: {', '.join(still)}")


def _looks_like_file(word: str) -> bool:
    return word == "-" or any(c in word for c in "./\\") or Path(word).exists()


#: The youngest generation's threshold while the command line runs (Python's default is
#: 700 container objects; see :func:`main`).
YOUNG_THRESHOLD = 100_000


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    While it runs, the cyclic garbage collector waits for :data:`YOUNG_THRESHOLD` new
    objects instead of 700: a call builds tens of thousands of objects that live until it
    exits (the classes of the engine, the rulesets read from the cache), and with the
    default the collector ran about 70 times in each ``breachrules assess``, scanning them
    again and again, about 8 ms of its CPU time, for garbage it never found. Cycles are
    still collected, only less often; the thresholds are put back on return, so a program
    that calls ``main`` keeps its own (and a higher one it set is left as it is).
    """
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], YOUNG_THRESHOLD), *old[1:])
    try:
        return _main(argv)
    finally:
        gc.set_threshold(*old)


def run() -> int:
    """The program: :func:`main` on the process's own arguments, in a process that exits
    when it returns (the ``breachrules`` command and ``python -m breachrules`` call it;
    a program that calls the command line in-process calls :func:`main`).

    On its way out it moves every object left to the collector's permanent generation
    (:func:`gc.freeze`), which Python's last collection at exit does not scan: that
    collection walked every object the call built, the engine's classes and the rulesets
    read from the cache, to find next to no garbage, about 12 ms of each ``breachrules
    assess`` (9 ms of ``breachrules schema``). What is written is written and flushed as
    before, and the ``atexit`` functions run; only objects in reference cycles that were
    garbage already are not finalised at exit, which Python never promises.
    """
    try:
        return main()
    finally:
        gc.freeze()


def _main(argv: Sequence[str] | None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    _place_files(parser, args)
    if args.no_cache:
        from breachrules.law.cache import configure

        configure(enabled=False)
    try:
        with warnings.catch_warnings():
            _show_overrides()
            return _dispatch(args)
    except InvalidIncident as exc:
        _problems("invalid incident", exc)
        return 2
    except RulesetError as exc:
        _problems("invalid ruleset", exc)
        return 2
    except InvalidArgument as exc:
        _problems("invalid argument", exc)
        return 2
    except BrokenPipeError:  # `breachrules ... | head`: the reader has what it wanted
        return 1
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"breachrules: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except BreachrulesError as exc:
        print(f"breachrules: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # pragma: no cover - last resort: a message, never a traceback
        print(f"breachrules: unexpected error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


def _show_overrides() -> None:
    """A user's ruleset replacing a bundled one (:mod:`breachrules.law.overrides`) is said
    on standard error as ``warning: ...``, once per command, not as Python's warning."""
    from breachrules.law.overrides import RulesetOverride

    warnings.simplefilter("default", RulesetOverride)
    shown = warnings.showwarning

    def show(
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: TextIO | None = None,
        line: str | None = None,
    ) -> None:
        if issubclass(category, RulesetOverride):
            print(f"warning: {message}", file=sys.stderr)
        else:
            shown(message, category, filename, lineno, file, line)

    warnings.showwarning = show


def _problems(what: str, exc: InvalidIncident | RulesetError | InvalidArgument) -> None:
    print(f"breachrules: {what}:", file=sys.stderr)
    for problem in exc.problems:
        print(f"  {problem}", file=sys.stderr)


def as_of(value: str | None, incident: Incident | None) -> datetime | None:
    """The moment ``--as-of`` names: now (in the incident's UTC offset), ``None`` for the
    discovery time (the library's default), or the timestamp given."""
    if value in (None, "now"):
        zone = incident.discovered_at.tzinfo if incident is not None else None
        moment = datetime.now(zone) if zone else datetime.now().astimezone()
        return moment.replace(microsecond=0)
    if value == "discovery":
        if incident is None:
            raise InvalidArgument(
                [Problem("--as-of", "'discovery' needs an incident; give now or a timestamp")]
            )
        return None
    try:
        return parse_timestamp(value)
    except (TypeError, ValueError) as exc:
        raise InvalidArgument([Problem("--as-of", str(exc))]) from None


def _no_outcomes(fact: str, decides: Sequence[str] = ()) -> str:
    """What a question without yes/no answers turns on."""
    from breachrules.views.questions import DELAY_FACT

    if fact == DELAY_FACT:
        return (
            "none given, read as no request; if law enforcement asks for a delay, these "
            f"notices' laws let them wait (as far as each allows): {', '.join(decides)}"
        )
    leaf = fact.rsplit(".", 1)[-1]
    if leaf == "established_in":
        return "depends on where the organisation is established"
    if leaf == "types":
        return "depends on what kind of organisation the party is (its types)"
    if leaf == "offers_to":
        return "depends on where the organisation offers its goods or services"
    return "a date or a count: it sets a due date or a threshold"


def _say(out: TextIO, text: str, indent: int) -> None:
    """One paragraph, wrapped to the width of ``out`` and indented, a numbered one under
    its text (never under its number), an id or a fact path never broken inside."""
    from breachrules.views.terminal import wrap

    out.write(wrap(" " * indent + text, width(out)) + "\n")


def _engine(args: argparse.Namespace) -> Engine:
    """The command's engine, built once per command: a second one would read every
    ruleset's outline again and load, from the cache, rulesets the first had read."""
    built = getattr(args, "_engine", None)
    if built is None:
        from breachrules.engine import Engine

        built = Engine(paths=args.rulesets, backend=args.backend)
        args._engine = built
    return built


def _selection(engine: Engine, args: argparse.Namespace) -> list[str] | None:
    """``--jurisdiction`` checked against the loaded rulesets (exit 2 with the near miss)."""
    if args.jurisdiction is None:
        return None
    return engine.jurisdiction_codes(args.jurisdiction, "--jurisdiction")


def _warn(assessment: Assessment) -> None:
    """The assessment's warnings on standard error, so that what goes to standard output
    (a plan in CSV or iCalendar, an explanation) stays what it says it is."""
    for w in assessment.warnings:
        print(f"warning: {w}", file=sys.stderr)


def _assess(args: argparse.Namespace, incident: Incident) -> Assessment:
    engine = _engine(args)
    return engine.assess(incident, as_of(args.as_of, incident), _selection(engine, args))


def _own_not_reached(
    args: argparse.Namespace, assessment: Assessment, incident: Incident
) -> list[str]:
    """The user's own rulesets (``--rulesets``) the incident does not reach, with why, for
    the table (the JSON is unchanged: it has a determination only for the laws that could
    reach). Read from their outlines: nothing more is loaded to say it."""
    if not args.rulesets or args.jurisdiction:
        return []
    from breachrules.engine.unreached import not_reached
    from breachrules.law.library import Library

    return not_reached(incident, assessment, Library(args.rulesets).outlines)


def _dispatch(args: argparse.Namespace) -> int:
    out = sys.stdout
    if args.command == "assess":
        incident = _incident_of(args)
        assessment = _assess(args, incident)
        if args.audit_log:
            from breachrules.audit.log import AuditLog

            asked = (
                [d.jurisdiction for d in assessment.determinations] if args.jurisdiction else None
            )
            AuditLog(args.audit_log, args.cloudevents).record_assessment(
                incident, assessment, asked
            )
        if args.format == "json":
            out.write(assessment.to_json() + "\n")
        else:
            _warn(assessment)
            unreached = _own_not_reached(args, assessment, incident)
            from breachrules.views.unverified import applied_counts

            engine = _engine(args)
            # The assessment's own engine: a ruleset decided from its outline (binding no
            # party) is not loaded for this.
            loaded = set(engine.loaded)
            marks = applied_counts(
                assessment,
                [engine.ruleset(r.code) for r in assessment.rulesets if r.code in loaded],
            )
            print_table(
                assessment,
                incident,
                out,
                unreached,
                named=bool(args.jurisdiction),
                unverified=marks,
            )
        return 0
    if args.command in _COMMANDS:
        return _COMMANDS[args.command](args, out)
    if args.command == "rulesets":
        from breachrules.io.serde import dumps

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
            table(
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
        from breachrules.io.schema import json_schema
        from breachrules.io.serde import dumps
        from breachrules.law.schema import RULESET_SCHEMA
        from breachrules.model.decisions import Assessment as A

        def scenario_schema() -> Any:
            from breachrules.testing.scenarios import SCENARIO_SCHEMA

            return SCENARIO_SCHEMA

        def stdio_schema() -> Any:
            from breachrules.views.exports import stdio

            return stdio.request_schema() if "request" in args.which else stdio.response_schema()

        schema = {
            "incident": lambda: json_schema(Incident, "breachrules incident (schema version 1)"),
            "assessment": lambda: json_schema(A, "breachrules assessment (schema version 1)"),
            "ruleset": lambda: RULESET_SCHEMA,
            "scenario": scenario_schema,
            "stdio-request": stdio_schema,
            "stdio-response": stdio_schema,
        }[args.which]()
        out.write(dumps(schema) + "\n")
        return 0
    if args.command == "validate":
        return _cmd_validate(args, out)
    raise AssertionError(args.command)  # pragma: no cover


def _cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    """Check the rulesets at a path, and its scenario files as ``breachrules test`` reads
    them (keys, the ruleset named, obligation ids and status words, with near misses),
    without running their cases. A scenario file given alone is checked against the
    rulesets of its folder, the bundled ones and ``--rulesets``, as ``test`` would."""
    path = Path(args.path)
    if not path.exists():
        print(f"breachrules: {path}: no such file or folder", file=sys.stderr)
        return 2
    from breachrules.law.loader import load_rulesets
    from breachrules.testing import scenario_files

    found, scenarios = scenario_files(path)
    # Every file is read and checked afresh: validating is the point of the command. A
    # ruleset's problems do not stop the directory's check; its scenario files, read
    # against the rulesets, wait for them (said so).
    status = 0
    try:
        rulesets = load_rulesets([path], cache=False) if path.is_dir() or not scenarios else []
    except RulesetError as exc:
        _problems("invalid ruleset", exc)
        rulesets, status = [], 2
    for r in rulesets:
        print(f"ok  {r.code:<10} {len(r.versions)} version(s)  {r.path}", file=out)
    if path.is_dir():  # its regulator directory, checked as the engine reads it
        from breachrules.law.directory import directory_files, load_directory

        entries = load_directory([path], cache=False)
        for file in directory_files(path):
            count = sum(1 for e in entries if e.file == str(file))
            print(
                f"ok  {'directory':<10} {count} entr{'y' if count == 1 else 'ies'}  {file}",
                file=out,
            )
    status = max(status, _check_other_laws_notices(rulesets, args.rulesets))
    _warn_unserved(rulesets, path, args.rulesets)
    if scenarios and status == 2 and not rulesets:
        print(
            f"breachrules: {len(scenarios)} scenario file(s) not checked: they are read "
            "against their rulesets; fix the rulesets above first and validate again",
            file=sys.stderr,
        )
    elif scenarios:
        status = max(status, _validate_scenarios(scenarios, [*args.rulesets, *found], out))
    return status


def _warn_unserved(rulesets: list[Ruleset], path: Path, extra: list[str]) -> None:
    """A notice to a public body that no directory entry serves is a warning, not an
    error: the ruleset works, but the notice's ``recipient_contacts`` stay empty."""
    public = ("regulator", "attorney_general", "law_enforcement")
    wanted = sorted(
        {
            (str(r.path), ob.rule.line or 0, ob.rule.id, ob.recipient)
            for r in rulesets
            for law in r.laws
            for ob in law.obligations
            if ob.recipient in public
        }
    )
    if not wanted:
        return
    from breachrules.law.directory import load_directory
    from breachrules.law.loader import bundled_paths

    roots: list[Path | str] = [*bundled_paths(), *extra, *([path] if path.is_dir() else [])]
    try:
        served = {i for entry in load_directory(roots) for i in entry.receives}
    except RulesetError:  # a malformed directory file is reported on its own
        return
    folder = (path if path.is_dir() else path.parent) / "_directory"
    for file, line, rule_id, recipient in wanted:
        if rule_id not in served:
            print(
                f"warning: {file}:{line}: {rule_id}: no regulator directory entry says how "
                f"to reach the {recipient.replace('_', ' ')} (its recipient_contacts stay "
                f"empty); add one under {folder}/ (docs/ruleset-format.md, 'The regulator "
                "directory')",
                file=sys.stderr,
            )


def _validate_scenarios(files: list[Path], rulesets: list[Path | str], out: TextIO) -> int:
    """Check scenario files against the rulesets ``test`` would load with them (the
    bundled ones and ``rulesets``), read afresh like every file ``validate`` reads."""
    from breachrules.law.loader import bundled_paths, load_rulesets
    from breachrules.testing.scenarios import read_scenarios

    loaded = load_rulesets([*bundled_paths(), *rulesets], cache=False)
    status = 0
    for file in files:
        read = read_scenarios(file, loaded)
        problems = [*read.problems, *(p for case in read.cases for p in case.problems)]
        if problems:
            print("breachrules: invalid scenario file:", file=sys.stderr)
            for problem in problems:
                print(f"  {problem}", file=sys.stderr)
            status = 2
            continue
        cases = f"{len(read.cases)} case(s), not run (breachrules test runs them)"
        print(f"ok  {read.code or '':<10} {cases}  {file}", file=out)
    return status


def _sent_of(clock: Deadline | None) -> str | None:
    return None if clock is None else clock.sent_of


def _check_other_laws_notices(rulesets: list[Ruleset], extra: list[str]) -> int:
    """``from: sent:<CODE>:<id>`` names another law's notice, which a file alone cannot
    check: here it is checked against the rulesets validated, the bundled ones and any
    ``--rulesets`` folders. A code none of them has is a warning (it may be loaded
    beside this one later); a code they have without that obligation is an error."""
    import difflib

    from breachrules.law.loader import bundled_paths, load_rulesets

    named = sorted(
        {
            (str(r.path), ob.rule.id, field, target)
            for r in rulesets
            for law in r.laws
            for ob in law.obligations
            for field, target in (
                ("deadline.from", ob.deadline.sent_of),
                ("deadline.not_before.from", _sent_of(ob.deadline.not_before)),
                ("deadline.or_when", ob.deadline.or_when_sent),
            )
            if target and ":" in target
        }
    )
    if not named:  # nothing to check: the bundled rulesets are not read again
        return 0
    known: dict[str, set[str]] = {}
    for other in [*load_rulesets([*bundled_paths(), *extra]), *rulesets]:
        known.setdefault(other.code, set()).update(
            ob.rule.id for law in other.laws for ob in law.obligations
        )
    status = 0
    for path, obligation, field, target in named:
        code = target.split(":", 1)[0]
        where = f"{path}: {obligation.split(':', 1)[1]}: {field}: sent:{target}"
        if code not in known:
            print(f"warning: {where}: no ruleset {code} is loaded to check it", file=sys.stderr)
        elif target not in known[code]:
            hint = difflib.get_close_matches(target, sorted(known[code]), n=1)
            print(
                f"{where}: {code} has no obligation {target.split(':', 1)[1]!r}"
                + (f"; did you mean 'sent:{hint[0]}'?" if hint else ""),
                file=sys.stderr,
            )
            status = 2
    return status


#: What ``breachrules import --help`` says before the options.
IMPORT_HELP = """\
Turn other people's incident records into incident documents, one JSON file each.
Lossy but explicit: what a source cannot say stays unknown (null), and every
assumption is written into the incident's extensions.breachrules_import.

  veris  victim.country/state -> residents (the organisation's place, not the
         people's); data_total -> the count; data varieties -> elements
         (Personal -> unknown); data_disclosure -> acquired/accessed;
         discovered_at = the earliest instant the timeline allows
  stix   the incident's Impact confidentiality extension -> exposures
         (information_type -> elements, loss_type -> acquired, record_count ->
         count); the victim identity's location -> residents; a detected task
         -> discovered_at
  hhs    one row per breach: every person under the row's state, elements
         medical, unencrypted, accessed; discovered_at = the submission date
         (the latest bound)

A record that cannot honestly fill a required field (no count, no place) is
refused, never guessed: DIR/refused.jsonl lists each with its reason. Assess the
results with `breachrules assess DIR/<file>.json`, or all at once from Python
with assess_many. The whole mapping: docs/scaling.md, "Importing records", and
the importers' reference (breachrules.io.importers)."""


def _incident_of(args: argparse.Namespace) -> Incident:
    """The incident of ``args``, with the notices ``--sent-from LOG`` records as sent
    (:mod:`breachrules.audit.sent`; a conflict with its own ``notices_sent`` is warned of)."""
    incident = _read_incident(args.incident)
    if getattr(args, "sent_from", None):
        from breachrules.audit.sent import sent_from_log

        incident, said = sent_from_log(args.sent_from, incident)
        for warning in said:
            print(f"warning: {warning}", file=sys.stderr)
    return incident


def _read_incident(source: str) -> Incident:
    from breachrules.io.serde import load_incident, parse_document

    if source == "-":
        # Read as bytes and parsed here, never passed on as text: stdin is a document,
        # not a file name, and its encoding is checked like a file's.
        stream = getattr(sys.stdin, "buffer", None)  # a text stream stands in for it in tests
        data: bytes | str = stream.read() if stream is not None else sys.stdin.read()
        document = parse_document(data)
        if not isinstance(document, dict):
            raise InvalidIncident([Problem("(document)", "expected a JSON object")])
        return load_incident(document)
    path = Path(source)
    if path.is_dir():
        example = next(iter(sorted(path.glob("*.json"))), None)
        one = f" (such as {example})" if example is not None else ""
        raise InvalidArgument(
            [
                Problem(
                    source,
                    f"a folder, not an incident file: give one of its files{one}, or "
                    "assess them all from Python: assess_many([load_incident(p) for p in "
                    f"Path({source!r}).glob('*.json')]) (docs/scaling.md)",
                )
            ]
        )
    if not path.is_file():
        raise InvalidIncident([Problem("(document)", f"{source}: no such file")])
    return load_incident(path)


def _cmd_test(args: argparse.Namespace, out: TextIO) -> int:
    from breachrules.testing import run_folder, scenario_files

    paths = [Path(p) for p in args.paths]
    for path in paths:
        if not path.exists():
            print(f"breachrules: {path}: no such file or folder", file=sys.stderr)
            return 2
    rulesets, scenarios = scenario_files(*paths)
    from breachrules.engine import Engine

    # Load first: a scenario file that is not valid YAML reads as a broken ruleset, and its
    # problem (file, line, what the parser found) says more than "no scenario files".
    engine = Engine(paths=[*args.rulesets, *rulesets], backend=args.backend)
    if not scenarios:
        shown = ", ".join(map(str, paths))
        print(f"breachrules: no scenario files in {shown}{_no_cases(rulesets)}", file=sys.stderr)
        return 2
    if args.mutate or args.coverage:
        return _cmd_mutate(args, engine, scenarios, out)
    outcomes = run_folder(paths, engine=engine, select=args.select)
    if not outcomes:
        print(f"breachrules: no case matches -k {args.select!r}", file=sys.stderr)
        return 2
    for o in outcomes:
        where = f"{o.file}:{o.line}" if o.line else o.file
        if not o.passed:
            print(f"FAIL {where}: {o.name}", file=out)
            for failure in o.failures:
                print(f"     {failure}", file=out)
        elif args.verbose:
            print(f"ok   {where}: {o.name}", file=out)
    failed = sum(not o.passed for o in outcomes)
    files = len({o.file for o in outcomes})
    passed = len(outcomes) - failed
    print(f"{len(outcomes)} cases in {files} file(s): {passed} passed, {failed} failed", file=out)
    return 1 if failed else 0


def _no_cases(rulesets: list[Path]) -> str:
    """What to do when ``test`` finds rulesets but no cases: copy each copied law's own
    bundled cases beside it (named), or write some (the format's page)."""
    from breachrules.testing import bundled_cases

    copies = [
        f"cp {found} {ruleset.with_name(ruleset.stem + '_scenarios.yaml')}"
        for ruleset in rulesets
        if (found := bundled_cases(ruleset)) is not None
    ]
    where = (
        "; to run the bundled law's own cases on your copy: " + "; ".join(copies)
        if copies
        else "; the bundled laws' own cases are in a checkout's tests/rulesets/, at the "
        "ruleset's relative path (tests/rulesets/us/wa.yaml for rulesets/us/wa.yaml)"
    )
    return (
        " (a scenario file is YAML with `ruleset:` and `cases:`: docs/ruleset-format.md, "
        f"'Scenario tests'){where}"
    )


def _cmd_mutate(
    args: argparse.Namespace, engine: Engine, scenarios: list[Path], out: TextIO
) -> int:
    from breachrules.testing.mutation import (
        KINDS,
        coverage_lines,
        mutation_tests,
        pair_files,
        report_lines,
    )

    for kind in args.kinds or ():
        if kind not in KINDS:
            near = difflib.get_close_matches(kind, KINDS, n=1)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            reason = f"unknown kind {kind!r}{hint} (kinds: {', '.join(KINDS)})"
            raise InvalidArgument([Problem("--kind", reason)])
    pairs = pair_files(engine, scenarios)
    tty = sys.stderr.isatty()  # a progress line only on a terminal, as for import
    done = 0

    def progress(report: object) -> None:
        nonlocal done
        done += 1
        if tty:
            print(f"\rmutated {done}/{len(pairs)} rulesets", end="", file=sys.stderr, flush=True)

    reports = mutation_tests(
        pairs, find_cases=args.mutate, kinds=args.kinds, jobs=args.jobs, progress=progress
    )
    if tty:
        print(file=sys.stderr)
    lines = [
        *(report_lines(reports) if args.mutate else []),
        *([""] if args.mutate and args.coverage else []),
        *(coverage_lines(reports) if args.coverage else []),
    ]  # both when both are asked for: the mutation report, then the rule coverage
    for line in lines:
        print(line, file=out)
    if any(r.problems for r in reports):
        return 1
    killed = sum(r.count("killed") for r in reports)
    counted = sum(r.counted for r in reports)
    if args.fail_under is not None and counted and 100 * killed / counted < args.fail_under:
        print(
            f"breachrules: {100 * killed / counted:.1f} % of changes caught, "
            f"under --fail-under {args.fail_under:g}",
            file=sys.stderr,
        )
        return 1
    return 0


def _cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    from breachrules.io.importers import run_import

    # A progress line only on a terminal: in a CI log every carriage return would be a
    # line of its own. The summary below is printed either way.
    tty = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        print(f"\rimported {done}/{total} files", end="", file=sys.stderr, flush=True)

    summary = run_import(
        args.kind,
        [Path(p) for p in args.inputs],
        Path(args.out),
        progress=progress if tty else None,
    )
    if tty:
        print(file=sys.stderr)
    print(
        f"{summary['imported']} imported, {summary['refused']} refused "
        f"(of {summary['records']} records in {summary['files']} files) into {summary['out']}",
        file=out,
    )
    for reason, count in sorted(summary.get("refused_by_reason", {}).items()):
        print(f"  refused, {reason}: {count}", file=out)
    if summary["refused"]:
        print(f"  reasons per record: {summary['refused_file']}", file=out)
    for credit in summary.get("credits", ()):
        print(f"Data credit: {credit}", file=out)
    return 0


def _cmd_plan(args: argparse.Namespace, out: TextIO) -> int:
    incident = _incident_of(args)
    assessment = _assess(args, incident)
    the_plan = assessment.plan()
    _warn(assessment)
    if args.format == "ics":
        data = the_plan.to_ics()
        if args.out:
            Path(args.out).write_bytes(data)
        else:
            sys.stdout.buffer.write(data)
        return 0
    if args.format == "json":
        text = the_plan.to_json() + "\n"
    elif args.format == "csv":
        text = the_plan.to_csv()
    else:
        text = the_plan.to_table(FILE_WIDTH if args.out else width(out)) + "\n" + DISCLAIMER + "\n"
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        out.write(text)
    return 0


def _cmd_questions(args: argparse.Namespace, out: TextIO) -> int:
    from breachrules.io.serde import dumps
    from breachrules.views.first import first_to_do
    from breachrules.views.questions import open_questions

    incident = _incident_of(args)
    engine = _engine(args)
    result = open_questions(engine, incident, as_of(args.as_of, incident), _selection(engine, args))
    _warn(result.assessment)
    if args.format == "json":
        doc = {
            "incident_id": incident.id,
            "as_of": format_timestamp(result.readiness.as_of),
            "questions": [attrs.asdict(q) for q in result.questions],
            # added: the questions no answer to which changes anything now
            "apart": [attrs.asdict(q) for q in result.apart],
            # added: the questions that decide no notice, only a law's determination
            "no_notice": [attrs.asdict(q) for q in result.no_notice],
            "readiness": attrs.asdict(result.readiness),
        }
        out.write(dumps(jsonable(doc)) + "\n")
        return 0
    if result.questions:
        q0 = result.questions[0]
        decides = sum(1 for s in q0.decides if ":" in s)
        verb = "dates" if q0.only_dates else "decides"
        first = f"Ask first: {q0.fact} ({verb} {decides} obligation(s))."
    else:
        first = "No open questions."
    # What to do first: the notice `assess` and `plan` put first (views.first).
    pick = first_to_do(result.assessment.obligations, result.readiness.as_of)
    if pick is not None and pick[0].status == "required":
        o, moment = pick
        when = (
            left(o.due, result.readiness.as_of)
            if o.due is not None
            else "now"
            if moment is not None
            else "owed without a fixed period"
        )
        first += f" Do first: {o.id}, {when}."
    render(out, first)
    print(file=out)
    print(f"Incident {incident.id}, as of {format_timestamp(result.readiness.as_of)}", file=out)
    print(file=out)
    if not result.questions:
        print("No open questions: every determination and obligation is decided.", file=out)
    else:
        print("Open questions, most decisive first", file=out)
    for n, q in enumerate(result.questions, start=1):
        obligations = sum(1 for s in q.decides if ":" in s)
        soonest = f"; earliest due {format_timestamp(q.earliest_due)}" if q.earliest_due else ""
        verb = "dates" if q.only_dates else "decides"  # a moment a period runs from
        _say(out, f"{n}. {q.fact}: {verb} {obligations} obligation(s){soonest}", 2)
        partners = ", ".join(q.together_with)
        for outcome in q.outcomes:
            label = f"if {json.dumps(outcome.value)}:"
            if isinstance(outcome.value, list):  # a party's establishment, asked as places
                label = f"if established in {', '.join(outcome.value)}:"
            if outcome.impossible:
                _say(out, f"{label} not possible ({outcome.impossible})", 5)
                continue
            moves = [
                f"{c.subject} {c.before or 'none'} -> {c.after or 'none'}"
                for c in outcome.changes
                if c.kind != "due"
            ] + [
                f"{c.subject} due {c.before or '-'} -> {c.after or '-'}"
                for c in outcome.changes
                if c.kind == "due"
            ]
            # A fact that decides only with another says so, not "nothing changes".
            alone = f"nothing changes on its own (decides together with {partners})"
            _say(
                out, f"{label} {'; '.join(moves) or (alone if partners else 'nothing changes')}", 5
            )
        if not q.outcomes:
            _say(out, _no_outcomes(q.fact, q.decides), 5)
    if result.apart:
        print(file=out)
        print("Does not change anything now (no answer to it alone changes anything)", file=out)
        for q in result.apart:
            partners = ", ".join(q.together_with)
            together = f": decides together with {partners}" if partners else ""
            _say(out, f"- {q.fact}{together}", 2)
    if result.no_notice:
        print(file=out)
        print("Decides no notice (only whether a law finds a breach)", file=out)
        for q in result.no_notice:
            laws = ", ".join(q.decides)
            _say(out, f"- {q.fact}: every duty of {laws} is decided without it", 2)
    r = result.readiness
    print(file=out)
    print("Readiness", file=out)
    print("  May be sent now (required):", file=out)
    if r.send_now:
        table(
            out,
            ["    OBLIGATION", "LEFT"],
            [[item.obligation_id, duration(item.seconds_left)] for item in r.send_now],
        )
    if not r.send_now:
        print("    nothing yet", file=out)
    if r.to_keep:
        print("  To keep or complete, nothing to send (records, assessments):", file=out)
        table(
            out,
            ["    OBLIGATION", "LEFT"],
            [[item.obligation_id, duration(item.seconds_left)] for item in r.to_keep],
        )
    if r.held:
        print("  Required, but a law's waiting period holds it back:", file=out)
        table(
            out,
            ["    OBLIGATION", "LEFT", "WAITS FOR"],
            [
                [item.obligation_id, duration(item.seconds_left), ", ".join(item.waits_on)]
                for item in r.held
            ],
        )
    print("  Waiting on facts (conditional):", file=out)
    if r.waiting:
        table(
            out,
            ["    OBLIGATION", "LEFT", "WAITS ON"],
            [
                [item.obligation_id, duration(item.seconds_left), ", ".join(item.waits_on)]
                for item in r.waiting
            ],
        )
    if not r.waiting:
        print("    nothing", file=out)
    print(file=out)
    print(DISCLAIMER, file=out)
    return 0


def _cmd_explain(args: argparse.Namespace, out: TextIO) -> int:
    from breachrules.views.explain import explain
    from breachrules.views.terminal import wrap

    incident = _read_incident(args.incident)
    code, sep, rest = args.subject.partition(":")
    engine = _engine(args)
    if code.casefold() == "contract" and sep:
        # A contract's notice has no ruleset: it is owed on every law's determination.
        subject = f"contract:{rest}"
        assessment = engine.assess(incident, as_of=as_of(args.as_of, incident))
    else:
        (code,) = engine.jurisdiction_codes([code], "subject")
        subject = f"{code}{sep}{rest}"
        assessment = engine.assess(
            incident, as_of=as_of(args.as_of, incident), jurisdictions=[code]
        )
    # The ruleset applied, for the unverified points the result rests on (a contract's
    # notice has none).
    applied = [engine.ruleset(code)] if code in engine.codes else []
    try:
        # Wrapped to the terminal, each line under its own indent (never mid-word).
        out.write(wrap(explain(assessment, subject, applied), width(out)))
        _warn(assessment)
    except KeyError:
        known = [o.id for o in assessment.obligations]
        folded = {k.casefold(): k for k in known}
        if subject.casefold() in folded:
            out.write(
                wrap(
                    explain(assessment, folded[subject.casefold()], applied),
                    width(out),
                )
            )
            _warn(assessment)
            return 0
        hint = difflib.get_close_matches(subject, known, n=1, cutoff=0.5)
        raise InvalidArgument(
            [
                Problem(
                    "subject",
                    f"no obligation {subject!r}"
                    + (f"; did you mean {hint[0]!r}?" if hint else "")
                    + f" (this assessment has: {', '.join(known) or 'none'})",
                )
            ]
        ) from None
    return 0


def _changes_table(
    out: TextIO,
    header: list[str],
    rows: list[list[str]],
    wraps: set[int],
    least: dict[int, int],
) -> None:
    """The diff's changes: a table where ids and timestamps fit whole, else one change per
    block of lines (an 80-column terminal cannot hold two timestamps beside an id, and a
    timestamp broken mid-string is misread)."""
    from breachrules.views.changes import stacked_changes, table_fits

    if table_fits(header, rows, least, width(out)):
        table(out, header, rows, wrap=wraps, min_widths=least)
        return
    for line in stacked_changes(rows, width(out)):
        print(line, file=out)


def _cmd_diff(args: argparse.Namespace, out: TextIO) -> int:
    from breachrules.audit.log import AuditLog
    from breachrules.io.serde import dumps
    from breachrules.views.brief import brief_changes
    from breachrules.views.changes import reassess

    old, new = _read_incident(args.old), _read_incident(args.new)
    engine = _engine(args)
    before, after, diff = reassess(
        engine, old, new, as_of(args.as_of, new), _selection(engine, args)
    )
    if args.audit_log:
        AuditLog(args.audit_log).record_changes(new.id, diff, after.as_of)
    staff = brief_changes(before.brief(old), after.brief(new))
    if args.format == "json":
        document = diff.to_dict()
        document["brief_changes"] = [attrs.asdict(c) for c in staff]
        out.write(dumps(jsonable(document)) + "\n")
        return 0
    for line in diff.fact_lines(width(out)):
        print(line, file=out)
    print(file=out)
    print(f"Changes ({len(diff.changes)})", file=out)
    # The table AssessmentDiff.to_text lays out: ids, field paths and timestamps never
    # break (they are copied into explain and the log); cells wrap at spaces.
    header, rows, wraps, least = diff.table()
    _changes_table(out, header, rows, wraps, least)
    print(file=out)
    if staff:
        print(f"Staff brief changes ({len(staff)})", file=out)
        for c in staff:
            _say(out, f"{'+' if c.kind == 'added' else '-'} {c.part}: {c.line}", 2)
        print(file=out)
    print(DISCLAIMER, file=out)
    return 0


def _cmd_audit(args: argparse.Namespace, out: TextIO) -> int:
    from breachrules.cli.audit import cmd_audit

    return cmd_audit(args, out)


def _folders(args: argparse.Namespace) -> list[Path]:
    """The ``--rulesets`` folders: their ``_notices/`` texts win over the bundled ones."""
    return [Path(p) for p in args.rulesets if Path(p).is_dir()]


def _cmd_notices(args: argparse.Namespace, out: TextIO) -> int:
    from breachrules.views.notices import MARKING, notices

    if Path(args.out).exists() and not Path(args.out).is_dir():
        raise InvalidArgument(
            [Problem("--out", f"{args.out} is a file: give a folder for the drafts")]
        )
    incident = _read_incident(args.incident)
    assessment = _assess(args, incident)
    _warn(assessment)
    drafts = notices(assessment, incident, _folders(args))
    paths = drafts.write(args.out, args.format)
    print(f"{len(paths)} drafts in {args.out} ({MARKING}):", file=out)
    for draft, path in zip(drafts.drafts, paths, strict=True):
        print(f"  {path.name}  {draft.status}  {', '.join(draft.jurisdictions)}", file=out)
    print(DISCLAIMER, file=out)
    return 0


def _cmd_brief(args: argparse.Namespace, out: TextIO) -> int:
    from breachrules.views.brief import brief

    incident = _incident_of(args)
    assessment = _assess(args, incident)
    _warn(assessment)
    staff = brief(assessment, incident, _folders(args))
    # Printed, it is wrapped to the terminal (never inside an id or a URL); a file keeps
    # one line per paragraph, for an editor.
    fitted = None if args.out else width(out)
    text = {
        "json": lambda: staff.to_json() + "\n",
        "md": lambda: staff.to_markdown(fitted),
        "text": lambda: staff.to_text(fitted),
    }[args.format]()
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        out.write(text)
    return 0


_COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "import": _cmd_import,
    "test": _cmd_test,
    "plan": _cmd_plan,
    "questions": _cmd_questions,
    "explain": _cmd_explain,
    "diff": _cmd_diff,
    "notices": _cmd_notices,
    "brief": _cmd_brief,
    "audit": _cmd_audit,
    "register": records.cmd_register,
    "impact": records.cmd_impact,
    "export": lambda args, out: records.cmd_export(args, out, _read_incident, _assess),
}
