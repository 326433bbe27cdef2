"""JSON Schemas of the contract's documents, generated from the attrs classes so they cannot drift.

``breachrules schema incident`` and ``breachrules schema assessment`` print them; the
incident schema is the one published beside the contract.
"""

from __future__ import annotations

import types
import typing
from datetime import date, datetime
from typing import Any, Literal, Union, get_args, get_origin

import attrs

from breachrules.model.places import PLACES, PRIVATE_USE
from breachrules.model.timestamps import EARLIEST, LATEST
from breachrules.model.vocabulary import DATA_ELEMENTS

__all__ = ["MOMENT_PATTERN", "json_schema"]


def _type_schema(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin = get_origin(tp)
    if tp is Any:
        return {}
    if attrs.has(tp):
        name = tp.__name__
        if name not in defs:
            defs[name] = {}
            defs[name] = _class_schema(tp, defs)
        return {"$ref": f"#/$defs/{name}"}
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(tp) if a is not type(None)]
        inner = (
            _type_schema(options[0], defs)
            if len(options) == 1
            else {"anyOf": [_type_schema(o, defs) for o in options]}
        )
        return {"anyOf": [inner, {"type": "null"}]}
    if origin is Literal:
        return {"enum": list(get_args(tp))}
    if origin is tuple or origin is list:
        return {"type": "array", "items": _type_schema(get_args(tp)[0], defs)}
    if origin is dict:
        return {"type": "object", "additionalProperties": _type_schema(get_args(tp)[1], defs)}
    simple = {
        str: {"type": "string"},
        int: {"type": "integer"},
        float: {"type": "number"},
        bool: {"type": "boolean"},
        datetime: {"type": "string", "format": "date-time", "pattern": MOMENT_PATTERN},
        date: {"type": "string", "format": "date"},
    }
    if tp in simple:
        return dict(simple[tp])
    raise TypeError(f"no JSON Schema mapping for {tp!r}")


def _class_schema(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    props: dict[str, Any] = {}
    required: list[str] = []
    for field in attrs.fields(cls):
        schema = _type_schema(hints[field.name], defs)
        if (cls.__name__, field.name) == ("Exposure", "elements"):
            schema = {"type": "array", "items": {"enum": list(DATA_ELEMENTS)}}
        schema.update(_FIELD_RULES.get((cls.__name__, field.name), {}))
        doc = _FIELD_DOCS.get((cls.__name__, field.name))
        if doc:
            schema["description"] = doc
        name = field.name.rstrip("_")  # ``from_`` is ``from`` in JSON
        props[name] = schema
        if field.default is attrs.NOTHING:
            required.append(name)
    result: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
    if cls.__doc__:
        result["description"] = cls.__doc__.strip().splitlines()[0]
    if required:
        result["required"] = required
    result.update(_CLASS_RULES.get(cls.__name__, {}))
    return result


#: A timestamp in the supported range (EARLIEST to LATEST) with a UTC offset: the
#: years 1900 to 2199, a time, and ``Z`` or ``+hh:mm`` (every timestamp a document
#: carries, and the stdio adapter's ``as_of``).
MOMENT_PATTERN = (
    r"^(19|2[01])[0-9]{2}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}"
    r"(:[0-9]{2}(\.[0-9]+)?)?([Zz]|[+-][0-9]{2}:?[0-9]{2})$"
)
assert EARLIEST.year == 1900 and LATEST.year == 2199  # the pattern above says so
_PLACE = {"$ref": "#/$defs/Place"}
_PLACES = {"type": "array", "items": _PLACE}


def _not_both(a: str, b: str, kind: str, value_a: Any = None, value_b: Any = None) -> Any:
    """``if`` a and b both hold a value (of ``kind``, or the given constants), ``b`` fails."""
    first = {"const": value_a} if value_a is not None else {"type": kind}
    second = {"const": value_b} if value_b is not None else {"type": kind}
    return {
        "if": {"properties": {a: first, b: second}, "required": [a, b]},
        "then": {"properties": {b: {"not": second}}},
    }


#: What the loader checks beyond the types, for the fields where JSON Schema can say it
#: (tests/test_schema_agreement.py holds the loader and this schema to the same verdicts).
_FIELD_RULES: dict[tuple[str, str], dict[str, Any]] = {
    ("Exposure", "residents"): {
        "propertyNames": _PLACE,
        "additionalProperties": {"type": "integer", "minimum": 0, "maximum": 10_000_000_000},
    },
    ("Party", "established_in"): _PLACES,
    ("Party", "offers_to"): {"anyOf": [_PLACES, {"type": "null"}]},
    ("Contract", "calendar"): {"anyOf": [_PLACE, {"type": "null"}]},
    ("Contract", "notify_owner_within_hours"): {
        "anyOf": [{"type": "integer", "minimum": 0, "maximum": 87_600}, {"type": "null"}]
    },
    ("Contract", "notify_owner_within_days"): {
        "anyOf": [{"type": "integer", "minimum": 0, "maximum": 3_660}, {"type": "null"}]
    },
    ("Contract", "liability_cap"): {"anyOf": [{"type": "number", "minimum": 0}, {"type": "null"}]},
    ("Incident", "parties"): {"minItems": 1},
    ("LawEnforcement", "delay_extensions"): {
        "anyOf": [{"type": "integer", "minimum": 0}, {"type": "null"}]
    },
    # A ruleset's own facts: by ruleset code, then name; plain values (declared types are
    # checked when a loaded ruleset reads them).
    ("Incident", "facts"): {
        "propertyNames": {"pattern": r"^[A-Z]{2}(-[A-Z0-9]{1,5}){0,2}$"},
        "additionalProperties": {
            "type": "object",
            "additionalProperties": {"type": ["boolean", "integer", "string", "null"]},
        },
    },
}

_CLASS_RULES: dict[str, dict[str, Any]] = {
    "Exposure": _not_both("encrypted", "key_compromised", "boolean", False, True),
    "Contract": _not_both("notify_owner_within_hours", "notify_owner_within_days", "integer"),
    "Party": {
        "if": {"properties": {"data_role": {"const": "service_provider"}}},
        "then": {"required": ["serves"], "properties": {"serves": {"type": "string"}}},
    },
}


_FIELD_DOCS: dict[tuple[str, str], str] = {
    (
        "LawEnforcement",
        "delay_requested_at",
    ): "When the agency made the statement or determination asking for the delay.",
    (
        "LawEnforcement",
        "delay_in_writing",
    ): "The agency's statement was in writing; false: oral only; null is unknown.",
    (
        "LawEnforcement",
        "delay_extensions",
    ): "Further determinations extending the delay since the first; null is unknown.",
    (
        "Incident",
        "discovered_at",
    ): "When the breached party knew, or should reasonably have known, of the incident.",
    (
        "Incident",
        "breached_party",
    ): "Id of the party whose systems were compromised; defaults to the first party.",
    ("Exposure", "residents"): "Affected people per place of residence (ISO 3166 code).",
    ("Exposure", "encrypted"): "Safe-harbor fact; null is unknown.",
    (
        "Exposure",
        "key_compromised",
    ): "Whether the encryption key was compromised too; null is unknown.",
    (
        "Incident",
        "time_zone",
    ): "Extension: the IANA time zone of the clock discovered_at was read from (the "
    "reporter's); its days are then counted there, summer time included; null: at the "
    "fixed offset of discovered_at.",
    (
        "Incident",
        "malicious",
    ): "Extension: caused by a deliberate wrongful act (hacking, ransomware, theft, misuse).",
    (
        "Exposure",
        "paper",
    ): "Extension: records on paper rather than computerized data; null is unknown.",
    (
        "Exposure",
        "destroyed",
    ): "Extension: the data was destroyed or deleted without authority (an availability "
    "breach); null is unknown.",
    (
        "Exposure",
        "identifiable",
    ): "Extension: the affected people can be identified (their identity can be established); "
    "default true; false excuses a notice only where a law says so (POPIA s. 22(1)(b)); null "
    "is unknown.",
    (
        "Exposure",
        "lost",
    ): "Extension: the data, or access to it, was lost, even for a time (a lost device, data "
    "encrypted by ransomware); null is unknown.",
    (
        "Exposure",
        "altered",
    ): "Extension: the data was altered without authority (an integrity breach); null is unknown.",
    (
        "Incident",
        "facts",
    ): "Extension: facts a ruleset declares for itself (declares.facts), by ruleset code "
    "then name; null is unknown.",
    (
        "Party",
        "types",
    ): "Regulatory characteristics (CONTRACT section 3); unknown words are kept and reported.",
    (
        "Party",
        "notice_procedures",
    ): "Extension: the party maintains breach-notification procedures of its own, in an "
    "information-security or privacy policy or a compliance plan, that provide for notice to "
    "the affected persons at least as promptly as the laws in question require; null is "
    "unknown.",
    (
        "Party",
        "notified_under_procedures",
    ): "Extension: the party has notified, or will notify, the affected persons under those "
    "procedures of its own; default false (not recorded: the law's own notice stays owed); null "
    "is unknown.",
    (
        "Party",
        "regulator_procedures",
    ): "Extension: the party maintains, and follows for this breach, the breach-notification "
    "procedures its state or federal regulator's laws, rules or guidance set; null is unknown.",
}


def _uses_place(schema: Any) -> bool:
    if isinstance(schema, dict):
        return schema.get("$ref") == "#/$defs/Place" or any(_uses_place(v) for v in schema.values())
    if isinstance(schema, list):
        return any(_uses_place(v) for v in schema)
    return False


def json_schema(cls: type, title: str) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) for an attrs class of the contract."""
    defs: dict[str, Any] = {}
    root = _class_schema(cls, defs)
    defs.pop(cls.__name__, None)
    if _uses_place(root) or any(_uses_place(d) for d in defs.values()):
        defs["Place"] = {
            "description": "An ISO 3166-1 country, an ISO 3166-2 subdivision, EU, or a "
            "code ISO 3166 reserves for private use (XA-XZ, QM-QZ, AA, ZZ).",
            "anyOf": [{"enum": sorted(PLACES)}, {"pattern": PRIVATE_USE.pattern}],
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        **root,
        "$defs": dict(sorted(defs.items())),
    }
