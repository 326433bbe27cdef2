"""Helpers for testing your own rulesets and policies (in the spirit of ``structlog.testing``).

Tests of a policy read best as statements about the assessment: "under US-CA the
owner must notify individuals, due on 1 April". The assertions here say exactly that,
and when they fail they print what the assessment *did* say for that jurisdiction, so
the reader does not have to dump the whole assessment to see why::

    from breachrules.testing import assert_determination, assert_obligation

    assessment = engine.assess(incident)
    assert_determination(assessment, "US-CA", "breach")
    assert_obligation(assessment, "US-CA", "attorney_general", "required",
                      due="2026-04-16T23:59:59-05:00")

:func:`run_folder` runs every YAML scenario file (``docs/ruleset-format.md``, "Scenario
tests") under a folder against the rulesets in that folder plus the bundled ones: the
engine of ``breachrules test PATH``.

Nothing here needs pytest or Hypothesis; a failed assertion raises ``AssertionError``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

import yaml

from breachrules.engine import Engine
from breachrules.law.lines import load_yaml
from breachrules.law.loader import is_scenario_document
from breachrules.model.decisions import Assessment, Determination, Obligation
from breachrules.model.timestamps import format_timestamp, parse_timestamp
from breachrules.model.vocabulary import DETERMINATION_STATUSES, OBLIGATION_STATUSES, RECIPIENTS
from breachrules.testing.scenarios import Outcome, run_file

__all__ = [
    "assert_determination",
    "assert_no_obligation",
    "assert_obligation",
    "bundled_cases",
    "run_folder",
    "scenario_files",
]


class _Unset:
    """Marks an argument that was not given (``None`` is a meaningful ``due``)."""

    def __repr__(self) -> str:
        return "<unset>"


_UNSET = _Unset()


def _describe(ob: Obligation) -> str:
    due = format_timestamp(ob.due) if ob.due is not None else "no fixed due date"
    text = f"{ob.id}: {ob.status} (party {ob.party}, {due})"
    if ob.missing_facts:
        text += f", missing {', '.join(ob.missing_facts)}"
    return text


def _listing(obligations: Iterable[Obligation]) -> str:
    lines = [f"  - {_describe(ob)}" for ob in obligations]
    return "\n".join(lines) if lines else "  (none)"


def _as_moment(value: datetime | str) -> datetime:
    return parse_timestamp(value) if isinstance(value, str) else value


def assert_obligation(
    assessment: Assessment,
    jurisdiction: str,
    recipient: str,
    status: str = "required",
    *,
    due: datetime | str | _Unset | None = _UNSET,
    party: str | None = None,
    missing_facts: Sequence[str] | None = None,
) -> Obligation:
    """Assert that ``jurisdiction`` gives an obligation to notify ``recipient`` as stated.

    ``recipient`` is a contract word (``individuals``, ``attorney_general``,
    ``regulator``, ...) or an obligation id (``US-CA:notify-ag``, or just ``notify-ag``).
    ``due`` (a timestamp, an ISO 8601 string, or ``None`` for "no fixed period"),
    ``party`` and ``missing_facts`` are checked only when given. A law may owe the same
    recipient twice (a regulator's initial and final report); the assertion holds if any
    one of them matches, and that obligation is returned.
    """
    if status not in OBLIGATION_STATUSES:
        raise ValueError(f"status {status!r} is not one of {', '.join(OBLIGATION_STATUSES)}")
    candidates = _candidates(assessment, jurisdiction, recipient)
    if not candidates:
        raise AssertionError(
            f"{jurisdiction}: no obligation to notify {recipient!r}; the assessment lists:\n"
            + _listing(o for o in assessment.obligations if o.jurisdiction == jurisdiction)
            + _determination_note(assessment, jurisdiction)
        )
    wanted_due = None if due is None or isinstance(due, _Unset) else _as_moment(due)
    mismatches: list[str] = []
    for ob in candidates:
        problems: list[str] = []
        if ob.status != status:
            problems.append(f"status is {ob.status}, expected {status}")
        if not isinstance(due, _Unset) and ob.due != wanted_due:
            have = format_timestamp(ob.due) if ob.due else None
            want = format_timestamp(wanted_due) if wanted_due else None
            problems.append(f"due is {have}, expected {want}")
        if party is not None and ob.party != party:
            problems.append(f"party is {ob.party!r}, expected {party!r}")
        if missing_facts is not None and sorted(ob.missing_facts) != sorted(missing_facts):
            problems.append(
                f"missing_facts are {sorted(ob.missing_facts)}, expected {sorted(missing_facts)}"
            )
        if not problems:
            return ob
        mismatches.append(f"  - {ob.id}: " + "; ".join(problems))
    reasons = [r.text for ob in candidates for r in ob.reasons]
    raise AssertionError(
        f"{jurisdiction}: notice to {recipient!r} is not as expected:\n"
        + "\n".join(mismatches)
        + ("\nreasons:\n" + "\n".join(f"  - {t}" for t in reasons) if reasons else "")
    )


def assert_no_obligation(assessment: Assessment, jurisdiction: str, recipient: str) -> None:
    """Assert that nothing is owed to ``recipient`` under ``jurisdiction``.

    Holds when there is no such obligation or every one is ``not_required``; a
    ``conditional`` one fails, because it may yet be owed.
    """
    owed = [
        ob for ob in _candidates(assessment, jurisdiction, recipient) if ob.status != "not_required"
    ]
    if owed:
        raise AssertionError(
            f"{jurisdiction}: expected nothing owed to {recipient!r}, but:\n" + _listing(owed)
        )


def _candidates(assessment: Assessment, jurisdiction: str, recipient: str) -> list[Obligation]:
    by_recipient = [
        ob
        for ob in assessment.obligations
        if ob.jurisdiction == jurisdiction and ob.recipient == recipient
    ]
    # A contract word, or a word the ruleset declares for itself (a policy's ``ciso``).
    if recipient in RECIPIENTS or by_recipient:
        return by_recipient
    wanted = recipient if ":" in recipient else f"{jurisdiction}:{recipient}"
    return [ob for ob in assessment.obligations if ob.id == wanted]


def _determination_note(assessment: Assessment, jurisdiction: str) -> str:
    try:
        d = assessment.determination(jurisdiction)
    except KeyError:
        evaluated = ", ".join(d.jurisdiction for d in assessment.determinations) or "none"
        return f"\n{jurisdiction} was not evaluated (evaluated: {evaluated})"
    return f"\n{jurisdiction} determination: {d.status}"


def assert_determination(
    assessment: Assessment,
    jurisdiction: str,
    status: str,
    *,
    missing_facts: Sequence[str] | None = None,
) -> Determination:
    """Assert the determination under ``jurisdiction`` (``breach``, ``not_breach``, ...).

    ``missing_facts`` (compared as a set) is checked only when given. On failure the
    message carries the determination's reasons, each with its citation.
    """
    if status not in DETERMINATION_STATUSES:
        raise ValueError(f"status {status!r} is not one of {', '.join(DETERMINATION_STATUSES)}")
    try:
        d = assessment.determination(jurisdiction)
    except KeyError:
        evaluated = ", ".join(x.jurisdiction for x in assessment.determinations) or "none"
        raise AssertionError(
            f"{jurisdiction} was not evaluated (expected {status}); evaluated: {evaluated}. "
            "A law that cannot reach the incident is left out unless named with jurisdictions="
        ) from None
    problems: list[str] = []
    if d.status != status:
        problems.append(f"status is {d.status}, expected {status}")
    if missing_facts is not None and sorted(d.missing_facts) != sorted(missing_facts):
        problems.append(
            f"missing_facts are {sorted(d.missing_facts)}, expected {sorted(missing_facts)}"
        )
    if problems:
        reasons = "\n".join(f"  - {r.text} [{r.citation}]" for r in d.reasons)
        raise AssertionError(
            f"{jurisdiction}: "
            + "; ".join(problems)
            + (f"\nreasons:\n{reasons}" if reasons else "")
        )
    return d


# --- scenario folders --------------------------------------------------------------------


def scenario_files(*paths: str | Path) -> tuple[list[Path], list[Path]]:
    """Split the YAML files at ``paths`` into ``(ruleset files, scenario files)``.

    A scenario file is a mapping with ``ruleset:`` and ``cases:``; files and folders whose
    names start with ``_`` (``_directory/``) are data and skipped, as the loader skips them;
    every other YAML file is taken for a ruleset (so that a broken ruleset is reported by
    the loader, with its line, rather than silently skipped). A scenario file given on its
    own brings the rulesets of its folder, where the documented layout keeps them.
    """
    files: list[Path] = []
    for path in paths:
        root = Path(path)
        if root.is_dir():
            # Files and folders named `_*` are data beside the rulesets (the regulator
            # directory, `_directory/`), skipped as the ruleset loader skips them.
            found = (p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
            files += sorted(
                p
                for p in found
                if not any(part.startswith("_") for part in p.relative_to(root).parts)
            )
        else:
            files.append(root)
    rulesets: list[Path] = []
    scenarios: list[Path] = []
    for file in dict.fromkeys(files):
        (scenarios if _is_scenario_file(file) else rulesets).append(file)
    given = {Path(p) for p in paths}
    for file in list(scenarios):
        if file not in given:
            continue
        for sibling in sorted(file.parent.glob("*.y*ml")):
            if (
                sibling.suffix in (".yaml", ".yml")
                and sibling not in rulesets
                and sibling not in scenarios
                and not _is_scenario_file(sibling)
            ):
                rulesets.append(sibling)
    return rulesets, scenarios


def bundled_cases(ruleset: Path) -> Path | None:
    """The bundled scenario file for the law a copied ruleset file replaces, or None.

    Amending a law starts from a copy of its bundled file (docs/register-and-impact.md,
    "Amending a law"), and its own cases are the first test of the copy. They ship in a
    checkout's ``tests/rulesets/``, at the bundled file's relative path
    (``rulesets/us/wa.yaml``: ``tests/rulesets/us/wa.yaml``), not in the installed package:
    outside a checkout there is none to name.
    """
    from breachrules.law.overrides import bundled_paths

    code = _code(ruleset)
    if code is None:
        return None
    for root in bundled_paths():
        cases = root.parent / "tests" / "rulesets"
        if not cases.is_dir():
            continue
        for bundled in sorted(root.rglob("*.yaml")):
            found = cases / bundled.relative_to(root)
            if _code(bundled) == code and found.is_file():
                return found
    return None


def _code(ruleset: Path) -> str | None:
    """A ruleset file's ``code:`` (its top-level line), read without loading the file."""
    try:
        text = ruleset.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    for line in text.splitlines():
        if line.startswith("code:"):
            return line.removeprefix("code:").strip().strip("'\"") or None
    return None


def _is_scenario_file(file: Path) -> bool:
    try:
        doc = load_yaml(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return False  # the ruleset loader reports it with file and line
    return is_scenario_document(doc)


def run_folder(
    path: str | Path | Sequence[str | Path],
    engine: Engine | None = None,
    select: str | None = None,
) -> list[Outcome]:
    """Run every scenario case under ``path`` (a file, a folder, or a list of them); one
    :class:`Outcome` per case, in file order.

    Without ``engine``, the rulesets found under ``path`` are loaded together with the
    bundled ones (a broken ruleset raises :class:`~breachrules.errors.RulesetError`
    naming file and line, before any case runs). Each scenario file is checked against
    the loaded rulesets first (:func:`~breachrules.testing.scenarios.read_scenarios`): a
    misspelled key, obligation id or status fails its case with ``file:line``. A case
    whose incident is invalid, or that breaks in any other way, is a failed outcome, not
    an exception, so one bad case never hides the rest. ``select`` keeps the cases whose
    name contains it (``breachrules test -k``).
    """
    paths = [path] if isinstance(path, str | Path) else list(path)
    rulesets, scenarios = scenario_files(*paths)
    if engine is None:
        engine = Engine(paths=rulesets)
    outcomes: list[Outcome] = []
    for file in scenarios:
        outcomes += run_file(engine, file, select)
    return outcomes
