"""The pure-Python backend: the same compiled rules, evaluated without durable-rules.

It offers the interface of :mod:`breachrules.engine._durable` (``compile_rules``, ``register``,
``evaluate`` yielding a session whose ``assert_facts`` returns firings) and evaluates each
rule with :func:`breachrules.conditions.evaluate`, the Kleene reference semantics that the
durable-rules backend is tested against. A rule "fires" true or false exactly as the
durable backend's pair of rules would; an unknown result fires neither.

Why keep it: durable-rules is a C extension that does not build everywhere (release 2.0.28
does not import on Python 3.13), and a second, independent implementation of the same
semantics is what the differential tests compare against.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from breachrules.law.conditions import Node
from breachrules.law.conditions import evaluate as _evaluate

__all__ = ["Firing", "compile_rules", "evaluate", "live_sessions", "register"]

#: (rule index, polarity True/False, fact index)
Firing = tuple[int, bool, int]

Rules = tuple[tuple[Node, str], ...]


def compile_rules(rules: Sequence[tuple[Node, str]]) -> Rules:
    """The rules as they are: (condition, fact kind) pairs, indexed by position."""
    return tuple(rules)


def register(definition: Rules, label: str) -> Rules:
    """Nothing to register: the rules themselves are the handle (no process-wide state)."""
    return definition


class Session:
    """Evaluates facts against one registered rule list; holds no state between calls."""

    def __init__(self, rules: Rules) -> None:
        self._rules = rules

    def assert_facts(self, kind: str, facts: Sequence[Mapping[str, Any]]) -> list[Firing]:
        out: list[Firing] = []
        for fact_index, fact in enumerate(facts):
            for rule_index, (node, rule_kind) in enumerate(self._rules):
                if rule_kind != kind:
                    continue
                value = _evaluate(node, fact)
                if value is not None:
                    out.append((rule_index, value, fact_index))
        return out


@contextmanager
def evaluate(name: Rules) -> Iterator[Session]:
    """A session over the rules ``register`` returned (thread-safe: no shared state)."""
    yield Session(name)


def live_sessions() -> int:
    """Always 0: this backend keeps no sessions."""
    return 0
