"""The brief for customer-facing staff: what support and account teams may say, and when.

Letters land in call centres and support queues before anyone there knows what happened.
:func:`brief` reads the same assessment and the same notice drafts
(:mod:`breachrules.views.notices`) and writes, per population and language:

- what is known (dates, the kinds of information, what the decision still waits on);
- who will receive a letter, and by when;
- what staff may say now and what not yet: nothing before a law-enforcement delay ends
  (the obligations whose clock a delay holds), and nothing that pre-empts a notice a law
  requires first (a report due before the letters, such as New Jersey's to the State
  Police or Maryland's to the Attorney General, read from the rulesets' deadlines);
- the questions customers will ask, with answers drawn from the drafts' facts, and
  ``[[placeholders]]`` for the hotline, the credit-monitoring enrolment and the other
  remedies a law requires.

A brief changes as facts arrive: :func:`brief_changes` lists, line by line, what changed
between two briefs (``breachrules diff`` shows it beside the decision's changes).

It is one job, one module: each part of the brief reads what the others decided (what
is held, what is promised, what waits), so they stay together.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import attrs

from breachrules.engine.audit import counts_everyone
from breachrules.io.docx import clean
from breachrules.model.bindings import bind
from breachrules.model.timestamps import format_timestamp
from breachrules.views.deemed import under_procedures, words
from breachrules.views.fact_words import fact_in_words, own_descriptions
from breachrules.views.notices import MARKING, Draft, goes_first, markdown_escape, notices
from breachrules.views.plan import population
from breachrules.views.terminal import wrap

if TYPE_CHECKING:
    from breachrules.model.decisions import Assessment, Obligation
    from breachrules.model.facts import Incident

__all__ = ["Brief", "BriefChange", "BriefPart", "Question", "brief", "brief_changes"]

_HELD = "law enforcement asked for a delay"
#: The brief is internal; it is not a notice and is never sent to customers either.
BRIEF_MARKING = "INTERNAL brief for support and account staff — not for customers; " + MARKING


@attrs.frozen
class Question:
    """A question customers will ask, with the answer staff may give (or a placeholder)."""

    question: str
    answer: str


@attrs.frozen
class BriefPart:
    """What staff serving one population, in one language, need to know."""

    key: str
    population: str
    language: str
    jurisdictions: tuple[str, ...]
    letter: str
    #: The letter's status (required or conditional) and its due time, for the diff.
    status: str = ""
    due: str = ""
    known: tuple[str, ...] = ()
    may_say: tuple[str, ...] = ()
    not_yet: tuple[str, ...] = ()
    questions: tuple[Question, ...] = ()
    placeholders: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        """The part as plain lines (what :func:`brief_changes` compares)."""
        out = [f"Letter: {self.status}", f"Letter due: {self.due}"]
        out += [f"Known: {k}" for k in self.known]
        out += [f"May say now: {m}" for m in self.may_say]
        out += [f"Not yet: {n}" for n in self.not_yet]
        out += [f"Q: {q.question} A: {q.answer}" for q in self.questions]
        return out


@attrs.frozen
class Brief:
    """The brief of one assessment: one part per population and language."""

    incident_id: str
    as_of: datetime
    parts: tuple[BriefPart, ...]
    #: Notices that must go before anything is said to customers, for every population.
    first: tuple[str, ...] = ()
    marking: str = BRIEF_MARKING
    #: The laws whose people get no letter on these facts (their notice to individuals is
    #: not required), each with why: said, so that no population is left out silently.
    no_letter: tuple[str, ...] = ()
    #: The laws whose letter goes under the party's own or its regulator's procedures
    #: (deemed compliance): a letter still goes to their people, never "no letter".
    under_procedures: tuple[str, ...] = ()
    #: The laws whose own letter is not required, yet whose people another law's letter
    #: reaches (one that counts every affected person, such as HIPAA's, where New
    #: Mexico's Act steps aside for it): never "no letter", which staff would repeat.
    letter_under: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = attrs.asdict(self, recurse=True)
        d["as_of"] = format_timestamp(self.as_of)
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, sort_keys=True)

    def to_text(self, width: int | None = None) -> str:
        """The brief as plain text for a terminal or a ticket (control characters, terminal
        escape sequences included, are dropped); ``width``: wrapped to that many columns
        (:func:`fold`)."""
        return fold(self._render(clean), width)

    def to_markdown(self, width: int | None = None) -> str:
        """The brief in Markdown; every value escaped (incident text included); ``width``:
        wrapped to that many columns (:func:`fold`), the same Markdown."""
        return fold(self._render(markdown_escape), width)

    def _render(self, e: Callable[[str], str]) -> str:
        lines = [
            f"**{e(self.marking)}**",
            "",
            f"# Staff brief: {e(self.incident_id)}",
            "",
            f"As of {e(format_timestamp(self.as_of))}.",
            "",
        ]
        if self.first:
            lines += ["## Before anything is said to customers", ""]
            lines += [f"- {e(f)}" for f in self.first] + [""]
        for part in self.parts:
            lines += [f"## {e(part.population)} ({e(part.language)})", ""]
            lines += [f"Letter: {e(part.letter)}", ""]
            for title, values in (
                ("What is known", part.known),
                ("What staff may say now", part.may_say),
                ("Not yet", part.not_yet),
            ):
                if values:
                    lines += [f"### {title}", ""] + [f"- {e(v)}" for v in values] + [""]
            if part.questions:
                lines += ["### Questions customers will ask", ""]
                for q in part.questions:
                    lines += [f"- **{e(q.question)}** {e(q.answer)}"]
                lines.append("")
            if part.placeholders:
                lines += ["### To fill in before use", ""]
                lines += [f"- {e('[[' + p + ']]')}" for p in part.placeholders] + [""]
        if self.under_procedures:
            lines += ["## Letters that go under your own or your regulator's procedures", ""]
            lines += [f"- {e(n)}" for n in self.under_procedures] + [""]
        if self.letter_under:
            lines += ["## People whose own law's letter another law's letter replaces", ""]
            lines += [f"- {e(n)}" for n in self.letter_under] + [""]
        if self.no_letter:
            lines += ["## People no letter goes to on these facts", ""]
            lines += [f"- {e(n)}" for n in self.no_letter] + [""]
        lines += [f"**{e(self.marking)}**", ""]
        return "\n".join(lines)

    def lines(self) -> dict[str, list[str]]:
        """Every part's lines by part key, plus ``first`` (for :func:`brief_changes`)."""
        out = {p.key: p.lines() for p in self.parts}
        out["first"] = list(self.first)
        if self.no_letter:
            out["no_letter"] = list(self.no_letter)
        if self.under_procedures:
            out["under_procedures"] = list(self.under_procedures)
        if self.letter_under:
            out["letter_under"] = list(self.letter_under)
        return out


def fold(text: str, width: int | None) -> str:
    """``text`` with its lines wrapped to ``width`` (None: as it is): prose between words
    only, a list item's lines under its text (Markdown reads them as one item), a word
    longer than the line (an id, a URL) whole on its own line; headings never, since a
    heading's second line would be a paragraph of its own."""
    if width is None:
        return text
    # A placeholder is one thing to find and fill in: "[[holding statement approved by
    # counsel]]" never breaks (its spaces held as a private-use character meanwhile).
    # So is the draft marking, which a reader searches for whole.
    held = _PLACEHOLDER.sub(lambda m: m.group().replace(" ", "\ue000"), text)
    held = held.replace(MARKING, MARKING.replace(" ", "\ue000"))
    return "\n".join(
        line if line.startswith("#") else wrap(line, width) for line in held.split("\n")
    ).replace("\ue000", " ")


#: A placeholder, as text (``[[...]]``) or escaped for Markdown (``\[\[...\]\]``).
_PLACEHOLDER = re.compile(r"\\?\[\\?\[(?:(?!\\?\]\\?\]).)*\\?\]\\?\]")


@attrs.frozen
class BriefChange:
    """One line of the brief that appeared or disappeared between two versions."""

    part: str
    kind: Literal["added", "removed"]
    line: str


def brief_changes(old: Brief, new: Brief) -> tuple[BriefChange, ...]:
    """What changed in the brief: per part, the lines removed and the lines added."""
    before, after = old.lines(), new.lines()
    changes: list[BriefChange] = []
    for part in dict.fromkeys([*before, *after]):
        was, now = before.get(part, []), after.get(part, [])
        changes += [BriefChange(part, "removed", line) for line in was if line not in now]
        changes += [BriefChange(part, "added", line) for line in now if line not in was]
    return tuple(changes)


def _held(obligations: Iterable[Obligation]) -> list[str]:
    return [
        f"{o.jurisdiction}: {r.text} ({r.citation})"
        for o in obligations
        for r in o.reasons
        if _HELD in r.text
    ]


def _sentence(draft: Draft, key: str) -> str | None:
    """The draft's sentence whose section is ``key``'s first, or None."""
    for section in draft.sections:
        for p in section.paragraphs:
            if key in p.lower():
                return p
    return None


def _part(
    draft: Draft,
    assessment: Assessment,
    first: Sequence[Obligation],
    hold: str | None,
    described: Mapping[str, str] | None = None,
) -> BriefPart:
    obligations = [o for o in assessment.obligations if o.id in draft.obligations]
    codes = draft.jurisdictions
    due = draft.due_words()
    # A law whose letter is only conditional is listed apart: never "required" for it.
    required = [
        c for c in codes if any(o.jurisdiction == c and o.status == "required" for o in obligations)
    ]
    maybe = ", ".join(c for c in codes if c not in required)
    said = [f"required for {', '.join(required)}"] * bool(required) + [
        f"conditional for {maybe} (a fact the law asks about is not known yet)"
    ] * bool(maybe)
    late = draft.due is not None and draft.due <= assessment.as_of
    letter = (
        ("OVERDUE: its due time passed before this brief; send the letters now. " if late else "")
        + f"{'; '.join(said)}; due {due} ({draft.deadlines()}); "
        f"from {draft.party}, in {draft.language}"
    )
    known: list[str] = []
    for key in ("occurred", "discovered", "information involved"):
        sentence = _sentence(draft, key)
        if sentence:
            known.append(sentence)
    waits = list(
        dict.fromkeys(m for o in obligations if o.status == "conditional" for m in o.missing_facts)
    )
    if waits:  # in words, never a field path: staff do not read them
        known.append(
            "Whether some of these people must be told is not decided yet; it waits on: "
            + "; ".join(dict.fromkeys(fact_in_words(w, described) for w in waits))
        )
    held = _held(obligations)
    if hold and not held:
        held = [hold]
    mine = [o for o in first if o.jurisdiction in codes]
    may_say: list[str] = []
    not_yet: list[str] = []
    if held:
        not_yet.append(
            "Nothing about the incident until the law-enforcement delay ends: " + "; ".join(held)
        )
        may_say.append("Only the approved holding line: [[holding statement approved by counsel]]")
    if mine:
        not_yet += [
            "Nothing that confirms the incident before the notice to "
            f"{o.addressee} is sent ({o.basis}: {o.deadline.text})"
            for o in mine
        ]
    decided = draft.status == "required"
    if not held:
        if mine:
            may_say.append(
                "Until those notices are sent, only the approved holding line: "
                "[[holding statement approved by counsel]]"
            )
        elif decided:
            may_say.append(
                f"That {draft.party} is aware of an incident, is investigating, and will write "
                "to the people affected: [[holding statement approved by counsel]]"
            )
        else:  # no letter is promised until the law's question is answered
            may_say.append(
                f"That {draft.party} is aware of an incident and is investigating; not that it "
                "will write to the people affected, which is not decided yet: "
                "[[holding statement approved by counsel]]"
            )
        may_say.append(
            "Once the letters are sent: what the letter says, in its words, and nothing more"
            if decided
            else "If letters are sent: what the letter says, in its words, and nothing more"
        )
    not_yet.append("The number of people affected, the cause, or who is responsible")
    for bar in draft.bars:
        not_yet.append(f"{bar.text} ({', '.join(bar.jurisdictions)}: {bar.citation})")
    information = _sentence(draft, "information involved")
    occurred = _sentence(draft, "occurred")
    remedy = next((p for s in draft.sections for p in s.paragraphs if "enrol" in p.lower()), None)
    silent = bool(held or mine)
    hold = "[[holding statement approved by counsel]]"
    when = _letters_when(draft, late)
    letters = (
        f"Letters go to the people affected {when}."
        if decided
        else f"Whether letters go to the people affected is not decided yet; if they do, {when}."
    )
    questions = [
        Question(
            "Was my information involved?",
            hold if silent else f"{letters} To check now: [[hotline number]].",
        ),
        Question("What information was involved?", hold if silent else information or hold),
        Question("When did it happen?", hold if silent else occurred or hold),
        Question(
            "What are you doing about it?",
            hold if silent else "[[What we are doing, as the letter says it]]",
        ),
        Question(
            "What should I do?",
            hold if silent else "[[Steps you can take, as the letter says them]]",
        ),
        Question("Who can I talk to?", "[[hotline number]], [[hotline hours]]"),
    ]
    if remedy:
        questions.append(
            Question(
                "Are you offering credit monitoring or identity protection?",
                hold if silent else remedy,
            )
        )
    questions.append(
        Question("How many people were affected?", "We are not able to share that. " + hold)
    )
    placeholders: list[str] = []
    for text in [*may_say, *(q.answer for q in questions)]:
        placeholders += [p.split("]]")[0] for p in text.split("[[")[1:]]
    return BriefPart(
        key=draft.key.replace("letter-", "brief-", 1),
        population=draft.population or ", ".join(codes),
        language=draft.language,
        jurisdictions=codes,
        letter=letter,
        status=draft.status,
        due=f"{due} ({draft.deadlines()})",
        known=tuple(known),
        may_say=tuple(may_say),
        not_yet=tuple(dict.fromkeys(not_yet)),
        questions=tuple(questions),
        placeholders=tuple(dict.fromkeys(placeholders)),
    )


def _letters_when(draft: Draft, late: bool) -> str:
    """When the letters go, as staff may say it to a customer: never "by" a time that has
    already passed (UT13 F12: "by 2026-12-06T09:30:00+08:00" said on 8 December), and
    never that a deadline was missed, which is counsel's to say: an overdue letter goes
    now."""
    if late:
        return "now, without further delay"
    if draft.due is None:
        return "without undue delay (no fixed date)"
    return f"by {format_timestamp(draft.due)}"


def brief(
    assessment: Assessment,
    incident: Incident | None = None,
    roots: Iterable[Path | str] | None = None,
) -> Brief:
    """The staff brief for ``assessment`` (``incident`` fills in its facts)."""
    drafts = notices(assessment, incident, roots)
    first = [o for o in assessment.obligations if o.status != "not_required" and goes_first(o)]
    until = incident.law_enforcement.delay_requested_until if incident is not None else None
    hold = (
        f"law enforcement asked for a delay until {format_timestamp(until)}"
        if until is not None and until > assessment.as_of
        else None
    )
    waiting = (
        m for o in assessment.obligations if o.status == "conditional" for m in o.missing_facts
    )
    described = own_descriptions(waiting, roots)  # the rulesets' own facts, in their words
    kinds = (d for d in drafts.drafts if d.kind == "individuals")
    parts = tuple(_part(d, assessment, first, hold, described) for d in kinds)
    lines = tuple(
        f"{o.jurisdiction}: send the notice to {o.addressee} before the "
        f"letters ({o.basis}: {o.deadline.text})"
        for o in first
    )
    drafted = {code for part in parts for code in part.jurisdictions}
    deemed = [o for o in under_procedures(assessment.obligations) if o.recipient == "individuals"]
    none, other = _no_letter(assessment, drafted | {o.jurisdiction for o in deemed})
    return Brief(
        assessment.incident_id,
        assessment.as_of,
        parts,
        lines,
        no_letter=none,
        under_procedures=tuple(dict.fromkeys(words(o) for o in deemed)),
        letter_under=other,
    )


def _no_letter(
    assessment: Assessment, drafted: set[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Each law whose notice to individuals is not required on these facts, with the
    reason it gives: first those whose people no letter reaches, then those whose people
    another law's letter reaches all the same (a law counting every affected person,
    wherever they live, as HIPAA's does: New Mexico's Act steps aside *because* HIPAA's
    letter goes, so "no letter" would be false)."""
    none: list[str] = []
    other: list[str] = []
    for o in assessment.obligations:
        if o.recipient != "individuals" or o.status != "not_required" or o.jurisdiction in drafted:
            continue
        if any(
            p.jurisdiction == o.jurisdiction
            and p.recipient == "individuals"
            and p.status != "not_required"
            for p in assessment.obligations
        ):
            continue  # another of the law's letters goes to them
        why = "; ".join(dict.fromkeys(r.text for r in o.reasons)) or "not required"
        reaching = _letters_reaching_everyone(assessment, o)
        if reaching:
            other.append(
                f"{o.jurisdiction}: its own letter is not required on these facts ({why}; "
                f"{o.basis}), but the letter under {', '.join(reaching)} goes to every "
                "affected person, these people included: serve them as that letter's part "
                f"for {population(o.jurisdiction)} above says; never tell them they will "
                "not be written to"
            )
            continue
        none.append(
            f"{o.jurisdiction}: no letter to the people it counts is required on these facts "
            f"({why}; {o.basis}). If they ask, only the approved holding line: "
            "[[holding statement approved by counsel]]"
        )
    return tuple(dict.fromkeys(none)), tuple(dict.fromkeys(other))


def _letters_reaching_everyone(assessment: Assessment, o: Obligation) -> list[str]:
    """The other laws whose letter to individuals (required or conditional) goes to every
    affected person, wherever they live, from the same party: each with its status."""
    return list(
        dict.fromkeys(
            f"{p.jurisdiction} ({p.status})"
            for p in assessment.obligations
            if p.recipient == "individuals"
            and p.status != "not_required"
            and p.jurisdiction != o.jurisdiction
            and (p.performed_by or p.party) == (o.performed_by or o.party)
            and counts_everyone(assessment.audit, p.jurisdiction)
        )
    )


bind("assessment.brief", brief)
