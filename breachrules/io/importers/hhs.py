"""Rows of the HHS OCR breach portal listing in, HIPAA incident documents out.

The portal (https://ocrportal.hhs.gov/ocr/breach) lists breaches of unsecured protected
health information affecting 500 or more individuals that covered entities and business
associates reported to the Secretary under 45 CFR 164.408. A row says who reported, its
state, its entity type, how many individuals were affected, when the report was
submitted, the type of breach and where the information was. It is thin, so most facts
come from what a listing *means* rather than from a column, and each is marked so:

- **Breach, unsecured, not low-probability.** Every row is a breach the entity itself
  reported, and the portal only takes breaches of *unsecured* PHI: ``encrypted`` is
  false, ``accessed`` true (an impermissible access, use or disclosure happened or is
  presumed), ``risk.hipaa_low_probability_of_compromise`` and ``good_faith_insider``
  false (the entity did not rely on the 164.402(2) or 164.402(1)(i) exceptions).
  ``acquired`` is true only for theft and stays unknown otherwise.
- **Discovery.** The portal has no discovery date. ``discovered_at`` is the **breach
  submission date** (UTC midnight), the *latest* possible discovery bound: a breach
  cannot be reported before it is discovered. Due dates computed from it are therefore
  the latest they could be; the true ones are earlier, by however long the entity took
  to report. This is recorded in ``extensions.breachrules_import``.
- **Residents.** Everyone affected is put under the row's state, which is where the
  *entity* is, not necessarily where each individual lives (a row with no state, or a
  State that is no state code, puts them under ``US``). Media notice (164.406) turns on
  residents of a State, so for a multi-state breach this may overstate it; the
  assumption is recorded. Under ``US`` no State is known, so the media notice for more
  than 500 is conditional on ``exposures[0].residents.US`` (where they live).
- **Parties.** A health plan, provider or clearinghouse row is a covered entity; a
  business associate row is a business associate serving an unnamed covered entity;
  "Business Associate Present: Yes" on a covered entity's row adds an unnamed business
  associate as the breached party.
- **Elements.** PHI is health information that identifies a person: ``medical``, and
  ``unknown``, because the portal does not list elements: PHI is identifiable by any of
  many identifiers, so the row does not say whether names were included, and most US state
  laws count medical information only with a name (read as "medical alone", every such
  law would say "not a breach").

The listing is a U.S. government work (public domain); the row is kept verbatim under
``extensions.hhs``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from breachrules.io.importers._common import (
    EXTENSION_KEY,
    US_STATES,
    ImportResult,
    Refusal,
    slug,
    validated,
)

__all__ = ["COLUMNS", "import_hhs_row"]

#: The columns of the portal export this importer reads.
COLUMNS = (
    "Name of Covered Entity",
    "State",
    "Covered Entity Type",
    "Individuals Affected",
    "Breach Submission Date",
    "Type of Breach",
    "Location of Breached Information",
    "Business Associate Present",
)
_COVERED = {"Healthcare Provider", "Health Plan", "Healthcare Clearing House"}


def import_hhs_row(row: Mapping[str, str], source: str | None = None) -> ImportResult:
    """Import one row (a ``csv.DictReader`` dict) of the HHS breach portal export."""
    name = source or str(row.get("Name of Covered Entity") or "hhs row")
    try:
        incident, provenance = _convert(row, name)
    except Refusal as exc:
        return ImportResult.refuse(name, exc.code, exc.reason)
    return validated(name, incident, provenance)


def _cell(row: Mapping[str, str], column: str) -> str:
    value = row.get(column)
    return value.strip() if isinstance(value, str) else ""


def _convert(row: Mapping[str, str], source: str) -> tuple[dict[str, Any], dict[str, str]]:
    missing = [c for c in COLUMNS if c not in row]
    if missing:
        raise Refusal("not-hhs", f"not an HHS breach portal row: no column {missing[0]!r}")
    short = [c for c in COLUMNS if row.get(c) is None]
    if short:  # csv.DictReader fills a short row's missing cells with None
        raise Refusal(
            "short-row", f"the row ends before its {short[0]!r} cell ({len(short)} cells missing)"
        )
    prov: dict[str, str] = {}
    notes: dict[str, str] = {}
    entity = _cell(row, "Name of Covered Entity")
    if not entity:
        raise Refusal("no-entity", "the row names no covered entity or business associate")
    count_text = _cell(row, "Individuals Affected").replace(",", "")
    if not count_text.isdigit():
        raise Refusal("no-count", f"Individuals Affected is not a number ({count_text!r})")
    count = int(count_text)
    try:
        submitted = datetime.strptime(_cell(row, "Breach Submission Date"), "%Y-%m-%d")
    except ValueError:
        raise Refusal("no-date", "Breach Submission Date is missing or not YYYY-MM-DD") from None
    discovered = submitted.replace(tzinfo=UTC)
    prov["discovered_at"] = "Breach Submission Date"
    notes["discovered_at"] = (
        "the portal has no discovery date; the submission date (UTC midnight) is the "
        "latest possible discovery bound, so due dates computed from it are the latest "
        "they could be and the true ones are earlier"
    )
    state = _cell(row, "State").upper()
    place = f"US-{state}" if state in US_STATES else "US"
    prov[f"exposures[0].residents.{place}"] = "Individuals Affected, State"
    given = _cell(row, "State")
    if place != "US":
        where = "state"
    elif given:
        where = f"country (the row's State {given!r} is not a US state code)"
    else:
        where = "country (the row gives no state)"
    notes["exposures[0].residents"] = (
        f"all {count} individuals are put under {place}, the reporting entity's {where}"
        "; the portal does not say where the individuals live"
    )

    kind = _cell(row, "Covered Entity Type")
    ba_present = _cell(row, "Business Associate Present").lower() == "yes"
    parties, breached = _parties(entity, kind, ba_present, place, prov, notes)
    breach_type = _cell(row, "Type of Breach")
    location = _cell(row, "Location of Breached Information")
    places = {p.strip() for p in location.split(",") if p.strip()}
    exposure: dict[str, Any] = {
        "description": f"{breach_type or 'Breach'} of unsecured PHI"
        + (f" ({location})" if location else ""),
        "elements": ["medical", "unknown"],
        "residents": {place: count},
        "encrypted": False,
        "key_compromised": None,
        "acquired": True if breach_type == "Theft" else None,
        "accessed": True,
    }
    prov["exposures[0].elements"] = "default"
    notes["exposures[0].elements"] = (
        "PHI is identifiable health information: 'medical'; the portal does not list the "
        "elements, so whether names (or other data a state law counts) were included is not "
        "established: 'unknown'"
    )
    prov["exposures[0].encrypted"] = "default"
    notes["exposures[0].encrypted"] = "the portal lists only breaches of unsecured PHI"
    prov["exposures[0].accessed"] = "default"
    notes["exposures[0].accessed"] = (
        "a listed breach is an impermissible access, use or disclosure (45 CFR 164.402)"
    )
    prov["exposures[0].acquired"] = "Type of Breach"
    if places == {"Paper/Films"}:
        exposure["paper"] = True
        prov["exposures[0].paper"] = "Location of Breached Information"
    elif "Paper/Films" in places:
        exposure["paper"] = None
        prov["exposures[0].paper"] = "Location of Breached Information"
    incident: dict[str, Any] = {
        "schema_version": "1",
        "id": f"HHS-{submitted:%Y%m%d}-{slug(entity, 'entity')}",
        "title": f"{entity}: {breach_type or 'breach'} reported to HHS ({count} individuals)",
        "discovered_at": discovered.isoformat(),
        "parties": parties,
        "breached_party": breached,
        "exposures": [exposure],
        "risk": {"hipaa_low_probability_of_compromise": False},
        "good_faith_insider": False,
        "malicious": _malicious(breach_type),
    }
    prov["id"] = "Breach Submission Date, Name of Covered Entity"
    prov["title"] = "Name of Covered Entity, Type of Breach, Individuals Affected"
    prov["risk.hipaa_low_probability_of_compromise"] = "default"
    notes["risk.hipaa_low_probability_of_compromise"] = (
        "the entity reported the breach, so it did not demonstrate a low probability of "
        "compromise under 45 CFR 164.402(2)"
    )
    prov["good_faith_insider"] = "default"
    notes["good_faith_insider"] = (
        "the entity reported a breach, so the good-faith workforce exception of 45 CFR "
        "164.402(1)(i) did not apply"
    )
    prov["malicious"] = "Type of Breach"
    incident["extensions"] = {
        EXTENSION_KEY: {
            "source": "hhs-breach-portal",
            "row": source,
            "discovered_at_is": "latest possible (breach submission date)",
            "assumptions": notes,
            "provenance": prov,
        },
        "hhs": dict(row),
    }
    return incident, prov


def _parties(
    entity: str,
    kind: str,
    ba_present: bool,
    place: str,
    prov: dict[str, str],
    notes: dict[str, str],
) -> tuple[list[dict[str, Any]], str]:
    named: dict[str, Any] = {"id": slug(entity, "entity"), "name": entity}
    if place != "US":
        named["established_in"] = [place]
        prov["parties[0].established_in"] = "State"
    prov["parties[0].name"] = "Name of Covered Entity"
    if kind == "Business Associate":
        named |= {
            "data_role": "service_provider",
            "serves": "covered-entity",
            "types": ["hipaa_business_associate"],
        }
        owner = {
            "id": "covered-entity",
            "name": "Covered entity (not named in the HHS listing)",
            "data_role": "owner",
            "types": ["hipaa_covered_entity"],
        }
        prov["parties[0].types"] = "Covered Entity Type"
        prov["parties[1]"] = "default"
        notes["parties[1]"] = (
            "a business associate reported; the covered entity it serves is not named"
        )
        return [named, owner], named["id"]
    if kind not in _COVERED:
        raise Refusal("unknown-entity-type", f"Covered Entity Type {kind!r} is not one HIPAA names")
    named |= {"data_role": "owner", "types": ["hipaa_covered_entity"]}
    prov["parties[0].types"] = "Covered Entity Type"
    if not ba_present:
        return [named], named["id"]
    associate = {
        "id": "business-associate",
        "name": "Business associate (not named in the HHS listing)",
        "data_role": "service_provider",
        "serves": named["id"],
        "types": ["hipaa_business_associate"],
    }
    prov["parties[1]"] = "Business Associate Present"
    prov["breached_party"] = "Business Associate Present"
    notes["breached_party"] = (
        "'Business Associate Present: Yes': the breach occurred at or through a business "
        "associate, which the listing does not name"
    )
    return [named, associate], "business-associate"


def _malicious(breach_type: str) -> bool | None:
    if breach_type in ("Hacking/IT Incident", "Theft"):
        return True
    if breach_type in ("Loss", "Improper Disposal"):
        return False
    return None
