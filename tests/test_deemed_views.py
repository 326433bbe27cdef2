"""Deemed compliance is a way to give the notice, not "no letter" (user test, 2026-12-07).

A bank following the interagency guidance (``regulator_procedures: true``) is deemed
compliant in Nebraska only if it "notifies affected Nebraska residents and the Attorney
General in accordance with the maintained procedures" (Neb. Rev. Stat. § 87-808): its
residents still get a letter, under the bank's procedures. The brief, plan, drafts and
explain say so, and recording that letter as sent moves the Attorney General's notice,
due "not later than the time when notice is provided to the Nebraska resident".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from breachrules import Engine, load_incident
from breachrules.cli import main
from breachrules.engine.audit import verify_chain

NE_LETTER = "US-NE:notify-individuals"
AS_OF = "2026-11-20T09:00:00-05:00"

#: The tester's bank (my/bank2.json): an Indiana bank, a vendor's server breached.
BANK: dict[str, Any] = {
    "schema_version": "1",
    "id": "BANK-2026-01",
    "title": "Vendor file-transfer server breach at an Indiana bank",
    "discovered_at": "2026-11-20T09:00:00-05:00",
    "time_zone": "America/Indiana/Indianapolis",
    "parties": [
        {
            "id": "hoosier",
            "name": "Hoosier State Bank",
            "data_role": "owner",
            "types": ["bank"],
            "established_in": ["US-IN"],
            "offers_to": ["US"],
            "regulator_procedures": True,
        },
        {
            "id": "mftvendor",
            "name": "FileMove LLC",
            "data_role": "service_provider",
            "serves": "hoosier",
            "types": ["bank_service_provider"],
            "established_in": ["US-TX"],
        },
    ],
    "breached_party": "mftvendor",
    "exposures": [
        {
            "description": "Customer files on the vendor MFT server",
            "elements": ["name", "financial_account", "ssn"],
            "residents": {"US-IN": 1500, "US-CO": 300, "US-VT": 250, "US-NE": 250, "US-NJ": 200},
            "encrypted": False,
            "key_compromised": None,
            "acquired": True,
            "accessed": True,
        }
    ],
    "risk": {"harm_likely": None},
    "malicious": True,
    "good_faith_insider": False,
    "law_enforcement": {"notified_at": None, "delay_requested_until": None},
}


def _bank(**party: Any) -> dict[str, Any]:
    doc = json.loads(json.dumps(BANK))
    doc["parties"][0].update(party)
    return doc


def test_the_excused_letter_names_the_procedures(engine: Engine) -> None:
    a = engine.assess(load_incident(_bank()), as_of=AS_OF)
    ne = next(o for o in a.obligations if o.id == NE_LETTER)
    assert ne.status == "not_required"
    assert ne.deemed_compliance is not None
    assert ne.deemed_compliance.procedures == "regulator"
    assert ne.deemed_compliance.exception.startswith(f"{NE_LETTER}:")
    audit = [e for e in a.audit if e.event == "obligation" and e.rule == NE_LETTER]
    assert audit[0].detail["deemed_compliance"]["procedures"] == "regulator"
    doc = a.to_dict()
    assert verify_chain(doc["audit"]) is None  # the encoded text is the detail's canonical form


def test_the_brief_lists_them_under_procedures_never_no_letter(engine: Engine) -> None:
    a = engine.assess(load_incident(_bank()), as_of=AS_OF)
    b = a.brief(load_incident(_bank()))
    assert any(line.startswith("US-NE:") for line in b.under_procedures)
    assert not any(line.startswith("US-NE:") for line in b.no_letter)
    text = b.to_text()
    assert "Letters that go under your own or your regulator's procedures" in text
    assert "Nebraska residents goes under your regulator's breach procedures" in text
    # Vermont's exemption is by type alone: its people still get no letter
    assert any(line.startswith("US-VT:") for line in b.no_letter)


def test_without_the_procedures_there_is_no_deemed_letter(engine: Engine) -> None:
    """The other side: the procedures not followed, the law's own letter is owed."""
    a = engine.assess(load_incident(_bank(regulator_procedures=False)), as_of=AS_OF)
    ne = next(o for o in a.obligations if o.id == NE_LETTER)
    assert ne.status != "not_required" and ne.deemed_compliance is None
    assert not a.brief(load_incident(_bank())).under_procedures
    assert not any("deemed compliance" in x.title for x in a.plan().actions)


def test_plan_has_the_action_and_drafts_the_letter(engine: Engine) -> None:
    a = engine.assess(load_incident(_bank()), as_of=AS_OF)
    action = next(x for x in a.plan().actions if x.obligations == (NE_LETTER,))
    assert action.title == (
        "Notify Nebraska residents under your regulator's procedures (deemed compliance, "
        f"{a.obligation(NE_LETTER).deemed_compliance.citation})"  # type: ignore[union-attr]
    )
    assert action.status == "required"
    drafts = a.notices(load_incident(_bank())).drafts
    letter = next(d for d in drafts if d.obligations == (NE_LETTER,))
    assert letter.key == "letter-hoosier-us-ne-en" and letter.status == "required"
    assert any("follows your regulator's procedures" in n for n in letter.notes)
    # the other US letter keeps its name
    assert any(d.key == "letter-hoosier-us-en" for d in drafts)


def test_explain_says_the_notice_is_replaced_not_dropped(engine: Engine) -> None:
    a = engine.assess(load_incident(_bank()), as_of=AS_OF)
    text = a.explain(NE_LETTER)
    assert "the law's own notice is replaced" in text
    assert "your regulator's procedures" in text


def test_recording_the_letter_moves_the_attorney_generals_notice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Neb. Rev. Stat. § 87-803(2): the Attorney General "not later than the time when
    notice is provided to the Nebraska resident": the letter under the procedures,
    recorded as its obligation id, is that notice."""
    file = tmp_path / "bank.json"
    file.write_text(json.dumps(_bank()), encoding="utf-8")
    log = tmp_path / "audit.jsonl"
    assert main(["assess", str(file), "--as-of", AS_OF, "--audit-log", str(log)]) == 0
    argv = ["audit", "record", str(log), "--obligation", NE_LETTER]
    argv += ["--sent-at", "2026-11-25T10:00:00-05:00", "--recorded-at", "2026-11-25T16:00:00Z"]
    assert main(argv) == 0
    capsys.readouterr()

    def plan(*extra: str) -> dict[str, Any]:
        assert main(["plan", str(file), "--as-of", AS_OF, "--format", "json", *extra]) == 0
        return {a["obligations"][0]: a for a in json.loads(capsys.readouterr().out)["actions"]}

    before, after = plan(), plan("--sent-from", str(log))
    assert before["US-NE:notify-attorney-general"]["due"] is None
    assert after["US-NE:notify-attorney-general"]["due"] == "2026-11-25T10:00:00-05:00"
    # A sending after the plan's as-of moment is not yet made then (UT11 1); after it, it is.
    assert after[NE_LETTER]["sent_at"] is None
    later = plan("--sent-from", str(log), "--as-of", "2026-11-26T09:00:00-05:00")
    assert later[NE_LETTER]["sent_at"] == "2026-11-25T10:00:00-05:00"


def test_indiana_reads_the_regulators_procedures_but_offers_no_attorney_general_notice(
    engine: Engine,
) -> None:
    """IC 24-4.9-3-4(d) read for a bank's plan under GLBA: its residents' letter goes
    under the bank's procedures; the Attorney General's disclosure is excused with it, and
    the plan does not invent a notice the interagency guidance does not provide for."""
    a = engine.assess(load_incident(_bank()), as_of=AS_OF)
    letter = a.obligation("US-IN:notify-individuals")
    ag = a.obligation("US-IN:notify-attorney-general")
    assert letter.deemed_compliance is not None and ag.deemed_compliance is not None
    assert letter.deemed_compliance.procedures == "regulator"
    titles = [x.title for x in a.plan().actions]
    assert any(t.startswith("Notify Indiana residents under your regulator's") for t in titles)
    assert not any("Attorney General" in t and "deemed compliance" in t for t in titles)
    assert "none is owed under this law" in a.explain("US-IN:notify-attorney-general")
