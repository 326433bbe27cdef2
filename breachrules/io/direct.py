"""An incident document read straight into an :class:`Incident`, when it is well formed.

Why: cattrs (:mod:`breachrules.io.serde`) generates and compiles a checking function for
each class of the incident model the first time it reads one, about 6 ms of every new
process that assesses (``breachrules assess`` in a SOAR playbook, a Lambda function):
more than the assessment of a typical incident (docs/scaling.md). What cattrs builds of
a well-formed document is simple to say: each field's value as the document has it (a
string, a whole number, true or false, a finite number), a list made a tuple, a timestamp
parsed, an object made its class with the fields it names.

:func:`read_incident` builds exactly that, by walking the classes' declared types, and
answers ``None`` at the first value it is not certain of (a value of another type, a key
the class does not have, a field missing, a type it does not handle): the converter then
reads the document as before and reports every problem with its field path. So the
converter stays the one judge of what is wrong, and this reader only ever gives what the
converter would (a test compares the two on every example and on generated incidents).
"""

from __future__ import annotations

import math
import sys
import types
import typing
from collections.abc import Callable
from datetime import datetime
from typing import Any

import attrs

from breachrules.model.facts import Incident
from breachrules.model.timestamps import parse_timestamp

__all__ = ["read_incident"]

Read = Callable[[Any], Any]


class _Unsure(Exception):
    """A value this reader leaves to the converter."""


def read_incident(data: dict[str, Any]) -> Incident | None:
    """The :class:`Incident` the converter makes of ``data``, or None when it is not
    certain that ``data`` is well formed (the converter then reads it)."""
    try:
        incident = _readers()(data)
    except Exception:  # _Unsure, or an error a value raised: the converter decides
        return None
    return incident if type(incident) is Incident else None


_READER: Read | None = None


def _readers() -> Read:
    """The reader of :class:`Incident`, made on first use (about 0.3 ms)."""
    global _READER
    if _READER is None:
        _READER = _Maker().reader(Incident)
    return _READER


def _unsure() -> Any:
    raise _Unsure


def _exactly(kind: type) -> Read:
    def read(value: Any) -> Any:
        return value if type(value) is kind else _unsure()

    return read


def _number(value: Any) -> Any:
    if (type(value) is float or type(value) is int) and math.isfinite(value):
        return value
    return _unsure()


def _timestamp(value: Any) -> Any:
    return parse_timestamp(value) if type(value) is str else _unsure()


def _anything(value: Any) -> Any:
    return value


class _Maker:
    """Readers for the incident model's types, one per class (made once)."""

    def __init__(self) -> None:
        self._classes: dict[type, Read] = {}

    def reader(self, hint: Any) -> Read:
        if hint is str or hint is int or hint is bool:
            return _exactly(hint)
        if hint is float:
            return _number
        if hint is datetime:
            return _timestamp
        if hint is Any:
            return _anything
        if isinstance(hint, type) and attrs.has(hint):
            return self._class(hint)
        origin, args = typing.get_origin(hint), typing.get_args(hint)
        if origin is typing.Literal and all(type(a) is str for a in args):
            allowed = frozenset(args)
            return lambda value: value if type(value) is str and value in allowed else _unsure()
        if origin in (typing.Union, types.UnionType) and len(args) == 2 and type(None) in args:
            inner = self.reader(args[0] if args[1] is type(None) else args[1])
            return lambda value: None if value is None else inner(value)
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            item = self.reader(args[0])
            return lambda value: (
                tuple(map(item, value))
                if type(value) is list or type(value) is tuple
                else _unsure()
            )
        if origin is dict and args[0] is str:
            each = self.reader(args[1])
            return lambda value: (
                {k: each(v) if type(k) is str else _unsure() for k, v in value.items()}
                if type(value) is dict
                else _unsure()
            )
        raise TypeError(f"the direct reader does not read {hint!r}")  # the tests catch it

    def _class(self, cls: type) -> Read:
        made = self._classes.get(cls)
        if made is not None:
            return made
        fields = attrs.fields(cls)
        if any(not f.init or f.alias != f.name or f.converter is not None for f in fields):
            raise TypeError(f"the direct reader does not read {cls.__name__}")
        readers: dict[str, Read] = {}
        required = frozenset(f.name for f in fields if f.default is attrs.NOTHING)
        known = frozenset(f.name for f in fields)

        def read(value: Any) -> Any:
            if type(value) is not dict or not known.issuperset(value) or required - value.keys():
                return _unsure()
            return cls(**{k: readers[k](v) for k, v in value.items()})

        self._classes[cls] = read  # before the fields: a class may hold itself
        hints = _hints(cls)
        for f in fields:
            readers[f.name] = self.reader(hints[f.name])
        return read


def _hints(cls: type) -> dict[str, Any]:
    """The field types of ``cls`` (its annotations are strings: ``from __future__ import
    annotations``), evaluated in one expression in its module rather than a
    ``typing.get_type_hints`` per class."""
    fields = attrs.fields(cls)
    texts = [f.type for f in fields if isinstance(f.type, str)]
    scope = dict(vars(sys.modules[cls.__module__]))
    values = iter(eval(f"({', '.join(texts)},)", scope) if texts else ())
    return {f.name: next(values) if isinstance(f.type, str) else f.type for f in fields}
