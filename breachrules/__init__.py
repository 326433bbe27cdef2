"""breachrules: explainable, cited breach-notification decisions.

Give it the facts of a security incident; it decides, per jurisdiction and with the
statute cited for every step, whether the incident is a breach, who must notify whom and
by when, and what is still unknown. It supports counsel's judgment; it is not legal advice.

The public API is exactly what ``__all__`` lists below.
"""

from __future__ import annotations

from breachrules.decisions import (
    Assessment,
    AuditEvent,
    Deadline,
    Determination,
    Liability,
    Obligation,
    Reason,
    RulesetRef,
)
from breachrules.engine import Engine
from breachrules.errors import (
    BreachrulesError,
    EngineError,
    InvalidIncident,
    Problem,
    RulesetError,
)
from breachrules.facts import (
    Classification,
    Contract,
    Exposure,
    Incident,
    LawEnforcement,
    Party,
    Risk,
)
from breachrules.loader import load_ruleset, load_rulesets
from breachrules.serde import load_incident

__version__ = "0.1.0"

__all__ = [
    "Assessment",
    "AuditEvent",
    "BreachrulesError",
    "Classification",
    "Contract",
    "Deadline",
    "Determination",
    "Engine",
    "EngineError",
    "Exposure",
    "Incident",
    "InvalidIncident",
    "LawEnforcement",
    "Liability",
    "Obligation",
    "Party",
    "Problem",
    "Reason",
    "Risk",
    "RulesetError",
    "RulesetRef",
    "__version__",
    "load_incident",
    "load_ruleset",
    "load_rulesets",
]
