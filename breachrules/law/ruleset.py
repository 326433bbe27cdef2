"""The loaded form of a ruleset: law as dated data with a citation on every value.

A ruleset file (see ``docs/ruleset-format.md``) becomes a :class:`Ruleset`; the law in
force on a given day is :meth:`Ruleset.version_on`, and :class:`LawInForce` is that
version's rules with every ``$parameter`` replaced by the value in force, conditions
parsed, ready for an engine backend.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import attrs

from breachrules.law.conditions import Node

__all__ = [
    "Deadline",
    "LawInForce",
    "ObligationRule",
    "Parameter",
    "Reach",
    "Rule",
    "Ruleset",
    "Source",
    "SubstituteNotice",
    "Version",
]


@attrs.frozen
class Source:
    url: str
    title: str | None = None


@attrs.frozen
class Parameter:
    """One dated value of the law, with its own citation (OpenFisca style)."""

    value: Any
    citation: str
    verified: bool = True
    note: str | None = None


@attrs.frozen
class Version:
    """The law as in force between two dates (``effective_to`` inclusive; None: still in force)."""

    effective_from: date
    citation: str
    effective_to: date | None = None
    #: Parameters as resolved for this version: those it sets plus those inherited.
    parameters: dict[str, Parameter] = attrs.Factory(dict)
    note: str | None = None

    def covers(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )


@attrs.frozen
class Reach:
    """Whom the law reaches.

    ``residents``: people living in these places are counted. ``established_in``: a party
    established here brings every affected person within the law (GDPR Art. 3(1)).
    ``requires_targeting``: residents count only where the owner offers goods or services
    to, or monitors, people there (GDPR Art. 3(2)).
    """

    residents: tuple[str, ...] = ()
    established_in: tuple[str, ...] = ()
    requires_targeting: bool = False
    citation: str | None = None


@attrs.frozen
class Rule:
    """A named rule: a condition, where it comes from, and what the statute says."""

    id: str
    title: str
    citation: str
    when: Node
    statute: str | None = None
    url: str | None = None
    verified: bool = True
    note: str | None = None
    #: Where the rule sits in its file, for error messages and ``explain``.
    line: int | None = None
    exceptions: tuple[Rule, ...] = ()
    #: A duty the law attaches to relying on this rule (an exception), e.g. "document the
    #: risk-of-harm determination in writing and keep it five years". Shown in the reason
    #: whenever the exception applies or may apply, because relying on it without the
    #: paperwork is where counsel get caught out.
    duty: str | None = None
    #: For an exception: the law presumes the breach unless this exception is shown (the
    #: burden is on the entity, e.g. 45 CFR 164.402(2)). While its facts are unknown the
    #: incident is a *presumed* breach, not undetermined; the facts are its rebuttal.
    rebuttable: bool = False


@attrs.frozen
class Deadline:
    """When a notice is due. ``days``/``hours`` None with only ``text``: no fixed period."""

    text: str
    anchor: str = "discovery"
    days: int | None = None
    hours: int | None = None
    business_days: bool = False
    citation: str | None = None
    #: "but no later than": a second clock whose end caps this one (DORA: 4 hours from
    #: classification, at most 24 hours from awareness). The due date is the earlier.
    cap: Deadline | None = None

    @property
    def chained_to(self) -> str | None:
        """The obligation id this clock runs from (``from: obligation:<id>``), if any."""
        return self.anchor.split(":", 1)[1] if self.anchor.startswith("obligation:") else None


@attrs.frozen
class SubstituteNotice:
    """When the law lets notice to individuals be given by substitute means.

    ``cost_exceeds`` (in the statute's currency) and ``persons_exceed`` are the statute's
    thresholds; either may be absent. Insufficient contact information, the third usual
    ground, is a fact only the notifying party knows, so it stays in ``text``.
    """

    text: str
    citation: str
    cost_exceeds: int | None = None
    persons_exceed: int | None = None
    verified: bool = True
    note: str | None = None


@attrs.frozen
class ObligationRule:
    """A duty to notify someone, and when it arises (``rule.when`` plus a breach)."""

    rule: Rule
    recipient: str
    by: str
    deadline: Deadline
    recipient_name: str | None = None
    content_requirements: tuple[str, ...] = ()
    #: Citation of the provision that lets law enforcement delay this notice, if any.
    law_enforcement_delay: str | None = None
    #: An obligation that applies whether or not there is a breach (incident regimes).
    requires_breach: bool = True
    effective_from: date | None = None
    effective_to: date | None = None
    substitute_notice: SubstituteNotice | None = None

    def in_force(self, day: date) -> bool:
        return (self.effective_from is None or self.effective_from <= day) and (
            self.effective_to is None or day <= self.effective_to
        )


@attrs.frozen
class LawInForce:
    """One version of a ruleset with parameters substituted: what a backend evaluates."""

    code: str
    version: Version
    personal_information: Rule
    breach: Rule
    obligations: tuple[ObligationRule, ...]

    @property
    def key(self) -> str:
        """A stable name for this version, unique across the engine's rulesets."""
        return f"{self.code}@{self.version.effective_from.isoformat()}"


@attrs.frozen
class Ruleset:
    """One jurisdiction's law, across its dated versions."""

    code: str
    name: str
    citation: str
    last_reviewed: date
    sources: tuple[Source, ...]
    reach: Reach
    versions: tuple[Version, ...]
    laws: tuple[LawInForce, ...]
    party_types: tuple[str, ...] = ()
    #: ``applies_to.parties``: the ids of the parties the ruleset binds (a company policy).
    party_ids: tuple[str, ...] = ()
    #: ``applies_to.roles``: the roles in the chain it binds (owner, breached_party,
    #: service_provider).
    party_roles: tuple[str, ...] = ()
    holidays: tuple[str, str | None] | None = None
    path: Path | None = None
    note: str | None = None
    unverified: tuple[str, ...] = ()
    #: What the last review read: ``statute`` (the official or codified text throughout),
    #: ``partly`` (some provisions only from secondary sources) or ``secondary`` (law-firm
    #: charts and summaries only). None: not recorded.
    checked_against: str | None = None
    #: Codes whose risk-of-harm test this law declares to be in the same words, so that a
    #: finding made under one of them serves this law too (``risk_test.same_as``).
    risk_test_same_as: tuple[str, ...] = ()
    #: Recipient words the ruleset declares for itself (a policy's CISO, DPO, insurer),
    #: beside the contract's vocabulary.
    recipients: tuple[str, ...] = ()
    #: SHA-256 of the file the ruleset was read from (line endings read as LF, so a
    #: Windows checkout hashes the same): the exact text an assessment applied, so that an
    #: old decision can be reproduced and a law change named (``breachrules impact``).
    sha256: str | None = None

    @property
    def binds(self) -> bool:
        """Whether the ruleset names the parties it binds (``applies_to``)."""
        return bool(self.party_types or self.party_ids or self.party_roles)

    def law_on(self, day: date) -> LawInForce | None:
        """The law in force on ``day``, or None when the ruleset has no version then."""
        for law in self.laws:
            if law.version.covers(day):
                return law
        return None

    @property
    def current(self) -> LawInForce:
        """The newest version."""
        return self.laws[-1]
