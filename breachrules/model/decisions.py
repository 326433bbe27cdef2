"""What an assessment says: CONTRACT.md section 4, field for field.

These frozen attrs classes are what ``Engine.assess`` returns; ``Assessment.to_dict()``
is exactly the assessment document, and the JSON Schema that ``breachrules schema
assessment`` prints is generated from them. Fields marked *extension* are additions to the
contract (allowed: optional fields); nothing the contract names is renamed.

One module, one job: the contract's section 4 read as classes, in its order; split, a
reader would need every part open at once to see one document.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, NoReturn

import attrs

from breachrules.model.bindings import bound

if TYPE_CHECKING:
    from breachrules.model.facts import Incident
    from breachrules.model.records import ComplianceEntry, NoticeRecord
    from breachrules.views.brief import Brief
    from breachrules.views.notices import Notices
    from breachrules.views.plan import Plan

__all__ = [
    "LISTED_EXPOSURES",
    "POLICY_BASIS",
    "Act",
    "Assessment",
    "AuditEvent",
    "Contact",
    "Deadline",
    "DeemedCompliance",
    "Determination",
    "Liability",
    "Obligation",
    "Procedures",
    "ReadOnlyDict",
    "Reason",
    "RulesetRef",
    "SubstituteNotice",
]

#: How ``Obligation.basis`` begins for a duty under a company policy (a ruleset with
#: ``kind: policy``), so that no reader, person or program, takes a policy for a statute.
POLICY_BASIS = "policy: "

DeterminationStatus = Literal["breach", "not_breach", "undetermined", "not_applicable"]
ObligationStatus = Literal["required", "conditional", "not_required"]
ObligationKind = Literal["notice", "record", "assessment"]

#: A reason lists the facts of at most this many exposures itself; about more, it names the
#: exposure fields its rule read (``Reason.exposure_facts``) and the audit records their
#: values once, so that an assessment grows with the exposures plus the decisions, not
#: with their product.
LISTED_EXPOSURES = 10


class ReadOnlyDict(dict[str, Any]):
    """A dict that refuses every change: the facts of a result the engine makes once and
    shares between assessments (a law's ``not_applicable`` determination, decided once
    per engine), which one caller must not be able to change under the next. Read it as
    any dict; ``dict(facts)`` is a copy of one's own to change. Pickled and copied as
    itself (``assess_many`` sends results between processes)."""

    __slots__ = ()

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError(
            "these facts are shared between assessments and read-only: change a copy "
            "(dict(reason.facts))"
        )

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse
    __ior__ = _refuse

    def __reduce__(self) -> tuple[type[ReadOnlyDict], tuple[dict[str, Any]]]:
        return (type(self), (dict(self),))

    def __copy__(self) -> ReadOnlyDict:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> ReadOnlyDict:
        return self


@attrs.frozen
class Reason:
    """One step of the reasoning: which rule, what it found, and the statute it encodes.

    Fields (``help()`` shows them here; the ``#:`` comments below say the same):

    - ``rule``: the id of the ruleset's rule that made this step
      (``US-CA:breach-definition``).
    - ``text``: what it found, in words a lawyer can check against the statute.
    - ``citation``: the provision the rule encodes (``Cal. Civ. Code § 1798.82(a)``).
    - ``facts``: the incident facts the rule read, by field path, with the values seen.
    - ``exposure_facts``: for a reason about more than ``LISTED_EXPOSURES`` exposures,
      the exposure fields read; their values are in the audit's ``facts`` event.
    """

    rule: str
    text: str
    citation: str
    #: extension: the facts the rule read, by field path, with the values it saw
    #: (residents: only the places in the law's reach). Lets a reader check each step.
    facts: dict[str, Any] = attrs.Factory(dict)
    #: extension: for a reason about more exposures than it lists itself (more than
    #: ``LISTED_EXPOSURES``), the exposure fields the rule read (``elements``,
    #: ``encrypted``...). Their values are recorded once, in the audit's ``facts`` event,
    #: instead of in every reason; ``facts`` then holds only the incident-wide facts.
    #: ``breachrules.engine.audit.reason_facts`` gives them back by path. Empty otherwise.
    exposure_facts: tuple[str, ...] = ()


@attrs.frozen
class Determination:
    """Whether, under one jurisdiction's law, the incident is a breach.

    Fields (``help()`` shows them here; docs/contract.md section 4 is the reference):

    - ``jurisdiction``: the ruleset code (``US-CA``, ``EU-GDPR``, ``US-HIPAA``).
    - ``status``: ``breach``; ``not_breach``; ``undetermined`` (an unknown fact decides
      it: ``missing_facts`` names it); ``not_applicable`` (the law does not reach the
      incident: no affected residents, not a party it binds, outside its period).
    - ``reasons``: the steps that led there (:class:`Reason`), each cited.
    - ``missing_facts``: the incident field paths (``exposures[0].encrypted``) whose
      answer would decide an ``undetermined`` status; empty otherwise.
    - ``presumed_unless``: for a breach the law presumes (HIPAA, 45 CFR 164.402(2)), the
      facts that once shown would rebut it; empty when nothing is presumed.
    """

    jurisdiction: str
    status: DeterminationStatus
    reasons: tuple[Reason, ...] = ()
    missing_facts: tuple[str, ...] = ()
    #: extension: for a breach the law presumes (e.g. HIPAA, 45 CFR 164.402(2)): the facts
    #: that, once shown, would rebut the presumption. Empty when nothing is presumed.
    presumed_unless: tuple[str, ...] = ()


@attrs.frozen
class Deadline:
    """How a notice's due date is reckoned (``from_`` is written ``from`` in JSON).

    The date itself is :attr:`Obligation.due`; this is the rule that gives it.
    docs/deadlines.md explains each way of counting. Fields (``help()`` shows them here):

    - ``text``: the period in the law's words ("within 30 calendar days").
    - ``from_``: the moment the period runs from: ``discovery``, ``breach_determination``,
      ``sent:<obligation>`` (another notice as sent), ``fact:<name>``, ...
    - ``days``, ``hours``, ``months``: the period's length (None where the law sets none:
      "without unreasonable delay"); ``business_days``: days count business days only,
      on the holiday ``calendar`` (``"US"``).
    - ``cap``: a second clock that caps this one ("but no later than"); the due date is
      the earlier of the two.
    - ``counting``: how the law counts (``first_day``, ``ends``, ``citation``), when declared.
    - ``not_before``: a waiting period before which the notice may not be given.
    - ``time_zone``: the IANA zone where the law's days end, when the ruleset names one.
    - ``or_when``: "or when that notice is sent, whichever is sooner" (``sent:<id>``).
    """

    text: str
    from_: str
    days: int | None = None
    hours: int | None = None
    business_days: bool = False
    #: extension: the holiday calendar used for business days, e.g. ``"US"``.
    calendar: str | None = None
    #: extension: a second clock that caps this one ("but no later than"): its ``from``,
    #: ``days`` or ``hours``; the due date is the earlier of the two.
    cap: dict[str, Any] | None = None
    #: extension: a period in calendar months (NIS2's and DORA's "one month"); written
    #: only when the law sets one.
    months: int | None = None
    #: extension: how the law counts days and months, when the ruleset declares it:
    #: ``first_day`` (``excluded`` or ``included``), ``ends`` (``end_of_day`` or
    #: ``same_time``) and its ``citation``; written only when declared.
    counting: dict[str, Any] | None = None
    #: extension: a waiting period ("shall not notify ... until 7 full business days have
    #: passed after notification to the USSS and the FBI"): its ``from``, period, ``text``
    #: and ``citation``; written only when the law sets one. The moment it ends is the
    #: obligation's ``not_before``.
    not_before: dict[str, Any] | None = None
    #: extension: the IANA time zone where the law's days are counted and end (the
    #: ruleset's ``time_zone``), for a period in days or months; written only when the
    #: ruleset names one. The ``due`` is still given in the incident's UTC offset.
    time_zone: str | None = None
    #: extension: "or when ... whichever is sooner", where the other moment is a notice
    #: as sent: ``sent:<obligation>`` (9 V.S.A. § 2435(b)(3)(B)(i): 14 business days from
    #: discovery "or when the data collector provides notice to consumers"). Once that
    #: notice is in ``notices_sent``, ``due`` is the sooner of the two; before, the period
    #: stands. Written only where the law sets one.
    or_when: str | None = None


@attrs.frozen
class SubstituteNotice:
    """extension: when notice to individuals may be given by substitute means.

    ``persons_threshold_met`` compares the people in reach with ``persons_exceed``; the
    cost threshold and "insufficient contact information" are for the notifying party to
    judge, so they are reported, not decided.
    """

    text: str
    citation: str
    cost_exceeds: int | None = None
    persons_exceed: int | None = None
    persons_threshold_met: bool | None = None


@attrs.frozen
class Contact:
    """How to reach a regulator, attorney general or agency (the regulator directory).

    Every value was read on the page ``source`` names; ``verified`` is false where it was
    only found in a secondary source or could not be confirmed, and ``note`` says what would
    settle it. Null fields were not published or not found: check before relying on them.
    """

    id: str
    name: str
    source: str
    verified: bool
    last_reviewed: str
    portal: str | None = None
    email: str | None = None
    postal_address: str | None = None
    phone: str | None = None
    form_fields: tuple[str, ...] = ()
    #: Whom it supervises, where a law names several bodies (e.g. "private sector").
    scope: str | None = None
    note: str | None = None


@attrs.frozen
class Act:
    """extension: the act a duty is owed under, where its ruleset encodes it beside the
    law the ruleset is named for (a Washington agency's notice under RCW 42.56.590 in the
    ruleset of RCW 19.255, for persons and businesses): its name and citation, as the
    ruleset's ``law:`` gives them."""

    name: str
    citation: str


#: Whose breach procedures a deemed-compliance exception lets the notice go under.
Procedures = Literal["regulator", "own"]


@attrs.frozen
class DeemedCompliance:
    """extension: the exception that excuses a notice only because the party gives it
    under breach procedures (its regulator's, or its own policy's) and follows them: the
    law's own notice is replaced by the notice under those procedures, not dropped (Neb.
    Rev. Stat. § 87-808: "notifies affected Nebraska residents ... in accordance with the
    maintained procedures"). Its rule id, citation, and which procedures."""

    exception: str
    citation: str
    procedures: Procedures


@attrs.frozen
class Obligation:
    """A duty of one party to notify one recipient, with its status and due date.

    Fields (``help()`` shows them here; docs/contract.md section 4 is the reference):

    - ``id``: ``<code>:<duty>`` (``US-CA:notify-individuals``); ``@<party>`` is added to
      a duty relayed up a chain of providers. The id ``explain`` and ``audit record`` take.
    - ``jurisdiction``: the ruleset code; ``party``: the id of the party that owes it.
    - ``recipient``: a vocabulary word (``individuals``, ``attorney_general``,
      ``regulator``, ``media``, ...); ``recipient_name``: the body's name in the law.
    - ``status``: ``required`` (owed now); ``conditional`` (owed if the unknown facts in
      ``missing_facts`` turn out so); ``not_required`` (not owed, ``reasons`` say why).
    - ``deadline``: how the due date is reckoned (:class:`Deadline`).
    - ``basis``: the provision that imposes the duty (``Cal. Civ. Code § 1798.82(a)``;
      ``policy: ...`` for a company policy).
    - ``due``: when it is due, timezone-aware, in the incident's offset; None for no fixed
      period ("as soon as possible", "without unreasonable delay").
    - ``content_requirements``: what the notice must say, as the law lists it.
    - ``missing_facts``: the incident field paths a ``conditional`` status (or an
      estimated due date) waits on.
    - ``reasons``: why the status and due date are what they are (rules met, exceptions,
      law-enforcement delays), each a cited :class:`Reason`.
    - ``overdue``: ``as_of`` is past ``due`` (None without a fixed due date).
    - ``substitute_notice``: the law's substitute-notice option, for individuals.
    - ``recipient_party``: the party notified, when it is a party of the incident;
      ``performed_by``: the party a contract makes perform the notice.
    - ``recipient_contacts``: how to reach the recipient (the regulator directory).
    - ``kind``: ``notice`` (sent), ``record`` (kept) or ``assessment`` (completed).
    - ``not_before``: the earliest moment the law lets the notice be given, if it sets one.
    - ``sent_at``: when it was sent, as the incident's ``notices_sent`` records it.
    - ``law``: the act the duty is owed under, when not the ruleset's own law.
    - ``deemed_compliance``: for a notice excused because it goes out under the party's
      breach procedures, which exception and which procedures.

    :attr:`addressee` is the one name every view gives the recipient.
    """

    id: str
    jurisdiction: str
    party: str
    recipient: str
    status: ObligationStatus
    deadline: Deadline
    basis: str
    recipient_name: str | None = None
    due: datetime | None = None
    content_requirements: tuple[str, ...] = ()
    missing_facts: tuple[str, ...] = ()
    #: extension: why the status is what it is (rules met, exceptions, delays).
    reasons: tuple[Reason, ...] = ()
    #: extension: ``as_of`` is past ``due``; None when there is no fixed due date.
    overdue: bool | None = None
    #: extension: the law's substitute-notice option, for notice to individuals.
    substitute_notice: SubstituteNotice | None = None
    #: extension: the party notified, when the recipient is another party of the incident
    #: (a service provider's owner, a processor's controller, a business associate's
    #: covered entity).
    recipient_party: str | None = None
    #: extension: the party a contract makes perform this notice, when not ``party``
    #: (the statutory duty stays with ``party``).
    performed_by: str | None = None
    #: extension: how to reach the recipient, from the regulator directory: the competent
    #: body where the law routes by establishment or residence (the GDPR's lead authority),
    #: else every body that receives this notice (several when the law names a class).
    recipient_contacts: tuple[Contact, ...] = ()
    #: extension: ``notice`` (sent to the recipient), ``record`` (a breach record or
    #: register the party keeps; the recipient may ask to see it) or ``assessment`` (one
    #: the party completes itself). Only a notice is something to send.
    kind: ObligationKind = "notice"
    #: extension: the earliest moment the law lets this notice be given, where it sets a
    #: waiting period (``deadline.not_before``); None when it sets none, or when the
    #: moment the period runs from is not known yet (``missing_facts`` names it).
    not_before: datetime | None = None
    #: extension: when the notice was sent, as the incident records it (``notices_sent``);
    #: written only when recorded. The views no longer offer a sent notice as one to send.
    sent_at: datetime | None = None
    #: extension: the act this duty is owed under, where the ruleset names one other than
    #: the law it is named for (``rulesets[].citation``); written only then. ``explain``
    #: gives it as the law applied to the duty.
    law: Act | None = None
    #: extension: for a notice excused (``not_required``) by a deemed-compliance
    #: exception that reads the party's procedure facts: the notice still goes out, under
    #: those procedures. Written only then.
    deemed_compliance: DeemedCompliance | None = None

    def held(self, at: datetime) -> bool:
        """Whether the law's waiting period still bars this notice at ``at``: the law sets
        one (``deadline.not_before``) and its end is unknown or later than ``at``."""
        if self.deadline.not_before is None or self.status == "not_required":
            return False
        return self.not_before is None or at < self.not_before

    @property
    def addressee(self) -> str:
        """Whom the duty is owed to, as a reader names it, the one name every view gives
        it: the receiving party of the incident (a provider's notice up the chain), else
        the body the regulator directory resolves it to where it resolves it to one (the
        Autoriteit Persoonsgegevens, not "Competent (lead) supervisory authority"; one name
        for DORA's three reports, whose rulesets word the authority three ways), else the
        recipient's name, else the vocabulary word in words ("consumer reporting
        agencies")."""
        if self.recipient_party:
            return self.recipient_party
        if len(self.recipient_contacts) == 1:
            return self.recipient_contacts[0].name
        return self.recipient_name or self.recipient.replace("_", " ")

    @property
    def duty(self) -> str:
        """What the party does, in words that never make a record or an assessment a
        notice: "notify <recipient>", "keep a record (not a notice; <recipient>)" or
        "complete an assessment (not a notice)"."""
        whom = self.addressee
        if self.kind == "record":
            return f"keep a record (not a notice; {whom})"
        if self.kind == "assessment":
            return "complete an assessment (not a notice)"
        return f"notify {whom}"

    @property
    def waits_for(self) -> str | None:
        """The notice whose sending starts this notice's waiting period, as its
        ``notices_sent`` key (``US-NJ:notify-regulator``), where the law sets one that runs
        from another notice as sent."""
        wait = self.deadline.not_before
        name = str(wait.get("from", "")) if wait else ""
        if not name.startswith("sent:"):
            return None
        name = name.removeprefix("sent:")
        return name if ":" in name else f"{self.jurisdiction}:{name}"

    @property
    def follows(self) -> str | None:
        """The notice this one's clock runs from as sent (``from: sent:<id>``, a copy to an
        attorney general "within five business days of notifying the Secretary"), as its
        ``notices_sent`` key, while its sending is not recorded (``missing_facts`` names
        it): the due date shown meanwhile is only the earliest lawful one, so the notice
        is never overdue on it."""
        name = self.deadline.from_
        if not name.startswith("sent:"):
            return None
        name = name.removeprefix("sent:")
        key = name if ":" in name else f"{self.jurisdiction}:{name}"
        return key if f"notices_sent.{key}" in self.missing_facts else None

    def due_after(self, key: str) -> str:
        """When this notice falls due after ``key`` is sent, in words: "5 business days
        after US-HIPAA:notify-secretary is sent"."""
        d = self.deadline
        if d.hours is not None:
            period = f"{d.hours} hours "
        elif d.months is not None:
            period = f"{d.months} months "
        elif d.days is not None:
            period = f"{d.days} {'business days' if d.business_days else 'days'} "
        else:
            return f"when {key} is sent"
        return f"{period}after {key} is sent"


@attrs.frozen
class Liability:
    """Who, among the parties, notifies individuals and bears the costs, and why."""

    party: str
    role: str
    bears_costs: bool
    notifies_individuals: bool
    basis: str
    #: extension: whom this party must notify (recipients and party ids), from the
    #: obligations that are required or conditional for it.
    notifies: tuple[str, ...] = ()
    #: extension: the contract's indemnity and liability cap, where one applies.
    indemnity: bool | None = None
    liability_cap: float | None = None


@attrs.frozen
class AuditEvent:
    """One link of the assessment's SHA-256 hash chain (see ``breachrules.engine.audit``)."""

    seq: int
    event: str
    at: str
    rule: str | None
    jurisdiction: str | None
    detail: dict[str, Any]
    prev_hash: str
    hash: str


@attrs.frozen
class RulesetRef:
    """A ruleset the assessment evaluated, and which version of the law was applied."""

    code: str
    version: str
    citation: str
    #: extension: the ruleset's name and when counsel last reviewed it.
    name: str | None = None
    last_reviewed: str | None = None
    #: extension: ``policy`` for a company policy (``kind: policy``); written only then, so
    #: an entry without it is a law.
    kind: str | None = None
    #: extension: SHA-256 of the ruleset file applied (CRLF read as LF): the exact version
    #: of the text, so an old decision can be reproduced and a law change traced to it.
    sha256: str | None = None


@attrs.frozen
class Assessment:
    """The result of assessing one incident (CONTRACT section 4).

    Fields (``help()`` shows them here; docs/contract.md section 4 is the reference):

    - ``incident_id``: the incident's ``id``.
    - ``as_of``: the moment of evaluation (timezone-aware); ``overdue`` and the clocks
      are counted at it.
    - ``rulesets``: the laws evaluated, each with the version applied (:class:`RulesetRef`).
    - ``determinations``: per law, whether the incident is a breach (:class:`Determination`).
    - ``obligations``: every duty to notify, with its status and due date
      (:class:`Obligation`).
    - ``liability``: per party, who notifies individuals and bears the costs.
    - ``audit``: the hash-chained record of every rule that fired (:class:`AuditEvent`).
    - ``schema_version``: ``"1"``.
    - ``warnings``: what the host should know (unknown party types, people no law
      counts, ...).

    ``determination(code)`` and ``obligation(id)`` look one up; ``plan()``,
    ``explain()``, ``notices()``, ``brief()`` and ``to_dict()`` are its views.
    """

    incident_id: str
    as_of: datetime
    rulesets: tuple[RulesetRef, ...]
    determinations: tuple[Determination, ...]
    obligations: tuple[Obligation, ...]
    liability: tuple[Liability, ...]
    audit: tuple[AuditEvent, ...]
    schema_version: Literal["1"] = "1"
    #: extension: things the host should know (unknown party types, ignored codes, ...).
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Exactly the assessment document of CONTRACT section 4."""
        return bound("assessment.to_dict")(self)  # type: ignore[no-any-return]

    def to_json(self) -> str:
        """Deterministic JSON (sorted keys): byte-identical for the same inputs."""
        return bound("to_json")(self.to_dict())  # type: ignore[no-any-return]

    def determination(self, jurisdiction: str) -> Determination:
        """The determination for ``jurisdiction``; KeyError if it was not evaluated."""
        for d in self.determinations:
            if d.jurisdiction == jurisdiction:
                return d
        raise KeyError(jurisdiction)

    def obligation(self, obligation_id: str) -> Obligation:
        """The obligation with this id (e.g. ``"US-CA:notify-individuals"``)."""
        for o in self.obligations:
            if o.id == obligation_id:
                return o
        raise KeyError(obligation_id)

    def _repr_html_(self) -> str:
        """Determinations and obligations as HTML for Jupyter (see the notebook view)."""
        return bound("assessment._repr_html_")(self)  # type: ignore[no-any-return]

    def plan(self) -> Plan:
        """Every action ordered by due time, one letter serving many jurisdictions.

        See :mod:`breachrules.views.plan`.
        """
        return bound("assessment.plan")(self)  # type: ignore[no-any-return]

    def notices(self, incident: Incident | None = None) -> Notices:
        """Notice drafts for counsel: one letter per population and language, one notice
        per regulator, each item cited; ``incident`` fills in its facts.

        See :mod:`breachrules.views.notices`.
        """
        return bound("assessment.notices")(self, incident)  # type: ignore[no-any-return]

    def brief(self, incident: Incident | None = None) -> Brief:
        """The brief for support and account staff: what is known, who gets a letter and
        when, what may be said now and what not yet.

        See :mod:`breachrules.views.brief`.
        """
        return bound("assessment.brief")(self, incident)  # type: ignore[no-any-return]

    def explain(self, subject: str) -> str:
        """Plain text a lawyer can check line by line: an obligation id or a code.

        See :func:`breachrules.views.explain.explain`.
        """
        return bound("assessment.explain")(self, subject)  # type: ignore[no-any-return]

    def compliance(
        self, records: Iterable[NoticeRecord], as_of: datetime | None = None
    ) -> tuple[ComplianceEntry, ...]:
        """Each obligation against the notices actually sent: on time, late, owed, ...

        See :func:`breachrules.audit.compliance.compliance`.
        """
        return bound("assessment.compliance")(self, records, as_of)  # type: ignore[no-any-return]
