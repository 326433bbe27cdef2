"""The incident fact model: CONTRACT.md section 1, field for field.

Every class is a frozen attrs class so that an incident, once loaded, cannot change under
an assessment. ``None`` always means "not yet established" (unknown), never false: the
engine reasons with three values and names unknown facts instead of guessing them.

Construct incidents with :func:`breachrules.load_incident`, which validates and reports
every problem with its field path; the constructors here do no validation of their own,
but ``Engine.assess`` checks an incident built (or ``attrs.evolve``-d) in Python the same
way before assessing it, once per incident object (:mod:`breachrules.io.checked`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

import attrs

from breachrules.model.bindings import bound

__all__ = [
    "CLASSIFICATION_FLAGS",
    "PROCEDURE_FLAGS",
    "Classification",
    "Contract",
    "Exposure",
    "Finding",
    "Incident",
    "LawEnforcement",
    "Party",
    "Risk",
]

DataRole = Literal["owner", "service_provider"]
GdprRisk = Literal["none", "risk", "high"]


@attrs.frozen
class Party:
    """An organisation involved in the incident, with its data role and regulatory types."""

    id: str
    data_role: DataRole
    name: str | None = None
    #: For a service provider: the id of the party whose data it maintains or processes.
    serves: str | None = None
    types: tuple[str, ...] = ()
    established_in: tuple[str, ...] = ()
    #: Markets targeted (GDPR Art. 3(2)); ``None`` when not established.
    offers_to: tuple[str, ...] | None = None
    #: extension: when this party was told of the incident by the service provider it uses
    #: (the tier below it in the chain). Laws that run an owner's or controller's clock from
    #: its own awareness read it; ``None`` when not established.
    told_at: datetime | None = None
    #: extension: when this party determined that a breach occurred, or had reason to
    #: believe it did. A third-party agent's clock to tell the party it serves runs from
    #: its own determination (Ala. Code § 8-38-8); ``None`` when not established.
    determined_at: datetime | None = None
    #: extension: this party maintains breach-notification procedures of its own, as part
    #: of an information-security or privacy policy or a compliance plan, that provide for
    #: notice to the affected persons at least as promptly as the laws in question require
    #: ("maintains its own notification procedures as part of an information security
    #: policy ... consistent with the timing requirements", Minn. Stat. § 325E.61 subd. 1(h);
    #: Ind. Code § 24-4.9-3-4(c), (d)); null is unknown. A plan the regulator's rules make
    #: the party keep is ``regulator_procedures`` (Indiana (d) reads either).
    notice_procedures: bool | None = None
    #: extension: this party has notified, or will notify, the affected persons under those
    #: procedures of its own ("if it notifies ... in accordance with its policies", "it
    #: complies with that policy or plan"). False by default, as a notice not recorded as
    #: sent is not sent: an own-procedure safe harbour is a way to give the notice, never a
    #: reason to doubt that one is owed, so until the party says it notifies under its own
    #: procedures the law's notice stays owed (``required``), not ``conditional``; null is
    #: unknown (the safe harbour then turns on it: ``conditional``).
    notified_under_procedures: bool | None = False
    #: extension: this party maintains, and follows for this breach, the breach-notification
    #: procedures set by the laws, rules or guidance of its state or federal regulator (the
    #: HIPAA Breach Notification Rule, the federal interagency guidance on response
    #: programs, ...): "maintains procedures for a security breach pursuant to the laws,
    #: rules, regulations, guidances, or guidelines established by its state or federal
    #: regulator" (C.R.S. § 6-1-716(3)(b)), "subject to and in compliance with"; for a
    #: bank or covered entity, also the "compliance plan under ... GLBA ... or HIPAA" of
    #: Ind. Code § 24-4.9-3-4(d); null is unknown.
    regulator_procedures: bool | None = None


#: The party's yes/no facts about its own breach procedures (read from the owner).
PROCEDURE_FLAGS = ("notice_procedures", "notified_under_procedures", "regulator_procedures")


@attrs.frozen
class Contract:
    """Notification and liability terms agreed between an owner and a service provider."""

    id: str
    owner: str
    provider: str
    notify_owner_within_hours: int | None = None
    #: extension: the same window in days (``notify_owner_business_days`` counts business
    #: days on the calendar ``calendar``, an ISO 3166 code such as "US" or "US-NY").
    notify_owner_within_days: int | None = None
    notify_owner_business_days: bool = False
    calendar: str | None = None
    individual_notice_by: Literal["owner", "provider"] | None = None
    costs_borne_by: Literal["owner", "provider"] | None = None
    indemnity: bool | None = None
    liability_cap: float | None = None


@attrs.frozen
class Exposure:
    """One group of people whose data was exposed the same way."""

    elements: tuple[str, ...]
    residents: dict[str, int]
    description: str | None = None
    encrypted: bool | None = None
    key_compromised: bool | None = None
    acquired: bool | None = None
    accessed: bool | None = None
    #: extension: the records were on paper, not computerized data. Many state laws cover
    #: only computerized data; the default (False) is the contract's electronic exposure.
    paper: bool | None = False
    #: extension: the exposed elements, without the person's name, would be enough to
    #: commit identity theft against them (e.g. RCW 19.255.005(2)(a)(ii)); unknown by default.
    identity_theft_without_name: bool | None = None
    #: extension: the data is protected health information (45 CFR 160.103) held by a HIPAA
    #: covered entity or business associate. A state's carve-out for HIPAA entities covers
    #: only such data (an employer's own HR records are not PHI); unknown by default.
    phi: bool | None = None
    #: extension: the data was destroyed or deleted without authority, accidentally or
    #: unlawfully (an availability breach: "destruction" in GDPR Art. 4(12)); null is unknown.
    destroyed: bool | None = None
    #: extension: the data, or access to it, was lost, even for a time: a lost device or
    #: medium, data made unavailable (e.g. encrypted by ransomware) ("loss" in GDPR
    #: Art. 4(12)); null is unknown.
    lost: bool | None = None
    #: extension: the data was altered without authority (an integrity breach:
    #: "alteration" in GDPR Art. 4(12)); null is unknown.
    altered: bool | None = None
    #: extension: the affected people can be identified, their identity established (a
    #: notice to them is excused "unless the identity of such data subject cannot be
    #: established", POPIA s. 22(1)(b); Kenya's Data Protection Act, 2019, s. 43(1)(b)).
    #: Default true (omitted: they can be), so that a notice is never excused unless the
    #: identity is shown not to be establishable; false: it cannot be; null is unknown.
    identifiable: bool | None = True


@attrs.frozen
class Finding:
    """One law's risk-of-harm finding: the outcome of applying *that law's* test.

    Laws word their tests differently ("not reasonably likely to result in identity theft or
    financial harm", "misuse not reasonably possible", ...), so a finding is made per law
    and never clears a breach under another law's test. What some laws demand of the
    finding itself (in writing, after consulting law enforcement) is recorded with it.
    """

    harm_likely: bool | None = None
    #: The finding was documented in writing.
    in_writing: bool | None = None
    #: It was made after consulting the relevant law-enforcement agencies.
    law_enforcement_consulted: bool | None = None
    #: When it was made (the clock of duties that follow from it).
    made_at: datetime | None = None


@attrs.frozen
class Risk:
    """Outcomes of the risk analyses that some laws allow."""

    #: Legacy (schema 1): one risk-of-harm outcome with no law named. ``True`` (harm
    #: likely) is read under every law that has no finding of its own; ``False`` clears no
    #: law, because a finding that harm is unlikely answers one law's test, not every
    #: law's: record it under ``findings`` for the law whose test was applied.
    harm_likely: bool | None = None
    gdpr_risk: GdprRisk | None = None
    hipaa_low_probability_of_compromise: bool | None = None
    #: extension: per-law risk-of-harm findings, keyed by ruleset code (``"US-FL"``).
    findings: dict[str, Finding] = attrs.Factory(dict)


@attrs.frozen
class LawEnforcement:
    """A law-enforcement agency's involvement and any request to delay notice."""

    notified_at: datetime | None = None
    delay_requested_until: datetime | None = None
    #: extension: when the agency made the statement or determination that asked for the
    #: delay. A law that caps an oral statement's delay counts from it ("no longer than 30
    #: days from the date of the oral statement", 45 CFR 164.412(b)); null is unknown.
    delay_requested_at: datetime | None = None
    #: extension: the agency's statement was in writing (a written statement specifying the
    #: time, or one submitted within the time an oral statement allows, 45 CFR
    #: 164.412(a)); false: oral only; null is unknown (read as oral where the law caps an
    #: oral statement: the earlier date).
    delay_in_writing: bool | None = None
    #: extension: how many further determinations the agency has made since its first,
    #: each extending the delay by the further period the law allows (Form 8-K Item
    #: 1.05(c): an additional 30 days, then in extraordinary circumstances a final 60);
    #: null is unknown (read as none: the earlier date).
    delay_extensions: int | None = None


@attrs.frozen
class Classification:
    """Facts for incident-based regimes (NIS2, DORA, banking rule, NYDFS, SEC)."""

    significant: bool | None = None
    major_ict_incident: bool | None = None
    classified_at: datetime | None = None
    bank_notification_incident: bool | None = None
    bank_determined_at: datetime | None = None
    nydfs_reportable: bool | None = None
    nydfs_determined_at: datetime | None = None
    material: bool | None = None
    #: extension: an actively exploited vulnerability in a product with digital elements
    #: (EU Cyber Resilience Act Art. 3(42), Art. 14(1)).
    actively_exploited_vulnerability: bool | None = None
    #: extension: a severe incident having an impact on the security of a product with
    #: digital elements (EU Cyber Resilience Act Art. 14(3), (5)).
    severe_incident: bool | None = None
    #: extension: a reportable cyber incident (12 CFR 748.1(c)(1) for credit unions).
    reportable_cyber_incident: bool | None = None
    #: extension: a network security incident graded "relatively major" (较大) or above
    #: under the Classification Guide annexed to China's CAC Measures for the
    #: Administration of Reporting of National Cybersecurity Incidents (2025), Art. 4.
    cn_relatively_major_or_above: bool | None = None


#: The classification's yes/no facts: the names rules read them by.
CLASSIFICATION_FLAGS = tuple(
    a.name for a in attrs.fields(Classification) if not a.name.endswith("_at")
)


@attrs.frozen
class Incident:
    """The facts of one security incident (CONTRACT section 1)."""

    id: str
    discovered_at: datetime
    parties: tuple[Party, ...]
    exposures: tuple[Exposure, ...] = ()
    schema_version: Literal["1"] = "1"
    title: str | None = None
    occurred_at: datetime | None = None
    breach_determined_at: datetime | None = None
    materiality_determined_at: datetime | None = None
    ransom_paid_at: datetime | None = None
    breached_party: str | None = None
    contracts: tuple[Contract, ...] = ()
    risk: Risk = attrs.Factory(Risk)
    good_faith_insider: bool | None = None
    #: extension: the incident was caused by a deliberate wrongful act (hacking or other
    #: unlawful access, ransomware, theft, insider misuse for an improper purpose), not by
    #: error or accident. Some laws report such incidents whatever their size (Japan APPI
    #: Rules Art. 7(iii), Korea PIPA Decree Art. 40(1)(3)). Null: not established.
    malicious: bool | None = None
    law_enforcement: LawEnforcement = attrs.Factory(LawEnforcement)
    classification: Classification = attrs.Factory(Classification)
    #: extension: the personal information was disclosed inadvertently by a person
    #: authorized to access it (N.Y. Gen. Bus. Law § 899-aa(2)(a) and similar); null is
    #: unknown.
    inadvertent_authorized_disclosure: bool | None = None
    #: extension: notices already sent, keyed by obligation id (``"EU-NIS2:incident-
    #: notification"``), when each was sent. A stage that runs from the sending of an
    #: earlier one (NIS2's final report, one month after the incident notification is
    #: submitted) reads it.
    notices_sent: dict[str, datetime] = attrs.Factory(dict)
    #: Host-defined data carried through untouched (never read by the engine).
    extensions: dict[str, Any] = attrs.Factory(dict)
    #: extension: facts a ruleset declares for itself (``declares.facts``: a company
    #: policy's ``passwords_hashed``), keyed by ruleset code, then by the fact's name; each
    #: value is true/false, a whole number, a word or a moment (an ISO 8601 timestamp, for a
    #: fact declared ``datetime``: when a regulator's order was received), null (or absent)
    #: when unknown. Read
    #: only by the ruleset that declares it, and checked against its declaration.
    facts: dict[str, dict[str, Any]] = attrs.Factory(dict)
    #: extension: the IANA time zone of the clock ``discovered_at`` was read from (the
    #: party that must act: ``America/New_York``). Given, that party's days are counted
    #: there, summer time included; null: at the fixed UTC offset of ``discovered_at``.
    time_zone: str | None = None

    @property
    def breached(self) -> Party:
        """The party whose systems were compromised (``breached_party``, else the first)."""
        wanted = self.breached_party or self.parties[0].id
        return next(p for p in self.parties if p.id == wanted)

    def _repr_html_(self) -> str:
        """A compact HTML view for Jupyter (see :mod:`breachrules.views.notebook`)."""
        return bound("incident._repr_html_")(self)  # type: ignore[no-any-return]

    @property
    def chain(self) -> tuple[Party, ...]:
        """The breached party, then each party it serves in turn, up to the owner.

        ``(breached,)`` when the breached party owns the data; ``(sub-processor, processor,
        controller)`` for a three-tier chain. Duties to "the owner" travel up this chain,
        one tier at a time.
        """
        by_id = {p.id: p for p in self.parties}
        out = [self.breached]
        seen = {out[0].id}  # by id: comparing whole parties made a long chain quadratic
        while out[-1].data_role == "service_provider" and out[-1].serves in by_id:
            nxt = by_id[str(out[-1].serves)]
            if nxt.id in seen:
                break
            out.append(nxt)
            seen.add(nxt.id)
        return tuple(out)

    @property
    def owner(self) -> Party:
        """The owner or licensee of the breached data.

        The breached party itself when it owns the data; otherwise the party its service
        chain leads to (a sub-processor serves a processor that serves the owner).
        """
        return self.chain[-1]

    def to_dict(self) -> dict[str, Any]:
        """The incident document of CONTRACT section 1 (the inverse of ``load_incident``)."""
        return bound("incident.to_dict")(self)  # type: ignore[no-any-return]
