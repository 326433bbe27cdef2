"""The documented path ``breachrules.notebook``; the module now lives at
:mod:`breachrules.views.notebook`.

Kept so that code written against the first, flat layout keeps working; new code imports
from the new path (see docs/architecture.md).
"""

from breachrules.views.notebook import *  # noqa: F403
from breachrules.views.notebook import __all__ as __all__
