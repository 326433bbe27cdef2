"""The documented path ``breachrules.coverage``; the module now lives at
:mod:`breachrules.views.coverage`.

Kept so that code written against the first, flat layout keeps working; new code imports
from the new path (see docs/architecture.md).
"""

from breachrules.views.coverage import *  # noqa: F403
from breachrules.views.coverage import __all__ as __all__

if __name__ == "__main__":  # ``python -m breachrules.coverage``
    from breachrules.views.coverage import main

    main()
