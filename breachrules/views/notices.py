"""Notice drafts: one per population that needs its own letter, one per regulator notice.

The assessment already says, per law, what each notice must contain
(``Obligation.content_requirements``, each item with its citation) and the plan already
groups the letters to individuals per population (:func:`breachrules.views.plan.population`).
This view turns each group into a *draft* counsel can edit:

- every content item each applicable law requires, under the heading it belongs to, with
  the item's citation as a reviewer's margin note (a footnote in Markdown and HTML, a
  comment in Word);
- the title and headings a law prescribes where it does (California's "Notice of Data
  Breach" and its five headings), what a law forbids a letter to say (Massachusetts: not
  the nature of the breach, not the number of residents; such people get their own letter),
  and the language a law asks for: written once per language as data beside the rulesets
  (``rulesets/_notices/``), cited, with ``verified: false`` where a text is not the law's
  own; a text that could not be sourced stays in English and the draft says so;
- sentences filled from the incident where it holds the fact, and ``[[placeholders]]``
  where it does not (the hotline, the enrolment code of a credit-monitoring service);
- for a regulator or attorney general, the directory's contact and form fields, filled from
  the incident where possible.

Every draft is marked as a draft for counsel's review: breachrules never sends anything.
Anything that comes from the incident is escaped for the format it is written in
(Markdown, HTML, Word), so a hostile incident cannot inject markup, links or images.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from breachrules.engine.audit import counts_everyone
from breachrules.law.notice_texts import Language, Layout, NoticeData, load_notice_data
from breachrules.model.bindings import bind
from breachrules.views import notice_facts as nf
from breachrules.views.drafts import (
    FORMATS,
    MARKING,
    Draft,
    Item,
    Notices,
    Section,
    markdown_escape,
)
from breachrules.views.plan import population
from breachrules.views.regulator_drafts import PUBLIC_BODIES, goes_first, regulator_draft

if TYPE_CHECKING:
    from breachrules.model.decisions import Assessment, Obligation
    from breachrules.model.facts import Incident
    from breachrules.views.plan import Action

__all__ = [
    "FORMATS",
    "MARKING",
    "Draft",
    "Item",
    "Notices",
    "Section",
    "goes_first",
    "markdown_escape",
    "notices",
]

#: The folder, beside the rulesets, that holds the notice texts and layouts.
#: The five headings used where no law prescribes any (California's, uncited elsewhere).
_DEFAULT_SECTIONS = (
    "what_happened",
    "what_information",
    "what_we_are_doing",
    "what_you_can_do",
    "for_more_information",
)
#: Which sentence each topic writes, in order, once per draft.
_TOPIC_SENTENCES = {
    "happened": ("occurred", "discovered", "description", "law_enforcement"),
    "cause": ("cause",),
    "information": ("information",),
    "consequences": ("consequences",),
    "doing": ("doing", "remedy"),
    "you_can_do": ("you_can_do", "bureaus"),
    "contact": ("contact", "date_of_notice"),
}
#: Topics whose sentences every letter carries; the others only where a law asks for them.
_CORE_TOPICS = ("happened", "information", "doing", "you_can_do", "contact")
_REMEDY_WORDS = (
    "credit monitoring",
    "mitigation services",
    "identity theft prevention and mitigation",
    "identity theft services",
)


# --- building drafts ------------------------------------------------------------------


def _sentence(key: str, facts: nf.Facts, english: Language, context: _LetterContext) -> str | None:
    s = english.sentences
    if key == "occurred":
        return (
            s["occurred"].format(date=facts.occurred) if facts.occurred else s["occurred_unknown"]
        )
    if key == "discovered":
        if facts.breached_by is not None:  # the sender was told: its own date, then theirs
            return s["told"].format(
                aware=facts.aware[:10] if facts.aware else "[[date we were told]]",
                provider=facts.told_by,
                breached=facts.breached_by,
                date=facts.discovered,
            )
        return s["discovered"].format(date=facts.discovered) if facts.discovered else None
    if key == "description":
        return None if "nature_of_breach" in context.omit else s["description"]
    if key == "law_enforcement":
        if facts.delayed_until:
            return s["delayed"].format(date=facts.delayed_until)
        return s["not_delayed"] if context.asks_delay and facts.known else None
    if key == "information":
        if facts.elements:
            return s["information"].format(elements=", ".join(facts.elements))
        return s["information"].format(elements="[[the types of personal information involved]]")
    if key == "remedy":
        return s["remedy"] if context.remedy else None
    if key == "bureaus":
        return s["bureaus"] if context.us else None
    if key == "contact":
        return s["contact"].format(party=facts.party)
    if key == "date_of_notice":
        return s["date_of_notice"] if context.dated else None
    return s.get(key)


@attrs.frozen
class _LetterContext:
    omit: frozenset[str]
    asks_delay: bool
    remedy: bool
    us: bool
    dated: bool = False


def _languages(
    codes: Sequence[str], incident: Incident | None, data: NoticeData
) -> dict[str, tuple[str, ...]]:
    """The languages a population's letter is drafted in, each with its countries: every
    language of each country its residents live in (Belgium's three)."""
    for code in codes:
        layout = data.layout(code)
        if layout is not None and layout.language:
            return {layout.language: (code,)}
    by_language: dict[str, list[str]] = {}
    found = nf.places(incident, codes, data.eu_eea) if incident is not None else {}
    countries = [place.split("-", 1)[0] for place in found] or [
        population(codes[0]).split("-", 1)[0]
    ]
    for country in countries:
        for lang in data.languages_of(country):
            if country not in by_language.setdefault(lang, []):
                by_language[lang].append(country)
    return {lang: tuple(sorted(cs)) for lang, cs in sorted(by_language.items())}


def _heading(
    key: str, language: str, data: NoticeData, codes: Sequence[str], shaped: Layout | None
) -> tuple[str, str | None, bool]:
    """A heading's text in ``language``, whether it is in that language, and its citation:
    the text's own where it is the words of one of the letter's laws, else the layout's
    where that law prescribes the sections (their order and matter, not these words)."""
    text, own = data.text(key, language)
    if set(text.laws) & set(codes) and text.citation:
        citation: str | None = text.citation
        if text.verified is False:
            citation = f"{citation} (text not confirmed in the law's official source)"
    elif shaped is not None and key in shaped.sections:
        citation = shaped.citation + ("" if shaped.verified else " (not confirmed)")
    else:
        citation = None
    return text.text, citation, own


def _letter(
    action: Action,
    obligations: Sequence[Obligation],
    label: str,
    language: str,
    countries: Sequence[str],
    incident: Incident | None,
    data: NoticeData,
    remedy: bool,
) -> Draft:
    english = data.languages["en"]
    codes = [o.jurisdiction for o in obligations]
    layouts = [lay for c in dict.fromkeys(codes) if (lay := data.layout(c)) is not None]
    shaped = next((lay for lay in layouts if lay.sections), None)
    keys = shaped.sections if shaped else _DEFAULT_SECTIONS
    items = nf.items(obligations)
    bars = [i for i in items if nf.topic(i.text, english) == "bar"]
    checklist = [i for i in items if nf.topic(i.text, english) == "delivery"]
    omit: set[str] = set()
    for lay in layouts:
        omit.update(lay.omit)
        if lay.omit:
            bar_text = {
                "nature_of_breach": "the nature of the breach",
                "number_affected": "the number of residents affected",
            }
            if any(lay.jurisdiction in b.jurisdictions for b in bars):
                continue  # the ruleset's own item already says it, cited
            for what in lay.omit:
                text = f"Do not state {bar_text.get(what, what)}"
                bars.append(Item(text, lay.citation, (lay.jurisdiction,)))
    context = _LetterContext(
        omit=frozenset(omit),
        asks_delay=any(
            "law enforcement" in i.text.lower() or "law-enforcement" in i.text.lower()
            for i in items
        ),
        remedy=remedy,
        us=label.startswith("US"),
        dated=any("date of the notice" in i.text.lower() for i in items),
    )
    facts = nf.read_facts(incident, action.party, codes, data)
    if incident is not None and countries:
        wanted = set(countries)
        counts = {
            p: n for p, n in facts.counts.items() if p.split("-", 1)[0] in wanted or p in wanted
        }
        named = nf.elements(incident, counts, english.elements)
        facts = attrs.evolve(facts, counts=counts, elements=tuple(named))
    # Each topic goes to the first section that takes it; unsorted items to the last.
    # A topic goes to the section that names it first in its own list (a section for
    # the cause alone wins the cause over "what happened"), else to the earliest section.
    taken: dict[str, str] = {}
    rank: dict[str, int] = {}
    for key in keys:
        for n, topic in enumerate(english.sections.get(key, ())):
            if topic not in taken or n < rank[topic]:
                taken[topic], rank[topic] = key, n
    by_section: dict[str, list[Item]] = {k: [] for k in keys}
    for item in items:
        topic = nf.topic(item.text, english)
        if topic in ("bar", "delivery"):
            continue
        by_section[taken.get(topic, keys[-1])].append(item)
    present = {nf.topic(i.text, english) for i in items}
    sections: list[Section] = []
    untranslated: list[str] = []
    for key in keys:
        heading, citation, own = _heading(key, language, data, codes, shaped)
        if not own:
            untranslated.append(heading)
        sentences = [
            s
            for topic, section in taken.items()
            if section == key and (topic in _CORE_TOPICS or topic in present)
            for name in _TOPIC_SENTENCES.get(topic, ())
            if (s := _sentence(name, facts, english, context)) is not None
        ]
        sections.append(
            Section(
                key, heading, citation, own, tuple(dict.fromkeys(sentences)), tuple(by_section[key])
            )
        )
    title_key = next((lay.title for lay in layouts if lay.title), None)
    title_text, title_citation, title_own = _heading(
        title_key or "default_title", language, data, codes, None
    )
    if not title_own:
        untranslated.insert(0, title_text)
    notes: list[str] = []
    name = data.language_name(language)
    rule = next((lay.language_rule for lay in layouts if lay.language_rule), None)
    if rule is not None:
        flag = "" if rule.verified else " (not confirmed in the official text)"
        notes.append(f"Language: {rule.text} [{rule.citation}{flag}]")
    elif language != "en":
        where = ", ".join(countries)
        notes.append(
            f"Language: {name}, the language of the residents ({where}); no law in this "
            "assessment names it: a drafting choice for counsel."
        )
    if language != "en":
        notes.append(
            f"Write this letter in {name}. Its sentences and the items to cover are in English "
            "for counsel; headings marked in the margin are the law's own words."
            + (
                f" Left in English for counsel to write in {name}: {'; '.join(untranslated)}."
                if untranslated
                else ""
            )
        )
    if not facts.known:
        notes.append("No incident was given: every fact is a placeholder.")
    key = f"letter-{nf.slug(action.party)}-{nf.slug(label)}-{language}"
    return Draft(
        key=key,
        kind="individuals",
        title=title_text,
        title_citation=title_citation,
        party=nf.party_name(incident, action.party),
        recipient="affected individuals",
        # a letter under the party's procedures is one to send (deemed compliance)
        status="required"
        if all(o.deemed_compliance is not None for o in obligations)
        else nf.status(obligations),
        due=nf.due(obligations),
        deadline=nf.deadline(obligations),
        duties=nf.duties(obligations),
        jurisdictions=tuple(dict.fromkeys(codes)),
        obligations=tuple(o.id for o in obligations),
        language=language,
        population=label
        + (
            f" ({', '.join(countries)})"
            if countries and label not in countries and label.split("-", 1)[0] not in countries
            else ""
        ),
        language_notes=tuple(notes),
        sections=tuple(sections),
        bars=tuple(bars),
        checklist=tuple(checklist),
        notes=tuple(action.notes),
    )


# --- regulator drafts -----------------------------------------------------------------


def _needs_remedy(assessment: Assessment, party: str, codes: Iterable[str]) -> bool:
    wanted = set(codes)
    for o in assessment.obligations:
        if o.status == "not_required" or o.jurisdiction not in wanted or o.party != party:
            continue
        if o.recipient == "individuals" and any(
            w in " ".join(o.content_requirements).lower() for w in _REMEDY_WORDS
        ):
            return True
        if "identity-theft" in o.id or "credit-monitoring" in o.id:
            return True
    return False


def notices(
    assessment: Assessment,
    incident: Incident | None = None,
    roots: Iterable[Path | str] | None = None,
) -> Notices:
    """The drafts for ``assessment``: one letter per population (and language) and one
    notice per regulator, attorney general or law-enforcement body.

    ``incident`` fills the drafts with its facts (dates, kinds of data, names, counts for
    regulators); without it every fact is a placeholder. ``roots`` are rulesets folders
    holding ``_notices/`` (default: the bundled rulesets).
    """
    data = load_notice_data(roots)
    by_id = {o.id: o for o in assessment.obligations}
    drafts: list[Draft] = []
    public: list[Draft] = []
    actions = [
        (action, [by_id[i] for i in action.obligations if i in by_id])
        for action in assessment.plan().actions
        if action.kind == "notice"  # a record kept or an assessment made: nothing to send
    ]
    for action, group in actions:
        if not group:
            continue
        if action.recipient == "individuals":
            owed = nf.owed_everyone(assessment, action, group, actions)
            drafts += _letters(assessment, action, group, incident, data, owed)
        elif action.recipient in PUBLIC_BODIES:
            everyone = any(counts_everyone(assessment.audit, o.jurisdiction) for o in group)
            public.append(regulator_draft(action, group, incident, data, everyone))
    # Keys name the files a draft is written to: never two drafts under one name.
    seen: dict[str, int] = {}
    unique: list[Draft] = []
    for draft in drafts + public:
        seen[draft.key] = seen.get(draft.key, 0) + 1
        n = seen[draft.key]
        unique.append(draft if n == 1 else attrs.evolve(draft, key=f"{draft.key}-{n}"))
    return Notices(assessment.incident_id, assessment.as_of, tuple(unique))


def _letters(
    assessment: Assessment,
    action: Action,
    group: Sequence[Obligation],
    incident: Incident | None,
    data: NoticeData,
    owed: Sequence[Obligation] = (),
) -> list[Draft]:
    """A population's letters: laws that forbid what the others require get their own;
    then one letter per language of the people it goes to. ``owed``: duties of other
    laws owed to these people too (a law counting everyone); they do not widen whom the
    letter goes to, only what it must carry."""
    # a part for people whose own law requires no letter (UT13 F14) is one letter
    parts = [(action.part_for, list(group))] if action.part_for else []
    own = [o for o in group if (lay := data.layout(o.jurisdiction)) and lay.own_letter]
    own, rest = ([], []) if parts else (own, [o for o in group if o not in own])
    if rest:  # a letter under the party's procedures (deemed compliance): its law's own
        deemed = all(o.deemed_compliance is not None for o in rest)
        parts.append((rest[0].jurisdiction if deemed else population(rest[0].jurisdiction), rest))
    for code in dict.fromkeys(o.jurisdiction for o in own):
        parts.append((code, [o for o in own if o.jurisdiction == code]))
    out: list[Draft] = []
    for label, obligations in parts:
        codes = [o.jurisdiction for o in obligations]
        languages = _languages([label] if action.part_for else codes, incident, data)
        carried = [*obligations, *owed]
        remedy = _needs_remedy(assessment, action.party, [o.jurisdiction for o in carried])
        for language, countries in languages.items():
            out.append(_letter(action, carried, label, language, countries, incident, data, remedy))
    return out


bind("assessment.notices", notices)
