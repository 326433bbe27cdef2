"""The evaluate stage: run one law's rules through the backend, three-valued.

First each exposure the law counts is evaluated against the breach rules. Then, if any
obligation can arise, the obligation rules are evaluated against the *possible worlds*:
the exposures certainly breached and those that may be. A condition with the same value
in every world is decided; one that differs (a threshold crossed only if an unknown fact
goes one way) is unknown.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType
from typing import Any

from breachrules.engine.build import positional
from breachrules.engine.compiled import COUNTS, EXPOSURE, INCIDENT, Compiled
from breachrules.engine.determine import decide_breach
from breachrules.engine.evidence import Evidence
from breachrules.engine.facts import Facts
from breachrules.engine.reach import Reached, reach
from breachrules.engine.results import INCIDENT_ONLY, Breach, Case, Evaluated
from breachrules.engine.truth import Truth, merge_worlds
from breachrules.engine.unreached import NOT_ENCODED
from breachrules.errors import BreachrulesError, EngineError
from breachrules.law.ruleset import LawInForce, Ruleset, Version

__all__ = ["evaluate", "possible_worlds"]

#: ``Evaluated(...)``, every field given (see ``engine.build``).
_evaluated = positional(Evaluated)


def evaluate(
    case: Case,
    ruleset: Ruleset,
    compiled: dict[str, Compiled],
    explicit: bool,
    backend: ModuleType,
    facts: Facts,
    evidence: Evidence,
) -> Evaluated | None:
    """Reach, facts and rule values for one ruleset; None if it plays no part at all."""
    law = ruleset.law_on(case.day)
    reached = reach(ruleset, case.incident, (case.owner, case.breached), case.areas, case.chain)
    if reached.applies is False:
        # Named by the caller, or its territory's residents were affected but the law
        # does not govern these parties (e.g. HIPAA without a covered entity): say so.
        if explicit or any(reached.residents):
            # Every field, in the class's order (the others' defaults): once per law that
            # does not apply, ten in a typical HIPAA incident (the federal sector laws).
            why = reached.reason
            return _evaluated(
                ruleset,
                law,
                None,
                reached,
                why,
                (),
                (),
                _NO_BREACH,
                False,
                (),
                {},
                {},
                None,
                None,
                None,
            )
        return None
    if law is None:
        # A law that would reach the incident but of which no version is encoded for its
        # day (an incident older than the ruleset) is said, never left out: left out, it
        # read as "no law of these residents applies" with nothing to say why.
        why = (
            f"{NOT_ENCODED}{ruleset.citation} covers {case.day}; the ruleset "
            f"encodes the law {_span(ruleset.versions)}"
        )
        return Evaluated(ruleset, None, None, reached, not_applicable=why)
    c = compiled[law.key]
    # An incident-based regime (NIS2, DORA, the SEC) reached by establishment, with no
    # exposure carrying people it counts, is decided on the incident's own facts.
    relevant = [i for i, counted in enumerate(reached.residents) if counted] or [INCIDENT_ONLY]
    try:
        with backend.evaluate(c.engine_name) as session:
            # The exposures outside the reach, where a rule counts their persons too, are
            # asserted with the others (one call: a fact's index is its id in the session).
            others = _others(relevant, facts, reached, c)
            exposure_facts, per_exposure = _exposures(
                session, (*relevant, *others), facts, reached, c
            )
            if others:
                n = len(relevant)
                outside = _outside(
                    others, per_exposure[n:], exposure_facts[n:], reached, c, evidence
                )
                del per_exposure[n:], exposure_facts[n:]
            else:
                outside = (0, 0)
            breach = decide_breach(c, relevant, per_exposure, exposure_facts, reached, evidence)
            needed = breach.status in ("breach", "undetermined") or any(
                not ob.requires_breach for ob in law.obligations
            )
            if needed:
                return _with_worlds(
                    ruleset,
                    law,
                    tuple(relevant),
                    tuple(per_exposure),
                    breach,
                    session,
                    facts,
                    reached,
                    c,
                    outside,
                )
            return Evaluated(
                ruleset,
                law,
                c,
                reached,
                relevant=tuple(relevant),
                per_exposure=tuple(per_exposure),
                breach=breach,
            )
    except BreachrulesError:
        raise
    except Exception as exc:  # pragma: no cover - defensive: never leak engine internals
        raise EngineError(f"evaluating {law.key} failed: {exc}") from exc


#: ``Evaluated.breach``'s default: no breach decided (a law that does not apply).
_NO_BREACH = Breach("not_breach", (), ())

#: The count that reads the exposures outside the law's reach (see ``_outside``).
EVERY_EXPOSURE = "persons_every_exposure"


def _others(
    relevant: Sequence[int], facts: Facts, reached: Reached, c: Compiled
) -> tuple[int, ...]:
    """The exposures with people affected but no resident the law counts, where one of
    its rules reads ``persons_every_exposure``; none otherwise."""
    if EVERY_EXPOSURE not in c.reads or INCIDENT_ONLY in relevant:
        return ()
    counted = reached.residents
    return tuple(
        i
        for i, e in enumerate(facts.case.incident.exposures)
        if not counted[i] and any(n > 0 for n in e.residents.values())
    )


def _outside(
    others: Sequence[int],
    truths: Sequence[dict[int, Truth]],
    exposure_facts: Sequence[dict[str, Any]],
    reached: Reached,
    c: Compiled,
    evidence: Evidence,
) -> tuple[int, int]:
    """The persons of the exposures ``others``, outside the law's reach (no resident it
    counts), that its own breach rules find breached, and those they may find breached:
    what ``persons_every_exposure`` adds to the exposures in reach.

    A law that requires notice "to any individual" whose data was acquired (Tex. Bus. &
    Com. Code § 521.053(b)) counts, for "more than 10,000 persons" ((h)), the persons of
    another state in a database with no Texan too: the answer must not turn on how the
    incident splits its exposures. Each such exposure is a breach under the law only if
    the law's own rules say so (its personal information, trigger and exceptions); it
    never makes the law's determination, which reads the exposures in reach alone. Their
    indexes, and the facts that would decide the doubtful ones, go to ``evidence`` for
    the duty's reason (``Evidence.outside``)."""
    decided = decide_breach(c, others, truths, exposure_facts, reached, evidence)
    certain = possible = 0
    shown: list[int] = []
    for i, b in zip(others, decided.by_exposure, strict=True):
        if b is False:
            continue
        shown.append(i)
        n = sum(evidence.case.incident.exposures[i].residents.values())
        if b is True:
            certain += n
        else:
            possible += n
    missing = [m for m in decided.missing if m not in reached.missing_facts]
    evidence.outside[c.law.key] = (tuple(shown), tuple(dict.fromkeys(missing)))
    return certain, possible


def _with_worlds(
    ruleset: Ruleset,
    law: LawInForce,
    relevant: tuple[int, ...],
    per_exposure: tuple[dict[int, Truth], ...],
    breach: Breach,
    session: object,
    facts: Facts,
    reached: Reached,
    c: Compiled,
    outside: tuple[int, int] = (0, 0),
) -> Evaluated:
    """The law evaluated: its breach rules' values (``per_exposure``, for the exposures
    ``relevant``, and the ``breach`` they decide), with the obligation rules' values
    across the possible worlds. ``outside``: the persons outside the law's reach that its
    breach rules find breached, and that they may (see ``_outside``): every world counts
    the first, the widest both, so a threshold they alone may cross stays unknown."""
    pairs = list(zip(relevant, breach.by_exposure, strict=True))
    affected = [i for i, b in pairs if b is not False]
    worlds = possible_worlds([i for i, b in pairs if b is True], affected)
    certain, possible = outside
    if possible and len(worlds) == 1:  # the doubt is outside the reach alone
        worlds = [worlds[0], worlds[0]]
    least: int | None = None
    if len(worlds) > 2 and c.count_cuts is not None:
        worlds, least = _one_of_each_kind(worlds, facts, reached, c, certain)
    widest = len(worlds) - 1
    world_facts = [
        facts.world(w, reached, c, certain + possible if n == widest else certain)
        for n, w in enumerate(worlds)
    ]
    # A duty that does not require a breach (a record of every incident, a written no-harm
    # determination "if the incident affects over five hundred residents") reads the whole
    # incident in the law's reach, breached or not: one more world, when it differs.
    whole = [i for i in relevant if i != INCIDENT_ONLY]
    wide = c.unbreached and whole != [i for i in worlds[-1] if i != INCIDENT_ONLY]
    if wide:
        world_facts.append(facts.world(whole, reached, c, certain + possible))
    fired = _truths(
        session.assert_facts(INCIDENT, world_facts),  # type: ignore[attr-defined]
        len(world_facts),
    )
    wide_fact: dict[str, Any] | None = None
    wide_truths: dict[int, Truth] | None = None
    if wide:
        last = world_facts.pop()
        wide_fact = {**last, "residents_certain": last["residents"]}
        wide_truths = fired.pop()
    # The widest world's facts, plus the smallest head count of any world, so a threshold
    # crossed only in some worlds stays unknown.
    if least is None:
        least = min(f["residents"] for f in world_facts)
    fact = {**world_facts[-1], "residents_certain": least}
    return _evaluated(  # every field, in the class's order
        ruleset,
        law,
        c,
        reached,
        None,
        relevant,
        per_exposure,
        breach,
        True,
        tuple(affected),
        fact,
        merge_worlds(fired),
        tuple(whole) if wide else None,
        wide_fact,
        wide_truths,
    )


def _one_of_each_kind(
    worlds: list[list[int]],
    facts: Facts,
    reached: Reached,
    c: Compiled,
    outside: int = 0,
) -> tuple[list[list[int]], int]:
    """The worlds of one uncertain exposure each, one per kind (``Facts.kind_of_world``),
    then the widest; and the smallest head count of them all.

    With nothing certainly breached, every uncertain exposure is a narrowest world of its
    own: a thousand exposures were a thousand worlds per law. Exposures of the same kind
    give every obligation rule the same values, so one of each decides the same (a
    property test compares the two on generated incidents).
    """
    kept: dict[tuple[Any, ...], list[int]] = {}
    least: int | None = None
    cuts = c.count_cuts
    assert cuts is not None
    for world in worlds[:-1]:
        kind, residents = facts.kind_of_world(world[0], reached, cuts, c.whole_countries, outside)
        kept.setdefault(kind, world)
        least = residents if least is None or residents < least else least
    assert least is not None
    return [*kept.values(), worlds[-1]], least


def possible_worlds(certain: list[int], affected: list[int]) -> list[list[int]]:
    """The narrowest and the widest possible worlds, which decide every condition that
    only grows (or only shrinks) as exposures are added: "more than 500" and "fewer than
    500" alike. With nothing certainly breached, the narrowest worlds are each uncertain
    exposure on its own. The widest world is always last."""
    if certain == affected:
        return [affected]
    if certain:
        return [certain, affected]
    return [*([i] for i in affected), affected] if len(affected) > 1 else [affected]


def _exposures(
    session: Any, exposures: Sequence[int], facts: Facts, reached: Reached, c: Compiled
) -> tuple[list[dict[str, Any]], list[dict[int, Truth]]]:
    """Each exposure's fact and its breach rules' values. Where no breach rule reads a
    head count (no bundled law's does), exposures of one kind (the same facts and
    elements: ``Facts.kinds``) have facts that differ only in what no rule reads:
    one fact of each kind is built and evaluated, and its values and fact stand for every
    exposure of the kind (read, never changed: a thousand exposures of a few kinds are a
    few facts per law, not a thousand)."""
    if len(exposures) == 1 or any(f in COUNTS for st in c.breach_steps for f in st.reads):
        every = [facts.exposure(i, reached, c) for i in exposures]
        return every, _truths(session.assert_facts(EXPOSURE, every), len(every))
    kinds: dict[int, int] = {}
    shown: list[dict[str, Any]] = []
    which: list[int] = []
    kind_of = facts.kinds()
    for i in exposures:
        kind = kind_of[i]
        k = kinds.get(kind)
        if k is None:
            k = kinds[kind] = len(shown)
            shown.append(facts.exposure(i, reached, c))
        which.append(k)
    truths = _truths(session.assert_facts(EXPOSURE, shown), len(shown))
    return [shown[k] for k in which], [truths[k] for k in which]


def _truths(fired: list[tuple[int, bool, int]], n: int) -> list[dict[int, Truth]]:
    out: list[dict[int, Truth]] = [{} for _ in range(n)]
    for rule_index, positive, fact_index in fired:
        out[fact_index][rule_index] = positive
    return out


def _span(versions: Sequence[Version]) -> str:
    start, end = versions[0].effective_from, versions[-1].effective_to
    return f"from {start}" + (f" to {end}" if end else "")
