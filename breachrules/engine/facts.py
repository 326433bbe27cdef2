"""The facts stage: the incident as the backend reads it, one flat fact per evaluation.

A fact holds the incident-wide facts (risk findings, party types, classification), the
exposure's own facts (acquired, encrypted, ``elements:<word>`` flags), the residents the
law counts, and ``False`` for every flag the law reads but the incident does not set.
An unknown value is an absent field: what every backend reads as unknown.

The parts that are the same under every law are built once per assessment and kept in
the :class:`Facts` object of that assessment (a memo, never shared between assessments).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from typing import Any

from breachrules.engine.compiled import COUNTS, EXPOSURE, INCIDENT, Compiled
from breachrules.engine.reach import Reached, within
from breachrules.engine.results import INCIDENT_ONLY, Case
from breachrules.engine.truth import Truth, all_of, any_of
from breachrules.law.conditions import own_fact_key
from breachrules.model.facts import CLASSIFICATION_FLAGS, PROCEDURE_FLAGS, Exposure, Finding
from breachrules.model.vocabulary import EXPOSURE_FLAGS

__all__ = [
    "LEGACY",
    "NO_EXPOSURE",
    "Facts",
    "common_facts",
    "established_here",
    "finding_for",
    "targets_here",
]

#: Marks the legacy ``risk.harm_likely`` as the source of a law's finding.
LEGACY = "risk.harm_likely"

#: What "the incident" reads as where no exposure is in a law's reach.
_NO_FLAGS: dict[str, Any] = dict.fromkeys(EXPOSURE_FLAGS, False)
NO_EXPOSURE = Exposure(elements=(), residents={}, **_NO_FLAGS)


def finding_for(case: Case, codes: tuple[str, ...]) -> tuple[str | None, Finding | None]:
    """The risk-of-harm finding a law reads, and where it comes from.

    The finding recorded for the law itself, else for a law whose test it declares to be
    in the same words; else the legacy ``risk.harm_likely`` when it says harm is likely
    (which can only make a notice more required); else none: the law's own test is open.
    """
    risk = case.incident.risk
    for code in codes:
        found = risk.findings.get(code)
        if found is not None and found.harm_likely is not None:
            return code, found
    if risk.harm_likely is True:
        return LEGACY, Finding(harm_likely=True)
    return None, None


def common_facts(case: Case) -> dict[str, Any]:
    """The facts of the incident that every fact carries, whatever the exposure or law."""
    inc, owner, breached = case.incident, case.owner, case.breached
    fact: dict[str, Any] = {
        "good_faith_insider": inc.good_faith_insider,
        "malicious": inc.malicious,
        "inadvertent_authorized_disclosure": inc.inadvertent_authorized_disclosure,
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
    for name in PROCEDURE_FLAGS:  # the owner's own procedures; unknown stays absent
        if (value := getattr(owner, name)) is not None:
            fact[f"owner_{name}"] = value
    if breached.regulator_procedures is not None:
        fact["breached_party_regulator_procedures"] = breached.regulator_procedures
    return fact


def established_here(places: Sequence[str], home: frozenset[str]) -> bool | None:
    """Whether an owner established in ``places`` is established in the law's ``home``:
    a place that lies within one of them (``DE-BY`` in ``DE``, ``FR`` in ``EU``: reach's
    own :func:`within`); ``None`` while no place is given, or only one that holds a home
    place without saying which (``US`` for ``US-TX``: which state is the fact to establish)."""
    if not places or not home:
        return None
    if any(within(place, h) for place in places for h in home):
        return True
    if any(within(h, place) for place in places for h in home):
        return None
    return False


def targets_here(places: Sequence[str] | None, home: frozenset[str]) -> bool | None:
    """Whether an owner offering to ``places`` (its ``offers_to``) targets the law's
    ``home``: a place within one of them or holding one, as :func:`reach` reads targeting
    (``EU`` and ``DE`` both target Germany); ``None`` while ``offers_to`` is not given."""
    if places is None or not home:
        return None
    return any(within(place, h) or within(h, place) for place in places for h in home)


class Facts:
    """The facts of one assessment, each law-independent part built once."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.common = common_facts(case)
        self._exposure_bases: dict[int, dict[str, Any]] = {}
        self._kinds: dict[tuple[Any, ...], dict[str, Any]] = {}
        self._prefixes: dict[tuple[int, int], dict[str, Any]] = {}
        self._persons_total: dict[int, int] = {}
        self._kind_facts: dict[int, tuple[Any, ...]] = {}
        self._world_bases: dict[tuple[int, ...], dict[str, Any]] = {}
        self._law_facts: dict[tuple[str, ...], dict[str, Any]] = {}
        self._kind_ids: list[int] | None = None
        #: Exposures holding personal data of a kind not established.
        self.unknown_kinds = frozenset(
            i for i, e in enumerate(case.incident.exposures) if "unknown" in e.elements
        )

    def law(self, c: Compiled) -> dict[str, Any]:
        """The facts read per law: its risk-of-harm finding and what the law asks of it."""
        found = self._law_facts.get(c.risk_codes)
        if found is None:
            _, finding = finding_for(self.case, c.risk_codes)
            values = {
                "harm_likely": finding.harm_likely if finding else None,
                "harm_finding_in_writing": finding.in_writing if finding else None,
                "harm_finding_made": finding is not None and finding.harm_likely is not None,
                "harm_finding_law_enforcement_consulted": finding.law_enforcement_consulted
                if finding
                else None,
            }
            found = {k: v for k, v in values.items() if v is not None}
            here = established_here(self.case.owner.established_in, c.home)
            if here is not None:
                found["owner_established_here"] = here
            here = established_here(self.case.breached.established_in, c.home)
            if here is not None:
                found["breached_party_established_here"] = here
            targets = targets_here(self.case.owner.offers_to, c.home)
            if targets is not None:
                found["owner_targets_here"] = targets
            # The facts the law's ruleset declares for itself, under their namespaced keys
            # (``facts:<CODE>:<name>``); unknown ones stay absent, as every unknown does.
            code = c.risk_codes[0]
            own = self.case.incident.facts.get(code) or {}
            found.update(
                (own_fact_key(code, name), value)
                for name, value in own.items()
                if value is not None
            )
            self._law_facts[c.risk_codes] = found
        return found

    def _defaults(self, c: Compiled, kind: str, exposures: Iterable[int]) -> dict[str, bool]:
        """``False`` for every flag the law reads and the facts do not set, except element
        flags where an exposure holds data of an unknown kind: those stay unknown."""
        defaults = c.defaults[kind]
        if self.unknown_kinds.isdisjoint(exposures):
            return defaults
        return {k: v for k, v in defaults.items() if not k.startswith("elements:")}

    def exposure(self, i: int, reached: Reached, c: Compiled) -> dict[str, Any]:
        """What the rules about one exposure read: the incident, the exposure, the residents
        the law counts, and ``False`` for every element flag the law reads but is absent."""
        if i == INCIDENT_ONLY:
            fact = {**self._defaults(c, EXPOSURE, (i,)), **self._exposure_base(i), **self.law(c)}
            fact["residents"] = fact["residents_max_place"] = fact["persons_total"] = 0
            fact["local_residents"] = fact["persons_every_exposure"] = 0
            return fact
        # Exposures with the same facts share one base, and so one merged prefix per law:
        # a thousand exposures of a few kinds merge a few dicts per law, not a thousand.
        base = self._exposure_base(i)
        key = (id(base), id(c))
        prefix = self._prefixes.get(key)
        if prefix is None:
            prefix = self._prefixes[key] = {
                **self._defaults(c, EXPOSURE, (i,)),
                **base,
                **self.law(c),
            }
        counted = reached.residents[i]
        fact = prefix.copy()
        if len(counted) == 1:
            (n,) = counted.values()
            fact["residents"] = fact["residents_max_place"] = n
        else:
            fact["residents"] = sum(counted.values())
            fact["residents_max_place"] = max(counted.values(), default=0)
        fact["persons_total"] = fact["persons_every_exposure"] = self._persons(i)
        if reached.local is None:
            fact["local_residents"] = fact["residents"]
            places = counted
        else:
            # The law's own places only: "more than 500 residents of a State or
            # jurisdiction" (45 CFR 164.406) counts no place the law does not name.
            places = reached.local[i]
            fact["local_residents"] = sum(places.values())
            fact["residents_max_place"] = max(places.values(), default=0)
        if c.whole_countries and not c.whole_countries.isdisjoint(places):
            _max_place(fact, places, c)
        return fact

    def kinds(self) -> list[int]:
        """Per exposure, its kind: exposures of one kind (the same facts and elements)
        have facts from ``exposure`` that differ only in their head counts (``COUNTS``)."""
        if self._kind_ids is None:
            n = len(self.case.incident.exposures)
            self._kind_ids = [id(self._exposure_base(i)) for i in range(n)]
        return self._kind_ids

    def _exposure_base(self, i: int) -> dict[str, Any]:
        """The law-independent part of exposure ``i``'s fact, one dict per kind of exposure
        (the same facts and elements share it)."""
        base = self._exposure_bases.get(i)
        if base is None:
            e = NO_EXPOSURE if i == INCIDENT_ONLY else self.case.incident.exposures[i]
            facts = _truths(e)
            kind = (*facts, e.elements)
            base = self._kinds.get(kind)
            if base is None:
                base = self._kinds[kind] = self._base(facts, e.elements)
            self._exposure_bases[i] = base
        return base

    def _persons(self, i: int) -> int:
        """Everyone exposure ``i`` affected, counted by any law or none."""
        n = self._persons_total.get(i)
        if n is None:
            n = self._persons_total[i] = sum(self.case.incident.exposures[i].residents.values())
        return n

    def kind_of_world(
        self,
        i: int,
        reached: Reached,
        cuts: dict[str, tuple[int | float, ...]],
        whole_countries: frozenset[str] = frozenset(),
        outside: int = 0,
    ) -> tuple[tuple[Any, ...], int]:
        """What the obligation rules can tell apart of the world of exposure ``i`` alone,
        and its head count under the law: its facts, and where each head count lies
        among the constants the rules compare it with (``cuts``). Two exposures of the
        same kind give every obligation rule the same values. ``outside``: the persons of
        exposures outside the law's reach that every world counts (see ``world``)."""
        e = self.case.incident.exposures[i]
        counted = reached.residents[i].values()
        residents = sum(counted)
        places = reached.residents[i] if reached.local is None else reached.local[i]
        own = places.values()
        persons = self._persons(i)
        counts = (residents, max(own, default=0), persons, sum(own), persons + outside)
        where = [
            (bisect_left(cuts[name], n), bisect_right(cuts[name], n))
            for name, n in zip(COUNTS, counts, strict=True)
        ]
        if whole_countries and not whole_countries.isdisjoint(places):
            # The most one place may hold (see ``_max_place``) tells kinds apart too.
            most = place_bounds(places, whole_countries)[1]
            cut = cuts["residents_max_place"]
            where.append((bisect_left(cut, most), bisect_right(cut, most)))
        kind = self.kinds()[i]
        facts = self._kind_facts.get(kind)
        if facts is None:  # the same under every law: built once per kind of exposure
            facts = self._kind_facts[kind] = (*_truths(e), frozenset(e.elements))
        return (facts, *where), residents

    def world(
        self, affected: Iterable[int], reached: Reached, c: Compiled, outside: int = 0
    ) -> dict[str, Any]:
        """What the obligation rules read: the incident, the exposures of one possible
        world taken together, and the residents the law counts in them.

        ``outside`` is the number of persons in the incident's other exposures, those with
        no resident the law counts, that the law's breach rules find breached in this
        world: ``persons_every_exposure`` adds them to ``persons_total``. A law that
        requires notice to "any individual" whose data was acquired counts them among the
        persons it has notified, whichever exposure they sit in (§ 521.053(b), (h))."""
        exposures = [i for i in affected if i != INCIDENT_ONLY]
        key = tuple(exposures)
        base = self._world_bases.get(key)
        if base is None:
            # One exposure of each kind: Kleene "all" and "any" and the element flags come
            # out the same over distinct values (a kind's first exposure is where each of
            # its words first appears, so the flags keep their order).
            kind = self.kinds()
            firsts = sorted({kind[i]: i for i in reversed(exposures)}.values())
            es = [self.case.incident.exposures[i] for i in firsts]
            base = self._world_bases[key] = (
                self._base(
                    # Encrypted only if every exposure is; any other flag if any one is.
                    tuple(
                        (all_of if f == "encrypted" else any_of)(getattr(e, f) for e in es)
                        for f in EXPOSURE_FLAGS
                    ),
                    [word for e in es for word in e.elements],
                )
                if es
                else self._base((None,) * len(EXPOSURE_FLAGS), ())
            )
        fact = {**self._defaults(c, INCIDENT, exposures), **base, **self.law(c)}
        if len(exposures) == 1:  # one exposure: its own counts, nothing to add up
            (i,) = exposures
            counted = reached.residents[i]
            fact["residents"] = sum(counted.values())
            fact["persons_total"] = self._persons(i)
            fact["persons_every_exposure"] = fact["persons_total"] + outside
            if reached.local is not None:
                counted = reached.local[i]
            fact["residents_max_place"] = max(counted.values(), default=0)
            fact["local_residents"] = sum(counted.values())
            if c.whole_countries and not c.whole_countries.isdisjoint(counted):
                _max_place(fact, dict(counted), c)
            return fact
        per_place: dict[str, int] = {}
        for i in exposures:
            for place, n in reached.residents[i].items():
                per_place[place] = per_place.get(place, 0) + n
        fact["residents"] = sum(per_place.values())
        fact["persons_total"] = sum(map(self._persons, exposures))
        fact["persons_every_exposure"] = fact["persons_total"] + outside
        if reached.local is not None:  # the law's own places only (see ``exposure``)
            per_place = {}
            for i in exposures:
                for place, n in reached.local[i].items():
                    per_place[place] = per_place.get(place, 0) + n
        fact["residents_max_place"] = max(per_place.values(), default=0)
        fact["local_residents"] = sum(per_place.values())
        if c.whole_countries and not c.whole_countries.isdisjoint(per_place):
            _max_place(fact, per_place, c)
        return fact

    def _base(self, truths: tuple[Truth, ...], elements: Iterable[str]) -> dict[str, Any]:
        """The part of a fact that is the same under every law: ``truths`` are the
        exposure flags in ``EXPOSURE_FLAGS`` order."""
        fact = dict(self.common)
        fact.update(zip(EXPOSURE_FLAGS, truths, strict=True))
        for word in elements:
            fact[f"elements:{word}"] = True
        # An unknown value is an absent field: what every backend reads as unknown.
        return {k: v for k, v in fact.items() if v is not None}


def place_bounds(places: dict[str, int], whole_countries: frozenset[str]) -> tuple[int, int]:
    """The least and the most people one place of ``places`` can hold, when those under a
    whole country's code (``Compiled.whole_countries``) live in some place of it, which
    one not known: at least the largest count of a known place, at most that and all of
    them."""
    known = 0
    somewhere = 0
    for code, n in places.items():
        if code in whole_countries:
            somewhere += n
        elif n > known:
            known = n
    return known, known + somewhere


def _max_place(fact: dict[str, Any], places: dict[str, int], c: Compiled) -> None:
    """``residents_max_place`` where some people are under a whole country's code: the
    least the largest place can hold when every comparison the law's rules make with it
    (``Compiled.place_tests``) comes out the same anywhere between the bounds, else unknown
    (absent), so "more than 500 residents of a State" is neither met nor failed on a
    country's count."""
    least, most = place_bounds(places, c.whole_countries)
    if least == most or all(_same(op, value, least, most) for op, value in c.place_tests):
        fact["residents_max_place"] = least
    else:
        del fact["residents_max_place"]


def _same(op: str, value: Any, least: int, most: int) -> bool:
    """Whether ``n <op> value`` is the same for every ``n`` from ``least`` to ``most``."""
    if op in ("eq", "ne", "in"):
        values = value if isinstance(value, list | tuple) else [value]
        return not any(least <= v <= most for v in values)
    # The orderings are monotone in n: the same at both ends is the same throughout.
    return _holds(op, least, value) == _holds(op, most, value)


def _holds(op: str, n: int, value: Any) -> bool:
    if op == "gt":
        return bool(n > value)
    if op == "gte":
        return bool(n >= value)
    if op == "lt":
        return bool(n < value)
    return bool(n <= value)


def _truths(e: Exposure) -> tuple[Truth, ...]:
    """An exposure's yes/no/unknown facts, in ``EXPOSURE_FLAGS`` order: what makes two
    exposures of one kind, with their elements."""
    return tuple(getattr(e, f) for f in EXPOSURE_FLAGS)
