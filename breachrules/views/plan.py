"""The notification plan: every action, in the order it falls due, grouped so one letter
can serve many jurisdictions.

An assessment lists obligations law by law; a response team works action by action.
:func:`plan` groups the obligations of an assessment into actions:

- **one letter to individuals per sending party and population**: a population is the
  people one letter can serve, in one language under content rules that can be merged.
  The US states and federal laws share one letter (state-specific paragraphs are the
  union of the required contents); every other country or union (the EU, the UK, Japan,
  Brazil) gets its own, and so does Quebec (French, its own content rules). Within a
  letter, the strictest due date wins;
- **one notice per party notified up a chain of providers** (provider to owner, processor to
  controller, business associate to covered entity), statutory and contractual duties side
  by side, the stricter deadline winning;
- **one notice per regulator, attorney general, agency or other recipient**;
- **never two duties of one law in one action**: a preliminary and a final report, or a
  notice and a copy of a determination, are two notices even to one recipient, each with
  its own due time (merging is across laws only: one notice serving several states). The
  letter to individuals is the exception: it carries every duty of a law to them, since
  a law's offer of services (identity-theft protection) is made in its notice.

Actions are ordered by due time (actions with no fixed period last, as "asap"), then
required before conditional, then by the obligation that sets the due time: the order of
:mod:`breachrules.views.first`, which also names the action to do first. An action whose
date comes from one law while another has no fixed period ("immediately") says both: its
due time is only the latest, and it is shown as "asap; by" that date. Exports:
JSON, CSV and iCalendar (one VTODO per action, with ``DUE`` and two reminders where it has
a due time, neither where the law sets none), so the
plan opens in a calendar or task application; incident text is made safe for both.

One module, one job: the plan and its forms (table, JSON, CSV, calendar) change together,
since each form shows the same actions, so they stay in one place.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import attrs

from breachrules.io.safe import calendar_line, calendar_text, spreadsheet_cell
from breachrules.model.bindings import bind
from breachrules.model.decisions import POLICY_BASIS
from breachrules.model.paths import is_sending
from breachrules.model.timestamps import format_timestamp, in_offset_of, offset_name
from breachrules.views.deemed import WHOSE, action_title, under_procedures
from breachrules.views.exclusive import excluded_by, exclusion_words
from breachrules.views.fact_words import delayed_until
from breachrules.views.first import dates_only, deciding, first_to_do, ranked_facts
from breachrules.views.terminal import GAP, grid, word_width, wrap

if TYPE_CHECKING:
    from breachrules.model.decisions import Assessment, Contact, Obligation

__all__ = ["REMINDERS", "Action", "Plan", "plan", "population"]

#: When the calendar reminds of a to-do: 24 hours and 1 hour before its ``DUE``.
REMINDERS = ((timedelta(hours=24), "24 hours"), (timedelta(hours=1), "1 hour"))

_UPSTREAM = ("data_owner", "controller", "covered_entity")
#: An undated action's line in a calendar: the law's own words (the GDPR's "without undue
#: delay"), never a US statute's "without unreasonable delay" for every law.
_NO_PERIOD = 'No fixed period: owed "{}", in the law\'s words.'
_KEPT = {"record": "-"}  # a record with no date is not "asap": nothing is sent
_UNDATED = "No due time: the law sets no fixed date, so this to-do has no DUE and no reminders."
#: A to-do that sends nothing: its title, then what its description says.
_NOT_SENT = {
    "record": ("Keep a record of the breach (not a notice)", "Nothing is sent unless asked."),
    "assessment": ("Complete the breach assessment (not a notice)", "Nothing is sent."),
}
_LABELS = {
    "individuals": "Letter to affected individuals",
    "consumer_reporting_agencies": "Notice to consumer reporting agencies",
    "media": "Notice to the media",
    "law_enforcement": "Notice to law enforcement",
}


@attrs.frozen
class Action:
    """One thing to send: to whom, by whom, by when, for which laws, with what content."""

    key: str
    title: str
    party: str
    recipient: str
    status: str
    due: datetime | None
    deadline: str
    jurisdictions: tuple[str, ...]
    obligations: tuple[str, ...]
    bases: tuple[str, ...]
    contents: tuple[str, ...] = ()
    #: Facts still unknown that decide conditional parts of this action, the one
    #: ``questions`` asks first first (:func:`breachrules.views.first.ranked_facts`).
    waits_on: tuple[str, ...] = ()
    #: Jurisdictions whose part of this action is only conditional (a subset).
    conditional_for: tuple[str, ...] = ()
    #: Why the due date is what it is: a stricter contract, a law-enforcement delay, ...
    notes: tuple[str, ...] = ()
    overdue: bool | None = None
    #: Jurisdictions whose clock for this action is held by a law-enforcement delay.
    held_for_law_enforcement: tuple[str, ...] = ()
    #: How to reach the recipients, from the regulator directory (one per body).
    contacts: tuple[Contact, ...] = ()
    #: ``notice``, ``record`` or ``assessment``: only a notice is ever worded as sent.
    kind: str = "notice"
    #: The earliest moment a law lets this action be sent (its obligations' waiting
    #: periods, ``not_before``), where every one of them is dated.
    not_before: datetime | None = None
    #: Notices this action must wait for, not yet recorded as sent (``notices_sent``
    #: keys): a law bars it until they go out (47 CFR 64.2011(b)(1), N.J.S.A.
    #: 56:8-163(c)(1)).
    waits_for: tuple[str, ...] = ()
    #: When it was sent, where the incident records every notice it serves as sent
    #: (``notices_sent``; the latest of them): it is no longer one to send.
    sent_at: datetime | None = None
    #: Jurisdictions whose required part of this action has no fixed period
    #: ("immediately", "without undue delay") while another part sets ``due``: the
    #: action is owed as soon as possible, ``due`` being only the latest date.
    asap_for: tuple[str, ...] = ()
    #: Facts still unknown that only date this action (the moment its period runs
    #: from, the earliest lawful date being shown meanwhile): they decide nothing about
    #: whether it is owed, so they are not in ``waits_on``.
    dated_by: tuple[str, ...] = ()
    #: For an action timed from another notice's sending not yet recorded (a copy to an
    #: attorney general), when it falls due in words ("5 business days after
    #: US-HIPAA:notify-secretary is sent"): ``due`` is then only the earliest lawful date,
    #: and the action is never overdue on it.
    due_after: str | None = None
    #: For a letter to individuals whose own laws require none (their law's letter is
    #: ``not_required``): the population it goes to as the part of the letter of the
    #: laws that count every affected person, wherever they live (its ``obligations``
    #: are theirs, shared with their own letter): None for every other action.
    part_for: str | None = None

    def held(self, at: datetime) -> bool:
        """Whether a waiting period still bars this action at ``at``."""
        return bool(self.waits_for) or (self.not_before is not None and at < self.not_before)


@attrs.frozen
class Plan:
    """The actions of one assessment, ordered by due time."""

    incident_id: str
    as_of: datetime
    actions: tuple[Action, ...]
    #: The obligation to do first (:func:`breachrules.views.first.first_to_do`, the one
    #: ``assess`` and ``questions`` name too) and its due time for ordering.
    first: str | None = None
    first_due: datetime | None = None

    def _repr_html_(self) -> str:
        """The plan as an HTML table for Jupyter (see :mod:`breachrules.views.notebook`)."""
        from breachrules.views.notebook import plan_html

        return plan_html(self)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (timestamps in ISO 8601 with their offset)."""

        def action(a: Action) -> dict[str, Any]:
            d = attrs.asdict(a)
            d["due"] = format_timestamp(a.due) if a.due else None
            d["not_before"] = format_timestamp(a.not_before) if a.not_before else None
            d["sent_at"] = format_timestamp(a.sent_at) if a.sent_at else None
            return d

        return {
            "incident_id": self.incident_id,
            "as_of": format_timestamp(self.as_of),
            "actions": [action(a) for a in self.actions],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, sort_keys=True)

    def to_csv(self) -> str:
        """One row per action; lists are joined with " | "."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        header = [
            "due",
            "status",
            "party",
            "action",
            "recipient",
            "jurisdictions",
            "obligations",
            "deadline",
            "waits_on",
            "notes",
            "contents",
            "not_before",
            "waits_for",
            "sent_at",
        ]
        writer.writerow(header)
        for a in self.actions:
            row = [
                format_timestamp(a.due) if a.due else "",
                a.status,
                a.party,
                a.title,
                a.recipient,
                " | ".join(a.jurisdictions),
                " | ".join(a.obligations),
                a.deadline,
                " | ".join(a.waits_on),
                " | ".join(a.notes),
                " | ".join(a.contents),
                format_timestamp(a.not_before) if a.not_before else "",
                " | ".join(a.waits_for),
                format_timestamp(a.sent_at) if a.sent_at else "",
            ]
            writer.writerow([spreadsheet_cell(cell) for cell in row])
        return out.getvalue()

    def to_ics(self, stamp: datetime | None = None) -> bytes:
        """An iCalendar file with one VTODO per action.

        A to-do with a due time has it as its ``DUE``; one with none (a notice owed
        "without unreasonable delay", a record kept, a report owed only on request) has no
        ``DUE`` and no reminders (RFC 5545 lets a VTODO go without one): a due time of the
        assessment's moment would pretend to a deadline the law does not set, and its
        reminders would be past already. Its description says so. Times are written in
        UTC (``Z``): RFC 5545 forbids a ``TZID`` without its ``VTIMEZONE``, and an
        incident's fixed UTC offset names no time zone a calendar could look up.
        ``DTSTAMP`` is when the file was made (``stamp``, default now). Each dated to-do
        still to do has a ``VALARM`` per ``REMINDERS``; an action recorded as sent is
        ``COMPLETED`` (with ``COMPLETED`` set to when it was sent) and has none; incident
        text is kept from breaking a property (:mod:`breachrules.io.safe`).
        """
        from icalendar import Alarm, Calendar, Todo

        made = (stamp or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
        cal = Calendar()
        cal.add("prodid", "-//breachrules//notification plan//EN")
        cal.add("version", "2.0")
        for a in self.actions:
            todo = Todo()
            digest = hashlib.sha256(f"{self.incident_id}|{a.key}".encode()).hexdigest()[:32]
            todo.add("uid", f"{digest}@breachrules")
            todo.add("dtstamp", made)
            todo.add("summary", calendar_line(f"{a.title} ({', '.join(a.jurisdictions)})"))
            if a.due is not None:
                todo.add("due", a.due.astimezone(UTC))
            # A sent action is done: COMPLETED (RFC 5545), with no reminders left to give.
            todo.add("status", "COMPLETED" if a.sent_at is not None else "NEEDS-ACTION")
            if a.sent_at is not None:
                todo.add("completed", a.sent_at.astimezone(UTC))
            todo.add("priority", 1 if a.status == "required" else 5)
            todo.add("categories", [calendar_line(j) for j in a.jurisdictions])
            lines = [
                f"Status: {a.status}. Party: {a.party}. Deadline: {a.deadline}.",
                _NOT_SENT[a.kind][1]
                if a.kind in _NOT_SENT
                else ""
                if a.due
                else _NO_PERIOD.format(a.deadline),
                "" if a.due else _UNDATED,
                "Obligations: " + "; ".join(a.obligations),
                "Basis: " + "; ".join(a.bases),
            ]
            if a.waits_on:
                lines.append("Waits on: " + ", ".join(a.waits_on))
            if a.held_for_law_enforcement:
                lines.append("Held for law enforcement: " + ", ".join(a.held_for_law_enforcement))
            if a.waits_for:
                lines.append("Not before these are sent: " + ", ".join(a.waits_for))
            if a.not_before is not None:
                lines.append(f"Not before: {format_timestamp(a.not_before)}")
            lines += [f"Note: {n}" for n in a.notes]
            lines += [f"- {c}" for c in a.contents]
            todo.add("description", calendar_text("\n".join(line for line in lines if line)))
            for before, label in REMINDERS if a.sent_at is None and a.due else ():
                alarm = Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", calendar_line(f"Due in {label}: {a.title}"))
                alarm.add("trigger", -before, parameters={"RELATED": "END"})
                todo.add_component(alarm)
            cal.add_component(todo)
        return bytes(cal.to_ical())

    def to_table(self, width: int = 80) -> str:
        """A person-readable table fitted to ``width`` columns (80 by default, the
        command's width for a file or a pipe): one numbered row per action (the footnotes
        below refer to the numbers), the first line saying what to do first.
        """
        from rich.console import Console

        # Ids and codes never break inside (terminal.grid); the party gets its own column
        # where the width allows, else it is the action's second line ("by crm"), so that
        # the table still reads at 80 columns.
        status_w = max([len("STATUS"), *(len(a.status) for a in self.actions)])
        party_w = word_width([a.party for a in self.actions], 24)
        for_w = word_width([", ".join(a.jurisdictions) + "," for a in self.actions], 24)
        number_w = len(str(len(self.actions)))
        own_party = 2 + number_w + status_w + 16 + party_w + 20 + for_w + 5 * GAP <= width
        header = ["#", "STATUS", "DUE (LOCAL)", "PARTY", "ACTION", "FOR"]
        rows = []
        for n, a in enumerate(self.actions, start=1):
            title = a.title
            if a.held_for_law_enforcement:
                title += " (held for law enforcement: "
                title += ", ".join(a.held_for_law_enforcement) + ")"
            if a.waits_for:
                title += " (not before " + ", ".join(a.waits_for) + " is sent)"
            elif a.not_before is not None and self.as_of < a.not_before:
                title += f" (not before {self._local(a.not_before)})"
            due = (
                self._local(a.due) + "\n" + _left(a.due, self.as_of)
                if a.due
                else _KEPT.get(a.kind, "asap")
            )
            if a.due_after and a.due and a.sent_at is None:
                # Only the earliest lawful date (UT11 4): when it is due goes with the
                # action, whose column wraps, never widening the date's.
                due = f"{self._local(a.due)}\nearliest date"
                title += f" (due {a.due_after})"
            if a.asap_for and a.due and a.sent_at is None:
                due = "asap; by\n" + due  # the date is only the latest (a note says why)
            if a.sent_at is not None:
                late = "\n(late)" if a.due is not None and a.sent_at > a.due else ""
                due = due.split("\n")[0] + "\nsent " + self._local(a.sent_at) + late
            rows.append([str(n), a.status, due, a.party, title, ", ".join(a.jurisdictions)])
        if not own_party:
            header.pop(3)
            rows = [[*r[:3], f"{r[4]}\nby {r[3]}", r[5]] for r in rows]
        # A local time ("2026-12-10 09:00") and a sending ("sent 2026-12-10 09:00") are
        # never broken between their words at 80 columns (UT11 18).
        stamp = 21 if any(a.sent_at is not None for a in self.actions) else 16
        t = grid(header, rows, width - 2, wrap=set(range(2, len(header))), min_widths={2: stamp})
        t.columns[0].justify = "right"
        notes: list[str] = []
        for n, a in enumerate(self.actions, start=1):
            for note in a.notes:
                notes.append(f"{n}. {note}")
            if a.status == "required" and a.conditional_for:
                required = [j for j in a.jurisdictions if j not in a.conditional_for]
                notes.append(
                    f"{n}. required now under {', '.join(required)}; for "
                    f"{', '.join(a.conditional_for)} it waits on " + ", ".join(a.waits_on)
                )
        waiting: dict[tuple[tuple[str, ...], tuple[str, ...]], list[int]] = {}
        for n, a in enumerate(self.actions, start=1):
            if a.status == "conditional":
                waiting.setdefault((a.waits_on, a.dated_by), []).append(n)
        for (facts, dated), numbers in waiting.items():
            notes.append(
                (
                    f"Actions {', '.join(map(str, numbers))} wait"
                    if len(numbers) > 1
                    else f"Action {numbers[0]} waits"
                )
                + f" on: {', '.join(facts) or '-'}"
                + (f"; {_dates(dated)}" if dated else "")
            )
        for n, a in enumerate(self.actions, start=1):
            for c in a.contacts:
                reach = c.portal or c.email or c.postal_address or "no channel confirmed"
                flag = "" if c.verified else " (unconfirmed)"
                notes.append(f"{n}. {c.name}: {reach}{flag}")
        # Prose is wrapped here, never inside a word: a regulator's URL or an id a note
        # names stays whole (on a line of its own where it is longer than the line).
        buffer = io.StringIO()
        console = Console(file=buffer, width=width, no_color=True, highlight=False, emoji=False)
        from rich.padding import Padding

        console.print(Padding(t, (0, 0, 0, 2)))
        heading = (
            f"Notification plan for {self.incident_id}, as of "
            f"{format_timestamp(self.as_of)} (every time at {offset_name(self.as_of)})"
        )
        lines = [
            wrap(calendar_line(self.first_line()), width),
            "",
            wrap(calendar_line(heading), width),
            "",
            *(line.rstrip() for line in buffer.getvalue().splitlines()),
        ]
        if notes:
            lines += ["", *(wrap("  " + calendar_line(note), width) for note in notes)]
        return "\n".join(lines).rstrip() + "\n"

    def _local(self, moment: datetime) -> str:
        """A moment as the table shows it: in the offset of ``as_of`` (the incident's),
        whatever zone the law's own day ended in, so that one column never mixes zones."""
        return in_offset_of(moment, self.as_of).strftime("%Y-%m-%d %H:%M")

    def first_line(self) -> str:
        """What to do first: the action serving the obligation
        :func:`breachrules.views.first.first_to_do` puts first (the earliest due notice a
        waiting period does not hold back; on a tie, the obligation id), with the time
        left or overdue, and the held actions that wait for it."""
        if self.actions and all(a.kind != "notice" or a.sent_at for a in self.actions):
            kept = [f"{a.title} ({a.party})" for a in self.actions if a.kind != "notice"]
            sent = (
                ["every notice is recorded as sent"] if any(a.sent_at for a in self.actions) else []
            )
            return "Nothing to send; " + "; ".join([*sent, *kept])
        first = next((a for a in self.actions if self.first in a.obligations), None)
        if first is None:
            return "Nothing to send."
        moment = self.first_due
        if moment is None:
            if first.status == "required":
                return f"Do first: {first.title} ({first.party}), owed without a fixed period."
            return _if_required(first, "owed without a fixed period")
        n = self.actions.index(first) + 1
        when = "now" if moment == self.as_of and first.due != moment else _left(moment, self.as_of)
        if first.asap_for and when != "now":  # a part with no fixed period: owed sooner
            laws = first.asap_for
            under = ", ".join(laws) if len(laws) <= 3 else f"{len(laws)} laws, see the note"
            when = f"as soon as possible ({under}), {when} at the latest"
        if first.status != "required":
            return _if_required(first, when, f"#{n} ")
        held = [
            str(self.actions.index(a) + 1)
            for a in self.actions
            if any(o in a.waits_for for o in first.obligations)
        ]
        after = f"; #{', #'.join(held)} wait{'s' if len(held) == 1 else ''} for it" if held else ""
        # A conditional notice due sooner: the facts that decide it come first too.
        sooner = [
            a
            for a in self.actions
            if a.status != "required" and a.sent_at is None and a.due is not None and a.due < moment
        ]
        if sooner and (facts := _facts(sooner[0])):
            m = self.actions.index(sooner[0]) + 1
            after += f"; establish {', '.join(facts)}: #{m}, if required, is due sooner"
        return f"Do first: #{n} {first.title} ({first.party}), {when}{after}."


def _if_required(first: Action, when: str, number: str = "") -> str:
    """The first line when no notice is required on the facts given: a conditional notice
    is not one to send now, so what comes first is to establish the facts it waits on."""
    action = f"{number}{first.title} ({first.party}), {when}"
    facts = _facts(first)
    if not facts:
        return f"Do first, if it is required: {action}."
    return f"Establish first: {', '.join(facts)}; it decides {action}."


def _dates(facts: tuple[str, ...]) -> str:
    """What facts that only date an action do: not whether it is owed, but from when."""
    return (
        f"{', '.join(facts)} {'dates' if len(facts) == 1 else 'date'} it (not whether it is owed)"
    )


def _facts(action: Action) -> list[str]:
    """The facts to establish that an action waits on (a notice of one's own to be sent
    is not one)."""
    return [f for f in action.waits_on if not is_sending(f)]


def _left(due: datetime | None, as_of: datetime) -> str:
    if due is None:
        return "asap"
    seconds = int((due - as_of).total_seconds())
    days, rest = divmod(abs(seconds), 86400)
    text = f"{days}d {rest // 3600}h" if days else f"{rest // 3600}h {(rest % 3600) // 60}m"
    return f"OVERDUE by {text}" if seconds < 0 else f"{text} left"


def _title(o: Obligation, group: list[Obligation] | None = None) -> str:
    if o.recipient == "individuals":
        # A US letter one state's law alone calls for names that state ("(US-CT)"); a
        # letter serving several names its population ("(US)"), the FOR column each.
        places = {g.jurisdiction for g in group or [o]}
        who = population(o.jurisdiction)
        if who == "US" and len(places) == 1 and len(place := places.pop()) == 5:
            who = place
        return f"{_LABELS['individuals']} ({who})"
    if o.recipient in _UPSTREAM:
        return f"Notice to {o.recipient_party or o.recipient.replace('_', ' ')}"
    if o.recipient == "law_enforcement" and (o.recipient_name or o.recipient_contacts):
        return f"Notice to {o.addressee}"  # which agencies: the law names them
    if o.recipient in _LABELS:
        return _LABELS[o.recipient]
    return f"Notice to {o.addressee}"  # the one name every view gives the recipient


def _duty_titles(group: list[Obligation]) -> str:
    """The titles of the duties an action serves, as their rulesets give them (the first
    reason of each obligation is its own rule's, "<title>: <finding>")."""
    titles = [
        r.text.rsplit(": ", 1)[0]
        for o in group
        for r in o.reasons[:1]
        if r.rule == o.id and ": " in r.text
    ]
    return "; ".join(dict.fromkeys(titles))


def population(jurisdiction: str) -> str:
    """The people one letter to individuals can serve, for ``jurisdiction``'s code.

    US state and federal laws share a letter (their content rules merge into one letter
    with state paragraphs, as US practice does); Quebec writes in French under its own
    rules; every other law's people (a country, the EU, the UK) get their own letter,
    in their language and under their law's content rules.
    """
    if jurisdiction == "CA-QC":
        return "CA-QC"
    return jurisdiction.split("-", 1)[0]


def _key(o: Obligation) -> tuple[str, str, str]:
    performer = o.performed_by or o.party
    if o.kind != "notice":  # its own action, never merged into a notice to the recipient
        return (performer, o.kind, o.id)
    if o.recipient == "individuals":
        return (performer, "individuals", population(o.jurisdiction))
    if o.recipient in _UPSTREAM:
        return (performer, "upstream", o.recipient_party or o.recipient)
    if o.recipient == "consumer_reporting_agencies":
        return (performer, o.recipient, "")  # one notice to the bureaus serves every state
    return (performer, o.recipient, o.recipient_name or o.jurisdiction)


def _notes(group: list[Obligation], due: datetime | None) -> list[str]:
    notes: list[str] = []
    for o in group:
        for r in o.reasons:
            if "law enforcement asked for a delay" in r.text:
                # The reason says how the delay ends where the law restarts its period or
                # gives one after the agency's word, or cuts the delay short; otherwise
                # the notice is due when the delay ends (it said "the clock resumes then",
                # which a reader took for time left after it: UT12 F5).
                said = ("the law caps the delay", "runs again", "is then due within")
                tail = "" if any(s in r.text for s in said) else "; it is due when the delay ends"
                notes.append(f"{o.jurisdiction}: {r.text}{tail} ({r.citation})")
        if o.jurisdiction == "contract" and o.due is not None and due == o.due:
            statutory = [g for g in group if g.jurisdiction != "contract"]
            if statutory and all(g.due is None for g in statutory):
                # "Without undue delay" has no fixed period to be stricter than.
                notes.append(
                    f"{o.basis} sets a fixed period; the statutory duty has none "
                    f"({_statutory_words(statutory)})"
                )
            elif statutory and all(g.due is None or g.due > o.due for g in statutory):
                notes.append(f"{o.basis} is stricter than the statutory deadline")
        wait = o.deadline.not_before
        if wait is not None and o.status != "not_required":
            start = (
                format_timestamp(o.not_before)
                if o.not_before is not None
                else f"a date not known yet ({', '.join(o.missing_facts)})"
            )
            notes.append(
                f"{o.jurisdiction}: not to be sent before {start}: {wait['text']} "
                f"({wait.get('citation', o.basis)})"
            )
        if o.performed_by:
            notes.append(f"sent by {o.performed_by} for {o.party} under a contract")
        if o.basis.startswith(POLICY_BASIS):
            notes.append(
                f"{o.jurisdiction}: a company policy's duty, not a statute's "
                f"({o.basis.removeprefix(POLICY_BASIS)})"
            )
    return list(dict.fromkeys(notes))


def _statutory_words(statutory: list[Obligation]) -> str:
    """The laws' own words for periods they do not fix, with the provisions saying them."""
    by_text: dict[str, list[str]] = {}
    for g in statutory:
        if g.due is None:
            by_text.setdefault(g.deadline.text, []).append(g.basis)
    return "; ".join(
        f"{text}: {', '.join(dict.fromkeys(bases))}" for text, bases in by_text.items()
    )


def _sooner_if_required(group: list[Obligation], due: datetime | None) -> list[str]:
    """A conditional notice merged into a required one whose own date is sooner: the
    action is due on the required date, but the sooner one binds once it is required."""
    return [
        f"{o.jurisdiction}: due sooner, {format_timestamp(o.due)}, if it is required "
        f"(it waits on {', '.join(o.missing_facts) or 'open facts'}) ({o.basis})"
        for o in group
        if o.status == "conditional"
        and o.due is not None
        and due is not None
        and o.due < due
        and any(g.status == "required" for g in group)
    ]


def _action(
    key: tuple[str, str, str],
    group: list[Obligation],
    as_of: datetime,
    rank: dict[str, int] | None = None,
) -> Action:
    required = [o for o in group if o.status == "required"]
    decisive = required or group
    dated = [o for o in decisive if o.due is not None]
    first = min(dated, key=lambda o: o.due or as_of) if dated else decisive[0]
    due = first.due if dated else None
    contents = tuple(dict.fromkeys(c for o in group for c in o.content_requirements))
    waiting = [o for o in group if o.deadline.not_before is not None]  # none is not_required
    unsent = tuple(
        dict.fromkeys(
            o.waits_for or (o.missing_facts[-1] if o.missing_facts else o.id)
            for o in waiting
            if o.not_before is None
        )
    )
    dated_waits = [o.not_before for o in waiting if o.not_before is not None]
    conditional = [o for o in group if o.status == "conditional"]
    sending = [m for o in conditional for m in o.missing_facts if is_sending(m)]
    order = rank or {}
    waits = tuple(
        dict.fromkeys(
            sorted(
                (m for o in conditional for m in deciding(o)),
                key=lambda m: order.get(m, len(order)),
            )
            + sending
        )
    )
    dated_by = tuple(dict.fromkeys(m for o in group if o.sent_at is None for m in dates_only(o)))
    sent = [o.sent_at for o in group]
    sent_at = max(sent) if all(sent) else None  # type: ignore[type-var]
    deadline, undated = _deadline(group, first, due)
    after = first.due_after(first.follows) if dated and first.follows else None
    return Action(
        key=":".join(part for part in key if part),
        title=_NOT_SENT[key[1]][0] if key[1] in _NOT_SENT else _title(group[0], group),
        party=key[0],
        recipient=group[0].recipient,
        status="required" if required else "conditional",
        due=due,
        deadline=deadline,
        jurisdictions=tuple(dict.fromkeys(o.jurisdiction for o in group)),
        obligations=tuple(o.id for o in group),
        bases=tuple(dict.fromkeys(o.basis for o in group)),
        contents=contents,
        waits_on=waits,
        conditional_for=tuple(
            dict.fromkeys(
                o.jurisdiction
                for o in group
                if o.status == "conditional"
                and not any(r.jurisdiction == o.jurisdiction for r in required)
            )
        ),
        notes=tuple(
            _undated_note(undated, first) + _notes(group, due) + _sooner_if_required(group, due)
        ),
        overdue=False if after and sent_at is None else _overdue(due, sent_at, as_of),
        contacts=tuple({c.id: c for o in group for c in o.recipient_contacts}.values())
        if group[0].kind == "notice"
        else (),
        kind=group[0].kind,
        sent_at=sent_at,
        held_for_law_enforcement=tuple(
            dict.fromkeys(
                o.jurisdiction
                for o in group
                if any("law enforcement asked for a delay" in r.text for r in o.reasons)
            )
        ),
        not_before=max(dated_waits) if dated_waits and not unsent else None,
        waits_for=unsent,
        asap_for=tuple(dict.fromkeys(o.jurisdiction for o in undated if o.status == "required")),
        dated_by=tuple(m for m in dated_by if m not in waits),
        due_after=after,
    )


def _overdue(due: datetime | None, sent_at: datetime | None, as_of: datetime) -> bool | None:
    """Whether the action is, or was, past its due time: a sent one was late if it went
    out after it (as ``assess`` says of its obligations); an unsent one is overdue once
    ``as_of`` passes it. Undated: ``None``."""
    if due is None:
        return None
    return sent_at > due if sent_at is not None else as_of > due


def _deadline(
    group: list[Obligation], first: Obligation, due: datetime | None
) -> tuple[str, list[Obligation]]:
    """The action's deadline in words, and its parts with no fixed period.

    Where one part sets a date and another has none ("immediately", "without undue
    delay", "in an expeditious manner"), the stricter word is never hidden behind the
    date: ``immediately after discovering the breach (US-TX); at the latest 2026-12-20
    23:59 (US-NY: within thirty days ...)``. A conditional part says "if required"."""
    undated = [o for o in group if o.due is None and o.sent_at is None] if due else []
    if due is None or not undated:
        return first.deadline.text, []
    words: dict[str, list[str]] = {}
    for o in sorted(undated, key=lambda o: o.status != "required"):
        label = o.jurisdiction if o.status == "required" else f"{o.jurisdiction} if required"
        words.setdefault(o.deadline.text, []).append(label)
    parts = [f"{text} ({', '.join(labels)})" for text, labels in words.items()]
    latest = f"at the latest {due:%Y-%m-%d %H:%M} ({first.jurisdiction}: {first.deadline.text})"
    return "; ".join([*parts, latest]), undated


def _undated_note(undated: list[Obligation], first: Obligation) -> list[str]:
    """The note of an action whose date is only the latest: who owes it sooner, in the
    law's words."""
    if not undated:
        return []
    words: dict[str, list[str]] = {}
    for o in sorted(undated, key=lambda o: o.status != "required"):
        name = o.jurisdiction + ("" if o.status == "required" else " if required")
        until = delayed_until(o)
        if until is not None:  # not before the delay law enforcement asked for (UT12 F6)
            ends = in_offset_of(until, first.due) if first.due else until
            name += f", once the law-enforcement delay ends ({ends:%Y-%m-%d %H:%M})"
        words.setdefault(name, []).append(f'"{o.deadline.text}"')
    who = [f"{j} ({'; '.join(dict.fromkeys(w))})" for j, w in words.items()]
    due = f"{first.due:%Y-%m-%d %H:%M}" if first.due else ""
    return [
        f"owed as soon as possible under {', '.join(who)}: no fixed period; {due} is the "
        f"latest date ({first.jurisdiction})"
    ]


def _owed_everyone(
    assessment: Assessment, built: list[tuple[Action, list[Obligation]]]
) -> list[tuple[Action, list[Obligation]]]:
    """A letter's note naming the duties to individuals of the party's other letters
    whose law counts every affected person, wherever they live (DORA's and the GDPR's for
    an entity established in the Union): they are owed to this letter's people too, and
    its draft carries them (:mod:`breachrules.views.notices`)."""
    letters = [(a, g) for a, g in built if a.kind == "notice" and a.recipient == "individuals"]
    if len(letters) < 2:
        return built
    from breachrules.engine.audit import counts_everyone

    everyone = {
        j: counts_everyone(assessment.audit, j)
        for j in {o.jurisdiction for _, g in letters for o in g}
    }
    out = []
    for a, g in built:
        if any(a is b for b, _ in letters):
            owed = list(  # once each: a part for people no own letter reaches shares them
                dict.fromkeys(
                    o.id
                    for b, h in letters
                    if b is not a and b.party == a.party
                    for o in h
                    if everyone[o.jurisdiction] and o.jurisdiction not in a.jurisdictions
                )
            )
            if owed:
                note = (
                    f"also owed to these people: {', '.join(owed)} (their laws count every "
                    "affected person, wherever they live); the letter carries them too"
                )
                a = attrs.evolve(a, notes=(*a.notes, note))
        out.append((a, g))
    return out


def _uncovered(
    assessment: Assessment,
    given: list[Obligation],
    groups: dict[tuple[str, str, str], list[Obligation]],
) -> dict[tuple[str, str, str], tuple[list[Obligation], list[Obligation]]]:
    """The letters for people whose own law's letter is not required while a letter of
    the same party under a law counting every affected person, wherever they live,
    still goes (Singapore's and Australia's for an owner established there): by key,
    the population's own not-required duties and the duties that reach them. Without
    it, a "no harm likely" finding under PIPEDA dropped 1,600 Canadians from the plan
    and the drafts, though those laws' letters go to them (UT13 F14)."""
    from breachrules.engine.audit import counts_everyone

    def letter(o: Obligation) -> bool:
        return o.recipient == "individuals" and o.kind == "notice"

    out: dict[tuple[str, str, str], tuple[list[Obligation], list[Obligation]]] = {}
    for o in given:
        if not letter(o) or o.status != "not_required" or o.deemed_compliance is not None:
            continue
        performer = o.performed_by or o.party
        key = (performer, "individuals", population(o.jurisdiction))
        if key in groups or any(
            letter(p) and p.jurisdiction == o.jurisdiction and p.status != "not_required"
            for p in given
        ):
            continue  # a letter of its own goes to them
        reaching = [
            p
            for p in given
            if letter(p)
            and p.status != "not_required"
            and (p.performed_by or p.party) == performer
            and counts_everyone(assessment.audit, p.jurisdiction)
        ]
        if reaching:
            out.setdefault(key, ([], reaching))[0].append(o)
    return out


def _part_of(action: Action, own: list[Obligation]) -> Action:
    """``action`` as the part of the letter of laws counting everyone for ``own``'s
    population, saying whose letter is not required and why it goes all the same."""
    who = action.key.rsplit(":", 1)[-1]
    laws = ", ".join(action.jurisdictions)
    note = (
        f"the part of the letter under {laws} for the people of {who}: their own law's "
        f"letter is not required on these facts ({', '.join(o.id for o in own)}), but "
        f"{laws} count every affected person, wherever they live, so the letter goes to "
        "them too; its sending is recorded under those laws' obligations"
    )
    return attrs.evolve(
        action,
        title=f"{_LABELS['individuals']} ({who})",
        part_for=who,
        notes=(note, *action.notes),
    )


def _under_procedures(o: Obligation) -> Action:
    """The action for a letter excused only because it goes out under the party's
    procedures (deemed compliance): still one to send, recorded as its obligation id, so
    that a notice the law times from it runs from its sending."""
    d = o.deemed_compliance
    assert d is not None
    return Action(
        key=f"{o.performed_by or o.party}:deemed:{o.id}",
        title=action_title(o),
        party=o.performed_by or o.party,
        recipient=o.recipient,
        status="required",
        due=None,
        deadline=f"as {WHOSE[d.procedures]} procedures provide (in place of the law's own period)",
        jurisdictions=(o.jurisdiction,),
        obligations=(o.id,),
        bases=(o.basis,),
        notes=(
            f"the letter follows {WHOSE[d.procedures]} procedures (deemed compliance, "
            f"{d.citation}): the law's own notice is replaced by the notice under them, not "
            f"dropped; its content and timing are those procedures'; record it as sent as {o.id}",
        ),
        contacts=o.recipient_contacts,
        sent_at=o.sent_at,
    )


def _as_sent_by(given: Iterable[Obligation], as_of: datetime) -> list[Obligation]:
    """The obligations as they stood at ``as_of``: a sending recorded after it is judged
    as not yet made (docs/contract.md), so the plan never shows a notice sent in its
    future."""
    return [
        attrs.evolve(o, sent_at=None) if o.sent_at is not None and o.sent_at > as_of else o
        for o in given
    ]


def _by_sending(
    groups: dict[tuple[str, str, str], list[Obligation]],
) -> dict[tuple[str, str, str], list[Obligation]]:
    """Each group split by when its notices were sent, so that each keeps its own state.

    One letter may serve several laws; once part of it has gone out (the CA and NY letters)
    and part has not (a Texas letter owed later), they are no longer one thing to send: the
    sent part is done, on time or late by its own due date, and the rest is still owed by
    its own. The part still to send (else the last sent) keeps the action's key, so that a
    calendar's to-do stays the same one; every other part's key names when it was sent."""
    out: dict[tuple[str, str, str], list[Obligation]] = {}
    for key, group in groups.items():
        parts: dict[datetime | None, list[Obligation]] = {}
        for o in group:
            parts.setdefault(o.sent_at, []).append(o)
        keeps = None if None in parts else max(m for m in parts if m is not None)
        for moment, part in parts.items():
            if moment == keeps:
                out[key] = part
            else:
                assert moment is not None  # only a sent part is renamed
                sent = f"sent-{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}"
                out[key[0], key[1], f"{key[2]}:{sent}" if key[2] else sent] = part
    return out


def _exclusive(
    built: list[tuple[Action, list[Obligation]]],
) -> list[tuple[Action, list[Obligation]]]:
    """A note on each of two actions that exclude each other (HHS's 500-or-more notice
    and its annual log for fewer, both conditional): one of #4, #5, never both
    (:mod:`breachrules.views.exclusive`)."""
    where = {o.id: n for n, (_, g) in enumerate(built, 1) for o in g}
    everything = [o for _, g in built for o in g]
    out = []
    for a, g in built:
        notes = [
            exclusion_words(o, f"#{where[p.id]} ({p.id})")
            for o in g
            for p in excluded_by(o, everything)
        ]
        out.append((attrs.evolve(a, notes=(*a.notes, *notes)) if notes else a, g))
    return out


def plan(assessment: Assessment, obligations: Iterable[Obligation] | None = None) -> Plan:
    """Group the live obligations of ``assessment`` into actions ordered by due time."""
    groups: dict[tuple[str, str, str], list[Obligation]] = {}
    given = _as_sent_by(
        obligations if obligations is not None else assessment.obligations, assessment.as_of
    )
    for o in given:
        if o.status != "not_required":
            key = _key(o)
            # Two duties of one law to one recipient (a preliminary and a final report,
            # a notice and a copy of a determination) are two notices, never one action:
            # the second goes to an action of its own, keyed by its obligation id. The
            # letter to individuals is the exception: a law's offer of services to them
            # is made in its notice ("with the notice to individuals").
            if key[1] != "individuals" and any(
                g.jurisdiction == o.jurisdiction for g in groups.get(key, ())
            ):
                key = (key[0], key[1], f"{key[2]}:{o.id}" if key[2] else o.id)
            groups.setdefault(key, []).append(o)
    parts = _uncovered(assessment, given, groups)
    groups |= {key: reaching for key, (_, reaching) in parts.items()}
    groups = _by_sending(groups)
    rank = {u.fact: n for n, u in enumerate(ranked_facts(assessment))}
    built = [
        (
            _part_of(action, parts[k][0]) if k in parts else action,
            g,
        )
        for k, g in groups.items()
        for action in [_action(k, g, assessment.as_of, rank)]
    ]
    built += [(_under_procedures(o), [o]) for o in under_procedures(given)]

    def order(pair: tuple[Action, list[Obligation]]) -> tuple[bool, float, bool, str]:
        # views.first's order: due time (none last), required first, then the id of the
        # obligation that sets the action's due time (the tie-break assess uses too).
        a, group = pair
        decisive = [o for o in group if (o.status == "required") == (a.status == "required")]
        tied = [o.id for o in decisive if o.due == a.due] or [o.id for o in group]
        moment = a.due.timestamp() if a.due else 0.0
        return (a.due is None, moment, a.status != "required", min(tied))

    built.sort(key=order)
    # Two notices of one party to one recipient (a notice and a copy of the consumer
    # notice form): each is labelled by what it is, its obligations' titles.
    seen: dict[tuple[str, str], int] = {}
    for a, _ in built:
        seen[a.party, a.title] = seen.get((a.party, a.title), 0) + 1
    built = [
        (attrs.evolve(a, title=_duty_titles(g) or a.title), g)
        if a.kind == "notice" and seen[a.party, a.title] > 1
        else (a, g)
        for a, g in built
    ]
    built = _owed_everyone(assessment, built)
    built = _exclusive(built)
    pick = first_to_do((o for g in groups.values() for o in g), assessment.as_of)
    return Plan(
        assessment.incident_id,
        assessment.as_of,
        tuple(a for a, _ in built),
        first=pick[0].id if pick else None,
        first_due=pick[1] if pick else None,
    )


bind("assessment.plan", plan)
