"""Where the layers above hand the data classes their convenience methods.

``assessment.to_dict()``, ``assessment.plan()``, ``incident._repr_html_()`` and friends are
what users call, but the data classes sit at the bottom of the house and must not import
what reads them: a data class that imports its views cannot change without them, and the
imports go round in a circle. So each view registers its function here when its module is
imported (``bind("plan", plan)``), and the method looks it up by name.

The views are imported when first needed, not up front (a new process per incident
should not pay for the notebook view to print a table): ``breachrules/__init__.py``, which
may import every layer, registers with :func:`provide` a function that imports the module
binding a given name, and :func:`bound` calls it for a name not bound yet. Python always
runs a package's ``__init__`` before any of its modules, so the provider is in place
before any data class can be used.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["bind", "bound", "provide"]

_BOUND: dict[str, Callable[..., Any]] = {}
_PROVIDERS: list[Callable[[str], None]] = []


def bind(name: str, function: Callable[..., Any]) -> None:
    """Make ``function`` the implementation of the data classes' method ``name``."""
    _BOUND[name] = function


def provide(provider: Callable[[str], None]) -> None:
    """Register ``provider(name)``, which imports the module that binds ``name``."""
    _PROVIDERS.append(provider)


def bound(name: str) -> Callable[..., Any]:
    """The function bound to ``name`` (its module imported now if it was not yet); a clear
    error if nothing binds it."""
    try:
        return _BOUND[name]
    except KeyError:
        pass
    for provider in _PROVIDERS:
        provider(name)
    try:
        return _BOUND[name]
    except KeyError:
        raise RuntimeError(
            f"{name!r} is not available: no module binds it (breachrules.model.bindings)"
        ) from None
