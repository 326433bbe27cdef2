"""`local_residents`: the affected residents of a law's own places, however it reached.

A law reached by establishment counts every affected person in `residents` (the GDPR's
establishment test). Some thresholds count only "consumers residing in this state" (NAIC
Insurance Data Security Model Law s. 6(B)(1)(b)(ii): "250 or more Consumers residing in
this State"): `local_residents` counts those alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from breachrules import Engine, load_incident

from .conftest import EXAMPLE_LAW, incident_doc

LAW = (
    EXAMPLE_LAW.replace(
        "reaches: {residents: [XX]}", "reaches: {residents: [XX], established_in: [XX]}"
    )
    + """
obligations:
  - id: notify-commissioner
    citation: Ex. Act s. 6(B)
    recipient: regulator
    by: owner
    when: {local_residents: {gte: 250}}
    deadline: {text: within 3 days, days: 3}
  - id: notify-everyone-count
    citation: Ex. Act s. 7
    recipient: media
    by: owner
    when: {residents: {gte: 250}}
    deadline: {text: within 3 days, days: 3}
"""
)


@pytest.fixture(scope="module")
def law(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    folder: Path = tmp_path_factory.mktemp("local")
    (folder / "xx.yaml").write_text(LAW)
    return Engine(paths=[folder], bundled=False, backend="python")


def _status(engine: Engine, residents: dict[str, int], established: list[str]) -> dict[str, Any]:
    doc = incident_doc()
    doc["parties"][0]["established_in"] = established
    doc["exposures"][0]["residents"] = residents
    a = engine.assess(load_incident(doc), jurisdictions=["XX"])
    return {o.id.split(":", 1)[1]: o for o in a.obligations}


def test_established_here_counts_only_this_states_residents(law: Engine) -> None:
    """Established in XX, 249 XX residents and 5,000 elsewhere: the local count is 249
    (not required); everyone counted is 5,249 (required)."""
    obs = _status(law, {"XX": 249, "US-CA": 5000}, ["XX"])
    assert obs["notify-commissioner"].status == "not_required"
    assert obs["notify-everyone-count"].status == "required"
    assert _status(law, {"XX": 250, "US-CA": 5000}, ["XX"])["notify-commissioner"].status == (
        "required"
    )


def test_reached_by_residence_the_counts_agree(law: Engine) -> None:
    """Established elsewhere, reached by its XX residents: both counts are the XX residents."""
    for n, status in ((249, "not_required"), (250, "required")):
        obs = _status(law, {"XX": n, "US-CA": 5000}, ["US-CA"])
        assert obs["notify-commissioner"].status == status
        assert obs["notify-everyone-count"].status == status


def test_many_exposures_sum_the_local_residents(law: Engine) -> None:
    doc = incident_doc()
    doc["parties"][0]["established_in"] = ["XX"]
    doc["exposures"] = [
        {**doc["exposures"][0], "residents": {"XX": 125, "US-CA": 900}},
        {**doc["exposures"][0], "residents": {"XX": 125, "US-NY": 900}},
    ]
    a = law.assess(load_incident(doc), jurisdictions=["XX"])
    (ob,) = [o for o in a.obligations if o.id == "XX:notify-commissioner"]
    assert ob.status == "required"  # 125 + 125 = 250
    facts = next(r.facts for r in ob.reasons if r.rule == "XX:notify-commissioner")
    assert facts["exposures[0].residents"] == {"XX": 125}  # the law's own places only


def test_both_backends_agree(tmp_path: Path) -> None:
    pytest.importorskip("durable")
    (tmp_path / "xx.yaml").write_text(LAW)
    doc = incident_doc()
    doc["parties"][0]["established_in"] = ["XX"]
    doc["exposures"][0]["residents"] = {"XX": 249, "US-CA": 5000}
    out = [
        Engine(paths=[tmp_path], bundled=False, backend=b).assess(load_incident(doc)).to_json()
        for b in ("python", "durable")
    ]
    assert out[0] == out[1]
