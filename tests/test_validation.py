"""One strict input path: every way in refuses the same bad input, naming the field.

Each finding of issue 18 is pinned here (strings read as lists, unknown places, values
out of range, data lost without a word, arguments), and the shipped JSON Schema is held
to the loader's verdicts on a shared corpus.
"""

from __future__ import annotations

import copy
import io
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from breachrules import Engine, Incident, InvalidIncident, load_incident
from breachrules.cli import main
from breachrules.errors import InvalidArgument
from breachrules.io.schema import json_schema
from breachrules.io.serde import LIMITS

from .conftest import EXAMPLES, incident_doc

EXAMPLE = EXAMPLES / "multistate-ransomware.json"


def problems(source: object) -> dict[str, str]:
    with pytest.raises(InvalidIncident) as info:
        load_incident(source)  # type: ignore[arg-type]
    return {p.path: p.reason for p in info.value.problems}


def with_(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    doc = incident_doc()
    doc["contracts"] = [{"id": "c", "owner": "acme", "provider": "acme"}]
    change(doc)
    return doc


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    from breachrules.model.paths import set_path

    return lambda doc: set_path(doc, path, value)


# --- the shared corpus: the JSON Schema and the loader give the same verdict ------------

#: Faults JSON Schema can express: both must refuse each, at the same field path.
CORPUS: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "offers_to as a string": (_set("parties[0].offers_to", "EU"), "parties[0].offers_to"),
    "established_in as a string": (
        _set("parties[0].established_in", "DE"),
        "parties[0].established_in",
    ),
    "types as a string": (_set("parties[0].types", "bank"), "parties[0].types"),
    "elements as a string": (_set("exposures[0].elements", "ssn"), "exposures[0].elements"),
    "elements as an object": (
        _set("exposures[0].elements", {"ssn": True}),
        "exposures[0].elements",
    ),
    "residents as a list": (_set("exposures[0].residents", [1]), "exposures[0].residents"),
    "residents under UK": (
        _set("exposures[0].residents", {"UK": 100}),
        "exposures[0].residents.UK",
    ),
    "residents under US-XX": (
        _set("exposures[0].residents", {"US-XX": 1}),
        "exposures[0].residents.US-XX",
    ),
    "residents under US-CAL": (
        _set("exposures[0].residents", {"US-CAL": 1}),
        "exposures[0].residents.US-CAL",
    ),
    "negative count": (
        _set("exposures[0].residents", {"US-CA": -1}),
        "exposures[0].residents.US-CA",
    ),
    "count as text": (
        _set("exposures[0].residents", {"US-CA": "12"}),
        "exposures[0].residents.US-CA",
    ),
    "count beyond the world": (
        _set("exposures[0].residents", {"US-CA": 10**11}),
        "exposures[0].residents.US-CA",
    ),
    "established in a made-up country": (
        _set("parties[0].established_in", ["YY"]),
        "parties[0].established_in[0]",
    ),
    "offers to UK": (_set("parties[0].offers_to", ["UK"]), "parties[0].offers_to[0]"),
    "hours of 10**12": (
        _set("contracts[0].notify_owner_within_hours", 10**12),
        "contracts[0].notify_owner_within_hours",
    ),
    "negative days": (
        _set("contracts[0].notify_owner_within_days", -1),
        "contracts[0].notify_owner_within_days",
    ),
    "hours and days": (
        lambda d: d["contracts"][0].update(notify_owner_within_hours=1, notify_owner_within_days=1),
        "contracts[0].notify_owner_within_days",
    ),
    "calendar UK": (_set("contracts[0].calendar", "UK"), "contracts[0].calendar"),
    "year 9999": (_set("discovered_at", "9999-12-31T23:59:59Z"), "discovered_at"),
    "XSOAR's unset date": (_set("occurred_at", "0001-01-01T00:00:00Z"), "occurred_at"),
    "naive time": (_set("discovered_at", "2026-03-02T14:30:00"), "discovered_at"),
    "unknown gdpr_risk": (_set("risk", {"gdpr_risk": "medium"}), "risk.gdpr_risk"),
    "unknown element": (_set("exposures[0].elements", ["ssnn"]), "exposures[0].elements[0]"),
    "unknown field": (_set("colour", "red"), "colour"),
    "no parties": (lambda d: d.update(parties=[], contracts=[]), "parties"),
    "key compromised, not encrypted": (
        _set("exposures[0].key_compromised", True),
        "exposures[0].key_compromised",
    ),
    "provider serving nobody": (
        _set("parties[0].data_role", "service_provider"),
        "parties[0].serves",
    ),
    "count true": (
        _set("exposures[0].residents", {"US-CA": True}),
        "exposures[0].residents.US-CA",
    ),
}

#: Faults JSON Schema cannot express (references between values, order of two dates):
#: the loader refuses them, the schema accepts them, and the schema says so.
LOADER_ONLY: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "breached_party names nobody": (_set("breached_party", "acmee"), "breached_party"),
    "serves names nobody": (
        lambda d: d["parties"][0].update(data_role="service_provider", serves="x"),
        "parties[0].serves",
    ),
    "contract owner names nobody": (_set("contracts[0].owner", "x"), "contracts[0].owner"),
    "duplicate party id": (
        lambda d: d["parties"].append(dict(d["parties"][0])),
        "parties[1].id",
    ),
    "delay before discovery": (
        _set("law_enforcement", {"delay_requested_until": "2026-01-01T00:00:00Z"}),
        "law_enforcement.delay_requested_until",
    ),
}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json_schema(Incident, "incident")


def _schema_paths(schema: dict[str, Any], doc: dict[str, Any]) -> set[str]:
    """Each schema error's field path, written as the loader writes paths."""
    out = set()
    validator = jsonschema.Draft202012Validator(schema)
    for error in validator.iter_errors(doc):
        causes = error.context or [error]
        for cause in [error] if error.validator != "anyOf" else causes[:1]:
            steps = list(cause.absolute_path)
            if "propertyNames" in error.schema_path:
                steps = [*error.absolute_path, error.instance]
            elif cause.validator == "required" or cause.validator == "additionalProperties":
                steps.append(cause.message.split("'")[1])
            out.add(_path(steps))
    return out


def _path(steps: list[Any]) -> str:
    text = ""
    for step in steps:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def test_the_corpus_starts_valid(schema: dict[str, Any]) -> None:
    doc = with_(lambda d: None)
    load_incident(doc)
    jsonschema.validate(doc, schema)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_schema_and_loader_refuse_at_the_same_path(name: str, schema: dict[str, Any]) -> None:
    """Every corpus document is refused by both, and at the same field path."""
    change, path = CORPUS[name]
    doc = with_(change)
    loader = set(problems(copy.deepcopy(doc)))
    assert loader == {path}, loader
    assert _schema_paths(schema, doc) == {path}


@pytest.mark.parametrize("name", sorted(LOADER_ONLY))
def test_what_the_schema_cannot_say_is_the_loaders(name: str, schema: dict[str, Any]) -> None:
    """References between values are beyond JSON Schema: only the loader refuses them."""
    change, path = LOADER_ONLY[name]
    doc = with_(change)
    assert path in problems(copy.deepcopy(doc))
    assert _schema_paths(schema, doc) == set()


def test_every_example_passes_both(schema: dict[str, Any]) -> None:
    for path in sorted(EXAMPLES.glob("*.json")):
        doc = json.loads(path.read_text())
        load_incident(doc)
        jsonschema.validate(doc, schema)


# --- findings: each fails on the code before issue 18 ------------------------------------


def test_a_string_is_never_a_list() -> None:
    reason = problems(with_(_set("parties[0].offers_to", "EU")))["parties[0].offers_to"]
    assert reason == "expected a list, got a string"


def test_unknown_places_name_the_near_miss() -> None:
    found = problems(with_(_set("exposures[0].residents", {"UK": 100, "US-CAL": 3})))
    assert "did you mean 'GB'?" in found["exposures[0].residents.UK"]
    assert "did you mean 'US-CA'?" in found["exposures[0].residents.US-CAL"]


def test_people_under_a_country_whose_laws_go_by_state_are_warned_about(
    engine: Engine,
) -> None:
    """``US`` is a valid code no state law can count: said, not silently dropped."""
    incident = load_incident(with_(_set("exposures[0].residents", {"US": 100})))
    warnings = engine.assess(incident).warnings
    assert any(w.startswith("exposures[0].residents.US: 100 affected people") for w in warnings)
    # Where a law that applies counts them (PIPEDA counts CA), nothing is said.
    canada = load_incident(with_(_set("exposures[0].residents", {"CA": 100})))
    assert not [w for w in engine.assess(canada).warnings if "residents.CA" in w]


def test_out_of_range_values_are_refused_with_the_range() -> None:
    reason = problems(with_(_set("contracts[0].notify_owner_within_hours", 10**12)))
    assert "87,600" in reason["contracts[0].notify_owner_within_hours"]
    reason = problems(with_(_set("discovered_at", "9999-12-31T23:59:59Z")))["discovered_at"]
    assert "outside the supported range 1900-01-01" in reason
    reason = problems(with_(_set("occurred_at", "0001-01-01T00:00:00Z")))["occurred_at"]
    assert "unset date" in reason


def test_python_objects_and_non_finite_numbers_are_refused() -> None:
    found = problems(with_(_set("contracts[0].liability_cap", float("inf"))))
    assert "contracts[0].liability_cap" in found
    found = problems(with_(_set("extensions", {"when": object()})))
    assert "extensions.when" in found
    found = problems('{"id": 1e999}')
    assert "too large" in found["(document)"]


def test_a_repeated_key_is_refused_naming_it() -> None:
    text = json.dumps(incident_doc())[:-1] + ', "id": "T-2"}'
    assert "appears more than once" in problems(text)["id"]
    nested = json.dumps(incident_doc()).replace(
        '"accessed": true', '"accessed": true, "acquired": false'
    )
    assert "exposures[0].acquired" in problems(nested)


def test_depth_and_size_limits(tmp_path: Path) -> None:
    deep: Any = "x"
    for _ in range(LIMITS["depth"] + 5):
        deep = {"a": deep}
    found = problems(with_(_set("extensions", deep)))
    assert any("levels deep" in r for r in found.values())
    text = "[" * 100_000 + "]" * 100_000
    assert "levels deep" in problems(text)["(document)"]
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (LIMITS["bytes"] + 1) + b"{}")
    assert "the limit is" in problems(big)["(document)"]


def test_bom_accepted_and_bytes_not_utf8_refused(tmp_path: Path) -> None:
    text = json.dumps(incident_doc())
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert load_incident(bom).id == "T-1"
    assert load_incident(str(bom)).id == "T-1"
    assert load_incident("\ufeff" + text).id == "T-1"
    assert load_incident(b"\xef\xbb\xbf" + text.encode()).id == "T-1"
    latin = tmp_path / "latin.json"
    latin.write_bytes(text.replace('"Acme"', '"Acm\xe9"').encode("latin-1"))
    reason = problems(latin)["(document)"]
    assert reason.startswith("not UTF-8 text: byte 0xe9 at offset")


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_stdin_takes_the_same_path(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = b"\xef\xbb\xbf" + EXAMPLE.read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    code, out, _ = _cli(capsys, "assess", "-", "--jurisdiction", "US-CA", "--format", "json")
    assert code == 0 and json.loads(out)["incident_id"]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b'{"id": "\xff"}')))
    code, _, err = _cli(capsys, "assess", "-")
    assert code == 2 and "not UTF-8" in err and "Traceback" not in err


# --- arguments ----------------------------------------------------------------------------


def _codes(out: str) -> list[str]:
    return [d["jurisdiction"] for d in json.loads(out)["determinations"]]


@pytest.mark.parametrize(
    "args",
    [
        ["--jurisdiction", "US-CA,US-TX"],
        ["--jurisdiction", "us-ca", "US-TX"],
        ["--jurisdiction", "US-CA", "--jurisdiction", "us-tx"],
    ],
    ids=["comma", "several after one flag", "repeated"],
)
def test_jurisdiction_lists_and_case(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    code, out, err = _cli(capsys, "assess", str(EXAMPLE), "--format", "json", *args)
    assert code == 0, err
    assert _codes(out) == ["US-CA", "US-TX"]


def test_jurisdiction_before_the_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _cli(
        capsys, "assess", "--format", "json", "--jurisdiction", "US-CA", str(EXAMPLE)
    )
    assert code == 0, err
    assert _codes(out) == ["US-CA"]


def test_unknown_jurisdiction_exits_2_with_the_near_miss(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = _cli(capsys, "assess", str(EXAMPLE), "--jurisdiction", "US-CAL")
    assert code == 2
    assert "--jurisdiction: no ruleset for 'US-CAL'; did you mean 'US-CA'?" in err


def test_library_jurisdictions_are_checked_the_same_way(engine: Engine) -> None:
    incident = load_incident(EXAMPLE)
    with pytest.raises(InvalidArgument, match="did you mean 'US-TX'"):
        engine.assess(incident, jurisdictions=["US-TXX"])
    assert [
        d.jurisdiction for d in engine.assess(incident, jurisdictions=["us-tx"]).determinations
    ] == ["US-TX"]


def test_bad_as_of_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _cli(capsys, "assess", str(EXAMPLE), "--as-of", "9999-12-31T23:59:59Z")
    assert code == 2 and "--as-of:" in err and "OverflowError" not in err


def test_explain_unknown_obligation_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _cli(capsys, "explain", str(EXAMPLE), "US-CA:notify-individual")
    assert code == 2
    assert "did you mean 'US-CA:notify-individuals'?" in err


def test_messages_speak_the_users_words() -> None:
    found = problems(with_(_set("risk", {"gdpr_risk": "hgh"})))
    assert found == {
        "risk.gdpr_risk": "'hgh' is not one of 'none', 'risk', 'high'; did you mean 'high'?"
    }
    found = problems(with_(_set("exposures[0].residents", ["US-CA"])))
    assert found == {"exposures[0].residents": "expected an object, got a list"}


# --- the adapters take the same path -------------------------------------------------------


def _adapter(relative: str) -> Any:
    from .test_integrations import _load

    return _load(relative)


def test_xsoar_unset_date_is_unset_not_year_one() -> None:
    """XSOAR writes an unset date as 0001-01-01T00:00:00Z: the adapter reads it as unset,
    so the incident's ``occurred`` is used, never the year 1."""
    xsoar = _adapter("xsoar/BreachRulesAssess.py")
    incident = json.loads(
        (EXAMPLES.parent.parent / "tests/fixtures/integrations/xsoar_incident.json").read_text()
    )
    incident["CustomFields"]["breachdiscoveredat"] = "0001-01-01T00:00:00Z"
    incident["occurred"] = "2026-03-01T10:00:00Z"
    assert xsoar.incident_from_xsoar(incident)["discovered_at"] == "2026-03-01T10:00:00Z"
    incident["occurred"] = "0001-01-01T00:00:00Z"
    assert xsoar.incident_from_xsoar(incident)["discovered_at"] is None


def test_stdio_refuses_repeated_keys_and_bad_jurisdictions() -> None:
    stdio = _adapter("stdio/breachrules_stdio.py")
    out = io.StringIO()
    assert stdio.main(io.StringIO('{"incident": {}, "incident": {}}'), out) == 2
    assert json.loads(out.getvalue())["problems"][0]["path"] == "incident"
    status, response = stdio.run({"incident": incident_doc(), "jurisdictions": ["US-CAL"]})
    assert status == 2 and "did you mean 'US-CA'" in response["problems"][0]["reason"]


def test_private_use_codes_are_places() -> None:
    """ISO 3166 reserves XA-XZ, QM-QZ, AA and ZZ for private use: a host's own areas."""
    assert load_incident(with_(_set("exposures[0].residents", {"XX": 1, "QM-AB": 2})))
    assert "exposures[0].residents.YY" in problems(with_(_set("exposures[0].residents", {"YY": 1})))


@pytest.mark.parametrize("value", ["2026-04-01", "2026-04-01T10:00:00", "2026-04-01 10:00"])
def test_the_fix_suggested_for_a_naive_timestamp_is_itself_accepted(value: str) -> None:
    """A timestamp without an offset is refused with two suggested spellings; both parse
    (a date alone gets a time before its offset, `2026-04-01T00:00:00Z`)."""
    import re

    from breachrules.model.timestamps import parse_timestamp

    with pytest.raises(ValueError, match="has no UTC offset") as info:
        parse_timestamp(value)
    suggested = re.search(r"e\.g\. (\S+) or (\S+) ", str(info.value))
    assert suggested is not None
    for spelling in suggested.groups():
        assert parse_timestamp(spelling).utcoffset() is not None
