"""User test 6b (a Wisconsin insurance agency's phished mailbox; a Washington agency's
stolen laptop): each fix, with a test that fails without it."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from breachrules import Engine, load_incident
from breachrules.cli import main
from breachrules.views.first import ranked_facts
from breachrules.views.plan import plan
from breachrules.views.questions import open_questions

BADGER: dict[str, Any] = {
    "schema_version": "1",
    "id": "WI-INS-PHISH-01",
    "title": "Phishing at a Wisconsin insurance agency",
    "discovered_at": "2026-12-02T10:00:00-06:00",
    "parties": [
        {
            "id": "badger-ins",
            "name": "Badger Insurance Agency LLC",
            "data_role": "owner",
            "types": ["insurance_licensee"],
            "established_in": ["US-WI"],
            "offers_to": ["US-WI"],
        }
    ],
    "breached_party": "badger-ins",
    "contracts": [],
    "exposures": [
        {
            "description": "Mailbox phished; policyholder files copied",
            "elements": ["name", "other", "medical"],
            "residents": {"US-WI": 1200},
            "encrypted": False,
            "key_compromised": None,
            "acquired": True,
            "accessed": True,
        }
    ],
    "risk": {"harm_likely": None},
    "good_faith_insider": False,
    "malicious": True,
    "law_enforcement": {"notified_at": None, "delay_requested_until": None},
}
AS_OF = "2026-12-07T04:49:00-06:00"  # the tester's moment: the Commissioner's day


def _first_lines(capsys: pytest.CaptureFixture[str], path: str) -> dict[str, str]:
    out = {}
    for command in ("assess", "questions", "plan"):
        capsys.readouterr()
        assert main([command, path, "--as-of", AS_OF]) == 0
        out[command] = " ".join(capsys.readouterr().out.split("\n\n")[0].split())
    return out


def test_plan_establishes_first_the_fact_questions_asks_first(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The Commissioner's notice (3 business days, 19 hours left) waits on facts; the
    consumers' notice (2027-01-16) on another. `questions` and `assess` asked first about
    the consumers' fact (it decided 2 obligations) while `plan` said to establish the
    Commissioner's facts first: one ordering, the soonest-due deciding fact first."""
    path = tmp_path / "badger.json"
    path.write_text(json.dumps(BADGER))
    a = engine.assess(load_incident(BADGER), as_of=AS_OF)
    first = ranked_facts(a)[0]
    commissioner = next(o for o in a.obligations if o.id == "US-WI-INS:notify-commissioner")
    assert first.fact in commissioner.missing_facts
    assert first.fact != "facts.US-WI-INS.identity_theft_risk"
    lines = _first_lines(capsys, str(path))
    assert lines["plan"].startswith(f"Establish first: {first.fact}, ")
    assert f"ask first: {first.fact} (decides 1 obligation(s))" in lines["assess"]
    assert lines["questions"].startswith(f"Ask first: {first.fact} (decides 1 obligation(s)).")
    # Every fact the plan names first comes before the consumers' fact in `questions`.
    named = lines["plan"].removeprefix("Establish first: ").split(";")[0].split(", ")
    # A fact no answer to which alone changes anything is listed apart (ut8b), not asked:
    # the domicile decides the Commissioner's notice only with the harm facts.
    found = open_questions(engine, load_incident(BADGER), AS_OF)
    asked = [q.fact for q in found.questions]
    apart = {q.fact for q in found.apart}
    assert apart == {"facts.US-WI-INS.domiciled_or_home_state"}
    named = [f for f in named if f not in apart]
    assert asked[: len(named)] == named


def test_a_date_only_fact_dates_a_notice_it_does_not_decide(
    engine: Engine, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The Commissioner's notice became required with breach_determined_at still null
    (it only dates it: the period runs from the determination): it is not among the facts
    the notice waits on, in `plan`, `questions` or their JSON, and is said apart."""
    a = engine.assess(load_incident(BADGER), as_of=AS_OF)
    first = plan(a).actions[0]
    assert first.obligations == ("US-WI-INS:notify-commissioner",)
    assert "breach_determined_at" not in first.waits_on
    assert first.dated_by == ("breach_determined_at",)
    # Answering the deciding facts alone makes it required, the date still unknown.
    doc = copy.deepcopy(BADGER)
    doc["facts"] = {"US-WI-INS": {"domiciled_or_home_state": True}}
    doc["risk"] = {"harm_likely": None, "findings": {"US-WI-INS": {"harm_likely": True}}}
    doc["classification"] = {"nydfs_reportable": True}
    b = engine.assess(load_incident(doc), as_of=AS_OF)
    assert next(o for o in b.obligations if o.id == first.obligations[0]).status == "required"
    table = " ".join(plan(a).to_table().split())
    assert "; breach_determined_at dates it (not whether it is owed)" in table
    assert "harm_likely, breach_determined_at" not in table
    q = open_questions(engine, load_incident(BADGER), AS_OF)
    waiting = next(w for w in q.readiness.waiting if w.obligation_id == first.obligations[0])
    assert "breach_determined_at" not in waiting.waits_on
    dated = next(x for x in q.questions if x.fact == "breach_determined_at")
    assert dated.only_dates and all(
        "breach_determined_at" not in x.together_with for x in q.questions
    )
    path = tmp_path / "badger.json"
    path.write_text(json.dumps(BADGER))
    capsys.readouterr()
    assert main(["questions", str(path), "--as-of", AS_OF]) == 0
    assert "breach_determined_at: dates 1 obligation(s)" in capsys.readouterr().out


def test_two_notices_to_one_body_are_labelled_by_what_they_are(engine: Engine) -> None:
    """The Commissioner gets the cybersecurity-event notice and, later, a form of the
    consumer notice: two actions, two drafts, never two with one label; the form's draft
    (no fixed period) does not repeat the directory's "Notice is due within three
    business days", which speaks of the first notice's period."""
    incident = load_incident(BADGER)
    a = engine.assess(incident, as_of=AS_OF)
    titles = [x.title for x in plan(a).actions]
    assert len(titles) == len(set(titles)), titles
    assert "Notice of a cybersecurity event to the Commissioner of Insurance" in titles
    assert "A form of any consumer notice sent, to the Commissioner of Insurance" in titles
    drafts = {d.obligations: d for d in a.notices(incident).drafts if d.kind == "regulator"}
    event = drafts[("US-WI-INS:notify-commissioner",)].to_markdown()
    form = drafts[("US-WI-INS:consumer-notice-form-to-commissioner",)].to_markdown()
    assert "# A form of any consumer notice sent, to the Commissioner of Insurance" in form
    assert "Notice is due within three business days" in event
    assert "three business days" not in form
    assert "Directory's note: OCI's Insurance Cybersecurity page" in form


def test_drafts_write_web_addresses_as_they_read() -> None:
    """`https:\\/\\/oci.wi.gov/...` in the Markdown drafts: a web address is written as
    it reads, in a code span, which no renderer turns into a link."""
    import markdown

    from breachrules.views.drafts import markdown_escape

    text = "portal: https://oci.wi.gov/Pages/Cybersecurity.aspx (see www.example.org/x)."
    escaped = markdown_escape(text)
    assert ":\\/\\/" not in escaped and "www\\." not in escaped
    assert "`https://oci.wi.gov/Pages/Cybersecurity.aspx` (see `www.example.org/x`)." in escaped
    rendered = markdown.markdown(escaped)
    assert "<code>https://oci.wi.gov/Pages/Cybersecurity.aspx</code>" in rendered
    assert "href" not in rendered
    hostile = markdown_escape("![x](http://evil.example/p.png) `http://a/b` [c](d)")
    assert "<img" not in markdown.markdown(hostile) and "href" not in markdown.markdown(hostile)


AGENCY: dict[str, Any] = {
    "schema_version": "1",
    "id": "WA-AGENCY-LAPTOP-01",
    "discovered_at": "2026-12-03T09:00:00-08:00",
    "parties": [
        {
            "id": "wa-agency",
            "data_role": "owner",
            "types": ["government_agency"],
            "established_in": ["US-WA"],
            "offers_to": ["US-WA"],
        }
    ],
    "exposures": [
        {
            "elements": ["name", "ssn"],
            "residents": {"US-WA": 300},
            "encrypted": None,
            "acquired": True,
            "lost": True,
        }
    ],
}


def test_an_agency_duty_is_explained_under_its_own_statute(engine: Engine) -> None:
    """A Washington agency's notice is owed under RCW 42.56.590, which the US-WA ruleset
    encodes beside RCW 19.255 (persons and businesses): `explain` names the duty's statute
    as the law applied to it, and says the breach steps are the ruleset's; a business's
    duty still reads the ruleset's law."""
    a = engine.assess(load_incident(AGENCY))
    text = " ".join(a.explain("US-WA:agency-notify-individuals").split())
    assert (
        "Law applied: Washington data breach notification law (agencies), RCW 42.56.590 (the "
        "act US-WA:agency-notify-individuals is owed under; the US-WA ruleset encodes it "
        "beside Washington data breach notification law (persons and businesses)" in text
    )
    assert "the duty above is owed under Washington data breach notification law " in text
    business = copy.deepcopy(AGENCY)
    business["parties"][0]["types"] = []
    b = engine.assess(load_incident(business))
    text = " ".join(b.explain("US-WA:notify-individuals").split())
    assert "Law applied: Washington data breach notification law (persons and businesses)" in text
    assert "the duty above is owed under" not in text


def test_the_washington_note_says_the_agency_duties_are_encoded() -> None:
    """rulesets/us/wa.yaml's note said both "RCW 42.56.590 (not encoded)" and "encoded as
    the agency-* obligations"; Virginia's that nothing specific to agencies is encoded,
    beside its public bodies' report."""
    import yaml

    root = Path(__file__).resolve().parents[1] / "rulesets" / "us"
    wa = " ".join(yaml.safe_load((root / "wa.yaml").read_text())["note"].split())
    assert "42.56.590 (not encoded)" not in wa and "encoded as the agency-* obligations" in wa
    va = " ".join(yaml.safe_load((root / "va.yaml").read_text())["note"].split())
    assert "nothing specific to them is encoded" not in va


def test_policy_number_says_which_element_covers_it() -> None:
    """`policy_number` got no suggestion (no element is spelt like it): a health
    insurance policy number is `health_insurance`; any other is `other`."""
    from breachrules.errors import InvalidIncident

    doc = copy.deepcopy(BADGER)
    doc["exposures"][0]["elements"] = ["name", "policy_number"]
    with pytest.raises(InvalidIncident) as info:
        load_incident(doc)
    problem = str(info.value)
    assert "a health insurance policy or subscriber number is 'health_insurance'" in problem
    assert "use 'other'" in problem
    doc["exposures"][0]["elements"] = ["name", "subscriber_id"]
    with pytest.raises(InvalidIncident, match="did you mean 'health_insurance'"):
        load_incident(doc)
