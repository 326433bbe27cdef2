"""Three-valued (Kleene) logic: ``True``, ``False`` and ``None`` for "unknown".

An unknown fact makes an outcome unknown, never false: these few functions are how every
stage combines rule values, and the words a reason uses for each value.
"""

from __future__ import annotations

from collections.abc import Iterable

from breachrules.model.decisions import ObligationStatus

__all__ = [
    "EXCEPTION_WORDS",
    "STATUS",
    "WORDS",
    "Truth",
    "agree",
    "all_of",
    "and_not",
    "any_of",
    "merge_worlds",
    "negate",
]

Truth = bool | None


def all_of(values: Iterable[Truth]) -> Truth:
    """Kleene AND: false if any is false, else unknown if any is unknown, else true."""
    vals = list(values)
    if False in vals:
        return False
    return None if None in vals else True


def and_not(a: Truth, b: Truth, exception: Truth) -> Truth:
    """Kleene ``a AND b AND NOT exception``: what a breach rule (information, trigger, no
    exception) and a duty (its rule, no exception, the breach it needs) both come to.
    Written out, without building a list: it runs for every exposure kind and every duty
    of every assessment."""
    if a is False or b is False or exception is True:
        return False
    if a is None or b is None or exception is None:
        return None
    return True


def any_of(values: Iterable[Truth]) -> Truth:
    """Kleene OR: true if any is true, else unknown if any is unknown, else false."""
    vals = list(values)
    if True in vals:
        return True
    return None if None in vals else False


def negate(value: Truth) -> Truth:
    """Kleene NOT: unknown stays unknown."""
    return None if value is None else not value


def agree(values: list[bool]) -> Truth:
    """The value every possible world agrees on, else unknown."""
    return values[0] if all(v == values[0] for v in values) else None


def merge_worlds(worlds: list[dict[int, Truth]]) -> dict[int, Truth]:
    """A rule's value across possible worlds: decided where all agree, else unknown."""
    if len(worlds) == 1:
        return worlds[0]
    keys = set().union(*worlds)
    return {
        k: worlds[0].get(k) if all(w.get(k) == worlds[0].get(k) for w in worlds) else None
        for k in keys
    }


#: How a rule's value reads in a reason, and an exception's.
WORDS: dict[Truth, str] = {True: "met", False: "not met", None: "unknown"}
EXCEPTION_WORDS: dict[Truth, str] = {
    True: "applies",
    False: "does not apply",
    None: "may apply (facts unknown)",
}
#: An obligation's status from its value.
STATUS: dict[Truth, ObligationStatus] = {
    True: "required",
    False: "not_required",
    None: "conditional",
}
