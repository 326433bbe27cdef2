"""VERIS 1.3.x and 1.4.x incident records in, contract incident documents out.

One module, one job: the VERIS mapping, with every assumption it makes written beside the
field it reads.

VERIS (the Vocabulary for Event Recording and Incident Sharing, used by the VERIS
Community Database and the Verizon DBIR) describes what happened to an organisation; a
breach-notification law asks about the people whose data was exposed. The two overlap
but do not coincide, so this importer is lossy and explicit about it:

- **Residence.** VERIS records where the *victim organisation* operates
  (``victim.country``, ``victim.state``), never where the affected people live. The
  importer puts the affected people under the organisation's state (or country), because
  that is the only place the record names, and says so in ``provenance`` and in
  ``extensions.breachrules_import.assumptions``. A record with no usable country is
  refused when it exposed personal data: there is nowhere honest to put the people.
- **Discovery time.** VERIS has no discovery date. It has the incident date
  (``timeline.incident``, to year, month or day) and the *lag* from compromise to
  discovery (``timeline.discovery``, a unit and often a value). ``discovered_at`` is the
  **earliest instant consistent with the record**: the first instant (UTC) of the
  incident period plus the least lag the record allows (a unit without a value counts
  as one of that unit; a month as 28 days, a year as 365). The earliest bound is chosen
  because every notice period runs from discovery: it can only make a due date earlier
  than the true one, never later, so a host is not told it has time it may not have.
  The precision and the latest bound (the public notification date,
  ``plus.timeline.notification``, where known) are kept in the extensions. Only
  ``occurred_at`` at day precision is filled; a coarser incident date stays ``null``.
- **Counts.** ``attribute.confidentiality.data_total`` is the number of affected
  records; without it, the largest ``data[].amount`` is a lower bound. Neither present:
  refused (the contract needs a number per place of residence and a made-up one would
  decide every head-count threshold). A total above the world's population is a typo
  and treated as absent.
- **Elements.** VERIS data varieties are coarse; ``Personal`` does not say which personal
  data (name? SSN?), so it becomes ``unknown``: an element-based definition it could meet
  is then undetermined, naming ``exposures[0].elements``, never "not met". ``Medical`` is
  ``medical``, ``Payment`` and ``Bank`` are ``financial_account``, ``Sensitive Personal``
  is ``special_category``, and each of these also adds ``unknown``: the variety names the
  kind of data but not whether the person's name went with it, and most US state laws
  count such data only with a name (a record read as "medical alone" would be "not a
  breach" there, the worst wrong answer). ``Credentials`` is ``credentials``, which those
  laws count alone. Non-personal varieties (``Internal``, ``Secrets``, ...) produce no
  exposure. Only ``Unknown`` varieties: refused.
- **Acquisition.** ``data_disclosure`` ``Yes`` is confirmed disclosure to an
  unauthorised party (``acquired`` and ``accessed`` true); ``No`` is confirmed
  non-disclosure (both false); ``Potentially`` and ``Unknown`` leave both unknown.
- **Destruction, loss, alteration.** ``attribute.availability.variety`` ``Destruction``
  gives ``destroyed: true``; ``Loss`` (a lost device, lost records) and ``Obscuration``
  (data made unreadable, as ransomware does) give ``lost: true``;
  ``attribute.integrity.variety`` ``Modify data`` gives ``altered: true``. A record that
  codes none of these leaves them unknown (VERIS does not say an attribute was *not*
  affected), so a law whose breach includes them (GDPR Art. 4(12)) asks rather than
  answering "no breach".
- **Encryption.** Only ``attribute.confidentiality.state`` speaks to it: all-encrypted
  states give ``encrypted: true`` (the key's fate stays unknown), all-unencrypted
  ``false``; anything else stays unknown.

The whole source record is kept under ``extensions.veris`` so nothing is lost. For VCDB
records the licence (CC BY-SA 4.0, VERIS Community Database, Verizon) is recorded next
to it, because the output is derived data and must carry the credit.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from breachrules.io.importers._common import (
    EXTENSION_KEY,
    ImportResult,
    PartialDate,
    Refusal,
    place_code,
    validated,
)

__all__ = ["DATA_VARIETIES", "import_veris"]

#: VERIS ``attribute.confidentiality.data.variety`` to contract element words. An empty
#: tuple means "not personal data"; a variety missing from this table is kept unmapped.
DATA_VARIETIES: dict[str, tuple[str, ...]] = {
    "Personal": ("unknown",),
    "Sensitive Personal": ("special_category", "unknown"),
    "Medical": ("medical", "unknown"),
    "Payment": ("financial_account", "unknown"),
    "Bank": ("financial_account", "unknown"),
    "Credentials": ("credentials",),
    "Multi-factor credential": ("credentials",),
    "Internal": (),
    "Secrets": (),
    "System": (),
    "Classified": (),
    "Source code": (),
    "Copyrighted": (),
    "Digital certificate": (),
    "Virtual currency": (),
    "API key": (),
    "Session key": (),
}

_DELIBERATE = ("hacking", "malware", "social", "misuse", "physical")
_ACCIDENTAL = ("error", "environmental")
#: The least length of each VERIS time unit, for the earliest possible discovery.
_UNIT_MIN = {
    "Seconds": timedelta(seconds=1),
    "Minutes": timedelta(minutes=1),
    "Hours": timedelta(hours=1),
    "Days": timedelta(days=1),
    "Weeks": timedelta(weeks=1),
    "Months": timedelta(days=28),
    "Years": timedelta(days=365),
}
#: More records than people alive: a typo in the source, read as "count not given".
_IMPLAUSIBLE = 8_200_000_000
_VCDB_LICENCE = (
    "VERIS Community Database, Verizon; licensed CC BY-SA 4.0 "
    "(https://creativecommons.org/licenses/by-sa/4.0/)"
)


def import_veris(doc: Mapping[str, Any], source: str | None = None) -> ImportResult:
    """Import one VERIS record; ``source`` names it in the result (default: its id).

    Returns an :class:`ImportResult` that holds either a contract incident document with
    the provenance of every field, or a refusal naming the field that could not be
    filled honestly.
    """
    name = source or str(doc.get("incident_id") or "veris record")
    try:
        incident, provenance = _convert(doc)
    except Refusal as exc:
        return ImportResult.refuse(name, exc.code, exc.reason)
    return validated(name, incident, provenance)


def _convert(doc: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    if not isinstance(doc, Mapping) or "timeline" not in doc or "attribute" not in doc:
        raise Refusal("not-veris", "not a VERIS incident record (no timeline or attribute)")
    version = str(doc.get("schema_version", "")).replace("_", ".")
    if not version.startswith(("1.3", "1.4")):
        raise Refusal(
            "unsupported-version",
            f"VERIS schema version {doc.get('schema_version')!r} is not 1.3.x or 1.4.x",
        )
    if doc.get("security_incident") == "False positive":
        raise Refusal("not-an-incident", "security_incident is 'False positive'")
    prov: dict[str, str] = {}
    notes: dict[str, str] = {}
    ident = str(doc.get("incident_id") or doc.get("plus", {}).get("master_id") or "")
    if not ident:
        raise Refusal("no-id", "the record has no incident_id or plus.master_id")
    prov["id"] = "incident_id"

    discovered, occurred, timing = _timeline(doc, notes)
    prov["discovered_at"] = "timeline.incident, timeline.discovery"
    victim = _sub(doc, "victim")
    party, place, place_read = _party(victim, prov, notes)
    exposures, unmapped = _exposures(doc, place, place_read, prov, notes)
    state = victim.get("state")
    if place and not place_read and isinstance(state, str) and state.strip():
        # A state the importer cannot read (a typo, a region) is kept, not dropped: the
        # people are under the country, and no state law can count them.
        unmapped["victim.state"] = state

    incident: dict[str, Any] = {
        "schema_version": "1",
        "id": ident,
        "title": _title(doc),
        "discovered_at": discovered.isoformat(),
        "parties": [party],
        "exposures": exposures,
        "malicious": _malicious(doc, prov, notes),
    }
    prov["title"] = "summary"
    prov["parties[0].data_role"] = "default"
    notes["parties[0].data_role"] = (
        "VERIS describes the victim organisation; it is taken to own the exposed data"
    )
    if occurred is not None:
        incident["occurred_at"] = occurred.isoformat()
        prov["occurred_at"] = "timeline.incident"
    meta: dict[str, Any] = {
        "source": "veris",
        "source_schema_version": doc.get("schema_version"),
        "incident_id": doc.get("incident_id"),
        "security_incident": doc.get("security_incident"),
        "master_id": doc.get("plus", {}).get("master_id"),
        "timing": timing,
        "assumptions": notes,
        "unmapped": unmapped,
        "provenance": prov,
    }
    if doc.get("source_id") == "vcdb":
        meta["licence"] = _VCDB_LICENCE
    incident["extensions"] = {EXTENSION_KEY: meta, "veris": copy.deepcopy(dict(doc))}
    return incident, prov


def _timeline(
    doc: Mapping[str, Any], notes: dict[str, str]
) -> tuple[datetime, datetime | None, dict[str, Any]]:
    timeline = doc.get("timeline")
    incident_date = PartialDate.from_mapping(
        timeline.get("incident") if isinstance(timeline, Mapping) else None
    )
    if incident_date is None:
        raise Refusal(
            "no-date",
            "timeline.incident has no usable year, so no discovery date can be given even "
            "at year precision",
        )
    lag = timedelta(0)
    lag_text = "no discovery lag recorded"
    discovery = timeline.get("discovery") if isinstance(timeline, Mapping) else None
    if isinstance(discovery, Mapping) and discovery.get("unit") in _UNIT_MIN:
        unit = str(discovery["unit"])
        value = discovery.get("value")
        count = float(value) if isinstance(value, int | float) and value > 0 else 1.0
        lag = _UNIT_MIN[unit] * count
        lag_text = (
            f"{value if value is not None else 'some'} {unit.lower()} (at least {_duration(lag)})"
        )
    earliest = incident_date.start() + lag
    plus = _sub(doc, "plus")
    told = plus.get("timeline", {}) if isinstance(plus.get("timeline"), Mapping) else {}
    notified = PartialDate.from_mapping(told.get("notification"))
    latest = notified.end() if notified else None
    inconsistent = latest is not None and earliest >= latest
    if inconsistent and latest is not None:
        # The lag overshoots the public notification: trust the incident date alone.
        earliest = min(incident_date.start(), latest - timedelta(seconds=1))
        lag_text += "; ignored, because it would place discovery after public notification"
    notes["discovered_at"] = (
        "VERIS has no discovery date: the earliest instant consistent with the record "
        f"(start of the incident {incident_date.precision}, UTC, plus the least discovery "
        f"lag: {lag_text}). Earliest, so that no due date computed from it is later than "
        "the true one."
    )
    occurred = incident_date.start() if incident_date.precision == "day" else None
    if occurred is None:
        notes["occurred_at"] = (
            f"left unknown: the incident date is known only to the {incident_date.precision}"
        )
    timing = {
        "incident_date": incident_date.as_dict(),
        "incident_date_precision": incident_date.precision,
        "discovery_lag": dict(discovery) if isinstance(discovery, Mapping) else None,
        "discovered_at_is": "earliest possible",
        "discovered_no_later_than": latest.isoformat() if latest else None,
    }
    return earliest, occurred, timing


def _duration(lag: timedelta) -> str:
    if lag >= timedelta(days=1):
        return f"{lag.total_seconds() / 86400:g} days"
    return f"{lag.total_seconds():g} seconds"


def _party(
    victim: Mapping[str, Any], prov: dict[str, str], notes: dict[str, str]
) -> tuple[dict[str, Any], str | None, bool]:
    countries = [c for c in victim.get("country") or [] if isinstance(c, str) and c != "Unknown"]
    state = victim.get("state") if isinstance(victim.get("state"), str) else None
    place: str | None = None
    read = False
    if len(countries) == 1:
        place, read = place_code(countries[0], state)
    elif len(countries) > 1:
        notes["residents"] = f"the victim operates in several countries ({', '.join(countries)})"
    party: dict[str, Any] = {"id": "victim", "data_role": "owner"}
    prov["parties[0].id"] = "default"
    name = victim.get("victim_id")
    if isinstance(name, str) and name.strip():
        party["name"] = name.strip()
        prov["parties[0].name"] = "victim.victim_id"
    if place:
        party["established_in"] = [place]
        prov["parties[0].established_in"] = (
            "victim.country, victim.state" if read else ("victim.country")
        )
        if state and not read:
            notes["parties[0].established_in"] = (
                f"victim.state {state!r} could not be read as an ISO 3166-2 code; "
                "the country is used"
            )
    types = _types(victim, countries)
    if types:
        party["types"] = types
        prov["parties[0].types"] = "victim.industry"
        notes["parties[0].types"] = (
            "inferred from the NAICS code: 92 (public administration) is a government "
            "agency; in the US, 621-623 (ambulatory care, hospitals, nursing care) and "
            "524114 (health insurers) are HIPAA covered entities"
        )
    return party, place, read


def _types(victim: Mapping[str, Any], countries: list[str]) -> list[str]:
    industry = str(victim.get("industry") or "")
    types: list[str] = []
    if industry.startswith("92"):
        types.append("government_agency")
    if countries == ["US"] and (
        industry[:3] in ("621", "622", "623") or industry.startswith("524114")
    ):
        types.append("hipaa_covered_entity")
    return types


def _exposures(
    doc: Mapping[str, Any],
    place: str | None,
    place_read: bool,
    prov: dict[str, str],
    notes: dict[str, str],
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    attribute = _sub(doc, "attribute")
    conf = attribute.get("confidentiality")
    unmapped: dict[str, Any] = {}
    if not isinstance(conf, Mapping):
        notes["exposures"] = "the record codes no loss of confidentiality: no exposure"
        return [], unmapped
    elements: list[str] = []
    amounts: list[int] = []
    other_varieties: list[str] = []
    unread_amounts: list[str] = []
    unknown_seen = False
    for item in conf.get("data") or []:
        if not isinstance(item, Mapping):
            continue
        variety = str(item.get("variety"))
        amount = item.get("amount")
        if isinstance(amount, int) and not isinstance(amount, bool) and amount > 0:
            amounts.append(amount)
        elif amount is not None and amount != 0:  # 0: VERIS's "not given"
            unread_amounts.append(f"{variety}: {amount!r}")
        if variety in ("Unknown", "Other") or variety not in DATA_VARIETIES:
            unknown_seen = True
            other_varieties.append(variety)
            continue
        words = DATA_VARIETIES[variety]
        if not words:
            other_varieties.append(variety)
        for word in words:
            if word not in elements:
                elements.append(word)
    if "unknown" in elements:  # what is known first, then "and data not established"
        elements = [*(w for w in elements if w != "unknown"), "unknown"]
    if other_varieties:
        unmapped["attribute.confidentiality.data.variety"] = other_varieties
    if unread_amounts:
        unmapped["attribute.confidentiality.data.amount"] = unread_amounts
        notes["exposures[0].residents.amounts"] = (
            "data[].amount not a whole number of records, so not read as a count: "
            + "; ".join(unread_amounts)
        )
    if not elements:
        if unknown_seen:
            raise Refusal(
                "unknown-data",
                "attribute.confidentiality.data names no known variety of personal data "
                f"({', '.join(other_varieties) or 'none'}), so no data element can be given",
            )
        notes["exposures"] = (
            f"only non-personal data ({', '.join(other_varieties)}) was exposed: no exposure"
        )
        return [], unmapped
    if place is None:
        raise Refusal(
            "no-location",
            "victim.country is missing or 'Unknown' (or names several countries), so there "
            "is no place to put the affected people under",
        )
    count = _count(conf, amounts, prov, notes)
    exposure: dict[str, Any] = {
        "description": _describe(conf),
        "elements": elements,
        "residents": {place: count},
    }
    prov["exposures[0].elements"] = "attribute.confidentiality.data[].variety"
    prov["exposures[0].description"] = "attribute.confidentiality.data_victim"
    prov[f"exposures[0].residents.{place}"] = (
        "victim.country, victim.state" if place_read else "victim.country"
    ) + f" ({prov.pop('_count')})"
    state = _sub(doc, "victim").get("state")
    unread = (
        f" (victim.state {state!r} could not be read as a subdivision)"
        if not place_read and isinstance(state, str) and state.strip()
        else ""
    )
    notes["exposures[0].residents"] = (
        "VERIS records where the victim organisation operates, not where the affected "
        f"people live: all {count} are put under {place}, the organisation's "
        + ("state" if place_read else "country" + unread)
        + ". Residents of other places, if any, are not represented."
    )
    if unknown_seen:
        notes["exposures[0].elements"] = (
            "some varieties were 'Unknown' or 'Other'; the elements list only what is named"
        )
    named = {str(i.get("variety")) for i in conf.get("data") or [] if isinstance(i, Mapping)}
    if "Personal" in named:
        notes["exposures[0].elements"] = (
            notes.get("exposures[0].elements", "") + " VERIS 'Personal' does not say which "
            "personal data was exposed, so it is 'unknown'."
        ).strip()
    nameless = sorted(
        v for v in named if v != "Personal" and "unknown" in DATA_VARIETIES.get(v, ())
    )
    if nameless:
        notes["exposures[0].elements"] = (
            notes.get("exposures[0].elements", "")
            + f" VERIS {', '.join(repr(v) for v in nameless)} does not say whether the "
            "person's name (or other identifying data) was included, so 'unknown' is added: "
            "a law that counts the data only with a name is then undetermined, not 'no breach'."
        ).strip()
    _disclosure(conf, exposure, prov, notes)
    _availability(attribute, exposure, prov)
    _encryption(conf, exposure, prov, notes)
    _paper(doc, conf, exposure, prov, notes)
    return [exposure], unmapped


def _count(
    conf: Mapping[str, Any], amounts: list[int], prov: dict[str, str], notes: dict[str, str]
) -> int:
    total = conf.get("data_total")
    if isinstance(total, bool) or not isinstance(total, int) or total <= 0:
        total = None
    if total is not None and total > _IMPLAUSIBLE:
        notes["exposures[0].residents.count"] = (
            f"data_total {total} exceeds the world's population; read as a typo"
        )
        total = None
    implausible = [a for a in amounts if a > _IMPLAUSIBLE]
    most = max((a for a in amounts if a <= _IMPLAUSIBLE), default=None)
    if total is None and most is None:
        raw = conf.get("data_total")
        out_of_range = [
            f"data_total {raw}" if isinstance(raw, int) and raw > _IMPLAUSIBLE else "",
            *(f"data[].amount {a}" for a in implausible),
        ]
        said = ", ".join(t for t in out_of_range if t)
        if said:
            raise Refusal(
                "no-count",
                f"attribute.confidentiality.{said} is out of range (more records than "
                "people alive, a typo in the source) and no other data[].amount gives the "
                "number of affected records, which the contract needs per place",
            )
        raise Refusal(
            "no-count",
            "neither attribute.confidentiality.data_total nor any data[].amount gives the "
            "number of affected records, and the contract needs a number per place",
        )
    if total is None:
        assert most is not None
        prov["_count"] = "attribute.confidentiality.data[].amount, the largest"
        notes["exposures[0].residents.count"] = (
            "no data_total: the largest per-variety amount, a lower bound"
        )
        return most
    if most is not None and most > total:
        prov["_count"] = "attribute.confidentiality.data[].amount, the largest"
        notes["exposures[0].residents.count"] = (
            f"data_total {total} is below a per-variety amount ({most}); the larger is used"
        )
        return most
    prov["_count"] = "attribute.confidentiality.data_total"
    return total


def _describe(conf: Mapping[str, Any]) -> str:
    whose = [str(v) for v in conf.get("data_victim") or []]
    varieties = [str(i.get("variety")) for i in conf.get("data") or [] if isinstance(i, Mapping)]
    text = f"VERIS data: {', '.join(varieties) or 'unspecified'}"
    return text + (f"; of: {', '.join(whose)}" if whose else "")


def _disclosure(
    conf: Mapping[str, Any], exposure: dict[str, Any], prov: dict[str, str], notes: dict[str, str]
) -> None:
    disclosure = conf.get("data_disclosure")
    value = {"Yes": True, "No": False}.get(str(disclosure))
    exposure["acquired"] = value
    exposure["accessed"] = value
    where = "attribute.confidentiality.data_disclosure"
    prov["exposures[0].acquired"] = where
    prov["exposures[0].accessed"] = where
    if value is None:
        notes["exposures[0].acquired"] = (
            f"data_disclosure is {disclosure!r}: acquisition and access stay unknown"
        )


#: VERIS availability and integrity varieties to the exposure facts they establish.
_AVAILABILITY = {"Destruction": "destroyed", "Loss": "lost", "Obscuration": "lost"}
_INTEGRITY = {"Modify data": "altered"}


def _availability(
    attribute: Mapping[str, Any], exposure: dict[str, Any], prov: dict[str, str]
) -> None:
    """``destroyed``, ``lost`` and ``altered`` where the record codes them; else unknown."""
    for part, table in (("availability", _AVAILABILITY), ("integrity", _INTEGRITY)):
        coded = attribute.get(part)
        varieties = coded.get("variety") if isinstance(coded, Mapping) else None
        for variety in varieties if isinstance(varieties, list) else ():
            fact = table.get(str(variety))
            if fact is not None:
                exposure[fact] = True
                prov[f"exposures[0].{fact}"] = f"attribute.{part}.variety ({variety})"


def _encryption(
    conf: Mapping[str, Any], exposure: dict[str, Any], prov: dict[str, str], notes: dict[str, str]
) -> None:
    states = {str(s) for s in conf.get("state") or []}
    encrypted = {s for s in states if s.endswith(" encrypted")}
    plain = {s for s in states if s.endswith(" unencrypted")}
    if encrypted and not plain and states == encrypted:
        exposure["encrypted"] = True
    elif plain and not encrypted and states == plain:
        exposure["encrypted"] = False
    else:
        exposure["encrypted"] = None
        notes["exposures[0].encrypted"] = (
            "unknown: attribute.confidentiality.state does not say the data was "
            "uniformly encrypted or unencrypted"
        )
    exposure["key_compromised"] = None
    prov["exposures[0].encrypted"] = "attribute.confidentiality.state"


def _paper(
    doc: Mapping[str, Any],
    conf: Mapping[str, Any],
    exposure: dict[str, Any],
    prov: dict[str, str],
    notes: dict[str, str],
) -> None:
    states = {str(s) for s in conf.get("state") or []} - {"Unknown"}
    asset = _sub(doc, "asset")
    kinds = {
        str(a.get("variety"))
        for a in asset.get("assets") or []
        if isinstance(a, Mapping) and a.get("variety") not in (None, "Unknown")
    }
    paper_assets = {k for k in kinds if k in ("M - Documents", "M - Fax")}
    says_paper = bool(paper_assets) or "Printed" in states
    says_electronic = bool(kinds - paper_assets) or bool(states - {"Printed"})
    if says_paper and not says_electronic:
        exposure["paper"] = True
        prov["exposures[0].paper"] = "asset.assets[].variety, attribute.confidentiality.state"
    elif says_paper:
        exposure["paper"] = None
        prov["exposures[0].paper"] = "asset.assets[].variety, attribute.confidentiality.state"
        notes["exposures[0].paper"] = (
            "unknown: both paper documents and electronic assets are involved"
        )
    # Otherwise the contract's default (electronic records) stands, as the record names
    # no paper asset.


def _malicious(doc: Mapping[str, Any], prov: dict[str, str], notes: dict[str, str]) -> bool | None:
    action = _sub(doc, "action")
    kinds = set(action)
    prov["malicious"] = "action"
    if kinds & set(_DELIBERATE):
        return True
    if kinds and kinds <= set(_ACCIDENTAL):
        return False
    notes["malicious"] = "unknown: the record codes no deliberate or accidental action"
    return None


def _sub(doc: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    """``doc[key]`` when it is an object, else an empty one: VERIS sections are optional."""
    value = doc.get(key)
    return value if isinstance(value, Mapping) else {}


def _title(doc: Mapping[str, Any]) -> str:
    summary = doc.get("summary")
    if isinstance(summary, str) and summary.strip():
        text = " ".join(summary.split())
        return text if len(text) <= 200 else text[:197] + "..."
    return f"VERIS incident {doc.get('incident_id')}"
