"""``python -m breachrules``: the same program as the ``breachrules`` command.

The garbage collector's youngest threshold is raised before the command line is imported
(as :func:`breachrules.cli.main` raises it while it runs, and for the same reason:
importing builds thousands of objects that live until the process exits).
"""

import gc
import sys

gc.set_threshold(max(gc.get_threshold()[0], 100_000), *gc.get_threshold()[1:])

from breachrules.cli import main  # noqa: E402  (after the threshold: see above)

sys.exit(main())
