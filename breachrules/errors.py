"""breachrules' exception types. Every error the library raises is one of these."""

from __future__ import annotations

import attrs

__all__ = [
    "BreachrulesError",
    "EngineError",
    "InvalidArgument",
    "InvalidIncident",
    "Problem",
    "RulesetError",
]


@attrs.frozen
class Problem:
    """One thing wrong with an input: where (a field path, or file and line) and why."""

    path: str
    reason: str
    file: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = self.path
        if self.file is not None:
            where = f"{self.file}:{self.line}" if self.line else self.file
            if self.path:
                where += f": {self.path}"
        return f"{where}: {self.reason}"


class BreachrulesError(Exception):
    """Base class of every error breachrules raises."""


class _ProblemsError(BreachrulesError):
    def __init__(self, problems: list[Problem], what: str) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{what} ({len(self.problems)} problem(s)):\n{lines}")


class InvalidIncident(_ProblemsError):
    """The incident document does not satisfy the contract.

    ``problems`` lists every problem found, each with its field path (for example
    ``exposures[0].residents.US-CA``) and a plain-language reason.
    """

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems, "invalid incident")


class InvalidArgument(_ProblemsError, ValueError):
    """An argument to the library or the command line is invalid (an unknown jurisdiction,
    an obligation id no assessment produced, a moment out of range).

    ``problems`` name the argument (``--jurisdiction``, ``jurisdictions``) and give the
    near miss where there is one. The command line exits 2 on it, as on a bad incident.
    """

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems, "invalid argument")


class RulesetError(_ProblemsError):
    """A ruleset file is malformed; each problem names its file and line."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems, "invalid ruleset")


class EngineError(BreachrulesError):
    """The rule engine failed while evaluating an assessment."""
