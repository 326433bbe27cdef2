"""``owner_established_here``: an owner of the law's own places ("a state agency"), not any
public body anywhere; unknown while its establishment does not say (issue 21, who is bound)."""

from __future__ import annotations

import pytest

from breachrules.engine.facts import established_here

TX = frozenset({"US-TX"})


@pytest.mark.parametrize(
    ("places", "home", "expected"),
    [
        (("US-TX",), TX, True),
        (("US-CA", "US-TX"), TX, True),  # any of its places
        (("US-CA",), TX, False),
        (("FR",), TX, False),
        (("US",), TX, None),  # which state: the fact to establish
        (("US", "US-CA"), TX, None),  # a country holding it keeps it open
        ((), TX, None),  # not given
        (("DE-BY",), frozenset({"DE", "FR"}), True),  # within a national law's country
        (("US-CA",), frozenset({"US"}), True),
        (("FR",), frozenset({"EU"}), True),  # a member state in the Union (reach.within)
        (("US-TX",), frozenset(), None),  # a law with no places of its own
    ],
)
def test_established_here(
    places: tuple[str, ...], home: frozenset[str], expected: bool | None
) -> None:
    assert established_here(places, home) is expected
