"""User test 5 (a New York retailer with customers in Japan, Korea and Connecticut; a
counsel's own ruleset and directory; the audit register): each fix, with a test that
fails without it."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from breachrules import Engine, load_incident
from breachrules.cli import main
from breachrules.views.plan import plan

DISCOVERED = "2026-03-02T09:00:00-05:00"
RETAIL: dict[str, Any] = {
    "schema_version": "1",
    "id": "UT5-NY-2026-01",
    "discovered_at": DISCOVERED,
    "parties": [
        {
            "id": "empire-retail",
            "data_role": "owner",
            "types": [],
            "established_in": ["US-NY"],
            "offers_to": ["US", "JP", "KR"],
            # no notification procedures of its own: Connecticut's notice stays required
            "notice_procedures": False,
        }
    ],
    "breached_party": "empire-retail",
    "exposures": [
        {
            "elements": ["name", "financial_account", "email"],
            "residents": {"JP": 2000, "KR": 1500, "US-CT": 800},
            "encrypted": False,
            "key_compromised": None,
            "acquired": True,
            "accessed": True,
        }
    ],
    "malicious": True,
    "good_faith_insider": False,
    "risk": {"findings": {"US-CT": {"harm_likely": True}}},
}
#: Korea's two notices and Japan's preliminary report, each sent before its due time.
SENT = {
    "KR:notify-data-subjects": "2026-03-04T20:00:00-05:00",
    "KR:report-pipc": "2026-03-04T20:00:00-05:00",
    "JP:report-ppc-preliminary": "2026-03-05T09:30:00-05:00",
}


def _retail(**extra: Any) -> Any:
    doc = copy.deepcopy(RETAIL)
    doc.update(extra)
    return load_incident(doc)


def test_two_duties_of_one_law_are_two_actions(engine: Engine) -> None:
    """Japan's preliminary report (3 days) and final report (60 days for a breach by
    unlawful purpose) go to the same PPC: two notices, each with its own due date, never
    one action showing only the preliminary's; a sent preliminary does not make the
    final report overdue or done."""
    p = plan(engine.assess(_retail(), as_of=DISCOVERED))
    jp = [a for a in p.actions if a.jurisdictions == ("JP",) and a.recipient != "individuals"]
    assert [a.obligations for a in jp] == [
        ("JP:report-ppc-preliminary",),
        ("JP:report-ppc-final-unlawful-purpose",),
    ]
    assert [a.due.isoformat() if a.due else None for a in jp] == [
        "2026-03-05T23:59:59+09:00",
        "2026-05-01T23:59:59+09:00",
    ]
    assert len({a.key for a in p.actions}) == len(p.actions)
    assert "2026-05-01T23:59:59+09:00" in p.to_json()
    assert p.to_csv().count("JP:report-ppc-final-unlawful-purpose") == 1
    # The preliminary sent (on time); the final report still has ten days on 21 April.
    later = plan(engine.assess(_retail(notices_sent=SENT), as_of="2026-04-21T09:00:00-04:00"))
    (final,) = [a for a in later.actions if "JP:report-ppc-final-unlawful-purpose" in a.obligations]
    assert final.sent_at is None and final.overdue is False
    (prelim,) = [a for a in later.actions if "JP:report-ppc-preliminary" in a.obligations]
    assert prelim.sent_at is not None and prelim.overdue is False  # sent on time


def test_duties_of_different_laws_still_share_one_action(engine: Engine) -> None:
    """Merging across laws stays: one letter serves every US state."""
    doc = copy.deepcopy(RETAIL)
    doc["exposures"][0]["residents"] = {"US-CT": 800, "US-NY": 900}
    doc["exposures"][0]["elements"] = ["name", "ssn"]
    p = plan(engine.assess(load_incident(doc), as_of=DISCOVERED))
    (letter,) = [a for a in p.actions if a.key == "empire-retail:individuals:US"]
    assert set(letter.jurisdictions) == {"US-CT", "US-NY"}


def test_tables_show_every_due_in_the_incidents_offset(
    engine: Engine, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Korea's due is reckoned in New York time, Japan's in Tokyo's: the tables show both
    at -05:00 (Japan's 23:59 in Tokyo is 09:59 in New York) and say so; the JSON keeps
    the law's offset; `explain` says in words whose day ended."""
    a = engine.assess(_retail(), as_of=DISCOVERED)
    table = plan(a).to_table(width=100)
    assert "every time at UTC-05:00" in table
    assert "2026-03-05 09:59" in table and "2026-03-05 23:59" not in table
    assert "2026-05-01 22:59" in table  # Connecticut's 1 May ends at -04:00 (summer)
    assert a.obligation("JP:report-ppc-preliminary").due.isoformat() == (  # type: ignore[union-attr]
        "2026-03-05T23:59:59+09:00"
    )
    path = tmp_path / "retail.json"
    path.write_text(json.dumps(RETAIL))
    assert main(["assess", str(path), "--as-of", "discovery"]) == 0
    out = capsys.readouterr().out
    assert "every time at UTC-05:00" in out
    assert "2026-03-05 09:59" in out and "23:59" not in out.split("Obligations")[1]
    words = " ".join(a.explain("JP:report-ppc-final-unlawful-purpose").split())
    assert (
        "Whose day: ends with the end of 1 May in Asia/Tokyo, before the reporter's day "
        "ends (2026-05-01 09:59 at UTC-05:00)." in words
    )
    # Korea's due is the reporter's own moment (hours from discovery): nothing to say.
    assert "Whose day" not in a.explain("KR:report-pipc")


def test_law_applied_names_the_act(
    engine: Engine, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """'Law applied' names the act (the ruleset's name), not the note on the version's
    latest amendment."""
    path = tmp_path / "retail.json"
    path.write_text(json.dumps(RETAIL))
    assert main(["assess", str(path), "--as-of", "discovery"]) == 0
    law = " ".join(capsys.readouterr().out.split("Law applied")[1].split("Obligations")[0].split())
    assert "JP Japan Act on the Protection of Personal Information (APPI)" in law
    assert "KR Korea Personal Information Protection Act (PIPA)" in law
    assert "Enforcement Rules Art. 7(iii) as amended" not in law
    a = engine.assess(_retail(), as_of=DISCOVERED)
    assert "Law applied: Japan Act on the Protection" in a.explain("JP")


def test_a_notice_sent_by_its_due_is_not_overdue(
    engine: Engine, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Korea's two notices, sent the day before their due: not overdue in JSON, "sent"
    in the table, COMPLETED without alarms in the calendar. One sent late stays overdue
    (and the table says late); one recorded as sent after as_of is judged unsent then."""
    as_of = "2026-04-21T09:00:00-04:00"
    late = {**SENT, "KR:report-pipc": "2026-03-06T09:00:00-05:00"}
    a = engine.assess(_retail(notices_sent=late), as_of=as_of)
    assert a.obligation("KR:notify-data-subjects").overdue is False
    assert a.obligation("JP:report-ppc-preliminary").overdue is False
    assert a.obligation("KR:report-pipc").overdue is True  # sent a day late
    early = engine.assess(_retail(notices_sent=SENT), as_of="2026-03-04T09:00:00-05:00")
    assert early.obligation("KR:notify-data-subjects").overdue is False  # not yet due
    before = engine.assess(_retail(notices_sent=late), as_of="2026-03-05T12:00:00-05:00")
    assert before.obligation("KR:report-pipc").overdue is True  # not sent by as_of
    path = tmp_path / "retail.json"
    path.write_text(json.dumps({**RETAIL, "notices_sent": late}))
    assert main(["assess", str(path), "--as-of", as_of]) == 0
    out = " ".join(capsys.readouterr().out.split("Obligations")[1].split())
    assert "OVERDUE by 4" not in out.split("US-CT")[0]
    assert "sent 2026-03-04 21:00" in out  # at -04:00, the offset of as_of
    assert "sent 2026-03-06 10:00" in out and "(late)" in out
    ics = plan(a).to_ics().decode()
    todos = ics.split("BEGIN:VTODO")[1:]
    done = [t for t in todos if "STATUS:COMPLETED" in t]
    assert len(done) == 3 and all("VALARM" not in t and "COMPLETED:2026" in t for t in done)
    assert all("STATUS:NEEDS-ACTION" in t for t in todos if t not in done)
    # still to do: reminders where it has a due time (none where the law sets no date)
    assert all(("VALARM" in t) == ("DUE:" in t) for t in todos if t not in done)


def test_a_letter_one_state_calls_for_names_the_state(engine: Engine) -> None:
    """Connecticut's letter alone is 'Letter to affected individuals (US-CT)', not '(US)';
    a letter serving several states keeps its population."""
    p = plan(engine.assess(_retail(), as_of=DISCOVERED))
    (ct,) = [a for a in p.actions if a.key == "empire-retail:individuals:US"]
    assert ct.title == "Letter to affected individuals (US-CT)"
    doc = copy.deepcopy(RETAIL)
    doc["exposures"][0]["residents"] = {"US-CT": 800, "US-NY": 900}
    doc["exposures"][0]["elements"] = ["name", "ssn"]
    both = plan(engine.assess(load_incident(doc), as_of=DISCOVERED))
    (us,) = [a for a in both.actions if a.key == "empire-retail:individuals:US"]
    assert us.title == "Letter to affected individuals (US)"


def test_a_fact_that_decides_only_with_another_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Connecticut's law-enforcement consultation decides nothing on its own: `questions`
    says which fact it decides together with, never "if true: nothing changes / if
    false: nothing changes". The consultation is a condition of § 36a-701b(b)(1)'s no-harm
    exception only before P.A. 21-59 (2021-10-01), so the incident is dated before it."""
    doc = {k: v for k, v in RETAIL.items() if k != "risk"}
    doc["discovered_at"] = "2021-09-01T10:00:00-04:00"
    path = tmp_path / "retail.json"
    path.write_text(json.dumps(doc))
    assert main(["questions", str(path), "--as-of", "discovery"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    # Listed apart since ut8b: no answer to it alone changes anything now.
    apart = out.split("Does not change anything now")[1]
    consulted = apart.split("- risk.findings.US-CT.law_enforcement_consulted:")[1]
    consulted = consulted.split("Readiness")[0]
    assert "decides together with risk.findings.US-CT.harm_likely" in consulted
    assert "nothing changes" not in consulted.replace("changes anything", "")
    assert "if true: nothing changes if false: nothing changes" not in out
