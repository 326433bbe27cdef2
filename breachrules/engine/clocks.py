"""The clocks stage: when each notice is due, from its anchor, under its law's calendar.

A deadline runs from a clock anchor (discovery, the breach determination, a ransom
payment ...), from the notice to individuals, or from another obligation's due date; a
``cap`` is "but no later than"; a law-enforcement delay moves the notices the law lets it
delay. Periods in hours, calendar days or business days are counted by
:func:`breachrules.law.calendars.due_at`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

import attrs

from breachrules.engine.facts import LEGACY, finding_for
from breachrules.engine.results import Case
from breachrules.law.calendars import due_at, end_of_day
from breachrules.law.ruleset import Deadline as DeadlineRule
from breachrules.law.ruleset import DeadlineVariant, ObligationRule, Ruleset
from breachrules.model.decisions import Reason
from breachrules.model.timestamps import format_timestamp

__all__ = ["Anchors", "anchors", "delay_reason", "due", "for_party", "variant_for"]

#: Each clock anchor's moment, with the incident field that gives it.
Anchors = Mapping[str, tuple[datetime | None, str]]


def anchors(case: Case) -> dict[str, tuple[datetime | None, str]]:
    """Each clock anchor's moment for ``case``, with the incident field that gives it."""
    inc, cls = case.incident, case.incident.classification
    return {
        "discovery": (inc.discovered_at, "discovered_at"),
        "breach_determination": (inc.breach_determined_at, "breach_determined_at"),
        "materiality_determination": (
            inc.materiality_determined_at,
            "materiality_determined_at",
        ),
        "ransom_payment": (inc.ransom_paid_at, "ransom_paid_at"),
        "classification": (cls.classified_at, "classification.classified_at"),
        "bank_determination": (cls.bank_determined_at, "classification.bank_determined_at"),
        "nydfs_determination": (cls.nydfs_determined_at, "classification.nydfs_determined_at"),
        "calendar_year_end": (
            end_of_day(date(case.day.year, 12, 31), case.tz),
            "discovered_at",
        ),
        "owner_awareness": _owner_awareness(case),
    }


def _owner_awareness(case: Case) -> tuple[datetime | None, str]:
    """When the owner (controller, covered entity) became aware: its own discovery when it
    is the breached party, else when the provider serving it told it."""
    if case.owner.id == case.breached.id:
        return case.incident.discovered_at, "discovered_at"
    index = case.incident.parties.index(case.owner)
    return case.owner.told_at, f"parties[{index}].told_at"


def due(
    case: Case,
    moments: Anchors,
    ruleset: Ruleset,
    ob: ObligationRule,
    individual_due: datetime | None,
    dues: Mapping[str, datetime | None],
) -> tuple[datetime | None, list[str], list[Reason]]:
    """When ``ob`` is due, the facts its clock still needs, and reasons (a delay)."""
    d = ob.deadline
    delay = case.incident.law_enforcement.delay_requested_until
    if d.days is None and d.hours is None:
        if ob.law_enforcement_delay and delay is not None:
            # No fixed period to move, but the request still matters: say so.
            return None, [], [delay_reason(ob, delay)]
        return None, [], []
    when, missing, start = _clock(case, moments, ruleset, d, individual_due, dues)
    if d.cap is not None:
        cap, cap_missing, _ = _clock(case, moments, ruleset, d.cap, individual_due, dues)
        # "But no later than": the earlier clock wins, except that a clock which only
        # starts after the cap has run out is not cut short by it (DORA: an incident
        # classified as major more than 24 hours after awareness is due 4 hours after
        # classification, Delegated Regulation (EU) 2025/301 Art. 5(2)).
        if cap is not None and (when is None or cap < when) and not (start and start > cap):
            when = cap
        elif cap is None:
            missing += cap_missing
    reasons: list[Reason] = []
    if when is not None and ob.law_enforcement_delay and delay is not None and delay > when:
        when = delay.astimezone(case.tz)
        reasons.append(delay_reason(ob, delay))
    return when, missing, reasons


def _clock(
    case: Case,
    moments: Anchors,
    ruleset: Ruleset,
    d: DeadlineRule,
    individual_due: datetime | None,
    dues: Mapping[str, datetime | None],
) -> tuple[datetime | None, list[str], datetime | None]:
    """When one clock runs out and when it started, or None with the missing fact."""
    target = d.chained_to
    if target is not None:
        # Runs from another notice's due date; if that has none, neither has this.
        start = dues.get(target)
        if start is None:
            return None, [], None
        return due_at(d, start, case.tz, ruleset.holidays), [], start
    if d.anchor == "notice_to_individuals":
        if individual_due is None:
            return None, [], None
        return due_at(d, individual_due, case.tz, ruleset.holidays), [], individual_due
    if d.anchor == "risk_finding":
        codes = (ruleset.code, *ruleset.risk_test_same_as)
        used, finding = finding_for(case, codes)
        made = finding.made_at if finding is not None and used != LEGACY else None
        if made is None:
            return (
                None,
                [f"risk.findings.{used if used not in (None, LEGACY) else codes[0]}.made_at"],
                None,
            )
        return due_at(d, made, case.tz, ruleset.holidays), [], made
    anchor, field = moments[d.anchor]
    if anchor is None:
        return None, [field], None
    return due_at(d, anchor, case.tz, ruleset.holidays), [], anchor


def delay_reason(ob: ObligationRule, delay: datetime) -> Reason:
    """The reason shown on a notice that law enforcement asked to delay."""
    return Reason(
        ob.rule.id,
        f"law enforcement asked for a delay until {format_timestamp(delay)}; "
        "this notice may wait until then",
        ob.law_enforcement_delay or "",
    )


def variant_for(ob: ObligationRule, types: Sequence[str]) -> DeadlineVariant | None:
    """The period the law sets for a party of ``types``, if it sets one (first match)."""
    for v in ob.deadline.variants:
        if set(v.party_types) & set(types):
            return v
    return None


def for_party(ob: ObligationRule, types: Sequence[str]) -> ObligationRule:
    """``ob`` with its deadline's period replaced by the variant for ``types``, if any.

    Only the period changes (days, hours, business days, text); the anchor, a cap and a
    law-enforcement delay stay the general rule's.
    """
    v = variant_for(ob, types)
    if v is None:
        return ob
    d = attrs.evolve(
        ob.deadline, text=v.text, days=v.days, hours=v.hours, business_days=v.business_days
    )
    return attrs.evolve(ob, deadline=d)
