"""The pure-Python backend: the same compiled rules, evaluated without durable-rules.

It offers the interface of :mod:`breachrules.engine._durable` (``compile_rules``, ``register``,
``evaluate`` yielding a session whose ``assert_facts`` returns firings) and evaluates each
rule with the Kleene reference semantics of :func:`breachrules.conditions.evaluate` (each
condition compiled once into a function, :func:`compile_test`), which the durable-rules
backend is tested against. A rule "fires" true or false exactly as the
durable backend's pair of rules would; an unknown result fires neither.

Why keep it: durable-rules is a C extension that does not build everywhere (release 2.0.28
does not import on Python 3.13), and a second, independent implementation of the same
semantics is what the differential tests compare against.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from breachrules.engine.truth import Truth
from breachrules.law.conditions import All, Always, Any_, Compare, Has, Node, Not

__all__ = [
    "Firing",
    "Rules",
    "compile_rules",
    "compile_test",
    "evaluate",
    "live_sessions",
    "register",
]

#: (rule index, polarity True/False, fact index)
Firing = tuple[int, bool, int]


class Rules:
    """The compiled rules: (condition, fact kind) pairs indexed by position, and per fact
    kind the rules of that kind and the fact keys they read, worked out once."""

    def __init__(self, rules: Sequence[tuple[Node, str]]) -> None:
        self.rules = tuple(rules)
        self.by_kind: dict[str, tuple[tuple[int, Test], ...]] = {}
        self.keys: dict[str, tuple[str, ...]] = {}
        for kind in dict.fromkeys(k for _, k in self.rules):
            mine = [(i, node) for i, (node, k) in enumerate(self.rules) if k == kind]
            self.by_kind[kind] = tuple((i, compile_test(node)) for i, node in mine)
            self.keys[kind] = tuple(sorted({key for _, node in mine for key in _keys(node)}))


Test = Callable[[Mapping[str, Any]], Truth]

_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
    "in": lambda value, expected: value in expected,
}


def compile_test(node: Node) -> Test:
    """``node`` as a function of the facts, with the values of ``conditions.evaluate``
    (Kleene logic) without walking the tree on every call: each condition of a law runs
    once per fact of every assessment. ``All`` and ``Any_`` stop at the first value that
    decides them, which changes nothing (conditions have no side effects)."""
    if isinstance(node, Always):
        return lambda facts: True
    if isinstance(node, Has):
        key = f"{node.field}:{node.word}"

        def has(facts: Mapping[str, Any]) -> Truth:
            flag = facts.get(key)
            return None if flag is None else bool(flag)

        return has
    if isinstance(node, Compare):
        field, compare, expected = node.field, _OPS[node.op], node.value

        def test(facts: Mapping[str, Any]) -> Truth:
            value = facts.get(field)
            return None if value is None else bool(compare(value, expected))

        return test
    if isinstance(node, Not):
        inner = compile_test(node.item)

        def negated(facts: Mapping[str, Any]) -> Truth:
            value = inner(facts)
            return None if value is None else not value

        return negated
    tests = tuple(compile_test(item) for item in node.items)
    decisive = isinstance(node, Any_)  # True decides "any", False decides "all"

    def combined(facts: Mapping[str, Any]) -> Truth:
        unknown = False
        for one in tests:
            value = one(facts)
            if value is decisive:
                return decisive
            if value is None:
                unknown = True
        return None if unknown else not decisive

    return combined


def _keys(node: Node) -> Iterator[str]:
    """The fact keys ``conditions.evaluate`` reads for ``node``."""
    if isinstance(node, Compare):
        yield node.field
    elif isinstance(node, Has):
        yield f"{node.field}:{node.word}"
    elif isinstance(node, Not):
        yield from _keys(node.item)
    elif isinstance(node, All | Any_):
        for item in node.items:
            yield from _keys(item)


def compile_rules(rules: Sequence[tuple[Node, str]]) -> Rules:
    """The rules, indexed by position and grouped by fact kind."""
    return Rules(rules)


def register(definition: Rules, label: str) -> Rules:
    """Nothing to register: the rules themselves are the handle (no process-wide state)."""
    return definition


class Session:
    """Evaluates facts against one registered rule list; holds no state between calls.

    Facts that agree on every key the rules read get the same values, so each distinct
    combination is evaluated once: a thousand exposures of a few kinds cost a few
    evaluations, not a thousand.
    """

    def __init__(self, rules: Rules) -> None:
        self._rules = rules

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def assert_facts(self, kind: str, facts: Sequence[Mapping[str, Any]]) -> list[Firing]:
        out: list[Firing] = []
        rules = self._rules.by_kind.get(kind, ())
        if len(facts) == 1:  # the common case: one fact, nothing to share
            fact = facts[0]
            for rule_index, test in rules:
                value = test(fact)
                if value is not None:
                    out.append((rule_index, value, 0))
            return out
        keys = self._rules.keys.get(kind, ())
        seen: dict[tuple[Any, ...], list[tuple[int, bool]]] = {}
        for fact_index, fact in enumerate(facts):
            key = tuple(map(fact.get, keys))
            fired = seen.get(key)
            if fired is None:
                fired = seen[key] = [
                    (rule_index, value)
                    for rule_index, test in rules
                    if (value := test(fact)) is not None
                ]
            out.extend([(rule_index, value, fact_index) for rule_index, value in fired])
        return out


def evaluate(name: Rules) -> Session:
    """A session over the rules ``register`` returned (thread-safe: no shared state), to
    use in a ``with`` statement as the durable backend's is (a class, not
    ``contextlib.contextmanager``: a generator per law of every assessment cost more than
    the session)."""
    return Session(name)


def live_sessions() -> int:
    """Always 0: this backend keeps no sessions."""
    return 0
