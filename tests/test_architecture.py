"""The package reads as its architecture: layers whose imports point down only, no circles.

Every module's imports are read from its source (module level and inside functions alike),
so a lazy import cannot hide an upward arrow or a circle. Imports made only for type
annotations (inside ``if TYPE_CHECKING:``) never run; they may point up only where listed
in ``TYPE_ONLY_UP`` with the reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "breachrules"

#: Bottom to top. A module imports only from its own package or from a lower layer.
LAYERS: list[set[str]] = [
    {"errors", "_version"},
    {"model"},
    {"law"},
    {"io"},
    {"engine"},
    {"testing", "scale"},
    {"views"},
    {"audit"},
    {"cli"},
]
#: The top: the public API (``__init__``), ``python -m breachrules``, and the documented
#: paths of the first, flat layout, kept as thin aliases.
TOP = {"__init__", "__main__", "serde", "strategies", "notebook", "sweep", "scenarios", "plan"}
TOP |= {"importers", "coverage", "bench"}

#: Annotation-only imports that point up, with why they are there.
TYPE_ONLY_UP = {
    # ``Assessment.plan()`` is typed as returning the plan view; the view is bound at run
    # time through breachrules.model.bindings, never imported.
    ("breachrules.model.decisions", "breachrules.views.plan"),
    # ``Assessment.notices()`` and ``Assessment.brief()``, the same way.
    ("breachrules.model.decisions", "breachrules.views.notices"),
    ("breachrules.model.decisions", "breachrules.views.brief"),
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _layer(module: str) -> int:
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in TOP:
        return len(LAYERS)
    for n, group in enumerate(LAYERS):
        if parts[1] in group:
            return n
    raise AssertionError(f"{module} is in no layer: add its package to LAYERS")


def _resolve(source: str, node: ast.ImportFrom | ast.Import) -> list[str]:
    """The breachrules modules an import statement loads."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name.split(".")[0] == "breachrules"]
    base = node.module or ""
    if node.level:
        pkg = source.split(".")
        is_package = MODULES[source].name == "__init__.py"
        pkg = pkg if is_package else pkg[:-1]
        pkg = pkg[: len(pkg) - node.level + 1]
        base = ".".join([*pkg, base] if base else pkg)
    if base.split(".")[0] != "breachrules":
        return []
    out = []
    for alias in node.names:
        sub = f"{base}.{alias.name}"
        out.append(sub if sub in MODULES else base)
    return out


def _imports(module: str) -> tuple[set[str], set[str]]:
    """(imports that run, imports for annotations only) of one module."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    typing_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            typing_only.update(id(n) for child in node.body for n in ast.walk(child))
    runs, types = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            targets = set(_resolve(module, node)) - {module}
            (types if id(node) in typing_only else runs).update(targets)
    return runs, types


GRAPH = {m: _imports(m) for m in MODULES}


def _package(module: str) -> str:
    return module.split(".")[1] if "." in module else ""


def test_every_module_has_a_layer() -> None:
    """A new package must be placed in the layers before it can be imported."""
    for module in MODULES:
        _layer(module)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down(module: str) -> None:
    """A module imports from its own package or from lower layers, lazily or not; nothing
    inside the package imports the public API or the compatibility aliases at the top."""
    runs, types = GRAPH[module]
    here = _layer(module)
    for target in sorted(runs | types):
        if (module, target) in TYPE_ONLY_UP and target in types - runs:
            continue
        same_package = _package(target) == _package(module) and here < len(LAYERS)
        below = _layer(target) < here
        assert same_package or below, f"{module} imports {target}, which is not below it"


def test_no_import_circles() -> None:
    """No circle in the modules' imports that run (lazy ones included)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(GRAPH[v][0]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for module in sorted(MODULES):
        if module not in index:
            visit(module)
    assert circles == []


def test_the_checker_sees_a_lazy_upward_import(tmp_path: Path) -> None:
    """The reader finds an import inside a function (what the old data classes did)."""
    source = "def f():\n    from breachrules.views.plan import plan\n    return plan\n"
    tree = ast.parse(source)
    found = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert [n.module for n in found] == ["breachrules.views.plan"]
    MODULES["breachrules.model._probe"] = tmp_path / "probe.py"
    try:
        (tmp_path / "probe.py").write_text(source, encoding="utf-8")
        runs, _ = _imports("breachrules.model._probe")
        assert runs == {"breachrules.views.plan"}
        assert _layer("breachrules.views.plan") > _layer("breachrules.model._probe")
    finally:
        del MODULES["breachrules.model._probe"]


def test_modules_stay_small() -> None:
    """No module over about 400 lines unless its docstring says why it is one job."""
    for module, path in MODULES.items():
        lines = path.read_text(encoding="utf-8").count("\n")
        if lines > 420:
            doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
            assert "one job" in doc, f"{module} has {lines} lines; split it or say why not"
