"""What comes first: the one ordering that ``plan``, ``assess`` and ``questions`` share.

Three commands open with what to do first and what to ask first; each reads it here, so
they never disagree.

**What to do first** (:func:`first_to_do`): of the notices still owed (not
``not_required``, not recorded as sent in ``notices_sent``; a record or an assessment of
one's own is not sent), those a law's waiting period does not hold back (all of them when
every one is held), and of those, not one whose period runs from another notice still to
send (``from: sent:<id>`` or ``notice_to_individuals``, :func:`follows`: California's
sample copy to the Attorney General, within 15 days of the consumers' notice, follows that
notice even while its earliest lawful date, counted from discovery, is the sooner). Then,
in this order:

1. a required notice before a conditional one (a conditional notice is not one to send
   yet: the facts it waits on come first);
2. the earliest due (:func:`effective_due`: a notice another one waits for takes that
   one's due time when it is sooner; where both have no fixed period it is due now);
3. a notice with a fixed date before one with none ("without unreasonable delay");
4. the tie-break: the obligation id in alphabetical order (jurisdiction code, then the
   duty's name), so ``US-NY:notify-individuals`` comes before
   ``US-TX:notify-attorney-general`` when both are due at the same moment.

Lists (the plan's actions, the readiness lists of ``questions``) are in
:func:`due_order`: due time, no fixed period last, required before conditional, then the
same tie-break.

**What to ask first** (:func:`ranked_facts`): the unknown fact that decides whether an
obligation still owed falls due soonest (a 72-hour clock before a 15-day one), then the
one deciding the most obligations still owed, then the one deciding the most results in
all (determinations too), then the field path in alphabetical order. A fact that only
dates a notice (:func:`dates_only`: the moment its period runs from, such as
``breach_determined_at``, while the earliest lawful date is shown) decides whether none is
owed: it comes after every fact that does. A notice of one's own to be sent
(``notices_sent.<id>``) is recorded when sent, never asked about. ``plan``'s "Establish
first" names the facts its first notice waits on in this order, so its first fact is
the one ``questions`` asks first. ``questions`` alone assesses each answer, so it alone
can tell a yes/no fact no answer to which changes anything now (it decides only together
with other unknown facts); it lists that fact apart and asks the others in this order.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

import attrs

from breachrules.law import methods
from breachrules.model.paths import is_sending

if TYPE_CHECKING:
    from breachrules.model.decisions import Assessment, Obligation

__all__ = [
    "Unknown",
    "dates_only",
    "decided_by",
    "deciding",
    "due_order",
    "effective_due",
    "first_to_do",
    "follows",
    "owed",
    "ranked_facts",
]

_LAST = float("inf")


def owed(obligations: Iterable[Obligation]) -> list[Obligation]:
    """The obligations still owed: not ``not_required`` and not recorded as sent."""
    return [o for o in obligations if o.status != "not_required" and o.sent_at is None]


def due_order(o: Obligation) -> tuple[bool, float, bool, str]:
    """The sort key of a list of obligations: due time (no fixed period last), required
    before conditional, then the obligation id."""
    return (o.due is None, o.due.timestamp() if o.due else 0.0, o.status != "required", o.id)


def effective_due(obligations: Iterable[Obligation], as_of: datetime) -> dict[str, datetime | None]:
    """Each obligation's due time for ordering, by id: its own, or the sooner due time of a
    notice that waits for it to be sent (a law's waiting period, ``waits_for``); where
    both have no fixed period, ``as_of`` (the one waited for is due now: New Jersey's
    State Police report before its letters)."""
    items = list(obligations)
    unblocks: dict[str, datetime] = {}
    now: set[str] = set()
    for o in items:
        key = o.waits_for
        if key is None or o.not_before is not None:  # no wait, or the notice is sent
            continue
        if o.due is None:
            now.add(key)
        else:
            unblocks[key] = min(unblocks.get(key, o.due), o.due)
    out: dict[str, datetime | None] = {}
    for o in items:
        dates = [d for d in (o.due, unblocks.get(o.id)) if d is not None]
        if o.due is None and o.id in now:
            dates.append(as_of)
        out[o.id] = min(dates, default=None)
    return out


def first_to_do(
    obligations: Iterable[Obligation], as_of: datetime
) -> tuple[Obligation, datetime | None] | None:
    """The notice to do first (see the module's docstring) and its due time for ordering,
    or None when no notice is owed."""
    notices = [o for o in owed(obligations) if o.kind == "notice"]
    if not notices:
        return None
    due = effective_due(notices, as_of)
    free = [o for o in notices if not o.held(as_of)] or notices
    # A notice whose period runs from another not yet sent follows it, never goes first
    # (its earliest lawful date, counted from discovery meanwhile, can be the sooner).
    ids = {o.id for o in notices}
    free = [o for o in free if follows(o, notices) not in ids] or free

    def key(o: Obligation) -> tuple[bool, bool, float, str]:
        moment = due[o.id]
        return (o.status != "required", moment is None, moment.timestamp() if moment else 0.0, o.id)

    first = min(free, key=key)
    return first, due[first.id]


def follows(o: Obligation, obligations: Iterable[Obligation]) -> str | None:
    """The id of the notice still owed whose sending starts ``o``'s period (``from:
    sent:<id>``, or ``from: notice_to_individuals``: its law's notice to individuals)."""
    start = o.deadline.from_
    if start.startswith("sent:"):
        name = start.removeprefix("sent:")
        return name if ":" in name else f"{o.jurisdiction}:{name}"
    if start == "notice_to_individuals":
        return next(
            (
                x.id
                for x in owed(obligations)
                if x.jurisdiction == o.jurisdiction and x.recipient == "individuals" and x is not o
            ),
            None,
        )
    return None


def dates_only(o: Obligation) -> tuple[str, ...]:
    """The unknown facts that only date ``o``, not decide whether it is owed: a moment
    (a field ending ``_at`` or ``_until``) that no rule of its status read, named because
    its period runs from it (the earliest lawful date is shown meanwhile)."""
    read = {f for r in o.reasons for f in r.facts}
    return tuple(f for f in o.missing_facts if f.endswith(("_at", "_until")) and f not in read)


def deciding(o: Obligation) -> tuple[str, ...]:
    """The unknown facts that decide whether ``o`` is owed: its missing facts but those
    that only date it and the notices of one's own still to send."""
    dated = set(dates_only(o))
    return tuple(f for f in o.missing_facts if f not in dated and not is_sending(f))


def decided_by(assessment: Assessment) -> dict[str, tuple[str, ...]]:
    """Each unknown fact and what waits on it: jurisdiction codes and the ids of the
    obligations still owed (a notice recorded as sent is done)."""
    out: dict[str, list[str]] = {}
    for d in assessment.determinations:
        for fact in d.missing_facts:
            out.setdefault(fact, []).append(d.jurisdiction)
    for o in owed(assessment.obligations):
        for fact in o.missing_facts:
            out.setdefault(fact, []).append(o.id)
    return {fact: tuple(dict.fromkeys(subjects)) for fact, subjects in out.items()}


# The class below gets the methods attrs writes for it compiled with the package.
methods.begin()


@attrs.frozen
class Unknown:
    """An unknown fact to ask about: what waits on it and the earliest of their due times."""

    fact: str
    #: Obligation ids and jurisdiction codes whose result waits on this fact.
    decides: tuple[str, ...]
    earliest_due: datetime | None
    #: It decides whether no obligation is owed: it only dates those in ``decides``.
    only_dates: bool = False

    @property
    def obligations(self) -> int:
        """How many obligations it decides (ids hold a colon, jurisdiction codes none)."""
        return sum(1 for s in self.decides if ":" in s)


methods.end()


def ranked_facts(assessment: Assessment) -> list[Unknown]:
    """The unknown facts of ``assessment``, the one to ask first first (see the module's
    docstring)."""
    dues: dict[str, datetime] = {}
    whether: dict[str, list[Obligation]] = {}  # the obligations a fact decides whether
    for o in owed(assessment.obligations):
        for fact in o.missing_facts:
            if o.due is not None:
                dues[fact] = min(dues.get(fact, o.due), o.due)
        for fact in deciding(o):
            whether.setdefault(fact, []).append(o)
    dated = {f for o in owed(assessment.obligations) for f in dates_only(o)}
    facts = [
        Unknown(fact, subjects, dues.get(fact), fact in dated and fact not in whether)
        for fact, subjects in decided_by(assessment).items()
        if not is_sending(fact)
    ]

    def rank(q: Unknown) -> tuple[float, int, float, int, str]:
        decided = whether.get(q.fact, [])
        soonest = min((o.due.timestamp() for o in decided if o.due), default=_LAST)
        dated = q.earliest_due.timestamp() if q.earliest_due else _LAST
        return (soonest, -len(decided), dated, -len(q.decides), q.fact)

    return sorted(facts, key=rank)
