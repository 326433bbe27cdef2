"""What the command line prints for people: the assessment table and small formatters.

Tables are laid out by ``rich`` to fit the terminal: a cell too long for its column wraps
inside the column instead of stretching the line (the multinational example used to print
a 1,393-column line). On a terminal the width is the terminal's; written to a file or a
pipe it is ``$COLUMNS`` or 100, so logs and documentation stay readable and stable.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, TextIO

from breachrules.cli.values import duration
from breachrules.model.decisions import Assessment, Obligation
from breachrules.model.facts import Incident
from breachrules.model.timestamps import format_timestamp, in_offset_of, offset_name
from breachrules.views.fact_words import delayed_until
from breachrules.views.terminal import GAP, grid, plain_grid, plain_paragraph, word_width

if TYPE_CHECKING:  # rich is imported when something is printed, not with the module
    from rich.console import RenderableType

__all__ = [
    "DISCLAIMER",
    "FILE_WIDTH",
    "do_first",
    "left",
    "print_table",
    "render",
    "table",
    "width",
]

DISCLAIMER = "breachrules supports counsel's judgment; it is not legal advice."
#: Width used when the output is not a terminal and ``$COLUMNS`` is unset.
FILE_WIDTH = 80


def width(out: TextIO) -> int:
    """The columns available on ``out``: the terminal's, else ``$COLUMNS``, else 80 (what
    a ticket, an e-mail or a log it is captured into shows: UT11 18)."""
    try:
        tty = out.isatty()
    except (AttributeError, ValueError):
        tty = False
    if tty:
        return shutil.get_terminal_size((FILE_WIDTH, 24)).columns
    try:
        return max(40, int(os.environ.get("COLUMNS", "")))
    except ValueError:
        return FILE_WIDTH


def _tty(out: TextIO) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return False


def render(out: TextIO, *items: RenderableType, indent: int = 0) -> None:
    """Print rich renderables to ``out`` at its width; colour only on a terminal.

    Rendered to text first so every line can be stripped of the padding rich adds at its
    end (files and documentation then compare byte for byte). ``indent`` spaces go before
    every line, the items laid out in what is left of the width: what ``rich.Padding``
    did, to the byte (the terminal and documentation tests compare them), one layer fewer for
    rich to lay out.

    Plain text written to a file or a pipe (what a playbook or a script reads) is wrapped
    here, to the same lines rich makes (:func:`breachrules.views.terminal.plain_paragraph`),
    without importing rich: a new process per incident then does not pay for it.
    """
    tty = _tty(out)
    pad = " " * indent
    if not tty and all(isinstance(item, str) for item in items):
        laid = [plain_paragraph(str(item), width(out) - indent) for item in items]
        if all(lines is not None for lines in laid):
            for lines in laid:
                for line in lines or ():
                    print((pad + line).rstrip(), file=out)
            return
    from rich.console import Console
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width(out) - indent,
        force_terminal=tty,
        no_color=not tty,
        highlight=False,
        emoji=False,
        soft_wrap=False,
    )
    for item in items:
        # Plain strings are text, never markup: "[reviewed 2026-11-27]" must print as is.
        console.print(Text(item) if isinstance(item, str) else item)
    for line in buffer.getvalue().splitlines():
        print((pad + line).rstrip(), file=out)


def table(
    out: TextIO,
    header: list[str],
    rows: list[list[str]],
    wrap: set[int] | None = None,
    min_widths: dict[int, int] | None = None,
) -> None:
    """A table fitted to ``out``'s width, indented like the section it belongs to.

    ``wrap``: the columns that may wrap (default all); the others keep their text on one
    line (ids and dates read badly broken). Written to a file or a pipe, the table is laid
    out without rich (:func:`breachrules.views.terminal.plain_grid`, the same lines); on a
    terminal, rich prints it with its header in bold.
    """
    indent = len(header[0]) - len(header[0].lstrip()) if header else 0
    available = width(out) - indent
    # No id, fact path, timestamp or URL is ever folded: where the columns cannot all fit
    # side by side without breaking a word, the last goes on a line of its own under each
    # row; where even that does not fit, the table runs past the edge, on a terminal too.
    lines = plain_grid(header, rows, available, wrap, min_widths)
    if lines is None:
        lines = plain_grid(header, rows, available, wrap, min_widths, overflow=True, stack=True)
    elif _tty(out):
        lines = None  # it fits: rich prints it, with its header in bold
    if lines is not None:
        pad = " " * indent
        for line in lines:
            print((pad + line).rstrip(), file=out)
        return
    from rich.padding import Padding

    grid_ = grid(header, rows, available, wrap, min_widths)
    render(out, Padding(grid_, (0, 0, 0, indent)))


def left(due: datetime | None, as_of: datetime) -> str:
    """Time left until ``due`` as of ``as_of``, or ``OVERDUE by ...`` in capitals."""
    if due is None:
        return "asap"
    seconds = int((due - as_of).total_seconds())
    if seconds < 0:
        return "OVERDUE by " + duration(-seconds).removesuffix(" left")
    return duration(seconds)


def do_first(assessment: Assessment) -> str:
    """The first line a responder reads: the notice to do first and the open question to
    ask first, in the one ordering ``plan`` and ``questions`` use too
    (:mod:`breachrules.views.first`)."""
    from breachrules.views.first import first_to_do, follows, owed, ranked_facts

    parts = []
    pick = first_to_do(assessment.obligations, assessment.as_of)
    # A conditional notice is not one to send yet: it comes first only if it is required.
    if pick is not None:
        o, moment = pick
        first = "Do first" if o.status == "required" else "First if required"
        to = o.addressee
        after = [x.id for x in owed(assessment.obligations) if follows(x, [o]) == o.id]
        then = f"; {', '.join(after)} follow{'s' * (len(after) == 1)} it" if after else ""
        if o.due is not None:
            parts.append(f"{first}: {o.id} (notify {to}), {left(o.due, assessment.as_of)}{then}")
        elif moment is not None:  # no period of its own, but a notice waits for it
            waiting = [w.id for w in assessment.obligations if w.waits_for == o.id]
            verb = "waits" if len(waiting) == 1 else "wait"
            parts.append(f"{first}: {o.id} (notify {to}), now: {', '.join(waiting)} {verb} for it")
        else:
            parts.append(f"{first}: {o.id}, owed without a fixed period")
    elif not assessment.determinations:
        parts.append("No law reaches this incident: see the warning (on standard error)")
    elif not any(d.status != "not_applicable" for d in assessment.determinations):
        # Laws were read (their places' people were affected) and none applies: each
        # says why (a party of no type it governs, no version encoded for the day).
        parts.append("No law applies to this incident: each says why under Law applied")
    else:
        kept = [o.id for o in owed(assessment.obligations)]
        parts.append(
            "Nothing to send" + (f" (keep or complete: {', '.join(kept)})" if kept else "")
        )
    facts = ranked_facts(assessment)
    if facts:
        q = facts[0]
        count, what = (
            (q.obligations, "obligation(s)")
            if q.obligations
            else (
                len(q.decides),
                "result(s)",
            )
        )
        verb = "dates" if q.only_dates else "decides"
        parts.append(f"ask first: {q.fact} ({verb} {count} {what})")
    return "; ".join(parts) + "."


#: The FROM / TO cell of a duty that sends nothing: never "to the regulator".
_KEPT = {
    "record": "{party} keeps it (a record, not a notice)",
    "assessment": "{party} completes it (not a notice)",
}

_MINUTE = "%Y-%m-%d %H:%M"

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


def _notify_summary(obligations: list[Obligation], as_of: datetime) -> str:
    """One jurisdiction's live notices in a line: recipient and due day, earliest first.

    A recipient owed several notices (notice and a credit-monitoring offer) appears once,
    with the earliest day; ``?`` marks a conditional notice; ``asap`` a notice with no
    fixed period ("without unreasonable delay").
    """
    best: dict[str, tuple[bool, float, str]] = {}
    for o in obligations:
        who = o.kind if o.kind != "notice" else _SHORT_RECIPIENT.get(o.recipient, o.recipient)
        when = (
            in_offset_of(o.due, as_of).date().isoformat()
            if o.due
            else "kept"
            if o.kind == "record"
            else "asap"
        )
        if o.due is None and (until := delayed_until(o)) is not None:
            ends = in_offset_of(until, as_of).date().isoformat()
            when = f"asap after the law-enforcement delay to {ends}"
        mark = "?" if o.status == "conditional" else ""
        key = (o.due is None, o.due.timestamp() if o.due else 0.0, f"{who} {when}{mark}")
        if who not in best or key < best[who]:
            best[who] = key
    return ", ".join(v[2] for v in sorted(best.values()))


def _obligations(out: TextIO, live: list[Obligation], as_of: datetime) -> None:
    """The obligations, one row each: status, due (and time left), the id with its basis,
    and who notifies whom.

    The id is a thing to copy, so its column is never narrower than the longest id (it
    never breaks); sender and recipient get a column of their own where the width allows,
    else they are the id's third line, so that the table still reads at 80 columns.
    """
    rows = []
    for o in live:
        due = in_offset_of(o.due, as_of).strftime(_MINUTE) if o.due else o.deadline.text
        to = o.addressee  # the one name every view gives the recipient
        # A record or an assessment is kept or completed, not sent: no time left to show
        # without a date, and never "party to recipient".
        shown = "-" if o.kind != "notice" and o.due is None else left(o.due, as_of)
        basis = o.basis
        if (key := o.follows) is not None and o.due is not None and o.sent_at is None:
            # Only the earliest lawful date: the clock starts when the notice it follows
            # is sent, so there is no time left to count, nor an overdue (UT11 4). When it
            # is due goes under the id, whose column holds an id whole.
            shown, basis = "earliest date", f"{basis}\ndue {o.due_after(key)}"
        if o.due is None and (until := delayed_until(o)) is not None:
            held = in_offset_of(until, as_of).strftime(_MINUTE)
            shown = f"asap after the law-enforcement delay ends {held}"
        if o.sent_at is not None and o.sent_at <= as_of:  # done: no time left to count
            late = "\n(late)" if o.due is not None and o.sent_at > o.due else ""
            shown = f"sent {in_offset_of(o.sent_at, as_of).strftime(_MINUTE)}{late}"
        who = _KEPT.get(o.kind, "{party} to {to}").format(party=o.party, to=to)
        rows.append(["  " + o.status, f"{due}\n{shown}", o.id, basis, who])
    id_w = word_width([r[2] for r in rows], 48)
    status_w = max([len("STATUS"), *(len(o.status) for o in live)])
    own_column = 2 + status_w + 16 + id_w + 24 + 3 * GAP <= width(out)
    header = ["  STATUS", "DUE (LOCAL) / LEFT", "OBLIGATION / BASIS"]
    if own_column:
        header.append("FROM / TO")
        cells = [[r[0], r[1], f"{r[2]}\n{r[3]}", r[4]] for r in rows]
    else:
        header[2] = "OBLIGATION / BASIS / FROM / TO"
        cells = [[r[0], r[1], f"{r[2]}\n{r[3]}\n{r[4]}"] for r in rows]
    table(out, header, cells, wrap={1, 2, 3}, min_widths={2: id_w})


def print_table(
    assessment: Assessment,
    incident: Incident,
    out: TextIO,
    not_reached: Sequence[str] = (),
    named: bool = False,
    unverified: Mapping[str, int] | None = None,
) -> None:
    """A person-readable summary of an assessment: one row per jurisdiction, then details.

    ``not_reached``: the user's own rulesets the incident does not reach, each with why
    (``engine.unreached.not_reached``), named once under the laws not applicable.
    ``named``: the laws were named (``--jurisdiction``), so one that does not apply is
    listed under "Law applied" with its reason, as is every law when none applies."""
    title = f" ({incident.title})" if incident.title else ""
    render(out, do_first(assessment))
    print(file=out)
    render(out, f"Incident {assessment.incident_id}{title}")
    print(f"Assessed as of {format_timestamp(assessment.as_of)}", file=out)
    print(file=out)
    refs = {r.code: r for r in assessment.rulesets}
    live = [o for o in assessment.obligations if o.status != "not_required"]
    by_code: dict[str, list[Obligation]] = {}
    for o in live:
        by_code.setdefault(o.jurisdiction, []).append(o)
    shown = [d for d in assessment.determinations if d.status != "not_applicable"]
    render(
        out,
        "By jurisdiction (due day in the incident's time zone;"
        " asap: no fixed period; ?: conditional)",
    )
    rows = [
        [
            "  " + d.jurisdiction,
            d.status,
            _notify_summary(by_code.get(d.jurisdiction, []), assessment.as_of),
        ]
        for d in shown
    ]
    table(out, ["  JURISDICTION", "STATUS", "NOTIFY (DUE)"], rows, wrap={2})
    skipped = [d.jurisdiction for d in assessment.determinations if d.status == "not_applicable"]
    if skipped:
        render(out, f"({len(skipped)} not applicable: {', '.join(skipped)})", indent=2)
    for line in not_reached:
        render(out, f"(not reached: {line.replace(':', ' (your rulesets):', 1)})", indent=2)
    print(file=out)
    print("Law applied", file=out)
    rows = []
    for d in shown:
        ref = refs.get(d.jurisdiction)
        # A law's act (the ruleset's name), not the note on the version's latest amendment;
        # a policy's own reference (its citation: "ISP-7 (version 3, approved ...)").
        law = ""
        if ref and ref.kind == "policy":
            law = f"policy, not statute: {ref.citation} [reviewed {ref.last_reviewed}]"
        elif ref:
            act = ref.name or ref.citation
            law = f"{act} (version of {ref.version}) [reviewed {ref.last_reviewed}]"
        missing = ("missing: " + ", ".join(d.missing_facts)) if d.missing_facts else ""
        rows.append(["  " + d.jurisdiction, missing or law])
    if named or not shown:
        for d in assessment.determinations:
            if d.status == "not_applicable":
                why = "; ".join(r.text for r in d.reasons) or "no reason recorded"
                rows.append(["  " + d.jurisdiction, f"not applicable: {why}"])
    table(out, ["  JURISDICTION", "LAW / MISSING FACTS"], rows, wrap={1})
    if unverified:  # the rules' own verified: false marks (UT13 F17)
        applied = {d.jurisdiction for d in shown}
        counts = ", ".join(f"{c}:{n}" for c, n in sorted(unverified.items()) if c in applied)
        if counts:
            render(
                out,
                f"Unverified points these results rest on (verified: false in the ruleset, "
                f"by law): {counts}; explain CODE lists each, with what would settle it",
                indent=2,
            )
    print(file=out)
    print(f"Obligations (by due date; every time at {offset_name(assessment.as_of)})", file=out)
    live.sort(key=lambda o: (o.due is None, o.due.timestamp() if o.due else 0, o.id))
    _obligations(out, live, assessment.as_of)
    exempt = [o for o in assessment.obligations if o.status == "not_required"]
    if exempt:
        print(f"  ({len(exempt)} evaluated and not required)", file=out)
    if len(assessment.liability) > 1:
        print(file=out)
        print("Who notifies whom, and who pays", file=out)
        rows = [
            [
                "  " + lia.party,
                lia.role,
                ", ".join(lia.notifies) or "-",
                ("pays" if lia.bears_costs else "-")
                + (
                    f" (cap {lia.liability_cap:,.0f})"
                    if lia.bears_costs and lia.liability_cap
                    else ""
                ),
                lia.basis,
            ]
            for lia in assessment.liability
        ]
        table(out, ["  PARTY", "ROLE", "NOTIFIES", "COSTS", "BASIS"], rows, wrap={2, 3, 4})
    open_facts = sorted(
        {m for o in live for m in o.missing_facts}
        | {m for d in assessment.determinations for m in d.missing_facts}
    )
    if open_facts:
        print(file=out)
        print("Open questions (facts that decide conditional results)", file=out)
        # A fact no live duty waits on decides only a law's determination (UT12 F2).
        noticed = {m for o in live for m in o.missing_facts}
        for m in open_facts:
            print(f"  - {m}" + ("" if m in noticed else " (decides no notice)"), file=out)
    # The warnings go to standard error (the command line says them, as every other
    # view's), so that standard output is the table alone (docs/facts.md).
    print(file=out)
    print(DISCLAIMER, file=out)


# --- before you notify: questions, explanations, diffs ------------------------------------
