"""Positional constructors for the result classes an assessment makes by the thousand.

An attrs frozen class's ``__init__`` sets each field through ``object.__setattr__`` (the
class forbids setting them otherwise); an assessment of an incident that reaches every
bundled ruleset builds about 1,200 reasons, 1,100 audit events and 400 obligations that
way. :func:`positional` gives a function that takes every field in the class's order and
sets each slot through its descriptor directly, about a third faster, with the same
object as the result (a test compares the two on every class it is used for). It is only
for frozen slotted classes whose fields have no validator, converter or ``on_setattr``
hook (which the class's own ``__init__`` would run): asked for another, it returns the
class itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import attrs

__all__ = ["positional"]

T = TypeVar("T")


def positional(cls: type[T]) -> Callable[..., T]:
    """A constructor of ``cls`` taking every field, in order, positionally (see above)."""
    fields = attrs.fields(cast(Any, cls))
    slots = getattr(cls, "__slots__", None)
    if (
        not slots
        or "__attrs_post_init__" in vars(cls)
        or any(f.validator or f.converter or f.on_setattr or not f.init for f in fields)
    ):
        return cls
    names = [f.name for f in fields]
    namespace: dict[str, Any] = {"new": object.__new__, "cls": cls}
    body = ["o = new(cls)"]
    for i, name in enumerate(names):
        namespace[f"set{i}"] = vars(cls)[name].__set__
        body.append(f"set{i}(o, {name})")
    args = ", ".join(names)
    source = f"def make({args}):\n    " + "\n    ".join([*body, "return o"]) + "\n"
    exec(compile(source, f"<positional {cls.__qualname__}>", "exec"), namespace)
    make: Callable[..., T] = namespace["make"]
    make.__doc__ = f"{cls.__qualname__}({args}), every field given, positionally."
    return make
