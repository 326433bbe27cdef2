"""What a reason shows: the facts a rule read, by contract field path, with their values,
and the facts it still needs when its value is unknown.

Rulesets read the same few fields over and over, so each field's entries are worked out
once per assessment (the residents once per law, since each law counts only the residents
in its reach) and copied into each reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from breachrules.engine.compiled import INCIDENT, Compiled, Step
from breachrules.engine.facts import LEGACY, finding_for
from breachrules.engine.reach import Reached
from breachrules.engine.results import INCIDENT_ONLY, Case
from breachrules.law.conditions import FIELDS, All, Any_, Compare, Node, Not, evaluate, source_of
from breachrules.model.decisions import LISTED_EXPOSURES
from breachrules.model.timestamps import format_timestamp

__all__ = ["Evidence", "open_fields"]

#: Fact fields whose values depend on the law: the residents it counts (its reach) and its
#: own risk-of-harm finding.
_PER_LAW = frozenset(
    name
    for name, (_, _, source) in FIELDS.items()
    if source == "exposures[].residents"
    or "{law}" in source
    or name in ("local_residents", "persons_every_exposure")
)

#: Fact fields read from each exposure (what a reason about many exposures refers to).
_EXPOSURE = frozenset(
    name
    for name, (_, _, source) in FIELDS.items()
    if source.startswith("exposures[]") or name == "persons_total"
)


class Evidence:
    """The facts each rule of one assessment read (a memo of that assessment)."""

    def __init__(self, case: Case) -> None:
        self.case = case
        # Per set of exposures, per field (per law and field where the value is the law's).
        self._cache: dict[tuple[int, ...], dict[Any, list[tuple[str, Any]]]] = {}
        #: Per law (``LawInForce.key``): the exposures outside its reach that its breach
        #: rules find (or may find) breached, which ``persons_every_exposure`` counts, and
        #: the facts that would decide those in doubt (set by the evaluate stage).
        self.outside: dict[str, tuple[tuple[int, ...], tuple[str, ...]]] = {}

    def read(
        self, st: Step, exposures: Sequence[int], reached: Reached, law: Compiled
    ) -> tuple[dict[str, Any], tuple[str, ...]]:
        """The facts ``st`` reads for ``exposures`` under ``law``, and the exposure fields
        it read whose values the reason does not list (``Reason.exposure_facts``).

        About more than ``LISTED_EXPOSURES`` exposures, a reason lists only the
        incident-wide facts and names the exposure fields: their values are recorded once,
        in the audit's ``facts`` event, instead of once per rule and exposure.
        """
        out: dict[str, Any] = {}
        if not st.reads:  # a rule that reads no fact (``always``)
            return out, ()
        key = exposures if type(exposures) is tuple else tuple(exposures)
        refer = len(key) - (INCIDENT_ONLY in key) > LISTED_EXPOSURES
        cache = self._cache.get(key)
        if cache is None:
            cache = self._cache[key] = {}
        for name in st.reads:
            if refer and name in _EXPOSURE:
                continue
            field = (law.law.code, name) if name in _PER_LAW else name
            entries = cache.get(field)
            if entries is None:
                entries = cache[field] = self._entries(name, exposures, reached, law)
            for path, value in entries:  # each reason gets its own lists and dicts
                kind = type(value)
                out[path] = list(value) if kind is list else dict(value) if kind is dict else value
        return out, st.exposure_fields if refer else ()

    def _entries(
        self, name: str, exposures: Sequence[int], reached: Reached, law: Compiled
    ) -> list[tuple[str, Any]]:
        inc, breached, owner = self.case.incident, self.case.breached, self.case.owner
        if name not in FIELDS:  # a ruleset's own fact, facts:<CODE>:<fact>
            path = source_of(name)
            _, code, leaf = path.split(".", 2)
            given = (inc.facts.get(code) or {}).get(leaf)
            if given is None:  # a regulator's order not given reads false (until_given)
                given = law.defaults[INCIDENT].get(name)
            return [(path, given)]
        source = FIELDS[name][2]
        if "{law}" in source:
            used, finding = finding_for(self.case, law.risk_codes)
            attr = source.rsplit(".", 1)[1]
            if used == LEGACY:
                return [(LEGACY, True)]
            path = source.format(law=used or law.risk_codes[0])
            return [(path, getattr(finding, attr) if finding else None)]
        if name == "persons_total":  # every place, not only the law's reach
            return [
                (f"exposures[{i}].residents", dict(sorted(inc.exposures[i].residents.items())))
                for i in exposures
                if i != INCIDENT_ONLY
            ]
        if name == "persons_every_exposure":  # and the breached exposures outside reach
            return [
                *self._entries("persons_total", exposures, reached, law),
                *self._outside_residents(law).items(),
            ]
        if name == "local_residents":  # the law's own places, however it reached
            local = reached.local if reached.local is not None else reached.residents
            return [
                (f"exposures[{i}].residents", dict(sorted(local[i].items())))
                for i in exposures
                if i != INCIDENT_ONLY
            ]
        if source == "exposures[].residents":
            return [
                (f"exposures[{i}].residents", dict(sorted(reached.residents[i].items())))
                for i in exposures
                if i != INCIDENT_ONLY
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
                if i != INCIDENT_ONLY
            ]
        if name == "breached_party_role":
            return [("breached_party", f"{breached.id} ({breached.data_role})")]
        if name in ("breached_party_types", "owner_types"):
            party = breached if name == "breached_party_types" else owner
            return [(f"parties[{inc.parties.index(party)}].types", list(party.types))]
        if source.startswith("parties["):  # a party's procedures, or where it is established
            path = self._party_path(source)
            party = breached if source.startswith("parties[breached]") else owner
            given = getattr(party, source.split(".", 1)[1])
            return [(path, list(given) if isinstance(given, tuple) else given)]
        value: Any = inc
        for step in source.split("."):
            value = getattr(value, step)
        return [(source, format_timestamp(value) if isinstance(value, datetime) else value)]

    def _party_path(self, source: str) -> str:
        """``parties[i].<attr>`` for ``parties[owner].<attr>`` or ``parties[breached].<attr>``:
        a fact of that party's own entry, by its place in the incident."""
        which, attr = source.split(".", 1)
        party = self.case.breached if which == "parties[breached]" else self.case.owner
        return f"parties[{self.case.incident.parties.index(party)}].{attr}"

    def _outside_residents(self, law: Compiled) -> dict[str, dict[str, int]]:
        """The residents of the exposures outside ``law``'s reach that its breach rules
        find (or may find) breached, every place, as ``persons_every_exposure`` counts."""
        exposures = self.case.incident.exposures
        return {
            f"exposures[{i}].residents": dict(sorted(exposures[i].residents.items()))
            for i in self.outside.get(law.law.key, ((), ()))[0]
        }

    def missing_outside(self, st: Step, law: Compiled) -> tuple[str, ...]:
        """The facts that would decide whether the exposures outside ``law``'s reach that
        ``st`` counts (``persons_every_exposure``) are a breach under it: a head count
        those alone may carry over the line is unknown until they are known."""
        if "persons_every_exposure" not in st.reads:
            return ()
        return self.outside.get(law.law.key, ((), ()))[1]

    def missing(
        self, st: Step, fact: dict[str, Any], exposures: Sequence[int], law: Compiled
    ) -> list[str]:
        """The facts ``st`` reads that are unknown and could still decide it, by contract
        field path: a fact under a branch already decided (a test beside one already false
        in an ``all:``, or beside one already true in an ``any:``) decides nothing, and
        naming it sent a responder after a fact that changes no result (AWB-13: Singapore's
        lost-device test named facts.SG.device_lost_access_likely with ``lost`` false)."""
        out: list[str] = []
        live = frozenset(open_fields(st.rule.when, fact))
        if "elements" in st.reads:
            out.extend(
                f"exposures[{i}].elements"
                for i in exposures
                if i != INCIDENT_ONLY and "unknown" in self.case.incident.exposures[i].elements
            )
        for name in st.scalars:
            if fact.get(name) is not None or (live and name not in live):
                continue
            if name == "residents_max_place":
                # Unknown only for people under a whole country's code: in which of its
                # places they live is the fact to establish (``Facts`` says why).
                out.extend(
                    f"exposures[{i}].residents.{code}"
                    for i in exposures
                    if i != INCIDENT_ONLY
                    for code, n in self.case.incident.exposures[i].residents.items()
                    if n > 0 and code in law.whole_countries
                )
                continue
            source = source_of(name)
            if "{law}" in source:
                out.append(source.format(law=law.risk_codes[0]))
            elif source.startswith("parties["):
                out.append(self._party_path(source))
            elif source.startswith("exposures[]"):
                attr = source.split(".", 1)[1]
                out.extend(
                    f"exposures[{i}].{attr}"
                    for i in exposures
                    if i != INCIDENT_ONLY and getattr(self.case.incident.exposures[i], attr) is None
                )
            else:
                out.append(source)
        return out


def open_fields(node: Node, fact: dict[str, Any]) -> list[str]:
    """The unknown scalar facts on which ``node``'s unknown value still turns, on ``fact``:
    in an unknown ``all:`` or ``any:``, only its unknown branches are open (a known branch
    decides nothing more). Empty where ``node`` is known on ``fact``: then the caller keeps
    every unknown fact the rule reads rather than name none (the facts a backend read may
    differ from those read here; an unknown result must always name what would decide it)."""
    if evaluate(node, fact) is not None:
        return []
    if isinstance(node, Compare):
        return [node.field]
    if isinstance(node, Not):
        return open_fields(node.item, fact)
    if isinstance(node, All | Any_):
        return [f for item in node.items for f in open_fields(item, fact)]
    return []
