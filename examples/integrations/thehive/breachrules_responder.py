#!/usr/bin/env python3
"""TheHive / Cortex responder: assess a case with breachrules and act on the case.

Cortex runs a responder with the case on standard input (``{"data": <case>,
"dataType": "thehive:case", "config": {...}}``) and reads a report on standard output
(``{"success": true, "full": ..., "operations": [...]}``); TheHive then applies the
operations to the case. This responder returns:

- ``AddCustomFields``: ``breachrulesStatus`` (the most serious status across the laws
  that reach the case: breach > undetermined > not_breach) and ``breachrulesNextDue``
  (the earliest due date of a required or conditional obligation not yet sent);
- one ``CreateTask`` per required or conditional obligation, titled with the obligation
  id, with the statute, the deadline text and the content requirements in the
  description. TheHive's ``CreateTask`` operation keeps only ``title`` and
  ``description``, so the due date travels in the description, on its first line in a
  fixed form a TheHive user (or a TheHive webhook) can read and sort on:
  ``Due: 2026-04-01T23:59:59-07:00 (1775113199000 epoch ms)``; ``breachrulesNextDue``
  holds the earliest. The second line says who does what, in words: ``emerald notifies
  nordlicht (the data owner)`` (the sending party's id, then the recipient's: its party
  id where it is a party of the incident, else its name or a plain description), and
  marks a duty under a contract between the parties as contractual, not law (a record
  or an assessment is never worded as a notice: ``org keeps a record of the breach for
  ...``). The lines after it give the deadline (with the zone where the law's days are
  counted), ``Not before:`` where the law sets a waiting period (``not known yet``: do
  not send), ``Sent:`` where the incident records the notice sent, and the basis;
- ``AddTagToCase``: ``breachrules:<status>`` and ``breach:<jurisdiction>`` per law that
  finds a breach.

The case's custom fields (TheHive 4 shape, ``{"name": {"string": ...}}``) supply the
facts: ``breachrulesIncident`` (a whole incident document as JSON text) or the simple
fields ``breachDiscoveredAt`` (date; unset, the case ``startDate``, with a warning naming
it and its value: every deadline runs from discovery), ``breachDataElements``
and ``breachOrganizationTypes`` (comma lists), ``breachResidents`` (JSON object of
residence code to count), ``breachEncrypted`` / ``breachAcquired`` / ``breachAccessed`` /
``breachGoodFaithInsider`` (booleans; absent is unknown), ``breachOrganization``,
``breachEstablishedIn``. A problem names the custom field it is in
(``breachResidents (exposures[0].residents.US-MX): ...``); a field not read whose name
starts with ``breach`` or nearly matches one (``breachEncryptd``) is warned of, never
silently ignored.

``cortexutils`` is used when installed; otherwise a small stand-in with the same
methods (``get_data``, ``report``, ``build_operation``, ``error``) is used, so the
responder can be tried without Cortex: ``python breachrules_responder.py <
sample_job.json``.

The audit: with ``audit_log`` set in the responder's configuration (a path on the Cortex
host, set by the administrator), each assessment is also appended to that breachrules
audit log (the case's incident document and the assessment, whole), as ``breachrules
assess --audit-log`` does; ``BREACHRULES_AUDIT_KEY_FILE`` keys it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from breachrules import Engine, InvalidIncident, Problem, load_incident
from breachrules.io.serde import parse_document
from breachrules.views.exports.fields import Fields

try:  # pragma: no cover - only where cortexutils is installed
    from cortexutils.responder import Responder  # type: ignore[import-not-found]
except ImportError:

    class Responder:  # type: ignore[no-redef]
        """Stand-in for cortexutils.responder.Responder (the parts used here)."""

        def __init__(self, job: Mapping[str, Any] | None = None) -> None:
            self._input = dict(job) if job is not None else json.load(sys.stdin)
            self.data_type = self._input.get("dataType")
            self.output: dict[str, Any] | None = None

        def get_data(self) -> Any:
            return self._input.get("data")

        def get_param(self, name: str, default: Any = None, message: str | None = None) -> Any:
            node: Any = self._input
            for part in name.split("."):
                node = node.get(part) if isinstance(node, Mapping) else None
            return default if node is None else node

        def build_operation(self, op_type: str, **parameters: Any) -> dict[str, Any]:
            return {"type": op_type, **parameters}

        def operations(self, raw: Any) -> list[dict[str, Any]]:
            return []

        def report(self, full_report: Any, ensure_ascii: bool = False) -> None:
            self.output = {
                "success": True,
                "full": full_report,
                "operations": self.operations(full_report),
            }
            json.dump(self.output, sys.stdout, ensure_ascii=ensure_ascii)

        def error(self, message: str, ensure_ascii: bool = False) -> None:
            self.output = {"success": False, "input": self._input, "errorMessage": message}
            json.dump(self.output, sys.stdout, ensure_ascii=ensure_ascii)


_RANK = {"breach": 0, "undetermined": 1, "not_breach": 2}

#: The recipient words of the contract, said plainly (a ruleset's own words pass as they are).
_RECIPIENTS = {
    "individuals": "the affected individuals",
    "attorney_general": "the attorney general",
    "regulator": "the regulator",
    "consumer_reporting_agencies": "the consumer reporting agencies",
    "media": "the media",
    "law_enforcement": "law enforcement",
    "data_owner": "the data owner",
    "controller": "the controller",
    "covered_entity": "the covered entity",
}


def who_does_what(o: Mapping[str, Any]) -> str:
    """``<sender> notifies <recipient>``: the sending party's id (and for whom, where
    another performs it), then the recipient party's id where the recipient is a party
    of the incident, else the recipient's name or the recipient in words."""
    sender = str(o.get("performed_by") or o["party"])
    if o.get("performed_by") and o["performed_by"] != o["party"]:
        sender += f" (for {o['party']})"
    plain = _RECIPIENTS.get(str(o["recipient"]), str(o["recipient"]).replace("_", " "))
    if o.get("recipient_party"):
        recipient = f"{o['recipient_party']} ({plain})"
    else:
        recipient = str(o.get("recipient_name") or plain)
    kind = o.get("kind") or "notice"
    if kind == "record" and o["recipient"] == "internal":
        return f"{sender} keeps a record of the breach (its own; nothing is sent)"
    if kind == "record":
        return f"{sender} keeps a record of the breach for {recipient}"
    if kind == "assessment" or o["recipient"] == "internal":
        return f"{sender} completes its assessment of the breach"
    return f"{sender} notifies {recipient}"


def _when(o: Mapping[str, Any]) -> list[str]:
    """The task's lines on time: the deadline (and the zone where the law's days are
    counted), the earliest moment a waiting period lets the notice go, and when it was
    sent where the incident records it."""
    deadline = o["deadline"]
    due = [f"due {o['due']}"] if o["due"] else []
    if deadline.get("time_zone"):
        due.append(f"days counted in {deadline['time_zone']}")
    lines = [f"Deadline: {deadline['text']}" + (f" ({'; '.join(due)})" if due else "")]
    wait = deadline.get("not_before")
    if wait:
        lines.append(
            f"Not before: {o['not_before']} ({wait.get('text')})"
            if o.get("not_before")
            else f"Not before: not known yet ({wait.get('text')}); do not send until it is"
        )
    if o.get("sent_at"):
        lines.append(f"Sent: {o['sent_at']} (as the incident records it)")
    return lines


def _field(case: Mapping[str, Any], name: str) -> Any:
    """A TheHive custom field's value, whatever its type (string, date, boolean, ...)."""
    entry = (case.get("customFields") or {}).get(name)
    if not isinstance(entry, Mapping):
        return None
    for kind in ("string", "date", "boolean", "integer", "float"):
        if entry.get(kind) is not None:
            return entry[kind]
    return None


def _ms_to_iso(value: Any) -> str | None:
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value / 1000, tz=UTC).isoformat()
    return str(value) if value else None


def _list(value: Any) -> list[str]:
    return [v.strip() for v in str(value or "").split(",") if v.strip()]


#: The simple custom fields the responder reads (beside ``breachrulesIncident``), and the
#: ones it writes itself (never warned of as unread).
FIELDS = (
    "breachDiscoveredAt",
    "breachDataElements",
    "breachOrganizationTypes",
    "breachResidents",
    "breachEncrypted",
    "breachAcquired",
    "breachAccessed",
    "breachGoodFaithInsider",
    "breachOrganization",
    "breachEstablishedIn",
)
WRITTEN = ("breachrulesIncident", "breachrulesStatus", "breachrulesNextDue")


def incident_from_case(case: Mapping[str, Any]) -> dict[str, Any]:
    """The breachrules incident document for a TheHive case."""
    return read_case(case, Fields())


def read_case(case: Mapping[str, Any], fields: Fields) -> dict[str, Any]:
    """The incident document for a TheHive case, noting in ``fields`` the custom field
    each of its values came from (:class:`~breachrules.views.exports.fields.Fields`: a
    problem names the field, and a fallback or an unread field is warned of)."""
    given = [str(n) for n in (case.get("customFields") or {}) if _field(case, n) is not None]
    whole = _field(case, "breachrulesIncident")
    if whole:
        fields.sources[""] = "breachrulesIncident"
        parsed = parse_document(whole)
        if not isinstance(parsed, Mapping):
            raise InvalidIncident([Problem("(document)", "expected a JSON object")])
        doc: dict[str, Any] = dict(parsed)
        doc.setdefault("id", str(case.get("_id") or case.get("id")))
        fields.unread([n for n in given if n not in FIELDS], FIELDS, WRITTEN)
        fields.overridden("breachrulesIncident", [n for n in given if n in FIELDS])
        return doc
    fields.unread(given, FIELDS, WRITTEN)
    return {
        "schema_version": "1",
        "id": f"THEHIVE-{case.get('caseId') or case.get('_id')}",
        "title": case.get("title"),
        "discovered_at": _discovered(case, fields),
        "parties": [
            {
                "id": "org",
                "name": _field(case, "breachOrganization") or "Our organisation",
                "data_role": "owner",
                "types": fields.put(
                    "parties[0].types",
                    "breachOrganizationTypes",
                    _list(_field(case, "breachOrganizationTypes")),
                ),
                "established_in": fields.put(
                    "parties[0].established_in",
                    "breachEstablishedIn",
                    _list(_field(case, "breachEstablishedIn")),
                ),
            }
        ],
        "exposures": [
            {
                "elements": fields.put(
                    "exposures[0].elements",
                    "breachDataElements",
                    _list(_field(case, "breachDataElements")),
                ),
                "residents": fields.counts(
                    "exposures[0].residents", "breachResidents", _field(case, "breachResidents")
                ),
                "encrypted": fields.put(
                    "exposures[0].encrypted", "breachEncrypted", _field(case, "breachEncrypted")
                ),
                "acquired": fields.put(
                    "exposures[0].acquired", "breachAcquired", _field(case, "breachAcquired")
                ),
                "accessed": fields.put(
                    "exposures[0].accessed", "breachAccessed", _field(case, "breachAccessed")
                ),
            }
        ],
        "good_faith_insider": fields.put(
            "good_faith_insider", "breachGoodFaithInsider", _field(case, "breachGoodFaithInsider")
        ),
        "extensions": {"thehive": {"case_id": case.get("_id"), "case_number": case.get("caseId")}},
    }


def _discovered(case: Mapping[str, Any], fields: Fields) -> str | None:
    """``breachDiscoveredAt``; unset, the case's ``startDate`` with a warning naming it and
    its value: every deadline runs from discovery, and a case opened after the breach was
    discovered gives later due dates than the law's."""
    discovered = _ms_to_iso(_field(case, "breachDiscoveredAt"))
    if discovered or not case.get("startDate"):
        return fields.put("discovered_at", "breachDiscoveredAt", discovered)
    start = _ms_to_iso(case.get("startDate"))
    return fields.fallback("discovered_at", "breachDiscoveredAt", "the case's startDate", start)


class BreachRulesResponder(Responder):  # type: ignore[misc]
    """Cortex responder ``BreachRules_Assess`` (data type ``thehive:case``)."""

    engine: Engine | None = None

    def run(self) -> None:
        case = self.get_data()
        fields = Fields()
        try:
            incident = load_incident(read_case(case, fields))
        except InvalidIncident as exc:
            named = fields.refused(exc)
            self.error(f"breachrules: the case does not describe a valid incident: {named}")
            return
        except ValueError as exc:
            self.error(f"breachrules: the case does not describe a valid incident: {exc}")
            return
        if BreachRulesResponder.engine is None:
            BreachRulesResponder.engine = Engine()
        assessment = fields.onto(BreachRulesResponder.engine.assess(incident))
        audit_log = self.get_param("config.audit_log")
        if audit_log:
            from breachrules.audit.log import AuditLog

            AuditLog(str(audit_log)).record_assessment(incident, assessment)
        self.report(assessment.to_dict())

    def operations(self, raw: Any) -> list[dict[str, Any]]:
        reached = [d for d in raw["determinations"] if d["status"] != "not_applicable"]
        status = min((d["status"] for d in reached), key=_RANK.__getitem__, default="not_breach")
        open_ = [o for o in raw["obligations"] if o["status"] != "not_required"]
        dues = sorted(
            datetime.fromisoformat(o["due"]) for o in open_ if o["due"] and not o.get("sent_at")
        )
        ops = [
            self.build_operation(
                "AddCustomFields", name="breachrulesStatus", value=status, tpe="string"
            )
        ]
        if dues:
            due_ms = int(dues[0].timestamp() * 1000)
            ops.append(
                self.build_operation(
                    "AddCustomFields", name="breachrulesNextDue", value=due_ms, tpe="date"
                )
            )
        for o in open_:
            due_line = (
                f"Due: {o['due']} ({int(datetime.fromisoformat(o['due']).timestamp() * 1000)}"
                " epoch ms)"
                if o["due"]
                else "Due: no fixed date (" + o["deadline"]["text"] + ")"
            )
            duty = " (a duty under a contract, not law)" if o["jurisdiction"] == "contract" else ""
            lines = [due_line, f"**{o['status']}**{duty}: {who_does_what(o)}.", *_when(o)]
            lines.append(f"Basis: {o['basis']}")
            if o["missing_facts"]:
                lines.append("Decided by: " + ", ".join(o["missing_facts"]))
            lines += [f"- {c}" for c in o["content_requirements"]]
            task: dict[str, Any] = {"title": o["id"], "description": "\n".join(lines)}
            ops.append(self.build_operation("CreateTask", **task))
        ops.append(self.build_operation("AddTagToCase", tag=f"breachrules:{status}"))
        ops += [
            self.build_operation("AddTagToCase", tag=f"breach:{d['jurisdiction']}")
            for d in reached
            if d["status"] == "breach"
        ]
        return ops


if __name__ == "__main__":
    BreachRulesResponder().run()
