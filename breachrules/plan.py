"""The documented path ``breachrules.plan``; the module now lives at
:mod:`breachrules.views.plan`.

Kept so that code written against the first, flat layout keeps working; new code imports
from the new path (see docs/architecture.md).
"""

from breachrules.views.plan import *  # noqa: F403
from breachrules.views.plan import __all__ as __all__
