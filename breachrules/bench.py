"""The documented path ``breachrules.bench``; the module now lives at
:mod:`breachrules.scale.bench`.

Kept so that code written against the first, flat layout keeps working; new code imports
from the new path (see docs/architecture.md).
"""

from breachrules.scale.bench import *  # noqa: F403
from breachrules.scale.bench import __all__ as __all__

if __name__ == "__main__":  # ``python -m breachrules.bench``
    from breachrules.scale.bench import main

    main()
