"""For users testing their own rulesets and policies: assertion helpers, scenario files
(``breachrules test``) and hypothesis strategies (:mod:`breachrules.testing.strategies`,
imported on its own because it needs the ``strategies`` extra)."""

from breachrules.testing.helpers import (
    assert_determination,
    assert_no_obligation,
    assert_obligation,
    bundled_cases,
    run_folder,
    scenario_files,
)

__all__ = [
    "assert_determination",
    "assert_no_obligation",
    "assert_obligation",
    "bundled_cases",
    "run_folder",
    "scenario_files",
]
