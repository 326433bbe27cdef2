"""Robustness: malformed input raises only the library's own errors, each with a path.

A host (a SOAR playbook, a web form) passes whatever it has; ``load_incident`` must answer
with :class:`InvalidIncident` naming the field, never a ``TypeError`` from deep inside.
The same holds for ruleset files and :class:`RulesetError` naming the file.

The gaps this file once found are pinned by the minimal-input tests at the end. Settings
are explicit (derandomized, a few hundred examples) so that the file runs
in a few seconds whatever profile is loaded.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from breachrules import Incident, InvalidIncident, RulesetError, load_incident, load_ruleset
from breachrules import strategies as brst

ROOT = Path(__file__).resolve().parent.parent
RULESETS = [
    ROOT / "examples" / "policies" / "acme.yaml",
    ROOT / "rulesets" / "us" / "ca.yaml",
    ROOT / "rulesets" / "eu" / "gdpr.yaml",
]

FUZZ = settings(
    derandomize=True,
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

_KEYS = [
    "id",
    "discovered_at",
    "parties",
    "exposures",
    "data_role",
    "elements",
    "residents",
    "encrypted",
    "key_compromised",
    "contracts",
    "breached_party",
    "risk",
    "serves",
    "law_enforcement",
    "schema_version",
]

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
    | st.sampled_from(["", "owner", "US-CA", "2026-03-02T14:30:00-05:00", "name", "EU", "-1"])
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.text(max_size=10) | st.sampled_from(_KEYS),
            children,
            max_size=5,
        )
    ),
    max_leaves=25,
)


def _load(source: Any) -> Incident | None:
    """load_incident, returning None for InvalidIncident (checked to carry paths)."""
    try:
        return load_incident(source)
    except InvalidIncident as exc:
        assert exc.problems, "InvalidIncident without problems"  # noqa: PT017
        for problem in exc.problems:
            assert problem.path, problem
            assert problem.reason, problem
        return None


# --- incidents ---------------------------------------------------------------------------------


@FUZZ
@given(json_values)
def test_any_json_document(value: object) -> None:
    """Any JSON document, as text or already parsed, is an incident or InvalidIncident."""
    text = json.dumps(value)
    if isinstance(value, dict | list):
        _load(text)
    if isinstance(value, dict):
        _load(value)


@FUZZ
@given(st.text(max_size=60).map(lambda s: "{" + s))
def test_malformed_json_text(text: str) -> None:
    """Broken JSON text is reported as InvalidIncident with line and column."""
    _load(text)


def _paths(doc: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [here]
    if isinstance(doc, dict):
        for key, value in doc.items():
            out += _paths(value, (*here, key))
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            out += _paths(value, (*here, i))
    return out


def _mutate(doc: Any, path: tuple[Any, ...], how: str, value: Any) -> Any:
    if not path:
        return value if how == "replace" else doc
    *parent_path, last = path
    parent = doc
    for step in parent_path:
        parent = parent[step]
    if how == "delete":
        del parent[last]
    elif how == "extra" and isinstance(parent, dict):
        parent[f"{last}_x"] = value
    else:
        parent[last] = value
    return doc


@FUZZ
@given(brst.incidents(), st.data())
def test_mutated_valid_incidents(incident: Incident, data: st.DataObject) -> None:
    """A valid incident with one field deleted, replaced by any JSON value, or joined by an
    unknown field: valid, or InvalidIncident naming where."""
    doc = json.loads(json.dumps(incident.to_dict()))
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        path = data.draw(st.sampled_from(_paths(doc)), label="path")
        how = data.draw(st.sampled_from(["delete", "replace", "extra"]), label="how")
        doc = _mutate(doc, path, how, data.draw(json_values, label="value"))
    if isinstance(doc, dict):
        _load(doc)  # the API takes a mapping, a path or JSON text; other objects are not inputs
    if isinstance(doc, dict | list):
        _load(json.dumps(doc))


# --- rulesets ------------------------------------------------------------------------------------

_TMP = tempfile.TemporaryDirectory(prefix="breachrules-fuzz-")


def _load_ruleset_text(text: str, name: str = "fuzzed.yaml") -> None:
    file = Path(_TMP.name) / name
    file.write_text(text, encoding="utf-8")
    try:
        load_ruleset(file)
    except RulesetError as exc:
        assert exc.problems  # noqa: PT017
        for problem in exc.problems:
            assert problem.file == str(file), problem
            assert problem.reason, problem


# Characters that YAML gives meaning to, and a few that break it (the complex-key marker
# "? " included).
_YAML_BITS = st.sampled_from(
    [
        ":",
        "-",
        " ",
        "\n",
        "[",
        "]",
        "{",
        "}",
        ",",
        "'",
        '"',
        "&a",
        "*a",
        "!!str",
        "#",
        "\t",
        "|",
        ">",
        "%",
        "@",
        "`",
        "null",
        "true",
        "1e3",
        "2026-01-01",
        "$x",
        "é",
        "\x85",
        "? [a, b]\n: c\n",
    ]
)


@FUZZ
@given(st.sampled_from(RULESETS), st.data())
def test_damaged_ruleset_text(source: Path, data: st.DataObject) -> None:
    """A ruleset file truncated, with lines dropped, or with YAML syntax spliced in: a
    ruleset, or RulesetError naming the file."""
    text = source.read_text(encoding="utf-8")
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        at = data.draw(st.integers(0, len(text)), label="at")
        edit = data.draw(st.sampled_from(["truncate", "drop-line", "insert"]), label="edit")
        if edit == "truncate":
            text = text[:at]
        elif edit == "drop-line":
            lines = text.splitlines(keepends=True)
            if lines:
                del lines[at % len(lines)]
            text = "".join(lines)
        else:
            bit = "".join(data.draw(st.lists(_YAML_BITS, min_size=1, max_size=4), label="bits"))
            text = text[:at] + bit + text[at:]
    _load_ruleset_text(text)


@settings(FUZZ, max_examples=75)  # each example loads a whole ruleset: the slowest here
@given(st.sampled_from(RULESETS), st.data())
def test_structurally_mutated_rulesets(source: Path, data: st.DataObject) -> None:
    """A ruleset with a field deleted, replaced by any value, or an unknown field added:
    RulesetError naming the file (and, for the schema, the line), never a crash."""
    doc = yaml.safe_load(source.read_text(encoding="utf-8"))
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        path = data.draw(st.sampled_from(_paths(doc)), label="path")
        how = data.draw(st.sampled_from(["delete", "replace", "extra"]), label="how")
        doc = _mutate(doc, path, how, data.draw(json_values, label="value"))
    _load_ruleset_text(yaml.safe_dump(doc, allow_unicode=True))


@FUZZ
@given(st.text(max_size=80))
def test_arbitrary_text_as_a_ruleset(text: str) -> None:
    """Any text at all in a ruleset file: RulesetError naming the file."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return  # lone surrogates cannot be written to a file
    _load_ruleset_text(text)


# --- gaps fuzzing found (now fixed): minimal inputs -----------------------------------------


def test_nul_in_text_source_is_invalid_incident() -> None:
    with pytest.raises(InvalidIncident):
        load_incident("\x00")


def test_deeply_nested_json_is_invalid_incident() -> None:
    with pytest.raises(InvalidIncident):
        load_incident("[" * 100_000)


def test_non_string_key_is_invalid_incident() -> None:
    with pytest.raises(InvalidIncident):
        load_incident({1: 2})


def test_empty_key_problem_has_a_path() -> None:
    with pytest.raises(InvalidIncident) as info:
        load_incident('{"": null}')
    assert all(p.path for p in info.value.problems), info.value.problems


def test_non_utf8_ruleset_is_ruleset_error() -> None:
    file = Path(_TMP.name) / "latin1.yaml"
    file.write_bytes("code: XX-ÉTÉ\n".encode("latin-1"))
    with pytest.raises(RulesetError):
        load_ruleset(file)


def test_complex_mapping_key_is_ruleset_error() -> None:
    file = Path(_TMP.name) / "complex-key.yaml"
    file.write_text("? [a, b]\n: c\n", encoding="utf-8")
    with pytest.raises(RulesetError):
        load_ruleset(file)


def test_deeply_nested_yaml_is_ruleset_error() -> None:
    file = Path(_TMP.name) / "deep.yaml"
    file.write_text("[" * 10_000, encoding="utf-8")
    with pytest.raises(RulesetError):
        load_ruleset(file)
