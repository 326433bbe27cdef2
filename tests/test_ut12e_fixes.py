"""Fixes of the Python API and command-line hints a twelfth docs-only user test found
(UT12 findings F8, F9, F10, F11, F14, F15 and F16): each test fails without its fix, and
each holds both sides of the line it draws."""

from __future__ import annotations

from datetime import datetime

import pytest

import breachrules
from breachrules import Engine, load_incident
from breachrules.cli import main

from .conftest import EXAMPLES, ROOT, incident_doc

EXAMPLE = EXAMPLES / "multistate-ransomware.json"


# F8: InvalidArgument is public, beside the other errors.


def test_invalid_argument_is_exported_and_caught_by_name(engine: Engine) -> None:
    assert "InvalidArgument" in breachrules.__all__
    incident = load_incident(incident_doc())
    with pytest.raises(breachrules.InvalidArgument, match=r"as_of: .* has no UTC offset"):
        engine.assess(incident, as_of=datetime(2026, 3, 3, 9, 0))
    with pytest.raises(breachrules.InvalidArgument, match="no ruleset for 'XX-NOPE'"):
        engine.assess(incident, jurisdictions=["XX-NOPE"])
    # the other side: a good argument raises nothing
    assert engine.assess(incident, jurisdictions=["us-ca"]).determinations


def test_every_exported_error_is_documented_beside_the_others() -> None:
    contract = (ROOT / "docs" / "contract.md").read_text(encoding="utf-8")
    public = {n: getattr(breachrules, n) for n in breachrules.__all__}
    errors = [n for n, v in public.items() if isinstance(v, type) and issubclass(v, Exception)]
    assert "InvalidArgument" in errors
    assert "is a `BreachrulesError`" in contract
    for name in set(errors) - {"BreachrulesError"}:
        assert f"| `{name}`" in contract, name


# F11: a misspelt party type names the near word; still a warning.


def test_a_misspelt_party_type_warns_with_the_near_word(engine: Engine) -> None:
    def warnings(word: str) -> list[str]:
        party = {"id": "acme", "data_role": "owner", "established_in": ["US-CA"], "types": [word]}
        doc = incident_doc(parties=[party])
        return [w for w in engine.assess(load_incident(doc)).warnings if "types" in w]

    assert warnings("hipaa_covred_entity") == [
        "parties[0].types: 'hipaa_covred_entity' is not a word any ruleset uses; "
        "did you mean 'hipaa_covered_entity'?"
    ]
    # a word far from every known one gets no guess; a known word no warning
    assert warnings("zzqqy") == ["parties[0].types: 'zzqqy' is not a word any ruleset uses"]
    assert warnings("hipaa_covered_entity") == []


# F16: a place given where a law is asked for names the laws that reach it.


def test_a_place_as_jurisdiction_names_the_rulesets_that_reach_it(engine: Engine) -> None:
    with pytest.raises(breachrules.InvalidArgument) as caught:
        engine.jurisdiction_codes(["ie"], "--jurisdiction")
    (problem,) = caught.value.problems
    assert problem.path == "--jurisdiction"
    assert problem.reason.startswith("no ruleset for 'ie'; IE (Ireland) is a place, and ")
    named = problem.reason.split("the rulesets that reach it are ")[1].split(" (")[0]
    assert {"EU-GDPR", "EU-NIS2", "EU-EPRIV"} <= set(named.split(", "))
    assert not any(c.startswith("US-") for c in named.split(", "))


@pytest.mark.parametrize(
    ("word", "said"),
    [
        ("US-CAL", "no ruleset for 'US-CAL'; did you mean 'US-CA'?"),  # not a place: a typo
        ("US-NOPE", "no ruleset for 'US-NOPE'; did you mean"),  # nor this
        ("XX", "no ruleset for 'XX' ("),  # a place no ruleset reaches: nothing to name
    ],
)
def test_a_code_that_is_no_place_keeps_the_near_miss(engine: Engine, word: str, said: str) -> None:
    with pytest.raises(breachrules.InvalidArgument) as caught:
        engine.jurisdiction_codes([word])
    reason = caught.value.problems[0].reason
    assert reason.startswith(said)
    assert "is a place" not in reason


def test_the_command_line_names_the_laws_of_a_place(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess", str(EXAMPLE), "--jurisdiction", "IE"]) == 2
    err = capsys.readouterr().err
    assert "--jurisdiction: no ruleset for 'IE'; IE (Ireland) is a place" in err
    assert "EU-GDPR" in err
