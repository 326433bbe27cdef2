"""The views of a three-tier GDPR chain, as a docs-only user test read them.

A German controller (nordlicht) <- an Irish processor (emerald, told 2026-11-30 15:00) <-
a US sub-processor (rivet, breached, discovered 2026-11-30 09:00); the controller was told
2026-12-01 08:00. 50,000 EU and 3,000 UK customers. Each test fails on the view as it was
before the fix it names.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from breachrules import Engine, InvalidIncident, load_incident
from breachrules.cli import main
from breachrules.views.exports.cacao import playbook
from breachrules.views.exports.ocsf import incident_finding
from breachrules.views.exports.oscal import assessment_results
from breachrules.views.notices import notices
from breachrules.views.questions import open_questions

AS_OF = "2026-12-01T09:00:00+00:00"

CHAIN: dict[str, Any] = {
    "schema_version": "1",
    "id": "NL-2026-1130",
    "title": "US sub-processor: customer database copied",
    "discovered_at": "2026-11-30T09:00:00+00:00",
    "parties": [
        {
            "id": "nordlicht",
            "name": "Nordlicht Versand GmbH",
            "data_role": "owner",
            "established_in": ["DE"],
            "offers_to": ["EU", "GB"],
            "told_at": "2026-12-01T08:00:00+00:00",
        },
        {
            "id": "emerald",
            "name": "Emerald Cloud Ltd",
            "data_role": "service_provider",
            "serves": "nordlicht",
            "established_in": ["IE"],
            "told_at": "2026-11-30T15:00:00+00:00",
        },
        {
            "id": "rivet",
            "name": "Rivet Data Inc.",
            "data_role": "service_provider",
            "serves": "emerald",
            "established_in": ["US"],
        },
    ],
    "breached_party": "rivet",
    "contracts": [
        {
            "id": "dpa-emerald",
            "owner": "nordlicht",
            "provider": "emerald",
            "notify_owner_within_hours": 24,
            "individual_notice_by": "owner",
        },
        {
            "id": "subdpa-rivet",
            "owner": "emerald",
            "provider": "rivet",
            "notify_owner_within_hours": 24,
        },
    ],
    "exposures": [
        {
            "elements": ["name", "email", "credentials"],
            "residents": {"DE": 30000, "FR": 12000, "IE": 8000, "GB": 3000},
            "encrypted": False,
            "acquired": True,
            "accessed": True,
        }
    ],
    "risk": {"gdpr_risk": "risk"},
    "good_faith_insider": False,
}


def _doc(**changes: Any) -> dict[str, Any]:
    doc = copy.deepcopy(CHAIN)
    doc.update(changes)
    return doc


@pytest.fixture(scope="module")
def chain(engine: Engine) -> tuple[Any, Any]:
    incident = load_incident(CHAIN)
    return incident, engine.assess(incident, as_of=AS_OF)


def _text(draft: Any) -> str:
    return "\n".join(p for s in draft.sections for p in s.paragraphs)


# --- 1: the plan's wording where the statute has no fixed period ------------------------


def test_a_contract_is_not_called_stricter_than_a_period_the_law_does_not_fix(chain) -> None:
    """Art. 33(2) says "without undue delay": no deadline to be stricter than."""
    _, a = chain
    notes = [n for act in a.plan().actions for n in act.notes]
    assert not any("stricter than the statutory deadline" in n for n in notes)
    assert any(n.startswith("contract dpa-emerald sets a fixed period") for n in notes)


# --- 2: drafts give the sender's own awareness ------------------------------------------


def test_drafts_give_the_senders_awareness_and_the_providers_discovery(engine: Engine) -> None:
    # The Commissioner's requirement (UK GDPR Art. 34(4)) brings the letter: not given, it
    # reads false (an order is known once made) and no letter is owed at risk "risk".
    incident = load_incident(_doc(facts={"GB": {"commissioner_required_notice": True}}))
    a = engine.assess(incident, as_of=AS_OF)
    drafts = notices(a, incident).drafts
    eu = next(d for d in drafts if d.kind == "regulator" and "EU-GDPR" in d.jurisdictions)
    text = _text(eu)
    assert "Became aware: 2026-12-01T08:00:00+00:00, when Emerald Cloud Ltd" in text
    assert "Discovered by Rivet Data Inc. (the service provider breached): 2026-11-30." in text
    assert "Discovered: 2026-11-30." not in text
    ico = next(d for d in drafts if d.kind == "regulator" and "GB" in d.jurisdictions)
    found = next(
        f["value"] for c in ico.contacts for f in c["form_fields"] if "found out" in f["field"]
    )
    assert found.startswith("2026-12-01T08:00:00+00:00, told by Emerald Cloud Ltd")
    assert "discovered by Rivet Data Inc." in found
    letter = next(d for d in drafts if d.kind == "individuals")
    assert "We learned of it on 2026-12-01, when a service provider told us" in _text(letter)
    assert "We discovered it on" not in _text(letter)


def test_an_unknown_told_at_is_a_placeholder_not_the_providers_date(engine: Engine) -> None:
    parties = copy.deepcopy(CHAIN["parties"])
    del parties[0]["told_at"]
    incident = load_incident(_doc(parties=parties))
    drafts = notices(engine.assess(incident, as_of=AS_OF), incident).drafts
    eu = next(d for d in drafts if d.kind == "regulator" and "EU-GDPR" in d.jurisdictions)
    assert "Became aware: [[when Emerald Cloud Ltd told you]]" in _text(eu)


# --- 3: a record is never drafted, offered or exported as a notice ----------------------


def test_a_record_is_not_drafted_as_a_notice(chain) -> None:
    incident, a = chain
    assert a.obligation("GB:document-breach").kind == "record"
    drafted = [d for d in notices(a, incident).drafts if "GB:document-breach" in d.obligations]
    assert drafted == []


@pytest.fixture
def chain_file(tmp_path: Path) -> str:
    path = tmp_path / "full.json"
    path.write_text(json.dumps(CHAIN))
    return str(path)


def test_questions_never_offer_a_record_to_send(
    engine: Engine, chain, chain_file: str, capsys: pytest.CaptureFixture[str]
) -> None:
    incident, _ = chain
    ready = open_questions(engine, incident, as_of=AS_OF).readiness
    assert "GB:document-breach" not in [i.obligation_id for i in ready.send_now]
    assert "GB:document-breach" in [i.obligation_id for i in ready.to_keep]
    assert main(["questions", chain_file, "--as-of", AS_OF]) == 0
    printed = capsys.readouterr().out
    sent_now = printed.split("May be sent now (required):")[1].split("To keep or complete")[0]
    assert "GB:document-breach" not in sent_now


def test_exports_word_a_record_as_a_record(chain) -> None:
    incident, a = chain
    record = a.obligation("GB:document-breach")
    finding = incident_finding(a, incident)
    desc = next(
        f["desc"] for f in finding["finding_info_list"] if f["title"] == "GB:document-breach"
    )
    assert desc.startswith("required: keep a record (not a notice;")
    assert record.duty.startswith("keep a record")
    oscal = assessment_results(a, incident)
    texts = [
        f["description"]
        for r in oscal["assessment-results"]["results"]
        for f in r["findings"]
        if f["title"] == "GB:document-breach"
    ]
    assert texts and all("notifies" not in t for t in texts)
    steps = playbook(a.plan())["workflow"].values()
    kept = [s for s in steps if str(s.get("name", "")).endswith("(not a notice)")]
    assert kept and all("sent by" not in s["description"] for s in kept)


# --- 4: the EU draft counts whom the law counted -----------------------------------------


def test_the_eu_draft_counts_every_person_the_law_counted(chain) -> None:
    """GDPR Art. 3(1): a controller established in DE brings every affected person in,
    the 3,000 UK customers too; UK GDPR reaches by targeting and counts its own."""
    from breachrules.engine.audit import counts_everyone

    incident, a = chain
    assert counts_everyone(a.audit, "EU-GDPR")
    assert not counts_everyone(a.audit, "GB")
    drafts = notices(a, incident).drafts
    eu = next(d for d in drafts if d.kind == "regulator" and "EU-GDPR" in d.jurisdictions)
    assert "DE: 30000, FR: 12000, GB: 3000, IE: 8000" in _text(eu)
    ico = next(d for d in drafts if d.kind == "regulator" and "GB" in d.jurisdictions)
    assert "People counted in the incident for these laws: GB: 3000." in _text(ico)


# --- 5: explain takes a contract's obligation and a relayed one -------------------------


@pytest.mark.parametrize(
    ("subject", "says"),
    [
        ("contract:dpa-emerald:notify-owner", "Contract applied: contract dpa-emerald"),
        ("EU-GDPR:notify-controller@emerald", "emerald notifies nordlicht"),
    ],
)
def test_explain_takes_contract_and_relayed_ids(
    subject: str, says: str, chain_file: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["explain", chain_file, subject, "--as-of", AS_OF]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert says in text
    if subject.startswith("contract:"):
        assert "due 2026-12-01T15:00:00+00:00" in text
        assert "Owed because a law finds a breach: EU-GDPR, GB" in text


# --- 6: the brief promises no letter that is not decided, and omits no one silently -----


def test_the_brief_promises_no_undecided_letter(engine: Engine) -> None:
    # The risk not yet assessed leaves the letters undecided (an order not given reads
    # false, so it no longer does).
    incident = load_incident(_doc(risk={}))
    a = engine.assess(incident, as_of=AS_OF)
    parts = a.brief(incident).parts
    gb = next(p for p in parts if "GB" in p.jurisdictions)
    assert gb.status == "conditional"
    assert not any("will write to the people affected:" in m for m in gb.may_say)
    assert any("not that it will write" in m for m in gb.may_say)
    answer = gb.questions[0].answer
    assert answer.startswith("Whether letters go to the people affected is not decided yet")


def test_the_brief_names_the_people_no_letter_goes_to(engine: Engine) -> None:
    """EU-GDPR Art. 34 at risk "risk", the authority having ordered nothing: no letter to
    the 50,000 EU customers, and the brief says so rather than leaving them out; nor to
    the 3,000 in GB, whose Commissioner has required nothing either (not given: false)."""
    for facts in ({"EU-GDPR": {"supervisory_authority_required_notice": False}}, {}):
        incident = load_incident(_doc(facts=facts))
        brief = engine.assess(incident, as_of=AS_OF).brief(incident)
        assert not any("EU-GDPR" in p.jurisdictions for p in brief.parts)
        assert [n.split(":")[0] for n in brief.no_letter] == ["EU-GDPR", "GB"]
        assert "People no letter goes to on these facts" in brief.to_text()


# --- 7: impossible awareness times are warned of, not rejected --------------------------


def test_a_party_told_before_the_discovery_is_warned_of(engine: Engine) -> None:
    parties = copy.deepcopy(CHAIN["parties"])
    parties[0]["told_at"] = "2026-11-29T08:00:00+00:00"
    a = engine.assess(_doc(parties=parties), as_of=AS_OF)
    assert any(
        w.startswith("parties[0].told_at (2026-11-29T08:00:00+00:00) is before discovered_at")
        for w in a.warnings
    )


def test_a_processor_told_after_its_controller_is_warned_of(engine: Engine) -> None:
    parties = copy.deepcopy(CHAIN["parties"])
    parties[1]["told_at"] = "2026-12-02T08:00:00+00:00"
    a = engine.assess(_doc(parties=parties), as_of=AS_OF)
    assert any(
        w.startswith("parties[1].told_at (2026-12-02T08:00:00+00:00) is after parties[0].told_at")
        for w in a.warnings
    )


def test_possible_awareness_times_give_no_warning(chain) -> None:
    _, a = chain
    assert not any("told_at" in w for w in a.warnings)


# --- 8: the element hint and the diff's timestamps --------------------------------------


def test_password_suggests_credentials_not_passport() -> None:
    doc = copy.deepcopy(CHAIN)
    doc["exposures"][0]["elements"] = ["name", "password"]
    with pytest.raises(InvalidIncident) as info:
        load_incident(doc)
    assert "did you mean 'credentials'?" in str(info.value)


def test_diff_keeps_timestamps_whole_in_80_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    parties = copy.deepcopy(CHAIN["parties"])
    del parties[0]["told_at"]
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(_doc(parties=parties)))
    new.write_text(json.dumps(CHAIN))
    assert main(["diff", str(old), str(new), "--as-of", AS_OF]) == 0
    printed = capsys.readouterr().out
    assert "2026-12-04T08:00:00+00:00" in printed
    assert all(len(line) <= 80 for line in printed.split("Staff brief")[0].splitlines())
