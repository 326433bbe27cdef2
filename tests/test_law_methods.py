"""The methods attrs writes for the law's and the engine's classes, compiled with the package
(:mod:`breachrules.law.methods`, issue 24 target 1): the packaged module is current, a
new process compiles none of them, and each packaged function is the one attrs would
have compiled, defaults, code and results."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path
from typing import Any

import attrs
import pytest

from breachrules.law import _methods_built, methods
from breachrules.law.conditions import All, Compare, Has, Not
from breachrules.law.loader import bundled_paths, load_rulesets
from breachrules.law.ruleset import Deadline, Ruleset, Version

from .conftest import ROOT, last_json_line

#: The packaged texts are those of one attrs release and Python version: under another,
#: the classes are compiled by attrs as before (slower, never wrong) and the tests that
#: compare texts do not apply.
same_writer = pytest.mark.skipif(
    methods.written_by() != _methods_built.WRITTEN_BY,
    reason=f"law/_methods_built.py was written by {_methods_built.WRITTEN_BY}",
)


def _seen() -> dict[str, tuple[str, dict[str, Any]]]:
    for module in methods.MODULES:
        __import__(module)
    return methods._seen


@same_writer
def test_the_packaged_methods_are_the_ones_attrs_writes_now() -> None:
    """Failing here means a class of the law changed (or attrs writes its methods
    otherwise): regenerate the module with ``PYTHONPATH=. python -m breachrules.law.methods``
    (until then those classes are compiled as before: slower, never wrong)."""
    text = (ROOT / "breachrules" / "law" / "_methods_built.py").read_text(encoding="utf-8")
    _seen()  # every module of the law, of the engine and views.first imported
    assert methods.written() == text, "regenerate law/_methods_built.py"


@same_writer
def test_every_class_of_the_law_found_its_methods_packaged() -> None:
    seen = _seen()
    assert len(seen) >= 35
    modules = {filename.split()[-1][:-1].rsplit(".", 1)[0] for filename in seen}
    assert set(methods.MODULES) - {"breachrules.engine"} <= modules
    assert {"breachrules.engine.results", "breachrules.engine.reach"} <= modules
    assert all(key in _methods_built.FACTORIES for key, _ in seen.values())
    assert not [name for name in methods.misses() if methods._recorded(name)]


@same_writer
def test_a_new_process_compiles_no_method_of_the_law_or_the_engine(tmp_path: Path) -> None:
    """What spares a new process compiling them (about 5 ms of each ``breachrules
    assess``): attrs compiles the methods of the model's classes as before, and of the
    law's and the engine's none."""
    code = (
        "import builtins, json\n"
        "seen = []\n"
        "real = builtins.compile\n"
        "def spy(source, name, *a, **k):\n"
        "    seen.append(name)\n"
        "    return real(source, name, *a, **k)\n"
        "builtins.compile = spy\n"
        "from breachrules.law import directory, library\n"
        "import breachrules.engine\n"
        "from breachrules.law import methods\n"
        "print(json.dumps([seen, list(methods.misses())]))\n"
    )
    compiled, missed = last_json_line(code)
    generated = [name for name in compiled if name.startswith("<attrs generated methods")]
    assert any("breachrules.model." in name for name in generated)  # the spy sees them
    assert not [name for name in generated if "breachrules.law." in name]
    assert not [name for name in generated if "breachrules.engine." in name]
    assert missed == []


def _attrs_own(key: str, globs: dict[str, Any], type_hash: int) -> dict[str, Any]:
    """What attrs' own ``_linecache_and_compile`` makes of the text (the per-process
    number put back in)."""
    script = key.replace("_type_hash,", f"{type_hash},", 1)
    scope = dict(globs)
    exec(compile(script, "<attrs own>", "exec"), scope)
    defined = [node.name for node in ast.parse(script).body if isinstance(node, ast.FunctionDef)]
    return {n: scope[n] for n in defined}


@same_writer
def test_each_packaged_function_is_what_attrs_compiles() -> None:
    """Same names, parameters, defaults and statements as the function attrs compiles
    from the same text; and the same answers on the law's own objects."""
    type_hash = 123456789
    for filename, (key, globs) in _seen().items():
        names, factory = _methods_built.FACTORIES[key]
        made = factory(**{n: type_hash if n == "_type_hash" else globs[n] for n in names})
        own = _attrs_own(key, globs, type_hash)
        assert set(made) == set(own), filename
        for name, function in made.items():
            other = own[name]
            assert function.__name__ == other.__name__
            assert function.__defaults__ == other.__defaults__, (filename, name)
            code, theirs = function.__code__, other.__code__
            assert code.co_argcount == theirs.co_argcount
            assert code.co_varnames[: code.co_argcount] == theirs.co_varnames[: code.co_argcount]
        packaged = ast.parse(inspect.getsource(factory)).body[0]
        assert isinstance(packaged, ast.FunctionDef)
        body = ast.Module(body=packaged.body[:-1], type_ignores=[])  # all but its return
        assert ast.dump(body) == ast.dump(ast.parse(key)), filename


def test_the_law_s_objects_compare_and_hash_as_attrs_made_them() -> None:
    """Every bundled ruleset is equal to a copy of itself; and for an object of each
    class, the packaged ``__eq__`` and ``__hash__`` answer as attrs' own (the hash mixing
    in this process's number for the class, as attrs' does)."""
    seen = _seen()
    rulesets = load_rulesets(bundled_paths())
    assert all(r == attrs.evolve(r) for r in rulesets)
    for cls in (Ruleset, Deadline, Version, All, Compare, Has, Not):
        key, globs = seen[f"<attrs generated methods {cls.__module__}.{cls.__qualname__}>"]
        number = hash(f"<attrs generated hash {cls.__module__}.{cls.__qualname__}>")
        own = _attrs_own(key, globs, number)
        sample = next(_objects_of(cls, rulesets), None)
        if sample is None:
            continue
        assert _outcome(cls.__hash__, sample) == _outcome(own["__hash__"], sample), cls
        assert cls.__eq__(sample, attrs.evolve(sample)) is own["__eq__"](
            sample, attrs.evolve(sample)
        )


def _outcome(function: Any, value: Any) -> Any:
    """What ``function(value)`` returns, or the type of what it raises (a ruleset holds
    mappings, and hashing one fails alike either way)."""
    try:
        return function(value)
    except TypeError as exc:
        return type(exc)


def _objects_of(cls: type, values: Any) -> Any:
    stack = list(values)
    while stack:
        value = stack.pop()
        if type(value) is cls:
            yield value
        if attrs.has(type(value)):
            stack.extend(getattr(value, f.name) for f in attrs.fields(type(value)))
        elif isinstance(value, tuple | list):
            stack.extend(value)
        elif isinstance(value, dict):
            stack.extend(value.values())


def test_a_text_not_packaged_is_compiled_by_attrs_as_before() -> None:
    """A class whose text no factory has (here one defined in a test, between
    ``begin`` and ``end``) is built by attrs' own compiler, and ``end`` gives attrs its
    compiler back."""
    make = methods._attrs_make()
    own = make._linecache_and_compile
    methods.begin()
    try:
        assert make._linecache_and_compile is not own

        @attrs.frozen
        class Elsewhere:
            a: int
            b: str = "b"

    finally:
        methods.end()
    assert make._linecache_and_compile is own
    assert Elsewhere(1) == Elsewhere(1, "b") and hash(Elsewhere(1)) == hash(Elsewhere(1, "b"))
    assert Elsewhere(1) != Elsewhere(2)
    assert not any("Elsewhere" in name for name in methods._seen)
