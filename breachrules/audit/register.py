"""The breach register: every incident in the audit log, per law, notified or not, and why.

GDPR Art. 33(5) requires the controller to document every personal data breach, "comprising
the facts relating to the personal data breach, its effects and the remedial action taken",
whether it was notified or not; several US states require a determination that no harm is
likely to be documented in writing and kept for years (N.J.S.A. 56:8-163(a): five years);
Canada (SOR/2018-64 s. 6), Quebec and Brazil require a record of every breach. The audit
log already holds what was known (each incident document), what was decided (each
assessment, whole) and what was sent (each notice): :func:`register` reads them back into
one row per incident, law and obligation:

- the incident's facts (title, dates, data elements, people counted) and the decision per
  law, with the ruleset version (and its SHA-256) that made it;
- for each obligation: to whom, its status and due date, when the notice was sent (from the
  ``notice_sent`` events), on time or late and by how much, how and with what evidence;
- what was *not* notified and why: the exception or condition relied on (its text and
  citation), the risk-of-harm finding it rests on and the date that finding was made;
- delays and their reasons (a law-enforcement delay, a late notice);
- retention: where a ruleset states a period for keeping the record (the ``duty`` of an
  exception relied on, a record-keeping obligation that is owed), the text, its citation
  and the date until which it must be kept, counted from the latest of the finding, the
  breach determination and discovery (the longer reading). Where no ruleset states a
  period the columns are blank: no period is ever invented.

Remedial action is not a fact the incident document holds; the column is there, blank, for
the host to fill. The register supports counsel's judgment and is not legal advice.

One module, one job: the register's rows and their forms (CSV, JSON, Markdown, workbook)
change together, since every form carries the same columns; what fills one cell is in
:mod:`breachrules.audit.register_cells`.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs

from breachrules.audit import register_cells as cells
from breachrules.audit.log import AuditLog, Verification
from breachrules.audit.register_cells import checked
from breachrules.audit.retention import duties as _duties
from breachrules.audit.retention import retention as _retention
from breachrules.audit.retention import retention_period
from breachrules.audit.timeline import backwards, doubts
from breachrules.engine.audit import counts_everyone
from breachrules.errors import BreachrulesError
from breachrules.io.safe import markdown_text, spreadsheet_cell
from breachrules.io.serde import load_assessment
from breachrules.model.records import NoticeRecord
from breachrules.model.timestamps import format_timestamp, parse_timestamp

__all__ = [
    "COLUMNS",
    "SECTIONS",
    "Register",
    "RegisterEntry",
    "checked",
    "register",
    "retention_period",
]


@attrs.frozen
class RegisterEntry:
    """One row: one obligation of one law for one incident (or the law's decision alone,
    when it owes nothing). Timestamps are ISO 8601 text as the log holds them."""

    incident_id: str
    title: str | None
    discovered_at: str | None
    occurred_at: str | None
    #: The moment the decision in this row is judged at: the latest assessment's
    #: ``as_of``, not when that assessment was made or recorded (the same as ``as_of``,
    #: the plainer name added beside it; the log keeps no moment of recording).
    assessed_at: str
    #: How many assessments of this incident the log holds.
    assessments: int
    elements: str
    #: Every affected person the incident records, wherever they live (the same on every
    #: row of the incident; ``people_counted`` is the row's law's own count).
    people: int | None
    jurisdiction: str
    law: str | None
    ruleset_version: str | None
    ruleset_sha256: str | None
    decision: str
    decision_basis: str | None
    obligation: str | None = None
    recipient: str | None = None
    obligation_status: str | None = None
    due: str | None = None
    notified_at: str | None = None
    #: on_time, late, early, sent, owed, overdue, pending, not_required (see
    #: ``compliance``).
    compliance: str | None = None
    late_by_seconds: int | None = None
    method: str | None = None
    evidence: str | None = None
    #: Why nothing was (or need be) sent: the exception or condition relied on.
    not_notified_because: str | None = None
    not_notified_citation: str | None = None
    #: The risk-of-harm finding the decision rests on, and when it was made.
    finding: str | None = None
    finding_made_at: str | None = None
    #: A delay and its reason (law enforcement), or how late the notice went.
    delay: str | None = None
    #: Retention the ruleset states (its words), its citation, and the date it runs to.
    retention: str | None = None
    retention_citation: str | None = None
    retain_until: str | None = None
    #: Not an incident fact: for the host to fill.
    remedial_action: str | None = None
    #: Where the duty comes from: ``law`` (a statute or regulation), ``contract`` (a
    #: contract between the parties: not law) or ``policy`` (a company policy).
    duty_source: str = "law"
    #: When the notice was recorded in the log (blank for a record made before
    #: breachrules kept the moment), and what the log says against the sending as given:
    #: recorded long after it or after the due date, or dated before an earlier event.
    recorded_at: str | None = None
    record_doubts: str | None = None
    #: The other obligations one recorded notice also served (comma-separated).
    sent_with: str | None = None
    #: For a notice timed from another's sending that is recorded nowhere yet (a copy to
    #: an attorney general), when it falls due in words ("5 business days after
    #: US-HIPAA:notify-secretary is sent"); ``due`` is then blank: the earliest lawful
    #: date the assessment shows meanwhile is no deadline to be overdue against.
    due_after: str | None = None
    #: The people this row's law counted: its residents, or every affected person where it
    #: counts them all; blank where its reach names no number (a law reached by targeting)
    #: and on a contract's row.
    people_counted: int | None = None
    #: The party that owes this row's duty (``obligations[].party``), and the one a
    #: contract makes perform it where another (``performed_by``).
    party: str | None = None
    performed_by: str | None = None
    #: The moment the decision is judged at (the latest assessment's ``as_of``; see
    #: ``assessed_at``).
    as_of: str | None = None


#: The columns, in order (CSV header, XLSX header, JSON keys).
COLUMNS = tuple(a.name for a in attrs.fields(RegisterEntry))


#: The headings of the Markdown register, by ``duty_source``: a contract is never shown
#: as law.
SECTIONS = {
    "law": "Duties under law",
    "contract": "Duties under contracts between the parties (contractual, not law)",
    "policy": "Duties under company policy (not law)",
}


@attrs.frozen
class Register:
    """The register of every incident in one audit log, as of ``as_of``.

    ``verification`` says what was checked before it was read (see :func:`checked`):
    ``None`` when the log was read without verifying it."""

    source: str
    as_of: datetime
    entries: tuple[RegisterEntry, ...]
    verification: dict[str, Any] | None = None

    def statement(self) -> list[str]:
        """What was checked, in words: the chain, and whether MACs were checked."""
        return cells.statement(self.verification)

    def rows(self) -> list[dict[str, Any]]:
        """One dict per entry, keyed by ``COLUMNS``."""
        return [attrs.asdict(e) for e in self.entries]

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "as_of": format_timestamp(self.as_of),
            "verification": self.verification,
            "columns": list(COLUMNS),
            "entries": self.rows(),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, sort_keys=True)

    def to_csv(self) -> str:
        """One row per entry; every cell made safe for a spreadsheet."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in self.rows():
            writer.writerow([spreadsheet_cell(_cell(row[c])) for c in COLUMNS])
        return out.getvalue()

    def to_markdown(self) -> str:
        """What was checked, then a Markdown table of the main columns per source of duty
        (law, contract, policy), every cell escaped."""
        cols = ("incident_id", "jurisdiction", "decision", "obligation", "due", "compliance",
                "notified_at", "sent_with", "not_notified_because", "retain_until")  # fmt: skip
        lines = [f"Breach register of {markdown_text(Path(self.source).name)}, as of "
                 f"{format_timestamp(self.as_of)}.", "", *self.statement()]  # fmt: skip
        rows = self.rows()
        for source, heading in SECTIONS.items():
            mine = [r for r in rows if r["duty_source"] == source]
            if not mine:
                continue
            lines += ["", f"## {heading}", "", "| " + " | ".join(cols) + " |"]
            lines.append("|" + "---|" * len(cols))
            for row in mine:
                shown = {**row, "compliance": cells.lateness(row)}  # late by how much
                cells_ = (markdown_text(_cell(shown[c])) for c in cols)
                lines.append("| " + " | ".join(cells_) + " |")
        doubted = [r for r in rows if r["record_doubts"]]
        if doubted:
            lines += ["", "## What the log says against a recorded sending", ""]
            lines += [f"- {markdown_text(r['obligation'] or '')}: "
                      f"{markdown_text(r['record_doubts'])}" for r in doubted]  # fmt: skip
        return "\n".join(lines) + "\n"

    def to_xlsx(self) -> bytes:
        """An Excel workbook (``pip install 'breachrules[xlsx]'``): one sheet, one row per
        entry, every cell a string or a number, never a formula."""
        try:
            openpyxl: Any = importlib.import_module("openpyxl")  # ships no type hints
        except ImportError:  # pragma: no cover - without the optional extra
            raise BreachrulesError(
                "the xlsx register needs openpyxl: pip install 'breachrules[xlsx]'"
            ) from None
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "register"
        sheet.append(list(COLUMNS))
        for row in self.rows():
            values: list[Any] = []
            for c in COLUMNS:
                v = row[c]
                values.append(v if isinstance(v, int) else spreadsheet_cell(_cell(v)))
            sheet.append(values)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text, whatever it starts with
        about = book.create_sheet("verification")
        for line in [f"{self.source}, as of {format_timestamp(self.as_of)}", *self.statement()]:
            about.append([spreadsheet_cell(line)])
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    def to_dataframe(self) -> Any:
        """A pandas DataFrame with ``COLUMNS`` (``pip install 'breachrules[notebook]'``)."""
        pd: Any = importlib.import_module("pandas")  # ships no type hints
        return pd.DataFrame(self.rows(), columns=list(COLUMNS))


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def register(
    log: AuditLog | str | Path,
    as_of: datetime | None = None,
    incidents: Iterable[str] | None = None,
    jurisdictions: Iterable[str] | None = None,
    verification: Verification | None = None,
) -> Register:
    """The breach register of every incident in ``log``, as of ``as_of``.

    ``as_of`` (default: the time of the log's last event, so that the same log gives the
    same register) decides whether an unsent notice is owed or overdue. ``incidents`` and
    ``jurisdictions`` keep only those incidents' and those laws' rows. The log is read,
    not verified: run ``breachrules audit verify`` (or :meth:`AuditLog.verify`) first
    when the register is to prove anything, and pass its result as ``verification``:
    the register then says what was checked (:func:`checked`).
    """
    the_log = log if isinstance(log, AuditLog) else AuditLog(log)
    events = the_log.events()
    latest: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
    counts: dict[str, int] = {}
    notices: dict[str, list[NoticeRecord]] = {}
    for e in events:
        if e.type == "assessment":
            doc = e.data.get("assessment") or {}
            key = str(doc.get("incident_id"))
            latest[key] = (e.data.get("incident") or {}, doc)
            counts[key] = counts.get(key, 0) + 1
    for record in the_log.notices():
        notices.setdefault(record.incident_id or "", []).append(record)
    moment = as_of
    if moment is None:
        moment = parse_timestamp(events[-1].at) if events else datetime.now().astimezone()
    entries: list[RegisterEntry] = []
    for incident_id, (incident, doc) in latest.items():
        entries.extend(
            _incident_rows(
                incident_id,
                incident,
                doc,
                counts[incident_id],
                notices.get(incident_id, []) + notices.get("", []),
                moment,
                backwards(events),
            )
        )
    if incidents is not None:
        keep = set(incidents)
        entries = [e for e in entries if e.incident_id in keep]
    if jurisdictions is not None:
        laws = set(jurisdictions)
        entries = [e for e in entries if e.jurisdiction in laws]
    return Register(str(the_log.path), moment, tuple(entries), checked(verification))


def _incident_rows(
    incident_id: str,
    incident: Mapping[str, Any],
    doc: Mapping[str, Any],
    count: int,
    records: list[NoticeRecord],
    as_of: datetime,
    back: Mapping[tuple[str | None, str], str],
) -> list[RegisterEntry]:
    assessment = load_assessment(doc)
    standing = {c.obligation_id: c for c in assessment.compliance(records, as_of=as_of)}
    refs = {str(r.get("code")): r for r in doc.get("rulesets") or ()}
    total = cells.people(incident)
    base = {
        "incident_id": incident_id,
        "title": incident.get("title"),
        "discovered_at": incident.get("discovered_at"),
        "occurred_at": incident.get("occurred_at"),
        "assessed_at": str(doc.get("as_of")),
        "as_of": str(doc.get("as_of")),
        "assessments": count,
        "elements": cells.elements(incident),
        "people": total,
    }
    audit = list(doc.get("audit") or ())
    le = incident.get("law_enforcement") or {}
    rows: list[RegisterEntry] = []
    obligations = list(doc.get("obligations") or ())
    decisions = [d for d in doc.get("determinations") or () if d.get("status") != "not_applicable"]
    codes = [str(d.get("jurisdiction")) for d in decisions]
    if any(o.get("jurisdiction") == "contract" for o in obligations):
        codes.append("contract")
    by_code = {str(d.get("jurisdiction")): d for d in decisions}
    for code in codes:
        d = by_code.get(code, {"status": "contract", "reasons": []})
        ref = refs.get(code, {})
        d_reasons = list(d.get("reasons") or ())
        mine = [o for o in obligations if o.get("jurisdiction") == code]
        finding, made_at = cells.finding(incident, code, cells.reads_gdpr(mine, d_reasons))
        law = {
            **base,
            "jurisdiction": code,
            "law": ref.get("name"),
            "ruleset_version": ref.get("version"),
            "ruleset_sha256": ref.get("sha256"),
            "decision": str(d.get("status")),
            "duty_source": cells.duty_source(code, ref),
            "decision_basis": cells.basis(str(d.get("status")), d_reasons),
            "people_counted": cells.people_counted(d_reasons, counts_everyone(audit, code), total),
            "finding": finding,
            "finding_made_at": made_at,
        }
        anchors = [made_at, incident.get("breach_determined_at"), incident.get("discovered_at")]
        if not mine:
            because, cite = (None, None)
            if d.get("status") == "not_breach":
                because, cite = cells.exception(d_reasons, 2)
            retention = _retention(_duties(d_reasons), anchors)
            rows.append(
                RegisterEntry(
                    **law,
                    not_notified_because=because,
                    not_notified_citation=cite,
                    retention=retention[0],
                    retention_citation=retention[1],
                    retain_until=retention[2],
                )
            )
            continue
        for o in mine:
            o_reasons = list(o.get("reasons") or ())
            entry = standing.get(str(o.get("id")))
            because, cite = (None, None)
            if o.get("status") == "not_required" or d.get("status") == "not_breach":
                because, cite = (
                    cells.exception(o_reasons, 1) if o_reasons else cells.exception(d_reasons, 2)
                )
            delay = cells.delay(o_reasons)
            if (
                delay is None
                and le.get("delay_requested_until")
                and "delay" in json.dumps(o_reasons)
            ):
                delay = f"law enforcement asked for a delay until {le['delay_requested_until']}"
            if entry is not None and entry.late_by_seconds:
                late = f"sent {entry.late_by_seconds // 3600}h after the due time"
                delay = f"{delay}; {late}" if delay else late
            deadline = o.get("deadline") or {}
            # A duty attached to an exception binds only when the exception is relied on
            # (``duties``); a record-keeping obligation's own words bind whenever it is owed.
            texts = _duties(o_reasons)
            if o.get("status") != "not_required":
                texts.append((str(deadline.get("text") or ""), o.get("basis")))
            retention = _retention(texts, anchors)
            first = entry.records[0] if entry is not None and entry.records else None
            rows.append(
                RegisterEntry(
                    **law,
                    obligation=str(o.get("id")),
                    party=o.get("party"),
                    performed_by=o.get("performed_by"),
                    recipient=o.get("recipient_name") or o.get("recipient"),
                    obligation_status=str(o.get("status")),
                    due=None if entry is not None and entry.due_after else o.get("due"),
                    notified_at=format_timestamp(entry.sent_at)
                    if entry is not None and entry.sent_at
                    else None,
                    compliance=entry.status if entry is not None else None,
                    late_by_seconds=entry.late_by_seconds if entry is not None else None,
                    method=first.method if first else None,
                    evidence=first.evidence if first else None,
                    not_notified_because=because,
                    not_notified_citation=cite,
                    delay=delay,
                    retention=retention[0],
                    retention_citation=retention[1],
                    retain_until=retention[2],
                    recorded_at=format_timestamp(entry.recorded_at)
                    if entry is not None and entry.recorded_at
                    else None,
                    record_doubts="; ".join(doubts(entry, back, incident_id)) or None
                    if entry is not None
                    else None,
                    sent_with=", ".join(first.sent_with) or None if first else None,
                    due_after=entry.due_after if entry is not None else None,
                )
            )
    return rows
