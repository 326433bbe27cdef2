"""breachrules: explainable, cited breach-notification decisions.

Give it the facts of a security incident; it decides, per jurisdiction and with the
statute cited for every step, whether the incident is a breach, who must notify whom and
by when, and what is still unknown. It supports counsel's judgment; it is not legal advice.

The public API is exactly what ``__all__`` lists below.
"""

from __future__ import annotations

from breachrules.auditlog import AuditLog, Verification
from breachrules.batch import assess_many
from breachrules.changes import AssessmentDiff, Change, compare, reassess
from breachrules.compliance import ComplianceEntry, NoticeRecord
from breachrules.decisions import (
    Assessment,
    AuditEvent,
    Deadline,
    Determination,
    Liability,
    Obligation,
    Reason,
    RulesetRef,
    SubstituteNotice,
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
from breachrules.plan import Action, Plan
from breachrules.questions import OpenQuestion, Questions, Readiness, open_questions
from breachrules.serde import load_assessment, load_incident

__version__ = "0.1.0"

__all__ = [
    "Action",
    "Assessment",
    "AssessmentDiff",
    "AuditEvent",
    "AuditLog",
    "BreachrulesError",
    "Change",
    "Classification",
    "ComplianceEntry",
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
    "NoticeRecord",
    "Obligation",
    "OpenQuestion",
    "Party",
    "Plan",
    "Problem",
    "Questions",
    "Readiness",
    "Reason",
    "Risk",
    "RulesetError",
    "RulesetRef",
    "SubstituteNotice",
    "Verification",
    "__version__",
    "assess_many",
    "compare",
    "load_assessment",
    "load_incident",
    "load_ruleset",
    "load_rulesets",
    "open_questions",
    "reassess",
]
