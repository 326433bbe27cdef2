"""What the engine does with a ruleset's own vocabulary (``declares:``) in an assessment.

An incident gives a policy's own facts under ``facts.<CODE>.<name>``. ``load_incident``
cannot know what a ruleset declares, so the engine checks them when it assesses: a value
of the wrong kind is invalid input, named by its field path (the command line exits 2); a
name or code that no loaded ruleset declares is a warning with the near miss, because a
typo there would otherwise leave the fact silently unknown. A policy's duties are labelled
as policy (:data:`breachrules.model.decisions.POLICY_BASIS`) so that no table, plan or
program takes them for statute.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence

import attrs

from breachrules.errors import InvalidIncident, Problem
from breachrules.law.ruleset import Ruleset
from breachrules.model.decisions import POLICY_BASIS, Obligation
from breachrules.model.facts import Incident

__all__ = ["check_facts", "label_policy"]


def check_facts(incident: Incident, rulesets: Mapping[str, Ruleset]) -> list[str]:
    """Check ``incident.facts`` against what the loaded rulesets declare.

    Raises :class:`InvalidIncident` for a value its ruleset's declaration rules out;
    returns a warning for each code or name that no loaded ruleset declares.
    """
    problems: list[Problem] = []
    warnings: list[str] = []
    for code, values in incident.facts.items():
        ruleset = rulesets.get(code)
        if ruleset is None:
            hint = difflib.get_close_matches(code, list(rulesets), n=1)
            warnings.append(
                f"facts.{code}: no loaded ruleset has the code {code!r}"
                + (f"; did you mean {hint[0]!r}?" if hint else "")
                + ", so these facts are read by none"
            )
            continue
        declared = {f.name: f for f in ruleset.facts}
        for name, value in values.items():
            fact = declared.get(name)
            if fact is None:
                hint = difflib.get_close_matches(name, list(declared), n=1)
                warnings.append(
                    f"facts.{code}.{name}: {code} declares no fact {name!r}"
                    + (f"; did you mean {hint[0]!r}?" if hint else "")
                    + (f" (it declares {', '.join(declared)})" if declared else "")
                    + ", so it is read by none"
                )
            elif value is not None and (reason := fact.problem(value)) is not None:
                problems.append(Problem(fact.path, reason))
    if problems:
        raise InvalidIncident(problems)
    return warnings


def label_policy(ruleset: Ruleset, obligations: Sequence[Obligation]) -> tuple[Obligation, ...]:
    """A policy's obligations with their basis marked as policy; a law's as they are."""
    if not ruleset.is_policy:
        return tuple(obligations)
    return tuple(attrs.evolve(o, basis=POLICY_BASIS + o.basis) for o in obligations)
