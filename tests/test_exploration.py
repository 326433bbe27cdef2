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
