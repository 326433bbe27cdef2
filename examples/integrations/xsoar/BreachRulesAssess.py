"""Cortex XSOAR automation: assess the current incident with breachrules.

Upload this file as an automation (``BreachRulesAssess.yml`` declares it and its
outputs) in an XSOAR docker image that has ``breachrules`` installed. It reads the
incident's custom fields, assesses them, and returns a ``CommandResults`` whose outputs
land in the context under ``BreachRules.Decision`` (one entry per jurisdiction whose law
reaches the incident), so playbooks can branch on ``BreachRules.Decision.Status`` and
create tasks from ``BreachRules.Decision.Obligations``.

Custom fields read (XSOAR machine names; all optional except a discovery time):

- ``breachrulesincident``: a whole breachrules incident document (JSON text); when
  set, the other fields are ignored.
- ``breachdiscoveredat`` (date; falls back to the incident's ``occurred``, with a
  warning naming it and its value: every deadline runs from discovery),
  ``breachdataelements`` (multi-select of contract element words),
  ``breachaffectedresidents`` (grid: rows of ``residence`` and ``count``),
  ``breachencrypted`` / ``breachdataacquired`` / ``breachdataaccessed`` /
  ``breachgoodfaithinsider`` (single select ``Yes``/``No``/``Unknown``; any other
  value is read as unknown, with a warning naming the field),
  ``breachorganization``, ``breachorganizationtypes`` (multi-select of party type
  words), ``breachestablishedin`` (multi-select of ISO codes).

A problem names the field it is in (``breachaffectedresidents
(exposures[0].residents.US-FL): expected a whole number``), and a set ``breach...`` field
the automation does not read (``breachencryptd``) is warned of, with the near miss.

XSOAR sends a date field that was never set as ``0001-01-01T00:00:00Z``: every date is
read through :func:`_date`, which treats that value as unset (an assessment from year 1
would find no law in force and read as "no breach").

Outputs are keyed on ``IncidentId`` and ``Jurisdiction`` together, so assessing two
incidents in one playbook context keeps both.

The automation runs in a docker image that has breachrules installed: build one from
``demisto/python3`` that installs the breachrules wheel built from a checkout (pure
Python, no compiler; breachrules is not on PyPI yet: the integrations README says how)
and set it as ``dockerimage`` in the YAML (or in the automation's settings).

Outside XSOAR (tests, local runs) the ``demisto`` module and ``CommandResults`` are
absent; small stand-ins with the same shape are used so the logic can be exercised.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from typing import Any

from breachrules import Engine, InvalidIncident, load_incident
from breachrules.errors import InvalidArgument, Problem
from breachrules.io.serde import parse_document
from breachrules.views.exports.fields import Fields
from breachrules.views.exports.playbook import duty, next_due, owed

try:  # pragma: no cover - only inside XSOAR
    import demistomock as demisto  # type: ignore[import-not-found]
    from CommonServerPython import (  # type: ignore[import-not-found]
        CommandResults,
        return_error,
        return_results,
        tableToMarkdown,
    )
except ImportError:
    demisto = None

    class CommandResults:  # type: ignore[no-redef]
        """Stand-in for CommonServerPython.CommandResults (same constructor, to_context)."""

        def __init__(
            self,
            outputs_prefix: str,
            outputs_key_field: str | list[str],
            outputs: Any,
            readable_output: str,
            raw_response: Any = None,
        ) -> None:
            self.outputs_prefix = outputs_prefix
            self.outputs_key_field = outputs_key_field
            self.outputs = outputs
            self.readable_output = readable_output
            self.raw_response = raw_response

        def to_context(self) -> dict[str, Any]:
            fields = self.outputs_key_field
            fields = [fields] if isinstance(fields, str) else fields
            key = (
                f"{self.outputs_prefix}("
                + " && ".join(f"val.{f} && val.{f} == obj.{f}" for f in fields)
                + ")"
            )
            return {
                "Type": 1,
                "ContentsFormat": "json",
                "Contents": self.raw_response,
                "HumanReadable": self.readable_output,
                "EntryContext": {key: self.outputs},
            }

    def tableToMarkdown(name: str, t: list[dict[str, Any]], headers: list[str]) -> str:
        lines = [f"### {name}", "|" + "|".join(headers) + "|", "|" + "---|" * len(headers)]
        lines += ["|" + "|".join(str(row.get(h, "")) for h in headers) + "|" for row in t]
        return "\n".join(lines)

    def return_results(results: Any) -> None:
        entries = results if isinstance(results, list) else [results]
        print(json.dumps([r.to_context() for r in entries], indent=2, default=str))

    def return_error(message: str) -> None:
        raise SystemExit(message)


_ENGINE: Engine | None = None
#: What XSOAR stores in a date field nobody set.
UNSET_DATES = ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00", "0001-01-01T00:00:00+00:00")


def _engine() -> Engine:
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = Engine()
    return _ENGINE


def _date(value: object) -> str | None:
    """A date field's value, or ``None`` when XSOAR's unset marker (year 1) or empty."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    if text in UNSET_DATES or text.startswith("0001-01-01"):
        return None
    return text


def _list(value: object) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if str(v).strip()]
    if isinstance(value, str) and value.strip():
        return [v.strip() for v in value.split(",") if v.strip()]
    return []


def _count(value: object) -> object:
    """A grid cell as a count; anything else is passed on for the loader to name."""
    text = str(value).strip()
    return int(text) if text.isdigit() else value


#: The simple custom fields the automation reads (beside ``breachrulesincident``).
FIELDS = (
    "breachdiscoveredat",
    "breachdataelements",
    "breachaffectedresidents",
    "breachencrypted",
    "breachdataacquired",
    "breachdataaccessed",
    "breachgoodfaithinsider",
    "breachorganization",
    "breachorganizationtypes",
    "breachestablishedin",
)
WHOLE = "breachrulesincident"


def incident_from_xsoar(incident: Mapping[str, Any]) -> dict[str, Any]:
    """The breachrules incident document for an XSOAR incident (``demisto.incident()``)."""
    return read_incident(incident, Fields())


def read_incident(incident: Mapping[str, Any], fields: Fields) -> dict[str, Any]:
    """The incident document for an XSOAR incident, noting in ``fields`` the custom field
    each of its values came from (:class:`~breachrules.views.exports.fields.Fields`: a
    problem names the field; a fallback, a yes/no value it cannot read and an unread
    ``breach...`` field are warned of)."""
    custom = incident.get("CustomFields") or {}
    given = [str(name) for name, value in custom.items() if value not in (None, "", [])]
    whole = custom.get(WHOLE)
    if whole:
        fields.sources[""] = WHOLE
        parsed = parse_document(whole) if isinstance(whole, str) else whole
        if not isinstance(parsed, Mapping):
            raise InvalidIncident([Problem("(document)", "expected a JSON object")])
        doc: dict[str, Any] = dict(parsed)
        doc.setdefault("id", str(incident.get("id")))
        fields.unread([n for n in given if n not in FIELDS], FIELDS, (WHOLE,))
        fields.overridden(WHOLE, [n for n in given if n in FIELDS])
        return doc
    fields.unread(given, FIELDS, (WHOLE,))
    residents = {
        str(row["residence"]).strip(): _count(row["count"])
        for row in custom.get("breachaffectedresidents") or []
        if row.get("residence") and str(row.get("count", "")).strip()
    }
    organisation = custom.get("breachorganization") or "Our organisation"
    return {
        "schema_version": "1",
        "id": f"XSOAR-{incident.get('id')}",
        "title": incident.get("name"),
        "discovered_at": _discovered(incident, fields),
        "parties": [
            {
                "id": "org",
                "name": organisation,
                "data_role": "owner",
                "types": fields.put(
                    "parties[0].types",
                    "breachorganizationtypes",
                    _list(custom.get("breachorganizationtypes")),
                ),
                "established_in": fields.put(
                    "parties[0].established_in",
                    "breachestablishedin",
                    _list(custom.get("breachestablishedin")),
                ),
            }
        ],
        "exposures": [
            {
                "elements": fields.put(
                    "exposures[0].elements",
                    "breachdataelements",
                    _list(custom.get("breachdataelements")),
                ),
                "residents": fields.put(
                    "exposures[0].residents", "breachaffectedresidents", residents
                ),
                "encrypted": fields.yes_no(
                    "exposures[0].encrypted", "breachencrypted", custom.get("breachencrypted")
                ),
                "acquired": fields.yes_no(
                    "exposures[0].acquired", "breachdataacquired", custom.get("breachdataacquired")
                ),
                "accessed": fields.yes_no(
                    "exposures[0].accessed", "breachdataaccessed", custom.get("breachdataaccessed")
                ),
            }
        ],
        "good_faith_insider": fields.yes_no(
            "good_faith_insider", "breachgoodfaithinsider", custom.get("breachgoodfaithinsider")
        ),
        "extensions": {"xsoar": {"incident_id": incident.get("id")}},
    }


def _discovered(incident: Mapping[str, Any], fields: Fields) -> str | None:
    """``breachdiscoveredat``; unset (or XSOAR's year-1 marker), the incident's
    ``occurred`` with a warning naming it and its value: every deadline runs from
    discovery, which ``occurred`` only stands in for."""
    discovered = _date((incident.get("CustomFields") or {}).get("breachdiscoveredat"))
    occurred = _date(incident.get("occurred"))
    if discovered or not occurred:
        return fields.put("discovered_at", "breachdiscoveredat", discovered)
    return fields.fallback(
        "discovered_at", "breachdiscoveredat", "the incident's occurred", occurred
    )


def obligation(o: Any) -> dict[str, Any]:
    """One owed duty under ``Obligations``: the fields every adapter gives a playbook
    (:func:`breachrules.views.exports.playbook.duty`: ``Kind``, ``Duty``, who sends it to
    whom, ``Contractual``, due date and the law's ``TimeZone``, ``NotBefore``, ``SentAt``),
    named as XSOAR's context names them (``recipient_party``: ``RecipientParty``)."""
    return {_context_key(k): v for k, v in duty(o).items()}


def _context_key(name: str) -> str:
    return "".join(word.capitalize() for word in name.split("_"))


def decisions(assessment: Any) -> list[dict[str, Any]]:
    """``BreachRules.Decision`` entries: one per jurisdiction that reaches the incident,
    with its owed obligations (a duty relayed up a chain of providers, ``<id>@<party>``,
    among its law's)."""
    duties = owed(assessment)
    return [
        {
            "IncidentId": assessment.incident_id,
            "Jurisdiction": d.jurisdiction,
            "Status": d.status,
            "MissingFacts": list(d.missing_facts),
            "Reasons": [r.text for r in d.reasons],
            "Obligations": [obligation(o) for o in duties if o.jurisdiction == d.jurisdiction],
        }
        for d in assessment.determinations
        if d.status != "not_applicable"
    ]


def summary(assessment: Any, reached: list[dict[str, Any]]) -> dict[str, Any]:
    """The ``BreachRules.Assessment`` entry: the laws so decided, the earliest due date
    not yet sent, the engine's ``Warnings``, and ``ContractDuties``: the owed duties that
    are no law's (a contract's between the parties, ``Contractual`` true)."""
    laws = {d["Jurisdiction"] for d in reached}
    duties = owed(assessment)
    return {
        "IncidentId": assessment.incident_id,
        "AsOf": assessment.as_of.isoformat(),
        "Breach": [d["Jurisdiction"] for d in reached if d["Status"] == "breach"],
        "Undetermined": [d["Jurisdiction"] for d in reached if d["Status"] == "undetermined"],
        "NextDue": next_due(duties),
        "ContractDuties": [obligation(o) for o in duties if o.jurisdiction not in laws],
        "Warnings": list(assessment.warnings),
    }


def assess_command(incident: Mapping[str, Any], args: Mapping[str, Any]) -> list[CommandResults]:
    """Assess ``incident``; ``args`` may hold ``as_of`` and ``jurisdictions`` (comma list).

    Two results: ``BreachRules.Decision`` (one entry per law, keyed on ``IncidentId`` and
    ``Jurisdiction``) with the whole assessment as its raw response, and
    ``BreachRules.Assessment`` (one entry per incident, keyed on ``IncidentId``): the
    summary, the contract duties and the warnings.
    """
    fields = Fields()
    try:
        facts = load_incident(read_incident(incident, fields))
    except InvalidIncident as exc:
        raise fields.refused(exc) from None
    jurisdictions = _list(args.get("jurisdictions")) or None
    as_of = _date(args.get("as_of"))
    assessment = fields.onto(_engine().assess(facts, as_of=as_of, jurisdictions=jurisdictions))
    outputs = decisions(assessment)
    whole = summary(assessment, outputs)
    rows = [
        {
            "Jurisdiction": d["Jurisdiction"],
            "Status": d["Status"],
            "Obligations": len(d["Obligations"]),
            "Missing facts": ", ".join(d["MissingFacts"]),
        }
        for d in outputs
    ]
    markdown = tableToMarkdown(
        "breachrules decisions (not legal advice)",
        rows,
        headers=["Jurisdiction", "Status", "Obligations", "Missing facts"],
    )
    duties = [
        {
            "Id": o["Id"],
            "Status": o["Status"],
            "Duty": f"{o['Party']}: {o['Duty']}",
            "Due": o["Due"] or "no fixed date",
        }
        for o in whole["ContractDuties"]
    ]
    extra = ""
    if duties:
        extra += "\n\n" + tableToMarkdown(
            "Duties under contracts between the parties (not law)",
            duties,
            headers=["Id", "Status", "Duty", "Due"],
        )
    if whole["Warnings"]:
        extra += "\n\n**Warnings**\n" + "\n".join(f"- {w}" for w in whole["Warnings"])
    return [
        CommandResults(
            outputs_prefix="BreachRules.Decision",
            outputs_key_field=["IncidentId", "Jurisdiction"],
            outputs=outputs,
            readable_output=markdown,
            raw_response=assessment.to_dict(),
        ),
        CommandResults(
            outputs_prefix="BreachRules.Assessment",
            outputs_key_field="IncidentId",
            outputs=whole,
            readable_output=(
                f"Next due (not yet sent): {whole['NextDue'] or 'no fixed date'}; "
                f"{len(duties)} duties under contracts between the parties (not law)" + extra
            ),
            raw_response=whole,
        ),
    ]


def main() -> None:  # pragma: no cover - XSOAR entry point
    """In XSOAR: the current incident and the automation's arguments. Outside it (no
    ``demisto``): the incident as ``demisto.incident()`` gives it, as JSON on standard
    input, and no arguments; the entries are printed as XSOAR would receive them."""
    try:
        if demisto is None:
            return_results(assess_command(json.load(sys.stdin), {}))
        else:
            return_results(assess_command(demisto.incident(), demisto.args()))
    except InvalidIncident as exc:
        return_error("breachrules: invalid incident: " + "; ".join(map(str, exc.problems)))
    except InvalidArgument as exc:
        return_error("breachrules: invalid argument: " + "; ".join(map(str, exc.problems)))
    except Exception as exc:
        return_error(f"breachrules failed: {exc}")


if __name__ in ("__main__", "__builtin__", "builtins"):
    main()
