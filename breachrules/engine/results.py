"""What each stage of the pipeline hands to the next: immutable, named results.

Read top to bottom, this file is the pipeline's data flow::

    Case        the incident as every stage reads it, derived once per assessment
    Evaluated   one ruleset's rules run by the backend (reach, facts and rule values)
    Decided     one ruleset's determination and obligations, ready for the audit stage

A stage that needs something from two stages back gets it from one of these, by name.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Any

import attrs

from breachrules.engine.compiled import Compiled
from breachrules.engine.reach import AreaIndex, Reached
from breachrules.engine.truth import Truth
from breachrules.law.calendars import due_at, zone_of
from breachrules.law.ruleset import Deadline, LawInForce, Ruleset
from breachrules.model.decisions import Determination, Obligation, RulesetRef
from breachrules.model.facts import Incident, Party
from breachrules.model.reprs import shared_repr

__all__ = ["INCIDENT_ONLY", "Breach", "Case", "Decided", "Evaluated"]

#: Stands for "the incident itself" where no exposure is in a law's reach.
INCIDENT_ONLY = -1


@shared_repr
@attrs.frozen(repr=False)
class Case:
    """The incident as every stage reads it, with what is derived from it once."""

    incident: Incident
    #: The moment of evaluation: what ``overdue`` is measured against.
    as_of: datetime
    owner: Party
    breached: Party
    #: The breached party, then each party it serves, up to the owner.
    chain: tuple[Party, ...]
    #: The reporter's time zone (``Incident.time_zone``) or the offset of ``discovered_at``:
    #: its days are counted there and due dates are given in it.
    tz: tzinfo | None
    #: The local day of discovery: which version of each law is in force.
    day: date
    areas: AreaIndex
    #: The due dates this assessment has counted (see :meth:`due_at`).
    counted: dict[tuple[Any, ...], datetime | None] = attrs.Factory(dict)

    @classmethod
    def of(cls, incident: Incident, as_of: datetime, areas: AreaIndex) -> Case:
        # Incident's properties walk the parties on every call: derive them once (the
        # chain runs from the breached party up to the owner).
        chain = incident.chain
        return cls(
            incident,
            as_of,
            chain[-1],
            chain[0],
            chain,
            # The reporter's zone where the incident gives it (its summer time applied),
            # else the fixed offset discovered_at was written with.
            (zone_of(incident.time_zone) if incident.time_zone else None)
            or incident.discovered_at.tzinfo,
            incident.discovered_at.date(),
            areas,
        )

    def due_at(self, ruleset: Ruleset, d: Deadline, start: datetime) -> datetime | None:
        """``calendars.due_at`` for the period ``d`` counted from ``start`` in this case's
        time zone, under ``ruleset``'s holidays and time zone: counted once per
        assessment for each period and start (a law's duties often run for the same
        period from the same moment, and counting in a law's own time zone takes
        several microseconds)."""
        c = d.counting
        key = (
            d.days,
            d.hours,
            d.months,
            d.business_days,
            c.first_day,
            c.ends,
            start,
            start.utcoffset(),  # equal moments written with other offsets: kept apart
            ruleset.holidays,
            ruleset.time_zone,
        )
        memo = self.counted
        if key in memo:
            return memo[key]
        when = memo[key] = due_at(d, start, self.tz, ruleset.holidays, ruleset.time_zone)
        return when


@shared_repr
@attrs.frozen(repr=False)
class Breach:
    """Whether a law's breach test is met: overall, per exposure, and what decides it."""

    status: str
    by_exposure: tuple[Truth, ...]
    #: The facts that decide the exposures still in doubt.
    missing: tuple[str, ...]
    #: For a presumed breach: the facts that, once shown, would rebut the presumption.
    rebuttal: tuple[str, ...] = ()


@shared_repr
@attrs.frozen(repr=False)
class Evaluated:
    """One ruleset's rules run against an incident, before any output is built."""

    ruleset: Ruleset
    law: LawInForce | None
    compiled: Compiled | None
    reached: Reached | None
    #: Why the law does not apply, when it was named or its residents were affected.
    not_applicable: str | None = None
    #: The exposures the law counts (``INCIDENT_ONLY`` for an incident-based regime).
    relevant: tuple[int, ...] = ()
    #: Per relevant exposure, each exposure rule's value by rule position.
    per_exposure: tuple[dict[int, Truth], ...] = ()
    breach: Breach = Breach("not_breach", (), ())
    obligations_needed: bool = False
    #: The exposures that are or may be breached.
    affected: tuple[int, ...] = ()
    #: The incident fact of the widest possible world (with ``residents_certain``).
    fact: dict[str, Any] = attrs.Factory(dict)
    #: The obligation rules' values, merged across the possible worlds.
    truths: dict[int, Truth] = attrs.Factory(dict)
    #: For duties that do not require a breach, when the law's reach holds exposures no
    #: possible world of the breach includes: those exposures (all in reach), the fact of
    #: that whole incident and the obligation rules' values on it. None: the same as above.
    whole: tuple[int, ...] | None = None
    whole_fact: dict[str, Any] | None = None
    whole_truths: dict[int, Truth] | None = None


@shared_repr
@attrs.frozen(repr=False)
class Decided:
    """One ruleset's outcome: what the assessment lists and what the audit stage records."""

    code: str
    determination: Determination
    ref: RulesetRef | None = None
    law: LawInForce | None = None
    reach_reason: str = ""
    #: ``(rule id, audit detail)`` for every breach rule: its values on the relevant
    #: exposures, grouped by value (one ``rule_values`` audit event each).
    rule_values: tuple[tuple[str, dict[str, Any]], ...] = ()
    obligations: tuple[Obligation, ...] = ()
    #: The exposures that are or may be breached: what the obligations' reasons read.
    affected: tuple[int, ...] = ()
    #: Whether the law counts every affected person, wherever they live (it reaches the
    #: incident by a party's establishment or status, GDPR Art. 3(1)), not only the
    #: residents of its own places: the audit records it, and drafts count them so.
    counts_everyone: bool = False
    #: Every exposure in the law's reach, when a duty that needs no breach read them all
    #: (``Evaluated.whole``), and the ids of those duties: what their reasons read.
    whole: tuple[int, ...] | None = None
    whole_rules: frozenset[str] = frozenset()
    #: The exposures outside the law's reach that ``persons_every_exposure`` counted (its
    #: breach rules find them, or may find them, breached), and the ids of the duties that
    #: read that count: their reasons read these besides ``affected``.
    outside: tuple[int, ...] = ()
    outside_rules: frozenset[str] = frozenset()
