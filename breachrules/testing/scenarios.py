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

``run_file`` returns one :class:`Outcome` per case; the test suite runs every scenario
file under ``tests/rulesets`` and users run their own with the same function.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import yaml

from breachrules.engine import Engine
from breachrules.io.serde import load_incident
from breachrules.model.decisions import Assessment
from breachrules.model.timestamps import format_timestamp

__all__ = ["Outcome", "load_cases", "run_case", "run_file"]


@attrs.frozen
class Outcome:
    """One case's result: ``failures`` is empty when every expectation held."""

    file: str
    name: str
    failures: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.failures


def _merge(base: Any, override: Any) -> Any:
    if isinstance(base, Mapping) and isinstance(override, Mapping):
        out = dict(base)
        for key, value in override.items():
            out[key] = _merge(base.get(key), value) if key in base else copy.deepcopy(value)
        return out
    return copy.deepcopy(override)


def load_cases(
    file: Path,
) -> tuple[str, list[tuple[str, dict[str, Any], dict[str, Any], str | None]]]:
    """Read a scenario file: its ruleset code and ``(name, incident, expect, as_of)`` cases."""
    doc = yaml.safe_load(file.read_text(encoding="utf-8"))
    code = doc["ruleset"]
    base = doc.get("base", {})
    out = []
    for case in doc["cases"]:
        incident = _merge(base, case.get("incident", {}))
        if "exposure" in case:
            incident["exposures"] = [
                _merge(e, case["exposure"]) for e in incident.get("exposures", [])
            ]
        as_of = case.get("as_of")
        out.append((case["name"], incident, case.get("expect", {}), str(as_of) if as_of else None))
    return code, out


def _check(assessment: Assessment, code: str, expect: Mapping[str, Any]) -> Iterator[str]:
    try:
        determination = assessment.determination(code)
    except KeyError:
        if expect.get("status", "absent") != "absent":
            yield f"{code} was not evaluated (expected status {expect['status']})"
        return
    if "status" in expect and determination.status != expect["status"]:
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
            if want != "absent":
                yield f"{ob_id}: expected {want}, but the obligation is absent"
            continue
        if want == "absent":
            yield f"{ob_id}: expected absent, got status {ob.status}"
            continue
        for key, value in want.items():
            got: Any = getattr(ob, key)
            if key == "due":
                got = format_timestamp(got) if got is not None else None
                value = str(value) if value is not None else None
            elif isinstance(got, tuple):
                got, value = sorted(got), sorted(value)
            elif attrs.has(type(got)) and isinstance(value, Mapping):
                # A mapping checks only the keys it names (e.g. substitute_notice).
                got = {k: getattr(got, k, None) for k in value}
            if got != value:
                yield f"{ob_id}.{key}: expected {value!r}, got {got!r}"


def run_case(
    engine: Engine,
    code: str,
    incident: dict[str, Any],
    expect: Mapping[str, Any],
    as_of: str | None,
) -> list[str]:
    """Assess one case under ``code`` alone and list what did not match."""
    assessment = engine.assess(load_incident(incident), as_of=as_of, jurisdictions=[code])
    return list(_check(assessment, code, expect))


def run_file(engine: Engine, file: Path) -> list[Outcome]:
    """Run every case of a scenario file."""
    code, cases = load_cases(file)
    return [
        Outcome(str(file), name, tuple(run_case(engine, code, inc, exp, as_of)))
        for name, inc, exp, as_of in cases
    ]
