"""Choosing the rule engine that evaluates compiled conditions.

Two backends with the same interface and byte-identical results (proven by the
differential tests): :mod:`breachrules.engine._durable` (durable-rules' Rete engine, a C
extension) and :mod:`breachrules.engine._python` (pure Python). Only ``_durable`` imports
durable-rules, so its quirks stay in one module.
"""

from __future__ import annotations

import importlib
import warnings
from types import ModuleType

from breachrules.errors import BreachrulesError

__all__ = ["load_backend"]


def load_backend(name: str | None = None) -> tuple[str, ModuleType]:
    """The rule-engine backend: ``"durable"`` (durable-rules, the default where it imports)
    or ``"python"`` (pure Python, the same semantics). ``None`` picks durable-rules and
    falls back to Python, with one warning, where durable-rules cannot be imported
    (for example on Python 3.13, where durable-rules 2.0.28 does not build)."""
    if name not in (None, "durable", "python"):
        raise BreachrulesError(f"backend: {name!r} is not 'durable' or 'python'")
    if name == "python":
        return "python", importlib.import_module("breachrules.engine._python")
    try:
        return "durable", importlib.import_module("breachrules.engine._durable")
    except ImportError as exc:
        if name == "durable":
            raise BreachrulesError(
                f"backend 'durable': durable-rules cannot be imported ({exc})"
            ) from exc
        warnings.warn(
            f"breachrules: durable-rules cannot be imported ({exc}); using the pure-Python backend",
            RuntimeWarning,
            stacklevel=4,
        )
        return "python", importlib.import_module("breachrules.engine._python")
