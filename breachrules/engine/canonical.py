"""Canonical JSON (RFC 8785) for the audit chain, and the audit details' own encoders.

Audit events hold no floats and only ASCII keys: for such values Python's JSON with
sorted keys and no whitespace is byte-identical to RFC 8785 (a property test checks it)
and several times faster than the ``rfc8785`` package, which is kept for anything else.
Kept apart from :mod:`breachrules.engine.audit`, which builds and reads the chain.

The engine's own details are of a few known shapes; :mod:`~breachrules.engine.audit`
writes each by hand with :func:`quote`, :func:`strings` and :func:`ints` (and a breach
rule's ``rule_values`` detail with :func:`rule_values_text`), as :func:`encode_detail`
would (sorted keys, compact), in about half its time. What recurs in every assessment (an
event's name, jurisdiction and rule, the exposure fields a rule reads, the statuses) is
quoted once per process and kept (:data:`WHERE`, :data:`RULE`, :data:`QUOTED`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import rfc8785

__all__ = [
    "QUOTED",
    "RULE",
    "WHERE",
    "canonical",
    "encode_detail",
    "field_names",
    "ints",
    "is_plain",
    "quote",
    "rule_text",
    "rule_values_text",
    "strings",
    "where_text",
]

_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
#: How ``_ENCODER`` writes a string (with ``ensure_ascii=False``): quotes and escapes.
quote: Any = json.encoder.encode_basestring


def _detail_encoder() -> Any:
    """``_ENCODER.encode`` for the dicts of audit details, without its per-call set-up.

    ``JSONEncoder.encode`` builds a new C encoder on every call, which costs more than the
    encoding of a small detail; this builds it once (the same arguments ``encode`` passes,
    without the circular-reference check: details are parsed JSON or engine records).
    """
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # pragma: no cover - CPython without the _json accelerator
        return _ENCODER.encode
    encoder = make(None, _ENCODER.default, quote, None, ":", ",", True, False, True)
    return lambda value: "".join(encoder(value, 0))


#: The compact sorted JSON of a plain value (see :func:`is_plain`).
encode_detail = _detail_encoder()


def is_plain(value: Any) -> bool:
    """No floats, only ASCII keys: where Python's sorted compact JSON *is* RFC 8785.

    Iterative, with exact type checks: it runs once per audit event, thousands of times
    per assessment of a large incident.
    """
    if type(value) is dict:
        # The common detail: scalars and lists of scalars under a few ASCII keys.
        for inner in value.values():
            if type(inner) in _SCALARS:
                continue
            if type(inner) is not list or not _SCALARS.issuperset(map(type, inner)):
                break
        else:
            return "".join(value).isascii()
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
    if is_plain(value):
        return _ENCODER.encode(value).encode("utf-8", "surrogatepass")
    return bytes(rfc8785.dumps(value))


def strings(items: Iterable[str]) -> str:
    """A list of strings as the detail encoder writes it."""
    if not items:  # the usual list of missing facts: none
        return "[]"
    return f"[{','.join(map(quote, items))}]"


def field_names(items: list[str] | tuple[str, ...]) -> str:
    """:func:`strings` for a list that recurs in every assessment (the exposure fields a
    rule reads, what its ``rule_values`` events name): written once per process, at most
    ``_WHERE_KEPT`` kept."""
    key = tuple(items)
    text = _FIELDS.get(key)
    if text is None:
        if len(_FIELDS) >= _WHERE_KEPT:
            _FIELDS.clear()
        text = _FIELDS[key] = strings(key)
    return text


_FIELDS: dict[tuple[str, ...], str] = {}


def ints(items: Iterable[int]) -> str:
    """A list of whole numbers (exposure indexes) as the detail encoder writes it."""
    return f"[{','.join(map(str, items))}]"


#: ``where_text(event, jurisdiction)``, kept: the part of an audit event's canonical text
#: between its detail and its ``prev_hash`` (see ``audit.Chain.add_encoded``).
WHERE: dict[tuple[str, str | None], str] = {}


def where_text(event: str, jurisdiction: str | None) -> str:
    """An event's name and jurisdiction as its canonical text has them, quoted once per
    process (the same few hundred pairs recur in every assessment: the rulesets' codes);
    at most ``_WHERE_KEPT`` are kept (a contract's obligations name their own)."""
    text = (
        f',"event":{quote(event)},"jurisdiction":'
        f'{"null" if jurisdiction is None else quote(jurisdiction)},"prev_hash":"'
    )
    if len(WHERE) >= _WHERE_KEPT:
        WHERE.clear()
    WHERE[event, jurisdiction] = text
    return text


#: ``rule_text(rule)``, kept: the part of an event's canonical text between its
#: ``prev_hash`` and its ``seq``.
RULE: dict[str | None, str] = {}


def rule_text(rule: str | None) -> str:
    """An event's rule as its canonical text has it (see :func:`where_text`): quoted once
    per process, at most ``_WHERE_KEPT`` kept."""
    text = f'","rule":{"null" if rule is None else quote(rule)},"seq":'
    if len(RULE) >= _WHERE_KEPT:
        RULE.clear()
    RULE[rule] = text
    return text


_WHERE_KEPT = 4096


def rule_values_text(detail: dict[str, Any], quoted_event: str) -> str:
    """A ``rule_values`` detail (``determine._audit_detail``, with its ``facts_event``)
    as the detail encoder writes it: its incident-wide facts by the encoder itself."""
    facts = detail["facts"]
    values = detail["values"]
    if len(values) == 1:  # the common case: one value for every exposure
        ((word, idx),) = values.items()
        by_value = f"{quote(word)}:{ints(idx)}"
    else:
        by_value = ",".join([f"{quote(w)}:{ints(values[w])}" for w in sorted(values)])
    return (
        f'{{"exposure_facts":{field_names(detail["exposure_facts"])},'
        f'"facts":{encode_detail(facts) if facts else "{}"},'
        f'"facts_event":{quoted_event},"values":{{{by_value}}}}}'
    )


class _Quoted(dict[str, str]):
    """Words quoted as the detail encoder quotes them, each once per process."""

    def __missing__(self, word: str) -> str:
        if len(self) < _WHERE_KEPT:
            self[word] = quote(word)
            return self[word]
        return str(quote(word))


#: A status (``required``, ``not_breach``...) quoted, as an audit detail writes it.
QUOTED = _Quoted()
