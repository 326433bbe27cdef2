"""Shared fixtures: one Engine for the whole run (building it compiles every ruleset)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from breachrules import Engine

#: The compiled-law cache of the whole run: a folder of its own, never the user's cache
#: (subprocesses started by the tests inherit it through the environment).
_CACHE = tempfile.mkdtemp(prefix="breachrules-test-cache-")
os.environ["BREACHRULES_CACHE_DIR"] = _CACHE
os.environ.pop("BREACHRULES_NO_CACHE", None)


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_CACHE, ignore_errors=True)


ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "incidents"


@pytest.fixture(scope="session")
def engine() -> Engine:
    """The default engine: the pure-Python backend."""
    return Engine()


@pytest.fixture(scope="session")
def durable_engine() -> Engine:
    """durable-rules' Rete engine (the ``durable`` extra, which the test extras install)."""
    pytest.importorskip("durable.lang")
    return Engine(backend="durable")


#: The parts of a made-up law every clock test shares (its code, reach, one version, a
#: definition and a breach rule); a test adds its own obligations, calendar and facts.
EXAMPLE_LAW = """
code: XX
name: Example law
citation: Ex. Act
sources: [{url: "https://example.org/act"}]
last_reviewed: 2026-12-01
reaches: {residents: [XX]}
versions:
  - effective_from: 2020-01-01
    citation: Ex. Act
personal_information:
  id: pi
  citation: Ex. Act s. 1
  when: {elements: {any_of: [ssn]}}
breach:
  id: breach
  citation: Ex. Act s. 2
  when: {acquired: true}
"""


def incident_doc(**overrides: Any) -> dict[str, Any]:
    """A small valid incident: a California business, 1,200 residents, name + SSN taken."""
    doc: dict[str, Any] = {
        "schema_version": "1",
        "id": "T-1",
        "discovered_at": "2026-03-02T14:30:00-05:00",
        "parties": [
            {"id": "acme", "name": "Acme", "data_role": "owner", "established_in": ["US-CA"]}
        ],
        "exposures": [
            {
                "elements": ["name", "ssn"],
                "residents": {"US-CA": 1200},
                "encrypted": False,
                "acquired": True,
                "accessed": True,
            }
        ],
        "good_faith_insider": False,
    }
    doc.update(overrides)
    return doc


def law_problems(tmp_path: Path, law: str, old: str, new: str) -> list[str]:
    """The load problems of ``law`` with ``old`` replaced by ``new``, as "line: reason"
    (the edit must change the text, so that a test cannot pass on a replacement that
    never happened)."""
    from breachrules import RulesetError, load_ruleset

    text = law.replace(old, new)
    assert text != law
    file = tmp_path / "xx.yaml"
    file.write_text(text)
    with pytest.raises(RulesetError) as info:
        load_ruleset(file)
    return [f"{p.line}: {p.reason}" for p in info.value.problems]


def last_json_line(code: str) -> Any:
    """Run ``code`` in a new Python process from the project's root and read the JSON it
    prints last (what a fresh process imports or compiles, which this one cannot show)."""
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])
