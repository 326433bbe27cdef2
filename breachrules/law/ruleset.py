"""The loaded form of a ruleset: law as dated data with a citation on every value.

A ruleset file (see ``docs/ruleset-format.md``) becomes a :class:`Ruleset`; the law in
force on a given day is :meth:`Ruleset.version_on`, and :class:`LawInForce` is that
version's rules with every ``$parameter`` replaced by the value in force, conditions
parsed, ready for an engine backend. It is one job: the classes a ruleset file
becomes refer to one another, and split they would only import each other.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import attrs

from breachrules.law import methods
from breachrules.law.conditions import Node
from breachrules.law.declared import OwnFact
from breachrules.model.decisions import Act
from breachrules.model.reprs import shared_repr

# The classes below get the methods attrs writes for them compiled with the package.
methods.begin()

__all__ = [
    "Counting",
    "Deadline",
    "DeadlineVariant",
    "DelayCap",
    "DelayExtension",
    "DelayRule",
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


@shared_repr
@attrs.frozen(repr=False)
class Source:
    url: str
    title: str | None = None


@shared_repr
@attrs.frozen(repr=False)
class Parameter:
    """One dated value of the law, with its own citation (OpenFisca style)."""

    value: Any
    citation: str
    verified: bool = True
    note: str | None = None


@shared_repr
@attrs.frozen(repr=False)
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


@shared_repr
@attrs.frozen(repr=False)
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
    #: ``by_party_type``: a party of a type the ruleset binds (``applies_to.party_types``)
    #: brings the law in even when no establishment or resident places it there, because
    #: the type is a status under this very law (an SEC registrant, a HIPAA covered entity).
    by_party_type: bool = False


@shared_repr
@attrs.frozen(repr=False)
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


@shared_repr
@attrs.frozen(repr=False)
class Counting:
    """How a legal system counts a period of days or months (``counting:``).

    Legal systems differ, and a day either way is a missed deadline: Japan's Civil Code
    Art. 140 leaves out the day of the event and Art. 141 ends the period at the end of
    its last day; Regulation (EEC, Euratom) No 1182/71 Art. 3 does the same for EU acts;
    other laws count the day of the event as day 1, or end the period at the same clock
    time. ``first_day`` is ``excluded`` (the default, and the engine's reading before this
    was declarable) or ``included``; ``ends`` is ``end_of_day`` (default) or
    ``same_time``. Hours always run from the anchor's exact moment.
    """

    first_day: str = "excluded"
    ends: str = "end_of_day"
    citation: str | None = None
    verified: bool = True
    note: str | None = None


@shared_repr
@attrs.frozen(repr=False)
class Deadline:
    """When a notice is due. ``days``/``hours``/``months`` None with only ``text``: no
    fixed period."""

    text: str
    anchor: str = "discovery"
    days: int | None = None
    hours: int | None = None
    business_days: bool = False
    citation: str | None = None
    #: "but no later than": a second clock whose end caps this one (DORA: 4 hours from
    #: classification, at most 24 hours from awareness). The due date is the earlier.
    cap: Deadline | None = None
    #: Calendar months (NIS2's and DORA's "one month"): the same date N months on, or the
    #: month's last day when it has no such date (31 January + 1 month: 28/29 February).
    months: int | None = None
    #: How days and months are counted: the deadline's own ``counting``, else the
    #: ruleset's, else the default (first day excluded, ends at the end of the last day).
    counting: Counting = attrs.Factory(Counting)
    #: Where the anchor's fact is unknown and the law allows the conservative reading:
    #: the anchors to count from instead, tried in order, each one that the unknown moment
    #: cannot precede (a determination cannot precede discovery), so the due date shown
    #: is the earliest lawful one. ``if_unknown_text`` says why, on the obligation.
    if_unknown: tuple[str, ...] = ()
    if_unknown_text: str | None = None
    #: Periods the law sets for some parties only, by party type (first match wins).
    variants: tuple[DeadlineVariant, ...] = ()
    #: A waiting period: the notice must not be given before this clock runs out (a
    #: carrier "shall not notify customers ... until 7 full business days have passed
    #: after notification to the USSS and the FBI", 47 CFR 64.2011(b)(1)). It moves no
    #: due date; the obligation reports it as ``not_before``.
    not_before: Deadline | None = None
    #: "Or when ..., whichever is sooner", where the other moment is a notice actually
    #: sent (``or_when: "sent:<obligation id>"``): Vermont's preliminary notice is due
    #: "within 14 business days ... of the data collector's discovery ... or when the data
    #: collector provides notice to consumers ..., whichever is sooner" (9 V.S.A.
    #: § 2435(b)(3)(B)(i)). The recorded sending (``notices_sent``) ends the period if it
    #: comes first; while that notice is not sent, the period stands and nothing is missing.
    or_when: str | None = None

    @property
    def or_when_sent(self) -> str | None:
        """The obligation whose sending ends this period if sooner (``or_when``), if any:
        an id of this ruleset, or ``<CODE>:<id>`` for another law's notice."""
        if self.or_when is None or not self.or_when.startswith("sent:"):
            return None
        return self.or_when.split(":", 1)[1]

    @property
    def chained_to(self) -> str | None:
        """The obligation id this clock runs from (``from: obligation:<id>``), if any."""
        return self.anchor.split(":", 1)[1] if self.anchor.startswith("obligation:") else None

    @property
    def sent_of(self) -> str | None:
        """The obligation whose sending starts this clock (``from: sent:<id>``), if any:
        an id of this ruleset, or ``<CODE>:<id>`` for another law's notice (New York's copy
        to the Attorney General runs from the HIPAA notice to the Secretary, N.Y. Gen. Bus.
        Law § 899-aa(9))."""
        return self.anchor.split(":", 1)[1] if self.anchor.startswith("sent:") else None

    @property
    def fixed(self) -> bool:
        """Whether the deadline has a fixed period (else only ``text``: due is null)."""
        return self.days is not None or self.hours is not None or self.months is not None


@shared_repr
@attrs.frozen(repr=False)
class DelayExtension:
    """A further period a law allows beyond its cap on a delay, on a further determination.

    ``days`` None: the agency may extend as it judges necessary (no further limit)."""

    text: str
    days: int | None = None


@shared_repr
@attrs.frozen(repr=False)
class DelayCap:
    """The longest a law lets a law-enforcement delay run (``longest:``).

    Counted in calendar days ``from`` the date the notice was otherwise ``due`` (Form 8-K
    Item 1.05(c): "up to 30 days following the date when the disclosure ... was otherwise
    required to be provided") or from the agency's ``statement`` (45 CFR 164.412(b): "no
    longer than 30 days from the date of the oral statement"). ``oral_only``: the cap binds
    only a statement not in writing; with ``days`` 0, a delay the law grants only on a
    written request (815 ILCS 530/10(b-5)): an oral one delays nothing. ``further``: the
    further periods the law allows, each on a further determination
    (``law_enforcement.delay_extensions`` counts them);
    ``beyond``: what the law says of a delay past them all.
    """

    days: int
    anchor: str
    text: str
    citation: str | None = None
    oral_only: bool = False
    further: tuple[DelayExtension, ...] = ()
    beyond: str | None = None
    verified: bool = True
    note: str | None = None


@shared_repr
@attrs.frozen(repr=False)
class DelayRule:
    """How a law-enforcement delay ends under one law (``law_enforcement_delay:``).

    ``ends``: ``end_of_delay`` (the notice is due when the delay ends; the default and the
    only reading before it was declarable), ``restart`` (the law's period runs again from
    the agency's word) or ``after`` (a fixed period after the agency's word: Maryland's
    7 days, Md. Code, Com. Law § 14-3504(d)(2)); ``days``/``hours`` give that period,
    and ``business_days`` counts its days on the ruleset's holiday calendar (Maine's
    "7 business days after a law enforcement agency determines", 10 M.R.S. § 1348(3)).
    ``longest``: the law's cap on the delay (:class:`DelayCap`), read with ``end_of_delay``.
    """

    citation: str
    ends: str = "end_of_delay"
    days: int | None = None
    hours: int | None = None
    business_days: bool = False
    verified: bool = True
    note: str | None = None
    #: The law's cap on the delay (``longest:``); None: the delay runs as long as asked.
    longest: DelayCap | None = None


@shared_repr
@attrs.frozen(repr=False)
class DeadlineVariant:
    """A period the law sets for parties of some types only, in place of the general one.

    Brazil doubles the periods of small processing agents (Resolução CD/ANPD nº 2/2022);
    China's 2025 reporting measures give critical information infrastructure operators
    1 hour where other operators have 4. The owing party's types choose; a party that
    declares none gets the general period.
    """

    party_types: tuple[str, ...]
    text: str
    citation: str
    days: int | None = None
    hours: int | None = None
    business_days: bool = False
    verified: bool = True
    note: str | None = None


@shared_repr
@attrs.frozen(repr=False)
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


@shared_repr
@attrs.frozen(repr=False)
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
    #: How this law's delay ends (``law_enforcement_delay`` given as a mapping); None with
    #: a citation above: the delay's own end.
    delay: DelayRule | None = None
    #: ``notice`` (sent), ``record`` (kept; the recipient may ask for it) or ``assessment``
    #: (completed by the party itself): see ``vocabulary.OBLIGATION_KINDS``.
    kind: str = "notice"
    #: The act the duty is owed under, where it is not the ruleset's own law (``law:``,
    #: an agency's duties under another statute); None: the ruleset's law.
    law: Act | None = None

    def in_force(self, day: date) -> bool:
        return (self.effective_from is None or self.effective_from <= day) and (
            self.effective_to is None or day <= self.effective_to
        )


@shared_repr
@attrs.frozen(repr=False)
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


@shared_repr
@attrs.frozen(repr=False)
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
    #: ``time_zone:``, the IANA zone where the law's days end (None: the incident's offset).
    time_zone: str | None = None
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
    #: The law's own way of counting days and months (``counting:``), when declared.
    counting: Counting | None = None
    #: Party type words the ruleset declares for itself (``declares.party_types``: a
    #: Brazilian small processing agent, a Chinese critical infrastructure operator), so
    #: that an incident using them is not warned about an unknown word.
    declared_party_types: tuple[str, ...] = ()
    #: ``law`` or ``policy`` (``kind:``): a policy's duties are shown as policy, not
    #: statute, wherever they are shown.
    kind: str = "law"
    #: Facts the ruleset declares for itself (``declares.facts``), read from
    #: ``facts.<code>.<name>`` in the incident; only its own conditions test them.
    facts: tuple[OwnFact, ...] = ()
    #: What each declared recipient is (``declares.recipients``): word -> description.
    recipient_descriptions: dict[str, str] = attrs.Factory(dict)

    @property
    def is_policy(self) -> bool:
        """Whether the ruleset is a company policy (``kind: policy``), not a law."""
        return self.kind == "policy"

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


methods.end()
