"""Fuzzing the ways in, and load on both backends.

Hypothesis drives the incident document and the command-line arguments through the real
CLI: every run exits 0 (assessed) or 2 (refused, with the field named), never 1, never a
traceback; and an accepted document loses no field (what went in comes back out of
``to_dict``). Eight threads then make 10,000 assessments each on each backend and must
all agree with a single-threaded reference.
"""

from __future__ import annotations

import io
import json
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from breachrules import Engine, Incident, InvalidIncident, load_incident
from breachrules import strategies as brst
from breachrules.cli import main

from .conftest import EXAMPLES, incident_doc
from .test_fuzz import _mutate, _paths, json_values

FUZZ = settings(
    derandomize=True,
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
EXAMPLE = str(EXAMPLES / "multistate-ransomware.json")


_ENGINE: list[Engine] = []


def _shared_engine(args: Any) -> Engine:
    """One engine for every run: building one compiles every ruleset, which is not what
    is fuzzed here (the parser, the checks and the dispatch are)."""
    if not _ENGINE:
        _ENGINE.append(Engine())
    return _ENGINE[0]


def _run(argv: list[str], stdin: bytes | None = None) -> tuple[int, str]:
    """The CLI in-process: exit status and standard error."""
    cli = sys.modules["breachrules.cli.main"]

    err, out = io.StringIO(), io.StringIO()
    real_engine, cli._engine = cli._engine, _shared_engine
    real = sys.stdin, sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin))
    try:
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse's own refusals
            code = int(exc.code or 0)
    finally:
        sys.stdin, sys.stdout, sys.stderr = real
        cli._engine = real_engine
    return code, err.getvalue()


def _contained(given_doc: Any, kept: Any, path: str = "") -> None:
    """Every value that went in comes back (``null`` may stand for an absent fact)."""
    if isinstance(given_doc, dict):
        assert isinstance(kept, dict), path
        for key, value in given_doc.items():
            assert key in kept or value is None, f"{path}.{key} was dropped"
            if key in kept:
                _contained(value, kept[key], f"{path}.{key}")
    elif isinstance(given_doc, list):
        assert isinstance(kept, list) and len(kept) == len(given_doc), path
        for i, (a, b) in enumerate(zip(given_doc, kept, strict=True)):
            _contained(a, b, f"{path}[{i}]")
    else:
        assert given_doc == kept and type(given_doc) is type(kept), path


@FUZZ
@given(brst.incidents(), st.data())
def test_any_incident_document_through_the_cli(incident: Incident, data: st.DataObject) -> None:
    doc = json.loads(json.dumps(incident.to_dict()))
    for _ in range(data.draw(st.integers(0, 2), label="mutations")):
        path = data.draw(st.sampled_from(_paths(doc)), label="path")
        how = data.draw(st.sampled_from(["delete", "replace", "extra"]), label="how")
        doc = _mutate(doc, path, how, data.draw(json_values, label="value"))
    raw = json.dumps(doc).encode()
    code, err = _run(["assess", "-", "--format", "json", "--jurisdiction", "US-CA"], stdin=raw)
    assert code in (0, 2), err
    assert "Traceback" not in err and "unexpected error" not in err
    if code == 0:
        _contained(doc, load_incident(doc).to_dict())
    else:
        with pytest.raises(InvalidIncident):
            load_incident(doc)


_TOKENS = st.sampled_from(
    [
        "--jurisdiction",
        "US-CA",
        "us-tx",
        "US-CA,US-TX",
        "US-CAL",
        "UK",
        ",",
        "--as-of",
        "2026-03-05T00:00:00Z",
        "9999-12-31T23:59:59Z",
        "0001-01-01T00:00:00Z",
        "yesterday",
        "--format",
        "json",
        "csv",
        EXAMPLE,
        "missing.json",
        "-",
        "",
        "\x00",
    ]
)


@FUZZ
@given(
    st.sampled_from(["assess", "plan", "questions", "explain"]),
    st.lists(_TOKENS, max_size=7),
)
def test_any_arguments(command: str, tokens: list[str]) -> None:
    argv = [command, EXAMPLE, *tokens]
    if command == "explain":
        argv.insert(2, "US-CA:notify-individuals")
    code, err = _run(argv, stdin=b"{}")
    assert code in (0, 2), (argv, err)
    assert "Traceback" not in err and "unexpected error" not in err


# --- load -----------------------------------------------------------------------------------

#: Per thread; BREACHRULES_LOAD_PER_THREAD lowers it for a quick local run.
PER_THREAD = int(os.environ.get("BREACHRULES_LOAD_PER_THREAD", "10000"))
#: durable-rules takes about 2.5 times as long per assessment as the default backend, and
#: 8 x 10^4 of them were a quarter of the whole suite's time (158 s of 621 s on the 2-core
#: machine of 2026-12-07, against the 15 minutes CI allows): 8 x 2,500 on that backend
#: still interleave every thread's sessions thousands of times.
PER_THREAD_DURABLE = max(1, PER_THREAD // 4)


@pytest.mark.parametrize("backend", ["durable", "python"])
def test_eight_threads_times_ten_thousand(backend: str) -> None:
    """8 threads x 10^4 assessments on one engine (x 2,500 on durable-rules, see
    ``PER_THREAD_DURABLE``): every result identical to the reference.

    The last audit hash stands for the whole assessment: it chains every rule value,
    determination, obligation and due date.
    """
    engine = Engine(backend=backend)
    docs = [incident_doc(), incident_doc(good_faith_insider=None)]
    docs[0]["exposures"][0]["residents"] = {"US-CA": 1200, "US-TX": 600, "GB": 3}
    incidents = [load_incident(d) for d in docs]
    # Named, so each assessment is three laws: the load is the threads, not the law count.
    laws = ["US-CA", "US-TX", "GB"]
    reference = [engine.assess(i, jurisdictions=laws).audit[-1].hash for i in incidents]
    barrier = threading.Barrier(8)

    def work(n: int) -> set[tuple[int, str]]:
        barrier.wait()
        seen = set()
        for k in range(PER_THREAD_DURABLE if backend == "durable" else PER_THREAD):
            which = (n + k) % len(incidents)
            seen.add((which, engine.assess(incidents[which], jurisdictions=laws).audit[-1].hash))
        return seen

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(work, range(8)))
    assert set().union(*results) == set(enumerate(reference))
