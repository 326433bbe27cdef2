"""Drafts of the notices to regulators, attorneys general and law-enforcement bodies.

One draft per body the plan notifies: its contact and form fields from the regulator
directory (``Obligation.recipient_contacts``) with each field filled from the incident where
the incident holds the fact, every content item the law requires with its citation, the
incident's facts in one place, and a note where a law wants this notice *before* the
letters to individuals (:func:`goes_first`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs

from breachrules.law.notice_texts import NoticeData
from breachrules.views import notice_facts as nf
from breachrules.views.drafts import Draft, Section

if TYPE_CHECKING:
    from breachrules.model.decisions import Contact, Obligation
    from breachrules.model.facts import Incident
    from breachrules.views.plan import Action

__all__ = ["PUBLIC_BODIES", "goes_first", "regulator_draft"]

#: Recipients that get a draft of their own besides the letters to individuals.
PUBLIC_BODIES = ("regulator", "attorney_general", "law_enforcement")


_FIRST = re.compile(
    r"\b(in advance of|before|prior to) (the )?(giving )?(disclosure|notice|notification)"
    r"( is given| is provided)? to (the |affected )?(customer|individual|consumer|resident)"
)


#: A sentence of a directory note that states a notice's period ("Notice is due within
#: three business days"): it speaks of the duty the note was written for.
_PERIOD = re.compile(
    r"\b(due|within|no later than)\b[^.]{0,40}?\b(hours?|days?|weeks?|months?)\b", re.IGNORECASE
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_ABBREVIATION = re.compile(r"\b[A-Z][a-z]{0,4}\.$")


def _sentences(text: str) -> list[str]:
    """The sentences of a note: never cut inside parentheses or after an abbreviation
    ("(Wis. Stat. § 601.954)")."""
    out: list[str] = []
    for part in _SENTENCE.split(text):
        if out and (out[-1].count("(") > out[-1].count(")") or _ABBREVIATION.search(out[-1])):
            out[-1] += " " + part
        else:
            out.append(part)
    return out


def _contact(contact: Contact, facts: nf.Facts, dated: bool = True) -> dict[str, Any]:
    """The directory's entry for a draft. ``dated`` False: the draft's duty has no fixed
    period, so a sentence of the note stating one (another duty's) is left out."""
    d = attrs.asdict(contact)
    if not dated and d.get("note"):
        kept = [s for s in _sentences(d["note"]) if not _PERIOD.search(s)]
        d["note"] = " ".join(kept) or None
    d["form_fields"] = [
        {"field": f, "value": nf.fill(f, facts) or f"[[{nf.short(f)}]]"}
        for f in contact.form_fields
    ]
    return d


def regulator_draft(
    action: Action,
    obligations: Sequence[Obligation],
    incident: Incident | None,
    data: NoticeData,
    everyone: bool = False,
) -> Draft:
    """The notice to one public body. ``everyone``: a law of the notice counts every
    affected person, wherever they live (it reaches the incident by a party's
    establishment, GDPR Art. 3(1)), so the facts count them all, as the law did."""
    english = data.languages["en"]
    codes = [o.jurisdiction for o in obligations]
    facts = nf.read_facts(incident, action.party, codes, data, everyone=everyone)
    items = [attrs.evolve(i, fill=nf.fill(i.text, facts)) for i in nf.items(obligations)]
    content = [i for i in items if nf.topic(i.text, english) not in ("delivery",)]
    checklist = [i for i in items if nf.topic(i.text, english) == "delivery"]
    name = obligations[0].addressee
    notes: list[str] = []
    first = [o for o in obligations if goes_first(o)]
    if first:
        notes.append(
            "Send this notice before the letters to individuals: "
            + "; ".join(f"{o.id} ({o.deadline.text}; {o.basis})" for o in first)
        )
    if not facts.known:
        notes.append("No incident was given: every fact is a placeholder.")
    summary = [
        f"Incident: {facts.title}."
        if facts.title
        else "Incident: [[short title of the incident]].",
        english.sentences["occurred"].format(date=facts.occurred)
        if facts.occurred
        else english.sentences["occurred_unknown"],
        *_discovery(facts),
        f"Information involved: {', '.join(facts.elements)}."
        if facts.elements
        else "Information involved: [[types of personal information]].",
    ]
    if facts.counts:
        summary.append(
            "People counted in the incident for these laws: "
            + ", ".join(f"{p}: {n}" for p, n in sorted(facts.counts.items()))
            + "."
        )
    sections = (
        Section("facts", "Facts from the incident", None, True, tuple(s for s in summary if s)),
        Section("content", "Required content", None, True, (), tuple(content)),
    )
    title = english.texts["regulator_title"].text.format(recipient=name)
    if action.title != f"Notice to {name}":  # two notices to one body: what each is
        title = action.title
    due = nf.due(obligations)
    return Draft(
        key=f"notice-{nf.slug(action.party, 40)}-{nf.duty_slug(obligations)}",
        kind="regulator",
        title=title,
        title_citation=None,
        party=nf.party_name(incident, action.party),
        recipient=name,
        status=nf.status(obligations),
        due=due,
        deadline=nf.deadline(obligations),
        duties=nf.duties(obligations),
        jurisdictions=tuple(dict.fromkeys(codes)),
        obligations=tuple(o.id for o in obligations),
        language="en",
        sections=sections,
        checklist=tuple(checklist),
        contacts=tuple(_contact(c, facts, due is not None) for c in action.contacts),
        notes=(*notes, *action.notes),
    )


def _discovery(facts: nf.Facts) -> list[str]:
    """When the sender learned of the incident and, apart from it, when the breached
    provider discovered it: a controller's clock runs from its own awareness."""
    if facts.breached_by is None:
        return [
            f"Discovered: {facts.discovered}."
            if facts.discovered
            else "Discovered: [[date of discovery]]."
        ]
    aware = facts.aware or f"[[when {facts.told_by} told you]]"
    return [
        f"Became aware: {aware}, when {facts.told_by} (its service provider) told it.",
        f"Discovered by {facts.breached_by} (the service provider breached): {facts.discovered}.",
    ]


def goes_first(o: Obligation) -> bool:
    """Whether a law requires this notice to a public body *before* the letters to
    individuals (New Jersey's report to the State Police "in advance of the disclosure to
    the customer", Maryland's notice to the Attorney General "before notice is given to
    individuals"), read from the wording of the obligation's deadline."""
    return o.recipient in PUBLIC_BODIES and bool(_FIRST.search(o.deadline.text.lower()))
