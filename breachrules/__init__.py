"""breachrules: explainable, cited breach-notification decisions.

Give it the facts of a security incident; it decides, per jurisdiction and with the
statute cited for every step, whether the incident is a breach, who must notify whom and
by when, and what is still unknown. It supports counsel's judgment; it is not legal advice.

The public API is exactly what ``__all__`` lists below.
"""

from __future__ import annotations

from breachrules._version import __version__
from breachrules.audit.compliance import ComplianceEntry, NoticeRecord
from breachrules.audit.log import AuditLog, Verification
from breachrules.engine import Engine
from breachrules.errors import (
    BreachrulesError,
    EngineError,
    InvalidIncident,
    Problem,
    RulesetError,
)
from breachrules.io.serde import load_assessment, load_incident
from breachrules.law.loader import load_ruleset, load_rulesets
from breachrules.model.decisions import (
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
from breachrules.model.facts import (
    Classification,
    Contract,
    Exposure,
    Incident,
    LawEnforcement,
    Party,
    Risk,
)
from breachrules.scale.batch import assess_many
from breachrules.views.changes import AssessmentDiff, Change, compare, reassess
from breachrules.views.plan import Action, Plan
from breachrules.views.questions import OpenQuestion, Questions, Readiness, open_questions

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
