"""The Engine: select the rulesets that reach an incident, run them, assemble the result.

The law is in the rulesets; this module only combines rule outcomes the way the ruleset
format defines (a breach is *personal information* and the *trigger* and no *exception*,
an obligation is a breach and its own condition and none of its exceptions), with
three-valued logic throughout: an unknown fact makes the outcome unknown and is named,
never read as false.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs

from breachrules.engine import audit
from breachrules.engine.reach import Reached, area_index, areas_of, reach
from breachrules.errors import BreachrulesError, EngineError
from breachrules.law.calendars import calendar_label, due_at, end_of_day
from breachrules.law.conditions import FIELDS, Node, field_names, flags_of
from breachrules.law.loader import bundled_paths, load_rulesets
from breachrules.law.ruleset import Deadline as DeadlineRule
from breachrules.law.ruleset import LawInForce, ObligationRule, Rule, Ruleset, Version
from breachrules.model.decisions import (
    Assessment,
    Deadline,
    Determination,
    Liability,
    Obligation,
    ObligationStatus,
    Reason,
    RulesetRef,
    SubstituteNotice,
)
from breachrules.model.facts import CLASSIFICATION_FLAGS, Contract, Exposure, Incident
from breachrules.model.timestamps import format_timestamp, parse_timestamp
from breachrules.model.vocabulary import PARTY_TYPES

__all__ = ["Engine"]

Truth = bool | None
_EXPOSURE, _INCIDENT = "e", "i"


def _and(values: Iterable[Truth]) -> Truth:
    vals = list(values)
    if False in vals:
        return False
    return None if None in vals else True


def _or(values: Iterable[Truth]) -> Truth:
    vals = list(values)
    if True in vals:
        return True
    return None if None in vals else False


def _not(value: Truth) -> Truth:
    return None if value is None else not value


@attrs.frozen
class _Step:
    """A rule with what an assessment needs of it, worked out once when compiling."""

    rule: Rule
    #: Its position in the compiled rules (what the backend's firings name).
    index: int
    #: The fact fields it reads, set fields included: what its reason shows.
    reads: tuple[str, ...]
    #: The scalar fields it reads: the facts that can be missing.
    scalars: tuple[str, ...]


@attrs.frozen
class _Duty:
    """An obligation with its rule steps and the parts of its output that never change."""

    ob: ObligationRule
    step: _Step
    exceptions: tuple[_Step, ...]
    #: The deadline as every obligation of this rule reports it.
    deadline: Deadline
    #: The obligation's own id within its ruleset (what ``obligation:<id>`` names).
    key: str
    #: Whether the obligation has its own dates of force within the version.
    dated: bool = True


@attrs.define
class _Evaluated:
    """One ruleset's rules run against an incident, before any output is built."""

    ruleset: Ruleset
    law: LawInForce | None
    compiled: _Compiled | None
    reached: Reached | None
    #: Why the law does not apply, when it was named or its residents were affected.
    not_applicable: str | None = None
    relevant: list[int] = attrs.Factory(list)
    exposure_facts: list[dict[str, Any]] = attrs.Factory(list)
    per_exposure: list[dict[int, Truth]] = attrs.Factory(list)
    status: str = "not_breach"
    breach_by_exposure: list[Truth] = attrs.Factory(list)
    missing: list[str] = attrs.Factory(list)
    obligations_needed: bool = False
    #: The exposures that are or may be breached, the incident fact of the widest world
    #: and the obligation rules' values (when obligations are needed).
    affected: list[int] = attrs.Factory(list)
    fact: dict[str, Any] = attrs.Factory(dict)
    truths: dict[int, Truth] = attrs.Factory(dict)


@attrs.frozen
class _Compiled:
    """A law in force, registered with the backend, with its rules indexed."""

    law: LawInForce
    #: The backend's handle on the compiled rules (a registered name, or the rules).
    engine_name: Any
    index: dict[str, int]
    #: Personal information, the breach trigger, then the breach exceptions.
    breach_steps: tuple[_Step, ...] = ()
    #: The obligations in the order their clocks are worked out (see ``_clock_order``).
    duties: tuple[_Duty, ...] = ()
    #: Per fact kind, ``False`` for every flag its rules read (absent means "not present").
    defaults: dict[str, dict[str, bool]] = attrs.Factory(dict)
    #: The ruleset as the assessment lists it.
    ref: RulesetRef | None = None


def load_backend(name: str | None = None) -> tuple[str, ModuleType]:
    """The rule-engine backend: ``"durable"`` (durable-rules, the default where it imports)
    or ``"python"`` (pure Python, the same semantics). ``None`` picks durable-rules and
    falls back to Python, with one warning, where durable-rules cannot be imported
    (for example on Python 3.13, where durable-rules 2.0.28 does not build)."""
    if name not in (None, "durable", "python"):
        raise BreachrulesError(f"backend: {name!r} is not 'durable' or 'python'")
    if name == "python":
        return "python", importlib.import_module("breachrules.engine._python")
    try:
        return "durable", importlib.import_module("breachrules.engine._durable")
    except ImportError as exc:
        if name == "durable":
            raise BreachrulesError(
                f"backend 'durable': durable-rules cannot be imported ({exc})"
            ) from exc
        warnings.warn(
            f"breachrules: durable-rules cannot be imported ({exc}); using the pure-Python backend",
            RuntimeWarning,
            stacklevel=3,
        )
        return "python", importlib.import_module("breachrules.engine._python")


def _compile(law: LawInForce, backend: ModuleType, ruleset: Ruleset) -> _Compiled:
    rules: list[tuple[Node, str]] = []
    index: dict[str, int] = {}
    flags: dict[str, set[str]] = {_EXPOSURE: set(), _INCIDENT: set()}
    exposure_rules = [law.personal_information, law.breach, *law.breach.exceptions]
    incident_rules = [r for ob in law.obligations for r in (ob.rule, *ob.rule.exceptions)]
    for kind, group in ((_EXPOSURE, exposure_rules), (_INCIDENT, incident_rules)):
        for rule in group:
            index[rule.id] = len(rules)
            rules.append((rule.when, kind))
            flags[kind].update(flags_of(rule.when))
    definition = backend.compile_rules(rules)
    name = backend.register(definition, law.key)

    def step(rule: Rule) -> _Step:
        return _Step(rule, index[rule.id], field_names(rule.when, True), field_names(rule.when))

    duties = tuple(
        _Duty(
            ob,
            step(ob.rule),
            tuple(step(ex) for ex in ob.rule.exceptions),
            Deadline(
                text=ob.deadline.text,
                from_=ob.deadline.anchor,
                days=ob.deadline.days,
                hours=ob.deadline.hours,
                business_days=ob.deadline.business_days,
                calendar=calendar_label(ruleset.holidays) if ob.deadline.business_days else None,
                cap=_cap(ob.deadline.cap),
            ),
            ob.rule.id.split(":", 1)[1],
            ob.effective_from is not None or ob.effective_to is not None,
        )
        for ob in _clock_order(law.obligations)
    )
    return _Compiled(
        law,
        name,
        index,
        tuple(step(r) for r in exposure_rules),
        duties,
        {k: dict.fromkeys(sorted(v), False) for k, v in flags.items()},
        _ref(ruleset, law),
    )


class Engine:
    """Compiles rulesets once and assesses incidents against them.

    ``Engine()`` loads every bundled ruleset; ``Engine(paths=[...])`` adds the user's own
    files or folders (``bundled=False`` leaves the bundled ones out). Build it once and
    reuse it: ``assess`` is safe to call from several threads at once.
    """

    def __init__(
        self,
        paths: Sequence[str | Path] = (),
        *,
        bundled: bool = True,
        backend: str | None = None,
    ) -> None:
        roots: list[Path | str] = [*(bundled_paths() if bundled else []), *paths]
        #: ``"durable"`` or ``"python"``: which rule engine evaluates the rules.
        self.backend, self._backend = load_backend(backend)
        self.rulesets: tuple[Ruleset, ...] = tuple(load_rulesets(roots))
        self._by_code = {r.code: r for r in self.rulesets}
        # Rulesets by the areas their reach names, so an assessment looks only at the
        # rulesets whose territory holds an affected resident or a party's establishment.
        self._by_area: dict[str, list[int]] = {}
        self._everywhere: list[int] = []
        for n, r in enumerate(self.rulesets):
            areas = {*r.reach.residents, *r.reach.established_in}
            for area in areas:
                self._by_area.setdefault(area, []).append(n)
            if not areas:
                self._everywhere.append(n)
        self._compiled = {
            law.key: _compile(law, self._backend, r) for r in self.rulesets for law in r.laws
        }
        #: Party type words the contract or a loaded ruleset knows; others are reported.
        self._type_words = frozenset(PARTY_TYPES).union(*(r.party_types for r in self.rulesets))

    def _candidates(self, incident: Incident) -> list[Ruleset]:
        """The rulesets that could reach ``incident``, in load order (see ``reach``)."""
        places = {c for e in incident.exposures for c, n in e.residents.items() if n > 0}
        places.update(c for p in incident.parties for c in p.established_in)
        found = set(self._everywhere)
        for place in places:
            for area in areas_of(place):
                found.update(self._by_area.get(area, ()))
        return [self.rulesets[n] for n in sorted(found)]

    def ruleset(self, code: str) -> Ruleset:
        """The loaded ruleset for ``code``; KeyError if none."""
        return self._by_code[code]

    def assess(
        self,
        incident: Incident,
        as_of: datetime | str | None = None,
        jurisdictions: Iterable[str] | None = None,
    ) -> Assessment:
        """Assess ``incident`` under every ruleset that reaches it (or those named).

        ``as_of`` is the moment of evaluation (default: the incident's ``discovered_at``,
        never the wall clock); obligations already past due at ``as_of`` are marked
        ``overdue``.
        """
        moment = _as_of(incident, as_of)
        warnings: list[str] = []
        if jurisdictions is None:
            selected = self._candidates(incident)
            explicit = False
        else:
            codes = list(dict.fromkeys(jurisdictions))
            unknown = [c for c in codes if c not in self._by_code]
            if unknown:
                raise BreachrulesError(
                    f"no ruleset for {', '.join(unknown)}; loaded: {', '.join(self._by_code)}"
                )
            selected = [self._by_code[c] for c in codes]
            explicit = True
        for i, party in enumerate(incident.parties):
            for word in party.types:
                if word not in self._type_words:
                    warnings.append(f"parties[{i}].types: {word!r} is not a word any ruleset uses")
        run = _Run(incident, moment, self._backend)
        evaluated = [run.evaluate(ruleset, self._compiled, explicit) for ruleset in selected]
        for ev in evaluated:
            if ev is not None:
                run.record(ev)
        return run.finish(warnings)


def _as_of(incident: Incident, as_of: datetime | str | None) -> datetime:
    if as_of is None:
        return incident.discovered_at
    if isinstance(as_of, str):
        try:
            return parse_timestamp(as_of)
        except (TypeError, ValueError) as exc:
            raise BreachrulesError(f"as_of: {exc}") from None
    if as_of.tzinfo is None:
        raise BreachrulesError(
            "as_of: a naive datetime is never read as local time; give a UTC offset"
        )
    return as_of


class _Run:
    """The state of one assessment while it is being assembled."""

    def __init__(self, incident: Incident, as_of: datetime, backend: ModuleType) -> None:
        self.backend = backend
        self.incident = incident
        # Derived once: Incident's properties walk the parties on every call.
        self.owner, self.breached, self.chain = incident.owner, incident.breached, incident.chain
        self.as_of = as_of
        self.tz = incident.discovered_at.tzinfo
        self.day = incident.discovered_at.date()
        self.refs: list[RulesetRef] = []
        self.determinations: list[Determination] = []
        self.obligations: list[Obligation] = []
        #: The audit chain, linked as the assessment decides.
        self.audit = audit.Chain(format_timestamp(as_of))
        self.common = self._common()
        #: The provider a contract makes send the owner's notices to individuals, if any.
        self.performer = _individual_notice_performer(incident)
        # ``_used``'s entries: for the whole assessment, and for the ruleset being run.
        self._fact_cache: dict[tuple[str, tuple[int, ...]], list[tuple[str, Any]]] = {}
        self._reach_cache: dict[tuple[str, tuple[int, ...]], list[tuple[str, Any]]] = {}
        self._anchors = self._clock_anchors()
        self.areas = area_index(incident)
        self._exposure_bases: dict[int, dict[str, Any]] = {}
        self._incident_bases: dict[tuple[int, ...], dict[str, Any]] = {}

    # -- one ruleset -----------------------------------------------------------------------

    def evaluate(
        self, ruleset: Ruleset, compiled: dict[str, _Compiled], explicit: bool
    ) -> _Evaluated | None:
        """Run one ruleset's rules; ``record`` then turns the result into output.

        The two are kept apart so that an assessment runs every ruleset's rules first, one
        session after another, and only then builds its reasons, obligations and audit
        records: the rule engine's work stays together, which is measurably faster (see
        docs/scaling.md). Nothing is added to the assessment here.
        """
        law = ruleset.law_on(self.day)
        if law is None:
            if not explicit:
                return None
            why = (
                f"no encoded version of {ruleset.citation} covers {self.day}; the ruleset "
                f"encodes the law {_span(ruleset.versions)}"
            )
            return _Evaluated(ruleset, None, None, None, not_applicable=why)
        reached = reach(ruleset, self.incident, (self.owner, self.breached), self.areas)
        if reached.applies is False:
            # Named by the caller, or its territory's residents were affected but the law
            # does not govern these parties (e.g. HIPAA without a covered entity): say so.
            if explicit or any(reached.residents):
                return _Evaluated(ruleset, law, None, reached, not_applicable=reached.reason)
            return None
        c = compiled[law.key]
        relevant = [i for i, counted in enumerate(reached.residents) if counted]
        if not relevant:
            # The law reaches the incident (by establishment) but no exposure carries people
            # it counts: an incident-based regime (NIS2, DORA, the SEC) is still decided,
            # on the incident's own facts, as "the incident" (index -1, no exposure).
            relevant = [_INCIDENT_ONLY]
        ev = _Evaluated(ruleset, law, c, reached, relevant=relevant)
        try:
            with self.backend.evaluate(c.engine_name) as session:
                ev.exposure_facts = [self._exposure_fact(i, reached, c) for i in relevant]
                fired = session.assert_facts(_EXPOSURE, ev.exposure_facts)
                ev.per_exposure = self._truths(c, fired, len(relevant))
                ev.status, ev.breach_by_exposure, ev.missing = self._breach(
                    c, relevant, ev.per_exposure, ev.exposure_facts, reached
                )
                ev.obligations_needed = ev.status in ("breach", "undetermined") or any(
                    not ob.requires_breach for ob in law.obligations
                )
                if ev.obligations_needed:
                    # Two worlds: the exposures that are certainly breached, and those that
                    # may be. A condition with the same value in both is decided; one that
                    # differs (a threshold crossed only if an unknown fact goes one way) is
                    # unknown, and the facts that decide the uncertain exposures are missing.
                    pairs = list(zip(relevant, ev.breach_by_exposure, strict=True))
                    certain = [i for i, b in pairs if b is True]
                    affected = [i for i, b in pairs if b is not False]
                    # The narrowest and the widest possible worlds decide every condition
                    # that only grows (or only shrinks) as exposures are added: "more than
                    # 500" and "fewer than 500" alike. With nothing certainly breached, the
                    # narrowest worlds are each uncertain exposure on its own.
                    if certain == affected:
                        worlds = [affected]
                    elif certain:
                        worlds = [certain, affected]
                    else:
                        worlds = (
                            [*([i] for i in affected), affected]
                            if len(affected) > 1
                            else [affected]
                        )
                    facts = [self._incident_fact(w, reached, c) for w in worlds]
                    fired_i = session.assert_facts(_INCIDENT, facts)
                    ev.truths = _merge_worlds(self._truths(c, fired_i, len(facts)))
                    # The widest world's facts, plus the smallest head count of any world,
                    # so a threshold crossed only in some worlds stays unknown.
                    ev.fact = {
                        **facts[-1],
                        "residents_certain": min(f["residents"] for f in facts),
                    }
                    ev.affected = affected
        except BreachrulesError:
            raise
        except Exception as exc:  # pragma: no cover - defensive: never leak engine internals
            raise EngineError(f"evaluating {law.key} failed: {exc}") from exc
        return ev

    def record(self, ev: _Evaluated) -> None:
        """Add one evaluated ruleset's determination, obligations and audit records."""
        ruleset, law, c, reached = ev.ruleset, ev.law, ev.compiled, ev.reached
        if ev.not_applicable is not None:
            self._not_applicable(ruleset, ev.not_applicable, law)
            return
        assert law is not None and c is not None and reached is not None
        code = ruleset.code
        self.refs.append(c.ref or _ref(ruleset, law))
        self.audit.add(
            "ruleset_selected",
            None,
            code,
            {"version": law.version.effective_from.isoformat(), "reach": reached.reason},
        )
        self._reach_cache = {}
        reasons = self._breach_reasons(
            c, ev.relevant, ev.per_exposure, reached, ruleset.reach.citation or law.version.citation
        )
        decided_missing = tuple(ev.missing) if ev.status == "undetermined" else ()
        self.determinations.append(Determination(code, ev.status, tuple(reasons), decided_missing))  # type: ignore[arg-type]
        self.audit.add(
            "determination",
            law.breach.id,
            code,
            {"status": ev.status, "missing_facts": list(decided_missing)},
        )
        if ev.obligations_needed:
            self._obligations(
                ruleset, c, ev.status, ev.missing, ev.affected, ev.fact, ev.truths, reached
            )

    def _not_applicable(self, ruleset: Ruleset, why: str, law: LawInForce | None = None) -> None:
        if law is not None:
            self.refs.append(_ref(ruleset, law))
        reason = Reason(f"{ruleset.code}:reach", why, ruleset.reach.citation or ruleset.citation)
        self.determinations.append(Determination(ruleset.code, "not_applicable", (reason,)))
        self.audit.add(
            "determination", None, ruleset.code, {"status": "not_applicable", "reason": why}
        )

    # -- facts -----------------------------------------------------------------------------

    def _common(self) -> dict[str, Any]:
        inc = self.incident
        owner, breached = self.owner, self.breached
        fact: dict[str, Any] = {
            "good_faith_insider": inc.good_faith_insider,
            "malicious": inc.malicious,
            "harm_likely": inc.risk.harm_likely,
            "gdpr_risk": inc.risk.gdpr_risk,
            "hipaa_low_probability_of_compromise": inc.risk.hipaa_low_probability_of_compromise,
            "ransom_paid": inc.ransom_paid_at is not None,
            "law_enforcement_delay": inc.law_enforcement.delay_requested_until is not None,
            "breached_party_role": breached.data_role,
        }
        cls = inc.classification
        for name in CLASSIFICATION_FLAGS:
            fact[name] = getattr(cls, name)
        for word in breached.types:
            fact[f"breached_party_types:{word}"] = True
        for word in owner.types:
            fact[f"owner_types:{word}"] = True
        return fact

    def _used(self, st: _Step, exposures: Sequence[int], reached: Reached) -> dict[str, Any]:
        """The facts a rule reads, by contract field path, with their values.

        Rulesets read the same few fields over and over, so each field's entries are
        worked out once per assessment (residents: once per ruleset, since each law counts
        only the residents in its reach) and copied into each reason.
        """
        out: dict[str, Any] = {}
        key = tuple(exposures)
        for name in st.reads:
            cache = self._reach_cache if name in _RESIDENT_FIELDS else self._fact_cache
            entries = cache.get((name, key))
            if entries is None:
                entries = cache[name, key] = self._entries(name, exposures, reached)
            for path, value in entries:  # each reason gets its own lists and dicts
                kind = type(value)
                out[path] = list(value) if kind is list else dict(value) if kind is dict else value
        return out

    def _entries(
        self, name: str, exposures: Sequence[int], reached: Reached
    ) -> list[tuple[str, Any]]:
        """``_used``'s entries for one field, uncached."""
        inc = self.incident
        source = FIELDS[name][2]
        if source == "exposures[].residents":
            return [
                (f"exposures[{i}].residents", dict(sorted(reached.residents[i].items())))
                for i in exposures
                if i != _INCIDENT_ONLY
            ]
        if source.startswith("exposures[]."):
            attr = source.split(".", 1)[1]
            return [
                (
                    f"exposures[{i}].{attr}",
                    list(getattr(inc.exposures[i], attr))
                    if attr == "elements"
                    else getattr(inc.exposures[i], attr),
                )
                for i in exposures
                if i != _INCIDENT_ONLY
            ]
        if name == "breached_party_role":
            return [("breached_party", f"{self.breached.id} ({self.breached.data_role})")]
        if name in ("breached_party_types", "owner_types"):
            party = self.breached if name == "breached_party_types" else self.owner
            return [(f"parties[{inc.parties.index(party)}].types", list(party.types))]
        value: Any = inc
        for step in source.split("."):
            value = getattr(value, step)
        return [(source, format_timestamp(value) if isinstance(value, datetime) else value)]

    def _exposure_fact(self, i: int, reached: Reached, c: _Compiled) -> dict[str, Any]:
        """What the rules about one exposure read: the incident, the exposure, the residents
        the law counts, and ``False`` for every element flag the law reads but is absent."""
        base = self._exposure_bases.get(i)
        if base is None:
            e = _NO_EXPOSURE if i == _INCIDENT_ONLY else self.incident.exposures[i]
            base = self._exposure_bases[i] = self._base(
                e.acquired, e.accessed, e.encrypted, e.key_compromised, e.paper, e.elements
            )
        counted = {} if i == _INCIDENT_ONLY else reached.residents[i]
        fact = {**c.defaults[_EXPOSURE], **base}
        fact["residents"] = sum(counted.values())
        fact["residents_max_place"] = max(counted.values(), default=0)
        return fact

    def _incident_fact(self, affected: list[int], reached: Reached, c: _Compiled) -> dict[str, Any]:
        """What the obligation rules read: the incident, the exposures of one possible
        world taken together, and the residents the law counts in them."""
        affected = [i for i in affected if i != _INCIDENT_ONLY]
        key = tuple(affected)
        base = self._incident_bases.get(key)
        if base is None:
            es = [self.incident.exposures[i] for i in affected]
            base = self._incident_bases[key] = (
                self._base(
                    _or(e.acquired for e in es),
                    _or(e.accessed for e in es),
                    _and(e.encrypted for e in es),
                    _or(e.key_compromised for e in es),
                    _or(e.paper for e in es),
                    [word for e in es for word in e.elements],
                )
                if es
                else self._base(None, None, None, None, None, ())
            )
        per_place: dict[str, int] = {}
        for i in affected:
            for place, n in reached.residents[i].items():
                per_place[place] = per_place.get(place, 0) + n
        fact = {**c.defaults[_INCIDENT], **base}
        fact["residents"] = sum(per_place.values())
        fact["residents_max_place"] = max(per_place.values(), default=0)
        return fact

    def _base(
        self,
        acquired: Truth,
        accessed: Truth,
        encrypted: Truth,
        key_compromised: Truth,
        paper: Truth,
        elements: Iterable[str],
    ) -> dict[str, Any]:
        """The part of a fact that is the same under every law (built once per assessment)."""
        fact = dict(self.common)
        fact.update(
            {
                "acquired": acquired,
                "accessed": accessed,
                "encrypted": encrypted,
                "key_compromised": key_compromised,
                "paper": paper,
            }
        )
        for word in elements:
            fact[f"elements:{word}"] = True
        # An unknown value is an absent field: what every backend reads as unknown.
        return {k: v for k, v in fact.items() if v is not None}

    @staticmethod
    def _truths(c: _Compiled, fired: list[tuple[int, bool, int]], n: int) -> list[dict[int, Truth]]:
        out: list[dict[int, Truth]] = [{} for _ in range(n)]
        for rule_index, positive, fact_index in fired:
            out[fact_index][rule_index] = positive
        return out

    # -- determination ---------------------------------------------------------------------

    def _missing(self, st: _Step, fact: dict[str, Any], exposures: Sequence[int]) -> list[str]:
        out: list[str] = []
        for name in st.scalars:
            if fact.get(name) is not None:
                continue
            source = FIELDS[name][2]
            if source.startswith("exposures[]"):
                attr = source.split(".", 1)[1]
                out.extend(
                    f"exposures[{i}].{attr}"
                    for i in exposures
                    if i != _INCIDENT_ONLY and getattr(self.incident.exposures[i], attr) is None
                )
            else:
                out.append(source)
        return out

    def _breach(
        self,
        c: _Compiled,
        relevant: list[int],
        truths: list[dict[int, Truth]],
        facts: list[dict[str, Any]],
        reached: Reached,
    ) -> tuple[str, list[Truth], list[str]]:
        """The determination's status, whether each exposure is breached, what is missing."""
        steps = c.breach_steps
        pi, trigger, exceptions = steps[0], steps[1], steps[2:]
        by_exposure: list[Truth] = []
        missing: list[str] = list(reached.missing_facts)
        for pos, i in enumerate(relevant):
            t = truths[pos]
            exception = _or(t.get(ex.index) for ex in exceptions)
            breach = _and([t.get(pi.index), t.get(trigger.index), _not(exception)])
            by_exposure.append(breach)
            if breach is None:
                for st in (pi, trigger):
                    if t.get(st.index) is None:
                        missing += self._missing(st, facts[pos], [i])
                if exception is None:
                    for ex in exceptions:
                        if t.get(ex.index) is None:
                            missing += self._missing(ex, facts[pos], [i])
        overall = _or(by_exposure) if by_exposure else False
        if overall is True and reached.applies is None:
            overall = None
        status = {True: "breach", False: "not_breach", None: "undetermined"}[overall]
        # What decides the exposures still in doubt.
        return status, by_exposure, list(dict.fromkeys(missing))

    def _breach_reasons(
        self,
        c: _Compiled,
        relevant: list[int],
        truths: list[dict[int, Truth]],
        reached: Reached,
        reach_citation: str,
    ) -> list[Reason]:
        """Each breach rule's reason, and its value per exposure as audit records."""
        code = c.law.code
        outcome: dict[str, dict[str, list[int]]] = {}
        link = self.audit.add
        for pos, i in enumerate(relevant):
            t = truths[pos]
            for st in c.breach_steps:
                value = t.get(st.index)
                outcome.setdefault(st.rule.id, {}).setdefault(_WORDS[value], []).append(i)
                link("rule_evaluated", st.rule.id, code, {"exposure": i, "value": value})
        reasons = [Reason(f"{code}:reach", reached.reason, reach_citation)]
        for st in c.breach_steps:
            rule = st.rule
            words = outcome.get(rule.id, {})
            summary = "; ".join(
                [f"{w} for {', '.join([_label(i) for i in idx])}" for w, idx in words.items()]
            )
            text = f"{rule.title}: {summary or 'no exposure in reach'}"
            if rule.duty and ("met" in words or "unknown" in words):
                text += f"; duty: {rule.duty}"
            reasons.append(Reason(rule.id, text, rule.citation, self._used(st, relevant, reached)))
        return reasons

    # -- obligations -----------------------------------------------------------------------

    def _obligations(
        self,
        ruleset: Ruleset,
        c: _Compiled,
        status: str,
        determination_missing: list[str],
        affected: list[int],
        fact: dict[str, Any],
        truths: dict[int, Truth],
        reached: Reached,
    ) -> None:
        code = c.law.code
        breach_truth: Truth = {"breach": True, "not_breach": False}.get(status)
        individual_due: datetime | None = None
        dues: dict[str, datetime | None] = {}
        chain = self.chain
        for duty in c.duties:
            ob = duty.ob
            if duty.dated and not ob.in_force(self.day):
                continue
            rule = ob.rule
            when = truths.get(duty.step.index)
            excs = [truths.get(ex.index) for ex in duty.exceptions] if duty.exceptions else []
            exception = _or(excs)
            parts: list[Truth] = [when, _not(exception)]
            if ob.requires_breach:
                parts.append(breach_truth)
            elif reached.applies is None:
                parts.append(None)  # the law may not reach the incident at all
            value = _and(parts)
            ob_status = _STATUS[value]
            owed = ob_status != "not_required"
            missing: list[str] = []
            reasons: list[Reason] = [
                Reason(
                    rule.id,
                    f"{rule.title}: {_WORDS[when]}",
                    rule.citation,
                    self._used(duty.step, affected, reached),
                )
            ]
            for ex, ex_value in zip(duty.exceptions, excs, strict=True):
                if ex_value is not False:
                    text = f"{ex.rule.title}: {_EXCEPTION_WORDS[ex_value]}"
                    if ex.rule.duty:
                        text += f"; duty: {ex.rule.duty}"
                    reasons.append(
                        Reason(
                            ex.rule.id, text, ex.rule.citation, self._used(ex, affected, reached)
                        )
                    )
            if value is None:
                if ob.requires_breach and breach_truth is None:
                    missing += determination_missing
                elif not ob.requires_breach and reached.applies is None:
                    missing += list(reached.missing_facts)
                if when is None:
                    missing += self._missing(duty.step, fact, affected) or determination_missing
                if exception is None:
                    for ex, ex_value in zip(duty.exceptions, excs, strict=True):
                        if ex_value is None:
                            missing += self._missing(ex, fact, affected) or determination_missing
            due, due_missing, due_reasons = self._due(ruleset, ob, individual_due, dues)
            missing += due_missing if owed else []
            reasons += due_reasons
            if ob.recipient == "individuals" and individual_due is None:
                individual_due = due
            dues[duty.key] = due if owed else None
            upstream = ob.by == "breached_party" and ob.recipient in _UPSTREAM
            deadline = duty.deadline
            if deadline.cap is not None:  # a dict: each obligation gets its own copy
                deadline = attrs.evolve(deadline, cap=dict(deadline.cap))
            obligation = Obligation(
                id=rule.id,
                jurisdiction=code,
                party=self.owner.id if ob.by == "owner" else self.breached.id,
                recipient_party=chain[1].id if upstream and len(chain) > 1 else None,
                performed_by=self.performer if ob.recipient == "individuals" else None,
                recipient=ob.recipient,
                recipient_name=ob.recipient_name,
                status=ob_status,
                due=due if owed else None,
                deadline=deadline,
                basis=rule.citation,
                content_requirements=ob.content_requirements if owed else (),
                missing_facts=tuple(dict.fromkeys(missing)),
                reasons=tuple(reasons),
                overdue=(self.as_of > due) if due is not None and owed else None,
                substitute_notice=_substitute(ob, fact) if owed else None,
            )
            relays = self._relays(obligation, ob, ruleset) if upstream else []
            for o in (obligation, *relays):
                self.obligations.append(o)
                self.audit.add(
                    "obligation",
                    o.id,
                    code,
                    {
                        "status": o.status,
                        "due": format_timestamp(o.due) if o.due else None,
                        "missing_facts": list(o.missing_facts),
                    },
                )

    def _relays(self, first: Obligation, ob: ObligationRule, ruleset: Ruleset) -> list[Obligation]:
        """The same duty one tier up a chain of service providers, tier by tier.

        A sub-processor tells its processor, which must then tell the controller: each
        intermediate party learns of the breach at the latest when the tier below had to
        tell it, so its own period runs from that due date (none if the law fixes none).
        """
        chain = self.chain
        out: list[Obligation] = []
        previous = first
        for k in range(1, len(chain) - 1):
            tier, above = chain[k], chain[k + 1]
            due = (
                due_at(ob.deadline, previous.due, self.tz, ruleset.holidays)
                if previous.due is not None and ob.deadline.chained_to is None
                else None
            )
            relay = attrs.evolve(
                first,
                id=f"{first.id}@{tier.id}",
                party=tier.id,
                recipient_party=above.id,
                due=due if first.status != "not_required" else None,
                overdue=(self.as_of > due)
                if due is not None and first.status != "not_required"
                else None,
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

    def _due(
        self,
        ruleset: Ruleset,
        ob: ObligationRule,
        individual_due: datetime | None,
        dues: Mapping[str, datetime | None],
    ) -> tuple[datetime | None, list[str], list[Reason]]:
        d = ob.deadline
        delay = self.incident.law_enforcement.delay_requested_until
        if d.days is None and d.hours is None:
            if ob.law_enforcement_delay and delay is not None:
                # No fixed period to move, but the request still matters: say so.
                return None, [], [_delay_reason(ob, delay)]
            return None, [], []
        due, missing, start = self._clock(ruleset, d, individual_due, dues)
        if d.cap is not None:
            cap, cap_missing, _ = self._clock(ruleset, d.cap, individual_due, dues)
            # "But no later than": the earlier clock wins, except that a clock which only
            # starts after the cap has run out is not cut short by it (DORA: an incident
            # classified as major more than 24 hours after awareness is due 4 hours after
            # classification, Delegated Regulation (EU) 2025/301 Art. 5(2)).
            if cap is not None and (due is None or cap < due) and not (start and start > cap):
                due = cap
            elif cap is None:
                missing += cap_missing
        reasons: list[Reason] = []
        if due is not None and ob.law_enforcement_delay and delay is not None and delay > due:
            due = delay.astimezone(self.tz)
            reasons.append(_delay_reason(ob, delay))
        return due, missing, reasons

    def _clock(
        self,
        ruleset: Ruleset,
        d: DeadlineRule,
        individual_due: datetime | None,
        dues: Mapping[str, datetime | None],
    ) -> tuple[datetime | None, list[str], datetime | None]:
        """When one clock runs out and when it started, or None with the missing fact."""
        target = d.chained_to
        if target is not None:
            # Runs from another notice's due date; if that has none, neither has this.
            start = dues.get(target)
            if start is None:
                return None, [], None
            return due_at(d, start, self.tz, ruleset.holidays), [], start
        if d.anchor == "notice_to_individuals":
            if individual_due is None:
                return None, [], None
            return due_at(d, individual_due, self.tz, ruleset.holidays), [], individual_due
        anchor, field = self._anchors[d.anchor]
        if anchor is None:
            return None, [field], None
        return due_at(d, anchor, self.tz, ruleset.holidays), [], anchor

    def _clock_anchors(self) -> dict[str, tuple[datetime | None, str]]:
        """Each clock anchor's moment, with the incident field that gives it."""
        inc = self.incident
        return {
            "discovery": (inc.discovered_at, "discovered_at"),
            "breach_determination": (inc.breach_determined_at, "breach_determined_at"),
            "materiality_determination": (
                inc.materiality_determined_at,
                "materiality_determined_at",
            ),
            "ransom_payment": (inc.ransom_paid_at, "ransom_paid_at"),
            "classification": (inc.classification.classified_at, "classification.classified_at"),
            "bank_determination": (
                inc.classification.bank_determined_at,
                "classification.bank_determined_at",
            ),
            "nydfs_determination": (
                inc.classification.nydfs_determined_at,
                "classification.nydfs_determined_at",
            ),
            "calendar_year_end": (
                end_of_day(date(self.day.year, 12, 31), self.tz),
                "discovered_at",
            ),
        }

    # -- finishing -------------------------------------------------------------------------

    def finish(self, warnings: list[str]) -> Assessment:
        obligations = list(self.obligations) + _contract_obligations(
            self.incident, self.determinations, self.as_of
        )
        liability = tuple(_liability(self.incident, obligations))
        for ob in obligations[len(self.obligations) :]:
            self.audit.add(
                "obligation",
                ob.id,
                ob.jurisdiction,
                {"status": ob.status, "due": format_timestamp(ob.due) if ob.due else None},
            )
        events = self.audit.close()
        return Assessment(
            incident_id=self.incident.id,
            as_of=self.as_of,
            rulesets=tuple(self.refs),
            determinations=tuple(self.determinations),
            obligations=tuple(obligations),
            liability=liability,
            audit=events,
            warnings=tuple(warnings),
        )


def _merge_worlds(worlds: list[dict[int, Truth]]) -> dict[int, Truth]:
    """A rule's value across possible worlds: decided where all agree, else unknown."""
    if len(worlds) == 1:
        return worlds[0]
    keys = set().union(*worlds)
    return {
        k: worlds[0].get(k) if all(w.get(k) == worlds[0].get(k) for w in worlds) else None
        for k in keys
    }


def _substitute(ob: ObligationRule, fact: dict[str, Any]) -> SubstituteNotice | None:
    rule = ob.substitute_notice
    if rule is None:
        return None
    return SubstituteNotice(
        text=rule.text,
        citation=rule.citation,
        cost_exceeds=rule.cost_exceeds,
        persons_exceed=rule.persons_exceed,
        persons_threshold_met=_agree(
            [fact[k] > rule.persons_exceed for k in ("residents_certain", "residents")]
        )
        if rule.persons_exceed is not None
        else None,
    )


def _delay_reason(ob: ObligationRule, delay: datetime) -> Reason:
    return Reason(
        ob.rule.id,
        f"law enforcement asked for a delay until {format_timestamp(delay)}; "
        "this notice may wait until then",
        ob.law_enforcement_delay or "",
    )


def _cap(cap: DeadlineRule | None) -> dict[str, Any] | None:
    if cap is None:
        return None
    out: dict[str, Any] = {"from": cap.anchor, "text": cap.text}
    if cap.days is not None:
        out["days"] = cap.days
    if cap.hours is not None:
        out["hours"] = cap.hours
    if cap.business_days:
        out["business_days"] = True
    return out


#: Stands for "the incident itself" where no exposure is in a law's reach (see ``ruleset``).
_INCIDENT_ONLY = -1
_NO_EXPOSURE = Exposure(
    elements=(),
    residents={},
    encrypted=False,
    key_compromised=False,
    acquired=False,
    accessed=False,
    paper=False,
)


def _label(i: int) -> str:
    return "the incident (no exposure in reach)" if i == _INCIDENT_ONLY else f"exposures[{i}]"


def _clock_order(obligations: Sequence[ObligationRule]) -> list[ObligationRule]:
    """Notice to individuals first, and every chained clock after the one it runs from."""
    pending = sorted(obligations, key=lambda ob: ob.recipient != "individuals")
    done: set[str] = set()
    out: list[ObligationRule] = []
    while pending:
        for ob in pending:
            targets = {c.chained_to for c in (ob.deadline, ob.deadline.cap) if c is not None}
            if targets <= done | {None}:
                break
        else:  # pragma: no cover - the loader rejects cycles and unknown targets
            ob = pending[0]
        pending.remove(ob)
        out.append(ob)
        done.add(ob.rule.id.split(":", 1)[1])
    return out


def _agree(values: list[bool]) -> Truth:
    """The value every possible world agrees on, else unknown."""
    return values[0] if all(v == values[0] for v in values) else None


def _span(versions: Sequence[Version]) -> str:
    start, end = versions[0].effective_from, versions[-1].effective_to
    return f"from {start}" + (f" to {end}" if end else "")


#: Fact fields whose values depend on the law's reach (the residents it counts).
_RESIDENT_FIELDS = frozenset(
    name for name, (_, _, source) in FIELDS.items() if source == "exposures[].residents"
)

#: How a rule's value reads in a reason, and an exception's.
_WORDS: dict[Truth, str] = {True: "met", False: "not met", None: "unknown"}
_EXCEPTION_WORDS: dict[Truth, str] = {
    True: "applies",
    False: "does not apply",
    None: "may apply (facts unknown)",
}
_STATUS: dict[Truth, ObligationStatus] = {
    True: "required",
    False: "not_required",
    None: "conditional",
}


def _ref(ruleset: Ruleset, law: LawInForce) -> RulesetRef:
    return RulesetRef(
        code=ruleset.code,
        version=law.version.effective_from.isoformat(),
        citation=law.version.citation,
        name=ruleset.name,
        last_reviewed=ruleset.last_reviewed.isoformat(),
    )


def _liability(incident: Incident, obligations: Sequence[Obligation]) -> list[Liability]:
    """Who notifies whom and who pays, from the parties, their contracts and the duties.

    By statute the owner or licensee notifies individuals and pays. A contract between a
    party and the provider that serves it may shift either duty (``individual_notice_by``,
    ``costs_borne_by``) and add an indemnity and a cap. ``notifies`` lists every recipient
    a party owes a notice to, statutory or contractual, required or conditional.
    """
    owner = incident.owner
    in_chain = {p.id for p in incident.chain}
    out: list[Liability] = []
    for party in incident.parties:
        side = "owner" if party.id == owner.id else "provider"
        mine = [
            o
            for o in obligations
            if o.status != "not_required" and party.id in (o.party, o.performed_by)
        ]
        notifies = tuple(
            sorted({o.recipient_party or o.recipient_name or o.recipient for o in mine})
        )
        # The contract that governs this party's side: the owner's with a provider in the
        # breached chain, or this provider's with the party it serves.
        contract = next(
            (
                c
                for c in incident.contracts
                if (side == "owner" and c.owner == party.id and c.provider in in_chain)
                or (side == "provider" and c.provider == party.id)
            ),
            None,
        )
        if contract is None:
            out.append(
                Liability(
                    party.id,
                    party.data_role,
                    bears_costs=side == "owner",
                    notifies_individuals=side == "owner",
                    basis="statute: the owner or licensee of the data notifies and bears the cost",
                    notifies=notifies,
                )
            )
            continue
        out.append(
            Liability(
                party.id,
                party.data_role,
                bears_costs=(contract.costs_borne_by or "owner") == side,
                notifies_individuals=(contract.individual_notice_by or "owner") == side,
                basis=f"contract {contract.id}",
                notifies=notifies,
                indemnity=contract.indemnity,
                liability_cap=contract.liability_cap,
            )
        )
    return out


#: Recipients that are another party of the incident, up the chain of service providers.
_UPSTREAM = frozenset({"data_owner", "controller", "covered_entity"})


def _individual_notice_performer(incident: Incident) -> str | None:
    owner, chain = incident.owner, {p.id for p in incident.chain}
    for c in incident.contracts:
        if c.owner == owner.id and c.individual_notice_by == "provider" and c.provider in chain:
            return c.provider
    return None


def _contract_obligations(
    incident: Incident, determinations: list[Determination], as_of: datetime
) -> list[Obligation]:
    """Contractual notice up the chain: each provider to the party it serves.

    Shown beside the statutory duty (which stays as the law says); a plan takes the
    stricter of the two. The clock runs from discovery, the earliest moment any tier can
    know of the incident.
    """
    chain = incident.chain
    if len(chain) < 2:
        return []
    statuses = {d.status for d in determinations}
    if not statuses & {"breach", "undetermined"}:
        return []
    # Conditional on any undetermined law: the facts those determinations wait on.
    waiting = (
        ()
        if "breach" in statuses
        else tuple(
            dict.fromkeys(
                m for d in determinations if d.status == "undetermined" for m in d.missing_facts
            )
        )
    )
    serves = {p.id: chain[k + 1].id for k, p in enumerate(chain[:-1])}
    tz = incident.discovered_at.tzinfo
    out: list[Obligation] = []
    for contract in incident.contracts:
        hours, days = contract.notify_owner_within_hours, contract.notify_owner_within_days
        if serves.get(contract.provider) != contract.owner or (hours is None and days is None):
            continue
        business = contract.notify_owner_business_days and days is not None
        calendar = _calendar(contract, incident) if business else None
        clock = DeadlineRule(text="", days=days, hours=hours, business_days=business)
        due = due_at(clock, incident.discovered_at, tz, calendar)
        period = (
            f"{hours} hours"
            if hours is not None
            else f"{days} {'business ' if business else ''}days"
        )
        status = "required" if "breach" in statuses else "conditional"
        out.append(
            Obligation(
                id=f"contract:{contract.id}:notify-owner",
                jurisdiction="contract",
                party=contract.provider,
                recipient="data_owner",
                recipient_party=contract.owner,
                status=status,  # type: ignore[arg-type]
                due=due,
                deadline=Deadline(
                    text=f"within {period} of discovery (contract {contract.id})",
                    from_="discovery",
                    hours=hours,
                    days=days,
                    business_days=business,
                    calendar=calendar_label(calendar) if calendar else None,
                ),
                basis=f"contract {contract.id}",
                missing_facts=waiting,
                reasons=(
                    Reason(
                        f"contract:{contract.id}",
                        f"the contract requires notice to {contract.owner} within {period}",
                        f"contract {contract.id}",
                    ),
                ),
                overdue=(as_of > due) if due is not None else None,
            )
        )
    return out


def _calendar(contract: Contract, incident: Incident) -> tuple[str, str | None]:
    """The holiday calendar of a contract's business days: its own, else the owner's."""
    code = contract.calendar or next(
        (c for p in incident.parties if p.id == contract.owner for c in p.established_in), "US"
    )
    country, _, sub = code.partition("-")
    return (country, sub or None)
