"""Scenario files: OpenFisca-style YAML cases that pin a ruleset's behaviour.

A scenario file names a ruleset, gives a ``base`` incident, and lists ``cases``. Each case
overrides parts of the base (mappings merge, lists replace; ``exposure:`` merges into
every exposure) and states what the assessment must say::

    ruleset: US-CA
    base: {id: base, discovered_at: "2026-03-02T14:30:00-05:00", ...}
    cases:
      - name: 501 residents requires the sample copy to the Attorney General
        exposure: {residents: {US-CA: 501}}
        expect:
          status: breach
          obligations:
            notify-attorney-general: {status: required, due: "2026-04-16T23:59:59-05:00"}
            notify-owner: absent

A test that cannot fail is worse than none: it gives counsel confidence the law does not
earn. So a scenario file is checked like a ruleset before anything runs, against its own
JSON Schema (:data:`SCENARIO_SCHEMA`) and against the ruleset it names: an unknown key,
an obligation id the ruleset does not define, a status word that is not one, and a case
without ``expect`` are problems with ``file:line`` and a near miss. A problem in one case
fails that case only; every other case still runs.

``run_file`` returns one :class:`Outcome` per case; the test suite runs every scenario
file under ``tests/rulesets`` and users run their own with the same function.

One module, one job: a scenario file, from its text to its outcomes. The checks read
the line-located document the reader keeps, and the runner trusts what they passed, so
the three stay together.
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs
import jsonschema

from breachrules.engine import Engine
from breachrules.errors import BreachrulesError, Problem, RulesetError
from breachrules.io.serde import load_incident
from breachrules.law.lines import field_path, line_of, plain
from breachrules.law.loader import read_located, schema_problems
from breachrules.law.ruleset import Ruleset
from breachrules.law.schema import CODE_PATTERN
from breachrules.model.decisions import Assessment, Obligation
from breachrules.model.facts import Incident
from breachrules.model.timestamps import format_timestamp, parse_timestamp
from breachrules.model.vocabulary import (
    DETERMINATION_STATUSES,
    OBLIGATION_KINDS,
    OBLIGATION_STATUSES,
    RECIPIENTS,
)
from breachrules.testing.case_incidents import check_case_incidents

__all__ = [
    "SCENARIO_SCHEMA",
    "Outcome",
    "Scenario",
    "ScenarioFile",
    "check_expect",
    "load_cases",
    "read_scenarios",
    "recipient_words",
    "run_case",
    "run_file",
    "run_scenario",
    "same_instant",
]


@attrs.frozen
class Outcome:
    """One case's result: ``failures`` is empty when every expectation held.

    ``line`` is where the case starts in its file (None for a problem of the whole file).
    """

    file: str
    name: str
    failures: tuple[str, ...]
    line: int | None = None

    @property
    def passed(self) -> bool:
        return not self.failures


_NULLABLE_TEXT: dict[str, Any] = {"type": ["string", "null"]}
_TEXTS: dict[str, Any] = {"type": "array", "items": {"type": "string"}}

#: What ``expect.obligations.<id>`` may check: the obligation's own fields.
_OBLIGATION_EXPECT: dict[str, Any] = {
    "if": {"type": "string"},
    "then": {"const": "absent"},
    "else": {
        "type": "object",
        "minProperties": 1,
        "properties": {
            "status": {"enum": list(OBLIGATION_STATUSES)},
            "due": _NULLABLE_TEXT,
            "not_before": _NULLABLE_TEXT,
            "party": {"type": "string"},
            "recipient": {"type": "string"},
            "recipient_name": _NULLABLE_TEXT,
            "recipient_party": _NULLABLE_TEXT,
            "performed_by": _NULLABLE_TEXT,
            "basis": {"type": "string"},
            "overdue": {"type": ["boolean", "null"]},
            "missing_facts": _TEXTS,
            "content_requirements": _TEXTS,
            "substitute_notice": {"type": ["object", "null"]},
            "deadline": {"type": "object"},
            "kind": {"enum": list(OBLIGATION_KINDS)},
            # words each of which some reason of the obligation must contain: what a
            # delay or a waiting period says where no due date shows it
            "reasons": {
                "type": "array",
                "minItems": 1,
                "items": {"type": "string", "minLength": 1},
            },
        },
        "additionalProperties": False,
    },
}

#: The published JSON Schema of a scenario file (``breachrules schema scenario``).
SCENARIO_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "breachrules scenario file",
    "type": "object",
    "required": ["ruleset", "cases"],
    "properties": {
        "ruleset": {"type": "string", "pattern": CODE_PATTERN},
        "description": {"type": "string"},
        "base": {"type": "object"},
        "cases": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["name", "expect"],
                "properties": {
                    "name": {"type": "string", "minLength": 1},
                    "note": {"type": "string"},
                    "incident": {"type": "object"},
                    "exposure": {"type": "object"},
                    "as_of": {"type": "string"},
                    "expect": {
                        "type": "object",
                        "minProperties": 1,
                        "properties": {
                            "status": {"enum": [*DETERMINATION_STATUSES, "absent"]},
                            "missing_facts": _TEXTS,
                            "presumed_unless": _TEXTS,
                            "obligations": {
                                "type": "object",
                                "minProperties": 1,
                                "additionalProperties": _OBLIGATION_EXPECT,
                            },
                        },
                        "additionalProperties": False,
                    },
                },
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}

_VALIDATOR = jsonschema.Draft202012Validator(SCENARIO_SCHEMA)


@attrs.frozen
class Scenario:
    """One case of a scenario file, merged with the base and ready to run.

    ``problems`` lists what is wrong with the case as written; a case with problems is
    never run (it fails, naming them), so that a misspelled expectation cannot pass.
    """

    file: str
    name: str
    line: int | None
    code: str
    incident: dict[str, Any]
    expect: dict[str, Any]
    as_of: str | None
    problems: tuple[Problem, ...] = ()
    #: The incident loaded when the file was read (None if it did not load): run as is.
    loaded: Incident | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class ScenarioFile:
    """A scenario file read and checked: its cases, and the problems of the whole file
    (an unreadable file, an unknown ruleset), which fail every case."""

    file: str
    code: str | None
    cases: tuple[Scenario, ...]
    problems: tuple[Problem, ...] = ()


def _merge(base: Any, override: Any) -> Any:
    if isinstance(base, Mapping) and isinstance(override, Mapping):
        out = dict(base)
        for key, value in override.items():
            out[key] = _merge(base.get(key), value) if key in base else copy.deepcopy(value)
        return out
    return copy.deepcopy(override)


def _obligation_ids(ruleset: Ruleset) -> list[str]:
    """Every obligation id the ruleset defines in any of its versions."""
    ids = [ob.rule.id.split(":", 1)[1] for law in ruleset.laws for ob in law.obligations]
    return list(dict.fromkeys(ids))


def recipient_words(ruleset: Ruleset | None = None) -> tuple[str, ...]:
    """The recipient words an expectation may name: the contract's, and the ruleset's own."""
    own = ruleset.recipients if ruleset is not None else ()
    return (*RECIPIENTS, *(r for r in own if r not in RECIPIENTS))


def _check_ids(
    doc: Any,
    index: int,
    code: str,
    rulesets: Mapping[str, Ruleset],
    problems: list[Problem],
    file: str,
) -> None:
    """Each ``expect.obligations`` key names an obligation of the ruleset it points to."""
    expect = doc["cases"][index].get("expect")
    wanted = expect.get("obligations") if isinstance(expect, Mapping) else None
    if not isinstance(wanted, Mapping):
        return
    for key in wanted:
        path: list[str | int] = ["cases", index, "expect", "obligations", key]
        owner, short = key.split(":", 1) if ":" in key else (code, key)
        short = short.split("@", 1)[0]  # a relay up the chain: notify-owner@processor
        ruleset = rulesets.get(owner)
        if ruleset is None:
            hint = difflib.get_close_matches(owner, rulesets, n=1)
            reason = f"no ruleset {owner!r} is loaded" + (
                f"; did you mean {hint[0]!r}?" if hint else ""
            )
            problems.append(Problem(field_path(path), reason, file, line_of(doc, path)))
            continue
        known = _obligation_ids(ruleset)
        if short in recipient_words(ruleset) and short not in known:
            if wanted[key] != "absent":
                reason = (
                    f"{short!r} is a recipient: it takes only 'absent' (no obligation of "
                    f"{owner} to that recipient); check a single obligation by its id "
                    f"({', '.join(known) or 'none defined'})"
                )
                problems.append(Problem(field_path(path), reason, file, line_of(doc, path)))
            continue
        if short not in known:
            hint = difflib.get_close_matches(short, known, n=1)
            reason = (
                f"{owner} defines no obligation {short!r}"
                + (f"; did you mean {hint[0]!r}?" if hint else "")
                + f" (it defines: {', '.join(known) or 'none'})"
            )
            problems.append(Problem(field_path(path), reason, file, line_of(doc, path)))


def _check_moments(doc: Any, index: int, problems: list[Problem], file: str) -> None:
    """``as_of`` and every expected ``due`` and ``not_before`` are instants with an offset."""
    case = doc["cases"][index]
    places: list[tuple[list[str | int], Any]] = []
    if "as_of" in case:
        places.append((["cases", index, "as_of"], case["as_of"]))
    expect = case.get("expect")
    obligations = expect.get("obligations") if isinstance(expect, Mapping) else None
    for key, want in (obligations or {}).items() if isinstance(obligations, Mapping) else ():
        for moment in ("due", "not_before"):
            if isinstance(want, Mapping) and isinstance(want.get(moment), str):
                path: list[str | int] = ["cases", index, "expect", "obligations", key, moment]
                places.append((path, want[moment]))
    for path, value in places:
        if not isinstance(value, str):
            continue  # the schema reports the type
        try:
            parse_timestamp(value)
        except ValueError as exc:
            problems.append(Problem(field_path(path), str(exc), file, line_of(doc, path)))


def read_scenarios(file: Path | str, rulesets: Iterable[Ruleset] | None = None) -> ScenarioFile:
    """Read and check one scenario file; never raises for a malformed file.

    ``rulesets`` are the loaded rulesets (for example ``engine.rulesets``): with them, the
    ruleset code and every obligation id are checked against the law. Problems that
    belong to one case (under ``cases[i]``) fail that case only.
    """
    name = str(file)
    try:
        doc = read_located(file)
    except RulesetError as exc:
        return ScenarioFile(name, None, (), tuple(exc.problems))
    if not isinstance(doc, Mapping):
        mapping = Problem("", "a scenario file is a YAML mapping", name, 1)
        return ScenarioFile(name, None, (), (mapping,))
    by_code = {r.code: r for r in rulesets} if rulesets is not None else None
    problems = schema_problems(_VALIDATOR, doc, name)
    code = doc.get("ruleset") if isinstance(doc.get("ruleset"), str) else None
    listed = doc.get("cases")
    cases: list[Any] = listed if isinstance(listed, list) else []
    if code is not None and by_code is not None and code not in by_code:
        hint = difflib.get_close_matches(code, by_code, n=1)
        problems.append(
            Problem(
                "ruleset",
                f"no ruleset {code!r} is loaded"
                + (f"; did you mean {hint[0]!r}?" if hint else "")
                + " (give its file or folder to breachrules test, or with --rulesets)",
                name,
                line_of(doc, ["ruleset"]),
            )
        )
    if by_code is not None and code in by_code:
        for i, case in enumerate(cases):
            if isinstance(case, Mapping):
                _check_ids(doc, i, code, by_code, problems, name)
    for i, case in enumerate(cases):
        if isinstance(case, Mapping):
            _check_moments(doc, i, problems, name)
    base = plain(doc.get("base")) if isinstance(doc.get("base"), Mapping) else {}
    incidents = [_incident(base, raw) if isinstance(raw, Mapping) else None for raw in cases]
    # Each case's incident as `test` loads it, its problems at the lines they were written
    # (a base's problem that every case has is the file's, said once).
    rules = by_code if by_code is not None and code in by_code else None
    loaded, wrong, shared = check_case_incidents(doc, incidents, name, rules)
    problems.extend(shared)
    per_case: dict[int, list[Problem]] = {i: list(found) for i, found in wrong.items()}
    whole: list[Problem] = []
    for problem in problems:
        index = _case_index(problem.path)
        (per_case.setdefault(index, []) if index is not None else whole).append(problem)
    out: list[Scenario] = []
    for i, raw in enumerate(cases):
        line = line_of(doc, ["cases", i])
        incident = incidents[i]
        if not isinstance(raw, Mapping) or incident is None:
            own = tuple(per_case.get(i, ()))
            out.append(Scenario(name, f"cases[{i}]", line, code or "", {}, {}, None, own))
            continue
        case = plain(raw)
        as_of = case.get("as_of")
        label = case.get("name") if isinstance(case.get("name"), str) else f"cases[{i}]"
        expect = case.get("expect") if isinstance(case.get("expect"), Mapping) else {}
        out.append(
            Scenario(
                name,
                label,
                line,
                code or "",
                incident,
                expect,
                str(as_of) if as_of is not None else None,
                tuple(per_case.get(i, ())),
                loaded[i],
            )
        )
    return ScenarioFile(name, code, tuple(out), tuple(whole))


def _incident(base: dict[str, Any], raw: Mapping[str, Any]) -> dict[str, Any]:
    """A case's incident: the base, the case's ``incident:`` merged into it, and its
    ``exposure:`` merged into every exposure."""
    case = plain(raw)
    own = case.get("incident")
    incident: dict[str, Any] = _merge(base, own if isinstance(own, Mapping) else {})
    exposures = incident.get("exposures")
    if isinstance(case.get("exposure"), Mapping) and isinstance(exposures, list):
        incident["exposures"] = [_merge(e, case["exposure"]) for e in exposures]
    return incident


def _case_index(path: str) -> int | None:
    if path.startswith("cases[") and "]" in path:
        return int(path[len("cases[") : path.index("]")])
    return None


def load_cases(
    file: Path,
) -> tuple[str, list[tuple[str, dict[str, Any], dict[str, Any], str | None]]]:
    """Read a scenario file: its ruleset code and ``(name, incident, expect, as_of)`` cases.

    The plain form of :func:`read_scenarios`, without checks against a ruleset; a file
    the schema rejects raises :class:`~breachrules.errors.RulesetError` naming each
    problem with ``file:line``.
    """
    read = read_scenarios(file)
    problems = [*read.problems, *(p for s in read.cases for p in s.problems)]
    if problems or read.code is None:
        raise RulesetError(problems or [Problem("ruleset", "is required", str(file), 1)])
    return read.code, [(s.name, s.incident, s.expect, s.as_of) for s in read.cases]


def same_instant(got: datetime | None, want: Any) -> bool:
    """``want`` (an expected timestamp as a scenario file writes it) is the moment ``got``,
    at whatever offset it is written: the one comparison of due moments, shared with
    mutation testing's search for a telling case."""
    if got is None or want is None:
        return got is None and want is None
    try:
        return got == parse_timestamp(str(want))
    except ValueError:
        return False


def check_expect(
    assessment: Assessment,
    code: str,
    expect: Mapping[str, Any],
    recipients: Iterable[str] = RECIPIENTS,
) -> Iterator[str]:
    """What in ``assessment`` differs from ``expect`` (a scenario case's ``expect:``).

    An ``obligations`` key is an obligation id, or a recipient word with ``absent``
    (nothing owed to that recipient under this law: "Idaho has no notice to the
    Attorney General").
    """
    recipients = set(recipients)
    try:
        determination = assessment.determination(code)
    except KeyError:
        if expect.get("status", "absent") != "absent":
            yield f"{code} was not evaluated (expected status {expect['status']})"
        return
    if expect.get("status") == "absent":
        yield f"status: expected {code} not to be evaluated, got {determination.status}"
    elif "status" in expect and determination.status != expect["status"]:
        reasons = "; ".join(r.text for r in determination.reasons)
        yield f"status: expected {expect['status']}, got {determination.status} ({reasons})"
    if "missing_facts" in expect and sorted(determination.missing_facts) != sorted(
        expect["missing_facts"]
    ):
        want, have = sorted(expect["missing_facts"]), sorted(determination.missing_facts)
        yield f"missing_facts: expected {want}, got {have}"
    if "presumed_unless" in expect and sorted(determination.presumed_unless) != sorted(
        expect["presumed_unless"]
    ):
        want, have = sorted(expect["presumed_unless"]), sorted(determination.presumed_unless)
        yield f"presumed_unless: expected {want}, got {have}"
    for short, want in (expect.get("obligations") or {}).items():
        ob_id = short if ":" in short else f"{code}:{short}"
        try:
            ob = assessment.obligation(ob_id)
        except KeyError:
            word = ob_id.split(":", 1)[1]
            if want == "absent" and word in recipients:
                # A recipient word: this law owes that recipient nothing at all.
                owed = [
                    o.id
                    for o in assessment.obligations
                    if o.jurisdiction == ob_id.split(":", 1)[0] and o.recipient == word
                ]
                if owed:
                    yield f"{word}: expected no obligation to {word}, got {', '.join(owed)}"
                continue
            if want != "absent":
                yield f"{ob_id}: expected {want}, but the obligation is absent"
            continue
        if want == "absent":
            yield f"{ob_id}: expected absent, got status {ob.status}"
            continue
        yield from _check_obligation(ob, ob_id, want)


def _check_obligation(ob: Obligation, ob_id: str, want: Mapping[str, Any]) -> Iterator[str]:
    for key, value in want.items():
        got: Any = getattr(ob, key, None)
        if key == "reasons":
            # Words, not whole texts: each must appear in one of the obligation's reasons.
            texts = [r.text for r in ob.reasons]
            for words in value:
                if not any(words in text for text in texts):
                    yield f"{ob_id}.reasons: no reason says {words!r} (reasons: {texts!r})"
            continue
        if key in ("due", "not_before"):
            # Instants, not text: the same moment written in another offset matches.
            if not same_instant(got, value):
                shown = format_timestamp(got) if got is not None else None
                yield f"{ob_id}.{key}: expected {value!r}, got {shown!r}"
            continue
        if isinstance(got, tuple):
            got, value = sorted(map(str, got)), sorted(map(str, value or ()))
        else:
            got = _named(got, value)
        if got != value:
            yield f"{ob_id}.{key}: expected {value!r}, got {got!r}"


def _named(got: Any, want: Any) -> Any:
    """``got`` cut to the keys ``want`` names, at every level, by their contract names (a
    deadline's ``from`` is the attribute ``from_``): an expected mapping checks only what
    it says (``substitute_notice: {persons_exceed: 500000}``, ``deadline: {not_before:
    {days: 7}}``)."""
    if not isinstance(want, Mapping):
        return got
    if attrs.has(type(got)):
        return {k: _named(getattr(got, "from_" if k == "from" else k, None), want[k]) for k in want}
    if isinstance(got, Mapping):
        return {k: _named(got.get(k), want[k]) for k in want}
    return got


def run_case(
    engine: Engine,
    code: str,
    incident: dict[str, Any],
    expect: Mapping[str, Any],
    as_of: str | None,
) -> list[str]:
    """Assess one case under ``code`` alone and list what did not match."""
    assessment = engine.assess(load_incident(incident), as_of=as_of, jurisdictions=[code])
    return list(check_expect(assessment, code, expect))


def run_scenario(engine: Engine, case: Scenario) -> Outcome:
    """Run one checked case: a case with problems fails naming them (never runs), and an
    invalid incident or any other error fails this case only, with its message."""
    if case.problems:
        return Outcome(case.file, case.name, tuple(str(p) for p in case.problems), case.line)
    try:
        if case.loaded is not None:  # loaded when the file was read: not loaded again
            assessment = engine.assess(case.loaded, as_of=case.as_of, jurisdictions=[case.code])
            failures = tuple(check_expect(assessment, case.code, case.expect))
        else:
            failures = tuple(run_case(engine, case.code, case.incident, case.expect, case.as_of))
    except BreachrulesError as exc:
        failures = (str(exc),)
    except Exception as exc:  # a broken case must not stop the others
        failures = (f"error while running the case: {type(exc).__name__}: {exc}",)
    return Outcome(case.file, case.name, failures, case.line)


def run_file(engine: Engine, file: Path | str, select: str | None = None) -> list[Outcome]:
    """Run every case of a scenario file (those whose name contains ``select``, if given).

    The file is checked first against the engine's rulesets; a problem of the whole file
    is one failed outcome named ``(file)``.
    """
    read = read_scenarios(file, engine.rulesets)
    if read.problems:
        return [Outcome(read.file, "(file)", tuple(str(p) for p in read.problems), 1)]
    return [
        run_scenario(engine, case)
        for case in read.cases
        if select is None or select.lower() in case.name.lower()
    ]
