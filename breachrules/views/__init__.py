"""Ways to read an assessment: the action plan, plain-text explanations, open questions,
what changed between two assessments, notebook HTML, and the coverage page.

Views read the data classes; the data classes never import them. Importing this package
binds each view to the convenience method that offers it (``assessment.plan()`` and the
like, see :mod:`breachrules.model.bindings`).
"""

from breachrules.views import (
    brief,
    changes,
    coverage,
    explain,
    notebook,
    notices,
    plan,
    questions,
)

__all__ = ["brief", "changes", "coverage", "explain", "notebook", "notices", "plan", "questions"]
