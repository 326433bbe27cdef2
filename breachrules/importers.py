"""The documented path ``breachrules.importers``; the module now lives at
:mod:`breachrules.io.importers`.

Kept so that code written against the first, flat layout keeps working; new code imports
from the new path (see docs/architecture.md).
"""

from breachrules.io.importers import *  # noqa: F403
from breachrules.io.importers import __all__ as __all__
