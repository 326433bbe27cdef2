#!/usr/bin/env python3
"""JSON in on stdin, JSON out on stdout: for Shuffle, Tines and serverless functions.

Low-code automation tools (Shuffle's "Execute Python"/"Run command", Tines' "Run Script"
or a container action) and serverless platforms pass JSON and read JSON back. Send
either a bare incident document or an envelope::

    {"incident": {...}, "as_of": "2026-03-20T00:00:00Z", "jurisdictions": ["US-CA"],
     "full": false}

and get back::

    {"ok": true, "incident_id": "...", "summary": {"breach": [...], "undetermined":
     [...], "next_due": "..."}, "decisions": [...], "assessment": {...}}

(``assessment``, the full CONTRACT section 4 document, only with ``"full": true``).
Invalid input gives ``{"ok": false, "error": "...", "problems": [{"path", "reason"}]}``
and exit status 2, so a workflow can branch on either. ``handler(event, context)`` is
the same thing for AWS Lambda style functions (an API Gateway event's JSON ``body`` is
read too).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from typing import Any, TextIO

from breachrules import Engine, InvalidIncident, load_incident
from breachrules.errors import InvalidArgument
from breachrules.io.serde import parse_document

_ENGINE: Engine | None = None


def _engine() -> Engine:
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = Engine()
    return _ENGINE


def run(request: Any) -> tuple[int, dict[str, Any]]:
    """Process one request; returns the exit status and the response document."""
    if not isinstance(request, Mapping):
        return 2, {"ok": False, "error": "expected a JSON object", "problems": []}
    envelope = "incident" in request and isinstance(request["incident"], Mapping)
    document = request["incident"] if envelope else request
    options = request if envelope else {}
    try:
        incident = load_incident(document)
        assessment = _engine().assess(
            incident,
            as_of=options.get("as_of") or None,
            jurisdictions=options.get("jurisdictions") or None,
        )
    except InvalidIncident as exc:
        problems = [{"path": p.path, "reason": p.reason} for p in exc.problems]
        return 2, {"ok": False, "error": "invalid incident", "problems": problems}
    except InvalidArgument as exc:
        problems = [{"path": p.path, "reason": p.reason} for p in exc.problems]
        return 2, {"ok": False, "error": "invalid argument", "problems": problems}
    decisions = []
    for d in assessment.determinations:
        if d.status == "not_applicable":
            continue
        decisions.append(
            {
                "jurisdiction": d.jurisdiction,
                "status": d.status,
                "missing_facts": list(d.missing_facts),
                "obligations": [
                    {
                        "id": o.id,
                        "recipient": o.recipient,
                        "status": o.status,
                        "due": o.due.isoformat() if o.due else None,
                        "basis": o.basis,
                    }
                    for o in assessment.obligations
                    if o.jurisdiction == d.jurisdiction and o.status != "not_required"
                ],
            }
        )
    dues = [o.due for o in assessment.obligations if o.status != "not_required" and o.due]
    response: dict[str, Any] = {
        "ok": True,
        "incident_id": assessment.incident_id,
        "summary": {
            "breach": [d["jurisdiction"] for d in decisions if d["status"] == "breach"],
            "undetermined": [d["jurisdiction"] for d in decisions if d["status"] == "undetermined"],
            "next_due": min(dues).isoformat() if dues else None,
        },
        "decisions": decisions,
    }
    if options.get("full"):
        response["assessment"] = assessment.to_dict()
    return 0, response


def main(stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    """Read one request from ``stdin``, write the response to ``stdout``."""
    stream = getattr(stdin, "buffer", None)
    try:
        request = parse_document(stream.read() if stream is not None else stdin.read())
    except InvalidIncident as exc:
        problems = [{"path": p.path, "reason": p.reason} for p in exc.problems]
        status, response = 2, {"ok": False, "error": "not a document", "problems": problems}
    else:
        status, response = run(request)
    json.dump(response, stdout, sort_keys=True, ensure_ascii=False)
    stdout.write("\n")
    return status


def handler(event: Any, context: Any = None) -> dict[str, Any]:
    """AWS Lambda style entry point (also fits API Gateway proxy events)."""
    if isinstance(event, Mapping) and isinstance(event.get("body"), str):
        try:
            event = parse_document(event["body"])
        except InvalidIncident as exc:
            return {"statusCode": 400, "body": json.dumps({"ok": False, "error": str(exc)})}
    status, response = run(event)
    return {
        "statusCode": 200 if status == 0 else 400,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps(response, sort_keys=True, ensure_ascii=False),
    }


if __name__ == "__main__":
    sys.exit(main())
