"""Results an engine makes once and shares between assessments cannot be changed by one
caller under the next (issue 24).

A law that does not apply is decided once per engine and its Determination is shared:
its reason's ``facts`` dict was an ordinary dict, so a caller that wrote into it changed
every later assessment's. The claims: writing into those facts is refused and the next
assessment is unchanged; no mutable container (dict, list, set) of one assessment is
also part of the next; the read-only facts still read, copy and pickle as a dict.
"""

from __future__ import annotations

import contextlib
import copy
import json
import pickle
from typing import Any

import attrs
import pytest

from breachrules import Engine
from breachrules.io.serde import load_incident
from breachrules.model.decisions import Assessment, Determination

from .conftest import EXAMPLES

LEAK = EXAMPLES / "eu-customer-database-leak.json"


def _not_applicable(a: Assessment) -> Determination:
    return next(d for d in a.determinations if d.status == "not_applicable")


def test_changing_one_assessments_not_applicable_facts_leaves_the_next_unchanged(
    engine: Engine,
) -> None:
    incident = load_incident(json.loads(LEAK.read_text()))
    first = engine.assess(incident)
    before = engine.assess(incident).to_dict()
    facts = _not_applicable(first).reasons[0].facts
    for change in (
        lambda: facts.__setitem__("injected", True),
        lambda: facts.update(injected=True),
        lambda: facts.setdefault("injected", True),
        lambda: facts.__ior__({"injected": True}),
    ):
        with contextlib.suppress(TypeError):  # refused (or, were it made, seen below)
            change()
    following = engine.assess(incident)
    assert _not_applicable(following).reasons[0].facts == {}
    assert following.to_dict() == before
    own = dict(facts)  # a copy of one's own changes freely
    own["injected"] = True
    assert _not_applicable(engine.assess(incident)).reasons[0].facts == {}
    with pytest.raises(TypeError, match="read-only"):
        facts["injected"] = True


def _mutables(obj: Any, path: str, out: dict[int, str]) -> None:
    """Every dict, list and set reachable from ``obj``, by identity, with its path."""
    if type(obj) in (dict, list, set):
        out[id(obj)] = path
    if attrs.has(type(obj)):
        for field in attrs.fields(type(obj)):
            _mutables(getattr(obj, field.name), f"{path}.{field.name}", out)
    elif isinstance(obj, tuple | list):
        for i, item in enumerate(obj):
            _mutables(item, f"{path}[{i}]", out)
    elif isinstance(obj, dict):
        for key, item in obj.items():
            _mutables(item, f"{path}[{key!r}]", out)


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.json")))
def test_no_mutable_container_is_shared_between_assessments(engine: Engine, example: str) -> None:
    incident = load_incident(json.loads((EXAMPLES / example).read_text()))
    first, second = engine.assess(incident), engine.assess(incident)
    ours: dict[int, str] = {}
    theirs: dict[int, str] = {}
    _mutables(first, "first", ours)
    _mutables(second, "second", theirs)
    shared = sorted(ours[i] for i in set(ours) & set(theirs))
    assert not shared, shared


def test_read_only_facts_read_copy_and_pickle_as_a_dict(engine: Engine) -> None:
    a = engine.assess(load_incident(json.loads(LEAK.read_text())))
    facts = _not_applicable(a).reasons[0].facts
    assert isinstance(facts, dict) and facts == {} and json.dumps(facts) == "{}"
    assert pickle.loads(pickle.dumps(a)) == a
    assert copy.deepcopy(a) == a and copy.copy(facts) == {}
