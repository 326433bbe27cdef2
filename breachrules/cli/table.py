"""What the command line prints for people: the assessment table and small formatters."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TextIO

import attrs

from breachrules.model.decisions import Assessment, Obligation
from breachrules.model.facts import Incident
from breachrules.model.timestamps import format_timestamp

__all__ = ["DISCLAIMER", "duration", "jsonable", "print_table", "table"]

DISCLAIMER = "breachrules supports counsel's judgment; it is not legal advice."


def table(out: TextIO, header: list[str], rows: list[list[str]]) -> None:
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
    table(out, ["  JURISDICTION", "STATUS", "NOTIFY (DUE)"], rows)
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
    table(out, ["  JURISDICTION", "LAW / MISSING FACTS"], rows)
    print(file=out)
    print("Obligations (by due date)", file=out)
    live.sort(key=lambda o: (o.due is None, o.due.timestamp() if o.due else 0, o.id))
    rows = []
    for o in live:
        due = format_timestamp(o.due) if o.due else o.deadline.text
        due = due if len(due) <= 45 else due[:44] + "…"
        if o.overdue:
            due += "  OVERDUE"
        named = o.recipient_contacts[0].name if len(o.recipient_contacts) == 1 else None
        to = o.recipient_party or named or o.recipient_name or o.recipient.replace("_", " ")
        to = to if len(to) <= 40 else to[:39] + "…"
        rows.append(["  " + o.status, due, o.party, to, o.id, o.basis])
    table(out, ["  STATUS", "DUE", "PARTY", "TO", "OBLIGATION", "BASIS"], rows)
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
        table(out, ["  PARTY", "ROLE", "NOTIFIES", "COSTS", "BASIS"], rows)
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


# --- before you notify: questions, explanations, diffs ------------------------------------


def duration(seconds: int | None) -> str:
    if seconds is None:
        return "no fixed date"
    sign, seconds = ("overdue by " if seconds < 0 else ""), abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours = rest // 3600
    text = f"{days}d {hours}h" if days else f"{hours}h {(rest % 3600) // 60}m"
    return sign + text + ("" if sign else " left")


def jsonable(value: Any) -> Any:
    """attrs.asdict output made JSON-ready: timestamps in ISO 8601 with offset."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime):
        return format_timestamp(value)
    if attrs.has(type(value)):
        return jsonable(attrs.asdict(value))
    return value
