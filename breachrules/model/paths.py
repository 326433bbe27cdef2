"""Field paths into incident documents: ``exposures[0].residents.US-CA``, ``risk.harm_likely``.

Missing facts, explanations, diffs, open questions and sweeps all name facts this way;
this module reads and writes a document at such a path, so they all agree on the syntax.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["get_path", "is_sending", "set_path", "steps"]

_STEP = re.compile(r"[^.\[\]]+|\[\d+\]")


def is_sending(path: str) -> bool:
    """Whether ``path`` names a notice's sending (``notices_sent.<obligation id>``): the
    party's own act, recorded when done, never a fact about the incident to establish (a
    clock that runs from it shows its earliest date until then)."""
    return path.startswith("notices_sent.")


def steps(path: str) -> list[str | int]:
    """``"exposures[0].acquired"`` -> ``["exposures", 0, "acquired"]``."""
    return [int(p[1:-1]) if p.startswith("[") else p for p in _STEP.findall(path)]


def get_path(doc: Any, path: str) -> Any:
    """The value at ``path``, or None where the document has nothing there."""
    node = doc
    for step in steps(path):
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def set_path(doc: Any, path: str, value: Any) -> None:
    """Set ``path`` in ``doc`` (in place), creating intermediate mappings as needed."""
    parts = steps(path)
    node = doc
    for step in parts[:-1]:
        node = node.setdefault(step, {}) if isinstance(step, str) else node[step]
    node[parts[-1]] = value
