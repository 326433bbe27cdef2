"""The obligations stage: who must notify whom, under each law that found a (possible)
breach, with the reasons, the facts still missing and the due date from the clocks stage.

An obligation is a breach (where the law requires one) and its own condition and none of
its exceptions, in three-valued logic: ``required``, ``not_required`` or ``conditional``
on named facts. A notice owed "to the owner" by a service provider travels up a chain of
providers one tier at a time (relays).

One module, one job: an obligation's status, party, clock and overdue flag are decided
together from one duty, so they stay in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs

from breachrules.engine import clocks
from breachrules.engine.build import positional
from breachrules.engine.compiled import Compiled, Duty
from breachrules.engine.evidence import Evidence
from breachrules.engine.grounds import met_text, unmet_text
from breachrules.engine.places import places_over
from breachrules.engine.reach import Reached
from breachrules.engine.recipients import recipient_contacts
from breachrules.engine.results import Case, Evaluated
from breachrules.engine.truth import (
    STATUS,
    Truth,
    agree,
    and_not,
)
from breachrules.law.calendars import due_at
from breachrules.law.conditions import All, Compare, Node, evaluate, fields_of
from breachrules.law.directory import Entry
from breachrules.law.ruleset import ObligationRule, Ruleset
from breachrules.model.decisions import (
    Deadline,
    DeemedCompliance,
    Obligation,
    Procedures,
    Reason,
    SubstituteNotice,
)

__all__ = ["UPSTREAM", "obligations"]

#: Recipients that are another party of the incident, up the chain of service providers.
UPSTREAM = frozenset({"data_owner", "controller", "covered_entity"})


#: ``Reason(...)`` and ``Obligation(...)``, every field given (see ``engine.build``).
_reason = positional(Reason)
_new_obligation = positional(Obligation)

#: One duty's value, its reasons, the facts that would decide it and the deemed-compliance
#: exception that excuses it, before its clock is read (a plain tuple: made once per duty
#: of every assessment).
_Value = tuple[Truth, list[Reason], list[str], DeemedCompliance | None]

#: The procedure facts a deemed-compliance exception reads, and whose procedures each
#: names: an exception that holds on one of them lets the notice go under those procedures.
_PROCEDURE_FACTS: dict[str, Procedures] = {
    "owner_regulator_procedures": "regulator",
    "breached_party_regulator_procedures": "regulator",
    "owner_notified_under_procedures": "own",
}


def obligations(
    case: Case,
    ev: Evaluated,
    evidence: Evidence,
    moments: clocks.Anchors,
    performer: str | None,
) -> tuple[Obligation, ...]:
    """Every obligation of one evaluated law, relays included, in clock order."""
    c, reached = ev.compiled, ev.reached
    assert c is not None and reached is not None
    breach: Truth = {"breach": True, "not_breach": False}.get(ev.breach.status)
    individual_due: datetime | None = None
    dues: dict[str, datetime | None] = {}
    out: list[Obligation] = []
    for duty in c.duties:
        if duty.dated and not duty.ob.in_force(case.day):
            continue
        v = _value(duty, ev, breach, evidence, reached, c)
        ob = duty.ob
        if ob.deadline.variants:  # a period set for some party types only
            ob = clocks.for_party(ob, _party_types(case, ob.by, reached))
        owed = v[0] is not False
        held = _held_until(case, ev, ob) if ob.deadline.anchor.startswith("sent:") else None
        clock = _moments_for(case, ob.by, reached, moments)
        when, due_missing, due_reasons = clocks.due(
            case, clock, ev.ruleset, ob, individual_due, dues, held
        )
        earliest = None
        if ob.deadline.not_before is not None:
            earliest, wait_missing, wait_reasons = clocks.not_before(
                case, clock, ev.ruleset, ob, individual_due, dues
            )
            if wait_reasons and owed:
                due_missing, due_reasons = due_missing + wait_missing, due_reasons + wait_reasons
        if ob.recipient == "individuals" and individual_due is None:
            individual_due = when
        dues[duty.key] = when if owed else None
        first = _obligation(
            case,
            duty,
            v,
            ev.fact,
            (when, earliest) if owed else (None, None),
            due_missing,
            due_reasons,
            performer,
            ev.ruleset.code,
            reached,
            c.contacts.get(ob.rule.id, ()),
        )
        out.append(first)
        if ob.by == "breached_party" and ob.recipient in UPSTREAM:
            out.extend(_relays(case, first, ob, ev.ruleset))
    return tuple(out)


def _no_order(paths: tuple[str, ...], given: Mapping[str, Mapping[str, Any]]) -> str:
    """What a rule not met (or an exception that holds) says of the regulator's orders it
    reads that the incident does not give: none is recorded, and such a fact reads false
    until given (``until_given: false``, law/declared.py)."""
    absent = [p for p in paths if (given.get(p.split(".")[1]) or {}).get(p.split(".")[2]) is None]
    if not absent:
        return ""
    return (
        "; no order, request or direction of the authority is recorded "
        f"({', '.join(absent)} is not given, and reads false until the incident gives it)"
    )


#: The establishment facts a duty of a state's own public bodies reads, and whose
#: establishment each names in the reason of a duty not met because of it.
_ESTABLISHED = (
    ("owner_established_here", "the owner"),
    ("breached_party_established_here", "the breached party"),
)


def _own_bodies(when: Node, fact: Mapping[str, Any], field: str) -> bool:
    """Whether a rule not met binds only a party established in the law's own places
    (it tests ``field: true``, ``owner_established_here`` or
    ``breached_party_established_here``: a state's own public bodies) and would be met by
    one established there: the establishment is what it turned on."""
    items = when.items if isinstance(when, All) else (when,)
    return (
        any(isinstance(i, Compare) and i.field == field and i.value is True for i in items)
        and evaluate(when, {**fact, field: True}) is True
    )


def _own_link(when: Node, fact: Mapping[str, Any]) -> bool:
    """Whether a rule not met binds only an owner the law reaches by its own link (it reads
    ``owner_targets_here``: GDPR Art. 3, the controller's establishment or its offering)
    and would be met by an owner established in the law's places: the owner's own link is
    what it turned on, not the processor's establishment that brought the law in."""
    return (
        fact.get("owner_established_here") is False
        and "owner_targets_here" in fields_of(when)
        and evaluate(when, {**fact, "owner_established_here": True}) is True
    )


def _value(
    duty: Duty,
    ev: Evaluated,
    breach: Truth,
    evidence: Evidence,
    reached: Reached,
    c: Compiled,
) -> _Value:
    """Whether one duty is owed, its reasons, and the facts that would decide it."""
    ob, truths, affected, fact = duty.ob, ev.truths, ev.affected, ev.fact
    if not ob.requires_breach and ev.whole is not None:
        # No breach needed: the duty reads the whole incident in the law's reach.
        assert ev.whole_truths is not None and ev.whole_fact is not None
        truths, affected, fact = ev.whole_truths, ev.whole, ev.whole_fact
    when = truths.get(duty.step.index)
    # Kleene logic, written out (this runs for every duty of every assessment): the rule
    # and none of its exceptions, and the breach where the duty requires one.
    excs: list[Truth] = list(map(truths.get, duty.exception_indexes))
    exception = _exception(duty, excs)
    if ob.requires_breach:
        last = breach
    elif reached.applies is None:
        last = None  # the law may not reach the incident at all
    else:
        last = True
    value = and_not(when, last, exception)
    rule = ob.rule
    used, referred = evidence.read(duty.step, affected, reached, c)
    if when is True:
        said = met_text(rule, duty.texts[True], fact)
    elif when is False:
        said = unmet_text(rule, duty.texts[False], fact)
    else:
        said = duty.texts[when]
    text = said + places_over(c, duty.step, affected, reached, when)
    if when is False and duty.orders:
        text += _no_order(duty.orders, evidence.case.incident.facts)
    for field, who in _ESTABLISHED:
        if when is False and fact.get(field) is False and _own_bodies(rule.when, fact, field):
            text += (
                f"; {who} is not established in {', '.join(sorted(c.home))}: this duty "
                f"binds {ev.ruleset.code}'s own public bodies"
            )
    if when is False and _own_link(rule.when, fact):
        text += (
            f"; the owner is neither established in {', '.join(sorted(c.home))} nor "
            "offering to affected people there: another party's establishment brings the "
            "law in, but this duty binds only an owner the law reaches itself"
        )
    reasons = [_reason(rule.id, text, rule.citation, used, referred)]
    if exception is not False or None in excs:
        for ex, ex_value, texts, orders in zip(
            duty.exceptions, excs, duty.exception_texts, duty.exception_orders, strict=True
        ):
            if ex_value is not False:
                used, referred = evidence.read(ex, affected, reached, c)
                said = texts[ex_value]
                if ex_value is True and orders:
                    said += _no_order(orders, evidence.case.incident.facts)
                if ex_value is None and ex.rule.rebuttable:
                    said += f"; {_PRESUMED}"
                reasons.append(_reason(ex.rule.id, said, ex.rule.citation, used, referred))
    deemed = _deemed(duty, excs, fact) if exception is True else None
    missing: list[str] = []
    if value is None:
        decided = list(ev.breach.missing)
        if ob.requires_breach and breach is None:
            missing += decided
        elif not ob.requires_breach and reached.applies is None:
            missing += list(reached.missing_facts)
        if when is None:
            missing += evidence.missing(duty.step, fact, affected, c) or decided
            missing += evidence.missing_outside(duty.step, c)
        if exception is None:
            for ex, ex_value in zip(duty.exceptions, excs, strict=True):
                if ex_value is None and not ex.rule.rebuttable:
                    missing += evidence.missing(ex, fact, affected, c) or decided
    return value, reasons, missing, deemed


#: What a rebuttable exception not yet shown adds to its reason.
_PRESUMED = "the law presumes the duty unless this is shown"


def _exception(duty: Duty, excs: list[Truth]) -> Truth:
    """Whether any of the duty's exceptions holds, in three-valued logic. A rebuttable
    exception (``rebuttable: true``: the law owes the duty "unless" the party has shown the
    exception, 17 CFR 248.30(a)(4)(i); HIPAA's low probability of compromise, which New
    York's copy of the notice to the Secretary follows) counts only once it is shown: while
    unknown it does not hold, as for a breach exception, so the duty is owed rather than
    conditional on the very finding the law presumes against."""
    if True in excs:
        return True
    if None not in excs:
        return False
    for ex, value in zip(duty.exceptions, excs, strict=True):
        if value is None and not ex.rule.rebuttable:
            return None
    return False


def _deemed(duty: Duty, excs: list[Truth], fact: dict[str, Any]) -> DeemedCompliance | None:
    """The first exception that holds because the party gives notice under procedures it
    follows (its condition reads a procedure fact that is true): a notice under them
    replaces the law's own. An exception read on both kinds names the one that is true,
    the regulator's first."""
    for ex, ex_value in zip(duty.exceptions, excs, strict=True):
        if ex_value is not True:
            continue
        for name, procedures in _PROCEDURE_FACTS.items():
            if name in ex.reads and fact.get(name) is True:
                return DeemedCompliance(ex.rule.id, ex.rule.citation, procedures)
    return None


def _obligation(
    case: Case,
    duty: Duty,
    v: _Value,
    fact: dict[str, Any],
    moments: tuple[datetime | None, datetime | None],
    due_missing: list[str],
    due_reasons: list[Reason],
    performer: str | None,
    code: str,
    reached: Reached,
    contacts: tuple[Entry, ...] = (),
) -> Obligation:
    """The obligation as the assessment reports it."""
    ob, rule = duty.ob, duty.ob.rule
    value, reasons, missing, deemed = v
    status = STATUS[value]
    due, earliest = moments  # the due date, and the end of a waiting period
    owed = value is not False
    upstream = ob.by == "breached_party" and ob.recipient in UPSTREAM
    deadline = duty.deadline
    variant = (
        clocks.variant_for(ob, _party_types(case, ob.by, reached)) if ob.deadline.variants else None
    )
    if variant is not None:  # a period the law sets for this party's type
        deadline = attrs.evolve(
            deadline,
            text=variant.text,
            days=variant.days,
            hours=variant.hours,
            business_days=variant.business_days,
        )
    if deadline.cap is not None or deadline.counting is not None or deadline.not_before is not None:
        deadline = _own_copy(deadline)
    if owed and due_missing:
        missing = missing + due_missing
    chain = case.chain
    if reached.bound is None:  # no party the law binds by name: the owner or the breached
        party = case.owner.id if ob.by == "owner" else case.breached.id
    else:
        party = _party(case, ob.by, reached)
    sent = case.incident.notices_sent.get(rule.id) if case.incident.notices_sent else None
    return _new_obligation(  # every field, in the class's order (made per duty)
        rule.id,
        code,
        party,
        ob.recipient,
        status,
        deadline,
        rule.citation,
        ob.recipient_name,
        due,
        ob.content_requirements if owed else (),
        tuple(dict.fromkeys(missing)) if missing else (),
        # A duty not owed has no due date, so no note on how one was counted.
        (*reasons, *due_reasons) if due_reasons and owed else tuple(reasons),
        _overdue(case.as_of, due, sent, deadline.from_.startswith("sent:") and bool(due_missing)),
        _substitute(ob, fact) if owed and ob.substitute_notice is not None else None,
        chain[1].id if upstream and len(chain) > 1 else None,
        performer if ob.recipient == "individuals" else None,
        recipient_contacts(case, contacts, party) if contacts else (),
        ob.kind,  # checked at load against OBLIGATION_KINDS
        earliest,
        sent,
        ob.law,
        deemed,
    )


def _own_copy(d: Deadline) -> Deadline:
    """``d`` with its own copies of its dicts (cap, counting, waiting period): each
    obligation gets its own, never the compiled law's (made directly: ``attrs.evolve``
    costs several times more, once per obligation of every assessment)."""
    return Deadline(
        d.text,
        d.from_,
        d.days,
        d.hours,
        d.business_days,
        d.calendar,
        None if d.cap is None else dict(d.cap),
        d.months,
        None if d.counting is None else dict(d.counting),
        None if d.not_before is None else dict(d.not_before),
        d.time_zone,
        d.or_when,
    )


def _overdue(
    as_of: datetime, due: datetime | None, sent: datetime | None, unstarted: bool = False
) -> bool | None:
    """Past due and not sent by then: a notice sent by its due time (and by ``as_of``) is
    not overdue; one sent late stays overdue (the audit calls it ``late``); one timed from
    a sending not yet recorded (``unstarted``) never is: its clock has not started (UT11 4)."""
    if due is None or (unstarted and sent is None):
        return None if due is None else False
    return as_of > due and not (sent is not None and sent <= as_of and sent <= due)


def _party(case: Case, by: str, reached: Reached) -> str:
    """Who owes the duty: the owner, the breached party, or the party the ruleset binds.

    A law that names whom it binds (``applies_to``) cannot put the owner's duty on an
    owner it does not bind: when the bound party's breached systems hold a customer's
    data (a registrant's, a financial institution's), ``by: owner`` falls on the bound
    party. A duty of the breached party as such (a processor's notice up the chain)
    stays with it.
    """
    if reached.bound is not None and (
        by == "bound_party" or (by == "owner" and case.owner.id not in reached.bound_parties)
    ):
        return reached.bound
    return case.owner.id if by == "owner" else case.breached.id


def _moments_for(case: Case, by: str, reached: Reached, moments: clocks.Anchors) -> clocks.Anchors:
    """The clock anchors of a duty written ``by``: ``moments``, save that a duty of the
    owner that falls on another party (the party the law binds, when it does not bind the
    owner) runs ``owner_awareness`` from that party's own awareness, not its customer's."""
    party = _party(case, by, reached)
    if by == "breached_party" or party == case.owner.id:
        return moments
    return {**moments, "owner_awareness": clocks.awareness_of(case, party)}


def _party_types(case: Case, by: str, reached: Reached) -> tuple[str, ...]:
    """The types of the party that owes a duty written ``by``: what chooses a deadline
    variant (a small processing agent's doubled period)."""
    party = _party(case, by, reached)
    return next((p.types for p in case.incident.parties if p.id == party), ())


def _relays(
    case: Case, first: Obligation, ob: ObligationRule, ruleset: Ruleset
) -> list[Obligation]:
    """The same duty one tier up a chain of service providers, tier by tier.

    A sub-processor tells its processor, which must then tell the controller: each
    intermediate party learns of the breach at the latest when the tier below had to
    tell it, so its own period runs from that due date (none if the law fixes none).
    """
    chain = case.chain
    out: list[Obligation] = []
    previous = first
    owed = first.status != "not_required"
    for k in range(1, len(chain) - 1):
        tier, above = chain[k], chain[k + 1]
        due = (
            due_at(ob.deadline, previous.due, case.tz, ruleset.holidays, ruleset.time_zone)
            if previous.due is not None and ob.deadline.chained_to is None
            else None
        )
        relay = attrs.evolve(
            first,
            id=f"{first.id}@{tier.id}",
            party=tier.id,
            recipient_party=above.id,
            due=due if owed else None,
            overdue=(case.as_of > due) if due is not None and owed else None,
            reasons=(
                *first.reasons,
                Reason(
                    ob.rule.id,
                    f"{tier.id} serves {above.id}: once told by {previous.party}, it passes "
                    "the notice on under the same rule",
                    ob.rule.citation,
                ),
            ),
        )
        out.append(relay)
        previous = relay
    return out


def _substitute(ob: ObligationRule, fact: dict[str, Any]) -> SubstituteNotice | None:
    rule = ob.substitute_notice
    if rule is None:
        return None
    return SubstituteNotice(
        text=rule.text,
        citation=rule.citation,
        cost_exceeds=rule.cost_exceeds,
        persons_exceed=rule.persons_exceed,
        persons_threshold_met=agree(
            [fact[k] > rule.persons_exceed for k in ("residents_certain", "residents")]
        )
        if rule.persons_exceed is not None
        else None,
    )


def _held_until(case: Case, ev: Evaluated, ob: ObligationRule) -> datetime | None:
    """For a clock that runs from another notice of the same law as sent: the end of the
    law-enforcement delay that holds that notice back, if the law lets it be delayed."""
    sent, delay = ob.deadline.sent_of, case.incident.law_enforcement.delay_requested_until
    if sent is None or ":" in sent or delay is None or ev.law is None:
        return None
    key = f"{ev.ruleset.code}:{sent}"
    held = any(o.rule.id == key and o.law_enforcement_delay for o in ev.law.obligations)
    return delay if held else None
