"""Who exactly receives a notice, and how to reach them: the regulator directory applied.

Most notices go to one body (a state's Attorney General). Where a law routes by place,
the competent body is picked from the parties' establishments and the residents affected:
the GDPR's lead supervisory authority is that of the controller's main (here: first
listed) establishment in the EU or EEA, down to a German Land where the establishment
names one (``DE-BY``); a controller with no establishment there deals with the authority
of each member state whose residents are affected (GDPR Arts. 55-56). Where a law names a
class of bodies (a bank's primary federal regulator), every body is listed with its scope,
for counsel to pick.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from breachrules.engine.reach import within
from breachrules.engine.results import Case
from breachrules.law.directory import Entry
from breachrules.model.decisions import Contact

__all__ = ["contacts_by_obligation", "recipient_contacts"]


def contacts_by_obligation(entries: Iterable[Entry]) -> dict[str, tuple[Entry, ...]]:
    """The directory indexed by the obligation ids it serves (built once per engine)."""
    out: dict[str, list[Entry]] = {}
    for entry in entries:
        for obligation_id in entry.receives:
            out.setdefault(obligation_id, []).append(entry)
    return {k: tuple(v) for k, v in out.items()}


def recipient_contacts(
    case: Case, entries: Sequence[Entry], party: str | None = None
) -> tuple[Contact, ...]:
    """The contacts of the bodies that receive this notice for ``case``, from ``party``:
    the body competent where the party that owes the notice is established (the owner
    when not given). A Dutch provider owing its own NIS2 stages beside a German owner
    reports to the Dutch CSIRT, not to Germany's BSI, which the owner's establishment
    chose for every notice before."""
    if len(entries) == 1:  # the common case: one body
        return (entries[0].contact,)
    if len(entries) == 0 or (len({e.country for e in entries}) == 1 and not _regional(entries)):
        return tuple(e.contact for e in entries)
    owing = case.owner
    if party is not None and party != owing.id:
        owing = next((p for p in case.incident.parties if p.id == party), owing)
    # The main establishment: the first listed place that has a competent body here.
    chosen = next(
        (found for place in owing.established_in if (found := _by_places(entries, [place]))),
        [],
    )
    if not chosen:
        # Established in a place an area's entry covers (``EU``: a member state whose own
        # body the directory does not list yet): that entry, never another state's body,
        # since the state of establishment is the competent one (NIS2 Art. 26(1)).
        chosen = [e for e in entries if any(within(p, e.country) for p in owing.established_in)]
    if not chosen:
        residents = [
            code for e in case.incident.exposures for code, n in e.residents.items() if n > 0
        ]
        chosen = _by_places(entries, list(dict.fromkeys(residents)))
    return tuple(e.contact for e in (chosen or entries))


def _regional(entries: Sequence[Entry]) -> bool:
    return any(e.region for e in entries)


def _by_places(entries: Sequence[Entry], places: Sequence[str]) -> list[Entry]:
    """The entries competent for ``places``: a region's own body where the place names a
    region that has one, else the country's bodies that cover no single region."""
    out: list[Entry] = []
    for place in places:
        country = place.split("-", 1)[0]
        in_country = [e for e in entries if e.country == country]
        own = [e for e in in_country if e.region == place]
        if own:
            out.extend(own)
        elif any(e.region for e in in_country):
            # A country whose bodies split by region (Germany's Länder, with the federal
            # authority for some sectors), with no region named: every one, for counsel.
            out.extend(in_country)
        else:
            out.extend(e for e in in_country if e.region is None)
    return list(dict.fromkeys(out))
