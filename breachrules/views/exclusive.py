"""Notices that exclude each other: one law's two duties on either side of one head count.

HIPAA owes the Secretary a notice within 60 days where 500 or more individuals are
affected (45 CFR 164.408(b)) and an annual log entry where fewer are (164.408(c)). While
the breach, and so the count, is not decided, both are conditional, and a plan or a set of
drafts listing both reads as two filings; never both are owed. Each duty's reason names
its test ("the test is affected residents >= 500"); two duties of one law to one kind of
recipient whose tests are the same count on either side of the same number exclude each
other, and the plan and the drafts say so, naming the count that decides (UT12 F7).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from breachrules.model.decisions import Obligation

__all__ = ["excluded_by", "exclusion_words"]

#: How a duty's reason names its head-count test (``engine.compiled._tests``).
_TEST = re.compile(r"\(the test is ([^;)]+) (>=|>|<=|<) (\d+)\)")
#: Each comparison and the one that holds exactly where it does not.
_OPPOSITE = {">=": "<", "<": ">=", ">": "<=", "<=": ">"}


def _test(o: Obligation) -> tuple[str, str, str] | None:
    """The one head-count test a duty's own reason names (its first reason), if one."""
    if not o.reasons:
        return None
    found = _TEST.findall(o.reasons[0].text)
    return found[0] if len(found) == 1 else None


def excluded_by(o: Obligation, others: Iterable[Obligation]) -> list[Obligation]:
    """The live duties of ``o``'s law to the same kind of recipient, from the same party,
    owed exactly where ``o`` is not: the same count tested on the other side of the same
    number. Only while both are conditional: once the count is known one of them is not
    required, and nothing needs saying."""
    mine = _test(o)
    if mine is None or o.status != "conditional":
        return []
    field, op, value = mine
    return [
        p
        for p in others
        if p.id != o.id
        and p.status == "conditional"
        and p.jurisdiction == o.jurisdiction
        and p.recipient == o.recipient
        and p.party == o.party
        and _test(p) == (field, _OPPOSITE[op], value)
    ]


def exclusion_words(o: Obligation, other: str) -> str:
    """The note: ``o`` and ``other`` (an action's number, an obligation id) are never both
    owed; which one is depends on the count its test names, decided with the facts they
    wait on."""
    test = _test(o)
    assert test is not None
    field, op, value = test
    return (
        f"one of this and {other}, never both: this if {field} {op} {value}, the other "
        "otherwise (the count is decided with the facts they wait on)"
    )
