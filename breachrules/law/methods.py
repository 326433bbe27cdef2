"""The methods attrs writes for the law's and the engine's classes, compiled with the package.

Why: attrs writes the source of each class's ``__init__``, ``__eq__`` and ``__hash__`` when
the class is defined, and Python compiles it, in every new process: for the ruleset model,
its conditions, the outlines, the directory, the engine's stages and the ranking of
unknown facts (36 classes only an assessment imports) about 5 ms of every ``breachrules
assess``, a tenth of what it adds to ``breachrules schema incident``. The sources never
change between processes (but for one number, below), so
:mod:`breachrules.law._methods_built` holds each of them as a factory, byte-compiled once
like any module: while those modules define their classes, and while the engine's package
imports its stages (between :func:`begin` and :func:`end`), attrs is handed the functions
that factory makes instead of compiling the same text again.

What keeps it exact: a factory is keyed by the very text attrs wrote, and is that text,
indented one level; the names it reads from attrs' namespace (``attr_dict``, ``NOTHING``,
the default factories) are its parameters, taken from that namespace, so each function
evaluates its defaults and reads its names as attrs' own would. The one part of the text
that differs between processes is the number ``__hash__`` mixes in for its class (the
hash of a name, which Python randomises per process): it is keyed as ``_type_hash`` and
passed in. A text not found there (another attrs release, a class changed and the module
not regenerated, which ``tests/test_law_methods.py`` says) is compiled by attrs as
before: a stale module costs time, never correctness. Regenerate it with::

    PYTHONPATH=. python -m breachrules.law.methods
"""

from __future__ import annotations

import importlib
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

__all__ = ["MODULES", "begin", "end", "misses", "written", "written_by"]

#: The modules whose classes :func:`begin` and :func:`end` surround (the engine's
#: package surrounds the import of its pipeline, and so every stage's classes).
MODULES = (
    "breachrules.law.conditions",
    "breachrules.law.declared",
    "breachrules.law.ruleset",
    "breachrules.law.library",
    "breachrules.law.directory",
    "breachrules.views.first",
    "breachrules.engine",
)

#: The number ``__hash__`` mixes in, on the line after ``hash((``.
_TYPE_HASH = re.compile(r"(hash\(\(\n[ ]+)(-?[0-9]+)(,\n)")

_lock = threading.Lock()
_depth = 0
#: attrs' own ``_linecache_and_compile``, kept once found (never cleared: a thread that
#: defines a class of its own may still be inside :func:`_prebuilt` as :func:`end` runs).
_original: Callable[..., dict[str, Any]] | None = None
#: The texts seen for the package's classes (by attrs' name for them): their key, and
#: attrs' namespace for them (what :func:`written` reads the factories' names from).
_seen: dict[str, tuple[str, dict[str, Any]]] = {}
_misses: list[str] = []
_factories: dict[str, tuple[tuple[str, ...], Callable[..., dict[str, Any]]]] | None = None


def _attrs_make() -> Any:
    return importlib.import_module("attr._make")


def begin() -> None:
    """Hand attrs the prebuilt methods until the matching :func:`end` (nested calls, as
    when one law module imports another, count). Does nothing where attrs has no
    ``_linecache_and_compile`` to stand in for (another attrs release): its own is used."""
    global _depth, _original
    with _lock:
        if _depth == 0:
            make = _attrs_make()
            original = getattr(make, "_linecache_and_compile", None)
            if original is None:  # pragma: no cover - an attrs release without it
                return
            if original is not _prebuilt:
                _original = original
            make._linecache_and_compile = _prebuilt
        _depth += 1


def end() -> None:
    """Give attrs its own compiler back, once the outermost :func:`begin` ends."""
    global _depth
    with _lock:
        if _depth == 0:  # pragma: no cover - begin found nothing to stand in for
            return
        _depth -= 1
        if _depth == 0 and _original is not None:
            make = _attrs_make()
            if make._linecache_and_compile is _prebuilt:
                make._linecache_and_compile = _original


def _key(script: str) -> tuple[str, int | None]:
    """The text a factory is keyed by, and the per-process number it was written with."""
    found = _TYPE_HASH.findall(script)
    if len(found) != 1:
        return script, None
    return _TYPE_HASH.sub(r"\1_type_hash\3", script, count=1), int(found[0][1])


def _prebuilt(
    script: str,
    filename: str,
    globs: dict[str, Any] | None,
    *more: Any,
    **named: Any,
) -> dict[str, Any]:
    """``attr._make._linecache_and_compile``, with the functions of a packaged factory
    when one has exactly this text; else attrs' own."""
    original = _original
    assert original is not None
    if globs is None or more or named:  # attrs' other use of it (``locals=``): its own
        return original(script, filename, globs, *more, **named)
    key, type_hash = _key(script)
    if _recorded(filename):
        _seen[filename] = (key, globs)
    found = _built().get(key)
    if found is None:
        _misses.append(filename)
        return original(script, filename, globs)
    names, factory = found
    try:
        values = {n: type_hash if n == "_type_hash" else globs[n] for n in names}
    except KeyError:
        _misses.append(filename)
        return original(script, filename, globs)
    if "_type_hash" in names and type_hash is None:  # pragma: no cover - not in a key
        return original(script, filename, globs)
    return factory(**values)


def _recorded(filename: str) -> bool:
    """Whether attrs' name for a class is one of :data:`MODULES`' (whatever else the
    engine's package first imports while it imports its stages depends on what the
    process imported before, and is left out, so that the module is the same in every
    process that writes it)."""
    if not filename.startswith("<attrs generated methods breachrules."):
        return False
    module = filename[len("<attrs generated methods ") : -1].rsplit(".", 1)[0]
    return module in MODULES or module.startswith("breachrules.engine.")


def _built() -> dict[str, tuple[tuple[str, ...], Callable[..., dict[str, Any]]]]:
    global _factories
    if _factories is None:
        try:
            from breachrules.law import _methods_built
        except ImportError:  # pragma: no cover - the module is part of the package
            _factories = {}
        else:
            _factories = cast(dict[str, Any], _methods_built.FACTORIES)
    return _factories


def misses() -> tuple[str, ...]:
    """attrs' names for the classes whose methods were compiled in this process, because
    no packaged factory had their text (none, while the packaged module is current)."""
    return tuple(_misses)


def factory_source(key: str, globs: dict[str, Any], name: str) -> tuple[str, tuple[str, ...]]:
    """The factory ``name`` for the text ``key``: the text indented into a function whose
    parameters are the names it reads from attrs' namespace ``globs`` (and ``_type_hash``),
    returning the functions it defines by name; and those parameters."""
    import ast  # only to write the module, never while a class is defined
    import textwrap

    tree = ast.parse(key)
    read = {
        node.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    }
    names = tuple(sorted(n for n in read if n in globs or n == "_type_hash"))
    defined = [node.name for node in tree.body if isinstance(node, ast.FunctionDef)]
    returned = ", ".join(f"{n!r}: {n}" for n in defined)
    text = (
        f"def {name}({', '.join(names)}):\n"
        f"{textwrap.indent(key, '    ')}\n"
        f"    return {{{returned}}}\n"
    )
    return text, names


def written_by() -> str:
    """The attrs release and Python version whose texts the packaged module holds."""
    import importlib.metadata  # only to write or test the module: it imports email, zipfile
    import sys

    attrs_version = importlib.metadata.version("attrs")
    return f"attrs {attrs_version}, Python {sys.version_info[0]}.{sys.version_info[1]}"


def written() -> str:
    """The text of :mod:`breachrules.law._methods_built`: a factory for each class
    defined between :func:`begin` and :func:`end` so far in this process (the command
    below imports :data:`MODULES` first), keyed by the text attrs writes for it."""
    parts = [
        '"""The methods attrs writes for the law\'s and the engine\'s classes, compiled with the',
        "package (generated by ``python -m breachrules.law.methods``: never edit it by hand).",
        "",
        "Each factory is the text its key holds, indented into a function; see",
        ":mod:`breachrules.law.methods`. It is one job, however long: one generated table",
        "of the classes, that only that module reads.",
        '"""',
        "",
        "# ruff: noqa",
        "# mypy: ignore-errors",
        "# fmt: off",
        "",
        "#: What the texts were written by: another attrs release or Python may write others",
        "#: (then compiled by attrs as before; the freshness tests skip).",
        f"WRITTEN_BY = {written_by()!r}",
        "",
    ]
    keys: dict[str, str] = {}
    entries = []
    for filename in sorted(_seen):
        key, globs = _seen[filename]
        if key in keys:
            continue
        name = f"_make{len(keys)}"
        keys[key] = name
        text, names = factory_source(key, globs, name)
        parts += [f"# {filename}", text]
        entries.append(f"    {key!r}: ({names!r}, {name}),")
    parts += ["FACTORIES = {", *entries, "}", ""]
    return "\n".join(parts)


if __name__ == "__main__":  # pragma: no cover - the command that regenerates the module
    target = Path(__file__).with_name("_methods_built.py")
    for module in MODULES:  # the law's and the engine's classes, defined now
        importlib.import_module(module)
    # The classes record their texts in the imported module, not in this __main__.
    target.write_text(importlib.import_module("breachrules.law.methods").written(), "utf-8")
    print(f"wrote {target}")
