"""breachrules: explainable, cited breach-notification decisions.

Give it the facts of a security incident; it decides, per jurisdiction and with the
statute cited for every step, whether the incident is a breach, who must notify whom and
by when, and what is still unknown. It supports counsel's judgment; it is not legal advice.

The public API is exactly what ``__all__`` lists below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from breachrules._version import __version__
from breachrules.model import bindings

if TYPE_CHECKING:  # what each name below is; at run time each is imported when first used
    from breachrules.audit.compliance import ComplianceEntry, NoticeRecord
    from breachrules.audit.log import AuditLog, Verification
    from breachrules.engine import Engine
    from breachrules.errors import (
        BreachrulesError,
        EngineError,
        InvalidArgument,
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

#: Where each public name lives. ``import breachrules`` imports none of them: a SOAR
#: playbook or a Lambda function starts a new process per incident, and importing the
#: whole package (structlog, jsonschema, holidays, rich...) cost a third of a second
#: before anything was asked. A name is imported the first time it is used (PEP 562).
_HOMES = {
    "ComplianceEntry": "breachrules.audit.compliance",
    "NoticeRecord": "breachrules.audit.compliance",
    "AuditLog": "breachrules.audit.log",
    "Verification": "breachrules.audit.log",
    "Engine": "breachrules.engine",
    "BreachrulesError": "breachrules.errors",
    "EngineError": "breachrules.errors",
    "InvalidArgument": "breachrules.errors",
    "InvalidIncident": "breachrules.errors",
    "Problem": "breachrules.errors",
    "RulesetError": "breachrules.errors",
    "load_assessment": "breachrules.io.serde",
    "load_incident": "breachrules.io.serde",
    "load_ruleset": "breachrules.law.loader",
    "load_rulesets": "breachrules.law.loader",
    **dict.fromkeys(
        [
            "Assessment",
            "AuditEvent",
            "Deadline",
            "Determination",
            "Liability",
            "Obligation",
            "Reason",
            "RulesetRef",
            "SubstituteNotice",
        ],
        "breachrules.model.decisions",
    ),
    **dict.fromkeys(
        ["Classification", "Contract", "Exposure", "Incident", "LawEnforcement", "Party", "Risk"],
        "breachrules.model.facts",
    ),
    "assess_many": "breachrules.scale.batch",
    "AssessmentDiff": "breachrules.views.changes",
    "Change": "breachrules.views.changes",
    "compare": "breachrules.views.changes",
    "reassess": "breachrules.views.changes",
    "Action": "breachrules.views.plan",
    "Plan": "breachrules.views.plan",
    "OpenQuestion": "breachrules.views.questions",
    "Questions": "breachrules.views.questions",
    "Readiness": "breachrules.views.questions",
    "open_questions": "breachrules.views.questions",
}


def __getattr__(name: str) -> Any:
    """Import a public name from its home the first time it is asked for."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'breachrules' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # asked once: the next lookup is a plain attribute
    return value


def __dir__() -> list[str]:
    """The public API only: not the names this module uses itself (``Any``,
    ``TYPE_CHECKING``, ``annotations``, ``bindings``) nor the subpackages imported since."""
    return sorted(__all__)


def _bind(name: str) -> None:
    """Import the module that binds the data classes' method ``name`` (see
    :mod:`breachrules.model.bindings`): ``assessment.to_dict()`` imports the converter
    when first called, ``assessment.plan()`` the plan view, and so on."""
    if name in ("assessment.to_dict", "incident.to_dict", "load_incident", "to_json"):
        import breachrules.io.serde
    elif name == "checked_incident":
        import breachrules.io.checked
    elif name == "assessment.plan":
        import breachrules.views.plan
    elif name == "assessment.explain":
        import breachrules.views.explain
    elif name in ("assessment._repr_html_", "incident._repr_html_"):
        import breachrules.views.notebook
    elif name == "assessment.compliance":
        import breachrules.audit.compliance
    elif name == "assessment.notices":
        import breachrules.views.notices
    elif name == "assessment.brief":
        import breachrules.views.brief
    else:  # a name bound by a view added later: import them all
        import importlib

        import breachrules.audit.compliance
        import breachrules.io.serde
        import breachrules.views

        for view in breachrules.views.__all__:
            importlib.import_module(f"breachrules.views.{view}")


bindings.provide(_bind)

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
    "InvalidArgument",
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
