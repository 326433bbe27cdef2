"""What the engine works out once per law in force, when it is built.

Each version of each ruleset is registered with the backend as one list of conditions;
the rest of an assessment refers to rules by their position in that list. Compiling also
fixes what every assessment would otherwise recompute: which facts each rule reads, each
obligation's reported deadline, and the order in which chained clocks are worked out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import ModuleType
from typing import Any

import attrs

from breachrules.engine.grounds import tests_words
from breachrules.engine.truth import EXCEPTION_WORDS, WORDS, Truth
from breachrules.law.calendars import calendar_label
from breachrules.law.conditions import (
    All,
    Any_,
    Compare,
    Node,
    Not,
    fields_of,
    flags_of,
    source_of,
)
from breachrules.law.directory import Entry
from breachrules.law.ruleset import Counting, LawInForce, ObligationRule, Rule, Ruleset
from breachrules.law.ruleset import Deadline as DeadlineRule
from breachrules.model.decisions import Deadline, RulesetRef
from breachrules.model.reprs import shared_repr

__all__ = [
    "COUNTS",
    "EXPOSURE",
    "INCIDENT",
    "Compiled",
    "Duty",
    "Step",
    "compile_law",
    "count_cuts",
    "ruleset_ref",
]

#: The two kinds of fact a law's rules read: one exposure, or the incident as a whole.
EXPOSURE, INCIDENT = "e", "i"


@shared_repr
@attrs.frozen(repr=False)
class Step:
    """A rule with what an assessment needs of it, worked out once when compiling."""

    rule: Rule
    #: Its position in the compiled rules (what the backend's firings name).
    index: int
    #: The fact fields it reads, set fields included: what its reason shows.
    reads: tuple[str, ...]
    #: The scalar fields it reads: the facts that can be missing.
    scalars: tuple[str, ...]
    #: The exposure fields it reads (``elements``, ``residents``...): what its
    #: ``rule_values`` audit event refers to in the ``facts`` event.
    exposure_fields: tuple[str, ...] = ()


@shared_repr
@attrs.frozen(repr=False)
class Duty:
    """An obligation with its rule steps and the parts of its output that never change."""

    ob: ObligationRule
    step: Step
    exceptions: tuple[Step, ...]
    #: The deadline as every obligation of this rule reports it.
    deadline: Deadline
    #: The obligation's own id within its ruleset (what ``obligation:<id>`` names).
    key: str
    #: Whether the obligation has its own dates of force within the version.
    dated: bool = True
    #: Its reason's text for each value of its rule (``WORDS``), and each exception's for
    #: each of its values (``EXCEPTION_WORDS``, with the exception's duty).
    texts: dict[Truth, str] = attrs.Factory(dict)
    exception_texts: tuple[dict[Truth, str], ...] = ()
    #: The exceptions' positions in the compiled rules.
    exception_indexes: tuple[int, ...] = ()
    #: Where the incident gives each regulator's order its rule reads, false until given
    #: (``until_given: false``): a rule not met while none is given says so; and those
    #: each exception reads (an exception that holds while none is given says so).
    orders: tuple[str, ...] = ()
    exception_orders: tuple[tuple[str, ...], ...] = ()


@shared_repr
@attrs.frozen(repr=False)
class Compiled:
    """A law in force, registered with the backend, with its rules indexed."""

    law: LawInForce
    #: The backend's handle on the compiled rules (a registered name, or the rules).
    engine_name: Any
    index: dict[str, int]
    #: Personal information, the breach trigger, then the breach exceptions.
    breach_steps: tuple[Step, ...] = ()
    #: The obligations in the order their clocks are worked out (see ``clock_order``).
    duties: tuple[Duty, ...] = ()
    #: Per fact kind, ``False`` for every flag its rules read (absent means "not present").
    defaults: dict[str, dict[str, bool]] = attrs.Factory(dict)
    #: The ruleset as the assessment lists it.
    ref: RulesetRef | None = None
    #: The regulator directory's entries for each obligation rule id.
    contacts: dict[str, tuple[Entry, ...]] = attrs.Factory(dict)
    #: Whose risk-of-harm findings this law reads: its own code, then the codes whose test
    #: it declares to be in the same words.
    risk_codes: tuple[str, ...] = ()
    #: Every fact field any of its rules reads.
    reads: frozenset[str] = frozenset()
    #: Per head-count field (``residents``, ``residents_max_place``, ``persons_total``,
    #: ``local_residents``, ``persons_every_exposure``),
    #: the sorted constants its obligation rules compare it with; None when one of them
    #: compares a head count with anything but a number. Two counts between the same
    #: constants give every such rule the same value (see ``evaluate``).
    count_cuts: dict[str, tuple[int | float, ...]] | None = None
    #: Whether any obligation does not require a breach (``requires_breach: false``): its
    #: rules then also read the whole incident in the law's reach (see ``evaluate``).
    unbreached: bool = False
    #: The residence codes that name a whole country the law counts "per State or
    #: jurisdiction" in (its ``reaches.residents`` countries, when a rule reads
    #: ``residents_max_place``): people under such a code live in some subdivision, which
    #: one not known, so their largest count in one place is known only within bounds.
    whole_countries: frozenset[str] = frozenset()
    #: Each ``(op, value)`` the rules compare ``residents_max_place`` with: whether a
    #: count known only within bounds decides them all the same way (see ``facts``).
    place_tests: tuple[tuple[str, Any], ...] = ()
    #: The ids of the obligation rules that need no breach (see ``unbreached``).
    whole_rules: frozenset[str] = frozenset()
    #: The breach steps' positions, and the exceptions among them that are rebuttable.
    breach_indexes: tuple[int, ...] = ()
    rebuttable: tuple[Step, ...] = ()
    #: The law's own places (``reaches.residents`` and ``reaches.established_in``): where an
    #: owner established there is "of this state" (``owner_established_here``).
    home: frozenset[str] = frozenset()


def compile_law(
    law: LawInForce,
    backend: ModuleType,
    ruleset: Ruleset,
    directory: Mapping[str, tuple[Entry, ...]] | None = None,
) -> Compiled:
    """Register ``law``'s conditions with ``backend`` and index its rules."""
    rules: list[tuple[Node, str]] = []
    index: dict[str, int] = {}
    flags: dict[str, set[str]] = {EXPOSURE: set(), INCIDENT: set()}
    exposure_rules = [law.personal_information, law.breach, *law.breach.exceptions]
    incident_rules = [r for ob in law.obligations for r in (ob.rule, *ob.rule.exceptions)]
    # A condition several rules share (one harm exception on each of a law's notices) is
    # compiled, and evaluated, once: its rules share its position (equal conditions on
    # the same facts have the same value, so nothing an assessment reports changes).
    positions: dict[tuple[Node, str], int] = {}
    for kind, group in ((EXPOSURE, exposure_rules), (INCIDENT, incident_rules)):
        for rule in group:
            at = positions.get((rule.when, kind))
            if at is None:
                at = positions[rule.when, kind] = len(rules)
                rules.append((rule.when, kind))
                flags[kind].update(flags_of(rule.when))
            index[rule.id] = at
    name = backend.register(backend.compile_rules(rules), law.key)
    # Each rule's fields, read once here: ``field_names``' cache would hash every rule's
    # whole condition tree on each look-up (a new process compiles each law once).
    fields_at = [tuple(dict.fromkeys(fields_of(node, True))) for node, _ in rules]
    read: dict[int, tuple[str, ...]] = {
        id(rule.when): fields_at[index[rule.id]] for rule in (*exposure_rules, *incident_rules)
    }
    # A fact of the ruleset's own that records a regulator's order reads false until the
    # incident gives it (``until_given: false``, law/declared.py); only duties read it.
    duty_reads = {f for rule in incident_rules for f in read[id(rule.when)]}
    orders = {f.key: f.path for f in ruleset.facts if f.until_given is False}
    flags[INCIDENT].update(key for key in orders if key in duty_reads)

    def step(rule: Rule) -> Step:
        reads = read[id(rule.when)]
        sources = (source_of(f) for f in reads)  # a policy's own fact is no exposure field
        # "exposures[].residents (every place)" (persons_total) reads the residents too.
        fields = tuple(
            sorted(
                {
                    s.split(".", 1)[1].split(" ", 1)[0]
                    for s in sources
                    if s.startswith("exposures[]")
                }
            )
        )
        scalars = tuple(dict.fromkeys(fields_of(rule.when)))
        return Step(rule, index[rule.id], reads, scalars, fields)

    duties = tuple(
        Duty(
            ob,
            step(ob.rule),
            tuple(step(ex) for ex in ob.rule.exceptions),
            _reported_deadline(ob, ruleset),
            ob.rule.id.split(":", 1)[1],
            ob.effective_from is not None or ob.effective_to is not None,
            {
                value: f"{ob.rule.title}: {word}{tests_words(ob.rule)}"
                for value, word in WORDS.items()
            },
            tuple(_exception_texts(ex) for ex in ob.rule.exceptions),
            tuple(index[ex.id] for ex in ob.rule.exceptions),
            tuple(orders[f] for f in read[id(ob.rule.when)] if f in orders),
            tuple(
                tuple(orders[f] for f in read[id(ex.when)] if f in orders)
                for ex in ob.rule.exceptions
            ),
        )
        for ob in clock_order(law.obligations)
    )
    breach_steps = tuple(step(r) for r in exposure_rules)
    return Compiled(
        law,
        name,
        index,
        breach_steps,
        duties,
        {k: dict.fromkeys(sorted(v), False) for k, v in flags.items()},
        ruleset_ref(ruleset, law),
        {
            ob.rule.id: (directory or {})[ob.rule.id]
            for ob in law.obligations
            if ob.rule.id in (directory or {})
        },
        (ruleset.code, *ruleset.risk_test_same_as),
        frozenset(f for fields in read.values() for f in fields),
        count_cuts(rule.when for rule in incident_rules),
        any(not ob.requires_breach for ob in law.obligations),
        *_per_place(ruleset, rules),
        frozenset(ob.rule.id for ob in law.obligations if not ob.requires_breach),
        tuple(st.index for st in breach_steps),
        tuple(st for st in breach_steps[2:] if st.rule.rebuttable),
        frozenset(ruleset.reach.residents) | frozenset(ruleset.reach.established_in),
    )


def _per_place(
    ruleset: Ruleset, rules: list[tuple[Node, str]]
) -> tuple[frozenset[str], tuple[tuple[str, Any], ...]]:
    """``Compiled.whole_countries`` and ``Compiled.place_tests``."""
    tests: list[tuple[str, Any]] = []
    stack: list[Node] = [rule for rule, _ in rules]
    while stack:
        node = stack.pop()
        if isinstance(node, Compare):
            if node.field == "residents_max_place":
                tests.append((node.op, node.value))
        elif isinstance(node, Not):
            stack.append(node.item)
        elif isinstance(node, All | Any_):
            stack.extend(node.items)
    if not tests:
        return frozenset(), ()
    countries = frozenset(a for a in ruleset.reach.residents if "-" not in a and a != "EU")
    return countries, tuple(tests)


def _exception_texts(ex: Rule) -> dict[Truth, str]:
    """What an obligation's reason says of one of its exceptions, for each value."""
    duty = f"; duty: {ex.duty}" if ex.duty else ""
    return {value: f"{ex.title}: {word}{duty}" for value, word in EXCEPTION_WORDS.items()}


#: The head counts of a fact: what differs between two exposures of the same kind.
COUNTS = (
    "residents",
    "residents_max_place",
    "persons_total",
    "local_residents",
    "persons_every_exposure",
)


def count_cuts(nodes: Iterable[Node]) -> dict[str, tuple[int | float, ...]] | None:
    """Per head count, the sorted constants ``nodes`` compare it with (any operator:
    ``eq``, ``in`` and the orderings alike depend only on where a count lies among
    them); None if a head count is compared with anything but a number."""
    cuts: dict[str, set[int | float]] = {name: set() for name in COUNTS}
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if isinstance(node, Compare):
            if node.field in cuts:
                values = node.value if isinstance(node.value, list | tuple) else [node.value]
                for value in values:
                    if isinstance(value, bool) or not isinstance(value, int | float):
                        return None
                    cuts[node.field].add(value)
        elif isinstance(node, Not):
            stack.append(node.item)
        elif isinstance(node, All | Any_):
            stack.extend(node.items)
    return {name: tuple(sorted(values)) for name, values in cuts.items()}


def _reported_deadline(ob: ObligationRule, ruleset: Ruleset) -> Deadline:
    d = ob.deadline
    return Deadline(
        text=d.text,
        from_=d.anchor,
        days=d.days,
        hours=d.hours,
        business_days=d.business_days,
        calendar=calendar_label(ruleset.holidays) if d.business_days else None,
        cap=_cap(d.cap),
        months=d.months,
        counting=_counting(d.counting),
        not_before=_not_before(d.not_before, ruleset),
        time_zone=ruleset.time_zone if d.hours is None and d.fixed else None,
        or_when=d.or_when,
    )


def _counting(counting: Counting) -> dict[str, Any] | None:
    """The law's counting convention as the obligation reports it, when one is declared."""
    if counting == Counting():
        return None
    out: dict[str, Any] = {"first_day": counting.first_day, "ends": counting.ends}
    if counting.citation is not None:
        out["citation"] = counting.citation
    if not counting.verified:
        out["verified"] = False
    return out


def _cap(cap: DeadlineRule | None) -> dict[str, Any] | None:
    if cap is None:
        return None
    out: dict[str, Any] = {"from": cap.anchor, "text": cap.text}
    if cap.days is not None:
        out["days"] = cap.days
    if cap.hours is not None:
        out["hours"] = cap.hours
    if cap.months is not None:
        out["months"] = cap.months
    if cap.business_days:
        out["business_days"] = True
    return out


def _not_before(wait: DeadlineRule | None, ruleset: Ruleset) -> dict[str, Any] | None:
    """A waiting period as the obligation reports it: the cap's keys, its citation and,
    for business days, the calendar that counts them."""
    out = _cap(wait)
    if out is None or wait is None:
        return None
    if wait.business_days:
        out["calendar"] = calendar_label(ruleset.holidays)
    if wait.citation is not None:
        out["citation"] = wait.citation
    return out


def clock_order(obligations: Sequence[ObligationRule]) -> list[ObligationRule]:
    """Notice to individuals first, and every chained clock after the one it runs from."""
    pending = sorted(obligations, key=lambda ob: ob.recipient != "individuals")
    done: set[str] = set()
    out: list[ObligationRule] = []
    while pending:
        for ob in pending:
            clocks = (ob.deadline, ob.deadline.cap, ob.deadline.not_before)
            targets = {c.chained_to for c in clocks if c is not None}
            if targets <= done | {None}:
                break
        else:  # pragma: no cover - the loader rejects cycles and unknown targets
            ob = pending[0]
        pending.remove(ob)
        out.append(ob)
        done.add(ob.rule.id.split(":", 1)[1])
    return out


def ruleset_ref(ruleset: Ruleset, law: LawInForce) -> RulesetRef:
    """The ruleset as an assessment lists it (code, version, citation, review date)."""
    return RulesetRef(
        code=ruleset.code,
        version=law.version.effective_from.isoformat(),
        citation=law.version.citation,
        name=ruleset.name,
        last_reviewed=ruleset.last_reviewed.isoformat(),
        kind="policy" if ruleset.is_policy else None,
        sha256=ruleset.sha256,
    )
