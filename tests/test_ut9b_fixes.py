"""Fixes a docs-only user test found (the ninth, findings 6-12): each test fails without
its fix."""

from __future__ import annotations

import copy
import importlib
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from breachrules import Engine, InvalidIncident, load_incident
from breachrules.errors import RulesetError
from breachrules.law.loader import load_ruleset

from .conftest import ROOT


def test_dir_shows_only_the_public_api() -> None:
    """``dir(breachrules)`` listed ``Any``, ``TYPE_CHECKING`` and ``annotations`` (UT9 11)."""
    import breachrules.engine  # a subpackage imported is no public name

    names = dir(breachrules)
    assert sorted(breachrules.__all__) == names
    for private in ("Any", "TYPE_CHECKING", "annotations", "bindings", "engine", "_HOMES"):
        assert private not in names


SHOP: dict[str, Any] = {
    "schema_version": "1",
    "id": "SHOP-2026-11",
    "discovered_at": "2026-11-20T09:00:00+01:00",
    "time_zone": "Europe/Berlin",
    "parties": [
        {
            "id": "shop",
            "data_role": "owner",
            "established_in": ["DE-BY"],
            "offers_to": ["DE", "AT", "FR"],
            "told_at": "2026-11-20T15:00:00+01:00",
        },
        {
            "id": "backupco",
            "data_role": "service_provider",
            "serves": "shop",
            "established_in": ["DE-BE"],
        },
    ],
    "breached_party": "backupco",
    "exposures": [
        {
            "elements": ["name", "email", "other"],
            "residents": {"DE": 2000, "AT": 600, "FR": 400},
            "encrypted": False,
            "lost": True,
            "destroyed": False,
            "altered": False,
        }
    ],
    "risk": {"gdpr_risk": "none"},
    "good_faith_insider": False,
    "malicious": False,
}


def _reasons(doc: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(InvalidIncident) as caught:
        load_incident(doc)
    return {p.path: p.reason for p in caught.value.problems}


def test_load_incident_takes_aware_datetimes_and_names_a_naive_one(engine: Engine) -> None:
    """A dict built in Python may give a timestamp as an aware ``datetime`` (UT9 9: it was
    refused as "not a JSON value" with no hint); a naive one is refused, naming the field."""
    doc = copy.deepcopy(SHOP)
    doc["discovered_at"] = datetime(2026, 11, 20, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    doc["parties"][0]["told_at"] = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
    incident = load_incident(doc)
    assert incident.discovered_at.isoformat() == "2026-11-20T09:00:00+01:00"
    expected = load_incident(SHOP).to_dict()
    expected["parties"][0]["told_at"] = "2026-11-20T14:00:00+00:00"
    assert incident.to_dict() == expected
    assert isinstance(doc["discovered_at"], datetime)  # the caller's dict is not changed
    assessed = engine.assess(doc, jurisdictions=["EU-GDPR"])  # assess takes the dict too
    assert assessed.as_of == doc["discovered_at"]
    doc["parties"][0]["told_at"] = datetime(2026, 11, 20, 15, 0)
    reason = _reasons(doc)["parties[0].told_at"]
    assert "has no UTC offset" in reason and "timezone-aware datetime" in reason


def test_the_missing_offset_hint_uses_the_incidents_own_zone() -> None:
    """With ``time_zone: Europe/Berlin`` the hint suggested ``-05:00`` (UT9 12): it gives
    Berlin's offset on that day (summer time too); without a zone, the general hint."""
    doc = copy.deepcopy(SHOP)
    doc["discovered_at"] = "2026-11-20T09:00:00"
    doc["parties"][0]["told_at"] = "2026-07-20"
    reasons = _reasons(doc)
    assert (
        "e.g. 2026-11-20T09:00:00+01:00 (Europe/Berlin's offset then)" in reasons["discovered_at"]
    )
    assert "-05:00" not in reasons["discovered_at"]
    assert "e.g. 2026-07-20T00:00:00+02:00" in reasons["parties[0].told_at"]
    del doc["time_zone"]
    assert "2026-11-20T09:00:00Z or 2026-11-20T09:00:00-05:00" in _reasons(doc)["discovered_at"]


def _shim(path: str) -> str | None:
    """The flat-layout module ``path`` names (``breachrules.sweep``), or None."""
    parts = path.split(".")
    for end in range(len(parts), 1, -1):
        name = ".".join(parts[:end])
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        return name if (module.__doc__ or "").startswith("The documented path") else None
    return None


def test_the_docs_name_each_public_module_by_one_path() -> None:
    """reference.md listed ``breachrules.scale.sweep`` and ``breachrules.views.notebook``
    while scaling.md imported ``breachrules.sweep`` and ``breachrules.notebook`` (UT9 10):
    the docs use the packages' paths; a ``python -m`` command keeps its short name, and the
    one sentence saying the old paths still import may name them."""
    found = []
    for page in sorted((ROOT / "docs").glob("*.md")):
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
            if "paths of" in line and "first layout" in line:
                continue
            named = re.findall(r"(?<!-m )\bbreachrules(?:\.[a-z_]+)+", line)
            named += [
                f"breachrules.{m}" for m in re.findall(r"from breachrules import (\w+)", line)
            ]
            found += [f"{page.name}:{number}: {n}" for n in named if _shim(n)]
    assert found == []
    scaling = (ROOT / "docs" / "scaling.md").read_text(encoding="utf-8")
    said = scaling[scaling.index("notebook.to_dataframe(points)") :][:600]
    assert "threshold_map" in said and "breachrules[notebook]" in said


ORDER = "no order, request or direction of the authority is recorded"


def test_an_order_not_given_reads_false_and_says_so(engine: Engine) -> None:
    """GDPR, ``gdpr_risk: none``, a processor lost a backup (UT9 6): the notice to data
    subjects was conditional on the authority's requirement (Art. 34(4)) and "ask first"
    named it, though the authority had not even been notified. A requirement is known to
    the controller once made: not given, it reads false, the notice is not_required and
    its reason says no order is recorded; given true, the notice is owed."""
    assessed = engine.assess(load_incident(SHOP), jurisdictions=["EU-GDPR"])
    notice = assessed.obligation("EU-GDPR:notify-data-subjects")
    assert (notice.status, notice.missing_facts) == ("not_required", ())
    assert ORDER in notice.reasons[0].text
    fact = "facts.EU-GDPR.supervisory_authority_required_notice"
    assert notice.reasons[0].facts[fact] is False
    plan = assessed.plan()
    assert fact not in plan.first_line() and "ask first" not in plan.first_line()
    assert fact not in plan.to_table()
    ordered = copy.deepcopy(SHOP) | {"facts": {"EU-GDPR": {fact.rsplit(".", 1)[1]: True}}}
    owed = engine.assess(load_incident(ordered), jurisdictions=["EU-GDPR"])
    notice = owed.obligation("EU-GDPR:notify-data-subjects")
    assert notice.status == "required"
    assert all(ORDER not in r.text for r in notice.reasons)


@pytest.mark.parametrize(
    ("code", "fact"),
    [
        ("EU-GDPR", "supervisory_authority_required_notice"),
        ("GB", "commissioner_required_notice"),
        ("EU-NIS2", "intermediate_report_requested"),
        ("CA-AB", "commissioner_required_notice"),
        ("CA-QC", "commission_ordered_notice"),
        ("CH", "fdpic_requested_notice"),
        ("EU-EPRIV", "authority_required_notice"),
        ("AU", "commissioner_directed_notice"),
        ("AU", "commissioner_declared_exempt"),
        ("SG", "commission_directed_no_notice"),
        ("SG", "commission_waived_notice"),
        ("CN", "department_required_notice"),
    ],
)
def test_every_bundled_order_reads_false_until_given(engine: Engine, code: str, fact: str) -> None:
    (own,) = [f for r in engine.rulesets if r.code == code for f in r.facts if f.name == fact]
    assert own.until_given is False


ORDERED_POLICY = """\
code: XX-ORD
name: A law with an order
citation: Law § 1
sources: [{url: https://example.org}]
last_reviewed: 2026-11-01
reaches: {residents: [US]}
declares:
  facts:
    regulator_ordered:
      type: bool
      until_given: false
      description: The regulator has ordered notice.
versions:
  - effective_from: 2026-01-01
    citation: Law v1
personal_information: {id: pi, citation: Law § 2, when: {elements: {contains: ssn}}}
breach:
  id: breach
  citation: Law § 3
  when: {acquired: true}
  exceptions:
    - {id: ordered-away, citation: Law § 3(a), when: {regulator_ordered: true}}
obligations:
  - id: notify-individuals
    citation: Law § 4
    recipient: individuals
    by: owner
    when: {regulator_ordered: true}
    deadline: {text: within 30 days, days: 30}
"""


def test_the_loader_refuses_an_order_a_breach_could_rest_on(tmp_path: Path) -> None:
    """No breach determination may rest on a fact read false until given: the loader
    refuses ``until_given`` on a fact a breach rule or exception tests, and on a fact that
    is not yes/no; on one only a duty tests, it loads."""
    file = tmp_path / "xx-ord.yaml"
    file.write_text(ORDERED_POLICY, encoding="utf-8")
    with pytest.raises(RulesetError) as caught:
        load_ruleset(file)
    (problem,) = caught.value.problems
    assert problem.path == "declares.facts.regulator_ordered.until_given"
    assert "XX-ORD:ordered-away tests it" in problem.reason
    file.write_text(ORDERED_POLICY.replace("regulator_ordered: true}}", "acquired: false}}"))
    assert load_ruleset(file).facts[0].until_given is False
    file.write_text(ORDERED_POLICY.replace("type: bool", "type: int"))
    with pytest.raises(RulesetError, match="only a yes/no fact"):
        load_ruleset(file)


def test_the_brief_says_what_it_waits_on_in_words(engine: Engine) -> None:
    """``brief`` passed support staff "it waits on: facts.EU-GDPR.supervisory_authority_
    required_notice" (UT9 6): what the decision waits on is said in words, a ruleset's own
    fact with its description, never as a field path."""
    from breachrules.views.fact_words import fact_in_words, own_descriptions

    doc = copy.deepcopy(SHOP) | {"risk": {}}
    incident = load_incident(doc)
    text = engine.assess(incident, jurisdictions=["EU-GDPR"]).brief(incident).to_text()
    assert "it waits on: how likely the breach is to put people at risk" in text
    assert "risk.gdpr_risk" not in text and "facts." not in text
    paths = ["facts.EU-DORA.impact_on_clients_financial_interests", "exposures[0].encrypted"]
    said = [fact_in_words(p, own_descriptions(paths)) for p in paths]
    assert said == [
        "whether the major ICT-related incident has an impact on the financial interests "
        "of the financial entity's clients",
        "whether the data was encrypted",
    ]
    assert fact_in_words("facts.XX-ACME.odd_thing") == "a fact still being established (odd thing)"


def test_the_wording_fits_the_law(engine: Engine) -> None:
    """UT9 7: the GDPR's breach label names loss (only ``lost`` met it); a notice not owed
    is not worded "shop notifies the authority"; the liability basis uses the GDPR's
    controller and processor, not the US "owner or licensee"; the calendar says the law's
    own "without undue delay", not "without unreasonable delay"."""
    incident = load_incident(SHOP)
    a = engine.assess(incident, jurisdictions=["EU-GDPR"])
    text = a.explain("EU-GDPR:notify-supervisory-authority")
    assert "Personal data breach (destruction, loss, alteration, unauthorised disclosure" in text
    assert "shop notifies" not in text
    assert "Not owed on these facts; if it were, shop would be the one who notifies" in text
    bases = {x.basis for x in a.liability}
    assert bases == {
        "statute: the controller of the data notifies and bears the cost; a processor tells "
        "the controller"
    }
    us = engine.assess(incident_of_texas(), jurisdictions=["US-TX"])
    assert {x.basis for x in us.liability} == {
        "statute: the owner or licensee of the data notifies and bears the cost"
    }
    ics = a.plan().to_ics().decode()
    unfolded = ics.replace("\r\n ", "")
    assert "unreasonable" not in unfolded
    assert 'No fixed period: owed "without undue delay' in unfolded


def incident_of_texas() -> Any:
    return load_incident(
        {
            "schema_version": "1",
            "id": "TX-1",
            "discovered_at": "2026-03-02T14:30:00-06:00",
            "parties": [{"id": "acme", "data_role": "owner", "established_in": ["US-TX"]}],
            "exposures": [
                {
                    "elements": ["name", "ssn"],
                    "residents": {"US-TX": 300},
                    "acquired": True,
                    "encrypted": False,
                }
            ],
        }
    )


def test_the_register_shows_the_gdpr_risk_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The register's ``finding`` was empty for the GDPR's risk assessment; the no-risk
    decision showed only in ``not_notified_because`` (UT9 7). Additive: the column now
    says ``EU-GDPR: gdpr_risk=none``, with when it was made where the law's finding
    records it."""
    from breachrules.cli import main

    doc = copy.deepcopy(SHOP)
    doc["risk"]["findings"] = {"EU-GDPR": {"made_at": "2026-11-21T10:00:00+01:00"}}
    path = tmp_path / "shop.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    log = tmp_path / "audit.jsonl"
    args = ["assess", str(path), "--jurisdiction", "EU-GDPR", "--audit-log", str(log)]
    assert main([*args, "--format", "json"]) == 0
    capsys.readouterr()
    assert main(["register", str(log), "--format", "json"]) == 0
    entries = json.loads(capsys.readouterr().out)["entries"]
    assert {(e["finding"], e["finding_made_at"]) for e in entries} == {
        ("EU-GDPR: gdpr_risk=none", "2026-11-21T10:00:00+01:00")
    }


DELAWARE: dict[str, Any] = {
    "schema_version": "1",
    "id": "DE-1",
    "discovered_at": "2026-07-03T09:00:00-04:00",
    "parties": [{"id": "acme", "data_role": "owner", "established_in": ["US-DE"]}],
    "exposures": [
        {
            "elements": ["name", "ssn"],
            "residents": {"US-DE": 600},
            "acquired": True,
            "encrypted": False,
        }
    ],
    "law_enforcement": {
        "delay_requested_until": "2026-09-27T00:00:00-04:00",
        "delay_requested_at": "2026-07-04T09:00:00-04:00",
        "delay_in_writing": True,
    },
}


def test_explain_says_a_delay_moved_a_clock_through_the_notice_it_follows(
    engine: Engine,
) -> None:
    """UT9 8: the Attorney General's notice, due "not later than the time when notice is
    provided to the residents" (``from: notice_to_individuals``), was due on the day the
    delay ended, but its explanation did not say why; nor did it show the "more than 500"
    test, only the count."""
    a = engine.assess(load_incident(DELAWARE), as_of="2026-07-03T09:00:00-04:00")
    text = a.explain("US-DE:notify-attorney-general")
    assert (
        "Moved by a law-enforcement delay through the notice it follows: "
        "US-DE:notify-individuals (law enforcement asked for a delay until "
        "2026-09-27T00:00:00-04:00), so this notice, counted from that one, is due "
        "2026-09-27T00:00:00-04:00 too." in " ".join(text.split())
    )
    assert "met (the test is affected residents > 500)" in " ".join(text.split())
    calm = copy.deepcopy(DELAWARE)
    del calm["law_enforcement"]
    quiet = engine.assess(load_incident(calm), as_of="2026-07-03T09:00:00-04:00")
    assert "Moved by a law-enforcement delay" not in quiet.explain("US-DE:notify-attorney-general")
