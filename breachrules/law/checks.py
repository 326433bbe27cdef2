"""The field checks of the compiled-law cache: for each cached class, one generated
function that checks a list of field values against the declared types and builds the
object from them (see :mod:`breachrules.law.cache` and ``docs/security.md``).

A module of its own because it is one job apart from reading and writing entries: turning
type annotations into checks, compiled once per process and codec.
"""

from __future__ import annotations

import sys
import types
import typing
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

import attrs

__all__ = ["PACKAGE_CODECS", "Build", "builders", "hints", "listed", "source", "written"]

Build = Callable[[list[Any]], Any]


# The three checks below loop rather than call ``all`` on a generator: most of the lists
# they see hold a few items, and making the generator cost three times the loop (about
# 0.4 ms of each ``breachrules assess``, over some 2,500 lists and mappings).


def _tuple_of(value: Any, cls: type[Any]) -> bool:
    """Whether ``value`` is a tuple of values of exactly type ``cls``."""
    if type(value) is not tuple:
        return False
    for x in value:  # noqa: SIM110 - see above
        if type(x) is not cls:
            return False
    return True


def _list_of(value: Any, cls: type[Any]) -> bool:
    """Whether ``value`` is a list of values of exactly type ``cls`` (a field that
    :func:`listed` says is written as a list, turned back into a tuple once checked)."""
    if type(value) is not list:
        return False
    for x in value:  # noqa: SIM110 - see above
        if type(x) is not cls:
            return False
    return True


def listed(hint: Any) -> bool:
    """Whether a field of type ``hint`` is written as a plain JSON list rather than a
    tagged tuple: a tuple of values of one exact type (``tuple[str, ...]``, a tuple of
    rules), whose declared type says it is a tuple. The reader checks every item and makes
    the tuple, which spares the JSON reader's hook a call per tuple (a third of them)."""
    if typing.get_origin(hint) is not tuple:
        return False
    args = typing.get_args(hint)
    return len(args) == 2 and args[1] is Ellipsis and _exact(args[0], {}) is not None


def _dict_of(value: Any, key: type[Any], cls: type[Any]) -> bool:
    """Whether ``value`` is a dict from keys of exactly type ``key`` to values of ``cls``."""
    if type(value) is not dict:
        return False
    for k, x in value.items():  # noqa: SIM110 - see above
        if type(k) is not key or type(x) is not cls:
            return False
    return True


def _exact(hint: Any, names: dict[str, Any]) -> str | None:
    """The name of ``hint`` when a value is of that type exactly when its ``type`` is it
    (str, int, a date, a cached class), for :func:`_tuple_of` and :func:`_dict_of`;
    None for any other type."""
    if hint in (int, str):
        return str(hint.__name__)
    if hint is date:
        return "_date"
    if isinstance(hint, type) and attrs.has(hint):
        name = f"_c{len(names)}"
        names[name] = hint
        return name
    return None


def _test(hint: Any, var: str, names: dict[str, Any], depth: int = 0) -> str:
    """A Python expression that is true when ``var`` holds a value of type ``hint``
    (the types the cached classes use; another is a programming error the tests catch).

    A tuple or dict of values of one exact type is checked by :func:`_tuple_of` or
    :func:`_dict_of` rather than by a generator written out here: each generator is a
    function of its own to compile, and compiling the checks is paid in every process
    (about 2.3 ms for the ruleset codec's 25 classes with them, under 1 ms without)."""
    if hint is Any:
        return "True"
    if hint is type(None):
        return f"{var} is None"
    if hint is bool:
        return f"({var} is True or {var} is False)"
    if hint in (int, str):
        return f"type({var}) is {hint.__name__}"
    if hint is float:
        return f"type({var}) in (int, float)"
    if hint is date:
        return f"type({var}) is _date"
    if hint is Path:  # never stored (a ruleset's path is where it was read this time)
        return "False"
    if isinstance(hint, type) and attrs.has(hint):
        name = f"_c{len(names)}"
        names[name] = hint
        return f"type({var}) is {name}"
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return "(" + " or ".join(_test(a, var, names, depth) for a in args) + ")"
    if origin is typing.Literal:
        name = f"_l{len(names)}"
        names[name] = tuple(args)
        return f"(type({var}) in (str, int) and {var} in {name})"
    item = f"_x{depth}"
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        exact = _exact(args[0], names)
        if exact is not None:
            return f"_tuple_of({var}, {exact})"
        inner = _test(args[0], item, names, depth + 1)
        return f"(type({var}) is tuple and all({inner} for {item} in {var}))"
    if origin is tuple:
        parts = [_test(a, f"{var}[{i}]", names, depth) for i, a in enumerate(args)]
        return f"(type({var}) is tuple and len({var}) == {len(args)} and {' and '.join(parts)})"
    if origin is dict:
        exact_key, exact = _exact(args[0], names), _exact(args[1], names)
        if exact_key is not None and exact is not None:
            return f"_dict_of({var}, {exact_key}, {exact})"
        key = _test(args[0], f"_k{depth}", names, depth + 1)
        value = _test(args[1], item, names, depth + 1)
        pairs = f"for _k{depth}, {item} in {var}.items()"
        return f"(type({var}) is dict and all({key} and {value} {pairs}))"
    raise TypeError(f"the cache cannot check values of type {hint!r}")


def hints(classes: Iterable[type[Any]]) -> dict[type[Any], list[Any]]:
    """Each class's field types, in field order: what :func:`typing.get_type_hints` gives
    (the annotations are strings, from this package's source, read in the class's module),
    but one ``eval`` per module instead of a ``ForwardRef`` compiled per field (some 120
    fields: that cost more than the entries a call reads)."""
    by_module: dict[str, list[type[Any]]] = {}
    for cls in classes:
        by_module.setdefault(cls.__module__, []).append(cls)
    hints: dict[type[Any], list[Any]] = {}
    for module, members in by_module.items():
        # A field annotated with a type, not a string, keeps that type.
        texts = [f.type for c in members for f in attrs.fields(c) if isinstance(f.type, str)]
        scope = dict(vars(sys.modules[module]))
        values = iter(eval(f"({', '.join(texts)},)", scope) if texts else ())
        for cls in members:
            hints[cls] = [
                next(values) if isinstance(f.type, str) else f.type for f in attrs.fields(cls)
            ]
    return hints


def builders(classes: Iterable[type[Any]]) -> dict[str, Build]:
    """For each class, one function that checks a list of its field values against their
    declared types and builds the object from them, or returns None when a value is not
    of its type (generated once per process and codec, like attrs' own methods, because
    the cache reads some 18,000 objects per call and a generic checker cost more than the
    parsing). Every function is made by one factory, from one source. A field that
    :func:`listed` names arrives as a list: its items are checked and it becomes a tuple
    (the list is the JSON reader's, read by nothing else).

    The factories of the package's own codecs are compiled with the package
    (:mod:`breachrules.law._checks_built`, byte-compiled once like any module): a new
    process then only writes the source, to find its factory there, instead of compiling
    it (about 2 ms of every ``breachrules assess``). A source not found there (another set
    of classes, or a module not yet regenerated) is compiled as before.
    """
    text, names = source(classes)
    factory = _built().get(text)
    if factory is None:
        scope: dict[str, Any] = {}
        exec(compile(text, "<cache checks>", "exec"), scope)
        factory = scope["_make"]
    made: dict[str, Build] = factory(**names)
    return made


def source(classes: Iterable[type[Any]]) -> tuple[str, dict[str, Any]]:
    """The source of the factory of ``classes``' checking builders (one function,
    ``_make``, that takes the names the checks use and returns each class's builder by
    class name), and those names."""
    names: dict[str, Any] = {
        "_date": date,
        "_tuple_of": _tuple_of,
        "_dict_of": _dict_of,
        "_list_of": _list_of,
    }
    lines, made = [], []
    for n, (cls, types_) in enumerate(hints(classes).items()):
        tests, lists = [], []
        for i, hint in enumerate(types_):
            if listed(hint):
                tests.append(f"_list_of(v[{i}], {_exact(typing.get_args(hint)[0], names)})")
                lists.append(f"v[{i}] = tuple(v[{i}])")
            else:
                tests.append(_test(hint, f"v[{i}]", names))
        names[f"_cls{n}"] = cls
        checked = " and ".join([f"len(v) == {len(types_)}", *tests])
        if lists:
            made_tuples = "; ".join(lists)
            lines.append(
                f"    def _build{n}(v):\n        if {checked}:\n            {made_tuples}\n"
                f"            return _cls{n}(*v)\n        return None"
            )
        else:
            lines.append(
                f"    def _build{n}(v):\n        return _cls{n}(*v) if {checked} else None"
            )
        made.append(f"{cls.__name__!r}: _build{n}")
    head = f"def _make({', '.join(sorted(names))}):"
    tail = f"    return {{{', '.join(made)}}}"
    return "\n".join([head, *lines, tail]) + "\n", names


def _built() -> dict[str, Callable[..., dict[str, Build]]]:
    """The factories compiled with the package, by their source (none if the generated
    module is missing)."""
    try:
        from breachrules.law._checks_built import FACTORIES
    except ImportError:  # pragma: no cover - the module is part of the package
        return {}
    return typing.cast(dict[str, Callable[..., dict[str, Build]]], FACTORIES)


#: The codecs whose factories :func:`written` compiles with the package: the module
#: attribute of each, where the cache's readers read them.
PACKAGE_CODECS = (
    "breachrules.law.loader:CODEC",
    "breachrules.law.library:OUTLINE_CODEC",
    "breachrules.law.directory:CODEC",
)


def written() -> str:
    """The text of :mod:`breachrules.law._checks_built`: the factory of each of the
    package's codecs, with its source as its key. Regenerate the module after changing a
    cached class (``tests/test_law_cache.py`` says when)::

        PYTHONPATH=. python -m breachrules.law.checks
    """
    import importlib

    parts = [
        '"""The compiled-law cache\'s field checks, compiled with the package (generated by',
        "``python -m breachrules.law.checks``: never edit it by hand).",
        "",
        "Each factory is the one its source (the key in ``FACTORIES``) defines; see",
        ":func:`breachrules.law.checks.builders`.",
        '"""',
        "",
        "# ruff: noqa",
        "# mypy: ignore-errors",
        "# fmt: off",
        "",
    ]
    keys = []
    for n, where in enumerate(PACKAGE_CODECS):
        module, name = where.split(":")
        codec = getattr(importlib.import_module(module), name)
        text, _ = source(codec.classes)
        parts.append(text.replace("def _make(", f"def _make{n}(", 1))
        parts.append("")
        keys.append(f"    {text!r}: _make{n},")
    parts += ["FACTORIES = {", *keys, "}", ""]
    return "\n".join(parts)


if __name__ == "__main__":  # pragma: no cover - the command that regenerates the module
    target = Path(__file__).with_name("_checks_built.py")
    target.write_text(written(), encoding="utf-8")
    print(f"wrote {target}")
