"""Whom a ruleset reaches: residence codes, establishment, targeting, entity types.

This is selection, done before any rule runs: a ruleset that cannot reach the incident's
residents or parties is never evaluated. It is three-valued like everything else: a GDPR
reach that depends on whether the owner targets the EU is unknown until ``offers_to`` is
established.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Protocol

import attrs

from breachrules.law.library import Outline
from breachrules.law.ruleset import Reach, Ruleset
from breachrules.model.facts import Incident, Party
from breachrules.model.reprs import shared_repr

__all__ = [
    "EU_MEMBER_STATES",
    "AreaIndex",
    "ReachIndex",
    "Reached",
    "area_index",
    "areas_of",
    "binds",
    "reach",
    "unbound",
    "within",
]

#: ISO 3166-1 codes of the 27 EU member states (the EEA states are listed by rulesets).
EU_MEMBER_STATES = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()  # noqa: SIM905
)


def within(code: str, area: str) -> bool:
    """Whether residence ``code`` lies in ``area``: ``US`` holds ``US-CA``, ``EU`` holds ``DE``."""
    if code == area or code.startswith(area + "-"):
        return True
    country = code.split("-", 1)[0]
    return area == "EU" and country in EU_MEMBER_STATES


@functools.lru_cache(maxsize=4096)
def areas_of(code: str) -> frozenset[str]:
    """Every area that holds ``code`` (the inverse of :func:`within`): ``US-CA`` is in
    ``US-CA`` and ``US``; ``DE`` is in ``DE`` and ``EU``. Used to index rulesets by area."""
    parts = code.split("-")
    out = {"-".join(parts[: k + 1]) for k in range(len(parts))}
    if parts[0] in EU_MEMBER_STATES:
        out.add("EU")
    return frozenset(out)


@shared_repr
@attrs.frozen(repr=False)
class Reached:
    """The outcome of :func:`reach` for one ruleset and incident."""

    applies: bool | None
    #: Per exposure: the residents it counts, by residence code.
    residents: tuple[dict[str, int], ...]
    reason: str
    missing_facts: tuple[str, ...] = ()
    #: The party the ruleset binds (``applies_to``), when it names one: the first party
    #: of the chain of the breached data, from the breached party up, that it names.
    #: Duties written ``by: bound_party`` fall on it.
    bound: str | None = None
    #: Every party of that chain the ruleset binds (``bound`` is the first).
    bound_parties: tuple[str, ...] = ()
    #: Per exposure: the residents of the law's own places (``reaches.residents``), where
    #: ``residents`` counts more: a law that reaches an incident by establishment or party
    #: type counts every affected person there, yet some thresholds count only "consumers
    #: residing in this state" (``local_residents``). None: the same as ``residents``.
    local: tuple[dict[str, int], ...] | None = None

    @property
    def total(self) -> int:
        return sum(sum(r.values()) for r in self.residents)


class ReachIndex:
    """Which rulesets could reach an incident, from their outlines alone.

    The first step of the reach stage, taken before any ruleset is loaded: rulesets are
    indexed by the areas their reach names (residents, establishment) and by the party
    types that bring them in by themselves (``reaches.by_party_type``), so an incident
    in one state looks at that state's law and the laws of the areas holding it, not at
    every ruleset loaded. :func:`reach` then decides each candidate from the whole
    ruleset. A ruleset whose reach names no area at all is a candidate for every
    incident.
    """

    def __init__(self, outlines: Sequence[Outline]) -> None:
        self._codes = tuple(o.code for o in outlines)
        self._by_area: dict[str, list[int]] = {}
        self._everywhere: list[int] = []
        self._by_type: dict[str, list[int]] = {}
        for n, o in enumerate(outlines):
            areas = {*o.reach.residents, *o.reach.established_in}
            for area in areas:
                self._by_area.setdefault(area, []).append(n)
            if not areas:
                self._everywhere.append(n)
            if o.reach.by_party_type:
                for word in o.party_types:
                    self._by_type.setdefault(word, []).append(n)

    def candidates(self, incident: Incident) -> list[str]:
        """The codes of the rulesets that could reach ``incident``, in outline order:
        those of the areas holding an affected resident's code or a party's
        establishment, those its parties' types bring in, and those of no area."""
        places = {c for e in incident.exposures for c, n in e.residents.items() if n > 0}
        places.update(c for p in incident.parties for c in p.established_in)
        found = set(self._everywhere)
        for place in places:
            for area in areas_of(place):
                found.update(self._by_area.get(area, ()))
        for word in {w for p in incident.parties for w in p.types}:
            found.update(self._by_type.get(word, ()))
        return [self._codes[n] for n in sorted(found)]

    def reaching(self, place: str) -> list[str]:
        """The codes of the rulesets whose reach (residents, establishment) names an area
        holding ``place``, in outline order: ``IE`` gives ``EU-GDPR``, ``EU-NIS2``, ...
        (a responder thinks in places; rulesets are named by law)."""
        found = {n for area in areas_of(place) for n in self._by_area.get(area, ())}
        return [self._codes[n] for n in sorted(found)]


class AreaIndex:
    """Per exposure, each area to the residence codes in it with people affected
    (``places``), and the residents each set of areas counts, worked out once.

    Built once per assessment by :func:`area_index`. Rulesets whose reach names the same
    areas (the ten federal laws of ``US``, the two laws of ``US-CA``) count the same
    residents, so :func:`reach` works them out for the first and hands the same tuple to
    the others: it is read, never changed.
    """

    __slots__ = ("_counted", "_totals", "places")

    def __init__(self, places: tuple[dict[str, tuple[str, ...]], ...]) -> None:
        #: Per exposure, each area to its residence codes with people affected; exposures
        #: naming the same places share one dict.
        self.places = places
        self._counted: dict[tuple[str, ...], tuple[dict[str, int], ...]] = {}
        self._totals: dict[tuple[str, ...], int] = {}

    def __len__(self) -> int:
        return len(self.places)

    def __getitem__(self, i: int) -> dict[str, tuple[str, ...]]:
        return self.places[i]


def area_index(incident: Incident) -> AreaIndex:
    """Per exposure, each area (``US``, ``US-CA``, ``EU``, ``DE``) to the residence codes it
    holds with people affected, in the incident's order. Built once per assessment, it
    lets :func:`reach` count a law's residents without scanning every place.

    Exposures with people affected in the same places, in the same order, share one
    dict (read it, never change it): :func:`reach` works out once per distinct dict
    which codes a law counts, and a thousand exposures usually name a few sets.
    """
    out = []
    shared: dict[tuple[str, ...], dict[str, tuple[str, ...]]] = {}
    for e in incident.exposures:
        places = tuple(code for code, n in e.residents.items() if n > 0)
        found = shared.get(places)
        if found is None:
            index: dict[str, list[str]] = {}
            for code in places:
                for area in areas_of(code):
                    index.setdefault(area, []).append(code)
            found = shared[places] = {area: tuple(codes) for area, codes in index.items()}
        out.append(found)
    return AreaIndex(tuple(out))


def reach(
    ruleset: Ruleset,
    incident: Incident,
    parties: tuple[Party, Party] | None = None,
    areas: AreaIndex | None = None,
    chain: tuple[Party, ...] | None = None,
) -> Reached:
    """Decide whether ``ruleset`` reaches ``incident``, and which residents it counts.

    ``parties`` is ``(incident.owner, incident.breached)``, ``areas`` is
    ``area_index(incident)`` and ``chain`` is ``incident.chain`` when the caller has them
    (``Incident.chain`` walks the parties on every call: an assessment derives it once).
    """
    owner, breached = parties or (incident.owner, incident.breached)
    if areas is None:
        areas = area_index(incident)
    r = ruleset.reach
    bound: str | None = None
    if ruleset.binds:
        if chain is None:
            chain = incident.chain
        named = []
        for p in chain:
            if binds(ruleset, p, incident):
                named.append(p)
        if not named:
            # The residents are kept: people in the law's territory were affected, so the
            # engine reports the law as not applicable rather than leaving it out.
            why = _unbound(ruleset, incident, chain)
            return Reached(False, _residents_in(r, incident, areas), why)
        bound = named[0].id
    reached = _reach(ruleset, incident, owner, breached, areas)
    if bound is not None and reached.applies is not True and ruleset.reach.by_party_type:
        reached = _by_party_type(ruleset, incident, named[0], reached, areas)
    if bound is None:
        return reached
    return Reached(  # attrs.evolve, written out (it runs per bound law of every assessment)
        reached.applies,
        reached.residents,
        reached.reason,
        reached.missing_facts,
        bound,
        tuple([p.id for p in named]),
        reached.local,
    )


def _by_party_type(
    ruleset: Ruleset, incident: Incident, party: Party, found: Reached, areas: AreaIndex
) -> Reached:
    """A party whose type is a status under this law (``reaches.by_party_type``: an SEC
    registrant, a HIPAA covered entity) brings the law in when its establishment is not
    given: nothing places it elsewhere, and the type alone says the law governs it. A party
    whose establishment is given and lies outside the law's places is left to that test."""
    if party.established_in:
        return found
    words = sorted(set(party.types) & set(ruleset.party_types))
    return Reached(
        True,
        tuple(dict(e.residents) for e in incident.exposures),
        f"{party.id} is a {' and '.join(words)}, a status under this law, and its "
        "establishment is not given, so the law reaches it and every affected person counts",
        local=_residents_in(ruleset.reach, incident, areas),
    )


class _Applies(Protocol):
    """What :func:`binds` reads: a ruleset's ``applies_to`` (a :class:`Ruleset`, or the
    :class:`Binding` of its outline)."""

    @property
    def party_types(self) -> tuple[str, ...]: ...
    @property
    def party_ids(self) -> tuple[str, ...]: ...
    @property
    def party_roles(self) -> tuple[str, ...]: ...


def unbound(
    outline: Outline, incident: Incident, chain: tuple[Party, ...], areas: AreaIndex
) -> Reached | None:
    """What :func:`reach` gives the ruleset of ``outline`` when it binds no party of
    ``chain``, decided from the outline alone (its :class:`Binding`), without loading the
    ruleset; None when the outline does not decide it (the ruleset binds no party in
    particular, or a party of the chain is one it binds) and :func:`reach` must."""
    b = outline.binding
    if b is None or any(binds(b, p, incident) for p in chain):
        return None
    return Reached(
        False, _residents_in(outline.reach, incident, areas), _unbound(b, incident, chain)
    )


def binds(ruleset: _Applies, party: Party, incident: Incident) -> bool:
    """Whether ``ruleset`` binds ``party`` (its ``applies_to``: ids, roles, types; every
    part it gives must hold). Only parties in the chain of the breached data are asked:
    a party of the right type whose own data was not breached is a bystander."""
    if ruleset.party_ids and party.id not in ruleset.party_ids:
        return False
    if ruleset.party_roles and not any(
        _has_role(party, role, incident) for role in ruleset.party_roles
    ):
        return False
    types = ruleset.party_types
    if not types:
        return True
    for word in party.types:  # noqa: SIM110 - a few words: no generator, no set (per law and party)
        if word in types:
            return True
    return False


def _has_role(party: Party, role: str, incident: Incident) -> bool:
    if role == "owner":
        return party.id == incident.owner.id
    if role == "breached_party":
        return party.id == incident.breached.id
    return party.data_role == role  # service_provider


def _unbound(ruleset: _Applies, incident: Incident, chain: tuple[Party, ...]) -> str:
    outside = []
    if len(chain) < len(incident.parties):  # parties outside the chain of the breached data
        ids = {p.id for p in chain}
        outside = [
            p.id for p in incident.parties if p.id not in ids and binds(ruleset, p, incident)
        ]
    if not outside and not ruleset.party_ids and not ruleset.party_roles:
        return _of_no_type(ruleset.party_types)
    wanted = []
    if ruleset.party_ids:
        wanted.append("party " + " or ".join(ruleset.party_ids))
    if ruleset.party_roles:
        wanted.append("role " + " or ".join(ruleset.party_roles))
    if ruleset.party_types:
        wanted.append("type " + " or ".join(ruleset.party_types))
    text = f"no party in the chain of the breached data is one this law binds ({'; '.join(wanted)})"
    if outside:
        text += (
            f"; {', '.join(outside)} would be, but is neither the breached party nor in the "
            "chain of the breached data"
        )
    return text


@functools.lru_cache(maxsize=1024)
def _of_no_type(types: tuple[str, ...]) -> str:
    """Why a law that binds parties of ``types`` does not apply when none is: the same for
    every incident (so made once)."""
    return f"no party is of a type this law governs ({', '.join(types)})"


def _reach(
    ruleset: Ruleset, incident: Incident, owner: Party, breached: Party, areas: AreaIndex
) -> Reached:
    r = ruleset.reach
    # The first establishment of the owner, then the breached party, in the law's areas
    # (``areas_of`` is the inverse of ``within``: one set test per place, per law).
    established = None
    if r.established_in:
        for place in (*owner.established_in, *breached.established_in):
            if not areas_of(place).isdisjoint(r.established_in):
                established = place
                break
    if established is not None:
        everyone = tuple(dict(e.residents) for e in incident.exposures)
        return Reached(
            True,
            everyone,
            f"a party is established in {established}, so every affected person counts",
            local=_residents_in(r, incident, areas),
        )
    counted = _residents_in(r, incident, areas)
    if not any(counted):
        return Reached(False, counted, "no affected residents of " + ", ".join(r.residents))
    if r.requires_targeting:
        index = incident.parties.index(owner)
        if owner.offers_to is None:
            return Reached(
                None,
                counted,
                "affected residents are present, but whether the owner targets them "
                "is not established",
                (f"parties[{index}].offers_to",),
            )
        if not any(
            within(place, area) or within(area, place)
            for place in owner.offers_to
            for area in r.residents
        ):
            return Reached(
                False, counted, "the owner neither is established in nor targets this area"
            )
        return Reached(True, counted, "the owner offers goods or services to affected residents")
    total = areas._totals.get(r.residents)
    if total is None:  # once per set of areas, as the counts themselves
        total = areas._totals[r.residents] = sum(sum(c.values()) for c in counted)
    return Reached(True, counted, f"{total} affected residents")


def _residents_in(r: Reach, incident: Incident, index: AreaIndex) -> tuple[dict[str, int], ...]:
    """Per exposure, the residents of ``r``'s areas, by code, in the incident's order:
    once per set of areas and assessment (the index keeps them)."""
    known = index._counted.get(r.residents)
    if known is None:
        known = index._counted[r.residents] = _count(r, incident, index)
    return known


def _count(r: Reach, incident: Incident, index: AreaIndex) -> tuple[dict[str, int], ...]:
    out: list[dict[str, int]] = []
    # The codes a law counts depend only on the places with people affected, in the
    # incident's order, and exposures naming the same places share one dict of the area
    # index: worked out once per distinct dict (keyed by its id; the index holds it).
    codes: dict[int, tuple[str, ...]] = {}
    areas = r.residents
    for e, places in zip(incident.exposures, index.places, strict=True):
        found = codes.get(id(places))
        if found is None:
            found = tuple(code for area in areas for code in places.get(area, ()))
            if len(areas) > 1 and len(found) > 1:
                # Several areas: no code twice, and the incident's own order.
                wanted = set(found)
                found = tuple(code for code in e.residents if code in wanted)
            codes[id(places)] = found
        if not found:
            out.append({})
        elif len(found) == 1:
            code = found[0]
            out.append({code: e.residents[code]})
        else:
            residents = e.residents
            out.append({code: residents[code] for code in found})
    return tuple(out)
