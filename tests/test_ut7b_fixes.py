"""User test 7b (a Dutch bank under DORA, NIS2 and the GDPR with Dutch, Belgian and UK
customers, used from the docs alone): each fix to the views, drafts and exports, with a
test that fails without it."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from typing import Any

import pytest

from breachrules import Engine, load_incident
from breachrules.model.decisions import Assessment
from breachrules.views.notices import notices

NL_BANK: dict[str, Any] = {
    "schema_version": "1",
    "id": "NL-BANK-2026-001",
    "title": "Ransomware on payments platform at a Dutch bank; customer data copied",
    "discovered_at": "2026-12-04T03:10:00+01:00",
    "time_zone": "Europe/Amsterdam",
    "occurred_at": "2026-12-04T02:00:00+01:00",
    "breach_determined_at": "2026-12-04T09:00:00+01:00",
    "malicious": True,
    "parties": [
        {
            "id": "lagebank",
            "name": "Lage Landen Bank N.V.",
            "data_role": "owner",
            "types": ["dora_financial_entity", "nis2_essential_entity"],
            "established_in": ["NL"],
            "offers_to": ["NL", "BE", "GB"],
        }
    ],
    "breached_party": "lagebank",
    "contracts": [],
    "exposures": [
        {
            "description": "Customer records copied (names, IBANs, some ID-card numbers)",
            "elements": ["name", "financial_account", "government_id"],
            "residents": {"NL": 40000, "BE": 3000, "GB": 200},
            "encrypted": True,
            "key_compromised": None,
            "acquired": True,
            "accessed": True,
            "lost": True,
            "destroyed": False,
            "altered": None,
        }
    ],
    "classification": {
        "significant": True,
        "major_ict_incident": True,
        "classified_at": "2026-12-04T06:00:00+01:00",
    },
    "risk": {"harm_likely": None, "gdpr_risk": None},
    "good_faith_insider": False,
    "law_enforcement": {"notified_at": None, "delay_requested_until": None},
}
AS_OF = "2026-12-04T10:00:00+01:00"


@pytest.fixture(scope="module")
def bank() -> tuple[Any, Assessment]:
    incident = load_incident(copy.deepcopy(NL_BANK))
    return incident, Engine().assess(incident, as_of=AS_OF)


# --- 1. letters carry every duty owed to their people ---------------------------------


def test_the_uk_letter_carries_doras_information_to_clients(bank: Any) -> None:
    incident, assessment = bank
    drafts = {d.key: d for d in notices(assessment, incident).drafts}
    gb = drafts["letter-lagebank-gb-en"]
    # DORA (and the GDPR) reach the incident by the bank's establishment in NL and count
    # every client, the UK's too: their letter carries those duties, not GB's alone.
    assert "EU-DORA:inform-clients" in gb.obligations
    assert "GB:notify-data-subjects" in gb.obligations
    assert gb.population == "GB"  # the duty does not widen whom the letter goes to
    text = gb.to_markdown()
    assert "The major ICT-related incident" in text
    assert "EU-DORA: Art. 19(3)" in text


def test_belgium_gets_a_letter_in_each_of_its_languages(bank: Any) -> None:
    incident, assessment = bank
    letters = {
        d.language: d for d in notices(assessment, incident).drafts if d.key.startswith("letter-")
    }
    assert {"nl", "fr", "de", "en"} <= set(letters)
    assert "BE" in (letters["nl"].population or "")
    assert "NL" in (letters["nl"].population or "")
    assert letters["fr"].population == "EU (BE)"
    assert letters["de"].population == "EU (BE)"


def test_each_duty_says_its_own_deadline(bank: Any) -> None:
    incident, assessment = bank
    eu = next(d for d in notices(assessment, incident).drafts if d.key == "letter-lagebank-eu-nl")
    text = eu.to_markdown()
    status = next(line for line in text.splitlines() if line.startswith("Status:"))
    assert "financial entity" not in status  # DORA's words are not the GDPR letter's status
    gdpr = "- EU-GDPR:notify-data-subjects: conditional; due no fixed date (without undue delay)"
    assert gdpr + "\n" in text
    assert (
        "- EU-DORA:inform-clients: conditional; due no fixed date (without undue delay as soon "
        "as the financial entity becomes aware" in text
    )
    assert [d["obligation"] for d in eu.to_dict()["duties"]] == list(eu.obligations)
    assert "EU-GDPR:notify-data-subjects: without undue delay" in eu.deadlines()


def test_an_iban_is_called_an_account_number(bank: Any) -> None:
    incident, assessment = bank
    eu = next(d for d in notices(assessment, incident).drafts if d.key == "letter-lagebank-eu-nl")
    text = eu.to_markdown()
    assert "bank or other financial account number (such as an IBAN)" in text
    assert "financial account, credit card or debit card number" not in text


# --- 2. draft files are named by duty -------------------------------------------------


def test_drafts_are_named_by_duty_never_cut_inside_a_word(bank: Any) -> None:
    incident, assessment = bank
    keys = [d.key for d in notices(assessment, incident).drafts if d.kind == "regulator"]
    # DORA's three stages to one authority are told apart by their duty, not "-2", "-3"
    assert {
        "notice-lagebank-eu-dora-initial-notification",
        "notice-lagebank-eu-dora-intermediate-report",
        "notice-lagebank-eu-dora-final-report",
        "notice-lagebank-gb-notify-commissioner",
    } <= set(keys)
    assert not any(k.endswith(("-2", "-3", "-4")) for k in keys)
    assert len(set(keys)) == len(keys)


def test_a_slug_is_cut_between_words() -> None:
    from breachrules.views.notice_facts import slug

    name = "Relevant competent authority under Art. 46 (for significant credit institutions)"
    assert slug(name, 45) == "relevant-competent-authority-under-art-46-for"
    assert slug(name, 40) == "relevant-competent-authority-under-art"
    assert slug("Supercalifragilistic", 5) == "supercalifragilistic"  # one word stays whole


# --- 3. 80 columns: never an id or a URL broken ---------------------------------------

WIDTHS = (80, 120)
#: Things a reader copies, which no line may cut (each must be whole on one line).
WHOLE = (
    "EU-GDPR:notify-supervisory-authority",
    "facts.EU-DORA.impact_on_clients_financial_interests",
    "facts.EU-GDPR.supervisory_authority_required_notice",
    "https://ico.org.uk/for-organisations/report-a-breach/personal-data-breach/"
    "report-a-data-breach-online-form/",
)


def _run(
    argv: list[str], columns: int, monkeypatch: pytest.MonkeyPatch, capsys: Any, tmp_path: Any
) -> str:
    from breachrules.cli import main

    path = tmp_path / "nl-bank.json"
    path.write_text(json.dumps(NL_BANK), encoding="utf-8")
    monkeypatch.setenv("COLUMNS", str(columns))
    capsys.readouterr()
    assert main([a.replace("INCIDENT", str(path)) for a in argv]) == 0
    return str(capsys.readouterr().out)


def _whole(text: str, words: Iterable[str]) -> list[str]:
    """The words of ``words`` the text holds only cut across lines."""
    flat = "".join(text.split())
    return [w for w in words if w in flat and not any(w in line for line in text.splitlines())]


@pytest.mark.parametrize("columns", WIDTHS)
def test_questions_never_break_an_id(
    columns: int, monkeypatch: pytest.MonkeyPatch, capsys: Any, tmp_path: Any
) -> None:
    out = _run(["questions", "INCIDENT", "--as-of", AS_OF], columns, monkeypatch, capsys, tmp_path)
    assert "EU-GDPR:notify-supervisory-authority" in out
    assert "facts.EU-DORA.impact_on_clients_financial_interests" in out
    assert not _whole(out, WHOLE)
    # the table fits the width: the column that cannot goes under its row
    assert max(len(line) for line in out.splitlines()) <= columns
    # a numbered question's second line goes under its text, not its number
    lines = out.splitlines()
    n = next(i for i, line in enumerate(lines) if line.startswith("  1. risk.gdpr_risk"))
    if not lines[n].rstrip().endswith("+01:00"):
        assert lines[n + 1].startswith("     ")


@pytest.mark.parametrize("columns", WIDTHS)
def test_plan_keeps_regulator_urls_whole(
    columns: int, monkeypatch: pytest.MonkeyPatch, capsys: Any, tmp_path: Any
) -> None:
    out = _run(["plan", "INCIDENT", "--as-of", AS_OF], columns, monkeypatch, capsys, tmp_path)
    assert "https://ico.org.uk/" in out
    assert not _whole(out, WHOLE)
    # prose is wrapped to the width; only a word longer than the line may pass it
    for line in out.splitlines():
        assert len(line) <= columns or len(line.split()[-1]) > columns - 10, line


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("form", ["text", "md"])
def test_brief_is_wrapped_to_the_width(
    columns: int, form: str, monkeypatch: pytest.MonkeyPatch, capsys: Any, tmp_path: Any
) -> None:
    argv = ["brief", "INCIDENT", "--as-of", AS_OF, "--format", form]
    out = _run(argv, columns, monkeypatch, capsys, tmp_path)
    assert max(len(line) for line in out.splitlines()) <= columns
    assert not _whole(out, WHOLE)
    # a list item's second line is under its text: still one Markdown item
    lines = out.splitlines()
    n = next(i for i, line in enumerate(lines) if line.startswith("- The information involved"))
    assert lines[n + 1].startswith("  ") and lines[n + 1].strip()
    # a placeholder is one thing to fill in: never cut across lines
    assert "holding statement approved by counsel" in out


@pytest.mark.parametrize("columns", WIDTHS)
def test_audit_report_keeps_due_and_sent_apart_on_two_lines_at_most(
    columns: int, monkeypatch: pytest.MonkeyPatch, capsys: Any, tmp_path: Any, bank: Any
) -> None:
    from datetime import datetime

    from breachrules import AuditLog, NoticeRecord

    incident, assessment = bank
    log = AuditLog(tmp_path / "audit.jsonl")
    log.record_assessment(incident, assessment)
    sent = datetime.fromisoformat("2026-12-04T09:45:00+01:00")
    log.record_notice(NoticeRecord("EU-DORA:initial-notification", sent, incident_id=incident.id))
    argv = ["audit", "report", str(log.path), "--as-of", "2026-12-04T10:00:00+01:00"]
    out = _run(argv, columns, monkeypatch, capsys, tmp_path)
    lines = out.splitlines()
    n = next(i for i, line in enumerate(lines) if "EU-DORA:initial-notification " in line)
    row = lines[n]
    assert "2026-12-04T10:00:00+01:00" in row  # the due time, whole
    if "-> 2026-12-04T09:45:00+01:00" not in row:  # the sent time: the next line, whole
        assert lines[n + 1].strip() == "-> 2026-12-04T09:45:00+01:00"
    assert not any(line.strip() == "->" for line in lines)
    assert max(len(line) for line in lines if "->" in line) <= columns


# --- 4. explain says what the clock does for hours --------------------------------------


def test_explain_says_hours_end_at_the_same_clock_time(bank: Any) -> None:
    from breachrules.views.explain import explain

    _, assessment = bank
    hourly = [o for o in assessment.obligations if o.deadline.hours is not None]
    assert {"EU-DORA:intermediate-report", "EU-GDPR:notify-supervisory-authority"} <= {
        o.id for o in hourly
    }
    for o in hourly:  # every hour-based deadline, whatever its law's counting of days
        text = " ".join(explain(assessment, o.id).split())
        deadline = text[text.index("Deadline:") : text.index("Why")]
        assert "ending at the same clock time as the moment they run from" in deadline, o.id
        assert "first day excluded" not in deadline and "end of the last day" not in deadline
    # a period of months still says how its days are counted
    text = " ".join(explain(assessment, "EU-DORA:final-report").split())
    assert "1 calendar month, first day excluded, ending at the end of the last day" in text
    # DORA's cap of 24 hours from awareness, too
    text = " ".join(explain(assessment, "EU-DORA:initial-notification").split())
    assert "But no later than 24 hours (to the same clock time) from" in text


# --- 5. one name per recipient -----------------------------------------------------------


def test_every_view_names_a_recipient_one_way(
    bank: Any, monkeypatch: pytest.MonkeyPatch, capsys: Any, tmp_path: Any
) -> None:
    """The directory's body where it resolves the recipient to one, in the first line,
    the plan, the assessment table, explain and the drafts; never the ruleset's other
    wordings of it ("Relevant competent authority under Art. 46 (for significant ...)")."""
    from breachrules.views.explain import explain

    incident, assessment = bank
    dora = "Competent authority of the financial entity under Art. 46"
    initial = assessment.obligation("EU-DORA:initial-notification")
    assert initial.addressee.startswith(dora)
    assert initial.recipient_name and initial.recipient_name.startswith("Relevant competent")
    outputs = [
        _run([c, "INCIDENT", "--as-of", AS_OF], 200, monkeypatch, capsys, tmp_path)
        for c in ("assess", "plan")
    ]
    outputs.append(explain(assessment, "EU-DORA:initial-notification"))
    outputs += [d.to_markdown() for d in notices(assessment, incident).drafts]
    for text in outputs:
        assert "Relevant competent authority" not in text
    assert outputs[0].startswith(f"Do first: EU-DORA:initial-notification (notify {dora}")
    assert "lagebank to Competent authority of the financial" in outputs[0]  # FROM / TO
    assert f"lagebank notifies {dora}" in outputs[2]
    gdpr = assessment.obligation("EU-GDPR:notify-supervisory-authority")
    assert gdpr.addressee.startswith("Autoriteit Persoonsgegevens")
    assert f"Notice to {gdpr.addressee}" in outputs[1]


# --- 6. the calendar: an undated action pretends to no due time ---------------------------


def test_undated_actions_have_no_due_and_no_reminders(bank: Any) -> None:
    from icalendar import Calendar

    _, assessment = bank
    plan = assessment.plan()
    undated = [a for a in plan.actions if a.due is None]
    # the letters and the UK record: no fixed date (NIS2 gives way to DORA for this bank)
    assert {"GB:document-breach"} <= {o for a in undated for o in a.obligations}
    todos = {str(t.get("SUMMARY")): t for t in Calendar.from_ical(plan.to_ics()).walk("VTODO")}
    assert len(todos) == len(plan.actions)
    for a in plan.actions:
        todo = todos[f"{a.title} ({', '.join(a.jurisdictions)})"]
        if a.due is None:
            assert todo.get("DUE") is None and todo.walk("VALARM") == []
            assert "no DUE and no reminders" in str(todo.get("DESCRIPTION"))
        else:
            assert todo.get("DUE").dt == a.due
            assert len(todo.walk("VALARM")) == 2


# --- 7. the ruleset docs say what a user writing one needs -------------------------------

ZZ = """\
code: XX-ZZ
name: Zedland Personal Data Breach Act
citation: Zedland PDBA 2025, ss. 1-9
note: Fictional jurisdiction for testing; New Zealand's calendar borrowed.
sources:
  - {url: https://laws.zedland.example/pdba, title: Zedland PDBA 2025}
last_reviewed: 2026-12-01
checked_against: statute
reaches:
  residents: [XX]
  citation: PDBA s. 2
HOLIDAYS
time_zone: Pacific/Chatham
versions:
  - effective_from: 2025-01-01
    citation: Zedland PDBA 2025
    parameters: {}
personal_information:
  id: personal-information
  citation: PDBA s. 1(d)
  statute: "name in combination with a national ID number"
  when:
    elements:
      combination_of:
        - [name, [government_id]]
breach:
  id: breach
  citation: PDBA s. 1(b)
  when: {acquired: true}
  exceptions:
    - id: risk-of-harm
      citation: PDBA s. 3
      when: {harm_likely: false}
obligations:
  - id: notify-regulator
    title: Notice to the Zedland Data Commissioner
    citation: PDBA s. 4
    recipient: regulator
    recipient_name: Zedland Data Commissioner
    by: owner
    deadline: {text: within 3 business days of discovery, from: discovery, days: 3,
               business_days: true}
"""
ZZ_CASES = """\
ruleset: XX-ZZ
base:
  id: base
  discovered_at: "2026-03-02T10:00:00+13:45"
  parties: [{id: acme, data_role: owner}]
  exposures: [{elements: [name, government_id], residents: {XX: 600}, acquired: true,
               encrypted: false}]
  good_faith_insider: false
  risk: {findings: {XX-ZZ: {harm_likely: true}}}
cases:
  - name: harm likely is a breach
    expect: {status: breach}
  - name: a finding that harm is unlikely is the exception
    incident: {risk: {findings: {XX-ZZ: {harm_likely: false}}}}
    expect: {status: not_breach}
  - name: no finding yet leaves the breach undetermined
    incident: {risk: {findings: {XX-ZZ: {harm_likely: null}}}}
    expect: {status: undetermined}
  - name: a general finding that harm is unlikely is read under no law
    incident: {risk: {harm_likely: false, findings: {XX-ZZ: {harm_likely: null}}}}
    expect: {status: undetermined}
"""


def test_ruleset_format_shows_what_the_tester_had_to_find(capsys: Any, tmp_path: Any) -> None:
    """docs/ruleset-format.md shows a scenario's per-law risk finding, links --mutate and
    --coverage, and says where a made-up jurisdiction's calendar comes from; what it
    shows runs as it says."""
    from pathlib import Path

    from breachrules.cli import main

    page = " ".join(
        (Path(__file__).parent.parent / "docs" / "ruleset-format.md").read_text().split()
    )
    assert "risk: {findings: {XX-ZZ: {harm_likely: false}}}" in page
    assert "testing-your-policies.md#3-what-your-cases-miss" in page
    assert "--mutate" in page and "--coverage" in page
    assert "Where a calendar comes from" in page
    assert "unknown key 'dates'; allowed: country, subdivision" in page
    # what it says holds: the finding keyed by the code decides the exception ...
    folder = tmp_path / "zz"
    folder.mkdir()
    (folder / "zz.yaml").write_text(ZZ.replace("HOLIDAYS", "holidays: {country: NZ}"))
    (folder / "zz_scenarios.yaml").write_text(ZZ_CASES)
    capsys.readouterr()
    assert main(["test", str(folder)]) == 0, capsys.readouterr()
    # ... and a calendar of one's own dates is refused with the words the page quotes
    (folder / "zz.yaml").write_text(ZZ.replace("HOLIDAYS", "holidays: {dates: ['2026-03-03']}"))
    assert main(["validate", str(folder / "zz.yaml")]) != 0
    assert "unknown key 'dates'; allowed: country, subdivision" in capsys.readouterr().err


def test_the_plan_says_which_duties_a_letter_also_carries(bank: Any) -> None:
    _, assessment = bank
    (gb,) = [a for a in assessment.plan().actions if a.title.endswith("(GB)")]
    assert any(n.startswith("also owed to these people: EU-DORA:inform-clients") for n in gb.notes)
