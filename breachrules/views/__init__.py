"""Ways to read an assessment: the action plan, plain-text explanations, open questions,
what changed between two assessments, notebook HTML, the coverage page, and the text
layout they share on a terminal.

Views read the data classes; the data classes never import them. Each view binds itself to the
convenience method that offers it (``assessment.plan()`` and the like) when it is first
needed, see :mod:`breachrules.model.bindings`.
"""

import importlib
from typing import Any

__all__ = [
    "brief",
    "changes",
    "coverage",
    "explain",
    "notebook",
    "notices",
    "plan",
    "questions",
    "terminal",
]


def __getattr__(name: str) -> Any:
    """Each view is imported when first used (``breachrules.views.plan``), not with the
    package: the command line's table needs only ``terminal``, and a process that prints a
    schema should not load pandas-facing notebook code (the bindings find their views on
    first call: :func:`breachrules.model.bindings.provide`)."""
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
