"""The only module that imports durable-rules. Everything else sees plain Python.

durable-rules 2.0.28 is a C extension with a process-wide registry and quirks that this
module contains:

- ``durable.engine.Host`` starts background timer threads that dispatch actions and
  timers; under threads they segfault and make ``post`` sometimes return None. Our host
  subclass never starts them: every action runs synchronously inside ``assert_fact``.
- The C engine is not thread-safe, so every call into it is made under one process-wide
  lock.
- A ruleset holds at most 1,024 live sessions; past that it raises MemoryError and is
  corrupt afterwards. Each evaluation uses a fresh session id and deletes the session's
  state in ``finally``.
- ``Ruleset.__init__`` mutates the definition it is given (it pops ``run``), so
  definitions are deep-copied before registering.
- Exceptions raised inside actions are swallowed into the session state under
  ``"exception"``; we read them back and raise :class:`EngineError`.
- Asserting a batch of facts fails as a whole when one fact matches no rule, and
  ``$nex`` loops forever; we assert facts one by one and never emit ``$nex``.
- Comparisons on a field that a fact lacks never match, which is exactly what
  three-valued logic needs: a rule that fires when a condition is true and another that
  fires when it is false; unknown when neither fires.

Registered rulesets cannot be removed from the C engine, so identical compiled definitions
are registered once per process and shared by every ``Engine``.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import itertools
import json
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from durable import engine as _engine

from breachrules.errors import EngineError
from breachrules.law.conditions import All, Always, Compare, Has, Node, Not

__all__ = ["Firing", "compile_rules", "evaluate", "live_sessions", "register"]

#: (rule index, polarity True/False, fact index)
Firing = tuple[int, bool, int]

_LOCK = threading.RLock()
_SESSION_IDS = itertools.count(1)
_LIVE: set[tuple[str, str]] = set()
_FIRED: list[Firing] = []
_REGISTERED: dict[str, str] = {}
_ALWAYS = "always"
_NEVER = "never"


class _Host(_engine.Host):  # type: ignore[misc]
    """A host without the background dispatch threads (see the module docstring)."""

    def _run(self) -> None:
        return None


_HOST: _Host | None = None


def _host() -> _Host:
    global _HOST
    if _HOST is None:
        _HOST = _Host()
    return _HOST


def _cmp(node: Compare, positive: bool) -> Any:
    field = node.field
    op = node.op if positive else _NEGATE[node.op]
    if op == "in":
        return _or([{field: v} for v in node.value])
    if op == "notin":
        return _and([{"$neq": {field: v}} for v in node.value])
    if op == "eq":
        return {field: node.value}
    return {"$neq" if op in ("ne", "neq") else f"${op}": {field: node.value}}


_NEGATE = {
    "eq": "neq",
    "ne": "eq",
    "gt": "lte",
    "gte": "lt",
    "lt": "gte",
    "lte": "gt",
    "in": "notin",
}


def _and(items: Sequence[Any]) -> Any:
    if _NEVER in items:
        return _NEVER
    items = [i for i in items if i != _ALWAYS]
    if not items:
        return _ALWAYS
    return items[0] if len(items) == 1 else {"$and": list(items)}


def _or(items: Sequence[Any]) -> Any:
    if _ALWAYS in items:
        return _ALWAYS
    items = [i for i in items if i != _NEVER]
    if not items:
        return _NEVER
    return items[0] if len(items) == 1 else {"$or": list(items)}


def render(node: Node, positive: bool) -> Any:
    """durable-rules JSON that matches a fact exactly when ``node`` is True (or False)."""
    if isinstance(node, Always):
        return _ALWAYS if positive else _NEVER
    if isinstance(node, Has):
        return {f"{node.field}:{node.word}": positive}
    if isinstance(node, Compare):
        return _cmp(node, positive)
    if isinstance(node, Not):
        return render(node.item, not positive)
    parts = [render(item, positive) for item in node.items]
    conjunction = isinstance(node, All) == positive
    return _and(parts) if conjunction else _or(parts)


def compile_rules(rules: Sequence[tuple[Node, str]]) -> dict[str, Any]:
    """The durable-rules definition for ``(condition, fact kind)`` pairs, indexed by position."""
    definition: dict[str, Any] = {}
    for index, (node, kind) in enumerate(rules):
        for positive in (True, False):
            expr = _and([{"k": kind}, render(node, positive)])
            if expr == _NEVER:
                continue
            definition[f"r{index}{'t' if positive else 'f'}"] = {"all": [{"m": expr}]}
    return definition


class _Action(_engine.Promise):  # type: ignore[misc]
    """A rule's action: record the firing, synchronously.

    durable-rules wraps a plain function in a ``Promise`` whose ``run`` defines, on every
    firing, a timeout closure that refers to itself; that cycle keeps each firing's
    closure, message and callbacks alive until the garbage collector runs (some 16,000
    objects per assessment of the every-ruleset benchmark incident), and the collections
    they trigger scan everything the host has alive. Our actions are synchronous and never
    time out, so ``run`` here only records the firing and completes, as ``Promise.run``'s
    synchronous branch does, and each firing's objects are freed at once.
    """

    __slots__ = ("_firing", "root")

    def __init__(self, index: int, positive: bool) -> None:
        # Not Promise.__init__: of its attributes durable-rules reads only ``root`` (the
        # first promise of a chain) from an action it is given, and ``run`` is our own.
        self.root = self
        self._firing = (index, positive)

    def _fire(self, c: Any) -> None:
        _FIRED.append((*self._firing, int(c.m["i"])))

    def run(self, c: Any, complete: Any) -> None:
        try:
            self._fire(c)
        except BaseException as error:  # reported like durable's own: in the state
            c.s.exception = f"exception caught {error}"
        complete(None)


def register(definition: Mapping[str, Any], label: str) -> str:
    """Register a compiled definition once per process; return its engine name."""
    text = json.dumps(definition, sort_keys=True)
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    with _LOCK:
        if digest in _REGISTERED:
            return _REGISTERED[digest]
        name = f"{label}#{digest}"
        rules = copy.deepcopy(dict(definition))
        for rule_name, rule in rules.items():
            rule["run"] = _Action(int(rule_name[1:-1]), rule_name.endswith("t"))
        try:
            _host().set_rulesets({name: rules})
        except Exception as exc:  # the C engine reports bad definitions as bare Exception
            raise EngineError(
                f"durable-rules rejected the compiled ruleset {label}: {exc}"
            ) from exc
        _forget_definition(name)
        _REGISTERED[digest] = name
        return name


def _forget_definition(name: str) -> None:
    """Drop durable-rules' Python copy of a definition it has compiled.

    ``durable.engine.Ruleset`` keeps the definition it was given for ``get_definition``,
    which nothing here calls; the C engine has its own compiled form. For the bundled
    rulesets that copy is some 13,000 dicts and lists that every full garbage collection
    of the host process scans again (a quarter of its time, measured).
    """
    ruleset = _host()._ruleset_directory.get(name)
    if ruleset is not None and hasattr(ruleset, "_definition"):
        ruleset._definition = None


def _encode(fact: Mapping[str, Any], kind: str, index: int, sid: str) -> dict[str, Any]:
    """A fact as durable-rules takes it: an unknown value is an absent field (comparisons
    on a field a fact lacks never match), plus the kind, index and session fields."""
    if None in fact.values():
        fact = {k: v for k, v in fact.items() if v is not None}
    return {**fact, "k": kind, "i": index, "sid": sid, "id": f"{kind}{index}"}


class Session:
    """One evaluation: assert facts in phases, read which rules fired; deleted on exit.

    A context manager written out by hand rather than with ``contextlib``: one is opened
    per ruleset evaluated, hundreds per assessment of a large incident.
    """

    def __init__(self, name: str) -> None:
        self._name = name
        self._sid = ""

    def __enter__(self) -> Session:
        _LOCK.acquire()
        self._sid = str(next(_SESSION_IDS))
        _LIVE.add((self._name, self._sid))
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            _host().delete_state(self._name, self._sid)
        except Exception as error:
            raise EngineError(
                f"could not delete durable-rules session {self._sid} of {self._name}: {error}"
            ) from error
        finally:
            _LIVE.discard((self._name, self._sid))
            _LOCK.release()

    def assert_facts(self, kind: str, facts: Sequence[Mapping[str, Any]]) -> list[Firing]:
        host = _host()
        _FIRED.clear()
        for index, fact in enumerate(facts):
            try:
                state = host.assert_fact(self._name, _encode(fact, kind, index, self._sid))
            except _engine.MessageNotHandledException:
                continue  # no rule matched this fact: every condition on it is unknown
            except EngineError:
                raise
            except Exception as exc:
                raise EngineError(f"durable-rules failed on {self._name}: {exc}") from exc
            if isinstance(state, dict) and "exception" in state:
                raise EngineError(f"a rule action failed in {self._name}: {state['exception']}")
        fired = sorted(set(_FIRED))
        _FIRED.clear()
        return fired


def evaluate(name: str) -> Session:
    """Open a session on a registered ruleset, holding the engine lock until it closes."""
    return Session(name)


def live_sessions() -> int:
    """How many durable-rules sessions are alive now (0 between assessments)."""
    with _LOCK:
        return len(_LIVE)


def encode_batches(
    batches: Sequence[tuple[str, Sequence[Mapping[str, Any]]]],
) -> list[dict[str, Any]]:
    """Facts as durable-rules receives them (for the benchmark floor, built untimed)."""
    return [_encode(fact, kind, i, "") for kind, facts in batches for i, fact in enumerate(facts)]


def raw_cycle(name: str, facts: Sequence[dict[str, Any]]) -> None:
    """The engine floor for benchmarks: post the already-encoded ``facts`` to a new session,
    read its state and delete it. Nothing of breachrules runs but the rule actions."""
    with _LOCK:
        sid = str(next(_SESSION_IDS))
        host = _host()
        for fact in facts:
            fact["sid"] = sid
            with contextlib.suppress(_engine.MessageNotHandledException):
                host.assert_fact(name, fact)
        host.get_state(name, sid)
        host.delete_state(name, sid)
        _FIRED.clear()
