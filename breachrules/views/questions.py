"""Open questions: which unknown facts decide the plan, and what each answer would change.

Step two of an incident response is *not to notify before the facts are in*. For every
``undetermined`` determination and ``conditional`` obligation the assessment names the
unknown facts; :func:`open_questions` asks, for each such fact, "what if it is true? what
if it is false?" by assessing the incident again with the fact set, and reports the
obligations that would appear, disappear or move. Questions are ranked by how soon the
earliest obligation still owed they decide falls due, then by how many they decide
(:mod:`breachrules.views.first`, the ranking ``assess`` and ``plan`` use too), so the
investigation answers first the fact the nearest clock waits on. A yes/no fact no answer
to which changes anything now (it decides only together with other unknown facts, each
of which is asked) is listed apart (``Questions.apart``), not among the questions to
ask; a fact that decides no obligation, only a law's determination, is listed last
(``Questions.no_notice``). :class:`Readiness` says what may
be sent now, what waits on which fact, and how long each clock has left.

A law-enforcement delay (``law_enforcement.delay_requested_until``) is asked last, while
none is given and a notice still owed has a due date its law lets law enforcement delay:
null reads as no request (so no result names it missing), yet a request made later moves
those due dates (UT12). It dates; it decides nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

import attrs

from breachrules.errors import InvalidIncident
from breachrules.io.serde import load_incident
from breachrules.law.conditions import FIELDS
from breachrules.law.declared import OwnFact
from breachrules.model.paths import get_path, is_sending, set_path
from breachrules.model.timestamps import format_timestamp
from breachrules.model.vocabulary import GDPR_RISK_LEVELS
from breachrules.views.changes import Change, compare
from breachrules.views.first import dates_only, decided_by, deciding, due_order, owed, ranked_facts

if TYPE_CHECKING:
    from breachrules.engine import Engine
    from breachrules.model.decisions import Assessment, Obligation
    from breachrules.model.facts import Incident

__all__ = [
    "DELAY_FACT",
    "OpenQuestion",
    "Outcome",
    "Questions",
    "Readiness",
    "ReadyItem",
    "decided_by",
    "open_questions",
]

#: Facts that are yes/no in the incident document, by their last path segment (from the
#: condition language's field table, so a new yes/no fact becomes a question by itself).
#: ``ransom_paid`` and ``law_enforcement_delay`` are read from timestamps, not asked.
_BOOLEAN_LEAVES = frozenset(
    source.rsplit(".", 1)[-1]
    for kind, _, source in FIELDS.values()
    if kind == "bool" and not source.endswith(("_at", "_until", "established_in", "offers_to"))
) | {"delay_in_writing"}  # read by the clock (a law's cap on an oral statement), not a rule
#: A party's list facts: never asked as true/false. ``established_in`` is asked as the
#: places of the laws it decides (``owner_established_here`` reads a law's own places).
LIST_LEAVES = frozenset({"established_in", "types", "offers_to"})
#: The law-enforcement delay, asked as the notices whose due dates it would move.
DELAY_FACT = "law_enforcement.delay_requested_until"


@attrs.frozen
class Outcome:
    """What the assessment would say if the fact had ``value``."""

    value: Any
    changes: tuple[Change, ...] = ()
    #: Set when the value cannot be combined with the other facts (e.g. a compromised key
    #: for data known to be unencrypted); the outcome is then not assessed.
    impossible: str | None = None


@attrs.frozen
class OpenQuestion:
    """One unknown fact, what it decides, and what each answer changes."""

    fact: str
    #: Obligation ids and jurisdiction codes whose result waits on this fact.
    decides: tuple[str, ...]
    earliest_due: datetime | None
    outcomes: tuple[Outcome, ...]
    #: The other unknown facts what it decides waits on: where no answer to this one
    #: changes anything on its own, it decides together with them.
    together_with: tuple[str, ...] = ()
    #: It decides whether nothing is owed: it only dates what it ``decides`` (the
    #: moment a period runs from).
    only_dates: bool = False

    @property
    def decides_no_notice(self) -> bool:
        """It decides no obligation, only a law's determination: every duty of that law is
        decided without it (New Mexico's harm finding, where the Act steps aside for a
        HIPAA covered entity, § 57-12C-8). Asked among the others, it would send a
        responder after a finding that changes no notice (UT12 F2)."""
        return not self.only_dates and not any(":" in s for s in self.decides)

    @property
    def changes_nothing(self) -> bool:
        """A yes/no question no possible answer to which changes anything now: what it
        decides waits on ``together_with`` too (a date or a count, which has no
        outcomes, always moves something)."""
        assessed = [o for o in self.outcomes if not o.impossible]
        return bool(assessed) and not any(o.changes for o in assessed)


@attrs.frozen
class ReadyItem:
    """An obligation with its clock: seconds left until due (negative: overdue)."""

    obligation_id: str
    status: str
    due: datetime | None
    seconds_left: int | None
    waits_on: tuple[str, ...] = ()


@attrs.frozen
class Readiness:
    """What may be sent now, what waits on facts, and what a law's waiting period still
    holds back (required, but not yet: ``waits_on`` names the notice to send first or
    the moment the wait ends), each with its clock."""

    as_of: datetime
    send_now: tuple[ReadyItem, ...]
    waiting: tuple[ReadyItem, ...]
    held: tuple[ReadyItem, ...] = ()
    #: required records to keep and assessments to make (``kind`` ``record`` or
    #: ``assessment``): nothing is sent, so they are never in ``send_now``
    to_keep: tuple[ReadyItem, ...] = ()


@attrs.frozen
class Questions:
    """Ranked open questions and the readiness summary of one assessment."""

    assessment: Assessment
    questions: tuple[OpenQuestion, ...]
    readiness: Readiness
    #: The questions no answer to which changes anything now (``changes_nothing``), in
    #: the same order, listed apart: asking them first would change no decision.
    apart: tuple[OpenQuestion, ...] = ()
    #: The questions that decide no obligation, only a law's determination
    #: (``decides_no_notice``), in the same order, listed last: no notice waits on them.
    no_notice: tuple[OpenQuestion, ...] = ()


def _values(path: str, own: Mapping[str, OwnFact] | None = None) -> tuple[Any, ...]:
    fact = (own or {}).get(path)
    if fact is not None:  # a ruleset's own fact: the answers its declaration allows
        return (True, False) if fact.kind == "bool" else fact.words
    leaf = path.rsplit(".", 1)[-1]
    if leaf == "gdpr_risk":
        return GDPR_RISK_LEVELS
    if leaf in _BOOLEAN_LEAVES:
        return (True, False)
    return ()  # a date or a count: it moves a due date or a threshold, not a yes/no


def _places(decides: Iterable[str], homes: Mapping[str, tuple[str, ...]]) -> tuple[Any, ...]:
    """The establishments that would decide what ``decides`` waits on: for each law, its
    code where that is one of its own places (``US-TX``), else the first of them."""
    places = [
        code if code in homes.get(code, ()) else next(iter(homes.get(code, ())), None)
        for code in dict.fromkeys(s.split(":", 1)[0] for s in decides)
    ]
    return tuple([p] for p in dict.fromkeys(places) if p is not None)


def _clock(due: datetime | None, as_of: datetime) -> int | None:
    return None if due is None else int((due - as_of).total_seconds())


def _readiness(a: Assessment) -> Readiness:
    # A notice the incident records as sent is done: it is neither to send nor waiting.
    live = sorted(owed(a.obligations), key=due_order)
    now = tuple(
        ReadyItem(o.id, o.status, o.due, _clock(o.due, a.as_of))
        for o in live
        if o.status == "required" and o.kind == "notice" and not o.held(a.as_of)
    )
    held = tuple(
        ReadyItem(o.id, o.status, o.due, _clock(o.due, a.as_of), _held_by(o))
        for o in live
        if o.status == "required" and o.kind == "notice" and o.held(a.as_of)
    )
    kept = tuple(
        ReadyItem(o.id, o.status, o.due, _clock(o.due, a.as_of))
        for o in live
        if o.status == "required" and o.kind != "notice"
    )
    waiting = tuple(
        ReadyItem(o.id, o.status, o.due, _clock(o.due, a.as_of), _waits_on(o))
        for o in live
        if o.status == "conditional"
    )
    return Readiness(a.as_of, now, waiting, held, kept)


def _waits_on(o: Obligation) -> tuple[str, ...]:
    """What a conditional notice waits on: not a moment that only dates it."""
    dated = dates_only(o)
    return tuple(f for f in o.missing_facts if f not in dated)


def _held_by(o: Obligation) -> tuple[str, ...]:
    """What a held notice waits for: the notice to send first, or the end of its wait."""
    if o.not_before is not None:
        return (f"not before {format_timestamp(o.not_before)}",)
    return (f"{o.waits_for} to be sent",) if o.waits_for else tuple(o.missing_facts)


def _together(a: Assessment, fact: str, decides: Iterable[str]) -> tuple[str, ...]:
    """The other unknown facts (not notices still to send) that what ``fact`` decides
    waits on too."""
    subjects = set(decides)
    missing = [m for o in a.obligations if o.id in subjects for m in deciding(o)]
    missing += [m for d in a.determinations if d.jurisdiction in subjects for m in d.missing_facts]
    return tuple(dict.fromkeys(m for m in missing if m != fact and not is_sending(m)))


def open_questions(
    engine: Engine,
    incident: Incident,
    as_of: datetime | str | None = None,
    jurisdictions: Iterable[str] | None = None,
) -> Questions:
    """Rank the unknown facts of ``incident`` by what they decide; say what each changes."""
    codes = list(jurisdictions) if jurisdictions is not None else None
    base = engine.assess(incident, as_of=as_of, jurisdictions=codes)
    doc = incident.to_dict()
    own = {f.path: f for r in engine.rulesets for f in r.facts}
    homes = {r.code: (*r.reach.residents, *r.reach.established_in) for r in engine.rulesets}
    questions: list[OpenQuestion] = []
    for unknown in ranked_facts(base):  # the one ordering assess and plan share too
        fact = unknown.fact
        outcomes: list[Outcome] = []
        leaf = fact.rsplit(".", 1)[-1]
        values = _values(fact, own) if leaf not in LIST_LEAVES else ()
        if leaf == "established_in":
            values = _places(unknown.decides, homes)
        for value in values:
            variant = incident.to_dict()
            set_path(variant, fact, value)
            try:
                changed_incident = load_incident(variant)
            except InvalidIncident as exc:
                outcomes.append(Outcome(value, impossible=str(exc.problems[0].reason)))
                continue
            other = engine.assess(changed_incident, as_of=base.as_of, jurisdictions=codes)
            diff = compare(base, other, {fact: (get_path(doc, fact), value)})
            outcomes.append(Outcome(value, diff.changes))
        questions.append(
            OpenQuestion(
                fact,
                unknown.decides,
                unknown.earliest_due,
                tuple(outcomes),
                _together(base, fact, unknown.decides),
                unknown.only_dates,
            )
        )
    delay = _delay_question(engine, incident, base)
    questions += [delay] if delay is not None else []
    # A question no answer to which changes anything now is listed apart (it decides
    # only together with other unknown facts): the others keep the one ordering.
    # A question that decides no notice, only a law's determination, is listed last.
    asked = tuple(q for q in questions if not q.changes_nothing and not q.decides_no_notice)
    apart = tuple(q for q in questions if q.changes_nothing and not q.decides_no_notice)
    no_notice = tuple(q for q in questions if q.decides_no_notice)
    return Questions(base, asked, _readiness(base), apart, no_notice)


def _delay_question(engine: Engine, incident: Incident, base: Assessment) -> OpenQuestion | None:
    """The law-enforcement delay as a question, last: the owed notices with a due date
    whose law lets law enforcement delay them, while the incident gives no request."""
    if incident.law_enforcement.delay_requested_until is not None:
        return None
    delayable = sorted(
        (o for o in owed(base.obligations) if o.due is not None and _delayable(engine, o)),
        key=due_order,
    )
    if not delayable:
        return None
    soonest = min(o.due for o in delayable if o.due is not None)
    return OpenQuestion(DELAY_FACT, tuple(o.id for o in delayable), soonest, (), (), True)


def _delayable(engine: Engine, o: Obligation) -> bool:
    """Whether the law of ``o`` lets law enforcement delay it (in any version of the law:
    the question only says where a request would matter)."""
    try:
        ruleset = engine.ruleset(o.jurisdiction)
    except KeyError:  # a contract's notice: no law of its own
        return False
    rule = o.id.split("@", 1)[0]  # a duty relayed up a chain: the law's own duty
    return any(
        ob.rule.id == rule and ob.law_enforcement_delay
        for law in ruleset.laws
        for ob in law.obligations
    )
