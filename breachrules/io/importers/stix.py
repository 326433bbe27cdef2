"""STIX 2.1 incidents (Incident Core and Impact extensions) in, contract incidents out.

STIX 2.1's ``incident`` object is a stub; the OASIS Incident Core Extension
(``extension-definition--ef765651-680c-498d-9894-99799f2fa126``, a property extension on
the incident) and the Impact SDO (``extension-definition--7cc33dd6-f6a1-489b-98ea-
522d351d71b9``, with a ``confidentiality`` extension carrying ``information_type``,
``loss_type`` and ``record_count``) give it the facts a breach law needs. A bundle may
hold several incidents; each becomes one result.

What STIX can and cannot say, and what this importer does about it:

- **Exposures.** One per current (not superseded) confidentiality impact referenced by
  the incident's ``impact_refs`` (or, for version 1.0 of the extension, listed inline as
  ``confidentiality_impacts``). ``information_type`` gives the elements (``pii`` is
  ``unknown`` because it does not say which personal data, ``phi`` is ``medical`` and
  ``payment`` is ``financial_account``, each with ``unknown`` because it does not say
  whether names went with them (most US state laws count such data only with a name),
  ``credentials-user`` is ``credentials``);
  ``loss_type`` gives acquisition: ``confirmed-loss`` and ``exploited-loss`` mean
  exfiltrated (``acquired`` and ``accessed`` true), ``contained`` means accessed but kept
  inside (``acquired`` false), ``suspected-loss`` leaves both unknown, ``none`` is no
  exposure. Encryption is not expressible in STIX and stays unknown.
- **Counts.** ``record_count``, else the impact's or the incident's
  ``impacted_entity_counts.individual``; neither: refused.
- **Residence.** STIX has no residence of affected people. The importer uses the location
  of the victim identity (an ``identity`` the incident ``targets`` or ``impacts``, or an
  impact's ``impacted_refs``, that is ``located-at`` a ``location``), says so in the
  provenance and extensions, and refuses when no victim location is given. The
  incident's own ``located-at`` location is where it happened (a coffee shop where a
  laptop was stolen), not whose data it was, and is not used.
- **Discovery.** The earliest ``start_time`` of a ``task`` whose ``task_types`` include
  ``detected`` (Incident Core 2.0), or of a ``discovery``/``detected`` defender activity
  (1.0). With neither, the incident's ``created`` timestamp is the *latest* possible
  bound (nobody records an incident before discovering it), and the result says so.
- **Ransom.** A ``monetary`` impact of variety ``ransom-payment`` gives
  ``ransom_paid_at`` (its ``start_time``).
- **Malicious.** From ``incident_types``: deliberate types (``ransomware``,
  ``data-exfiltration``, ``equipment-theft``, ``exploit``, ...) give true; only
  ``unintentional``, ``equipment-loss``, ``misconfiguration`` or ``natural`` give false.

The incident object and every object it uses are kept under ``extensions.stix``.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from breachrules.io.importers._common import (
    EXTENSION_KEY,
    ImportResult,
    Refusal,
    place_code,
    slug,
    validated,
)
from breachrules.io.serde import parse_timestamp

__all__ = ["IMPACT_EXTENSION", "INCIDENT_CORE", "INFORMATION_TYPES", "import_stix"]

INCIDENT_CORE = "extension-definition--ef765651-680c-498d-9894-99799f2fa126"
IMPACT_EXTENSION = "extension-definition--7cc33dd6-f6a1-489b-98ea-522d351d71b9"

#: information-type-ov words to contract elements; empty means "not personal data".
INFORMATION_TYPES: dict[str, tuple[str, ...]] = {
    "pii": ("unknown",),
    "phi": ("medical", "unknown"),
    "payment": ("financial_account", "unknown"),
    "credentials-user": ("credentials",),
    "credentials-admin": (),
    "communication": (),
    "financial": (),
    "legal": (),
    "proprietary": (),
    "system": (),
    "classified-material": (),
}
_LOSS = {
    "confirmed-loss": (True, True),
    "exploited-loss": (True, True),
    "contained": (False, True),
    "suspected-loss": (None, None),
}
_DELIBERATE = {
    "ransomware",
    "ransomware-payment",
    "data-exfiltration",
    "equipment-theft",
    "exploit",
    "sql-injection",
    "xss",
    "compromised-system",
    "theft-access-credentials",
    "unauthorized-access-information",
    "unauthorized-access-system",
    "unauthorized-release",
    "unauthorized-use",
    "known-malware",
    "infected-by-known-malware",
    "wiretapping",
    "vandalism",
}
_ACCIDENTAL = {"unintentional", "equipment-loss", "misconfiguration", "natural"}


def import_stix(doc: object, source: str | None = None) -> list[ImportResult]:
    """Import every ``incident`` in a STIX 2.1 bundle (or a list of objects).

    A document with no incident gives one refusal, so that a batch run reports it.
    """
    name = source or "stix bundle"
    objects: list[Mapping[str, Any]]
    if isinstance(doc, Mapping) and doc.get("type") == "bundle":
        objects = [o for o in doc.get("objects") or [] if isinstance(o, Mapping)]
    elif isinstance(doc, Mapping) and doc.get("type") == "incident":
        objects = [doc]
    elif isinstance(doc, list):
        objects = [o for o in doc if isinstance(o, Mapping)]
    else:
        return [ImportResult.refuse(name, "not-stix", "not a STIX 2.1 bundle or object list")]
    index = {str(o.get("id")): o for o in objects if o.get("id")}
    incidents = [o for o in objects if o.get("type") == "incident"]
    if not incidents:
        return [ImportResult.refuse(name, "no-incident", "the bundle holds no incident object")]
    results = []
    for obj in incidents:
        label = f"{name}#{obj.get('id')}" if source else str(obj.get("id"))
        try:
            incident, provenance = _convert(obj, objects, index)
        except Refusal as exc:
            results.append(ImportResult.refuse(label, exc.code, exc.reason))
            continue
        results.append(validated(label, incident, provenance))
    return results


def _convert(
    obj: Mapping[str, Any],
    objects: list[Mapping[str, Any]],
    index: Mapping[str, Mapping[str, Any]],
) -> tuple[dict[str, Any], dict[str, str]]:
    core = (obj.get("extensions") or {}).get(INCIDENT_CORE)
    if not isinstance(core, Mapping):
        raise Refusal(
            "no-incident-core",
            f"the incident has no Incident Core extension ({INCIDENT_CORE}); a bare STIX "
            "incident says nothing about the data exposed",
        )
    ident = str(obj.get("id"))
    prov: dict[str, str] = {"id": "id"}
    notes: dict[str, str] = {}
    used: list[Mapping[str, Any]] = []
    rels = [o for o in objects if o.get("type") == "relationship"]

    discovered = _discovered(obj, core, objects, prov, notes, used)
    impacts = [index[r] for r in core.get("impact_refs") or [] if r in index]
    used.extend(impacts)
    current = [i for i in impacts if not i.get("superseded_by_ref")]
    victim, place = _victim(obj, current, rels, index, prov, notes, used)

    confidentiality: list[tuple[str, Mapping[str, Any], Mapping[str, Any]]] = []
    for i, impact in enumerate(current):
        if impact.get("impact_category") == "confidentiality":
            ext = (impact.get("extensions") or {}).get("confidentiality")
            if isinstance(ext, Mapping):
                confidentiality.append((f"impact_refs[{i}]", impact, ext))
    for i, inline in enumerate(core.get("confidentiality_impacts") or []):
        if isinstance(inline, Mapping):
            confidentiality.append((f"confidentiality_impacts[{i}]", {}, inline))

    exposures: list[dict[str, Any]] = []
    unmapped: list[str] = []
    for where, impact, ext in confidentiality:
        loss = str(ext.get("loss_type"))
        info = str(ext.get("information_type"))
        if loss == "none":
            continue
        elements = INFORMATION_TYPES.get(info)
        if not elements:
            unmapped.append(info)
            continue
        if place is None:
            raise Refusal(
                "no-location",
                "no victim identity with a location (targets/impacts relationship and "
                "located-at), so there is no place to put the affected people under",
            )
        count = _count(ext, impact, core)
        if count is None:
            raise Refusal(
                "no-count",
                f"{where}: no record_count and no impacted_entity_counts.individual",
            )
        n = len(exposures)
        acquired, accessed = _LOSS.get(loss, (None, None))
        exposures.append(
            {
                "description": impact.get("description") or f"{info} ({loss})",
                "elements": list(elements),
                "residents": {place: count},
                "encrypted": None,
                "key_compromised": None,
                "acquired": acquired,
                "accessed": accessed,
            }
        )
        prov[f"exposures[{n}].elements"] = f"{where}.information_type"
        if "unknown" in elements and len(elements) > 1:
            notes[f"exposures[{n}].elements"] = (
                f"information_type {info!r} does not say whether the person's name (or other "
                "identifying data) was included, so 'unknown' is added"
            )
        prov[f"exposures[{n}].residents.{place}"] = f"{where} count; victim location"
        prov[f"exposures[{n}].acquired"] = f"{where}.loss_type"
        prov[f"exposures[{n}].accessed"] = f"{where}.loss_type"
        notes[f"exposures[{n}].encrypted"] = "unknown: STIX does not express encryption"
    if exposures:
        notes["residents"] = (
            "STIX does not say where the affected people live; they are put under the "
            f"victim organisation's location ({place})"
        )
    incident: dict[str, Any] = {
        "schema_version": "1",
        "id": ident,
        "title": obj.get("name") or obj.get("description") or ident,
        "discovered_at": discovered,
        "parties": [victim],
        "exposures": exposures,
        "malicious": _malicious(core, prov),
    }
    prov["title"] = "name"
    ransom = _ransom(current)
    if ransom:
        incident["ransom_paid_at"] = ransom
        prov["ransom_paid_at"] = "impact (monetary, ransom-payment).start_time"
    incident["extensions"] = {
        EXTENSION_KEY: {
            "source": "stix-2.1",
            "stix_id": ident,
            "determination": core.get("determination"),
            "investigation_status": core.get("investigation_status"),
            "unmapped_information_types": unmapped,
            "assumptions": notes,
            "provenance": prov,
        },
        "stix": {
            "incident": copy.deepcopy(dict(obj)),
            "related": [copy.deepcopy(dict(o)) for o in used],
        },
    }
    return incident, prov


def _time(value: object) -> datetime | None:
    try:
        return parse_timestamp(value)
    except (TypeError, ValueError):
        return None


def _discovered(
    obj: Mapping[str, Any],
    core: Mapping[str, Any],
    objects: list[Mapping[str, Any]],
    prov: dict[str, str],
    notes: dict[str, str],
    used: list[Mapping[str, Any]],
) -> str:
    found: list[tuple[datetime, str]] = []
    for o in objects:
        if o.get("type") == "task" and "detected" in (o.get("task_types") or []):
            when = _time(o.get("start_time") or o.get("end_time"))
            if when:
                found.append((when, f"task {o.get('id')}.start_time"))
                used.append(o)
    for i, act in enumerate(core.get("defender_activities") or []):
        if isinstance(act, Mapping) and act.get("activity_type") in ("discovery", "detected"):
            when = _time(act.get("start_time"))
            if when:
                found.append((when, f"defender_activities[{i}].start_time"))
    if found:
        when, where = min(found)
        prov["discovered_at"] = where
        return when.isoformat()
    created = _time(obj.get("created"))
    if created is None:
        raise Refusal("no-date", "no detected task, no discovery activity and no created timestamp")
    prov["discovered_at"] = "created"
    notes["discovered_at"] = (
        "no detection task or activity: the incident's created timestamp, the latest "
        "possible discovery (due dates computed from it may be later than the true ones)"
    )
    return created.isoformat()


def _victim(
    obj: Mapping[str, Any],
    impacts: list[Mapping[str, Any]],
    rels: list[Mapping[str, Any]],
    index: Mapping[str, Mapping[str, Any]],
    prov: dict[str, str],
    notes: dict[str, str],
    used: list[Mapping[str, Any]],
) -> tuple[dict[str, Any], str | None]:
    candidates = [
        str(r.get("target_ref"))
        for r in rels
        if r.get("source_ref") == obj.get("id")
        and r.get("relationship_type") in ("targets", "impacts")
    ]
    candidates += [str(ref) for i in impacts for ref in i.get("impacted_refs") or []]
    identities = [index[c] for c in candidates if index.get(c, {}).get("type") == "identity"]
    if not identities:
        notes["parties[0]"] = "no victim identity: a placeholder owner party"
        prov["parties[0]"] = "default"
        return {"id": "victim", "data_role": "owner"}, None
    who = identities[0]
    used.append(who)
    party: dict[str, Any] = {
        "id": slug(str(who.get("name") or "victim"), "victim"),
        "name": who.get("name"),
        "data_role": "owner",
    }
    prov["parties[0].name"] = f"identity {who.get('id')}.name"
    if any(str(s).startswith("government") for s in who.get("sectors") or []):
        party["types"] = ["government_agency"]
        prov["parties[0].types"] = f"identity {who.get('id')}.sectors"
    place = None
    for r in rels:
        if r.get("source_ref") == who.get("id") and r.get("relationship_type") == "located-at":
            loc = index.get(str(r.get("target_ref")))
            if loc and loc.get("type") == "location":
                used.append(loc)
                place, _ = place_code(str(loc.get("country") or ""), loc.get("administrative_area"))
                if place:
                    party["established_in"] = [place]
                    prov["parties[0].established_in"] = f"location {loc.get('id')}"
                    break
    return party, place


def _count(
    ext: Mapping[str, Any], impact: Mapping[str, Any], core: Mapping[str, Any]
) -> int | None:
    for value in (
        ext.get("record_count"),
        (impact.get("impacted_entity_counts") or {}).get("individual"),
        (core.get("impacted_entity_counts") or {}).get("individual"),
    ):
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
    return None


def _ransom(impacts: list[Mapping[str, Any]]) -> str | None:
    for impact in impacts:
        money = (impact.get("extensions") or {}).get("monetary")
        if isinstance(money, Mapping) and money.get("variety") == "ransom-payment":
            when = _time(impact.get("start_time") or impact.get("end_time"))
            if when:
                return when.isoformat()
    return None


def _malicious(core: Mapping[str, Any], prov: dict[str, str]) -> bool | None:
    types = {str(t) for t in core.get("incident_types") or []}
    prov["malicious"] = "incident_types"
    if types & _DELIBERATE:
        return True
    if types and types <= _ACCIDENTAL | {"major", "no-apt", "unattributed", "confirmed"}:
        return False if types & _ACCIDENTAL else None
    return None
