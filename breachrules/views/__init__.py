"""Ways to read an assessment: the action plan, plain-text explanations, open questions,
what changed between two assessments, notebook HTML, the coverage page, and the text
layout they share on a terminal.

Views read the data classes; the data classes never import them. Importing this package
binds each view to the convenience method that offers it (``assessment.plan()`` and the
like, see :mod:`breachrules.model.bindings`).
"""

from breachrules.views import changes, coverage, explain, notebook, plan, questions, terminal

__all__ = ["changes", "coverage", "explain", "notebook", "plan", "questions", "terminal"]
