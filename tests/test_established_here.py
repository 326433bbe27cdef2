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


def _va_incident(body_places: list[str]) -> dict[str, object]:
    return {
        "schema_version": "1",
        "id": "va-body",
        "discovered_at": "2026-03-02T14:30:00-05:00",
        "parties": [
            {"id": "acme", "data_role": "owner", "established_in": ["US-VA"]},
            {
                "id": "body",
                "data_role": "service_provider",
                "serves": "acme",
                "types": ["government_agency"],
                "established_in": body_places,
            },
        ],
        "breached_party": "body",
        "exposures": [
            {
                "elements": ["name", "ssn"],
                "residents": {"US-VA": 10},
                "encrypted": False,
                "acquired": True,
                "accessed": True,
            }
        ],
    }


@pytest.mark.parametrize(
    ("places", "status", "missing"),
    [
        (["US-VA"], "required", []),
        (["US-MD"], "not_required", []),
        ([], "conditional", ["parties[1].established_in"]),
    ],
)
def test_breached_party_established_here(
    places: list[str], status: str, missing: list[str]
) -> None:
    """``breached_party_established_here`` reads the breached party's establishment, not the
    owner's: a public body breached as a service provider reports to its own state's
    office (Va. Code § 2.2-5514(C), audit s11 VA-2), another state's body does not, and
    one whose establishment is not given is asked."""
    from breachrules import Engine, load_incident

    doc = _va_incident(places)
    a = Engine().assess(load_incident(doc), jurisdictions=["US-VA"])
    ob = next(o for o in a.obligations if o.id == "US-VA:report-fusion-center-breached-body")
    assert ob.status == status
    assert list(ob.missing_facts) == missing
