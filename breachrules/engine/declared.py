"""What the engine does with a ruleset's own vocabulary (``declares:``) in an assessment.

An incident gives a policy's own facts under ``facts.<CODE>.<name>``. ``load_incident``
cannot know what a ruleset declares, so the engine checks them when it assesses: a value
of the wrong kind is invalid input, named by its field path (the command line exits 2); a
name or code that no loaded ruleset declares is a warning with the near miss, because a
typo there would otherwise leave the fact silently unknown; so is a ``notices_sent`` key
that names no obligation, or is dated before discovery, a dated fact before the
discovery, and moments out of order with the discovery. A policy's duties are labelled
as policy (:data:`breachrules.model.decisions.POLICY_BASIS`) so that no table, plan or
program takes them for statute.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

import attrs

from breachrules.errors import InvalidIncident, Problem
from breachrules.law.library import Outline
from breachrules.law.ruleset import Ruleset
from breachrules.model.decisions import POLICY_BASIS, Obligation
from breachrules.model.facts import Incident
from breachrules.model.timestamps import format_timestamp, parse_timestamp

__all__ = ["before_discovery", "check_facts", "check_notices_sent", "label_policy"]


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
            elif value is not None and fact.kind == "datetime":
                warnings.extend(_dated_before_discovery(incident, fact.path, value))
    if problems:
        raise InvalidIncident(problems)
    return warnings


def _dated_before_discovery(incident: Incident, path: str, value: object) -> list[str]:
    """A warning for a ruleset's dated fact before ``discovered_at`` (docs/facts.md,
    "Moments in order"): a regulator's order or the date it set follows the discovery of
    the incident it is about, so one before it has either date wrong; the fact is read as
    given (a clock runs from it), never dropped."""
    moment = parse_timestamp(value)
    if moment >= incident.discovered_at:
        return []
    return [
        f"{path} ({format_timestamp(moment)}) is before discovered_at "
        f"({format_timestamp(incident.discovered_at)}): a moment of a law's own procedure "
        "follows the discovery of the incident it is about; every clock that runs from it "
        "is dated from it as given: check both dates, and their UTC offsets"
    ]


def check_notices_sent(incident: Incident, outlines: Iterable[Outline]) -> list[str]:
    """A warning for each ``notices_sent`` key that names no obligation of a loaded ruleset,
    with the near miss: a misspelt id would otherwise leave every clock that runs from that
    notice undated, silently (``from: sent:<id>``)."""
    known = {ob for o in outlines for ob in o.obligations}
    out = []
    for key, sent in incident.notices_sent.items():
        if key not in known:
            hint = difflib.get_close_matches(key, sorted(known), n=1)
            out.append(
                f"notices_sent.{key}: no loaded ruleset has the obligation {key!r}"
                + (f"; did you mean {hint[0]!r}?" if hint else "")
                + ", so no clock runs from it"
            )
        if sent < incident.discovered_at:
            # Not refused: discovered_at is the breached party's discovery, and a party
            # that learned of the incident first (an owner that saw the fraud before its
            # provider found the intrusion) can truly have sent a notice before it.
            out.append(
                f"notices_sent.{key} ({format_timestamp(sent)}) is before discovered_at "
                f"({format_timestamp(incident.discovered_at)}): only a party that knew of "
                "the incident before the breached party discovered it can have sent it "
                "then; it is counted as sent as given: check both dates"
            )
    return out


def before_discovery(incident: Incident, moment: datetime) -> list[str]:
    """Warnings for the incident's moments out of order with ``discovered_at``
    (docs/facts.md, "Moments in order"): ``occurred_at`` after it, ``breach_determined_at``
    before it, and a moment of assessment before it. None is refused: a discovery can be
    recorded late (the ticket's time entered for the moment the team knew), a record
    imported from an imprecise timeline (VERIS months) can set the two a day apart, and
    an assessment as of an earlier moment is a question one may ask (what was due then:
    nothing yet); but each is said, never silently taken, because either date may be the
    wrong one and the clocks that run from it are dated as given."""
    out = []
    found = format_timestamp(incident.discovered_at)
    if incident.occurred_at is not None and incident.occurred_at > incident.discovered_at:
        out.append(
            f"occurred_at ({format_timestamp(incident.occurred_at)}) is after discovered_at "
            f"({found}): an incident cannot be discovered before it happens (for one still "
            "going on when found, occurred_at is when it began); the clocks that run from "
            "either use it as given: check both, and their UTC offsets"
        )
    determined = incident.breach_determined_at
    if determined is not None and determined < incident.discovered_at:
        out.append(
            f"breach_determined_at ({format_timestamp(determined)}) is before discovered_at "
            f"({found}): a breach cannot be determined before the incident is known; if it "
            "was known then, discovered_at is that moment or earlier, and every clock from "
            "discovery runs late as given: check both"
        )
    if moment < incident.discovered_at:
        out.append(
            f"discovered_at ({found}) is after the moment of assessment "
            f"({format_timestamp(moment)}): nothing was known of the incident then, so no "
            "clock had started and nothing is overdue; if the incident is not in the future, "
            "check the offset and year of discovered_at"
        )
    return out


def label_policy(ruleset: Ruleset, obligations: Sequence[Obligation]) -> tuple[Obligation, ...]:
    """A policy's obligations with their basis marked as policy; a law's as they are."""
    if not ruleset.is_policy:
        return tuple(obligations)
    return tuple(attrs.evolve(o, basis=POLICY_BASIS + o.basis) for o in obligations)
