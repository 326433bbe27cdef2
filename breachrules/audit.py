"""Audit events: a SHA-256 hash chain over canonical JSON (RFC 8785), sent to structlog.

Each event's ``hash`` is the SHA-256 of the RFC 8785 canonical form of the event without
its ``hash`` field; ``prev_hash`` is the previous event's hash (64 zeros for the first).
Changing, removing, inserting or reordering any event breaks every later link, which
:func:`verify_chain` reports. Event times are the assessment's ``as_of``, never the wall
clock, so the same inputs give byte-identical chains.

The library emits each event through structlog at debug level on the logger
``breachrules.audit`` once the host has configured structlog, and never configures
logging itself: the host decides where events go. (Unconfigured structlog prints to
standard output, which would flood scripts and notebooks with audit lines.)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import rfc8785
import structlog

from breachrules.decisions import AuditEvent

__all__ = ["GENESIS", "canonical", "chain", "event_hash", "verify_chain"]

GENESIS = "0" * 64
_log = structlog.get_logger("breachrules.audit")


_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _plain(value: Any) -> bool:
    """No floats, only ASCII keys: where Python's sorted compact JSON *is* RFC 8785.

    Iterative, with exact type checks: it runs once per audit event, thousands of times
    per assessment of a large incident.
    """
    if type(value) is dict and all(type(v) in _SCALARS for v in value.values()):
        return all(k.isascii() for k in value)  # the common flat detail, checked cheaply
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict:
            for key, inner in item.items():
                if not key.isascii():
                    return False
                stack.append(inner)
        elif kind is list or kind is tuple:
            stack.extend(item)
        elif kind is float or (kind not in _SCALARS and isinstance(item, float)):
            return False
    return True


_SCALARS = frozenset({str, int, bool, type(None)})


def canonical(value: Any) -> bytes:
    """RFC 8785 canonical JSON of ``value``.

    Audit events hold no floats and only ASCII keys; for such values Python's JSON with
    sorted keys and no whitespace is byte-identical to RFC 8785 (a property test checks
    it) and several times faster. Anything else goes through the ``rfc8785`` package.
    """
    if _plain(value):
        return _ENCODER.encode(value).encode("utf-8", "surrogatepass")
    return bytes(rfc8785.dumps(value))


def event_hash(event: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical form of ``event`` without its ``hash`` field."""
    body = {k: v for k, v in event.items() if k != "hash"}
    return hashlib.sha256(canonical(body)).hexdigest()


def chain(
    records: Iterable[tuple[str, str | None, str | None, dict[str, Any]]],
    at: str,
    prev_hash: str = GENESIS,
    start: int = 1,
) -> tuple[AuditEvent, ...]:
    """Link ``(event, rule, jurisdiction, detail)`` records into a hash chain.

    ``prev_hash`` and ``start`` continue an existing chain (a re-assessment's changes
    follow the new assessment's own events).
    """
    out: list[AuditEvent] = []
    emit = structlog.is_configured()
    sha256, encode = hashlib.sha256, _ENCODER.encode
    for seq, (event, rule, jurisdiction, detail) in enumerate(records, start=start):
        body = {
            "seq": seq,
            "event": event,
            "at": at,
            "rule": rule,
            "jurisdiction": jurisdiction,
            "detail": detail,
            "prev_hash": prev_hash,
        }
        # Every field but ``detail`` is an ASCII-keyed string, int or None, so checking
        # ``detail`` alone decides whether the fast canonical form is RFC 8785.
        text = encode(body).encode("utf-8", "surrogatepass") if _plain(detail) else canonical(body)
        digest = sha256(text).hexdigest()
        out.append(AuditEvent(seq, event, at, rule, jurisdiction, detail, prev_hash, digest))
        prev_hash = digest
        if emit:
            _log.debug(event, **{k: v for k, v in body.items() if k != "event"}, hash=digest)
    return tuple(out)


def verify_chain(
    events: Sequence[Mapping[str, Any]], prev_hash: str = GENESIS, start: int = 1
) -> int | None:
    """Index of the first event whose link is broken, or None when the chain is intact."""
    for index, event in enumerate(events):
        if event.get("prev_hash") != prev_hash or event.get("hash") != event_hash(event):
            return index
        if event.get("seq") != index + start:
            return index
        prev_hash = str(event["hash"])
    return None
