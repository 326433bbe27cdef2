"""What notice drafts read from the incident and the obligations.

The facts a draft fills in (dates, the kinds of information, the party's name, the people
a law counts), each content item of a ruleset split into its text and its citation and
sorted under a topic, and what a regulator's form field or content item can be filled
with. :mod:`breachrules.views.notices` builds the drafts from these.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

import attrs

from breachrules.engine.audit import counts_everyone
from breachrules.law.notice_texts import Language, NoticeData
from breachrules.model.timestamps import format_timestamp
from breachrules.views.drafts import Duty, Item

if TYPE_CHECKING:
    from breachrules.model.decisions import Assessment, Obligation
    from breachrules.model.facts import Incident
    from breachrules.views.plan import Action

__all__ = [
    "Facts",
    "awareness_text",
    "deadline",
    "due",
    "duties",
    "duty_slug",
    "elements",
    "fill",
    "items",
    "owed_everyone",
    "party_name",
    "places",
    "read_facts",
    "short",
    "slug",
    "split_citation",
    "status",
    "topic",
]


def split_citation(item: str) -> tuple[str, str | None]:
    """``"Text (§ 1798.82(d)(2))"`` -> (``"Text"``, ``"§ 1798.82(d)(2)"``); a trailing
    parenthesis is a citation when it holds a digit or a section sign."""
    text = item.rstrip()
    if not text.endswith(")"):
        return text, None
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        if text[i] == ")":
            depth += 1
        elif text[i] == "(":
            depth -= 1
            if depth == 0:
                inner = text[i + 1 : -1]
                if re.search(r"[0-9§]", inner) and i > 0:
                    return text[:i].rstrip(" ;,"), inner
                return text, None
    return text, None


def topic(text: str, english: Language) -> str:
    """The topic of a content item: the first whose words start a word of it ("cause" is
    not in "because")."""
    lowered = text.lower()
    for topic, words in english.classify:
        if _has(lowered, *words):
            return topic
    return "other"


def items(obligations: Sequence[Obligation]) -> list[Item]:
    """Every content item of ``obligations``, once, with its citation and laws."""
    by_text: dict[str, Item] = {}
    for o in obligations:
        for raw in o.content_requirements:
            text, cite = split_citation(raw)
            cite = cite or o.basis
            key = text.lower()
            if key in by_text:
                seen = by_text[key]
                laws = tuple(dict.fromkeys((*seen.jurisdictions, o.jurisdiction)))
                cited = seen.citation if cite in seen.citation else f"{seen.citation}; {cite}"
                by_text[key] = attrs.evolve(seen, jurisdictions=laws, citation=cited)
                continue
            by_text[key] = Item(text, cite, (o.jurisdiction,))
    return list(by_text.values())


def in_code(place: str, code: str, eu_eea: frozenset[str]) -> bool:
    if code.startswith("EU"):
        return place in eu_eea
    return place == code or place.startswith(code + "-")


def places(
    incident: Incident, codes: Iterable[str], eu_eea: frozenset[str], *, everyone: bool = False
) -> dict[str, int]:
    """The incident's residents that ``codes`` count, by place (a federal code such as
    ``US-HIPAA``, which no place carries, counts its country); each place once.
    ``everyone``: every place (a law that reaches the incident by establishment)."""
    everywhere = {p for e in incident.exposures for p in e.residents}
    wanted: set[str] = set(everywhere) if everyone else set()
    for code in dict.fromkeys(codes):
        found = {p for p in everywhere if in_code(p, code, eu_eea)}
        if not found and "-" in code and not code.startswith("EU"):
            country = code.split("-", 1)[0]
            found = {p for p in everywhere if in_code(p, country, eu_eea)}
        wanted |= found
    out: dict[str, int] = {}
    for e in incident.exposures:
        for p, n in e.residents.items():
            if p in wanted:
                out[p] = out.get(p, 0) + n
    return out


def elements(
    incident: Incident, places: Iterable[str], words: Mapping[str, str] | None = None
) -> list[str]:
    """The data elements exposed for the people in ``places``, in the letter's words
    (``words``: ``ssn`` is "Social Security number"), else the element's own name."""
    wanted = set(places)
    words = words or {}
    return list(
        dict.fromkeys(
            words.get(el, el.replace("_", " "))
            for e in incident.exposures
            if wanted & set(e.residents)
            for el in e.elements
        )
    )


def date(moment: datetime | None) -> str | None:
    return moment.date().isoformat() if moment is not None else None


def party_name(incident: Incident | None, party: str) -> str:
    if incident is not None:
        for p in incident.parties:
            if p.id == party:
                return p.name or p.id
    return party


@attrs.frozen
class Facts:
    """What the drafts read from the incident for one group of people (None: unknown)."""

    party: str
    occurred: str | None = None
    #: when the breached party discovered the incident (the incident's ``discovered_at``)
    discovered: str | None = None
    #: where the sender is not the breached party: when the sender itself became aware
    #: (its ``told_at``, the owner-awareness anchor its own clocks run from; None while
    #: unknown), the provider that told it and the provider that was breached
    aware: str | None = None
    told_by: str | None = None
    breached_by: str | None = None
    elements: tuple[str, ...] = ()
    counts: Mapping[str, int] = attrs.Factory(dict)
    delayed_until: str | None = None
    law_enforcement_notified: str | None = None
    title: str | None = None
    known: bool = False


def read_facts(
    incident: Incident | None,
    party: str,
    codes: Iterable[str],
    data: NoticeData,
    *,
    everyone: bool = False,
) -> Facts:
    """The facts for one draft; ``everyone``: count every affected person, wherever they
    live (the law counted them all: it reaches the incident by establishment)."""
    if incident is None:
        return Facts(party=party)
    counts = places(incident, codes, data.eu_eea, everyone=everyone)
    return Facts(
        party=party_name(incident, party),
        occurred=date(incident.occurred_at),
        discovered=date(incident.discovered_at),
        **_awareness(incident, party),
        elements=tuple(elements(incident, counts, data.languages["en"].elements)),
        counts=counts,
        delayed_until=format_timestamp(incident.law_enforcement.delay_requested_until)
        if incident.law_enforcement.delay_requested_until
        else None,
        law_enforcement_notified=date(incident.law_enforcement.notified_at),
        title=incident.title,
        known=True,
    )


def _awareness(incident: Incident, party: str) -> dict[str, str | None]:
    """When the sender learned of the incident, if it is not the breached party: when the
    provider serving it told it (``told_at``), with that provider's and the breached
    party's names. The breached party's own drafts give only its discovery."""
    chain = incident.chain
    ids = [p.id for p in chain]
    if party not in ids[1:]:
        return {}
    sender = chain[ids.index(party)]
    below = chain[ids.index(party) - 1]
    return {
        "aware": format_timestamp(sender.told_at) if sender.told_at is not None else None,
        "told_by": below.name or below.id,
        "breached_by": chain[0].name or chain[0].id,
    }


def awareness_text(facts: Facts) -> str | None:
    """The sender's own awareness and, apart from it, the provider's discovery, for a form
    field asking when the organisation found out (None where the sender was breached)."""
    if facts.breached_by is None:
        return None
    told = facts.aware or "[[when it was told]]"
    return (
        f"{told}, told by {facts.told_by} (its service provider); the incident was "
        f"discovered by {facts.breached_by} (the service provider breached) on "
        f"{facts.discovered}"
    )


def _has(text: str, *words: str) -> bool:
    return any(re.search(r"\b" + re.escape(w), text) for w in words)


def fill(text: str, facts: Facts) -> str | None:
    """What the incident says about a form field or content item, where it says it (the
    words are matched at word starts: "update" is no date)."""
    if not facts.known:
        return None
    t = text.lower()
    if _has(t, "notified", "notice was provided", "sent a disclosure", "have been sent"):
        return None  # what has been sent is the host's record, not the incident's
    counted = ("resident", "individual", "person", "consumer", "principal", "data subject")
    if _has(t, "number") and (_has(t, *counted) or _has(t, "affected", "texans")):
        if not facts.counts:
            return None
        total = sum(facts.counts.values())
        places = ", ".join(f"{p}: {n}" for p, n in sorted(facts.counts.items()))
        return f"{total} ({places}; from the incident)"
    if _has(t, "discover", "became aware", "aware", "found out", "learn"):
        return awareness_text(facts) or facts.discovered
    if _has(t, "law enforcement"):
        if facts.law_enforcement_notified:
            return f"law enforcement notified on {facts.law_enforcement_notified}"
        return None
    if _has(t, "date", "time frame", "period", "when it happened"):
        return facts.occurred
    if _has(
        t,
        "type",
        "categor",
        "kind",
        "items of personal data",
        "personal information concerned",
        "personal data affected",
        "description of the personal",
    ):
        return ", ".join(facts.elements) or None
    if _has(t, "name") and _has(
        t, "organisation", "organization", "business", "entity", "enterprise", "person that"
    ):
        return facts.party
    return None


def short(text: str) -> str:
    first = re.split(r"[.;(]", text, maxsplit=1)[0].strip()
    return first[:80] or "value"


def status(obligations: Sequence[Obligation]) -> str:
    return "required" if any(o.status == "required" for o in obligations) else "conditional"


def dating(obligations: Sequence[Obligation]) -> Obligation:
    """The duty whose due time a draft shows: the earliest dated required one; else the
    earliest dated one of the others, since a letter whose due date exists must show it
    (UT13 F11: a letter required by a law with no fixed period but served under
    Brazil's three business days read "due no fixed date", 21 hours before they ran out);
    else the first required duty (no date to show)."""
    required = [o for o in obligations if o.status == "required"]
    for pool in (required, obligations):
        dated = [o for o in pool if o.due is not None]
        if dated:
            return min(dated, key=lambda o: o.due or datetime.max)
    return (required or list(obligations))[0]


def due(obligations: Sequence[Obligation]) -> datetime | None:
    return dating(obligations).due


def deadline(obligations: Sequence[Obligation]) -> str:
    return dating(obligations).deadline.text


def slug(text: str, limit: int = 60) -> str:
    """``text`` as a file-name part: lower-case words joined by hyphens, cut to ``limit``
    characters only between words (never inside a word or number: "Art. 46" stays
    "art-46"), the first word whole whatever its length."""
    words = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-").split("-")
    out = words[0]
    for word in words[1:]:
        if len(out) + 1 + len(word) > limit:
            break
        out += "-" + word
    return out or "x"


def duty_slug(obligations: Sequence[Obligation], limit: int = 60) -> str:
    """The file-name part naming the duties a notice serves: its laws, then their
    obligations' own names (``EU-DORA:intermediate-report`` is
    ``eu-dora-intermediate-report``); stable while the rulesets' ids are, and told apart
    for each stage of one law's reporting."""
    laws = dict.fromkeys(o.jurisdiction for o in obligations)
    names = dict.fromkeys(o.id.split(":", 1)[-1] for o in obligations)
    return slug("-".join([*laws, *names]), limit)


def duties(obligations: Sequence[Obligation]) -> tuple[Duty, ...]:
    """Each obligation as a duty of a draft, with its own status, due time and deadline."""
    return tuple(Duty(o.id, o.status, o.due, o.deadline.text) for o in obligations)


def owed_everyone(
    assessment: Assessment,
    action: Action,
    group: Sequence[Obligation],
    actions: Sequence[tuple[Action, list[Obligation]]],
) -> list[Obligation]:
    """The duties to individuals of the party's other letters whose law counts every
    affected person, wherever they live (it reaches the incident by the party's
    establishment: DORA's information to clients of an entity in the Union): they are owed
    to this letter's people too, so the letter carries them."""
    own = {o.jurisdiction for o in group}
    found = {  # once each: a part for people no own letter reaches shares them
        o.id: o
        for other, others in actions
        if other is not action and other.recipient == "individuals" and other.party == action.party
        for o in others
        if o.jurisdiction not in own and counts_everyone(assessment.audit, o.jurisdiction)
    }
    return list(found.values())
