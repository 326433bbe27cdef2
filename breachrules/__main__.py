"""``python -m breachrules``: the same program as the ``breachrules`` command.

The garbage collector's youngest threshold is raised before the command line is imported
(as :func:`breachrules.cli.main` raises it while it runs, and for the same reason:
importing builds thousands of objects that live until the process exits), and
:func:`breachrules.cli.run` spares Python's last collection at exit from scanning them.
"""

import gc
import sys

gc.set_threshold(max(gc.get_threshold()[0], 100_000), *gc.get_threshold()[1:])

from breachrules.cli import run  # noqa: E402  (after the threshold: see above)

sys.exit(run())
