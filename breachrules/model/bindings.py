"""Where the layers above hand the data classes their convenience methods.

``assessment.to_dict()``, ``assessment.plan()``, ``incident._repr_html_()`` and friends are
what users call, but the data classes sit at the bottom of the house and must not import
what reads them: a data class that imports its views cannot change without them, and the
imports go round in a circle. So each view registers its function here when its module is
imported (``bind("plan", plan)``), and the method looks it up by name.

``breachrules/__init__.py`` imports every view, and Python always runs a package's
``__init__`` before any of its modules, so every view is bound before any data class can be
used: ``import breachrules.model.decisions`` alone imports the whole public API first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["bind", "bound"]

_BOUND: dict[str, Callable[..., Any]] = {}


def bind(name: str, function: Callable[..., Any]) -> None:
    """Make ``function`` the implementation of the data classes' method ``name``."""
    _BOUND[name] = function


def bound(name: str) -> Callable[..., Any]:
    """The function bound to ``name``; a clear error if its module was never imported."""
    try:
        return _BOUND[name]
    except KeyError:
        raise RuntimeError(
            f"{name!r} is not available: import breachrules (its __init__ binds every view)"
        ) from None
