"""``Assessment.to_dict()``: the assessment document, written field by field.

The cattrs converter of :mod:`breachrules.io.serde` can produce the same document
(``unstructure_assessment``), but it dispatches on every value's type: for an incident
that reaches every bundled ruleset that took about a third of the time of the assessment
itself. The engine's results already hold only JSON values, tuples, timestamps and the
classes of :mod:`breachrules.model.decisions`, so each class is written here by a plain
function. A test compares the two on every example and on generated incidents, so the
document stays exactly the converter's (key order included).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from breachrules.model.decisions import (
    Assessment,
    AuditEvent,
    Contact,
    Deadline,
    Determination,
    Liability,
    Obligation,
    Reason,
    RulesetRef,
    SubstituteNotice,
)
from breachrules.model.timestamps import format_timestamp

__all__ = ["assessment_document", "assessment_json", "json_value"]


def json_value(value: Any) -> Any:
    """A fresh copy of a JSON-like value, as the converter writes ``Any``: tuples become
    lists, timestamps strings (the caller may change the copy freely)."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is dict:
        return _fresh(value)
    if kind is list or kind is tuple:
        out = list(value)
        for i, v in enumerate(out):
            if type(v) not in _SCALARS:
                out[i] = json_value(v)
        return out
    if isinstance(value, datetime):
        return format_timestamp(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _fresh(value: dict[str, Any]) -> dict[str, Any]:
    """A fresh copy of a JSON-like dict (see ``json_value``). Copied whole, then each
    value that is not a scalar replaced by its copy: on Python 3.11 a comprehension is a
    function call of its own, and most of the dicts copied here hold only scalars."""
    out = value.copy()
    for k, v in value.items():
        kind = type(v)
        if kind is list:  # the usual inner value: a list of scalars (words, indexes)
            inner = v.copy()
            for i, item in enumerate(v):
                if type(item) not in _SCALARS:
                    inner[i] = json_value(item)
            out[k] = inner
        elif kind is dict:  # or a mapping of scalars (residents by place)
            inner = v.copy()
            for key, item in v.items():
                if type(item) not in _SCALARS:
                    inner[key] = json_value(item)
            out[k] = inner
        elif kind not in _SCALARS:
            out[k] = json_value(v)
    return out


def _reason(r: Reason) -> dict[str, Any]:
    facts = r.facts
    doc = {
        "rule": r.rule,
        "text": r.text,
        "citation": r.citation,
        "facts": _fresh(facts) if facts else {},
    }
    if r.exposure_facts:  # written only when the reason refers to the audit's facts event
        doc["exposure_facts"] = list(r.exposure_facts)
    return doc


def _determination(d: Determination) -> dict[str, Any]:
    return {
        "jurisdiction": d.jurisdiction,
        "status": d.status,
        "reasons": list(map(_reason, d.reasons)),
        "missing_facts": list(d.missing_facts) if d.missing_facts else [],
        "presumed_unless": list(d.presumed_unless) if d.presumed_unless else [],
    }


def _deadline(d: Deadline) -> dict[str, Any]:
    """A deadline's document: a copy of the one made for the same object before, where it
    holds only scalars (the deadlines of a law's duties are the compiled law's, the same
    objects in every assessment; one with a cap, a way of counting or a waiting period is
    each obligation's own, and written afresh)."""
    if d.cap is None and d.counting is None and d.not_before is None:
        found = _DEADLINES.get(id(d))
        if found is not None and found[0] is d:
            return found[1].copy()
        doc = _deadline_doc(d)
        if len(_DEADLINES) >= _KEPT:
            _DEADLINES.clear()
        _DEADLINES[id(d)] = (d, doc)
        return doc.copy()
    return _deadline_doc(d)


#: The documents of deadlines that hold only scalars, by the deadline's id (with the
#: deadline, which keeps its id from being reused while it is kept).
_DEADLINES: dict[int, tuple[Deadline, dict[str, Any]]] = {}
#: At most this many are kept.
_KEPT = 4096


def _deadline_doc(d: Deadline) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "text": d.text,
        "from": d.from_,
        "days": d.days,
        "hours": d.hours,
        "business_days": d.business_days,
        "calendar": d.calendar,
        "cap": None if d.cap is None else json_value(d.cap),
    }
    # Later extensions, written only when set (as the converter's omit_if_default does),
    # so that an assessment without them reads and hashes exactly as before.
    if d.months is not None:
        doc["months"] = d.months
    if d.counting is not None:
        doc["counting"] = json_value(d.counting)
    if d.not_before is not None:
        doc["not_before"] = json_value(d.not_before)
    if d.time_zone is not None:
        doc["time_zone"] = d.time_zone
    if d.or_when is not None:
        doc["or_when"] = d.or_when
    return doc


def _substitute(s: SubstituteNotice | None) -> dict[str, Any] | None:
    if s is None:
        return None
    return {
        "text": s.text,
        "citation": s.citation,
        "cost_exceeds": s.cost_exceeds,
        "persons_exceed": s.persons_exceed,
        "persons_threshold_met": s.persons_threshold_met,
    }


def _contact(c: Contact) -> dict[str, Any]:
    return {
        "id": c.id,
        "name": c.name,
        "source": c.source,
        "verified": c.verified,
        "last_reviewed": c.last_reviewed,
        "portal": c.portal,
        "email": c.email,
        "postal_address": c.postal_address,
        "phone": c.phone,
        "form_fields": list(c.form_fields),
        "scope": c.scope,
        "note": c.note,
    }


def _obligation(o: Obligation) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": o.id,
        "jurisdiction": o.jurisdiction,
        "party": o.party,
        "recipient": o.recipient,
        "status": o.status,
        "deadline": _deadline(o.deadline),
        "basis": o.basis,
        "recipient_name": o.recipient_name,
        "due": None if o.due is None else format_timestamp(o.due),
        "content_requirements": list(o.content_requirements),
        "missing_facts": list(o.missing_facts),
        "reasons": list(map(_reason, o.reasons)),
        "overdue": o.overdue,
        "substitute_notice": None
        if o.substitute_notice is None
        else _substitute(o.substitute_notice),
        "recipient_party": o.recipient_party,
        "performed_by": o.performed_by,
        "recipient_contacts": list(map(_contact, o.recipient_contacts))
        if o.recipient_contacts
        else [],
        "kind": o.kind,
    }
    if o.deadline.not_before is not None:  # only where the law sets a waiting period
        doc["not_before"] = None if o.not_before is None else format_timestamp(o.not_before)
    if o.sent_at is not None:  # only where the incident records the notice as sent
        doc["sent_at"] = format_timestamp(o.sent_at)
    if o.law is not None:  # only where the duty is owed under another act than the ruleset's
        doc["law"] = {"name": o.law.name, "citation": o.law.citation}
    if o.deemed_compliance is not None:  # only where a deemed-compliance exception holds
        d = o.deemed_compliance
        doc["deemed_compliance"] = {
            "exception": d.exception,
            "citation": d.citation,
            "procedures": d.procedures,
        }
    return doc


def _liability(item: Liability) -> dict[str, Any]:
    return {
        "party": item.party,
        "role": item.role,
        "bears_costs": item.bears_costs,
        "notifies_individuals": item.notifies_individuals,
        "basis": item.basis,
        "notifies": list(item.notifies),
        "indemnity": item.indemnity,
        "liability_cap": item.liability_cap,
    }


def _event(e: AuditEvent) -> dict[str, Any]:
    detail = e.detail
    return {
        "seq": e.seq,
        "event": e.event,
        "at": e.at,
        "rule": e.rule,
        "jurisdiction": e.jurisdiction,
        "detail": _facts_detail(detail) if e.event == "facts" else _fresh(detail),
        "prev_hash": e.prev_hash,
        "hash": e.hash,
    }


_SCALARS = frozenset({str, int, bool, type(None)})


def _facts_detail(detail: dict[str, Any]) -> dict[str, Any]:
    """A copy of the ``facts`` event's detail, which holds every exposure's facts: flags
    and counts, the ``elements`` list and the ``residents`` mapping (what
    ``engine.audit.exposure_facts`` records). Copied by shape, three times faster than
    :func:`json_value`'s walk over a thousand exposures."""
    exposures = detail.get("exposures")
    if len(detail) == 1 and type(exposures) is list:
        try:
            return {
                "exposures": [
                    {**e, "elements": list(e["elements"]), "residents": dict(e["residents"])}
                    for e in exposures
                ]
            }
        except (KeyError, TypeError):  # not the engine's own record (a stored document)
            pass
    return _fresh(detail)


def _ruleset(r: RulesetRef) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "code": r.code,
        "version": r.version,
        "citation": r.citation,
        "name": r.name,
        "last_reviewed": r.last_reviewed,
        "sha256": r.sha256,
    }
    if r.kind is not None:  # written only for a policy: a law's entry stays as before
        doc["kind"] = r.kind
    return doc


def assessment_document(a: Assessment) -> dict[str, Any]:
    """The contract document for ``a`` (CONTRACT section 4), every value a fresh copy."""
    return {
        "incident_id": a.incident_id,
        "as_of": format_timestamp(a.as_of),
        "rulesets": list(map(_ruleset, a.rulesets)),
        "determinations": list(map(_determination, a.determinations)),
        "obligations": list(map(_obligation, a.obligations)),
        "liability": list(map(_liability, a.liability)),
        "audit": list(map(_event, a.audit)),
        "schema_version": a.schema_version,
        "warnings": list(a.warnings),
    }


#: Where the audit goes in the indented document: a string no other field can open with
#: (the audit is the second key in sorted order, after ``as_of``, a timestamp).
_AUDIT_MARK = json.dumps("\u0000audit\u0000")


def assessment_json(document: dict[str, Any]) -> str:
    """The assessment document as JSON text: sorted keys, two-space indent, UTF-8, and
    each audit event on one line of its own (as the audit log writes them).

    An event's detail may list a thousand exposures' facts or indexes; indented, every
    value took a line of its own and the audit tripled in size. Still one JSON document,
    deterministic, byte-identical for the same inputs.
    """
    audit = document.get("audit")
    if not isinstance(audit, list) or not audit:
        return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False)
    text = json.dumps(
        {**document, "audit": "\u0000audit\u0000"}, sort_keys=True, indent=2, ensure_ascii=False
    )
    events = ",\n    ".join([json.dumps(e, sort_keys=True, ensure_ascii=False) for e in audit])
    return text.replace(_AUDIT_MARK, f"[\n    {events}\n  ]", 1)
