"""The determine stage: is the incident a breach under this law, and why.

A breach is *personal information* and the *trigger* and no *exception*, decided per
exposure in three-valued logic; the incident is a breach if any exposure is. Each rule's
reason shows its value per exposure and the facts it read.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from breachrules.engine.build import positional
from breachrules.engine.compiled import Compiled, Step
from breachrules.engine.evidence import Evidence
from breachrules.engine.reach import Reached
from breachrules.engine.results import INCIDENT_ONLY, Breach, Decided, Evaluated
from breachrules.engine.truth import WORDS, Truth, and_not, any_of
from breachrules.law.ruleset import Ruleset
from breachrules.model.decisions import (
    LISTED_EXPOSURES,
    Determination,
    Obligation,
    ReadOnlyDict,
    Reason,
)

__all__ = ["decide_breach", "determine", "exposure_label", "not_applicable"]

#: ``Reason(...)``, ``Determination(...)``, ``Breach(...)`` and ``Decided(...)``, every
#: field given (see ``engine.build``).
_reason = positional(Reason)
_determination = positional(Determination)
_breach = positional(Breach)
_decided = positional(Decided)


def decide_breach(
    c: Compiled,
    relevant: Sequence[int],
    truths: Sequence[dict[int, Truth]],
    facts: Sequence[dict[str, Any]],
    reached: Reached,
    evidence: Evidence,
) -> Breach:
    """The determination's status, whether each exposure is breached, what is missing."""
    steps = c.breach_steps
    pi, trigger, exceptions = steps[0], steps[1], steps[2:]
    by_exposure: list[Truth] = []
    missing: list[str] = list(reached.missing_facts)
    rebuttal: list[str] = []
    rebuttable = c.rebuttable
    indexes = c.breach_indexes
    # Exposures whose rules took the same values have the same breach value: each
    # combination is combined once (a thousand exposures are usually of a few kinds).
    # Exposures of one kind share one dict of values (``evaluate._exposures``): looked up
    # by the dict first.
    combined: dict[tuple[Truth, ...], tuple[Truth, Truth]] = {}
    shared: dict[int, tuple[Truth, Truth]] = {}
    for pos, i in enumerate(relevant):
        t = truths[pos]
        known = shared.get(id(t))
        if known is None:
            known = shared[id(t)] = _combined(t, indexes, combined, exceptions)
        breach, exception = known
        for ex in rebuttable:
            if t.get(ex.index) is None:
                rebuttal += evidence.missing(ex, facts[pos], [i], c)
        by_exposure.append(breach)
        if breach is None:
            for st in (pi, trigger):
                if t.get(st.index) is None:
                    missing += evidence.missing(st, facts[pos], [i], c)
            if exception is None:  # a rebuttable exception's facts are its rebuttal
                for ex in exceptions:
                    if not ex.rule.rebuttable and t.get(ex.index) is None:
                        missing += evidence.missing(ex, facts[pos], [i], c)
    overall = any_of(by_exposure) if by_exposure else False
    if overall is True and reached.applies is None:
        overall = None
    status = {True: "breach", False: "not_breach", None: "undetermined"}[overall]
    open_rebuttal = tuple(dict.fromkeys(rebuttal)) if status == "breach" else ()
    return _breach(status, tuple(by_exposure), tuple(dict.fromkeys(missing)), open_rebuttal)


def _combined(
    t: dict[int, Truth],
    indexes: tuple[int, ...],
    combined: dict[tuple[Truth, ...], tuple[Truth, Truth]],
    exceptions: tuple[Step, ...],
) -> tuple[Truth, Truth]:
    """An exposure's breach value and its exceptions' from its rules' values ``t``, each
    combination of values combined once (``combined``)."""
    values = tuple(map(t.get, indexes))
    known = combined.get(values)
    if known is None:
        # A rebuttable exception (a presumption of breach) counts only once it is
        # shown: unknown, it does not apply, and its facts are the rebuttal still open.
        # Kleene logic written out: any exception, then PI and trigger and no exception.
        exception: Truth = False
        for ex in exceptions:
            shown = t.get(ex.index)
            if shown is True:
                exception = True
                break
            if shown is None and not ex.rule.rebuttable:
                exception = None
        value = and_not(t.get(indexes[0]), t.get(indexes[1]), exception)
        known = combined[values] = (value, exception)
    return known


def determine(ev: Evaluated, evidence: Evidence, owed: tuple[Obligation, ...] = ()) -> Decided:
    """One evaluated law's determination, with the rule values the audit stage records,
    and ``owed``, the law's obligations (from the obligations stage)."""
    ruleset, law, c, reached = ev.ruleset, ev.law, ev.compiled, ev.reached
    assert law is not None and c is not None and reached is not None
    code = ruleset.code
    relevant, per_exposure = ev.relevant, ev.per_exposure
    reach_citation = ruleset.reach.citation or law.version.citation
    reasons = [_reason(f"{code}:reach", reached.reason, reach_citation, {}, ())]
    values: list[tuple[str, dict[str, Any]]] = []
    one = len(per_exposure) == 1
    everyone = _exposures(relevant)  # the common case: a rule of one value for all
    shared = {id(t) for t in per_exposure}  # exposures of one kind share their values
    for st in c.breach_steps:
        rule, index = st.rule, st.index
        if one:
            seen: list[Truth] = [per_exposure[0].get(index)]
        elif len(shared) == 1:  # every exposure of one kind: one dict of values
            seen = [per_exposure[0].get(index)] * len(per_exposure)
        else:
            seen = [t.get(index) for t in per_exposure]
        if seen and seen.count(seen[0]) == len(seen):
            word = WORDS[seen[0]]
            words = {word: list(relevant)}
            text = f"{rule.title}: {word} for {everyone}"
        else:
            words = {}
            for i, value in zip(relevant, seen, strict=True):
                words.setdefault(WORDS[value], []).append(i)
            summary = "; ".join([f"{w} for {_exposures(idx)}" for w, idx in words.items()])
            text = f"{rule.title}: {summary or 'no exposure in reach'}"
        if rule.duty and ("met" in words or "unknown" in words):
            text += f"; duty: {rule.duty}"
        if rule.rebuttable and "unknown" in words:
            tail = "the law presumes a breach unless this is shown"
            text += f" The {tail[4:]}" if text.endswith(".") else f"; {tail}"
        used, referred = evidence.read(st, relevant, reached, c)
        reasons.append(_reason(rule.id, text, rule.citation, used, referred))
        values.append((rule.id, _audit_detail(st, words, used)))
    status = ev.breach.status
    decided_missing = ev.breach.missing if status == "undetermined" else ()
    determination = _determination(
        code, status, tuple(reasons), decided_missing, ev.breach.rebuttal
    )
    return _decided(  # every field, in the class's order
        code,
        determination,
        c.ref,
        law,
        reached.reason,
        tuple(values),
        owed,
        ev.affected,
        reached.local is not None,
        ev.whole,
        # The duties that need no breach read every exposure in reach (``ev.whole``).
        c.whole_rules if ev.whole is not None else frozenset(),
        *_outside(c, evidence),
    )


def _outside(c: Compiled, evidence: Evidence) -> tuple[tuple[int, ...], frozenset[str]]:
    """``Decided.outside`` and ``Decided.outside_rules``: the exposures outside the law's
    reach that ``persons_every_exposure`` counted, and the duties that read it."""
    counted = evidence.outside.get(c.law.key, ((), ()))[0]
    if not counted:
        return (), frozenset()
    return counted, frozenset(
        d.ob.rule.id for d in c.duties if "persons_every_exposure" in d.step.reads
    )


#: How a ``rule_values`` audit event names a rule's value (``WORDS`` are for reasons).
_AUDIT_WORDS = {WORDS[True]: "true", WORDS[False]: "false", WORDS[None]: "unknown"}


def _audit_detail(st: Step, words: dict[str, list[int]], facts: dict[str, Any]) -> dict[str, Any]:
    """A breach rule's ``rule_values`` audit event: which exposures it was true, false and
    unknown for, which of their fields it read (recorded once, in the assessment's
    ``facts`` event), and the incident-wide facts it read, by contract path (``facts``
    is the reason's: its exposure entries are left to the ``facts`` event)."""
    by_value = {}
    for w, idx in words.items():
        by_value[_AUDIT_WORDS[w]] = idx
    wide = {}
    for k, v in facts.items():
        if not k.startswith("exposures["):
            wide[k] = v
    return {"values": by_value, "exposure_facts": list(st.exposure_fields), "facts": wide}


def not_applicable(ruleset: Ruleset, why: str, ref: Any = None) -> Decided:
    """A law named by the caller, or whose residents were affected, that does not apply."""
    citation = ruleset.reach.citation or ruleset.citation
    # Shared between assessments (made once per engine): its facts cannot be changed.
    reason = Reason(f"{ruleset.code}:reach", why, citation, ReadOnlyDict())
    determination = Determination(ruleset.code, "not_applicable", (reason,))
    return Decided(ruleset.code, determination, ref, reach_reason=why)


def _exposures(idx: Sequence[int]) -> str:
    """The exposures a rule had one value for, as its reason says it: each named, or, for
    more than ``LISTED_EXPOSURES``, how many (the audit's ``rule_values`` event lists
    them all)."""
    if len(idx) > LISTED_EXPOSURES:
        return f"{len(idx)} exposures"
    return ", ".join(map(exposure_label, idx))


def exposure_label(i: int) -> str:
    """How a reason names an exposure."""
    return "the incident (no exposure in reach)" if i == INCIDENT_ONLY else f"exposures[{i}]"
