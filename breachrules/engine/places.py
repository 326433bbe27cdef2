"""The places a duty's "residents of one place" test is met by, for its reason.

"More than 500 residents of a State or jurisdiction" (45 CFR 164.406) is tested on the
largest count of one place; the reason shows the test, and the facts it lists show every
place's count. This names the places over the line with their counts, so that a reader
sees "US-TX (1900)" rather than adding up the residents listed (UT12 F13).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from breachrules.engine.compiled import Compiled, Step
from breachrules.engine.reach import Reached
from breachrules.engine.truth import Truth
from breachrules.law.conditions import All, Any_, Compare, Node

__all__ = ["places_over"]

#: The comparisons a "residents of one place" test makes (``Compiled.place_tests``).
_PLACE_OPS: dict[str, Callable[[int, Any], bool]] = {
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
    "eq": operator.eq,
    "ne": operator.ne,
}


def _never(n: int, v: Any) -> bool:
    return False


def places_over(
    c: Compiled, step: Step, affected: tuple[int, ...], reached: Reached, when: Truth
) -> str:
    """The places whose count meets a duty's "residents of one place" test, each with its
    count, for its reason: "more than 500 residents of a State" is met (or, while the
    breach is not decided, would be) by Texas's 1,900, which a reader should not have to
    add up from the residents listed (UT12 F13). The counts are of the exposures the duty
    read, in the law's own places where it counts only those; a whole country's code
    (people in some State, which one not known) is no place of its own. Nothing for a
    duty that does not test one place's count, or whose test failed."""
    if when is False or not c.place_tests or "residents_max_place" not in step.scalars:
        return ""
    tests = _own_tests(step.rule.when)
    if not tests:
        return ""
    per_exposure = reached.local if reached.local is not None else reached.residents
    totals: dict[str, int] = {}
    for i in affected:
        if 0 <= i < len(per_exposure):
            for code, n in per_exposure[i].items():
                if code not in c.whole_countries:
                    totals[code] = totals.get(code, 0) + n
    over = [
        f"{code} ({n})"
        for code, n in totals.items()
        if all(_PLACE_OPS.get(op, _never)(n, v) for op, v in tests)
    ]
    if not over:
        return ""
    if when is None:
        return f"; the place(s) meeting it, should their exposures be a breach: {', '.join(over)}"
    return f"; the place(s) meeting it: {', '.join(over)}"


def _own_tests(when: Node) -> list[tuple[str, Any]]:
    """The duty's own comparisons of one place's count (not another duty's, nor one under
    a ``not``, whose line runs the other way)."""
    found: list[tuple[str, Any]] = []
    stack: list[Node] = [when]
    while stack:
        node = stack.pop()
        if isinstance(node, All | Any_):
            stack.extend(node.items)
        elif isinstance(node, Compare) and node.field == "residents_max_place":
            found.append((node.op, node.value))
    return found
