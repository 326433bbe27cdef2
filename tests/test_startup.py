"""What a new process pays for before its first decision (issue 24, target 1).

Behaviour only, never time: which modules a fresh process has imported after ``import
breachrules`` and after a command, that the public API and the data classes' methods
still work when their modules are imported on first use, and that libyaml reads every
ruleset exactly as the pure-Python parser does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import breachrules
from breachrules.errors import RulesetError
from breachrules.law import lines
from breachrules.law.loader import bundled_paths, load_ruleset, ruleset_files

from .conftest import EXAMPLES, ROOT

#: Imported on demand only: each costs a new process more than a whole assessment does.
HEAVY = [
    "asyncio",
    "cattrs",
    "holidays",
    "icalendar",
    "jsonschema",
    "rich",
    "structlog",
    "yaml",
    "breachrules.engine",
    "breachrules.views.notebook",
]


def _fresh(code: str, cache: Path) -> Any:
    """Run ``code`` in a new interpreter; it prints one JSON value, returned here."""
    env = {**os.environ, "BREACHRULES_CACHE_DIR": str(cache)}
    env.pop("BREACHRULES_NO_CACHE", None)
    run = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


LOADED = f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"


def test_import_breachrules_imports_nothing_heavy(tmp_path: Path) -> None:
    assert _fresh(f"import json, sys\nimport breachrules\n{LOADED}", tmp_path) == []


def test_every_public_name_is_there_when_asked_for() -> None:
    for name in breachrules.__all__:
        assert getattr(breachrules, name) is not None, name
    assert set(breachrules.__all__) <= set(dir(breachrules))
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        breachrules.nothing  # noqa: B018


def test_star_import_gives_the_public_api(tmp_path: Path) -> None:
    code = "import json\nfrom breachrules import *\nprint(json.dumps(sorted(n for n in dir())))"
    names = _fresh(code, tmp_path)
    assert set(breachrules.__all__) - {"__version__"} <= set(names)


def test_the_data_classes_methods_work_in_a_fresh_process(tmp_path: Path) -> None:
    """``to_dict()``, ``plan()``, ``explain()``, ``_repr_html_()`` and ``compliance()`` bind
    their views when first called; nothing but the engine was imported by the caller."""
    code = f"""
import json
from breachrules import Engine
a = Engine().assess({str(EXAMPLES / "multistate-ransomware.json")!r})
first = a.obligations[0].id
out = {{
    "to_dict": sorted(a.to_dict()),
    "to_json": a.to_json()[:1],
    "plan": type(a.plan()).__name__,
    "explain": bool(a.explain(first)),
    "html": a._repr_html_()[:1],
    "compliance": type(a.compliance([])).__name__,
}}
print(json.dumps(out))
"""
    out = _fresh(code, tmp_path)
    assert "obligations" in out["to_dict"]
    assert out["to_json"] == "{"
    assert out["plan"] == "Plan"
    assert out["explain"] is True
    assert out["html"] == "<"
    assert out["compliance"] == "tuple"


def test_assess_on_a_warm_cache_reads_no_yaml(tmp_path: Path) -> None:
    """The second ``breachrules assess`` reads every ruleset from the compiled-law cache:
    no YAML parser, no JSON Schema validator, no holidays library, no structlog; and its
    table, written to a pipe, is laid out without rich."""
    code = f"""
import json, sys, contextlib, io
from breachrules.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    assert main(["assess", {str(EXAMPLES / "multistate-ransomware.json")!r}]) == 0
{LOADED}
"""
    first = _fresh(code, tmp_path)
    assert "yaml" in first and "jsonschema" in first  # the first call read the files
    again = _fresh(code, tmp_path)
    assert "breachrules.engine" in again  # it did assess
    assert [m for m in again if m not in ("breachrules.engine", "cattrs")] == []


def test_assess_on_a_warm_cache_imports_no_calendar_module(tmp_path: Path) -> None:
    """Month arithmetic counts the days itself: ``calendar`` (and the ``locale`` it
    imports) would be about a millisecond of every call."""
    code = f"""
import json, sys, contextlib, io
from breachrules.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    assert main(["assess", {str(EXAMPLES / "multistate-ransomware.json")!r}]) == 0
print(json.dumps("calendar" in sys.modules))
"""
    _fresh(code, tmp_path)
    assert _fresh(code, tmp_path) is False


def test_schema_needs_no_engine(tmp_path: Path) -> None:
    code = f"""
import json, sys, contextlib, io
from breachrules.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    assert main(["schema", "incident"]) == 0
{LOADED}
"""
    assert "breachrules.engine" not in _fresh(code, tmp_path)


def _shape(node: Any) -> Any:
    """A document with the line of every mapping, list, key and item spelled out."""
    if isinstance(node, dict):
        return {
            "line": getattr(node, "line", None),
            "items": {k: (node.lines[k], _shape(v)) for k, v in node.items()},
        }
    if isinstance(node, list):
        items = [(n, _shape(v)) for n, v in zip(node.lines, node, strict=True)]
        return {"line": node.line, "items": items}
    return node


@pytest.mark.skipif(
    not getattr(__import__("yaml"), "__with_libyaml__", False), reason="PyYAML without libyaml"
)
def test_libyaml_reads_every_ruleset_as_pure_python_does() -> None:
    import yaml

    pure, fast = lines._loaders()
    assert fast is not pure
    for root in bundled_paths():
        files = ruleset_files(root) + sorted((root / "_directory").glob("*.yaml"))
        for file in files:
            text = file.read_text(encoding="utf-8")
            assert _shape(yaml.load(text, Loader=fast)) == _shape(yaml.load(text, Loader=pure)), (
                file
            )


@pytest.mark.parametrize(
    "text",
    [
        "code: US-XX\nname: [unclosed\n",
        "code: US-XX\ncode: US-YY\n",
        "code: US-XX\n  bad: indentation\n",
        "a: {b: 1\n",
    ],
)
def test_a_yaml_error_is_reported_as_the_pure_python_parser_words_it(
    tmp_path: Path, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "bad.yaml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(RulesetError) as fast:
        load_ruleset(file)
    pure = lines._loaders()[0]
    monkeypatch.setattr(lines, "_LOADERS", (pure, pure))
    with pytest.raises(RulesetError) as slow:
        load_ruleset(file)
    assert fast.value.problems == slow.value.problems
    assert fast.value.problems[0].line is not None


def _shared_repr_classes() -> list[type]:
    """Every class of the package that takes :func:`breachrules.model.reprs.shared_repr`."""
    import importlib
    import inspect

    from breachrules.model import reprs

    found = []
    for path in sorted((ROOT / "breachrules").rglob("*.py")):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        if "shared_repr" not in path.read_text(encoding="utf-8") or name.endswith("reprs"):
            continue
        for _, cls in inspect.getmembers(importlib.import_module(name), inspect.isclass):
            code = getattr(cls.__dict__.get("__repr__"), "__code__", None)
            if cls.__module__ == name and code is not None and code.co_filename == reprs.__file__:
                found.append(cls)
    return found


def test_the_shared_repr_prints_what_attrs_would() -> None:
    """The classes an assessment alone imports share one ``__repr__`` instead of one
    compiled per class (docs/scaling.md): it prints exactly what attrs' own prints, for
    every such class, nested objects and a cycle included, and for every object of
    every bundled ruleset."""
    import attrs

    from breachrules.law.library import Library

    classes = _shared_repr_classes()
    assert len(classes) >= 30
    for cls in classes:
        names = [f.name for f in attrs.fields(cls)]
        twin = attrs.make_class(cls.__name__, names, frozen=True, slots=True)
        twin.__qualname__ = cls.__qualname__
        values: list[object] = [f"v{n}" for n in range(len(names))]
        if values:
            values[0] = ("x", 1, None)
        ours, theirs = object.__new__(cls), object.__new__(twin)
        for name, value in zip(names, values, strict=True):
            object.__setattr__(ours, name, value)
            object.__setattr__(theirs, name, value)
        assert repr(ours) == repr(theirs), cls
        if names:  # a cycle prints "...", as attrs' does
            object.__setattr__(ours, names[-1], ours)
            object.__setattr__(theirs, names[-1], theirs)
            assert repr(ours) == repr(theirs), cls

    def attrs_repr(value: object) -> str:
        if attrs.has(type(value)):
            fields = ", ".join(
                f"{f.name}={attrs_repr(getattr(value, f.name))}" for f in attrs.fields(type(value))
            )
            return f"{type(value).__qualname__}({fields})"
        if isinstance(value, tuple):
            inner = ", ".join(attrs_repr(v) for v in value)
            return f"({inner},)" if len(value) == 1 else f"({inner})"
        if isinstance(value, dict):
            return "{" + ", ".join(f"{k!r}: {attrs_repr(v)}" for k, v in value.items()) + "}"
        return repr(value)

    library = Library(bundled_paths())
    for ruleset in library.rulesets():
        assert repr(ruleset) == attrs_repr(ruleset), ruleset.code
    for outline in library.outlines:
        assert repr(outline) == attrs_repr(outline), outline.code


def test_ruleset_files_lists_what_rglob_listed(tmp_path: Path) -> None:
    """The rulesets of a folder are listed with ``os.walk`` (every call lists them): the
    same paths in the same order as the ``rglob`` it replaced, whatever the folder holds."""
    root = tmp_path / "rules"
    for name in [
        "us-xx.yaml",
        "b/us-yy.yml",
        "b/c/us-zz.yaml",
        "_pending.yaml",
        "_directory/eu.yaml",
        "b/_notes/x.yaml",
        ".hidden.yaml",
        ".yaml",
        "upper.YAML",
        "old.yaml.bak",
        "notes.txt",
        "b/c/d.yaml/inside.yaml",
    ]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        if not name.endswith("d.yaml"):
            (root / name).write_text("code: X\n", encoding="utf-8")
    (root / "linked").symlink_to(root / "b", target_is_directory=True)
    (root / "linked.yaml").symlink_to(root / "us-xx.yaml")

    def rglob_listing(path: Path) -> list[Path]:
        return sorted(
            p
            for p in path.rglob("*.y*ml")
            if p.suffix in (".yaml", ".yml")
            and not any(part.startswith("_") for part in p.relative_to(path).parts)
        )

    assert ruleset_files(root) == rglob_listing(root)
    assert root / "b/c/d.yaml" in ruleset_files(root)  # a folder by that name, as before
    assert ruleset_files(bundled_paths()[0]) == rglob_listing(bundled_paths()[0])
    assert ruleset_files(root / "us-xx.yaml") == [root / "us-xx.yaml"]


def test_the_program_leaves_its_objects_to_no_collection_at_exit(tmp_path: Path) -> None:
    """``python -m breachrules`` (and the ``breachrules`` command, whose entry point is the
    same ``run``) freezes what is left before the interpreter exits, so that Python's last
    collection does not scan every object the call built (about 12 ms of each ``assess``);
    the ``atexit`` functions still run, and what it printed is what ``main`` prints."""
    import gc
    import tomllib

    example = str(EXAMPLES / "multistate-ransomware.json")
    code = (
        "import atexit, gc, runpy, sys\n"
        "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 0, file=sys.stderr))\n"
        f"sys.argv = ['breachrules', 'assess', {example!r}, '--as-of', 'discovery']\n"
        "runpy.run_module('breachrules', run_name='__main__')\n"
    )
    env = {**os.environ, "BREACHRULES_CACHE_DIR": str(tmp_path)}
    ran = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stderr.splitlines()[-1] == "frozen True"
    only_main = "from breachrules.cli import main; raise SystemExit(main())"
    direct = subprocess.run(
        [sys.executable, "-c", only_main, "assess", example, "--as-of", "discovery"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    assert direct.returncode == 0 and ran.stdout == direct.stdout
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert scripts["scripts"]["breachrules"] == "breachrules.cli:run"
    from breachrules.cli import main

    before = gc.get_freeze_count()
    assert main(["schema", "incident"]) == 0  # in-process: nothing frozen
    assert gc.get_freeze_count() == before
