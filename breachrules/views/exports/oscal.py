"""OSCAL: the loaded laws' notification requirements as a catalog, an assessment as results.

NIST's OSCAL (Open Security Controls Assessment Language) is what GRC platforms exchange
assessments in. Two documents:

- :func:`catalog`: one *group* per loaded ruleset (its code, name, citation, version in
  force and SHA-256) and one *control* per obligation of the version in force, whose
  statement says who notifies whom and by when, with the citation. Control ids are the
  obligation ids made into OSCAL tokens (``US-CA:notify-individuals`` becomes
  ``us-ca_notify-individuals``: OSCAL ids allow no colon);
- :func:`assessment_results`: one *result* for the assessment. The incident's facts (its
  exposures, dates, parties, law enforcement, risk findings) are *observations*; each
  obligation is a *finding* whose target is its control, ``satisfied`` when nothing is owed
  or the notice went on time (from the notices the host recorded), ``not-satisfied``
  while it is owed, pending or went late. Reviewed controls are the obligations evaluated.

Assessment results import an assessment plan; breachrules has none beyond the assessment
itself, so ``import-ap`` points to a back-matter resource that says so and links the
catalog. Both documents validate against the OSCAL 1.2.3 JSON Schema (vendored in
``tests/fixtures/schemas/oscal``). Times are written in UTC; identifiers are UUIDv5.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any

from breachrules._version import __version__
from breachrules.model.timestamps import format_timestamp
from breachrules.views.exports import name_uuid

if TYPE_CHECKING:
    from breachrules.law.ruleset import Ruleset
    from breachrules.model.decisions import Assessment, Obligation
    from breachrules.model.facts import Incident
    from breachrules.model.records import NoticeRecord

__all__ = ["CATALOG_HREF", "NS", "OSCAL_VERSION", "assessment_results", "catalog", "control_id"]

OSCAL_VERSION = "1.2.3"
#: The namespace of breachrules' own properties.
NS = "urn:breachrules:oscal"
#: Where the assessment results expect the catalog (``export --format oscal-catalog``).
CATALOG_HREF = "breachrules-notification-catalog.json"
_NOT_TOKEN = re.compile(r"[^A-Za-z0-9._-]+")
_SPACE = re.compile(r"\s+")


def control_id(obligation_id: str) -> str:
    """The OSCAL control id of an obligation id: lower case, ``:`` and anything else that
    is not a token character as ``_``."""
    token = _NOT_TOKEN.sub("_", obligation_id).lower()
    return token if re.match(r"[a-z_]", token) else "_" + token


def _line(value: object) -> str:
    """One line, no leading or trailing space (OSCAL's string and markup-line types)."""
    text = _SPACE.sub(" ", str(value)).strip()
    return text or "-"


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _prop(name: str, value: object) -> dict[str, str]:
    return {"name": name, "ns": NS, "value": _line(value)}


def _metadata(title: str, modified: datetime) -> dict[str, Any]:
    return {
        "title": _line(title),
        "last-modified": _utc(modified),
        "version": f"breachrules {__version__}",
        "oscal-version": OSCAL_VERSION,
        "remarks": "breachrules supports counsel's judgment; it is not legal advice.",
    }


def catalog(rulesets: Iterable[Ruleset]) -> dict[str, Any]:
    """The notification requirements of ``rulesets`` (each at its version in force now,
    the newest) as an OSCAL catalog."""
    groups = []
    reviewed: list[date] = []
    for r in rulesets:
        reviewed.append(r.last_reviewed)
        law = r.current
        controls = []
        for ob in law.obligations:
            cid = control_id(ob.rule.id)
            recipient = ob.recipient_name or ob.recipient.replace("_", " ")
            who = ob.by.replace("_", " ")
            prose = (
                f"The {who} notifies {recipient}: {ob.deadline.text}."
                if ob.kind == "notice"
                else f"The {who} keeps a record (not a notice; {recipient}): {ob.deadline.text}."
                if ob.kind == "record"
                else f"The {who} completes an assessment (not a notice): {ob.deadline.text}."
            )
            controls.append(
                {
                    "id": cid,
                    "title": _line(ob.rule.title),
                    "props": [
                        {"name": "label", "value": _line(ob.rule.id)},
                        _prop("citation", ob.rule.citation),
                        _prop("recipient", ob.recipient),
                        _prop("verified", "true" if ob.rule.verified else "false"),
                    ],
                    "parts": [{"id": f"{cid}_smt", "name": "statement", "prose": prose}],
                }
            )
        group: dict[str, Any] = {
            "id": control_id(r.code),
            "title": _line(r.name),
            "props": [
                {"name": "label", "value": r.code},
                _prop("citation", law.version.citation),
                _prop("version", law.version.effective_from.isoformat()),
                _prop("last-reviewed", r.last_reviewed.isoformat()),
            ],
        }
        if r.sha256:
            group["props"].append(_prop("sha256", r.sha256))
        if controls:
            group["controls"] = controls
        groups.append(group)
    modified = datetime.combine(max(reviewed, default=date(2000, 1, 1)), time(), UTC)
    body: dict[str, Any] = {
        "uuid": name_uuid("oscal-catalog", *(g["id"] for g in groups)),
        "metadata": _metadata("Breach notification requirements (breachrules)", modified),
    }
    if groups:
        body["groups"] = groups
    return {"catalog": body}


def _observations(incident: Incident, collected: str) -> list[dict[str, Any]]:
    facts: list[tuple[str, str]] = [
        ("Discovery", f"discovered at {format_timestamp(incident.discovered_at)}"),
    ]
    if incident.occurred_at is not None:
        facts.append(("Occurrence", f"occurred at {format_timestamp(incident.occurred_at)}"))
    for n, e in enumerate(incident.exposures):
        people = ", ".join(f"{code}: {count}" for code, count in e.residents.items())
        facts.append(
            (
                f"Exposure {n + 1}",
                f"{e.description or 'exposure'}; elements: {', '.join(e.elements) or '-'}; "
                f"people by residence: {people or '-'}; encrypted: {e.encrypted}; "
                f"acquired: {e.acquired}; accessed: {e.accessed}",
            )
        )
    for p in incident.parties:
        facts.append((f"Party {p.id}", f"{p.name or p.id}, {p.data_role}"))
    le = incident.law_enforcement
    if le is not None and (le.notified_at or le.delay_requested_until):
        facts.append(
            (
                "Law enforcement",
                f"notified at {le.notified_at and format_timestamp(le.notified_at)}; "
                f"delay requested until {le.delay_requested_until}",
            )
        )
    out = []
    for title, text in facts:
        out.append(
            {
                "uuid": name_uuid("oscal-observation", incident.id, collected, title),
                "title": _line(title),
                "description": text,
                "methods": ["EXAMINE"],
                "collected": collected,
            }
        )
    return out


def _state(status: str | None) -> dict[str, str]:
    if status in ("not_required", "on_time", "sent"):
        return {"state": "satisfied", "reason": "pass"}
    if status in ("late", "early"):
        return {"state": "not-satisfied", "reason": "fail"}
    return {"state": "not-satisfied", "reason": "other"}


def _finding(
    o: Obligation, status: str | None, key: tuple[str, str], observed: list[str]
) -> dict[str, Any]:
    due = format_timestamp(o.due) if o.due else "no fixed period"
    finding: dict[str, Any] = {
        "uuid": name_uuid("oscal-finding", *key, o.id),
        "title": _line(o.id),
        "description": (
            f"{o.status}: {o.party} must {o.duty}, due {due} ({o.deadline.text}). Basis: {o.basis}."
        ),
        "props": [
            _prop("obligation-status", o.status),
            _prop("compliance", status or o.status),
            _prop("due", due),
            _prop("basis", o.basis),
        ],
        "target": {
            "type": "objective-id",
            "target-id": control_id(o.id),
            "status": _state(status),
        },
    }
    if observed:
        finding["related-observations"] = [{"observation-uuid": u} for u in observed]
    return finding


def assessment_results(
    assessment: Assessment,
    incident: Incident,
    records: Iterable[NoticeRecord] = (),
    catalog_href: str = CATALOG_HREF,
) -> dict[str, Any]:
    """OSCAL assessment results for ``assessment`` of ``incident``; ``records`` (notices
    the host sent) decide which owed notices are satisfied."""
    key = (assessment.incident_id, format_timestamp(assessment.as_of))
    collected = _utc(assessment.as_of)
    standing = {c.obligation_id: c.status for c in assessment.compliance(records)}
    observations = _observations(incident, collected)
    observed = [o["uuid"] for o in observations]
    findings = [_finding(o, standing.get(o.id), key, observed) for o in assessment.obligations]
    controls = [{"control-id": control_id(o.id)} for o in assessment.obligations]
    reviewed: dict[str, Any] = {
        "control-selections": [{"include-controls": controls} if controls else {"include-all": {}}]
    }
    resource = name_uuid("oscal-resource", *key)
    result: dict[str, Any] = {
        "uuid": name_uuid("oscal-result", *key),
        "title": _line(f"Breach notification assessment of {assessment.incident_id}"),
        "description": (
            "Each law's decision on the incident's facts, with every notice owed, by whom "
            "and by when, each step cited. "
            + "; ".join(f"{d.jurisdiction}: {d.status}" for d in assessment.determinations)
        ),
        "start": collected,
        "reviewed-controls": reviewed,
        "observations": observations,
    }
    if findings:
        result["findings"] = findings
    return {
        "assessment-results": {
            "uuid": name_uuid("oscal-ar", *key),
            "metadata": _metadata(
                f"Breach notification assessment results: {assessment.incident_id}",
                assessment.as_of,
            ),
            "import-ap": {
                "href": f"#{resource}",
                "remarks": "No separate assessment plan: the plan is the catalog of the laws' "
                "notification requirements, applied by breachrules.",
            },
            "results": [result],
            "back-matter": {
                "resources": [
                    {
                        "uuid": resource,
                        "title": "Breach notification requirements (breachrules catalog)",
                        "rlinks": [{"href": catalog_href, "media-type": "application/json"}],
                    }
                ]
            },
        }
    }
