"""One ``__repr__`` shared by the data classes a new process builds only to assess.

Why: attrs writes and compiles a ``__repr__`` for every class when its module is imported,
about 0.13 ms a class, and ``breachrules assess`` imports some 35 classes (the ruleset
model, the conditions, the engine's stages) that ``breachrules schema incident`` does not:
about 4 ms of every call, for a method that a call almost never runs. The classes that
take :func:`shared_repr` are declared ``repr=False`` and get this one instead, which
prints exactly what attrs' would (``Rule(id='US-CA:pi', title=...)``, the same recursion
guard), read from the fields when it is called rather than compiled per class.
"""

from __future__ import annotations

import threading
from typing import Any, TypeVar

import attrs

__all__ = ["shared_repr"]

_C = TypeVar("_C", bound=type)

#: The objects being printed on this thread (a cycle prints ``...``, as attrs' does).
_printing = threading.local()


def shared_repr(cls: _C) -> _C:
    """Give attrs class ``cls`` (declared with ``repr=False``) the repr attrs would."""
    names = tuple(a.name for a in attrs.fields(cls))

    def __repr__(self: Any) -> str:
        try:
            already: set[int] = _printing.already
        except AttributeError:
            already = _printing.already = set()
        if id(self) in already:
            return "..."
        already.add(id(self))
        try:
            fields = ", ".join([f"{name}={getattr(self, name)!r}" for name in names])
            return f"{self.__class__.__qualname__.rsplit('>.', 1)[-1]}({fields})"
        finally:
            already.discard(id(self))

    __repr__.__qualname__ = f"{cls.__qualname__}.__repr__"
    __repr__.__module__ = cls.__module__
    cls.__repr__ = __repr__  # type: ignore[assignment]
    return cls
