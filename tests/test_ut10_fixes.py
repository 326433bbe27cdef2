"""Fixes a second docs-only user test found (the tenth, findings 2, 4, 6, 7, 8, 10, 11, 12
and 13): each test fails without its fix."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from breachrules.cli.main import main
from breachrules.errors import RulesetError
from breachrules.law.loader import load_rulesets

from .conftest import ROOT

QZ = """\
code: QZ
name: Quuxland Personal Data Breach Act (fictional)
citation: Quuxland PDBA § 1
sources:
  - {url: https://laws.quuxland.example/pdba, title: Quuxland PDBA}
last_reviewed: 2026-12-01
reaches:
  residents: [QZ]
  citation: Quuxland PDBA § 1(a)
time_zone: Europe/London
parameters:
  individual_deadline:
    - from: 2020-01-01
      citation: Quuxland PDBA § 4(a)
      value: {text: within 30 days of discovery, from: discovery, days: 30}
personal_information:
  id: personal-information
  citation: Quuxland PDBA § 2(d)
  when:
    elements:
      combination_of:
        - [name, [ssn, drivers_license]]
breach:
  id: breach
  citation: Quuxland PDBA § 2(b)
  when: {acquired: true}
obligations:
  - id: notify-individuals
    title: Notice to affected residents
    citation: Quuxland PDBA § 4(a)
    recipient: individuals
    by: owner
    deadline: $individual_deadline
"""

QZ_INCIDENT: dict[str, Any] = {
    "schema_version": "1",
    "id": "QZ-1",
    "discovered_at": "2026-11-02T10:00:00+00:00",
    "parties": [{"id": "acme", "name": "Acme", "data_role": "owner"}],
    "exposures": [
        {
            "elements": ["name", "ssn"],
            "residents": {"QZ": 150},
            "acquired": True,
            "encrypted": False,
        }
    ],
}

#: An Ohio state university (UT10's my/osu.json): its people in six states.
OSU: dict[str, Any] = {
    "schema_version": "1",
    "id": "OSU-2026-001",
    "discovered_at": "2026-11-30T10:00:00-05:00",
    "occurred_at": "2026-11-28T00:00:00-05:00",
    "parties": [
        {
            "id": "univ",
            "name": "Buckeye State University",
            "data_role": "owner",
            "types": ["government_agency"],
            "established_in": ["US-OH"],
            "offers_to": ["US"],
        }
    ],
    "exposures": [
        {
            "elements": ["name", "ssn"],
            "residents": {
                "US-OH": 30000,
                "US-TX": 3000,
                "US-CA": 2500,
                "US-KY": 2000,
                "US-WA": 1500,
                "US-NM": 1000,
            },
            "encrypted": False,
            "key_compromised": None,
            "acquired": True,
            "accessed": True,
        }
    ],
    "good_faith_insider": False,
}


def _write(path: Path, doc: Any) -> Path:
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[str, str]:
    capsys.readouterr()
    main(list(argv))
    got = capsys.readouterr()
    return got.out, got.err


def _plain(text: str) -> str:
    return " ".join(text.split())


def test_validate_lists_a_files_problems_in_line_order(tmp_path: Path) -> None:
    """The checks run one kind at a time over the whole file, and said their problems in
    that order: line 37 before line 12 (UT10 13)."""
    bad = (
        QZ.replace("time_zone: Europe/London", "time_zone: Mars/Base")
        .replace("recipient: individuals", "recipient: individualz")
        .replace("- [name, [ssn", "- [nam, [ssn")
    )
    _write(tmp_path / "qz.yaml", bad)
    with pytest.raises(RulesetError) as caught:
        load_rulesets([tmp_path], cache=False)
    lines = [p.line or 0 for p in caught.value.problems]
    assert len(lines) == 3 and lines == sorted(lines)


def test_validate_keeps_the_note_that_later_checks_did_not_run_last(tmp_path: Path) -> None:
    bad = QZ.replace("    by: owner\n", "    by: owner\n    dayz: 3\n").replace(
        "citation: Quuxland PDBA § 2(d)", "citaton: x"
    )
    _write(tmp_path / "qz.yaml", bad)
    with pytest.raises(RulesetError) as caught:
        load_rulesets([tmp_path], cache=False)
    problems = caught.value.problems
    lines = [p.line or 0 for p in problems if not p.reason.startswith("fix these first")]
    assert lines == sorted(lines) and len(lines) >= 2
    assert problems[-1].reason.startswith("fix these first")


def test_law_applied_names_the_act_not_a_parameter_series_citation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A version read from a parameter series cited the value's paragraph (§ 4(a)) as the
    law applied; it cites the ruleset's own citation (UT10 12)."""
    rules = tmp_path / "rules"
    rules.mkdir()
    _write(rules / "qz.yaml", QZ)
    incident = _write(tmp_path / "qz.json", QZ_INCIDENT)
    out, _ = _run(capsys, "--rulesets", str(rules), "explain", str(incident), "QZ")
    law = _plain(out.split("Law applied:", 1)[1].split(".", 1)[0])
    assert "Quuxland PDBA § 1," in law and "§ 4(a)" not in law
    out, _ = _run(capsys, "--rulesets", str(rules), "assess", str(incident), "--format", "json")
    (ref,) = [r for r in json.loads(out)["rulesets"] if r["code"] == "QZ"]
    assert ref["citation"] == "Quuxland PDBA § 1"


def test_a_named_law_that_does_not_apply_is_listed_with_its_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--jurisdiction QZ`` for an incident QZ does not reach: the headline pointed at Law
    applied for the reason, and Law applied was empty (UT10 7)."""
    rules = tmp_path / "rules"
    rules.mkdir()
    _write(rules / "qz.yaml", QZ)
    ransom = str(ROOT / "examples" / "incidents" / "multistate-ransomware.json")
    out, _ = _run(capsys, "--rulesets", str(rules), "assess", ransom, "--jurisdiction", "QZ")
    applied = _plain(out.split("Law applied", 1)[1].split("Obligations", 1)[0])
    assert "QZ not applicable: no affected residents of QZ" in applied
    # A named law beside one that applies: listed too, with its reason.
    out, _ = _run(capsys, "assess", ransom, "--jurisdiction", "US-TX", "US-HIPAA")
    applied = _plain(out.split("Law applied", 1)[1].split("Obligations", 1)[0])
    assert "US-HIPAA not applicable: no party is of a type this law governs" in applied
    # Not named: the laws not applicable stay a count, as before.
    out, _ = _run(capsys, "assess", ransom)
    applied = _plain(out.split("Law applied", 1)[1].split("Obligations", 1)[0])
    assert "not applicable" not in applied


def test_assess_table_says_its_warnings_on_standard_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """docs/facts.md: warnings go to standard error at the command line; the table of
    ``assess`` printed them on standard output (UT10 6). The JSON keeps them."""
    doc = dict(OSU, occurred_at="2026-12-05T00:00:00-05:00")
    incident = _write(tmp_path / "late.json", doc)
    out, err = _run(capsys, "assess", str(incident))
    assert "warning" not in out
    assert "warning: occurred_at" in err
    out, err = _run(capsys, "assess", str(incident), "--format", "json")
    assert any(w.startswith("occurred_at") for w in json.loads(out)["warnings"])


def test_brief_lists_conditional_letters_apart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The brief said "Letter: required for US-CA, US-KY, US-NM, US-OH, US-TX, US-WA"
    though four of them are conditional in ``assess`` (UT10 4)."""
    incident = _write(tmp_path / "osu.json", OSU)
    out, _ = _run(capsys, "assess", str(incident), "--format", "json")
    status = {
        o["jurisdiction"]: o["status"]
        for o in json.loads(out)["obligations"]
        if o["id"].endswith(":notify-individuals")
    }
    out, _ = _run(capsys, "brief", str(incident), "--format", "json")
    (letter,) = [p["letter"] for p in json.loads(out)["parts"]]
    required, _, rest = letter.partition("; conditional for ")
    maybe = rest.split(" (", 1)[0].split(", ")
    assert maybe and all(status[c] == "conditional" for c in maybe)
    named = required.removeprefix("required for ").split(", ")
    assert named and all(status[c] == "required" for c in named)
    assert "a fact the law asks about is not known yet" in letter


def test_questions_asks_an_establishment_as_places_never_true_or_false(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``parties[0].established_in`` was asked "if true: not possible (expected a list, got
    true/false)" (UT10 2): it is asked as the places of the laws it decides."""
    doc = copy.deepcopy(OSU)
    del doc["parties"][0]["established_in"]
    incident = _write(tmp_path / "osu.json", doc)
    out, _ = _run(capsys, "questions", str(incident), "--as-of", "discovery")
    text = _plain(out)
    assert "not possible" not in text and "expected a list" not in text
    assert "if established in US-TX:" in text and "if established in US-CA:" in text
    out, _ = _run(capsys, "questions", str(incident), "--as-of", "discovery", "--format", "json")
    (asked,) = [q for q in json.loads(out)["questions"] if q["fact"] == "parties[0].established_in"]
    values = [o["value"] for o in asked["outcomes"]]
    assert ["US-TX"] in values and all(isinstance(v, list) for v in values)
    (tx,) = [o for o in asked["outcomes"] if o["value"] == ["US-TX"]]
    moved = {c["subject"]: c["after"] for c in tx["changes"]}
    assert moved["US-TX:notify-dir"] == "required"
    assert not any(o["impossible"] for o in asked["outcomes"])


def test_a_duty_of_another_states_public_bodies_says_why_it_is_not_owed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An Ohio university: Texas's duty of its own agencies said only "not met", and carried
    a note on how a due date it does not have was counted (UT10 8). The JSON must say it:
    the reason is the decision's, read by every view and the audit."""
    incident = _write(tmp_path / "osu.json", OSU)
    out, _ = _run(capsys, "assess", str(incident), "--as-of", "discovery", "--format", "json")
    duties = {o["id"]: o for o in json.loads(out)["obligations"]}
    for key, code in (
        ("US-TX:notify-dir", "US-TX"),
        ("US-TX:report-dir-after-recovery", "US-TX"),
        ("US-WA:agency-notify-individuals", "US-WA"),
        ("US-KY:notify-agency-attorney-general", "US-KY"),
    ):
        duty = duties[key]
        assert duty["status"] == "not_required"
        # No clock note (it would carry the duty's own rule): no due date was counted. An
        # exception of the duty may add its own reason (WA's agency-risk-of-harm, unknown).
        (reason,) = [r for r in duty["reasons"] if r["rule"] == key]
        assert all(r["rule"].startswith(f"{key}:") for r in duty["reasons"] if r is not reason)
        assert reason["text"].endswith(
            f"not met; the owner is not established in {code}: this duty binds "
            f"{code}'s own public bodies"
        )
    # Ohio's own duties are not said to be another state's.
    assert not any(
        "not established" in r["text"]
        for o in duties.values()
        for r in o["reasons"]
        if o["jurisdiction"] == "US-OH"
    )
    # A duty owed keeps its clock note.
    doc = copy.deepcopy(OSU)
    doc["parties"][0]["established_in"] = ["US-KY"]
    owed = _write(tmp_path / "ky.json", doc)
    out, _ = _run(capsys, "assess", str(owed), "--as-of", "discovery", "--format", "json")
    (ky,) = [o for o in json.loads(out)["obligations"] if o["id"] == "US-KY:notify-agency-auditor"]
    assert ky["status"] != "not_required"
    assert any("the earliest lawful due date is shown" in r["text"] for r in ky["reasons"])


def test_an_establishment_not_given_reads_not_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``established_in = []`` in explain and ``[] -> ["US-OH"]`` in diff read "established
    nowhere" (UT10 8)."""
    doc = copy.deepcopy(OSU)
    del doc["parties"][0]["established_in"]
    old = _write(tmp_path / "old.json", doc)
    new = _write(tmp_path / "new.json", OSU)
    out, _ = _run(capsys, "explain", str(old), "US-TX:notify-dir", "--as-of", "discovery")
    assert "parties[0].established_in = (not given)" in out and "= []" not in out
    out, _ = _run(capsys, "diff", str(old), str(new), "--as-of", "discovery")
    assert 'parties[0].established_in: (not given) -> ["US-OH"]' in out


def test_do_first_never_puts_a_notice_before_the_one_its_clock_runs_from(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """ "Do first: US-CA:notify-attorney-general ... 15d 13h left": the sample copy is due
    within 15 days of the consumers' notice, which was not sent yet (UT10 11)."""
    from breachrules import Engine, load_incident
    from breachrules.views.first import first_to_do

    incident = _write(tmp_path / "osu.json", OSU)
    a = Engine().assess(load_incident(OSU))
    duties = {o.id: o for o in a.obligations}
    copy_ = duties["US-CA:notify-attorney-general"]
    letters = duties["US-CA:notify-individuals"]
    assert copy_.due is not None and letters.due is not None and copy_.due < letters.due
    pick = first_to_do(a.obligations, a.as_of)
    assert pick is not None and pick[0].id != copy_.id
    out, _ = _run(capsys, "assess", str(incident), "--as-of", "discovery")
    head = _plain(out.split("\n\n", 1)[0])
    assert not head.startswith("Do first: US-CA:notify-attorney-general")
    assert "US-CA:notify-attorney-general follow" in head
    out, _ = _run(capsys, "questions", str(incident), "--as-of", "discovery")
    assert "Do first: US-CA:notify-attorney-general" not in _plain(out)
    # Once the consumers' notice is recorded as sent, the copy's own clock runs and it
    # may come first.
    sent = copy.deepcopy(OSU)
    sent["notices_sent"] = {"US-CA:notify-individuals": "2026-12-01T10:00:00-05:00"}
    b = Engine().assess(load_incident(sent))
    pick = first_to_do(b.obligations, b.as_of)
    assert pick is not None and pick[0].id == "US-CA:notify-attorney-general"


def test_explain_code_lists_the_facts_each_duty_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``explain ie.json EU-GDPR`` listed only the breach steps, though docs/facts.md says
    ``explain CODE`` lists the facts each law's rules read (UT10 10)."""
    doc = {
        "schema_version": "1",
        "id": "IE-2026-07",
        "discovered_at": "2026-11-20T09:00:00+00:00",
        "time_zone": "Europe/Dublin",
        "parties": [
            {
                "id": "ctrl",
                "data_role": "owner",
                "established_in": ["IE"],
                "offers_to": ["EU"],
            }
        ],
        "exposures": [
            {
                "elements": ["name", "email"],
                "residents": {"IE": 5200, "FR": 300},
                "encrypted": False,
                "acquired": False,
                "accessed": True,
            }
        ],
        "risk": {"gdpr_risk": "none"},
    }
    incident = _write(tmp_path / "ie.json", doc)
    out, _ = _run(capsys, "explain", str(incident), "EU-GDPR", "--as-of", "discovery")
    text = _plain(out)
    assert "Its duties and the facts their rules read" in text
    # Each not-required duty says why in its deciding reason's words (UT12 F2), then what
    # its rules read.
    assert "EU-GDPR:notify-data-subjects: not_required (Communication to data subjects" in text
    # Since the s11 audit (GDPR F3) the controller's duties also read its establishment and
    # targeting (Art. 3(1), 3(2)), listed before the risk.
    assert (
        "Art. 34(1), (4)]); reads parties[0].established_in, parties[0].offers_to, "
        "exposures[0].residents, risk.gdpr_risk, "
        "facts.EU-GDPR.supervisory_authority_required_notice" in text
    )
    assert "EU-GDPR:notify-supervisory-authority: not_required (Unlikely to result" in text
    # One duty explained keeps its own steps, without the list.
    out, _ = _run(
        capsys, "explain", str(incident), "EU-GDPR:notify-data-subjects", "--as-of", "discovery"
    )
    assert "Its duties" not in out
