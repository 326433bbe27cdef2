"""The decision as an OCSF Incident Finding (class_uid 2005), each obligation a finding.

OCSF (the Open Cybersecurity Schema Framework) is what SIEMs and data lakes normalise
security events to. Its *Incident Finding* class (category Findings, ``category_uid`` 2,
class ``uid`` 5, so ``class_uid`` 2005 and ``type_uid`` 200501 for *Create*) reports the
creation or update of an incident; its required ``finding_info_list`` carries one
``finding_info`` per obligation, keyed by the obligation's id (``uid``), so a SIEM tracks
each notice by its own identifier across updates. The class ids are checked against the
OCSF schema's class definition, vendored in ``tests/fixtures/schemas/ocsf``.

- ``status_id``: 1 *New* while an obligation is still owed, 5 *Closed* when none is;
- ``severity_id``: 4 *High* when a required notice is overdue, 3 *Medium* for a breach,
  2 *Low* while undetermined, 1 *Informational* otherwise;
- ``is_suspected_breach``: a law finds a breach or cannot yet rule one out;
- everything breachrules adds (determinations, due dates, citations) sits under
  ``unmapped``, as OCSF intends for attributes outside the class.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from breachrules._version import __version__
from breachrules.model.timestamps import format_timestamp
from breachrules.views.exports import name_uuid

if TYPE_CHECKING:
    from breachrules.model.decisions import Assessment, Obligation
    from breachrules.model.facts import Incident

__all__ = ["CATEGORY_UID", "CLASS_UID", "OCSF_VERSION", "incident_finding"]

#: The OCSF schema version the event is written to.
OCSF_VERSION = "1.3.0"
#: Findings category, and Incident Finding within it (class_uid = category * 1000 + uid).
CATEGORY_UID = 2
CLASS_UID = 2005
_CREATE = 1


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _finding(o: Obligation, incident_id: str, created: datetime) -> dict[str, Any]:
    desc = f"{o.status}: {o.duty} ({o.deadline.text}); {o.basis}"
    info: dict[str, Any] = {
        "uid": f"{incident_id}/{o.id}",
        "title": o.id,
        "desc": desc,
        "types": ["breach-notification", o.recipient],
        "created_time": _ms(created),
        "product": {"name": "breachrules", "vendor_name": "breachrules contributors"},
    }
    return info


def incident_finding(assessment: Assessment, incident: Incident | None = None) -> dict[str, Any]:
    """One OCSF Incident Finding event for ``assessment`` (``incident`` adds its title and
    times). Only obligations that are owed or may be owed become findings; the laws that
    owe nothing are listed under ``unmapped.determinations``."""
    owed = [o for o in assessment.obligations if o.status != "not_required"]
    statuses = {d.status for d in assessment.determinations}
    overdue = any(o.overdue for o in owed if o.status == "required")
    severity_id, severity = (
        (4, "High")
        if overdue
        else (3, "Medium")
        if "breach" in statuses
        else (2, "Low")
        if "undetermined" in statuses
        else (1, "Informational")
    )
    status_id, status = (1, "New") if owed else (5, "Closed")
    title = incident.title if incident is not None and incident.title else assessment.incident_id
    parties = sorted({o.performed_by or o.party for o in owed}) or ["breach response"]
    event: dict[str, Any] = {
        "activity_id": _CREATE,
        "activity_name": "Create",
        "category_uid": CATEGORY_UID,
        "category_name": "Findings",
        "class_uid": CLASS_UID,
        "class_name": "Incident Finding",
        "type_uid": CLASS_UID * 100 + _CREATE,
        "type_name": "Incident Finding: Create",
        "severity_id": severity_id,
        "severity": severity,
        "status_id": status_id,
        "status": status,
        "time": _ms(assessment.as_of),
        "desc": title,
        "is_suspected_breach": bool(statuses & {"breach", "undetermined"}),
        "assignee_group": {"name": ", ".join(parties)},
        "finding_info_list": [_finding(o, assessment.incident_id, assessment.as_of) for o in owed]
        or [
            {
                "uid": f"{assessment.incident_id}/no-notice-owed",
                "title": "no notice owed",
                "created_time": _ms(assessment.as_of),
            }
        ],
        "metadata": {
            "version": OCSF_VERSION,
            "uid": name_uuid("ocsf", assessment.incident_id, format_timestamp(assessment.as_of)),
            "correlation_uid": assessment.incident_id,
            "product": {
                "name": "breachrules",
                "vendor_name": "breachrules contributors",
                "version": __version__,
            },
        },
        "unmapped": {
            "incident_id": assessment.incident_id,
            "as_of": format_timestamp(assessment.as_of),
            "determinations": {d.jurisdiction: d.status for d in assessment.determinations},
            "due": {o.id: format_timestamp(o.due) if o.due else None for o in owed},
            "basis": {o.id: o.basis for o in owed},
            "rulesets": {r.code: r.sha256 or r.version for r in assessment.rulesets},
            "disclaimer": "breachrules supports counsel's judgment; it is not legal advice.",
        },
    }
    if incident is not None:
        event["start_time"] = _ms(incident.occurred_at or incident.discovered_at)
    return event
