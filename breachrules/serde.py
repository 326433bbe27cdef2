"""The documented path ``breachrules.serde``; the module now lives at
:mod:`breachrules.io.serde`.

Kept so that code written against the first, flat layout keeps working; new code imports
from the new path (see docs/architecture.md).
"""

from breachrules.io.serde import *  # noqa: F403
from breachrules.io.serde import __all__ as __all__
