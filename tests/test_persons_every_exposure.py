"""`persons_every_exposure`: the persons a law requires to be notified, in every exposure
of the incident its breach rules find breached, whether or not the exposure holds a
resident the law counts (legal spot audit s11, F8).

Tex. Bus. & Com. Code § 521.053(b) requires notice "to any individual" whose sensitive
personal information was acquired, and (h) counts "more than 10,000 persons": 9,000
Texans in one database and 5,000 Oklahomans in another are 14,000 persons, as they are in
one database. `persons_total` reads only the exposures in the law's reach (those holding
a resident it counts), so it gave the two-database incident not_required.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from breachrules import Engine, load_incident

from .conftest import EXAMPLE_LAW, incident_doc

LAW = (
    EXAMPLE_LAW
    + """
obligations:
  - id: notify-cras
    citation: Ex. Act s. 8
    recipient: consumer_reporting_agencies
    by: owner
    when: {persons_every_exposure: {gt: 1000}}
    deadline: {text: without unreasonable delay}
  - id: notify-cras-in-reach
    citation: Ex. Act s. 9
    recipient: media
    by: owner
    when: {persons_total: {gt: 1000}}
    deadline: {text: without unreasonable delay}
  - id: notify-regulator
    citation: Ex. Act s. 10
    recipient: regulator
    by: owner
    when: {persons_every_exposure: {gt: 1000}, acquired: true}
    deadline: {text: without unreasonable delay}
"""
)


@pytest.fixture(scope="module", params=["python", "durable"])
def law(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    folder: Path = tmp_path_factory.mktemp("every")
    (folder / "xx.yaml").write_text(LAW)
    return Engine(paths=[folder], bundled=False, backend=request.param)


def _exposure(residents: dict[str, int], **facts: Any) -> dict[str, Any]:
    return {"elements": ["ssn"], "residents": residents, "acquired": True, **facts}


def _assess(engine: Engine, *exposures: dict[str, Any]) -> dict[str, Any]:
    doc = incident_doc(exposures=list(exposures))
    a = engine.assess(load_incident(doc), jurisdictions=["XX"])
    return {o.id.split(":", 1)[1]: o for o in a.obligations} | {
        "status": a.determination("XX").status
    }


def test_an_exposure_with_no_resident_counted_is_counted_when_breached(law: Engine) -> None:
    """600 XX residents in one exposure and 401 elsewhere in another: 1,001 persons, more
    than 1,000 (required); ``persons_total`` still counts the 600 in reach."""
    obs = _assess(law, _exposure({"XX": 600}), _exposure({"US-OK": 401}))
    assert obs["notify-cras"].status == "required"
    assert obs["notify-cras-in-reach"].status == "not_required"
    facts = obs["notify-cras"].reasons[0].facts
    assert facts == {
        "exposures[0].residents": {"XX": 600},
        "exposures[1].residents": {"US-OK": 401},
    }
    assert "every breached exposure > 1000" in obs["notify-cras"].reasons[0].text
    obs = _assess(law, _exposure({"XX": 600}), _exposure({"US-OK": 400}))
    assert obs["notify-cras"].status == "not_required"


def test_an_exposure_outside_the_reach_counts_only_if_it_is_a_breach_under_the_law(
    law: Engine,
) -> None:
    """The other exposure's people are notified under the law only if its own rules find
    it breached: not acquired, or no personal information, and it is not counted."""
    for other in (
        _exposure({"US-OK": 5000}, acquired=False),
        {**_exposure({"US-OK": 5000}), "elements": ["email"]},
    ):
        obs = _assess(law, _exposure({"XX": 600}), other)
        assert obs["notify-cras"].status == "not_required"
        assert list(obs["notify-cras"].reasons[0].facts) == ["exposures[0].residents"]


def test_an_exposure_outside_the_reach_never_makes_the_breach(law: Engine) -> None:
    """The law's determination reads the exposures in reach alone: XX residents not
    acquired, 5,000 elsewhere acquired, is no breach under it and owes nothing."""
    obs = _assess(law, _exposure({"XX": 600}, acquired=False), _exposure({"US-OK": 5000}))
    assert obs["status"] == "not_breach"
    assert [k for k, o in obs.items() if k != "status" and o.status != "not_required"] == []


def test_an_exposure_in_doubt_outside_the_reach_leaves_the_count_open(law: Engine) -> None:
    """Whether the other exposure was acquired is unknown and its 401 would cross the
    line: the notice is conditional on that fact, while the breach in reach is decided."""
    obs = _assess(law, _exposure({"XX": 600}), _exposure({"US-OK": 401}, acquired=None))
    assert obs["status"] == "breach"
    cras = obs["notify-cras"]
    assert (cras.status, cras.missing_facts) == ("conditional", ("exposures[1].acquired",))
    # Its 401 are not needed when the certain ones cross the line already.
    obs = _assess(law, _exposure({"XX": 1001}), _exposure({"US-OK": 401}, acquired=None))
    assert (obs["notify-cras"].status, obs["notify-cras"].missing_facts) == ("required", ())


def test_many_exposures_in_doubt_count_the_certain_ones_outside_in_every_world(
    law: Engine,
) -> None:
    """Three exposures in reach, each in doubt, are worlds of one each (one of each kind,
    ``evaluate._one_of_each_kind``); the certain 900 outside join each of them: 200 + 900
    crosses 1,000 in every world, so the notice is required whichever is breached."""
    in_doubt = [_exposure({"XX": 200}, acquired=None) for _ in range(3)]
    obs = _assess(law, *in_doubt, _exposure({"US-OK": 900}))
    assert obs["status"] == "undetermined"
    # Met in every world (each 200 with the 900): conditional on the breach alone.
    assert obs["notify-cras"].status == "conditional"
    assert ": met" in obs["notify-cras"].reasons[0].text
    assert obs["notify-cras"].missing_facts == tuple(f"exposures[{i}].acquired" for i in range(3))
    obs = _assess(law, *in_doubt, _exposure({"US-OK": 700}))
    # 200 + 700 = 900 in the narrowest worlds, 1,300 in the widest: the count is open.
    assert obs["notify-cras"].status == "conditional"
    assert ": unknown" in obs["notify-cras"].reasons[0].text
    obs = _assess(law, *in_doubt, _exposure({"US-OK": 700}, acquired=False))
    assert obs["notify-cras"].status == "not_required"  # 600 at most: never over 1,000


def test_a_reason_about_many_exposures_refers_to_those_outside_the_reach_too(
    law: Engine,
) -> None:
    """Past ``LISTED_EXPOSURES`` the reason names the field it read, and the audit's
    ``obligation`` event lists the exposures it read: those in reach and, for this count,
    the breached ones outside it, so ``reason_facts`` gives back the residents counted."""
    from breachrules.engine.audit import reason_facts
    from breachrules.model.decisions import LISTED_EXPOSURES

    n = LISTED_EXPOSURES + 1
    exposures = [_exposure({"XX": 50}) for _ in range(n)]
    exposures.append(_exposure({"US-OK": 1001 - 50 * n}))
    exposures.append(_exposure({"US-OK": 9000}, acquired=False))  # no breach: not read
    a = law.assess(load_incident(incident_doc(exposures=exposures)), jurisdictions=["XX"])
    cras = a.obligation("XX:notify-cras")
    assert cras.status == "required"
    (reason,) = cras.reasons
    assert reason.exposure_facts == ("residents",)
    assert not any(k.startswith("exposures[") for k in reason.facts)
    event = next(e for e in a.audit if e.event == "obligation" and e.rule == "XX:notify-cras")
    assert event.detail["outside"] == [n]
    assert "exposures" not in event.detail  # those in reach: the determination's affected
    facts = reason_facts(a.audit, "XX", reason)
    assert facts[f"exposures[{n}].residents"] == {"US-OK": 1001 - 50 * n}
    assert f"exposures[{n + 1}].residents" not in facts
    # The count in reach alone reads only the exposures the determination lists.
    other = next(
        e for e in a.audit if e.event == "obligation" and e.rule == "XX:notify-cras-in-reach"
    )
    assert "exposures" not in other.detail and "outside" not in other.detail
    # A rule that reads another exposure field besides the count read that field in the
    # exposures in reach only: the outside exposure gives its residents alone.
    (regulator, *_) = a.obligation("XX:notify-regulator").reasons
    facts = reason_facts(a.audit, "XX", regulator)
    assert f"exposures[{n}].residents" in facts
    assert f"exposures[{n}].acquired" not in facts
    assert facts["exposures[0].acquired"] is True
