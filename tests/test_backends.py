"""durable-rules gives the same assessments as the pure-Python default; selection works."""

from __future__ import annotations

import sys
import warnings

import pytest
from hypothesis import given, settings

from breachrules import BreachrulesError, Engine, load_incident

from .conftest import EXAMPLES
from .test_engine import partial_incidents


def test_backends_agree_on_every_example(engine: Engine, durable_engine: Engine) -> None:
    """Byte-identical assessment documents, audit chains included, for every example."""
    assert engine.backend == "python" and durable_engine.backend == "durable"
    for path in sorted(EXAMPLES.rglob("*.json")):
        incident = load_incident(path)
        assert durable_engine.assess(incident).to_json() == engine.assess(incident).to_json(), path


@settings(max_examples=60, deadline=None, derandomize=True)
@given(partial_incidents())
def test_backends_agree_on_generated_incidents(
    engine: Engine, durable_engine: Engine, doc: dict
) -> None:
    """For generated incidents (unknown facts included) both backends say the same."""
    incident = load_incident(doc)
    assert durable_engine.assess(incident).to_json() == engine.assess(incident).to_json()


def test_unknown_backend_is_refused() -> None:
    """Only 'durable' and 'python' exist."""
    with pytest.raises(BreachrulesError, match="backend"):
        Engine(backend="drools", bundled=False)


def test_default_is_pure_python_without_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where durable-rules is not installed (the default install, Python 3.13), the default
    engine is the pure-Python one, silently; asking for durable-rules names the extra."""
    monkeypatch.setitem(sys.modules, "breachrules.engine._durable", None)  # import now fails
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        engine = Engine(paths=[], bundled=True)
    assert engine.backend == "python"
    with pytest.raises(BreachrulesError, match=r"breachrules\[durable\]"):
        Engine(backend="durable", bundled=False)


def test_default_never_imports_durable_rules() -> None:
    """The default engine does not load the C extension, even where it is installed."""
    import subprocess

    code = (
        "import sys; from breachrules import Engine; Engine(); "
        "print(any(m == 'durable' or m.startswith('durable.') for m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
