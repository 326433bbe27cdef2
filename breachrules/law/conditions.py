"""The condition language of rulesets, and its three-valued (Kleene) semantics.

A ``when:`` block in a ruleset is parsed into a small tree of :class:`Node` objects. The
tree is the *compiled rule representation*: :mod:`breachrules.engine._durable` renders it as
durable-rules JSON (two engine rules per condition, one that fires when it is true and one
when it is false, so that "neither fired" means unknown), and :func:`evaluate` interprets
it directly in Python (the reference semantics both backends must agree with). Facts are
flat mappings from field name to value; a missing field is unknown.
"""

from __future__ import annotations

import contextlib
import contextvars
import difflib
import functools
import types
from collections.abc import Iterator, Mapping
from typing import Any, Literal, cast

import attrs

from breachrules.law import methods
from breachrules.model.facts import CLASSIFICATION_FLAGS, PROCEDURE_FLAGS
from breachrules.model.reprs import shared_repr
from breachrules.model.vocabulary import DATA_ELEMENTS, EXPOSURE_FLAGS, GDPR_RISK_LEVELS

# The classes below get the methods attrs writes for them compiled with the package.
methods.begin()

__all__ = [
    "FIELDS",
    "All",
    "Always",
    "Any_",
    "Compare",
    "ConditionError",
    "Has",
    "Node",
    "Not",
    "evaluate",
    "fields_of",
    "flags_of",
    "own_fact_key",
    "own_facts_in_scope",
    "parse",
    "source_of",
]

Truth = bool | None
Op = Literal["eq", "ne", "gt", "gte", "lt", "lte", "in"]

#: Fields a condition may test: name -> (kind, allowed words, where the fact comes from).
#: Kinds: ``bool`` (three-valued), ``int``, ``enum`` (three-valued), ``set`` (known, except
#: ``elements`` when an exposure holds data of an unknown kind: see the facts stage).
#: A source with ``{law}`` is read per law (the risk findings).
FIELDS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "elements": ("set", DATA_ELEMENTS, "exposures[].elements"),
    # The exposure's yes/no/unknown facts, each read from its field of the same name.
    **{name: ("bool", (), f"exposures[].{name}") for name in EXPOSURE_FLAGS},
    "residents": ("int", (), "exposures[].residents"),
    "residents_max_place": ("int", (), "exposures[].residents"),
    # Added: every person in the exposures in reach the law finds (or may find) breached,
    # wherever they live; ``persons_every_exposure`` adds the other exposures its breach
    # rules find breached ("any individual", "more than 10,000 persons": § 521.053(b), (h)).
    "persons_total": ("int", (), "exposures[].residents (every place)"),
    "persons_every_exposure": ("int", (), "exposures[].residents (every breached exposure)"),
    # Added: the affected residents of the law's own places alone, however it reached the
    # incident (a licensee reached by its domicile): "250 or more consumers residing in this state".
    "local_residents": ("int", (), "exposures[].residents (the law's own places)"),
    "good_faith_insider": ("bool", (), "good_faith_insider"),
    "malicious": ("bool", (), "malicious"),
    # Per law: the finding under *this* law's test (``{law}`` is the ruleset's code, or a
    # code whose test the ruleset declares the same; see ``risk_test`` in the format).
    "harm_likely": ("bool", (), "risk.findings.{law}.harm_likely"),
    "harm_finding_in_writing": ("bool", (), "risk.findings.{law}.in_writing"),
    # Added: whether the law's own finding has been made (harm_likely recorded, either
    # way); never unknown. A duty to assess (Privacy Act 1988 (Cth) s. 26WH) ends with it.
    "harm_finding_made": ("bool", (), "risk.findings.{law}.harm_likely"),
    "harm_finding_law_enforcement_consulted": (
        "bool",
        (),
        "risk.findings.{law}.law_enforcement_consulted",
    ),
    "inadvertent_authorized_disclosure": ("bool", (), "inadvertent_authorized_disclosure"),
    "gdpr_risk": ("enum", GDPR_RISK_LEVELS, "risk.gdpr_risk"),
    "hipaa_low_probability_of_compromise": (
        "bool",
        (),
        "risk.hipaa_low_probability_of_compromise",
    ),
    # The classification's yes/no facts, each read from its field of the same name.
    **{name: ("bool", (), f"classification.{name}") for name in CLASSIFICATION_FLAGS},
    "ransom_paid": ("bool", (), "ransom_paid_at"),
    "law_enforcement_delay": ("bool", (), "law_enforcement.delay_requested_until"),
    "breached_party_role": ("enum", ("owner", "service_provider"), "breached_party"),
    "breached_party_types": ("set", (), "parties[].types"),
    "owner_types": ("set", (), "parties[].types"),
    # Added: a party's own breach procedures, for exceptions excusing only one following them.
    **{f"owner_{name}": ("bool", (), f"parties[owner].{name}") for name in PROCEDURE_FLAGS},
    "breached_party_regulator_procedures": ("bool", (), "parties[breached].regulator_procedures"),
    # Added: the owner (an agency "of this state") or the breached party (Va. Code § 2.2-5514(C))
    # is established in, or the owner targets (``offers_to``), the law's places (``reaches``).
    "owner_established_here": ("bool", (), "parties[owner].established_in"),
    "breached_party_established_here": ("bool", (), "parties[breached].established_in"),
    "owner_targets_here": ("bool", (), "parties[owner].offers_to"),
}


#: A ruleset's own facts (``declares.facts``) while its conditions are parsed: name ->
#: (kind, words, key). A context variable rather than a parameter so that the facts are in
#: scope for exactly one ruleset's ``when:`` blocks, however deep the loader's helpers
#: call ``parse``, and never leak into another ruleset's: another ruleset cannot test them.
_OWN: contextvars.ContextVar[Mapping[str, tuple[str, tuple[str, ...], str]]] = (
    contextvars.ContextVar("own_facts", default=types.MappingProxyType({}))
)


def own_fact_key(code: str, name: str) -> str:
    """The field under which a ruleset's own fact is read: ``facts:<CODE>:<name>``.

    Namespaced by the ruleset's code, so it can never collide with a contract fact or with
    another ruleset's fact of the same name; :func:`source_of` turns it into the incident
    path it is read from (``facts.<CODE>.<name>``).
    """
    return f"facts:{code}:{name}"


def source_of(field: str) -> str:
    """Where in the incident document a condition field is read from (its field path)."""
    if field in FIELDS:
        return FIELDS[field][2]
    return field.replace(":", ".")  # a ruleset's own fact: facts:<CODE>:<name>


@contextlib.contextmanager
def own_facts_in_scope(
    code: str, facts: Mapping[str, tuple[str, tuple[str, ...]]]
) -> Iterator[None]:
    """Let the conditions parsed inside the block test ``facts`` (name -> kind, words),
    the facts ruleset ``code`` declares for itself."""
    token = _OWN.set(
        {name: (kind, words, own_fact_key(code, name)) for name, (kind, words) in facts.items()}
    )
    try:
        yield
    finally:
        _OWN.reset(token)


class ConditionError(ValueError):
    """A condition is malformed; ``path`` locates it inside the ``when:`` block."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}" if path else reason)


@shared_repr
@attrs.frozen(repr=False)
class Always:
    """The empty condition: always true."""


@shared_repr
@attrs.frozen(repr=False)
class Compare:
    """``field <op> value`` on a scalar fact; unknown when the fact is unknown."""

    field: str
    op: Op
    value: Any


@shared_repr
@attrs.frozen(repr=False)
class Has:
    """A set-valued fact contains ``word`` (set facts are always known)."""

    field: str
    word: str


@shared_repr
@attrs.frozen(repr=False)
class All:
    items: tuple[Node, ...]


@shared_repr
@attrs.frozen(repr=False)
class Any_:
    items: tuple[Node, ...]


@shared_repr
@attrs.frozen(repr=False)
class Not:
    item: Node


Node = Always | Compare | Has | All | Any_ | Not

_OPS = ("eq", "ne", "gt", "gte", "lt", "lte", "in")
_SET_OPS = ("contains", "any_of", "all_of", "combination_of")


def parse(raw: object, path: str = "") -> Node:
    """Parse a YAML ``when:`` block into a condition tree, or raise ConditionError."""
    if raw is None or raw == {}:
        return Always()
    if isinstance(raw, list):
        return All(tuple(parse(item, f"{path}[{i}]") for i, item in enumerate(raw)))
    if not isinstance(raw, Mapping):
        raise ConditionError(path, f"a condition is a mapping of field to test, got {raw!r}")
    nodes: list[Node] = []
    for key, value in raw.items():
        here = f"{path}.{key}" if path else str(key)
        if key in ("all", "any"):
            if not isinstance(value, list) or not value:
                raise ConditionError(here, f"'{key}' takes a non-empty list of conditions")
            items = tuple(parse(item, f"{here}[{i}]") for i, item in enumerate(value))
            nodes.append(All(items) if key == "all" else Any_(items))
        elif key == "not":
            nodes.append(Not(parse(value, here)))
        else:
            nodes.append(_parse_test(str(key), value, here))
    return nodes[0] if len(nodes) == 1 else All(tuple(nodes))


def _parse_test(field: str, test: object, path: str) -> Node:
    own = _OWN.get()
    if field not in FIELDS and field not in own:
        hint = difflib.get_close_matches(field, [*FIELDS, *own, "all", "any", "not"], n=1)
        raise ConditionError(
            path,
            f"unknown fact {field!r}"
            + (f"; did you mean {hint[0]!r}?" if hint else "")
            + f" (facts: {', '.join(FIELDS)}"
            + (f"; this ruleset's own: {', '.join(own)}" if own else "")
            + "; a fact of the ruleset's own is declared under declares: {facts: ...})",
        )
    if field in own:
        kind, words, key = own[field]
        op, value = _operator(test, path)
        _check_value(field, kind, words, op, value, path)
        return Compare(key, op, tuple(value) if op == "in" else value)
    kind, words, _ = FIELDS[field]
    if kind == "set":
        return _parse_set_test(field, test, words, path)
    op, value = _operator(test, path)
    _check_value(field, kind, words, op, value, path)
    return Compare(field, op, tuple(value) if op == "in" else value)


def _operator(test: object, path: str) -> tuple[Op, Any]:
    """A scalar test's operator and operand (a bare value is ``eq``)."""
    if not isinstance(test, Mapping):
        return "eq", test
    if len(test) != 1:
        raise ConditionError(path, "a test has exactly one operator, e.g. {gt: 500}")
    ((op, value),) = test.items()
    if op not in _OPS:
        hint = difflib.get_close_matches(str(op), _OPS, n=1)
        raise ConditionError(
            path, f"unknown operator {op!r}" + (f"; did you mean {hint[0]!r}?" if hint else "")
        )
    return cast(Op, op), value


def _check_value(
    field: str, kind: str, words: tuple[str, ...], op: str, value: object, path: str
) -> None:
    values = value if op == "in" else [value]
    if op == "in" and not isinstance(value, list):
        raise ConditionError(path, "'in' takes a list")
    assert isinstance(values, list)
    for v in values:
        if kind == "bool" and not isinstance(v, bool):
            raise ConditionError(path, f"{field} is true or false, got {v!r}")
        if kind == "int" and (isinstance(v, bool) or not isinstance(v, int)):
            raise ConditionError(path, f"{field} is compared with a whole number, got {v!r}")
        if kind == "int" and v < 0:
            raise ConditionError(
                path, f"{field} is a count, never negative: {op} {v} is always true or false"
            )
        if kind == "enum" and v not in words:
            raise ConditionError(path, f"{field} is one of {', '.join(words)}, got {v!r}")
    if kind in ("bool", "enum") and op in ("gt", "gte", "lt", "lte"):
        raise ConditionError(path, f"{field} cannot be ordered; use eq, ne or in")


def _parse_set_test(field: str, test: object, words: tuple[str, ...], path: str) -> Node:
    if isinstance(test, str):
        test = {"contains": test}
    if not isinstance(test, Mapping) or len(test) != 1:
        raise ConditionError(path, f"{field} takes one of {', '.join(_SET_OPS)}")
    ((op, value),) = test.items()

    def word(w: object, where: str) -> Has:
        if not isinstance(w, str):
            raise ConditionError(where, f"expected a word, got {w!r}")
        if words and w not in words:
            hint = difflib.get_close_matches(w, words, n=1)
            raise ConditionError(
                where,
                f"unknown word {w!r} for {field}"
                + (f"; did you mean {hint[0]!r}?" if hint else ""),
            )
        return Has(field, w)

    if op == "contains":
        return word(value, path)
    if op not in _SET_OPS:
        hint = difflib.get_close_matches(str(op), _SET_OPS, n=1)
        raise ConditionError(
            path, f"unknown operator {op!r}" + (f"; did you mean {hint[0]!r}?" if hint else "")
        )
    if not isinstance(value, list) or not value:
        raise ConditionError(path, f"'{op}' takes a non-empty list")
    if op == "any_of":
        return Any_(tuple(word(w, f"{path}[{i}]") for i, w in enumerate(value)))
    if op == "all_of":
        return All(tuple(word(w, f"{path}[{i}]") for i, w in enumerate(value)))
    # combination_of: a list of combinations; each combination lists words that must all be
    # present, where an item that is itself a list means "any one of these".
    combos: list[Node] = []
    for i, combo in enumerate(value):
        where = f"{path}[{i}]"
        if isinstance(combo, str):
            combo = [combo]
        if not isinstance(combo, list) or not combo:
            raise ConditionError(where, "a combination is a non-empty list of words")
        parts: list[Node] = []
        for j, item in enumerate(combo):
            if isinstance(item, list):
                parts.append(Any_(tuple(word(w, f"{where}[{j}][{k}]") for k, w in enumerate(item))))
            else:
                parts.append(word(item, f"{where}[{j}]"))
        combos.append(parts[0] if len(parts) == 1 else All(tuple(parts)))
    return combos[0] if len(combos) == 1 else Any_(tuple(combos))


def evaluate(node: Node, facts: Mapping[str, Any]) -> Truth:
    """Kleene three-valued evaluation: True, False, or None for unknown."""
    if isinstance(node, Always):
        return True
    if isinstance(node, Has):
        # A flag is set (True), known absent (False: the facts stage defaults every flag a
        # law reads), or unknown (missing: data of an unknown kind), like any other fact.
        flag = facts.get(f"{node.field}:{node.word}")
        return None if flag is None else bool(flag)
    if isinstance(node, Compare):
        value = facts.get(node.field)
        if value is None:
            return None
        return _compare(value, node.op, node.value)
    if isinstance(node, Not):
        inner = evaluate(node.item, facts)
        return None if inner is None else not inner
    results = [evaluate(item, facts) for item in node.items]
    if isinstance(node, All):
        if False in results:
            return False
        return None if None in results else True
    if True in results:
        return True
    return None if None in results else False


def _compare(value: Any, op: str, expected: Any) -> bool:
    if op == "eq":
        return bool(value == expected)
    if op == "ne":
        return bool(value != expected)
    if op == "in":
        return value in expected
    if op == "gt":
        return bool(value > expected)
    if op == "gte":
        return bool(value >= expected)
    if op == "lt":
        return bool(value < expected)
    return bool(value <= expected)


@functools.lru_cache(maxsize=8192)
def field_names(node: Node, sets: bool = False) -> tuple[str, ...]:
    """:func:`fields_of` as a tuple without repeats, cached (rules are immutable)."""
    return tuple(dict.fromkeys(fields_of(node, sets)))


def fields_of(node: Node, sets: bool = False) -> Iterator[str]:
    """Every scalar fact field the condition reads; with ``sets``, set fields too.

    Set fields (elements, party types) are always known, so they are left out when the
    question is which facts could be missing.
    """
    if isinstance(node, Compare) or (sets and isinstance(node, Has)):
        yield node.field
    elif isinstance(node, Not):
        yield from fields_of(node.item, sets)
    elif isinstance(node, All | Any_):
        for item in node.items:
            yield from fields_of(item, sets)


def flags_of(node: Node) -> Iterator[str]:
    """Every ``field:word`` flag the condition reads."""
    if isinstance(node, Has):
        yield f"{node.field}:{node.word}"
    elif isinstance(node, Not):
        yield from flags_of(node.item)
    elif isinstance(node, All | Any_):
        for item in node.items:
            yield from flags_of(item)


methods.end()
