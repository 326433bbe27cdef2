"""The stdio adapter's request and response (``examples/integrations/stdio``), as JSON
Schema and as the check of a request's keys.

Low-code tools (Shuffle, Tines) and serverless functions send the adapter a request and
branch on its response; ``breachrules schema stdio-request`` and ``breachrules schema
stdio-response`` print what each holds, so a workflow can be checked before it runs. A
request is an incident document, or an envelope ``{"incident", "as_of", "jurisdictions",
"full"}``: an envelope key the adapter does not know (``"ful": true``) is refused with the
near miss, as an unknown incident field is, rather than silently ignored (the request would
otherwise be answered, exit 0, for every law and without the assessment it asked for).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from breachrules.errors import Problem
from breachrules.model.timestamps import parse_timestamp

__all__ = ["DUTY_KEYS", "REQUEST_KEYS", "request_problems", "request_schema", "response_schema"]

#: The keys of an envelope request, and what each must be.
REQUEST_KEYS: dict[str, str] = {
    "incident": "the incident document (an object)",
    "as_of": "the moment of assessment: an ISO 8601 timestamp with its UTC offset, or null",
    "jurisdictions": "the ruleset codes to apply: a list of codes, or null for every law",
    "full": "true to add the whole assessment document (`assessment`) to the response",
}
_NULLABLE_TEXT: dict[str, Any] = {"type": ["string", "null"]}
_MOMENT: dict[str, Any] = {"type": ["string", "null"], "format": "date-time"}
#: The keys of each duty in ``decisions[].obligations`` and ``contract_duties``
#: (:func:`breachrules.views.exports.playbook.duty`), with their JSON types.
DUTY_KEYS: dict[str, dict[str, Any]] = {
    "id": {"type": "string"},
    "jurisdiction": {"type": "string"},
    "kind": {"enum": ["notice", "record", "assessment"]},
    "duty": {"type": "string"},
    "contractual": {"type": "boolean"},
    "party": _NULLABLE_TEXT,
    "performed_by": _NULLABLE_TEXT,
    "recipient": {"type": "string"},
    "recipient_name": _NULLABLE_TEXT,
    "recipient_party": _NULLABLE_TEXT,
    "status": {"enum": ["required", "conditional"]},
    "due": _MOMENT,
    "deadline": _NULLABLE_TEXT,
    "time_zone": _NULLABLE_TEXT,
    "not_before": _MOMENT,
    "waiting_period": _NULLABLE_TEXT,
    "sent_at": _MOMENT,
    "missing_facts": {"type": "array", "items": {"type": "string"}},
    "basis": {"type": "string"},
}
_DRAFT = "https://json-schema.org/draft/2020-12/schema"


def request_problems(request: Mapping[str, Any]) -> list[Problem]:
    """What is wrong with an envelope request's own keys (not its incident, which
    ``load_incident`` checks): each unknown key with the near miss, and a value of the
    wrong kind."""
    problems: list[Problem] = []
    for key in request:
        if key not in REQUEST_KEYS:
            hint = difflib.get_close_matches(str(key), list(REQUEST_KEYS), n=1)
            problems.append(
                Problem(
                    str(key),
                    "unknown request key"
                    + (f"; did you mean {hint[0]!r}?" if hint else "")
                    + f" (a request has {', '.join(REQUEST_KEYS)})",
                )
            )
    as_of = request.get("as_of")
    if as_of is not None:
        try:
            parse_timestamp(as_of)
        except (TypeError, ValueError) as exc:
            problems.append(Problem("as_of", str(exc)))
    codes = request.get("jurisdictions")
    if codes is not None and (
        not isinstance(codes, list) or not all(isinstance(c, str) for c in codes)
    ):
        problems.append(Problem("jurisdictions", f"{REQUEST_KEYS['jurisdictions']}, not {codes!r}"))
    full = request.get("full")
    if full is not None and not isinstance(full, bool):
        problems.append(Problem("full", f"true or false, not {full!r}"))
    return problems


def request_schema() -> dict[str, Any]:
    """The JSON Schema of a request: an incident document, or an envelope holding one."""
    from breachrules.io.schema import MOMENT_PATTERN

    incident = _incident_schema()
    defs = incident.pop("$defs")
    # The moment given carries the pattern every incident timestamp carries: ``format``
    # alone is not checked by most validators, so "2026-12-01" would validate, and the
    # adapter refuses it (no UTC offset).
    as_of = {**_MOMENT, "pattern": MOMENT_PATTERN, "description": REQUEST_KEYS["as_of"]}
    incident.pop("$schema", None)
    envelope = {
        "type": "object",
        "required": ["incident"],
        "properties": {
            "incident": {"$ref": "#/$defs/Incident", "description": REQUEST_KEYS["incident"]},
            "as_of": as_of,
            "jurisdictions": {
                "type": ["array", "null"],
                "items": {"type": "string"},
                "description": REQUEST_KEYS["jurisdictions"],
            },
            "full": {"type": ["boolean", "null"], "description": REQUEST_KEYS["full"]},
        },
        "additionalProperties": False,
    }
    return {
        "$schema": _DRAFT,
        "title": "breachrules stdio request",
        "description": "An incident document, or an envelope holding one with options.",
        "anyOf": [{"$ref": "#/$defs/Envelope"}, {"$ref": "#/$defs/Incident"}],
        "$defs": {**defs, "Incident": incident, "Envelope": envelope},
    }


def response_schema() -> dict[str, Any]:
    """The JSON Schema of a response: ``ok`` true with the decisions, or ``ok`` false with
    the problems (exit status 2)."""
    assessment = _assessment_schema()
    defs = assessment.pop("$defs")
    assessment.pop("$schema", None)
    duty = {
        "type": "object",
        "required": list(DUTY_KEYS),
        "properties": DUTY_KEYS,
        "additionalProperties": False,
    }
    texts = {"type": "array", "items": {"type": "string"}}
    answered = {
        "type": "object",
        "required": [
            "ok",
            "incident_id",
            "summary",
            "decisions",
            "contract_duties",
            "warnings",
        ],
        "properties": {
            "ok": {"const": True},
            "incident_id": {"type": "string"},
            "summary": {
                "type": "object",
                "required": ["breach", "undetermined", "next_due"],
                "properties": {"breach": texts, "undetermined": texts, "next_due": _MOMENT},
                "additionalProperties": False,
            },
            "decisions": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["jurisdiction", "status", "missing_facts", "obligations"],
                    "properties": {
                        "jurisdiction": {"type": "string"},
                        "status": {"enum": ["breach", "not_breach", "undetermined"]},
                        "missing_facts": texts,
                        "obligations": {"type": "array", "items": {"$ref": "#/$defs/Duty"}},
                    },
                    "additionalProperties": False,
                },
            },
            "contract_duties": {"type": "array", "items": {"$ref": "#/$defs/Duty"}},
            "warnings": texts,
            "assessment": {"$ref": "#/$defs/Assessment"},
            "audit": {
                "type": "object",
                "required": ["log", "event", "hash"],
                "properties": {
                    "log": {"type": "string"},
                    "event": {"type": "integer"},
                    "hash": {"type": "string"},
                },
                "additionalProperties": False,
            },
        },
        "additionalProperties": False,
    }
    refused = {
        "type": "object",
        "required": ["ok", "error", "problems"],
        "properties": {
            "ok": {"const": False},
            "error": {"type": "string"},
            "problems": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["path", "reason"],
                    "properties": {"path": {"type": "string"}, "reason": {"type": "string"}},
                    "additionalProperties": False,
                },
            },
        },
        "additionalProperties": False,
    }
    return {
        "$schema": _DRAFT,
        "title": "breachrules stdio response",
        "description": "ok: the decisions (exit 0); not ok: the problems (exit 2).",
        "oneOf": [{"$ref": "#/$defs/Answered"}, {"$ref": "#/$defs/Refused"}],
        "$defs": {
            **defs,
            "Assessment": assessment,
            "Duty": duty,
            "Answered": answered,
            "Refused": refused,
        },
    }


def _incident_schema() -> dict[str, Any]:
    from breachrules.io.schema import json_schema
    from breachrules.model.facts import Incident

    return json_schema(Incident, "breachrules incident (schema version 1)")


def _assessment_schema() -> dict[str, Any]:
    from breachrules.io.schema import json_schema
    from breachrules.model.decisions import Assessment

    return json_schema(Assessment, "breachrules assessment (schema version 1)")
