"""``python -m breachrules``: the same program as the ``breachrules`` command."""

import sys

from breachrules.cli import main

sys.exit(main())
