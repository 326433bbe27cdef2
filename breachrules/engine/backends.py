"""Choosing the rule engine that evaluates compiled conditions.

Two backends with the same interface and byte-identical results (proven by the
differential tests): ``breachrules.engine._python`` (pure Python, the default) and
``breachrules.engine._durable`` (durable-rules' Rete engine, a C extension installed with
``pip install 'breachrules[durable]'``). Only ``_durable`` imports durable-rules, so its
quirks stay in one module.

The pure-Python backend is the default because it installs everywhere (durable-rules
2.0.28, its last release, ships no wheels, so it needs a C compiler, and it does not build
on Python 3.13) and because it is the faster of the two on the bundled rulesets. The
Rete engine is there for hosts that already run durable-rules or want its matching
semantics as a cross-check; it is never chosen silently.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from breachrules.errors import BreachrulesError

__all__ = ["load_backend"]


def load_backend(name: str | None = None) -> tuple[str, ModuleType]:
    """The rule-engine backend: ``"python"`` (pure Python, the default, also for ``None``)
    or ``"durable"`` (durable-rules, which must be installed: the ``durable`` extra).
    Asking for durable-rules where it cannot be imported is an error naming the extra,
    never a silent fallback: a host that chose the Rete engine must know it is not
    running it."""
    if name not in (None, "durable", "python"):
        raise BreachrulesError(f"backend: {name!r} is not 'durable' or 'python'")
    if name in (None, "python"):
        return "python", importlib.import_module("breachrules.engine._python")
    try:
        return "durable", importlib.import_module("breachrules.engine._durable")
    except ImportError as exc:
        raise BreachrulesError(
            f"backend 'durable': durable-rules cannot be imported ({exc}); "
            "install it with pip install 'breachrules[durable]' (it needs a C compiler "
            "and Python 3.12 or earlier), or use the default pure-Python backend"
        ) from exc
