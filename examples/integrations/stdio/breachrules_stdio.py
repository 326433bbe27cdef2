#!/usr/bin/env python3
"""JSON in on stdin, JSON out on stdout: for Shuffle, Tines and serverless functions.

Low-code automation tools (Shuffle's "Execute Python"/"Run command", Tines' "Run Script"
or a container action) and serverless platforms pass JSON and read JSON back. Send
either a bare incident document or an envelope::

    {"incident": {...}, "as_of": "2026-03-20T00:00:00Z", "jurisdictions": ["US-CA"],
     "full": false}

and get back::

    {"ok": true, "incident_id": "...", "summary": {"breach": [...], "undetermined":
     [...], "next_due": "..."}, "decisions": [...], "contract_duties": [...],
     "warnings": [...]}

always (``warnings``: what the engine could not decide or check), and ``assessment``
(the full CONTRACT section 4 document) only with ``"full": true``. ``decisions`` has one
entry per law that reaches the incident, each with its owed ``obligations`` (a duty
relayed up a chain of providers, ``<id>@<party>``, among its law's); ``contract_duties``
the duties under contracts between the parties (not law, so not among the decisions:
``contractual`` is true). Every obligation says what it is, ``kind`` (``notice``: one to
send; ``record``: a record the party keeps; ``assessment``: one it completes) and ``duty``
(the same in words, which never make a record or an assessment a notice), names the
``party`` that sends it (``performed_by`` where a contract makes another do it) and the
``recipient_party`` where the recipient is a party of the incident, and gives ``due``,
``time_zone`` (where the law's days are counted), ``not_before`` with the
``waiting_period`` it comes from (while ``not_before`` is null under a waiting period,
the notice must not be sent yet) and ``sent_at`` where the incident records it sent.
``summary.next_due`` is the earliest due date of all of them not yet sent, contract
duties included.
With ``BREACHRULES_AUDIT_LOG`` set in the environment (a path the host chooses; a request
cannot), each assessment is also appended to that breachrules audit log, and the
response says where (``audit``: ``log``, ``event``, ``hash``).
Invalid input gives ``{"ok": false, "error": "...", "problems": [{"path", "reason"}]}``
and exit status 2, so a workflow can branch on either; an envelope key it does not know
(``"ful"``) is invalid input too, with the near miss. ``breachrules schema stdio-request``
and ``breachrules schema stdio-response`` print the JSON Schemas of both.
``handler(event, context)`` is the same thing for AWS Lambda: a direct invoke (the
event is the request) is answered with the plain response document; an API Gateway or
function-URL event (it has a ``body``, base64-encoded when ``isBase64Encoded`` is true)
with the HTTP shape ``{"statusCode", "headers", "body"}``.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import sys
from collections.abc import Mapping
from typing import Any, TextIO

from breachrules import Engine, InvalidIncident, load_incident
from breachrules.errors import InvalidArgument
from breachrules.io.serde import parse_document
from breachrules.views.exports.fields import json_kind
from breachrules.views.exports.playbook import duty, next_due, owed
from breachrules.views.exports.stdio import request_problems

_ENGINE: Engine | None = None
AUDIT_LOG_ENV = "BREACHRULES_AUDIT_LOG"


def _engine() -> Engine:
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = Engine()
    return _ENGINE


def _refused(error: str, problems: list[dict[str, str]]) -> dict[str, Any]:
    """A refusal: every one names at least one problem (``problems[0].path``), so a
    workflow that reads the first problem never finds the list empty."""
    return {"ok": False, "error": error, "problems": problems}


def run(request: Any) -> tuple[int, dict[str, Any]]:
    """Process one request; returns the exit status and the response document."""
    if not isinstance(request, Mapping):
        kind = json_kind(request)
        reason = (
            f"expected a JSON object (an incident document, or an envelope holding one), got {kind}"
        )
        return 2, _refused("expected a JSON object", [{"path": "(document)", "reason": reason}])
    envelope = "incident" in request and isinstance(request["incident"], Mapping)
    document = request["incident"] if envelope else request
    options = request if envelope else {}
    wrong = request_problems(request) if envelope else []
    if wrong:  # "ful": true would otherwise be ignored, and every law assessed
        problems = [{"path": p.path, "reason": p.reason} for p in wrong]
        return 2, {"ok": False, "error": "invalid request", "problems": problems}
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
    duties = owed(assessment)
    decisions = []
    for d in assessment.determinations:
        if d.status == "not_applicable":
            continue
        decisions.append(
            {
                "jurisdiction": d.jurisdiction,
                "status": d.status,
                "missing_facts": list(d.missing_facts),
                "obligations": [duty(o) for o in duties if o.jurisdiction == d.jurisdiction],
            }
        )
    # Every owed duty is listed once: a law's (its relays up a chain of providers
    # included, ``<id>@<party>``) under its decision, anything else (a contract's) here.
    laws = {d["jurisdiction"] for d in decisions}
    response: dict[str, Any] = {
        "ok": True,
        "incident_id": assessment.incident_id,
        "summary": {
            "breach": [d["jurisdiction"] for d in decisions if d["status"] == "breach"],
            "undetermined": [d["jurisdiction"] for d in decisions if d["status"] == "undetermined"],
            "next_due": next_due(duties),
        },
        "decisions": decisions,
        "contract_duties": [duty(o) for o in duties if o.jurisdiction not in laws],
        "warnings": list(assessment.warnings),
    }
    if options.get("full"):
        response["assessment"] = assessment.to_dict()
    if os.environ.get(AUDIT_LOG_ENV):
        from breachrules.audit.log import AuditLog

        log = AuditLog(os.environ[AUDIT_LOG_ENV])
        event = log.record_assessment(incident, assessment)
        response["audit"] = {"log": str(log.path), "event": event.seq, "hash": event.hash}
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


def _http(status: int, response: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps(response, sort_keys=True, ensure_ascii=False),
    }


def handler(event: Any, context: Any = None) -> dict[str, Any]:
    """AWS Lambda entry point.

    A direct invoke (``aws lambda invoke``, a Step Functions task) passes the request
    itself and gets the response document back. An API Gateway proxy or function-URL
    event carries the request as its ``body`` (base64 when ``isBase64Encoded``) and gets
    an HTTP response: 200, or 400 with the problems.
    """
    if not (isinstance(event, Mapping) and "body" in event and "incident" not in event):
        return run(event)[1]
    body = event.get("body") or ""
    try:
        if event.get("isBase64Encoded"):
            body = base64.b64decode(body, validate=True).decode("utf-8")
        request = parse_document(body)
    except InvalidIncident as exc:
        problems = [{"path": p.path, "reason": p.reason} for p in exc.problems]
        return _http(400, _refused(str(exc), problems))
    except (binascii.Error, UnicodeDecodeError) as exc:
        return _http(400, _refused(f"body: {exc}", [{"path": "body", "reason": str(exc)}]))
    status, response = run(request)
    return _http(200 if status == 0 else 400, response)


if __name__ == "__main__":
    sys.exit(main())
