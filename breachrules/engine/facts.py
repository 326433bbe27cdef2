"""The facts stage: the incident as the backend reads it, one flat fact per evaluation.

A fact holds the incident-wide facts (risk findings, party types, classification), the
exposure's own facts (acquired, encrypted, ``elements:<word>`` flags), the residents the
law counts, and ``False`` for every flag the law reads but the incident does not set.
An unknown value is an absent field: what every backend reads as unknown.

The parts that are the same under every law are built once per assessment and kept in
the :class:`Facts` object of that assessment (a memo, never shared between assessments).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from breachrules.engine.compiled import EXPOSURE, INCIDENT, Compiled
from breachrules.engine.reach import Reached
from breachrules.engine.results import INCIDENT_ONLY, Case
from breachrules.engine.truth import Truth, all_of, any_of
from breachrules.model.facts import CLASSIFICATION_FLAGS, Exposure

__all__ = ["NO_EXPOSURE", "Facts", "common_facts"]

#: What "the incident" reads as where no exposure is in a law's reach.
NO_EXPOSURE = Exposure(
    elements=(),
    residents={},
    encrypted=False,
    key_compromised=False,
    acquired=False,
    accessed=False,
    paper=False,
)


def common_facts(case: Case) -> dict[str, Any]:
    """The facts of the incident that every fact carries, whatever the exposure or law."""
    inc, owner, breached = case.incident, case.owner, case.breached
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


class Facts:
    """The facts of one assessment, each law-independent part built once."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.common = common_facts(case)
        self._exposure_bases: dict[int, dict[str, Any]] = {}
        self._world_bases: dict[tuple[int, ...], dict[str, Any]] = {}

    def exposure(self, i: int, reached: Reached, c: Compiled) -> dict[str, Any]:
        """What the rules about one exposure read: the incident, the exposure, the residents
        the law counts, and ``False`` for every element flag the law reads but is absent."""
        base = self._exposure_bases.get(i)
        if base is None:
            e = NO_EXPOSURE if i == INCIDENT_ONLY else self.case.incident.exposures[i]
            base = self._exposure_bases[i] = self._base(
                e.acquired, e.accessed, e.encrypted, e.key_compromised, e.paper, e.elements
            )
        counted = {} if i == INCIDENT_ONLY else reached.residents[i]
        fact = {**c.defaults[EXPOSURE], **base}
        fact["residents"] = sum(counted.values())
        fact["residents_max_place"] = max(counted.values(), default=0)
        return fact

    def world(self, affected: Iterable[int], reached: Reached, c: Compiled) -> dict[str, Any]:
        """What the obligation rules read: the incident, the exposures of one possible
        world taken together, and the residents the law counts in them."""
        exposures = [i for i in affected if i != INCIDENT_ONLY]
        key = tuple(exposures)
        base = self._world_bases.get(key)
        if base is None:
            es = [self.case.incident.exposures[i] for i in exposures]
            base = self._world_bases[key] = (
                self._base(
                    any_of(e.acquired for e in es),
                    any_of(e.accessed for e in es),
                    all_of(e.encrypted for e in es),
                    any_of(e.key_compromised for e in es),
                    any_of(e.paper for e in es),
                    [word for e in es for word in e.elements],
                )
                if es
                else self._base(None, None, None, None, None, ())
            )
        per_place: dict[str, int] = {}
        for i in exposures:
            for place, n in reached.residents[i].items():
                per_place[place] = per_place.get(place, 0) + n
        fact = {**c.defaults[INCIDENT], **base}
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
        """The part of a fact that is the same under every law."""
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
