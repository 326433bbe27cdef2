"""The command line, ``breachrules`` (also ``python -m breachrules``)."""

from breachrules.cli.main import main, run

__all__ = ["main", "run"]
