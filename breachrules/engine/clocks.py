"""The clocks stage: when each notice is due, from its anchor, under its law's calendar.

A deadline runs from a clock anchor (discovery, the breach determination, a ransom
payment, the third-party agent's determination ...), from the notice to individuals, from
another obligation's due date or from its sending (``notices_sent``); a ``cap`` is "but no
later than"; a law-enforcement delay moves the notices the law lets it delay, and ends as
that law says (at the delay's end, the period run again, or a fixed period after the
agency's word), never past the law's cap on it (:mod:`breachrules.engine.delays`).
Where the anchor's fact is unknown and the ruleset gives ``if_unknown``, the clock runs
from the earliest moment the law allows for it, and a reason says so: counsel get the
earliest lawful date rather than none. "Or when that notice is provided, whichever is
sooner" (``or_when: sent:<id>``) ends the period at that notice's recorded sending, if it
comes first, and is silent while the notice is not sent. A clock may run from a dated fact the
ruleset declares (``from: "fact:<name>"``: a regulator's order, received at). A waiting
period (``not_before``) bars an early notice and moves no due date. Periods in hours, calendar days,
business days or months are counted by :func:`breachrules.law.calendars.due_at`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

import attrs

from breachrules.engine.build import positional
from breachrules.engine.delays import CappedDelay, cap_words, capped_delay, unwritten
from breachrules.engine.facts import LEGACY, finding_for
from breachrules.engine.results import Case
from breachrules.law.calendars import due_at, end_of_day
from breachrules.law.ruleset import Deadline as DeadlineRule
from breachrules.law.ruleset import DeadlineVariant, ObligationRule, Ruleset
from breachrules.model.decisions import Reason
from breachrules.model.timestamps import format_timestamp, parse_timestamp

#: ``Reason(...)``, every field given (see ``engine.build``): a clock's reasons are made
#: per duty of every assessment (a law-enforcement delay, an anchor not known yet).
_reason = positional(Reason)

__all__ = [
    "Anchors",
    "anchors",
    "awareness_of",
    "delay_reason",
    "due",
    "for_party",
    "not_before",
    "variant_for",
]

#: Each clock anchor's moment, with the incident field that gives it.
Anchors = Mapping[str, tuple[datetime | None, str]]


def anchors(case: Case) -> dict[str, tuple[datetime | None, str]]:
    """Each clock anchor's moment for ``case``, with the incident field that gives it."""
    inc, cls = case.incident, case.incident.classification
    return {
        "discovery": (inc.discovered_at, "discovered_at"),
        "occurrence": (inc.occurred_at, "occurred_at"),
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
        "agent_determination": _agent_determination(case),
    }


def _agent_determination(case: Case) -> tuple[datetime | None, str]:
    """When the breached party (a third-party agent, a processor) determined the breach,
    or had reason to believe it occurred: its ``parties[].determined_at``."""
    index = case.incident.parties.index(case.breached)
    return case.breached.determined_at, f"parties[{index}].determined_at"


def _owner_awareness(case: Case) -> tuple[datetime | None, str]:
    """When the owner (controller, covered entity) became aware: its own discovery when it
    is the breached party, else when the provider serving it told it."""
    return awareness_of(case, case.owner.id)


def awareness_of(case: Case, party: str) -> tuple[datetime | None, str]:
    """When ``party`` became aware: the discovery when it is the breached party, else its
    ``parties[].told_at``. The ``owner_awareness`` of a ``by: owner`` duty that falls on
    the bound party (a manufacturer breached as its customer's provider): its duty, so
    its own awareness, never its customer's (which may come later, or not be known)."""
    if party == case.breached.id:
        return case.incident.discovered_at, "discovered_at"
    index, found = next((n, p) for n, p in enumerate(case.incident.parties) if p.id == party)
    return found.told_at, f"parties[{index}].told_at"


def due(
    case: Case,
    moments: Anchors,
    ruleset: Ruleset,
    ob: ObligationRule,
    individual_due: datetime | None,
    dues: Mapping[str, datetime | None],
    sent_held_until: datetime | None = None,
) -> tuple[datetime | None, list[str], list[Reason]]:
    """When ``ob`` is due, the facts its clock still needs, and reasons (a delay).

    ``sent_held_until``: for a clock that runs from another notice as sent, the moment a
    law-enforcement delay holds that notice back to; its earliest lawful date is counted
    from no sooner (a copy due 15 days after the letters is not due before they may go).
    """
    when, missing, reasons = _due(case, moments, ruleset, ob, individual_due, dues, sent_held_until)
    if ob.deadline.or_when is not None:
        when = _or_when_sent(case, ruleset, ob, when, reasons)
    return when, missing, reasons


def _or_when_sent(
    case: Case, ruleset: Ruleset, ob: ObligationRule, when: datetime | None, reasons: list[Reason]
) -> datetime | None:
    """ "Or when <that notice> is provided, whichever is sooner" (``or_when: sent:<id>``):
    the recorded sending ends the period if it comes first, a law-enforcement delay
    included (the words set no later moment than the sending); a reason says so. While
    that notice is not recorded as sent the period stands, and nothing is missing: the
    sending is a moment still to come, not a fact the assessment lacks."""
    name = ob.deadline.or_when_sent
    assert name is not None  # the loader accepts only ``sent:`` here
    key = name if ":" in name else f"{ruleset.code}:{name}"
    sent = case.incident.notices_sent.get(key)
    if sent is None or (when is not None and when <= sent):
        return when
    sent = sent.astimezone(case.tz)
    reasons.append(
        Reason(
            ob.rule.id,
            f"due {format_timestamp(sent)}, when {key} was sent (notices_sent), sooner than "
            f"the period would end: {ob.deadline.text}",
            ob.deadline.citation or ob.rule.citation,
        )
    )
    return sent


def _due(
    case: Case,
    moments: Anchors,
    ruleset: Ruleset,
    ob: ObligationRule,
    individual_due: datetime | None,
    dues: Mapping[str, datetime | None],
    sent_held_until: datetime | None,
) -> tuple[datetime | None, list[str], list[Reason]]:
    """:func:`due` before ``or_when``: the period, its cap and a law-enforcement delay."""
    d = ob.deadline
    delay = case.incident.law_enforcement.delay_requested_until
    if d.days is None and d.hours is None and d.months is None:  # not ``d.fixed``
        if ob.law_enforcement_delay and delay is not None:
            # No fixed period to move, but the request still matters: say so, with the
            # law's cap on the delay where it has one.
            written = case.incident.law_enforcement.delay_in_writing  # see delays.unwritten
            said = unwritten(ob, delay, written) or delay_reason(ob, delay, fixed=False)
            return None, [], [said]
        return None, [], []
    reasons: list[Reason] = []
    when, missing, start = _clock(case, moments, ruleset, d, individual_due, dues)
    if when is None and missing and d.if_unknown:
        when, start, reason = _earliest(case, moments, ruleset, ob, missing)
        if start is not None and sent_held_until is not None and sent_held_until > start:
            start = sent_held_until.astimezone(case.tz)
            when = case.due_at(ruleset, d, start)
            reason = Reason(
                ob.rule.id,
                f"{reason.text if reason else ''}; the notice it runs from is held back by a "
                f"law-enforcement delay until {format_timestamp(start)}, so the period is "
                "counted from then",
                d.citation or ob.rule.citation,
            )
        reasons += [reason] if reason is not None else []
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
    capped: CappedDelay | None = None
    if when is not None and ob.law_enforcement_delay and delay is not None and delay > when:
        capped = capped_delay(case, ruleset, ob, when, delay)
        if capped is not None:
            missing += capped.missing
            if capped.until is None or capped.until <= when:
                # The law's cap leaves no delay past the law's own date (or cannot be
                # dated): the earlier lawful date stands, and the reason says why.
                reasons.append(capped.reason(ob, delay, when))
                return when, missing, reasons
            delay = capped.until
    if when is not None and ob.law_enforcement_delay and delay is not None:
        if capped is not None:
            when = _after_delay(case, ruleset, ob, delay)
            asked = case.incident.law_enforcement.delay_requested_until
            reasons.append(capped.reason(ob, asked, when))
        elif delay > when:
            when = _after_delay(case, ruleset, ob, delay)
            reasons.append(delay_reason(ob, delay))
        elif ob.delay is not None and ob.delay.ends == "after":
            # A law that gives a fixed period after the agency's word gives it whenever the
            # notice was delayed; where that ends before the law's own date, the earlier
            # date is shown (Md. Code, Com. Law § 14-3504(d)(2)).
            after = _after_delay(case, ruleset, ob, delay)
            if after < when:
                when = after
                reasons.append(delay_reason(ob, delay))
    return when, missing, reasons


def not_before(
    case: Case,
    moments: Anchors,
    ruleset: Ruleset,
    ob: ObligationRule,
    individual_due: datetime | None,
    dues: Mapping[str, datetime | None],
) -> tuple[datetime | None, list[str], list[Reason]]:
    """The earliest moment ``ob`` may be given under its law's waiting period, the facts
    that would date it, and the reason that says so (none without a waiting period).

    A waiting period moves no due date: it bars an early notice (a carrier "shall not
    notify customers ... until 7 full business days have passed after notification to
    the USSS and the FBI", 47 CFR 64.2011(b)(1)). Where the moment it runs from is not
    known, the notice waits for it: no date, and the reason says what it waits for.
    """
    wait = ob.deadline.not_before
    if wait is None:
        return None, [], []
    when, missing, _ = _clock(case, moments, ruleset, wait, individual_due, dues)
    if when is None:
        if wait.sent_of is not None:
            unknown = f"{', '.join(missing)}: the notice it waits for is not recorded as sent"
        else:
            unknown = f"{', '.join(missing) or _anchor_words(wait.anchor)} not known yet"
        text = f"not to be given before: {wait.text} ({unknown})"
    else:
        text = f"not to be given before {format_timestamp(when)}: {wait.text}"
    return when, missing, [_reason(ob.rule.id, text, wait.citation or ob.rule.citation, {}, ())]


def _anchor_words(name: str) -> str:
    """A clock's anchor as prose: a moment of the incident in words (``breach
    determination``); a ruleset's fact or a notice sent (``fact:<name>``, ``sent:<id>``)
    as written, because an identifier is copied into incidents and searched for."""
    return name if ":" in name else name.replace("_", " ")


def _earliest(
    case: Case, moments: Anchors, ruleset: Ruleset, ob: ObligationRule, missing: list[str]
) -> tuple[datetime | None, datetime | None, Reason | None]:
    """The earliest lawful due date when the anchor's fact is unknown (``if_unknown``):
    counted from the first known moment the unknown one cannot precede. A stand-in that
    is itself unknown is skipped, and its fact joins ``missing`` (knowing it would give a
    later, truer date)."""
    d = ob.deadline
    for name in d.if_unknown:
        anchor, field = _moment(case, moments, ruleset, name)
        if anchor is None:
            missing.append(field)
            continue
        when = case.due_at(ruleset, d, anchor)
        text = (
            f"{', '.join(missing)} not known: the earliest lawful due date is shown, "
            f"counted from {_anchor_words(name)} ({field})"
        )
        if d.if_unknown_text:
            text += f"; {d.if_unknown_text}"
        return when, anchor, _reason(ob.rule.id, text, d.citation or ob.rule.citation, {}, ())
    return None, None, None


def _after_delay(case: Case, ruleset: Ruleset, ob: ObligationRule, delay: datetime) -> datetime:
    """When a delayed notice is due, as its law ends the delay (``law_enforcement_delay``)."""
    rule = ob.delay
    local = delay.astimezone(case.tz)
    if rule is None or rule.ends == "end_of_delay":
        return local
    if rule.ends == "restart":  # the law's own period, counted again from the agency's word
        clock = attrs.evolve(ob.deadline, cap=None)
    else:  # "after": a fixed period after the agency's word, counted as the law counts
        clock = attrs.evolve(
            ob.deadline,
            days=rule.days,
            hours=rule.hours,
            months=None,
            business_days=rule.business_days,
        )
    return due_at(clock, local, case.tz, ruleset.holidays, ruleset.time_zone) or local


def _clock(
    case: Case,
    moments: Anchors,
    ruleset: Ruleset,
    d: DeadlineRule,
    individual_due: datetime | None,
    dues: Mapping[str, datetime | None],
) -> tuple[datetime | None, list[str], datetime | None]:
    """When one clock runs out and when it started, or None with the missing fact."""
    name = d.anchor
    found = moments.get(name)
    if found is not None:  # the common case: a moment of the incident (no ``sent:`` ...)
        anchor, field = found
        if anchor is None:
            return None, [field], None
        return case.due_at(ruleset, d, anchor), [], anchor
    sent = d.sent_of
    if sent is not None:
        # Runs from when that notice was actually sent, which the incident records; a
        # qualified name is another law's notice (``sent:US-HIPAA:notify-secretary``).
        key = sent if ":" in sent else f"{ruleset.code}:{sent}"
        moment = case.incident.notices_sent.get(key)
        if moment is None:
            return None, [f"notices_sent.{key}"], None
        return case.due_at(ruleset, d, moment), [], moment
    target = d.chained_to
    if target is not None:
        # Runs from another notice's due date; if that has none, neither has this.
        start = dues.get(target)
        if start is None:
            return None, [], None
        return case.due_at(ruleset, d, start), [], start
    if d.anchor == "notice_to_individuals":
        if individual_due is None:
            return None, [], None
        return (
            case.due_at(ruleset, d, individual_due),
            [],
            individual_due,
        )
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
        return case.due_at(ruleset, d, made), [], made
    anchor, field = _moment(case, moments, ruleset, d.anchor)
    if anchor is None:
        return None, [field], None
    return case.due_at(ruleset, d, anchor), [], anchor


def _moment(
    case: Case, moments: Anchors, ruleset: Ruleset, name: str
) -> tuple[datetime | None, str]:
    """A clock anchor's moment and the field that gives it: one of ``moments``, or a dated
    fact the ruleset declares (``fact:<name>``, read from ``facts.<CODE>.<name>``: a
    regulator's order received at; checked against its declaration before assessing)."""
    if not name.startswith("fact:"):
        return moments[name]
    fact = name.removeprefix("fact:")
    value = (case.incident.facts.get(ruleset.code) or {}).get(fact)
    moment = parse_timestamp(value) if value is not None else None
    return moment, f"facts.{ruleset.code}.{fact}"


def delay_reason(ob: ObligationRule, delay: datetime, *, fixed: bool = True) -> Reason:
    """The reason shown on a notice that law enforcement asked to delay (within the law's
    cap, if it has one; ``fixed`` False: a notice with no fixed period, where the cap is
    only named)."""
    text = (
        f"law enforcement asked for a delay until {format_timestamp(delay)}; "
        "this notice may wait until then"
    )
    rule = ob.delay
    if rule is not None and rule.ends == "restart":
        text += ", and the law's period then runs again from the agency's word"
    elif rule is not None and rule.ends == "after":
        unit = "business days" if rule.business_days else "days"
        period = f"{rule.hours} hours" if rule.hours is not None else f"{rule.days} {unit}"
        text += f", and is then due within {period} of the agency's word"
    if rule is not None and rule.longest is not None:
        if fixed:
            text += f"; the law's cap on the delay ({rule.longest.text}) does not cut it short"
        else:
            text += f"; {cap_words(rule.longest)}"
    return _reason(ob.rule.id, text, ob.law_enforcement_delay or "", {}, ())


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
