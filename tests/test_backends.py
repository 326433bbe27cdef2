"""The pure-Python backend gives the same assessments as durable-rules; selection works."""

from __future__ import annotations

import sys
import warnings

import pytest
from hypothesis import given, settings

from breachrules import BreachrulesError, Engine, load_incident

from .conftest import EXAMPLES
from .test_engine import partial_incidents


@pytest.fixture(scope="module")
def python_engine() -> Engine:
    return Engine(backend="python")


def test_backends_agree_on_every_example(engine: Engine, python_engine: Engine) -> None:
    """Byte-identical assessment documents, audit chains included, for every example."""
    assert engine.backend == "durable" and python_engine.backend == "python"
    for path in sorted(EXAMPLES.rglob("*.json")):
        incident = load_incident(path)
        assert engine.assess(incident).to_json() == python_engine.assess(incident).to_json(), path


@settings(max_examples=60, deadline=None, derandomize=True)
@given(partial_incidents())
def test_backends_agree_on_generated_incidents(
    engine: Engine, python_engine: Engine, doc: dict
) -> None:
    """For generated incidents (unknown facts included) both backends say the same."""
    incident = load_incident(doc)
    assert engine.assess(incident).to_json() == python_engine.assess(incident).to_json()


def test_unknown_backend_is_refused() -> None:
    """Only 'durable' and 'python' exist."""
    with pytest.raises(BreachrulesError, match="backend"):
        Engine(backend="drools", bundled=False)


def test_falls_back_to_python_with_one_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where durable-rules cannot be imported (Python 3.13), the default engine still works."""
    monkeypatch.setitem(sys.modules, "breachrules.engine._durable", None)  # import now fails
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        engine = Engine(paths=[], bundled=True)
    assert engine.backend == "python"
    assert len([w for w in caught if "pure-Python backend" in str(w.message)]) == 1
    with pytest.raises(BreachrulesError, match="durable-rules cannot be imported"):
        Engine(backend="durable", bundled=False)
