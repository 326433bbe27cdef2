"""Fixes of the engine and views findings of a twelfth docs-only user test (UT12 findings
2, 3, 4, 6, 7, 12 and 13), on the tester's own incident: a Texas dental practice (a HIPAA
covered entity) whose phished mailbox held 2,300 patients' records (TX 1,900, OK 250, NM
120, CA 30) and 40 Irish customers' emails of a sister company. Each test fails without
its fix, and each holds both sides of the line it draws."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from breachrules import Engine, load_incident
from breachrules.cli import main
from breachrules.model.facts import Incident

AS_OF = "2026-12-07T12:00:00-06:00"

DAY1: dict[str, Any] = {
    "schema_version": "1",
    "id": "INC-2026-1206",
    "title": "Phished mailbox at Lone Star Dental, patient export",
    "discovered_at": "2026-12-06T09:00:00-06:00",
    "time_zone": "America/Chicago",
    "parties": [
        {
            "id": "lsd",
            "name": "Lone Star Dental Care LLC",
            "data_role": "owner",
            "types": ["hipaa_covered_entity"],
            "established_in": ["US-TX"],
            "offers_to": ["US"],
        },
        {
            "id": "lsd-ie",
            "name": "Lone Star Dental Ireland Ltd",
            "data_role": "owner",
            "types": [],
            "established_in": ["IE"],
            "offers_to": ["EU"],
        },
    ],
    "breached_party": "lsd",
    "exposures": [
        {
            "description": "Patient export from phished mailbox",
            "elements": ["name", "dob", "health_insurance", "ssn"],
            "residents": {"US-TX": 1900, "US-OK": 250, "US-NM": 120, "US-CA": 30},
            "encrypted": None,
            "key_compromised": None,
            "acquired": None,
            "accessed": True,
            "phi": True,
        },
        {
            "description": "Sister company's EU customer emails in the same mailbox",
            "elements": ["email"],
            "residents": {"IE": 40},
            "encrypted": None,
            "key_compromised": None,
            "acquired": None,
            "accessed": True,
        },
    ],
    "risk": {"harm_likely": None, "gdpr_risk": None, "hipaa_low_probability_of_compromise": None},
    "malicious": True,
    "good_faith_insider": False,
}


def _day2() -> dict[str, Any]:
    """Day 2: both exposures acquired, and law enforcement asked for a delay."""
    doc = copy.deepcopy(DAY1)
    for e in doc["exposures"]:
        e["acquired"] = True
    doc["law_enforcement"] = {
        "notified_at": "2026-12-07T08:00:00-06:00",
        "delay_requested_until": "2027-01-20T00:00:00-06:00",
        "delay_requested_at": "2026-12-07T10:00:00-06:00",
        "delay_in_writing": None,
    }
    return doc


def _incident(doc: dict[str, Any], **exposure: Any) -> Incident:
    """``doc`` with ``exposure``'s fields set on exposures[N] (keys ``N_field``)."""
    doc = copy.deepcopy(doc)
    for key, value in exposure.items():
        n, field = key.split("_", 1)
        doc["exposures"][int(n)][field] = value
    return load_incident(doc)


# --- F4: the brief never says "no letter" where another law's letter reaches them -------


def test_new_mexico_residents_get_the_hipaa_letter_in_the_brief(engine: Engine) -> None:
    """NM's Act steps aside because HIPAA governs (§ 57-12C-8): the HIPAA letter, which
    counts every affected person, reaches the 120 NM patients; the brief says so and never
    lists them among the people no letter goes to."""
    incident = _incident(_day2())
    b = engine.assess(incident, as_of=AS_OF).brief(incident)
    assert not any(n.startswith("US-NM:") for n in b.no_letter)
    [nm] = [n for n in b.letter_under if n.startswith("US-NM:")]
    assert "the letter under US-HIPAA (conditional) goes to every affected person" in nm
    text = b.to_text(width=80)
    assert "People whose own law's letter another law's letter replaces" in text
    assert "People no letter goes to on these facts" not in text


def test_without_a_hipaa_letter_new_mexico_residents_get_none(engine: Engine) -> None:
    """The other side: no PHI anywhere, so HIPAA's letter is not required; NM's Act still
    steps aside for a covered entity, and now no letter reaches the NM residents."""
    incident = _incident(_day2(), **{"0_phi": False, "1_phi": False})
    a = engine.assess(incident, as_of=AS_OF)
    hipaa = [o for o in a.obligations if o.jurisdiction == "US-HIPAA"]
    assert {o.status for o in hipaa} <= {"not_required"}
    b = a.brief(incident)
    assert any(n.startswith("US-NM:") for n in b.no_letter)
    assert not b.letter_under


# --- F3: a moved due date is attributed to the fact that dates it -----------------------


def _due_causes(engine: Engine, new: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    from breachrules import reassess

    _, _, diff = reassess(engine, load_incident(DAY1), load_incident(new), as_of=AS_OF)
    return {c.subject: c.caused_by for c in diff.changes if c.kind == "due"}


def test_the_delay_not_the_acquisition_moves_californias_due_date(engine: Engine) -> None:
    """Acquisition and a law-enforcement delay arrive together: the letter's due date (and
    the identity-theft offer's, which goes with it) moved because of the delay, as
    ``explain`` says (Cal. Civ. Code § 1798.82(c)), not because of ``acquired``."""
    causes = _due_causes(engine, _day2())
    assert causes["US-CA:notify-individuals"] == ("law_enforcement.delay_requested_until",)
    assert causes["US-CA:offer-identity-theft-services"] == (
        "law_enforcement.delay_requested_until",
    )


def test_a_due_date_moved_by_its_anchor_names_the_anchor(engine: Engine) -> None:
    """The other side: no delay, but discovery two days later with the acquisition: the
    due date moved by its anchor (``discovered_at``), and only that is named."""
    doc = copy.deepcopy(DAY1)
    doc["discovered_at"] = "2026-12-04T09:00:00-06:00"
    for e in doc["exposures"]:
        e["acquired"] = True
    causes = _due_causes(engine, doc)
    assert causes["US-CA:notify-individuals"] == ("discovered_at",)


# --- F12: the HIPAA reasons never call an exposure PHI on its elements alone ------------


def _hipaa_reasons(engine: Engine, **exposure: Any) -> dict[str, str]:
    incident = _incident(_day2(), **{"0_encrypted": True, "0_key_compromised": False}, **exposure)
    a = engine.assess(incident, as_of=AS_OF)
    [d] = [d for d in a.determinations if d.jurisdiction == "US-HIPAA"]
    return {r.rule: r.text for r in d.reasons}


def test_emails_recorded_as_not_phi_are_never_said_to_be_phi(engine: Engine) -> None:
    """phi false on the sister company's emails: not a breach, and the audited reasons no
    longer read "Protected health information: met for exposures[0], exposures[1]"; the
    elements test says what it tests, and the not-PHI exception is met for exposures[1]."""
    reasons = _hipaa_reasons(engine, **{"1_phi": False})
    pi = reasons["US-HIPAA:unsecured-phi"]
    assert not pi.startswith("Protected health information: met")
    assert pi.startswith("Identifiable information of the kinds PHI is made of")
    assert "not met for exposures[0]; met for exposures[1]" in reasons["US-HIPAA:not-phi"]


def test_unknown_phi_is_a_named_presumption_never_a_plain_met(engine: Engine) -> None:
    """phi not given: the records are presumed PHI (the ruleset's note, 45 CFR 160.103), and
    the reason says that it is a presumption resting on exposures[1].phi, unknown."""
    reasons = _hipaa_reasons(engine)
    assert "PHI unless the not-PHI exception below is shown" in reasons["US-HIPAA:unsecured-phi"]
    not_phi = reasons["US-HIPAA:not-phi"]
    assert "unknown for exposures[1]; the law presumes a breach unless this is shown" in not_phi


# --- F13: the HIPAA media notice names the State over 500 -------------------------------


def _media_reason(engine: Engine, residents: dict[str, int]) -> tuple[str, str]:
    doc = _day2()
    doc["exposures"][0]["residents"] = residents
    incident = load_incident(doc)
    a = engine.assess(incident, as_of=AS_OF)
    [o] = [o for o in a.obligations if o.id == "US-HIPAA:notify-media"]
    return o.status, o.reasons[0].text


def test_the_media_notice_names_texas_and_its_count(engine: Engine) -> None:
    """Texas's 1,900 is over 500, Oklahoma's 250 is not: the reason names Texas only, as
    a place over the line should the patient export be a breach (it is not decided)."""
    status, text = _media_reason(engine, {"US-TX": 1900, "US-OK": 250, "US-NM": 120})
    assert status == "conditional"
    assert text.endswith("meeting it, should their exposures be a breach: US-TX (1900)")
    doc = _day2()
    doc["exposures"][0].update(encrypted=False, residents={"US-TX": 1900, "US-OK": 250})
    a = engine.assess(load_incident(doc), as_of=AS_OF)
    [o] = [o for o in a.obligations if o.id == "US-HIPAA:notify-media"]
    assert (o.status, o.reasons[0].text.split("; ")[-1]) == (
        "required",
        "the place(s) meeting it: US-TX (1900)",
    )


def test_no_place_over_the_line_is_named_when_none_is(engine: Engine) -> None:
    """The other side: 500 in Texas is not "more than 500" and 900 under the whole-country
    code US live in some State, which one not known: no place is named over the line."""
    for residents in ({"US-TX": 500, "US-OK": 250}, {"US": 900, "US-TX": 10}):
        _, text = _media_reason(engine, residents)
        assert "the place(s) meeting it" not in text, residents


# --- F6: the law-enforcement delay is shown where the due date is -----------------------


def _cli(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, doc: dict[str, Any], command: str
) -> str:
    path = tmp_path / "incident.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert main([command, str(path), "--as-of", AS_OF]) == 0
    return " ".join(capsys.readouterr().out.split())  # the words, however wrapped


def test_oklahomas_asap_shows_the_delay_law_enforcement_asked_for(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Day 2: Oklahoma's letter has no fixed period, and law enforcement asked to hold it
    until 2027-01-20 (24 O.S. § 163(C)): the table, the obligations and the plan's note say
    so beside "asap", not only ``explain`` and the brief."""
    monkeypatch.setenv("COLUMNS", "80")
    out = _cli(capsys, tmp_path, _day2(), "assess")
    assert (
        "US-OK undetermined individuals asap after the law-enforcement delay to 2027-01-20?" in out
    )
    assert "law-enforcement delay ends 2027-01-20 00:00" in out  # the DUE column
    plan = _cli(capsys, tmp_path, _day2(), "plan")
    assert "under US-OK if required, once the law-enforcement delay ends (2027-01-20 00:00)" in plan


def test_without_a_delay_asap_is_plain_asap(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other side: day 1, no delay asked for: "asap" alone, and no delay named."""
    monkeypatch.setenv("COLUMNS", "80")
    out = _cli(capsys, tmp_path, DAY1, "assess")
    assert "US-OK undetermined individuals asap?" in out
    assert "law-enforcement delay" not in out
    plan = _cli(capsys, tmp_path, DAY1, "plan")
    assert "owed as soon as possible under US-OK if required (" in plan


# --- F7: HHS's 500-or-more notice and its annual log for fewer exclude each other --------


def _hhs_notes(engine: Engine, doc: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    incident = load_incident(doc)
    a = engine.assess(incident, as_of=AS_OF)
    out = {}
    for action in a.plan().actions:
        for oid in action.obligations:
            if oid.startswith("US-HIPAA:notify-secretary"):
                out[oid] = tuple(n for n in action.notes if "never both" in n)
    drafts = {d.obligations: d.notes for d in a.notices(incident).drafts}
    for oid in out:
        out[oid] += tuple(n for n in drafts.get((oid,), ()) if "never both" in n)
    return out


def test_the_plan_and_the_drafts_say_only_one_hhs_notice_is_owed(engine: Engine) -> None:
    """Both conditional while the count is not decided: each action (and its draft) says
    it is one of the two, never both, and which on which side of 500."""
    notes = _hhs_notes(engine, _day2())
    big, log = notes["US-HIPAA:notify-secretary"], notes["US-HIPAA:notify-secretary-annual-log"]
    assert len(big) == len(log) == 2  # the plan's note, and the draft's
    assert (
        "(US-HIPAA:notify-secretary-annual-log), never both: this if affected residents >= 500"
        in big[0]
    )
    assert "(US-HIPAA:notify-secretary), never both: this if affected residents < 500" in log[0]


def test_once_the_count_is_known_no_exclusion_is_said(engine: Engine) -> None:
    """The other side: the patient export unencrypted, so 2,300 patients: the 500-or-more
    notice is required, the annual log is not, and nothing is said of the other."""
    doc = _day2()
    doc["exposures"][0]["encrypted"] = False
    doc["exposures"][1]["phi"] = False
    notes = _hhs_notes(engine, doc)
    assert notes == {"US-HIPAA:notify-secretary": ()}


# --- F2: a fact that decides no notice is not asked among the others ---------------------


# No bundled law keeps a harm finding on its breach any more (Rhode Island's significant-risk
# test moved to its notices on 2026-12-07, after § 11-49.3-4(a)(1) was read), so the example
# is a fictional law that does: its finding decides its breach, and its one notice is
# excused for a HIPAA covered entity's PHI whatever the finding.
_ZZ_LAW = """\
code: XX-ZZ
name: Zedland breach law (fictional, harm read on the breach)
citation: Zedland BL § 1
sources: [{url: https://laws.zedland.example/bl, title: Zedland BL}]
last_reviewed: 2026-12-07
reaches: {residents: [XX-ZZ], citation: Zedland BL § 1}
versions:
  - {effective_from: 2020-01-01, citation: Zedland BL, parameters: {}}
personal_information:
  id: personal-information
  citation: Zedland BL § 2
  when: {elements: {combination_of: [[name, [ssn]]]}}
breach:
  id: breach
  citation: Zedland BL § 3
  when: {any: [{acquired: true}, {accessed: true}]}
  exceptions:
    - {id: no-harm, citation: Zedland BL § 3(b), when: {harm_likely: false}}
obligations:
  - id: notify-individuals
    title: Notice to residents
    citation: Zedland BL § 4
    recipient: individuals
    by: owner
    exceptions:
      - id: hipaa
        citation: Zedland BL § 5
        when: {owner_types: {any_of: [hipaa_covered_entity]}, phi: true}
    deadline: {text: without unreasonable delay, from: discovery}
"""


def _zedland(tmp_path: Path) -> Path:
    folder = tmp_path / "zz"
    folder.mkdir()
    (folder / "zz.yaml").write_text(_ZZ_LAW, encoding="utf-8")
    return folder


def _with_zedland() -> dict[str, Any]:
    """Day 2 with 60 Zedland patients: Zedland excuses a HIPAA covered entity's PHI notice,
    and its harm test is read on the breach, so its finding decides only whether Zedland
    finds a breach."""
    doc = _day2()
    doc["exposures"][0]["residents"]["XX-ZZ"] = 60
    return doc


def test_a_harm_finding_that_decides_only_a_breach_is_listed_as_deciding_no_notice(
    engine: Engine, tmp_path: Path
) -> None:
    """A fact that decides only whether a law finds a breach, every duty of the law being
    decided without it, is listed last, apart from the questions, and no question asked
    decides nothing. (New Mexico's harm finding was the example until 2026-12-07, then
    Rhode Island's; both now excuse their notices, not the breach, so for a HIPAA covered
    entity, whose duties both laws excuse, each decides nothing at all and is not asked.)"""
    from breachrules.views.questions import open_questions

    zz = Engine(paths=[_zedland(tmp_path)])
    result = open_questions(zz, load_incident(_with_zedland()), as_of=AS_OF)
    assert [q.fact for q in result.no_notice] == ["risk.findings.XX-ZZ.harm_likely"]
    assert all(any(":" in s for s in q.decides) for q in result.questions)
    day2 = _day2()
    day2["exposures"][0]["residents"]["US-RI"] = 60
    ri = open_questions(engine, load_incident(day2), as_of=AS_OF)
    asked = [q.fact for q in (*ri.questions, *ri.apart, *ri.no_notice)]
    assert "risk.findings.US-NM.harm_likely" not in asked
    assert "risk.findings.US-RI.harm_likely" not in asked


def test_without_the_exemption_the_harm_finding_is_asked(engine: Engine) -> None:
    """The other side: no covered entity, so NM's Act applies and its harm finding
    decides NM's letter: it is among the questions, and nothing is listed apart as
    deciding no notice."""
    doc = _day2()
    doc["parties"][0]["types"] = []
    from breachrules.views.questions import open_questions

    result = open_questions(engine, load_incident(doc), as_of=AS_OF)
    assert "risk.findings.US-NM.harm_likely" in [q.fact for q in result.questions]
    assert not result.no_notice


def test_assess_marks_a_fact_that_decides_no_notice(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "incident.json"
    path.write_text(json.dumps(_with_zedland()), encoding="utf-8")
    assert main(["--rulesets", str(_zedland(tmp_path)), "assess", str(path), "--as-of", AS_OF]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "risk.findings.XX-ZZ.harm_likely (decides no notice)" in out
    assert "risk.findings.US-OK.harm_likely (decides no notice)" not in out


def test_explain_says_why_new_mexicos_duties_are_not_required(engine: Engine) -> None:
    """``explain US-NM`` names the exemption that takes each duty away (§ 57-12C-8), and
    says that what is still unknown decides only the determination."""
    from breachrules.views.explain import explain

    incident = load_incident(_day2())
    text = explain(engine.assess(incident, as_of=AS_OF), "US-NM")
    flat = " ".join(text.split())
    assert (
        "US-NM:notify-individuals: not_required (Act does not apply: person subject to the "
        "Gramm-Leach-Bliley Act or HIPAA: applies [N.M. Stat. Ann. § 57-12C-8])" in flat
    )
    assert "No duty of US-NM is owed on these facts, whatever the facts still unknown" in flat
    # The other side: without the exemption, NM's letter waits on its facts.
    doc = _day2()
    doc["parties"][0]["types"] = []
    incident = load_incident(doc)
    flat = " ".join(explain(engine.assess(incident, as_of=AS_OF), "US-NM").split())
    assert "US-NM:notify-individuals: conditional;" in flat
    assert "No duty of US-NM is owed" not in flat
