"""The shape of a ruleset file, as JSON Schema (draft 2020-12).

The loader checks every file against it before reading any law from it, and
``breachrules schema ruleset`` prints it for editors that validate YAML as they type.
What a schema cannot say (a condition's field names, chained clocks, dates of force within
a version) the loader checks after it, with the same ``file:line`` problems.

It is one job: one JSON Schema document, whose parts refer to one another (a deadline's
clocks, a delay's cap, a rule's exceptions); split, they would only be imported back here.
"""

from __future__ import annotations

from typing import Any

from breachrules.model.vocabulary import ANCHORS, OBLIGATION_KINDS

__all__ = [
    "CODE_PATTERN",
    "COUNTING_SCHEMA",
    "DATE_PATTERN",
    "DEADLINE_SCHEMA",
    "DELAY_CAP_SCHEMA",
    "DELAY_SCHEMA",
    "ID_PATTERN",
    "RULESET_SCHEMA",
    "SUBSTITUTE_NOTICE_SCHEMA",
]

DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
CODE_PATTERN = r"^[A-Z]{2}(-[A-Z0-9]{1,5}){0,2}$"
ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
ID_WORD = r"^[a-z][a-z0-9_]*$"
_DATE: dict[str, Any] = {"type": "string", "pattern": DATE_PATTERN, "format": "date"}

_RULE_PROPS: dict[str, Any] = {
    "id": {"type": "string", "pattern": ID_PATTERN},
    "title": {"type": "string"},
    "citation": {"type": "string", "minLength": 1},
    "statute": {"type": "string"},
    "url": {"type": "string"},
    "when": {},
    "verified": {"type": "boolean"},
    "note": {"type": "string"},
    "duty": {"type": "string"},
    "rebuttable": {"anyOf": [{"type": "boolean"}, {"type": "string", "pattern": "^\\$"}]},
}
SUBSTITUTE_NOTICE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["text", "citation"],
    "properties": {
        "text": {"type": "string"},
        "citation": {"type": "string", "minLength": 1},
        "cost_exceeds": {"type": "integer", "minimum": 0},
        "persons_exceed": {"type": "integer", "minimum": 0},
        "verified": {"type": "boolean"},
        "note": {"type": "string"},
    },
    "additionalProperties": False,
}
_EXCEPTION: dict[str, Any] = {
    "type": "object",
    "required": ["id", "citation", "when"],
    "properties": {
        **_RULE_PROPS,
        # An exception the law added (or removed) at a version boundary.
        "effective_from": _DATE,
        "effective_to": _DATE,
    },
    "additionalProperties": False,
}
# a dated fact the ruleset declares (`declares.facts`, type datetime): a regulator's order
_FACT = {"type": "string", "pattern": r"^fact:[a-z][a-z0-9_]*$"}
_ANCHOR: dict[str, Any] = {
    "anyOf": [
        {"enum": list(ANCHORS)},
        # the due date of another obligation of the same ruleset
        {"type": "string", "pattern": r"^obligation:[a-z0-9][a-z0-9-]*$"},
        # when another obligation of the same ruleset was sent (`notices_sent`)
        {"type": "string", "pattern": r"^sent:([A-Z][A-Z0-9-]*:)?[a-z0-9][a-z0-9-]*$"},
        _FACT,
    ]
}
#: How a law counts days and months: at the top of a ruleset (the law's convention) or on
#: one deadline (``counting:``).
COUNTING_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "first_day": {"enum": ["excluded", "included"]},
        "ends": {"enum": ["end_of_day", "same_time"]},
        "citation": {"type": "string", "minLength": 1},
        "verified": {"type": "boolean"},
        "note": {"type": "string"},
    },
    "additionalProperties": False,
}
#: The longest a law lets a law-enforcement delay run (``law_enforcement_delay.longest``).
DELAY_CAP_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["days", "from", "text"],
    "properties": {
        # 0 only with oral_only: a delay granted only on a written request (the loader).
        "days": {"type": "integer", "minimum": 0},
        "from": {"enum": ["due", "statement"]},
        "text": {"type": "string", "minLength": 1},
        "citation": {"type": "string", "minLength": 1},
        "oral_only": {"type": "boolean"},
        "further": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["text"],
                "properties": {
                    "days": {"type": "integer", "minimum": 1},
                    "text": {"type": "string", "minLength": 1},
                },
                "additionalProperties": False,
            },
        },
        "beyond": {"type": "string", "minLength": 1},
        "verified": {"type": "boolean"},
        "note": {"type": "string"},
    },
    "additionalProperties": False,
}
#: How a law-enforcement delay ends (``law_enforcement_delay:`` as a mapping).
DELAY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["citation"],
    "properties": {
        "citation": {"type": "string", "minLength": 1},
        "ends": {"enum": ["end_of_delay", "restart", "after"]},
        "days": {"type": "integer", "minimum": 0},
        "hours": {"type": "integer", "minimum": 0},
        "business_days": {"type": "boolean"},
        "longest": DELAY_CAP_SCHEMA,
        "statute": {"type": "string"},
        "verified": {"type": "boolean"},
        "note": {"type": "string"},
    },
    "additionalProperties": False,
}
_CLOCK: dict[str, Any] = {
    "text": {"type": "string"},
    "from": _ANCHOR,
    "days": {"type": "integer", "minimum": 0},
    "hours": {"type": "integer", "minimum": 0},
    "months": {"type": "integer", "minimum": 1},
    "business_days": {"type": "boolean"},
    "citation": {"type": "string"},
    "counting": COUNTING_SCHEMA,
}
#: A period the law sets for some parties only (Brazil's doubled periods for small
#: processing agents; China's 1-hour clock for critical information infrastructure): the
#: first variant whose ``party_types`` the owing party has replaces the period.
_VARIANT: dict[str, Any] = {
    "type": "object",
    "required": ["party_types", "text", "citation"],
    "properties": {
        "party_types": {"type": "array", "minItems": 1, "items": {"type": "string"}},
        "text": {"type": "string"},
        "days": {"type": "integer", "minimum": 0},
        "hours": {"type": "integer", "minimum": 0},
        "business_days": {"type": "boolean"},
        "citation": {"type": "string", "minLength": 1},
        "verified": {"type": "boolean"},
        "note": {"type": "string"},
    },
    "additionalProperties": False,
}
DEADLINE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["text"],
    "properties": {
        **_CLOCK,
        "variants": {"type": "array", "items": _VARIANT},
        "cap": {
            "type": "object",
            "required": ["from"],
            "properties": _CLOCK,
            "additionalProperties": False,
        },
        # a waiting period: not before this clock runs out (47 CFR 64.2011(b)(1))
        "not_before": {
            "type": "object",
            "required": ["from", "text", "citation"],
            "properties": {**_CLOCK, "citation": {"type": "string", "minLength": 1}},
            "additionalProperties": False,
        },
        "or_when": {"type": "string", "pattern": r"^sent:([A-Z][A-Z0-9-]*:)?[a-z0-9][a-z0-9-]*$"},
        # the earliest lawful due date when the anchor's fact is unknown
        "if_unknown": {
            "type": "object",
            "required": ["from", "text"],
            "properties": {
                "from": {
                    "anyOf": [
                        {"enum": list(ANCHORS)},
                        _FACT,
                        {
                            "type": "array",
                            "minItems": 1,
                            "items": {"anyOf": [{"enum": list(ANCHORS)}, _FACT]},
                        },
                    ]
                },
                "text": {"type": "string", "minLength": 1},
            },
            "additionalProperties": False,
        },
    },
    "additionalProperties": False,
}

#: The published JSON Schema of a ruleset file (``breachrules schema ruleset``).
RULESET_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "breachrules ruleset",
    "type": "object",
    "required": [
        "code",
        "name",
        "citation",
        "sources",
        "last_reviewed",
        "reaches",
        "breach",
        "obligations",
    ],
    # Dated values as versions, or as one series per parameter (breachrules.law.series).
    "anyOf": [{"required": ["versions"]}, {"required": ["parameters"]}],
    "additionalProperties": False,
    "properties": {
        "code": {"type": "string", "pattern": CODE_PATTERN},
        "name": {"type": "string"},
        "citation": {"type": "string"},
        "note": {"type": "string"},
        "sources": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["url"],
                "properties": {"url": {"type": "string"}, "title": {"type": "string"}},
                "additionalProperties": False,
            },
        },
        "last_reviewed": _DATE,
        "checked_against": {"enum": ["statute", "partly", "secondary"]},
        "counting": {**COUNTING_SCHEMA, "required": ["citation"]},
        "risk_test": {
            "type": "object",
            "required": ["same_as", "citation", "statute"],
            "properties": {
                "same_as": {"type": "array", "items": {"type": "string", "pattern": CODE_PATTERN}},
                "citation": {"type": "string"},
                "statute": {"type": "string"},
                "note": {"type": "string"},
            },
            "additionalProperties": False,
        },
        "reaches": {
            "type": "object",
            "properties": {
                "residents": {"type": "array", "items": {"type": "string"}},
                "established_in": {"type": "array", "items": {"type": "string"}},
                "requires_targeting": {"type": "boolean"},
                # A party of a type the ruleset binds is within reach wherever it is
                # established (the type is a status under this law: an SEC registrant).
                "by_party_type": {"type": "boolean"},
                "citation": {"type": "string"},
            },
            "additionalProperties": False,
        },
        "applies_to": {
            "type": "object",
            "properties": {
                "party_types": {"type": "array", "items": {"type": "string"}},
                "parties": {"type": "array", "items": {"type": "string"}},
                "roles": {
                    "type": "array",
                    "items": {"enum": ["owner", "breached_party", "service_provider"]},
                },
            },
            "additionalProperties": False,
        },
        "declares": {
            "type": "object",
            "properties": {
                # Party type words of the ruleset's own (a company's group, a sector).
                "party_types": {"type": "array", "items": {"type": "string", "pattern": ID_WORD}},
                # Facts of the ruleset's own, read from facts.<CODE>.<name> in the incident.
                "facts": {
                    "type": "object",
                    "propertyNames": {"pattern": ID_WORD},
                    "additionalProperties": {
                        "type": "object",
                        "required": ["type", "description"],
                        "properties": {
                            "type": {"enum": ["bool", "int", "enum", "datetime"]},
                            "words": {
                                "type": "array",
                                "minItems": 1,
                                "items": {"type": "string", "pattern": ID_WORD},
                            },
                            "description": {"type": "string", "minLength": 1},
                            # An order or request of a regulator, which the entity knows of
                            # the moment it is made: false until the incident gives it.
                            "until_given": {"enum": [False]},
                        },
                        "additionalProperties": False,
                    },
                },
                # Recipients of the ruleset's own: a policy's internal roles (CISO, DPO).
                "recipients": {
                    "type": "object",
                    "propertyNames": {"pattern": ID_WORD},
                    "additionalProperties": {
                        "type": "object",
                        "required": ["description"],
                        "properties": {"description": {"type": "string", "minLength": 1}},
                        "additionalProperties": False,
                    },
                },
            },
            "additionalProperties": False,
        },
        # A company policy rather than a law: its duties are shown as policy, not statute.
        "kind": {"enum": ["law", "policy"]},
        # Where the law's days begin and end: an IANA zone (checked at load).
        "time_zone": {"type": "string", "minLength": 1},
        "holidays": {
            "type": "object",
            "required": ["country"],
            "properties": {"country": {"type": "string"}, "subdivision": {"type": "string"}},
            "additionalProperties": False,
        },
        "versions": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["effective_from", "citation"],
                "properties": {
                    "verified": {"type": "boolean"},
                    "effective_from": _DATE,
                    "effective_to": _DATE,
                    "citation": {"type": "string"},
                    "note": {"type": "string"},
                    "parameters": {
                        "type": "object",
                        "additionalProperties": {
                            "type": "object",
                            "required": ["value", "citation"],
                            "properties": {
                                "value": {},
                                "citation": {"type": "string"},
                                "verified": {"type": "boolean"},
                                "note": {"type": "string"},
                            },
                            "additionalProperties": False,
                        },
                    },
                },
                "additionalProperties": False,
            },
        },
        # A value per effective date for each parameter (OpenFisca style): each holds
        # until the next, so there is nothing to overlap and no gap to leave.
        "parameters": {
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": ID_WORD},
            "additionalProperties": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["from", "value", "citation"],
                    "properties": {
                        "from": _DATE,
                        "value": {},
                        "citation": {"type": "string", "minLength": 1},
                        "verified": {"type": "boolean"},
                        "note": {"type": "string"},
                    },
                    "additionalProperties": False,
                },
            },
        },
        "personal_information": {
            "type": "object",
            "required": ["id", "citation", "when"],
            "properties": _RULE_PROPS,
            "additionalProperties": False,
        },
        "breach": {
            "type": "object",
            "required": ["id", "citation", "when"],
            "properties": {**_RULE_PROPS, "exceptions": {"type": "array", "items": _EXCEPTION}},
            "additionalProperties": False,
        },
        "obligations": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "citation", "recipient", "by", "deadline"],
                "properties": {
                    **_RULE_PROPS,
                    # A contract word (RECIPIENTS) or one under declares.recipients: the
                    # loader checks which, with a near miss.
                    "recipient": {"type": "string", "pattern": ID_WORD},
                    "recipient_name": {"type": "string"},
                    # The act the duty is owed under, where it is not the ruleset's law.
                    "law": {
                        "type": "object",
                        "required": ["name", "citation"],
                        "properties": {
                            "name": {"type": "string", "minLength": 1},
                            "citation": {"type": "string", "minLength": 1},
                        },
                        "additionalProperties": False,
                    },
                    "kind": {"enum": list(OBLIGATION_KINDS)},
                    "by": {"enum": ["owner", "breached_party", "bound_party"]},
                    "deadline": {"anyOf": [DEADLINE_SCHEMA, {"type": "string", "pattern": r"^\$"}]},
                    "content_requirements": {
                        "anyOf": [
                            {"type": "array", "items": {"type": "string"}},
                            {"type": "string", "pattern": r"^\$"},
                        ]
                    },
                    "law_enforcement_delay": {"anyOf": [{"type": "string"}, DELAY_SCHEMA]},
                    "requires_breach": {"type": "boolean"},
                    "effective_from": _DATE,
                    "effective_to": _DATE,
                    "exceptions": {"type": "array", "items": _EXCEPTION},
                    "substitute_notice": {
                        "anyOf": [SUBSTITUTE_NOTICE_SCHEMA, {"type": "string", "pattern": r"^\$"}]
                    },
                },
                "additionalProperties": False,
            },
        },
    },
}
