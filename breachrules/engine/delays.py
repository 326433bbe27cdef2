"""Caps on law-enforcement delays (``law_enforcement_delay.longest``): how long a law lets
a delay run, and the reason that says so.

Form 8-K Item 1.05(c) and 17 CFR 248.30(a)(4)(iii) allow a delay "up to 30 days following
the date when [the notice] was otherwise required to be provided", longer only on further
determinations; 45 CFR 164.412(b) delays on an oral statement "no longer than 30 days from
the date of the oral statement". A delay asked for past the cap ends at the cap. Facts
that could lift it (the statement in writing, further determinations) are read, when
unknown, for the earlier lawful date and named.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from breachrules.engine.results import Case
from breachrules.law.calendars import due_at
from breachrules.law.ruleset import DelayCap, ObligationRule, Ruleset
from breachrules.model.decisions import Reason
from breachrules.model.reprs import shared_repr
from breachrules.model.timestamps import format_timestamp

__all__ = ["CappedDelay", "cap_words", "capped_delay", "unwritten"]


@shared_repr
@attrs.frozen(repr=False)
class CappedDelay:
    """A law-enforcement delay the law cuts short (``law_enforcement_delay.longest``).

    ``until``: when the longest lawful delay ends, or None where it cannot be dated (the
    agency's statement is not dated); ``missing``: the facts that could give a later lawful
    date; ``words``: what the reason says of them.
    """

    cap: DelayCap
    citation: str
    until: datetime | None
    missing: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    #: The incident's law-enforcement facts the cap read, by contract path.
    facts: tuple[tuple[str, Any], ...] = ()

    def reason(self, ob: ObligationRule, asked: datetime | None, due: datetime) -> Reason:
        """The reason on the notice: the delay asked for, the law's cap, what lifts it."""
        asked_words = f" until {format_timestamp(asked)}" if asked is not None else ""
        # Only a delay that still moves the due date is worded as holding the notice
        # (the plan and the brief read "law enforcement asked for a delay" so).
        held = self.until is not None and self.until >= due
        opening = (
            "law enforcement asked for a delay" if held else "a law-enforcement delay was asked for"
        )
        text = f"{opening}{asked_words}; the law caps the delay: {self.cap.text} ({self.citation})"
        if self.until is None:
            text += "; the law's own due date stands"
        elif self.until < due:
            text += (
                f"; the longest lawful delay ends {format_timestamp(self.until)}, before the "
                "law's own due date, which stands"
            )
        else:
            text += (
                f"; the longest lawful delay ends {format_timestamp(due)}, so this notice is "
                "due then, not at the end of the delay asked for"
            )
        text += "".join(f"; {w}" for w in self.words)
        return Reason(ob.rule.id, text, self.citation, dict(self.facts))


def capped_delay(
    case: Case, ruleset: Ruleset, ob: ObligationRule, due_at_law: datetime, asked: datetime
) -> CappedDelay | None:
    """The delay cut to the law's cap, or None where the law sets none, it does not bind
    (a statement in writing, where only an oral one is capped) or the delay asked for is
    within it. Unknown facts are read for the earlier date, and named."""
    rule = ob.delay
    cap = rule.longest if rule is not None else None
    if rule is None or cap is None:
        return None
    le = case.incident.law_enforcement
    citation = cap.citation or rule.citation
    missing: list[str] = []
    words: list[str] = []
    read: list[tuple[str, Any]] = [("law_enforcement.delay_requested_until", asked)]
    if cap.oral_only:
        read.append(("law_enforcement.delay_in_writing", le.delay_in_writing))
    if cap.anchor == "statement":
        read.append(("law_enforcement.delay_requested_at", le.delay_requested_at))
    if cap.further:
        read.append(("law_enforcement.delay_extensions", le.delay_extensions))
    # A reason's facts are JSON values, as every view and the audit read them.
    facts = tuple((k, format_timestamp(v) if isinstance(v, datetime) else v) for k, v in read)
    if cap.oral_only:
        if le.delay_in_writing:
            return None
        written = (
            "only a written request delays the notice"
            if cap.days == 0
            else "a written statement specifying the time delays the notice for the time "
            "it specifies"
        )
        if le.delay_in_writing is None:
            missing.append("law_enforcement.delay_in_writing")
            words.append(
                "the agency's statement is not recorded as in writing "
                "(law_enforcement.delay_in_writing), so it is read as oral: the earlier "
                f"lawful date is shown; {written}"
            )
        elif cap.days == 0:
            words.append(f"the statement was oral; {written}")
        else:
            words.append(
                "the statement was oral; a written statement specifying the time, submitted "
                "within that period, would delay the notice for the time it specifies"
            )
    start = due_at_law if cap.anchor == "due" else le.delay_requested_at
    if start is None:
        missing.append("law_enforcement.delay_requested_at")
        words.append(
            "when the agency made its statement is not recorded "
            "(law_enforcement.delay_requested_at), so the cap cannot be dated and no "
            "delay past the law's own due date is shown"
        )
        return CappedDelay(cap, citation, None, tuple(missing), tuple(words), facts)
    days: int | None = cap.days
    granted = le.delay_extensions or 0
    for ext in cap.further[:granted]:
        days = None if days is None or ext.days is None else days + ext.days
    if days is None:
        return None  # a recorded extension with no limit: the delay runs as asked
    if cap.further:
        if le.delay_extensions is None:
            missing.append("law_enforcement.delay_extensions")
            words.append(
                "no further determination is recorded (law_enforcement.delay_extensions), "
                "so none is counted: the earlier lawful date is shown"
            )
        elif granted:
            counted = min(granted, len(cap.further))
            words.append(
                f"{granted} further determination(s) recorded: the further period(s) of "
                f"{counted} counted"
                + (f", all the law allows ({len(cap.further)})" if granted > counted else "")
            )
        rest = cap.further[granted:]
        if rest:
            words.append(
                "the law allows further periods, each only on a further determination: "
                + "; ".join(e.text for e in rest)
            )
    if cap.beyond and granted >= len(cap.further):
        words.append(f"beyond that: {cap.beyond}")
    clock = attrs.evolve(
        ob.deadline,
        days=days,
        hours=None,
        months=None,
        business_days=False,
        cap=None,
        variants=(),
    )
    until = due_at(clock, start, case.tz, ruleset.holidays, ruleset.time_zone)
    if until is None or asked <= until:
        return None  # within the cap: the agency's date stands
    return CappedDelay(cap, citation, until, tuple(missing), tuple(words), facts)


def cap_words(cap: DelayCap) -> str:
    """The law's cap on a delay, in words, for a notice with no fixed period to move."""
    text = f"the law caps the delay: {cap.text}"
    if cap.further:
        text += "; further periods, each only on a further determination: " + "; ".join(
            e.text for e in cap.further
        )
    if cap.beyond:
        text += f"; beyond that: {cap.beyond}"
    return text


def unwritten(ob: ObligationRule, delay: datetime, in_writing: bool | None) -> Reason | None:
    """The reason on a notice with no fixed period whose law grants the delay only on a
    written request (a cap of no days for an oral one: "provides the data collector with
    a written request for the delay", 815 ILCS 530/10(b-5)), when the request is not
    recorded as written: it delays nothing. None otherwise."""
    cap = ob.delay.longest if ob.delay is not None else None
    if cap is None or not cap.oral_only or cap.days != 0 or in_writing:
        return None
    said = "is oral" if in_writing is False else "is not recorded as in writing"
    text = (
        f"law enforcement asked for a delay until {format_timestamp(delay)}, but the "
        f"request {said} (law_enforcement.delay_in_writing): {cap.text}"
    )
    return Reason(ob.rule.id, text, ob.law_enforcement_delay or "", {})
