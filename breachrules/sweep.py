"""The documented path ``breachrules.sweep``; the module now lives at
:mod:`breachrules.scale.sweep`.

Kept so that code written against the first, flat layout keeps working; new code imports
from the new path (see docs/architecture.md).
"""

from breachrules.scale.sweep import *  # noqa: F403
from breachrules.scale.sweep import __all__ as __all__
