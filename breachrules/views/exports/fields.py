"""An incident document built from a SOAR platform's own fields, told in those fields.

The TheHive and XSOAR adapters (``examples/integrations/``) build a one-party,
one-exposure incident document from a handful of custom fields an analyst fills in
(``breachResidents``, ``breachaffectedresidents``, ...). The loader names a problem by the
path in the document it checks (``exposures[0].residents.US-MX``), which the analyst never
wrote: :class:`Fields` remembers which platform field each path came from, so a problem
names the field to correct (``breachResidents (exposures[0].residents.US-MX): ...``), and
collects what the analyst must hear though nothing is invalid: a fallback the adapter
took for an unset field (every deadline runs from discovery, so a stand-in for it is
said, with the value used), a yes/no value it could not read (read as unknown), a field
whose name is almost one it reads (ignored). Those warnings lead the assessment's own
(:meth:`Fields.onto`), so they reach the platform and the audit log with it.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from breachrules.errors import InvalidIncident, Problem
from breachrules.model.decisions import Assessment

__all__ = ["YES_NO", "Fields", "json_kind"]

#: The words a yes/no field may hold, and the fact each gives (``None``: unknown).
YES_NO: dict[str, bool | None] = {
    "yes": True,
    "no": False,
    "true": True,
    "false": False,
    "unknown": None,
}


#: JSON's words for a value that is not an object (``json_kind``).
_JSON_KINDS = {
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
}


def json_kind(value: Any) -> str:
    """What a parsed JSON value is, in JSON's words ("an array", "null"): for a problem
    that says an object was expected and what came instead."""
    return _JSON_KINDS.get(type(value), type(value).__name__)


@attrs.define
class Fields:
    """The platform fields an adapter read into a document: ``sources`` maps each
    document path to the field its value came from (``""``: the whole document came
    from one field); ``warnings`` is what the analyst must hear of them."""

    sources: dict[str, str] = attrs.field(factory=dict)
    warnings: list[str] = attrs.field(factory=list)

    def put(self, path: str, field: str, value: Any) -> Any:
        """``value`` for ``path``, remembered as coming from ``field``."""
        self.sources[path] = field
        return value

    def yes_no(self, path: str, field: str, value: Any) -> bool | None:
        """A yes/no field (``Yes``, ``No``, ``Unknown``; ``true``/``false``; a boolean).
        Any other value is read as unknown with a warning: a typo ("N0") must not turn
        a known fact into an unknown one unsaid."""
        self.sources[path] = field
        if value is None or isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in YES_NO or not text:
            return YES_NO.get(text)
        self.warnings.append(
            f"{field}: {value!r} is not yes, no or unknown, so {path} is read as unknown; "
            "set the field to Yes or No if the fact is known"
        )
        return None

    def fallback(self, path: str, field: str, used: str, value: Any) -> Any:
        """``value`` for ``path`` taken from ``used`` because ``field`` is unset, said in
        a warning with the value: the document must not pass a stand-in off as the fact."""
        self.sources[path] = used
        self.warnings.append(
            f"{field} is not set: {path} is taken from {used} ({value}); every deadline "
            f"runs from it, so set {field} if the breach was discovered at another moment"
        )
        return value

    def counts(self, path: str, field: str, value: Any) -> Any:
        """A JSON object of residence code to count, given as text (or already parsed).
        Text that is not JSON, or JSON that is not an object, is refused naming
        ``field``; each count that is a whole number in text becomes one, any other value
        passes on for the loader to name."""
        self.sources[path] = field
        if value is None or value == "":
            return {}
        parsed = value
        if isinstance(value, str):
            try:
                parsed = json.loads(value)
            except ValueError as exc:
                raise InvalidIncident([Problem(field, _not_counts(f"not JSON ({exc})"))]) from None
        if not isinstance(parsed, Mapping):
            kind = json_kind(parsed)
            raise InvalidIncident([Problem(field, _not_counts(f"got {kind}"))])
        return {str(k): _count(v) for k, v in parsed.items()}

    def unread(self, names: Iterable[str], read: Sequence[str], kept: Sequence[str] = ()) -> None:
        """A warning for each field in ``names`` that looks like one the adapter reads (it
        starts with ``breach``, or is a near miss of one) but is not: its value is ignored,
        and a misspelt ``breachEncryptd`` would otherwise leave a known fact unknown
        unsaid. ``kept``: fields of the adapter's own (its outputs), never warned of."""
        known = {n.lower(): n for n in (*read, *kept)}
        for name in names:
            if name.lower() in known:
                continue
            near = difflib.get_close_matches(name.lower(), list(known), n=1, cutoff=0.8)
            if not near and not name.lower().startswith("breach"):
                continue
            hint = f"did you mean {known[near[0]]}?" if near else f"it reads {', '.join(read)}"
            self.warnings.append(
                f"{name}: not a field breachrules reads, so its value is ignored; {hint}"
            )

    def overridden(self, whole: str, simple: Sequence[str]) -> None:
        """A warning that the simple fields ``simple`` are ignored because the whole
        document field ``whole`` is set (its document says everything)."""
        if simple:
            self.warnings.append(
                f"{whole} is set, so {', '.join(simple)} "
                f"{'is' if len(simple) == 1 else 'are'} ignored: the whole document decides"
            )

    def named(self, problems: Iterable[Problem]) -> list[Problem]:
        """``problems`` with each path that came from a platform field named by that
        field, the document path after it: ``breachResidents (exposures[0].residents.X)``."""
        return [self._named(p) for p in problems]

    def refused(self, exc: InvalidIncident) -> InvalidIncident:
        """``exc`` again, its problems naming the platform fields (:meth:`named`)."""
        return InvalidIncident(self.named(exc.problems))

    def onto(self, assessment: Assessment) -> Assessment:
        """``assessment`` with these warnings ahead of its own."""
        if not self.warnings:
            return assessment
        return attrs.evolve(assessment, warnings=(*self.warnings, *assessment.warnings))

    def _named(self, problem: Problem) -> Problem:
        matches = [p for p in self.sources if _under(problem.path, p)]
        if not matches:
            return problem
        field = self.sources[max(matches, key=len)]
        if problem.path in ("", "(document)"):
            return attrs.evolve(problem, path=field)
        return attrs.evolve(problem, path=f"{field} ({problem.path})")


def _under(path: str, prefix: str) -> bool:
    """Whether ``path`` is ``prefix`` or a path inside it."""
    return prefix == "" or path == prefix or path.startswith((prefix + ".", prefix + "["))


def _count(value: Any) -> Any:
    text = str(value).strip()
    return int(text) if isinstance(value, str) and text.isdigit() else value


def _not_counts(why: str) -> str:
    return (
        f"expected a JSON object of residence code to count, such as "
        f'{{"US-MA": 820, "DE": 12}}: {why}'
    )
