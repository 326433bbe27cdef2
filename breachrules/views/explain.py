"""Explanations a lawyer can check line by line against the statute.

:func:`explain` turns one obligation (``"US-CA:notify-attorney-general"``) or one
jurisdiction's determination (``"US-CA"``) into plain text: the version of the law
applied, each rule in the order it was applied with its citation, what it found and the
facts it read with their values, the due date and how it was reckoned, and what is still
unknown. Everything comes from the assessment itself, so an explanation of a stored
assessment document says exactly what was decided then.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from breachrules.engine.audit import reason_facts
from breachrules.model.bindings import bind
from breachrules.model.decisions import POLICY_BASIS
from breachrules.model.timestamps import format_timestamp, in_offset_of, offset_name
from breachrules.views.deemed import explanation
from breachrules.views.fact_words import NOT_GIVEN, not_given
from breachrules.views.unverified import applied_ruleset, unverified_lines, unverified_points

if TYPE_CHECKING:
    from collections.abc import Iterable

    from breachrules.law.ruleset import Ruleset
    from breachrules.model.decisions import Assessment, Contact, Determination, Obligation, Reason

__all__ = ["explain"]

DISCLAIMER = "breachrules supports counsel's judgment; it is not legal advice."


def _value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _steps(reasons: tuple[Reason, ...], assessment: Assessment, code: str) -> list[str]:
    lines: list[str] = []
    for n, reason in enumerate(reasons, start=1):
        lines.append(f"  {n}. {reason.text}")
        lines.append(f"     [{reason.citation}]")
        # A reason about many exposures names their fields; the audit holds the values.
        facts = reason_facts(assessment.audit, code, reason)
        for path, value in facts.items():
            shown = NOT_GIVEN if not_given(path, value) else _value(value)
            lines.append(f"       {path} = {shown}")
    return lines


def _basis(basis: str) -> str:
    """The basis as a sentence says it: a policy's is called policy, not statute."""
    if basis.startswith(POLICY_BASIS):
        return f"{basis.removeprefix(POLICY_BASIS)} (a company policy, not statute)"
    return basis


def own_statute(o: Obligation) -> str | None:
    """The act a duty is owed under, where its ruleset names one beside the law the
    ruleset is named for (Washington's RCW 42.56.590 for agencies beside RCW 19.255 for
    businesses; California's Civ. Code § 1798.29 beside § 1798.82): the obligation's
    ``law``, from the rule's ``law:``. None: the ruleset's own law applies."""
    return None if o.law is None else f"{o.law.name}, {o.law.citation}"


def _law(assessment: Assessment, code: str, duty: Obligation | None = None) -> list[str]:
    for ref in assessment.rulesets:
        if ref.code == code:
            reviewed = f"; ruleset last reviewed {ref.last_reviewed}" if ref.last_reviewed else ""
            statute = own_statute(duty) if duty is not None else None
            if statute is not None and duty is not None:
                return [
                    f"Law applied: {statute} (the act {duty.id} is owed under; the {code} "
                    f"ruleset encodes it beside {ref.name or code}, {ref.citation}), version "
                    f"in force from {ref.version}{reviewed}."
                ]
            applied = (
                "Policy applied (a company policy, not law)"
                if ref.kind == "policy"
                else "Law applied"
            )
            # A law's act, then the version's note; a policy's own reference alone.
            name = f"{ref.name}; " if ref.name and ref.kind != "policy" else ""
            return [
                f"{applied}: {name}{ref.citation}, version in force from {ref.version}{reviewed}."
            ]
    return [f"Law applied: no version of the {code} ruleset reached this incident."]


def _determination(
    assessment: Assessment, d: Determination, statute: str | None = None
) -> list[str]:
    steps = _steps(d.reasons, assessment, d.jurisdiction)
    lines = [f"Is it a breach under {d.jurisdiction}? {d.status}", *steps]
    if statute is not None:  # a duty under another act: the breach is the ruleset's, as cited
        lines[0] += (
            f" (the ruleset's breach steps, cited to the law it is named for; the duty "
            f"above is owed under {statute})"
        )
    if d.missing_facts:
        lines.append("  Still unknown: " + ", ".join(d.missing_facts))
    if d.presumed_unless:
        lines.append(
            "  Presumed: the law presumes a breach until it is shown otherwise; what would "
            "rebut it: " + ", ".join(d.presumed_unless)
        )
    return lines


def _obligation(assessment: Assessment, o: Obligation) -> list[str]:
    if o.due is not None:
        when = f"due {format_timestamp(o.due)}"
    elif o.status == "not_required":
        when = "no notice owed"
    else:
        when = "no fixed due date"
    d = o.deadline
    period = (
        f"{d.hours} hours"
        if d.hours is not None
        else f"{d.days} {'business' if d.business_days else 'calendar'} days"
        if d.days is not None
        else f"{d.months} calendar month{'s' if d.months != 1 else ''}"
        if d.months is not None
        else "no fixed period"
    )
    if d.hours is not None:
        # Hours run from the anchor's exact moment to the same clock time: a convention for
        # counting days (the first day excluded, ending with the last day) never applies.
        period += (
            ", ending at the same clock time as the moment they run from (not counted in"
            " whole days)"
        )
    elif d.counting:
        period += (
            f", first day {d.counting['first_day']}, ending "
            + (
                "at the end of the last day"
                if d.counting["ends"] == "end_of_day"
                else "at the same time"
            )
            + (f" [{d.counting['citation']}]" if "citation" in d.counting else "")
        )
    lines = [
        f"Obligation {o.id}: {o.status}, {when}.",
        _who(o),
        f'  Deadline: "{d.text}" ({period}, from {d.from_}'
        + (f", {d.calendar} holidays" if d.calendar else "")
        + ").",
    ]
    lines += _whose_day(assessment, o)
    if d.cap:
        amount = (
            f"{d.cap['hours']} hours (to the same clock time)"
            if "hours" in d.cap
            else f"{d.cap.get('days')} days"
        )
        lines.append(f"  But no later than {amount} from {d.cap['from']}.")
    if d.or_when:
        name = d.or_when.removeprefix("sent:")
        lines.append(f"  Or, if sooner, when {name} is sent (notices_sent).")
    if d.not_before:
        start = format_timestamp(o.not_before) if o.not_before else "a moment not known yet"
        lines.append(
            f"  Not before {start}: {d.not_before['text']}"
            + (f" [{d.not_before['citation']}]" if "citation" in d.not_before else "")
            + "."
        )
    if o.overdue:
        lines.append("  Overdue at the time of the assessment.")
    lines += _moved_through(assessment, o)
    lines.append("Why")
    lines += _steps(o.reasons, assessment, o.jurisdiction)
    if o.missing_facts:
        lines.append("  Still unknown: " + ", ".join(o.missing_facts))
    if o.deemed_compliance is not None:  # excused only because it goes under procedures
        lines.append(explanation(o))
    if o.kind == "notice":  # a record or an assessment is sent to no one
        lines += contact_lines(o.recipient_contacts)
    if o.substitute_notice is not None:
        s = o.substitute_notice
        lines.append(f"Substitute notice [{s.citation}]: {s.text}")
    if o.content_requirements:
        lines.append(f"What the {_NOUN.get(o.kind, 'notice')} must contain")
        lines += [f"  - {item}" for item in o.content_requirements]
    return lines


_DELAYED = "law enforcement asked for a delay"


def _moved_through(assessment: Assessment, o: Obligation) -> list[str]:
    """A clock that runs from another notice (``from: notice_to_individuals`` or
    ``sent:<id>``) moves when a law-enforcement delay moves that notice: say so, naming
    the notice it follows and the delay, since this duty's own reasons do not."""
    d = o.deadline
    if d.from_ != "notice_to_individuals" and not d.from_.startswith("sent:"):
        return []
    named = d.from_.removeprefix("sent:") if d.from_.startswith("sent:") else None
    named = named or (d.or_when.removeprefix("sent:") if d.or_when else None)
    mine = [x for x in assessment.obligations if x.jurisdiction == o.jurisdiction and x is not o]
    followed = [
        x
        for x in mine
        if (x.id.split(":", 1)[1] == named if named else x.recipient == "individuals")
    ]
    for x in followed:
        held = next((r.text for r in x.reasons if _DELAYED in r.text), None)
        if held is not None:
            return [
                f"  Moved by a law-enforcement delay through the notice it follows: {x.id} "
                f"({held.split(';')[0]}), so this notice, counted from that one, is due "
                + (f"{format_timestamp(o.due)} too." if o.due else "no sooner either.")
            ]
    return []


def _whose_day(assessment: Assessment, o: Obligation) -> list[str]:
    """Where the period ended with the law's own day (docs/deadlines.md "Whose day"): the
    due time is in the law's zone, not the reporter's, so say so in words, with the same
    moment in the offset the tables show every due in."""
    zone, due = o.deadline.time_zone, o.due
    if zone is None or due is None:
        return []
    try:
        own = due.astimezone(ZoneInfo(zone))
    except (ValueError, KeyError, OSError):  # a zone this machine cannot look up
        return []
    if own.utcoffset() != due.utcoffset() or due.utcoffset() == assessment.as_of.utcoffset():
        return []  # the reporter's day ended first, or both days end together
    shown = in_offset_of(due, assessment.as_of)
    return [
        f"  Whose day: ends with the end of {own.day} {own:%B} in {zone}, before the "
        f"reporter's day ends ({shown:%Y-%m-%d %H:%M} at {offset_name(shown)})."
    ]


_NOUN = {"notice": "notice", "record": "record", "assessment": "assessment"}


def _who(o: Obligation) -> str:
    """Who does what under which provision; of a duty not owed, who *would* (never "shop
    notifies ..." under a line that says no notice is owed)."""
    if o.status == "not_required":
        return (
            f"  Not owed on these facts; if it were, {o.party} would be the one who "
            f"{_duty_words(o)} under {_basis(o.basis)}."
        )
    return f"  {o.party} {_duty_words(o)} under {_basis(o.basis)}."


def _duty_words(o: Obligation) -> str:
    """What the party does: notifies a recipient, or keeps a record, or completes an
    assessment. A record is never worded as a notice: "notifies the Commissioner" would
    tell a reader a report is due when only a record is (PIPEDA s. 10.3)."""
    to = o.addressee
    if o.kind == "record":
        return f"keeps this record (not a notice: nothing is sent unless asked; {to})"
    if o.kind == "assessment":
        return "completes this assessment itself (not a notice: nothing is sent)"
    return f"notifies {to}"


def explain(assessment: Assessment, subject: str, rulesets: Iterable[Ruleset] | None = None) -> str:
    """Plain-text explanation of an obligation id or a jurisdiction code.

    ``rulesets``: where to find the applied law's ``verified: false`` marks (default: the
    bundled rulesets; a ruleset whose text differs from the one applied shows none).
    Raises KeyError when the assessment has no such obligation or determination.
    """
    code = subject.split(":", 1)[0]
    lines: list[str] = [
        f"Incident {assessment.incident_id}, assessed as of {format_timestamp(assessment.as_of)}"
    ]
    if code == CONTRACT:
        # A contract's notice (``contract:<id>:notify-owner``): no law of its own; it is
        # owed while a law finds a breach (conditional while one is undetermined).
        obligation = assessment.obligation(subject)
        lines += [f"Contract applied: {obligation.basis} (the incident's contracts[]).", ""]
        lines += _obligation(assessment, obligation)
        lines += ["", *_contract_trigger(assessment), "", DISCLAIMER]
        return "\n".join(lines) + "\n"
    duty = assessment.obligation(subject) if ":" in subject else None
    lines += _law(assessment, code, duty)
    lines.append("")
    statute = None
    if duty is not None:
        lines += _obligation(assessment, duty)
        lines.append("")
        statute = own_statute(duty)
    lines += _determination(assessment, assessment.determination(code), statute)
    if duty is None:
        lines += _duties_read(assessment, code)
    lines += _unverified(assessment, code, duty, rulesets)
    lines += ["", DISCLAIMER]
    return "\n".join(lines) + "\n"


def _unverified(
    assessment: Assessment,
    code: str,
    duty: Obligation | None,
    rulesets: Iterable[Ruleset] | None,
) -> list[str]:
    """The unverified points the explained result rests on (UT13 F17): an obligation's
    own and its law's determination's; a determination's and each of its duties'."""
    ruleset = applied_ruleset(assessment, code, rulesets)
    ref = next((r for r in assessment.rulesets if r.code == code), None)
    if ruleset is None or ref is None or not ruleset.unverified:
        return []
    names: list[str | None] = [duty.id.split(":", 1)[1]] if duty is not None else []
    names.append(None)
    if duty is None:
        names += [o.id.split(":", 1)[1] for o in assessment.obligations if o.jurisdiction == code]
    points = [p for n in names for p in unverified_points(ruleset, ref.version, n)]
    block = unverified_lines(dict.fromkeys(points), code)
    return ["", *block] if block else []


def _duties_read(assessment: Assessment, code: str) -> list[str]:
    """Each of the law's duties with its result and the facts its rules read (each one
    step by step: ``explain INCIDENT CODE:<id>``)."""
    duties = [o for o in assessment.obligations if o.jurisdiction == code]
    if not duties:
        return []
    lines = ["", f"Its duties and the facts their rules read (explain {code}:<id> for each)"]
    for o in duties:
        read = list(dict.fromkeys(p for r in o.reasons for p in reason_facts_paths(r)))
        unknown = f"; still unknown: {', '.join(o.missing_facts)}" if o.missing_facts else ""
        said = ", ".join(read) if read else "no fact beyond the breach"
        why = _why_not(o)
        lines.append(f"  {o.id}: {o.status}{why}; reads {said}{unknown}")
    if all(o.status == "not_required" for o in duties) and any(
        d.jurisdiction == code and d.status == "undetermined" for d in assessment.determinations
    ):
        lines.append(
            f"  No duty of {code} is owed on these facts, whatever the facts still unknown "
            "decide: they decide only whether it is a breach."
        )
    return lines


def _why_not(o: Obligation) -> str:
    """Why a duty is not required, in its deciding reason's words (an exception that
    applies, else its rule not met): "not_required; reads parties[0].types" alone does
    not say that New Mexico's Act steps aside for a HIPAA covered entity (UT12 F2). An
    exception that only may apply (its facts unknown, or a presumption not yet rebutted)
    decides nothing when the rule is not met: New Jersey's CRA notice below 1,000 people
    is not required for the count, not for the misuse finding still to be made."""
    if o.status != "not_required" or not o.reasons:
        return ""
    exceptions = [r for r in o.reasons if r.rule.startswith(f"{o.id}:")]
    applies = [r for r in exceptions if f": {_APPLIES}" in r.text]
    own = [r for r in o.reasons if r.rule == o.id]
    deciding = applies or own[:1] or o.reasons[1:] or o.reasons[:1]
    r = deciding[-1]
    return f" ({r.text} [{r.citation}])"


#: The word an exception's reason says when it holds (``engine.truth.EXCEPTION_WORDS``).
_APPLIES = "applies"


def reason_facts_paths(reason: Reason) -> list[str]:
    """The facts a reason's rule read: its own, and the exposure fields it names."""
    return [*reason.facts, *(f"exposures[].{f}" for f in reason.exposure_facts)]


bind("assessment.explain", explain)

#: The jurisdiction word of a contract's obligations (``contract:<id>:notify-owner``).
CONTRACT = "contract"


def _contract_trigger(assessment: Assessment) -> list[str]:
    """Which laws' determinations make a contract's notice owed."""
    breach = [d.jurisdiction for d in assessment.determinations if d.status == "breach"]
    open_ = [d.jurisdiction for d in assessment.determinations if d.status == "undetermined"]
    if breach:
        return [
            "Owed because a law finds a breach: " + ", ".join(breach) + " (the contract's "
            "notice is owed whenever the incident is a breach under a law that reaches it)."
        ]
    if open_:
        return [
            "Conditional: no law finds a breach yet; undetermined under " + ", ".join(open_) + "."
        ]
    return ["Not owed: no law that reaches the incident finds a breach."]


def contact_lines(contacts: Iterable[Contact]) -> list[str]:
    """How to reach each recipient, from the regulator directory, in plain text."""
    lines: list[str] = []
    for c in contacts:
        lines.append(f"How to reach {c.name}" + (f" ({c.scope})" if c.scope else ""))
        for label, value in (
            ("portal", c.portal),
            ("email", c.email),
            ("post", c.postal_address),
            ("phone", c.phone),
        ):
            if value:
                lines.append(f"  {label}: {value}")
        if c.form_fields:
            lines.append("  the form asks for: " + "; ".join(c.form_fields))
        checked = "read on" if c.verified else "NOT confirmed on the regulator's own page; see"
        lines.append(f"  {checked} {c.source} (directory reviewed {c.last_reviewed})")
        if not c.verified and c.note:
            lines.append(f"  note: {c.note}")
    return lines
