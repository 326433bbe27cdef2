"""The command line, ``breachrules`` (also ``python -m breachrules``)."""

from breachrules.cli.main import main

__all__ = ["main"]
