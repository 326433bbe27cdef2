"""What comes first, and what a merged action owes, found wrong by a docs-only user test
(2026-12-07, the third).

A Texas payment processor loses a backup tape of an Ohio retailer's customers (Texas,
Ohio and New York residents). Every expectation is read from the laws and from the
documented ordering (breachrules.views.first), never copied from the engine:
New York gives the owner's notice 30 days (N.Y. Gen. Bus. Law § 899-aa(3)), Texas says
"immediately after discovering the breach" (Tex. Bus. & Com. Code § 521.053(c)), Ohio
"in an expeditious manner" (and needs access as well as acquisition, so it waits).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from breachrules import Engine, load_incident
from breachrules.cli import main
from breachrules.cli.table import do_first
from breachrules.views.first import first_to_do, ranked_facts
from breachrules.views.plan import plan

AS_OF = "2026-11-20T10:00:00-05:00"
TAPE: dict[str, Any] = {
    "schema_version": "1",
    "id": "UT3-TAPE-1",
    "discovered_at": AS_OF,
    "parties": [
        {
            "id": "buckeye",
            "data_role": "owner",
            "types": [],
            "established_in": ["US-OH"],
            "offers_to": ["US"],
        },
        {
            "id": "paycorp",
            "data_role": "service_provider",
            "serves": "buckeye",
            "types": [],
            "established_in": ["US-TX"],
        },
    ],
    "breached_party": "paycorp",
    "exposures": [
        {
            "elements": ["name", "financial_account_access"],
            "residents": {"US-TX": 12000, "US-OH": 900, "US-NY": 40},
            "encrypted": False,
            "key_compromised": False,
            "acquired": True,
            "accessed": None,
            "lost": True,
        }
    ],
    "good_faith_insider": False,
    "inadvertent_authorized_disclosure": False,
    "risk": {"findings": {"US-NY": {"harm_likely": True}, "US-OH": {"harm_likely": True}}},
}
SENT = {"US-TX:notify-attorney-general": "2026-11-25T10:00:00-05:00"}


def _tape(**extra: Any) -> Any:
    doc = copy.deepcopy(TAPE)
    doc.update(extra)
    return load_incident(doc)


def test_a_merged_action_shows_a_duty_with_no_fixed_date(engine: Engine) -> None:
    """The notice to the owner serves New York (30 days: 20 December), Texas
    ("immediately", no date) and Ohio (conditional, "in an expeditious manner"): the
    date is only the latest, and the action says so in its deadline, its note and its
    due cell."""
    p = plan(engine.assess(_tape(), as_of=AS_OF))
    (owner,) = [a for a in p.actions if a.key == "paycorp:upstream:buckeye"]
    assert owner.due is not None and owner.due.isoformat() == "2026-12-20T23:59:59-05:00"
    assert owner.asap_for == ("US-TX",)
    assert owner.deadline.startswith("immediately after discovering the breach (US-TX); ")
    assert "in an expeditious manner (US-OH if required)" in owner.deadline
    assert "at the latest 2026-12-20 23:59 (US-NY: " in owner.deadline
    assert any(n.startswith("owed as soon as possible under US-TX (") for n in owner.notes)
    n = p.actions.index(owner) + 1
    table = p.to_table(width=100)
    assert f"  {n}  required  asap; by " in table
    assert "immediately after discovering the breach" in p.to_csv()
    # An action whose parts all set dates keeps the law's own words.
    (letter,) = [a for a in p.actions if a.key == "buckeye:individuals:US"]
    assert letter.asap_for == () and letter.deadline.startswith("in the most expedient time")


def _first_lines(capsys: pytest.CaptureFixture[str], path: str) -> dict[str, str]:
    out = {}
    for command in ("assess", "questions", "plan"):
        capsys.readouterr()
        assert main([command, path, "--as-of", "discovery"]) == 0
        out[command] = " ".join(capsys.readouterr().out.split("\n\n")[0].split())
    return out


@pytest.mark.parametrize("sent", [False, True])
def test_assess_questions_and_plan_agree_on_what_comes_first(
    engine: Engine, tmp_path: Any, capsys: pytest.CaptureFixture[str], sent: bool
) -> None:
    """Three notices fall due at 23:59 on 20 December (New York's letter and owner
    notice, Texas's Attorney General): the documented tie-break (the obligation id) puts
    US-NY:notify-individuals first in all three commands, the plan's #1 being the letter
    that serves it. Once the Attorney General's notice is recorded as sent, its facts
    decide nothing still owed: both `assess` and `questions` ask first about the fact
    that decides the most obligations still owed."""
    import json

    doc = copy.deepcopy(TAPE)
    if sent:
        doc["notices_sent"] = SENT
    path = tmp_path / "tape.json"
    path.write_text(json.dumps(doc))
    a = engine.assess(load_incident(doc), as_of=AS_OF)
    pick = first_to_do(a.obligations, a.as_of)
    assert pick is not None and pick[0].id == "US-NY:notify-individuals"
    lines = _first_lines(capsys, str(path))
    assert lines["assess"].startswith("Do first: US-NY:notify-individuals ")
    assert "Do first: US-NY:notify-individuals, 30d 13h left." in lines["questions"]
    assert lines["plan"].startswith("Do first: #1 Letter to affected individuals (US) (buckeye)")
    asked = ranked_facts(a)[0]
    assert f"ask first: {asked.fact} (decides {asked.obligations} " in lines["assess"]
    assert lines["questions"].startswith(
        f"Ask first: {asked.fact} (decides {asked.obligations} obligation(s))."
    )
    # Texas's Attorney General notice waits on parties[0].told_at; once sent it decides
    # nothing, and told_at then decides Ohio's and Texas's letters only (2, not 3).
    told = next(q for q in ranked_facts(a) if q.fact == "parties[0].told_at")
    assert told.obligations == (2 if sent else 3)
    assert ("US-TX:notify-attorney-general" in told.decides) is not sent
    assert do_first(a).startswith("Do first: US-NY:notify-individuals (notify individuals)")
