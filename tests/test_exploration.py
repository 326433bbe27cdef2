"""Exploring from a notebook or a shell: what load_incident accepts, assess accepts, and
the strategies import on their own."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from breachrules import Engine, load_incident
from breachrules.errors import BreachrulesError, InvalidIncident

from .conftest import EXAMPLES

EXAMPLE = EXAMPLES / "multistate-ransomware.json"


def test_assess_accepts_what_load_incident_accepts(engine: Engine) -> None:
    """A dict, a JSON string and a path give the same assessment as an Incident."""
    want = engine.assess(load_incident(EXAMPLE)).to_json()
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert engine.assess(doc).to_json() == want
    assert engine.assess(json.dumps(doc)).to_json() == want
    assert engine.assess(EXAMPLE).to_json() == want


def test_assess_says_clearly_what_it_does_not_accept(engine: Engine) -> None:
    with pytest.raises(InvalidIncident, match="discovered_at"):
        engine.assess({"id": "x"})
    with pytest.raises(BreachrulesError, match="not int"):
        engine.assess(42)  # type: ignore[arg-type]


def test_strategies_import_before_hypothesis() -> None:
    """`from breachrules import strategies` first used to crash in the hypothesis entry
    point ("partially initialized module"); st.from_type still works after it."""
    code = (
        "from breachrules import strategies\n"
        "from hypothesis import strategies as st\n"
        "from breachrules import Incident\n"
        "assert isinstance(st.from_type(Incident).example(), Incident)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_to_dataframe_takes_sweep_results(engine: Engine) -> None:
    """Issue 22: ``to_dataframe(points)`` failed ('list' object has no attribute
    'obligations'). A sweep's points become one row per scenario: the values tried under
    their fact paths, each determination and each obligation's status."""
    pytest.importorskip("pandas")
    from breachrules.notebook import local_sweep, to_dataframe

    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    doc["exposures"] = [{"elements": ["name", "ssn"], "residents": {"US-CA": 10}, "acquired": True}]
    path = "exposures[0].residents.US-CA"
    points = local_sweep(engine, doc, {path: [400, 600]}, jurisdictions=["US-CA"])
    frame = to_dataframe(points)
    assert list(frame.columns[:2]) == [path, "US-CA"]
    assert list(frame[path]) == [400, 600]
    assert list(frame["US-CA"]) == [p.determinations["US-CA"] for p in points]
    ids = [c for c in frame.columns if c.startswith("US-CA:")]
    assert ids and ids == list(dict.fromkeys(i for p in points for i in p.obligations))
    for column in ids:
        assert list(frame[column]) == [p.obligations.get(column) for p in points]
    # California's notice to its Attorney General starts above 500 residents.
    ag = list(frame["US-CA:notify-attorney-general"])
    assert ag[0] == "not_required" and ag[1] != "not_required"
    assert len(frame) == len(points) == 2


def test_to_dataframe_of_hand_made_points_and_of_the_wrong_thing() -> None:
    pytest.importorskip("pandas")
    from breachrules.notebook import to_dataframe
    from breachrules.sweep import SweepPoint

    frame = to_dataframe([SweepPoint((1,), {"US-CA": "breach"}, {"US-CA:x": "required"})])
    assert list(frame.columns) == ["value_0", "US-CA", "US-CA:x"]
    with pytest.raises(TypeError, match="Assessment or the SweepPoints"):
        to_dataframe([{"not": "a point"}])  # type: ignore[list-item]
