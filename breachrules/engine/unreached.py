"""Warnings for what no law counts: an incident no loaded law reaches, people under a code
too coarse for the laws that go by subdivision, and laws asked for that do not reach.

An assessment with no determination, or none for some affected people, reads as "nothing
is owed"; each function here says why that may be wrong and what to give instead, so a
reader is never left with a silent empty result.
"""

from __future__ import annotations

from collections.abc import Sequence

from breachrules.engine.audit import counts_everyone
from breachrules.engine.reach import areas_of
from breachrules.law.library import Library, Outline
from breachrules.model.decisions import Assessment
from breachrules.model.facts import Incident

__all__ = ["NOT_ENCODED", "none_asked", "not_encoded", "not_reached", "uncounted", "unreached"]

#: How the reason of a law reported not applicable because no encoded version of it
#: covers the incident's day begins (``engine.evaluate``).
NOT_ENCODED = "no encoded version of "


def none_asked(asked: Sequence[str], assessment: Assessment) -> list[str]:
    """A warning when none of the laws asked for (``jurisdictions=``) applies to the
    incident: "no law reaches it" must never read as true of every law."""
    if any(d.status != "not_applicable" for d in assessment.determinations):
        return []
    return [
        f"jurisdictions: none of the laws asked for ({', '.join(asked) or 'none'}) applies "
        "to this incident (see determinations for each law's reason); assess without "
        "choosing jurisdictions to see every law that does"
    ]


def not_encoded(assessment: Assessment) -> list[str]:
    """A warning for each law reported not applicable only because no encoded version of
    it covers the incident's day (an incident older than the ruleset's first version):
    the law may well have applied then, so "not applicable" must not read as "nothing is
    owed under it"."""
    out = []
    for d in assessment.determinations:
        if d.status != "not_applicable" or not d.reasons:
            continue
        text = d.reasons[0].text
        if text.startswith(NOT_ENCODED):
            out.append(
                f"{d.jurisdiction}: not assessed, because {text}: whether the law then in "
                "force required notice is for counsel to check"
            )
    return out


def unreached(incident: Incident, assessment: Assessment, outlines: Sequence[Outline]) -> list[str]:
    """A warning, saying why, when no loaded law reaches the incident at all.

    An assessment with no determination reads as "nothing is owed"; when the cause is
    that nothing placed the incident under a law (no residence given, places no ruleset
    covers, no establishment, no party type a federal or sector law binds), the reader
    must be told, never left with a silent empty result.
    """
    if any(d.status != "not_applicable" for d in assessment.determinations):
        return []
    places = sorted({c for e in incident.exposures for c, n in e.residents.items() if n > 0})
    covered = {a for o in outlines for a in (*o.reach.residents, *o.reach.established_in)}
    uncovered = [c for c in places if not any(a in covered for a in areas_of(c))]
    why: list[str] = []
    if not places:
        why.append("no exposure says where the affected people live (exposures[].residents)")
    elif uncovered:
        why.append("no loaded ruleset covers " + ", ".join(uncovered))
    else:
        why.append(
            "the laws of " + ", ".join(places) + " were read and none applies "
            "(see determinations for each law's reason)"
        )
    if not any(p.established_in for p in incident.parties):
        why.append("no party gives established_in")
    if not any(p.types for p in incident.parties):
        why.append("no party gives types (a sector or federal law binds by party type)")
    return [
        "no law reaches this incident: "
        + "; ".join(why)
        + "; nothing is owed only if that is right"
    ]


def uncounted(incident: Incident, assessment: Assessment, library: Library) -> list[str]:
    """Warnings for affected people whom no law counts: their code is too coarse, or no
    loaded law covers their place at all.

    People under ``US`` belong to no state, so no state law can count them; when no
    law that applies counts them either, the assessment would read as "nothing is
    owed" for them. Said in a warning, with what to write instead. People in a place no
    loaded ruleset covers (``KP`` beside US residents) are said too, while other laws
    apply (``unreached`` says it when none does), unless a law that applies counts every
    affected person wherever they live (an establishment in its area).
    """
    applied = {d.jurisdiction for d in assessment.determinations if d.status != "not_applicable"}
    areas = {a for code in applied for a in library.outline(code).reach.residents}
    # Only where someone is uncounted: reading the audit and every outline costs an
    # assessment that counts everyone (almost all) a fifth of a millisecond.
    covered: tuple[bool, set[str]] | None = None
    out: list[str] = []
    counted: dict[str, bool] = {}  # per code: a law that applies counts its people
    # Per code no law that applies counts: the finer areas loaded rulesets name. The
    # same for every exposure, so the outlines are scanned once per code.
    finer_of: dict[str, list[str]] = {}
    for i, exposure in enumerate(incident.exposures):
        for code, count in exposure.residents.items():
            if count <= 0:
                continue
            known = counted.get(code)
            if known is None:
                known = counted[code] = not areas_of(code).isdisjoint(areas)
            if known:
                continue
            finer = finer_of.get(code)
            if finer is None:
                finer = finer_of[code] = sorted(
                    {
                        a
                        for o in library.outlines
                        for a in o.reach.residents
                        if a.startswith(f"{code}-")
                    }
                )
            if finer:
                out.append(
                    f"exposures[{i}].residents.{code}: {count} affected people whom no law "
                    f"that applies counts; the laws of {code} go by subdivision "
                    f"({', '.join(finer[:3])}, ...): give theirs"
                )
                continue
            if covered is None:
                everyone = any(counts_everyone(assessment.audit, c) for c in applied)
                covered = (everyone, {a for o in library.outlines for a in o.reach.residents})
            if applied and not covered[0] and areas_of(code).isdisjoint(covered[1]):
                out.append(
                    f"exposures[{i}].residents.{code}: {count} affected people whom no loaded law "
                    f"counts (no loaded ruleset covers {code}): nothing is owed "
                    "to them only if that is right"
                )
    return out


def not_reached(
    incident: Incident, assessment: Assessment, outlines: Sequence[Outline]
) -> list[str]:
    """For each of ``outlines`` (a user's own rulesets) that the assessment made no
    determination for, the code and why the incident does not reach it, from the outline
    alone (nothing is loaded to say it): a law the user wrote and gave must never just be
    missing from the result."""
    decided = {d.jurisdiction for d in assessment.determinations}
    places = sorted({c for e in incident.exposures for c, n in e.residents.items() if n > 0})
    seats = sorted({c for p in incident.parties for c in p.established_in})
    types = sorted({t for p in incident.parties for t in p.types})
    out: list[str] = []
    for o in outlines:
        if o.code in decided:
            continue
        law: list[str] = []
        if o.reach.residents:
            law.append("people living in " + ", ".join(o.reach.residents))
        if o.reach.established_in:
            law.append("parties established in " + ", ".join(o.reach.established_in))
        if o.reach.by_party_type and o.party_types:
            law.append("parties of type " + ", ".join(o.party_types))
        given = [
            "its people live in " + _few(places) if places else "no exposure gives residents",
            "its parties are established in " + _few(seats)
            if seats
            else "no party gives established_in",
        ]
        if o.reach.by_party_type:
            given.append(
                "its parties' types are " + _few(types) if types else "no party gives types"
            )
        out.append(
            f"{o.code}: it reaches {' or '.join(law) or 'no place'}; this incident: "
            + "; ".join(given)
        )
    return out


def _few(codes: Sequence[str], shown: int = 6) -> str:
    """``codes``, the first few of a long list and how many there are."""
    if len(codes) <= shown:
        return ", ".join(codes)
    return ", ".join(codes[:shown]) + f", ... ({len(codes)} in all)"
