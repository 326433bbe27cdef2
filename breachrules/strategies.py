"""The documented path ``breachrules.strategies``; the module now lives at
:mod:`breachrules.testing.strategies`.

Kept so that code written against the first, flat layout keeps working; new code imports
from the new path (see docs/architecture.md).
"""

from breachrules.testing.strategies import *  # noqa: F403
from breachrules.testing.strategies import __all__ as __all__

# Installs made before the entry point moved to breachrules.testing._hypothesis_hook name
# this path in their metadata; keep it importable here.
from breachrules.testing.strategies import _hypothesis_setup_hook  # noqa: F401
