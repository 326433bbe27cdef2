"""``breachrules audit verify``: what each protection of the log proved, and what it could
not, said plainly on lines that fit the terminal (wrapped at words, never inside a hash, a
path or an option).

The exit status is the verdict a script reads: 0 when every protection the log carries
held, 1 at a break (the first, named with what caught it and exactly what it leaves
proven), 3 when the log is keyed and no key was given (its links hold, but anyone can
recompute them, and the MACs that would catch that were not checked).
"""

from __future__ import annotations

import argparse
import textwrap
from typing import TextIO

from breachrules.audit.keys import public_key_problem
from breachrules.audit.log import AuditLog, Verification, anchor_path
from breachrules.cli.table import width
from breachrules.errors import InvalidArgument, Problem

__all__ = ["say", "verify"]


def say(out: TextIO, text: str, indent: int = 0, hang: int = 4) -> None:
    """``text`` wrapped to ``out``'s width at words, never inside a value (a hash, a path,
    an option), each line after the first indented by ``hang`` more."""
    print(
        textwrap.fill(
            text,
            width(out),
            initial_indent=" " * indent,
            subsequent_indent=" " * (indent + hang),
            break_long_words=False,
            break_on_hyphens=False,
        ),
        file=out,
    )


def _protections(result: Verification, log: AuditLog, out: TextIO) -> None:
    """What each protection checked, and what it could not: said plainly."""

    def line(label: str, text: str) -> None:  # "  key:    ...", "          ..." under it
        say(out, f"{label + ':' if label else '':<7} {text}", 2, 8)

    chain = "intact" if result.caught_by != "chain" else "BROKEN"
    line("chain", f"{chain} (SHA-256 links; anyone can recompute them)")
    if result.caught_by == "key":
        line("key", "CAUGHT the break (HMAC-SHA-256)")
    elif result.macs_unchecked:
        line(
            "key",
            f"NOT checked: {result.macs_unchecked} event(s) carry an HMAC-SHA-256; no key "
            "was given",
        )
    elif result.keyed:
        line("key", f"{result.keyed} event(s) carry a valid HMAC-SHA-256")
    elif result.unkeyed == result.events:
        line(
            "key",
            "none: this log is unkeyed, so anyone who can write the file can change "
            "an event and recompute every hash undetected (set BREACHRULES_AUDIT_KEY_FILE)",
        )
    if result.unkeyed and (result.keyed or result.macs_unchecked):
        line("", f"{result.unkeyed} earlier event(s) were written before keying")
    anchored = [n for n in result.notes if "head" in n and "matches" in n]
    if result.caught_by == "anchor":
        line("anchor", "CAUGHT the break")
    elif anchored:
        for note in anchored:
            line("anchor", note)
    elif not result.ok and anchor_path(log.path).exists():
        line("anchor", "not checked (verification stops at the first break)")
    else:
        line(
            "anchor",
            f"none ({anchor_path(log.path).name} is missing): events deleted from "
            "the end cannot be detected; publish `breachrules audit head` elsewhere",
        )
    if result.caught_by == "signature":
        line("signed", "CAUGHT the break (Ed25519 checkpoint)")
    for note in result.notes:
        if note not in anchored and not note.startswith("MACs not checked"):
            line("note", note)


def _proven(result: Verification) -> str:
    """What a break leaves proven, exactly: the events before it, unless an anchor caught
    it (its hash covers every event up to it, so it cannot say which was changed, and
    only a checked MAC proves an event and those before it)."""
    caught = result.broken_event or result.events + 1
    if caught == result.events + 1:
        return f"the {result.events} event(s) before it are intact"
    return (
        f"events {result.events + 1}-{caught} are not proven: the anchor covers them all "
        "and, without a checked MAC on each, cannot say which was changed"
        + (
            f"; events 1-{result.events} are intact (a checked MAC covers them)"
            if result.events
            else ""
        )
    )


def verify(args: argparse.Namespace, log: AuditLog, out: TextIO) -> int:
    """``audit verify LOG``: the verdict on its first line and as the exit status (0, 1
    or 3: see the module), then each protection."""
    bad = [(k, public_key_problem(k)) for k in args.public_key]
    if any(why for _, why in bad):
        raise InvalidArgument([Problem("--public-key", why) for _, why in bad if why])
    if not log.path.is_file():  # a mistake in the command, not a log found broken (1)
        raise InvalidArgument([Problem("LOG", f"{log.path}: no such file")])
    result = log.verify(anchor=args.anchor, public_keys=args.public_key)
    if result.ok and result.macs_unchecked:
        say(
            out,
            f"unverified: the MACs of {result.macs_unchecked} of {result.events} event(s) "
            "were NOT checked (no key given: give --key-file or set "
            "BREACHRULES_AUDIT_KEY_FILE), so a rewrite with every hash recomputed would "
            f"pass; last hash {result.last_hash}",
        )
        _protections(result, log, out)
        return 3
    if result.ok:
        say(out, f"ok: {result.events} event(s), last hash {result.last_hash}")
        _protections(result, log, out)
        return 0
    say(
        out,
        f"broken: line {result.broken_line} (event {result.broken_event}): "
        f"{result.reason}; {_proven(result)}",
    )
    _protections(result, log, out)
    return 1
