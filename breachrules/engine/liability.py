"""The contracts-and-liability stage: what the parties' contracts add on top of the law,
and who notifies whom and who pays.

By statute the owner or licensee notifies individuals and pays. A contract between a party
and the provider that serves it may shift either duty, add an indemnity and a cap, and set
its own deadline for the provider's notice to the party it serves, shown beside the
statutory one (a plan takes the stricter of the two). That window runs from when the
provider became aware: its discovery when it is the breached party, else when the tier
below told it (``parties[].told_at``); while that is unknown, from the discovery, the
earliest lawful date, and a reason names the missing fact.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from itertools import pairwise

from breachrules.law.calendars import calendar_label, due_at
from breachrules.law.ruleset import Deadline as DeadlineRule
from breachrules.model.decisions import (
    POLICY_BASIS,
    Deadline,
    Determination,
    Liability,
    Obligation,
    Reason,
)
from breachrules.model.facts import Contract, Incident, Party
from breachrules.model.timestamps import format_timestamp

__all__ = [
    "awareness_warnings",
    "contract_obligations",
    "individual_notice_performer",
    "liability",
    "other_owners",
]


def liability(
    incident: Incident,
    obligations: Sequence[Obligation],
    chain: tuple[Party, ...] | None = None,
) -> list[Liability]:
    """Who notifies whom and who pays, from the parties, their contracts and the duties.

    By statute the owner or licensee notifies individuals and pays. A contract between a
    party and the provider that serves it may shift either duty (``individual_notice_by``,
    ``costs_borne_by``) and add an indemnity and a cap. ``notifies`` lists every recipient
    a party owes a notice to, statutory or contractual, required or conditional.
    ``chain`` is ``incident.chain`` where the caller has it (an assessment derives it once).
    """
    if chain is None:
        chain = incident.chain
    owner = chain[-1]  # the chain runs from the breached party up to the owner
    in_chain = {p.id for p in chain}
    default = _default_basis(obligations)
    out: list[Liability] = []
    # Each party's owed notices, gathered in one pass (a party per obligation scan made a
    # chain of many providers quadratic).
    owed: dict[str, list[Obligation]] = {}
    for o in obligations:
        if o.status != "not_required" and o.kind == "notice":  # a record notifies no one
            owed.setdefault(o.party, []).append(o)
            if o.performed_by is not None and o.performed_by != o.party:
                owed.setdefault(o.performed_by, []).append(o)
    for party in incident.parties:
        side = "owner" if party.id == owner.id else "provider"
        mine = owed.get(party.id, [])
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
                    basis=default,
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


def _default_basis(obligations: Sequence[Obligation]) -> str:
    """Why the owner notifies and pays when no contract says otherwise.

    Statute, when a law's duty is live; when every live duty is a company policy's, no
    statute is in play and the table must not call the basis "statute".
    """
    live = [o for o in obligations if o.status != "not_required" and o.jurisdiction != "contract"]
    if live and all(o.basis.startswith(POLICY_BASIS) for o in live):
        return (
            "default (no statute applies, the duties are policy): the owner or licensee of "
            "the data notifies and bears the cost"
        )
    # The words of the laws in play: "owner or licensee" is the US statutes'; the GDPR
    # and the laws in its words speak of the controller and its processor.
    laws = live or [o for o in obligations if o.jurisdiction != "contract"]
    us = [o.jurisdiction.startswith("US") for o in laws]
    if all(us):  # no law at all: the US words, as before
        return "statute: the owner or licensee of the data notifies and bears the cost"
    if any(us):
        return (
            "statute: the data's owner (the controller; the owner or licensee under US law) "
            "notifies and bears the cost; a processor or service provider tells the party it serves"
        )
    return (
        "statute: the controller of the data notifies and bears the cost; a processor tells "
        "the controller"
    )


def individual_notice_performer(
    incident: Incident, chain: tuple[Party, ...] | None = None
) -> str | None:
    """The provider a contract makes send the owner's notices to individuals, if any
    (``chain``: ``incident.chain``, where the caller has it)."""
    parties = incident.chain if chain is None else chain  # the breached party up to the owner
    if not incident.contracts:  # the usual incident: no contract to look through
        return None
    owner, ids = parties[-1], {p.id for p in parties}
    for c in incident.contracts:
        if c.owner == owner.id and c.individual_notice_by == "provider" and c.provider in ids:
            return c.provider
    return None


def contract_obligations(
    incident: Incident,
    determinations: list[Determination],
    as_of: datetime,
    chain: tuple[Party, ...] | None = None,
) -> list[Obligation]:
    """Contractual notice up the chain: each provider to the party it serves.

    Shown beside the statutory duty (which stays as the law says); a plan takes the
    stricter of the two. The clock runs from the provider's own awareness (see
    :func:`_awareness`). ``chain``: ``incident.chain``, where the caller has it.
    """
    if chain is None:
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
    status = "required" if "breach" in statuses else "conditional"
    return [
        _contract_notice(contract, incident, status, waiting, as_of)
        for contract in incident.contracts
        if serves.get(contract.provider) == contract.owner
        and (contract.notify_owner_within_hours, contract.notify_owner_within_days) != (None, None)
    ]


def _contract_notice(
    contract: Contract,
    incident: Incident,
    status: str,
    waiting: tuple[str, ...],
    as_of: datetime,
) -> Obligation:
    """One provider's contractual notice to the party it serves, from its awareness."""
    hours, days = contract.notify_owner_within_hours, contract.notify_owner_within_days
    business = contract.notify_owner_business_days and days is not None
    calendar = _calendar(contract, incident) if business else None
    clock = _contract_clock(days, hours, business)
    start, anchor, unknown = _awareness(contract, incident)
    due = due_at(clock, start, incident.discovered_at.tzinfo, calendar)
    period = (
        f"{hours} hours" if hours is not None else f"{days} {'business ' if business else ''}days"
    )
    since = "discovery" if anchor == "discovery" else f"{contract.provider} being told"
    reasons = [
        Reason(
            f"contract:{contract.id}",
            f"the contract requires notice to {contract.owner} within {period}",
            f"contract {contract.id}",
        )
    ]
    if unknown is not None:
        reasons.append(
            Reason(
                f"contract:{contract.id}",
                f"{unknown} not known: the earliest lawful due date is shown, counted from "
                f"discovery (discovered_at); the window runs from when {contract.provider} "
                "was told",
                f"contract {contract.id}",
            )
        )
        waiting = tuple(dict.fromkeys((*waiting, unknown)))
    return Obligation(
        id=f"contract:{contract.id}:notify-owner",
        jurisdiction="contract",
        party=contract.provider,
        recipient="data_owner",
        recipient_party=contract.owner,
        status=status,  # type: ignore[arg-type]
        due=due,
        deadline=Deadline(
            text=f"within {period} of {since} (contract {contract.id})",
            from_=anchor,
            hours=hours,
            days=days,
            business_days=business,
            calendar=calendar_label(calendar) if calendar else None,
        ),
        basis=f"contract {contract.id}",
        missing_facts=waiting,
        reasons=tuple(reasons),
        overdue=(as_of > due) if due is not None else None,
    )


@lru_cache(maxsize=256)
def _contract_clock(days: int | None, hours: int | None, business: bool) -> DeadlineRule:
    """A contract's notice period as a clock (immutable: made once per period)."""
    return DeadlineRule(text="", days=days, hours=hours, business_days=business)


def _awareness(contract: Contract, incident: Incident) -> tuple[datetime, str, str | None]:
    """When the contract's provider became aware, the anchor's name, and the fact that
    would date it when unknown.

    The breached party knows from its discovery (``discovery``); a provider higher up knows
    when the tier below told it (``provider_awareness``, its ``parties[].told_at``). While
    that is unknown the window runs from the discovery, the earliest moment it can have
    known: the earliest lawful date, as the statutory clocks give.
    """
    if contract.provider == incident.breached.id:
        return incident.discovered_at, "discovery", None
    index, party = next((i, p) for i, p in enumerate(incident.parties) if p.id == contract.provider)
    if party.told_at is None:
        return incident.discovered_at, "provider_awareness", f"parties[{index}].told_at"
    return party.told_at, "provider_awareness", None


def awareness_warnings(incident: Incident) -> list[str]:
    """Awareness times that cannot be right, named by field path; the incident is not
    rejected (a typo in a date should not stop an assessment) but every clock that runs
    from such a time is suspect, and the warning says so.

    A party cannot be told of a breach before it was discovered, and a provider up the
    chain tells the party it serves, so it cannot be told after that party.
    """
    index = {p.id: i for i, p in enumerate(incident.parties)}
    stamp = format_timestamp
    out: list[str] = []
    for i, p in enumerate(incident.parties):
        if p.told_at is not None and p.told_at < incident.discovered_at:
            out.append(
                f"parties[{i}].told_at ({stamp(p.told_at)}) is before discovered_at "
                f"({stamp(incident.discovered_at)}): {p.id} cannot have been told of the "
                "breach before it was discovered; the clocks that run from its awareness "
                "use this time as given: check both"
            )
    chain = incident.chain
    for below, above in pairwise(chain[1:]):
        # ``below`` (a provider told by the tier under it) tells ``above``, whom it serves
        if below.told_at is None or above.told_at is None or below.told_at <= above.told_at:
            continue
        out.append(
            f"parties[{index[below.id]}].told_at ({stamp(below.told_at)}) is after "
            f"parties[{index[above.id]}].told_at ({stamp(above.told_at)}): {below.id} tells "
            f"{above.id}, the party it serves, so it cannot have been told later; the clocks "
            "that run from these times use them as given: check both"
        )
    return out


def other_owners(incident: Incident) -> list[str]:
    """Owners outside the breached data's chain, named: an incident decides the laws for
    one owner's data (the chain from the breached party up to its owner), so another
    owner's data, though its people are counted, is decided as the chain's owner's (a
    user test's US company holding an Irish sister company's customer data saw the GDPR
    "not applicable", the Irish company never considered). Not an error: a party may be
    listed that lost nothing. The warning says how to assess that owner's data."""
    chain = incident.chain
    in_chain = {p.id for p in chain}
    owner, breached = chain[-1], chain[0]
    out: list[str] = []
    for i, p in enumerate(incident.parties):
        if p.data_role != "owner" or p.id in in_chain:
            continue
        held = (
            f"with {breached.id} as its service provider (serves: {p.id}) if {breached.id} "
            "held that data for it"
            if breached.id == owner.id
            else f"with the parties that held it for {p.id} as its service providers"
        )
        out.append(
            f"parties[{i}] ({p.id}) owns data too, but is not in the breached data's chain "
            f"({' -> '.join(q.id for q in chain)}): every law here was decided for "
            f"{owner.id}'s data. If {p.id}'s data was exposed, assess it as an incident of "
            f"its own, {held} (docs/contract.md, one owner's data per incident)"
        )
    return out


def _calendar(contract: Contract, incident: Incident) -> tuple[str, str | None]:
    """The holiday calendar of a contract's business days: its own, else the owner's."""
    code = contract.calendar or next(
        (c for p in incident.parties if p.id == contract.owner for c in p.established_in), "US"
    )
    country, _, sub = code.partition("-")
    return (country, sub or None)
