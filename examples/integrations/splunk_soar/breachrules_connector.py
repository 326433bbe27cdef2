"""Splunk SOAR (Phantom) app connector: the ``assess incident`` action.

Package this file with ``breachrules.json`` (the app definition, which declares the
action's parameters and output data paths) and ``breachrules`` in the app's wheels.
The action takes either a whole incident document (``incident_json``) or simple
parameters, and adds one data item per jurisdiction that reaches the incident
(``action_result.data.*.jurisdiction``, ``.status``, ``.missing_facts``,
``.obligations``), one more (``jurisdiction`` ``contract``, ``status`` ``contractual``)
for the duties under contracts between the parties, which are not law, and a summary
(``breaches``, ``undetermined``, ``contract_duties``, ``next_due``: the earliest due date
not yet sent, ``warnings``) that playbooks can branch on.

A problem names the parameter it is in (``residents (exposures[0].residents.DE): ...``),
and a yes/no parameter that is not ``true``, ``false``, ``yes``, ``no``, ``unknown`` or
empty is read as unknown with a warning naming it.

Outside SOAR, ``phantom`` is absent; small stand-ins with the same methods
(``BaseConnector.add_action_result``, ``ActionResult.add_data``, ``update_summary``,
``set_status``) are used so the logic can be tested.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from breachrules import Engine, InvalidIncident, Problem, load_incident
from breachrules.io.serde import parse_document
from breachrules.views.exports.fields import Fields
from breachrules.views.exports.playbook import duty, next_due, owed

try:  # pragma: no cover - only inside Splunk SOAR
    import phantom.app as phantom  # type: ignore[import-not-found]
    from phantom.action_result import ActionResult  # type: ignore[import-not-found]
    from phantom.base_connector import BaseConnector  # type: ignore[import-not-found]
except ImportError:

    class phantom:  # type: ignore[no-redef]
        """Stand-in for the ``phantom.app`` status constants."""

        APP_SUCCESS = True
        APP_ERROR = False

    class ActionResult:  # type: ignore[no-redef]
        """Stand-in for phantom.action_result.ActionResult."""

        def __init__(self, param: Mapping[str, Any] | None = None) -> None:
            self.param = dict(param or {})
            self.data: list[dict[str, Any]] = []
            self.summary: dict[str, Any] = {}
            self.status: bool | None = None
            self.message = ""

        def add_data(self, item: dict[str, Any]) -> None:
            self.data.append(item)

        def update_summary(self, summary: Mapping[str, Any]) -> dict[str, Any]:
            self.summary.update(summary)
            return self.summary

        def set_status(self, status: bool, message: str = "") -> bool:
            self.status, self.message = status, message
            return status

        def get_status(self) -> bool | None:
            return self.status

    class BaseConnector:  # type: ignore[no-redef]
        """Stand-in for phantom.base_connector.BaseConnector."""

        def __init__(self) -> None:
            self.action_results: list[ActionResult] = []
            self._action = "assess_incident"

        def get_action_identifier(self) -> str:
            return self._action

        def add_action_result(self, result: ActionResult) -> ActionResult:
            self.action_results.append(result)
            return result

        def save_progress(self, message: str) -> None:
            pass

        def _handle_action(self, in_json: str, handle: int) -> str:
            job = json.loads(in_json)
            self._action = job.get("identifier", self._action)
            for param in job.get("parameters") or [{}]:
                self.handle_action(param)
            return json.dumps(
                [
                    {
                        "status": "success" if r.status else "failed",
                        "message": r.message,
                        "parameter": r.param,
                        "data": r.data,
                        "summary": r.summary,
                    }
                    for r in self.action_results
                ]
            )


def _list(value: Any) -> list[str]:
    return [v.strip() for v in str(value or "").split(",") if v.strip()]


def incident_from_param(param: Mapping[str, Any]) -> dict[str, Any]:
    """The incident document for the action's parameters."""
    return read_param(param, Fields())


def read_param(param: Mapping[str, Any], fields: Fields) -> dict[str, Any]:
    """The incident document for the action's parameters, noting in ``fields`` the
    parameter each value came from (a problem names it; a yes/no value it cannot read is
    warned of)."""
    if param.get("incident_json"):
        fields.sources[""] = "incident_json"
        parsed = parse_document(param["incident_json"])
        if not isinstance(parsed, Mapping):
            raise InvalidIncident([Problem("(document)", "expected a JSON object")])
        return dict(parsed)
    return {
        "schema_version": "1",
        "id": str(param.get("incident_id") or "SOAR-incident"),
        "discovered_at": fields.put("discovered_at", "discovered_at", param.get("discovered_at")),
        "parties": [
            {
                "id": "org",
                "name": param.get("organization") or "Our organisation",
                "data_role": "owner",
                "types": fields.put(
                    "parties[0].types",
                    "organization_types",
                    _list(param.get("organization_types")),
                ),
                "established_in": fields.put(
                    "parties[0].established_in",
                    "established_in",
                    _list(param.get("established_in")),
                ),
            }
        ],
        "exposures": [
            {
                "elements": fields.put(
                    "exposures[0].elements", "data_elements", _list(param.get("data_elements"))
                ),
                "residents": fields.counts(
                    "exposures[0].residents", "residents", param.get("residents")
                ),
                "encrypted": fields.yes_no(
                    "exposures[0].encrypted", "encrypted", param.get("encrypted")
                ),
                "acquired": fields.yes_no(
                    "exposures[0].acquired", "acquired", param.get("acquired")
                ),
                "accessed": fields.yes_no(
                    "exposures[0].accessed", "accessed", param.get("accessed")
                ),
            }
        ],
        "good_faith_insider": fields.yes_no(
            "good_faith_insider", "good_faith_insider", param.get("good_faith_insider")
        ),
    }


def obligation(o: Any) -> dict[str, Any]:
    """One owed duty (``action_result.data.*.obligations.*``): the fields every adapter
    gives a playbook (:func:`breachrules.views.exports.playbook.duty`: ``kind``, ``duty``,
    who sends it to whom, ``contractual``, due date and the law's ``time_zone``,
    ``not_before`` under a ``waiting_period``, ``sent_at``); the item's own
    ``jurisdiction`` already names the law."""
    out = duty(o)
    del out["jurisdiction"]
    return out


class BreachRulesConnector(BaseConnector):  # type: ignore[misc]
    """The breachrules app: one action, ``assess_incident``."""

    engine: Engine | None = None

    def handle_action(self, param: Mapping[str, Any]) -> bool:
        if self.get_action_identifier() == "test_connectivity":
            return self._test_connectivity(param)
        if self.get_action_identifier() != "assess_incident":
            result = self.add_action_result(ActionResult(dict(param)))
            return bool(result.set_status(phantom.APP_ERROR, "unknown action"))
        return self._assess(param)

    def _test_connectivity(self, param: Mapping[str, Any]) -> bool:
        """SOAR's standard health check: breachrules imports and loads its rulesets (there
        is no remote service to reach)."""
        result = self.add_action_result(ActionResult(dict(param)))
        if BreachRulesConnector.engine is None:
            BreachRulesConnector.engine = Engine()
        count = len(BreachRulesConnector.engine.rulesets)
        self.save_progress(f"breachrules loaded {count} rulesets")
        return bool(result.set_status(phantom.APP_SUCCESS, f"{count} rulesets loaded"))

    def _assess(self, param: Mapping[str, Any]) -> bool:
        result = self.add_action_result(ActionResult(dict(param)))
        fields = Fields()
        try:
            incident = load_incident(read_param(param, fields))
        except InvalidIncident as exc:
            named = fields.refused(exc)
            return bool(result.set_status(phantom.APP_ERROR, f"invalid incident: {named}"))
        except ValueError as exc:
            return bool(result.set_status(phantom.APP_ERROR, f"invalid incident: {exc}"))
        if BreachRulesConnector.engine is None:
            BreachRulesConnector.engine = Engine()
        self.save_progress("Assessing with breachrules")
        assessment = fields.onto(BreachRulesConnector.engine.assess(incident))
        duties = owed(assessment)
        counts = {"breach": 0, "undetermined": 0, "not_breach": 0}
        laws: set[str] = set()
        for d in assessment.determinations:
            if d.status == "not_applicable":
                continue
            counts[d.status] += 1
            laws.add(d.jurisdiction)
            result.add_data(
                {
                    "jurisdiction": d.jurisdiction,
                    "status": d.status,
                    "missing_facts": list(d.missing_facts),
                    "obligations": [
                        obligation(o) for o in duties if o.jurisdiction == d.jurisdiction
                    ],
                }
            )
        # A law's duties relayed up a chain of providers (<id>@<party>) are among its own;
        # the duties under contracts between the parties are no law's: one more item.
        contract = [obligation(o) for o in duties if o.jurisdiction not in laws]
        if contract:
            result.add_data(
                {
                    "jurisdiction": "contract",
                    "status": "contractual",
                    "missing_facts": sorted({f for o in contract for f in o["missing_facts"]}),
                    "obligations": contract,
                }
            )
        result.update_summary(
            {
                "breaches": counts["breach"],
                "undetermined": counts["undetermined"],
                "contract_duties": len(contract),
                "next_due": next_due(duties),
                "warnings": list(assessment.warnings),
            }
        )
        message = f"{counts['breach']} breach, {counts['undetermined']} undetermined"
        return bool(result.set_status(phantom.APP_SUCCESS, message))


if __name__ == "__main__":  # pragma: no cover - SOAR's local test harness convention
    import sys

    with open(sys.argv[1], encoding="utf-8") as handle:
        print(BreachRulesConnector()._handle_action(handle.read(), 0))
