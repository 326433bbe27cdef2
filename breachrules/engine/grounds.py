"""The grounds a duty's reason names: the head-count tests its rule applies, and, once a
rule offering a choice of grounds is met, the grounds that hold.

A reason says "met (the test is affected residents > 1000)" so that a reader sees the
number a count was measured against. For a choice (``any:``) that text named every head
count the rule reads, met or not: Japan's preliminary report for 400 residents whose
credentials leaked read "met (the test is affected residents > 1000)" (UT13 F4). A met
choice now says which grounds hold ("met on: elements include credentials"), so a reason
never names a ground that is not met as the one met. The same held for a rule not met: the
GDPR's communication to data subjects, unmet because the risk was not high, read "not met
(the test is affected residents of the law's own places > 0)", a count that held. A rule
not met now names only the head counts that fail, and none where every count holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from breachrules.engine.truth import WORDS
from breachrules.law.conditions import All, Any_, Compare, Has, Node, evaluate
from breachrules.law.ruleset import Rule

__all__ = ["met_text", "tests_words", "unmet_text"]

_OPS = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<=", "eq": "=", "ne": "!="}
_COUNTED = {
    "residents": "affected residents",
    "residents_max_place": "affected residents of one place",
    "persons_total": "affected persons, every place",
    "local_residents": "affected residents of the law's own places",
    "persons_every_exposure": "affected persons, every breached exposure",
}


def tests_words(rule: Rule) -> str:
    """The head-count thresholds a duty's rule tests, in its reason (``more than 500``
    reads ``affected residents > 500``): the facts a reason lists show the counts, not the
    number they were measured against."""
    found = [words for _, words in _tests(rule.when)]
    return f" (the test is {'; '.join(dict.fromkeys(found))})" if found else ""


def met_text(rule: Rule, text: str, fact: Mapping[str, Any]) -> str:
    """A met duty's reason (``text``, its precomputed words for "met"), naming the grounds
    that hold on ``fact`` where the rule offers a choice.

    A rule with no choice keeps ``text``: every test it names is met. A choice names the
    grounds that hold ("met on: elements include credentials"); a head count that holds is
    named among them ("met on: affected residents > 1000"), not as "(the test is ...)",
    which views.exclusive reads of conditional duties only. Should no ground be found to
    hold (the facts read here not agreeing with the backend's value), the title stands
    with "met" alone rather than with a ground that may not hold."""
    when = rule.when
    known = _CHOICE.get(id(when))
    if known is None or known[0] is not when:
        # Once per condition tree (a law's rules are the same objects in every
        # assessment): walking it per met duty cost the hot path about 5 %.
        known = _CHOICE[id(when)] = (when, _has_choice(when))
    if not known[1]:
        return text
    held = _held(rule.when, fact)
    if not held:
        return f"{rule.title}: {WORDS[True]}"
    return f"{rule.title}: {WORDS[True]} on: {_grouped(held)}"


def unmet_text(rule: Rule, text: str, fact: Mapping[str, Any]) -> str:
    """A duty's reason when its rule is not met (``text``, its precomputed words for "not
    met"), naming among its head-count tests only those that fail on ``fact``: a count
    that holds is not why the rule is unmet. With no count failing, the title stands with
    "not met" alone and the facts listed beneath it show what was read."""
    tests = _tests(rule.when)
    if not tests:
        return text
    failing = [words for node, words in tests if evaluate(node, fact) is not True]
    if len(failing) == len(tests):
        return text
    suffix = f" (the test is {'; '.join(dict.fromkeys(failing))})" if failing else ""
    return f"{rule.title}: {WORDS[False]}{suffix}"


def _tests(when: Node) -> list[tuple[Compare, str]]:
    """The head-count tests of a rule's condition tree with their words, in reading order,
    worked out once per tree (a law's rules are the same objects in every assessment, and
    an unmet duty's reason asks for them on every one)."""
    known = _TESTS.get(id(when))
    if known is None or known[0] is not when:
        known = _TESTS[id(when)] = (when, _walk_tests(when))
    return known[1]


def _walk_tests(node: Node) -> list[tuple[Compare, str]]:
    if isinstance(node, Compare):
        if node.field in _COUNTED and node.op in _OPS:
            return [(node, f"{_COUNTED[node.field]} {_OPS[node.op]} {node.value}")]
        return []
    if isinstance(node, All | Any_):
        return [t for item in node.items for t in _walk_tests(item)]
    return []


#: Each condition tree's head-count tests, by the tree's id (the tree kept beside it).
_TESTS: dict[int, tuple[Node, list[tuple[Compare, str]]]] = {}


#: Whether each rule's condition tree offers a choice, by the tree's id (the tree kept
#: beside it, so that an id reused by another object is never taken for it).
_CHOICE: dict[int, tuple[Node, bool]] = {}


def _has_choice(node: Node) -> bool:
    """Whether a rule offers a choice of grounds (an ``any:`` of two or more anywhere in
    it): only then can a ground it reads be unmet while it is met."""
    if isinstance(node, Any_):
        return len(node.items) > 1 or any(_has_choice(i) for i in node.items)
    if isinstance(node, All):
        return any(_has_choice(i) for i in node.items)
    return False


def _held(node: Node, fact: Mapping[str, Any]) -> list[str]:
    """The leaves of a met rule that hold on ``fact``, in words (a head count as its test,
    ``affected residents > 1000``): every branch of an ``all:``, the branches of an
    ``any:`` that hold. A negated test (``not:``) is left unnamed: what it rules out is not
    a ground."""
    if evaluate(node, fact) is not True:
        return []
    if isinstance(node, Compare):
        if node.field in _COUNTED and node.op in _OPS:
            return [f"{_COUNTED[node.field]} {_OPS[node.op]} {node.value}"]
        value = str(node.value).lower() if isinstance(node.value, bool) else node.value
        return [f"{node.field} {_OPS.get(node.op, node.op)} {value}"]
    if isinstance(node, Has):
        return [f"{node.field} include {node.word}"]
    if isinstance(node, All | Any_):
        return [leaf for item in node.items for leaf in _held(item, fact)]
    return []


def _grouped(words: Iterable[str]) -> str:
    """Grounds in words, once each, a set's members under one heading ("elements include
    name, credentials" for two element tests that hold)."""
    out: dict[str, list[str]] = {}
    for w in dict.fromkeys(words):
        head, sep, member = w.partition(" include ")
        if sep:
            out.setdefault(f"{head} include", []).append(member)
        else:
            out.setdefault(w, [])
    return "; ".join(f"{k} {', '.join(v)}" if v else k for k, v in out.items())
