"""The documented path ``breachrules.scenarios``; the module now lives at
:mod:`breachrules.testing.scenarios`.

Kept so that code written against the first, flat layout keeps working; new code imports
from the new path (see docs/architecture.md).
"""

from breachrules.testing.scenarios import *  # noqa: F403
from breachrules.testing.scenarios import __all__ as __all__
