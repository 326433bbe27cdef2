"""The notification plan as an OASIS CACAO 2.0 playbook of manual steps, in a straight line.

CACAO (Collaborative Automated Course of Action Operations) is the OASIS standard for
security playbooks that SOAR platforms import. The plan becomes a *notification* playbook:
a start step, then one ``action`` step per action of the plan, in the order they fall due,
each with one ``manual`` command (a person sends the notice), then an end step. Every step
follows the one before by ``on_completion`` only: no conditions, no parallel branches, so
the simplest executor runs it. Each step's ``external_references`` carry its deadline (the
due time in UTC, or "no fixed period"), the legal basis of every obligation it serves, and
the obligation ids; the agent performing the steps is the party that sends them
(``agent_definitions``, one ``organization`` per party).

Timestamps are UTC with ``Z`` and milliseconds, as CACAO requires; identifiers are UUIDv5,
so one plan always gives the same playbook.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from breachrules.model.timestamps import format_timestamp
from breachrules.views.exports import name_uuid

if TYPE_CHECKING:
    from breachrules.views.plan import Action, Plan

__all__ = ["playbook"]


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + "000Z"


def _references(a: Action) -> list[dict[str, str]]:
    due = (
        f"due {_stamp(a.due)} ({format_timestamp(a.due)} local): {a.deadline}"
        if a.due is not None
        else f"no fixed period: {a.deadline}"
    )
    refs = [{"name": "deadline", "description": due}]
    refs += [{"name": "legal basis", "source": basis} for basis in a.bases]
    refs.append({"name": "obligations", "description": ", ".join(a.obligations)})
    return refs


def _command(a: Action) -> str:
    when = (
        f"by {_stamp(a.due)}"
        if a.due is not None
        else "no fixed period"
        if a.kind != "notice"
        else a.deadline  # the law's own words: "without undue delay", "immediately"
    )
    text = f"{a.title} ({', '.join(a.jurisdictions)}), {when}."
    if a.status == "conditional":
        text += " Conditional: decide first " + ", ".join(a.waits_on) + "."
    if a.contents:
        text += " Include: " + "; ".join(a.contents) + "."
    return text


def playbook(plan: Plan) -> dict[str, Any]:
    """The CACAO 2.0 playbook for ``plan`` (a :class:`~breachrules.views.plan.Plan`)."""
    key = (plan.incident_id, format_timestamp(plan.as_of))
    made = _stamp(plan.as_of)
    start = f"start--{name_uuid('cacao-start', *key)}"
    end = f"end--{name_uuid('cacao-end', *key)}"
    agents = {
        party: f"organization--{name_uuid('cacao-agent', party)}"
        for party in dict.fromkeys(a.party for a in plan.actions)
    }
    steps = [f"action--{name_uuid('cacao-action', *key, a.key)}" for a in plan.actions]
    chain = [*steps, end]
    workflow: dict[str, Any] = {start: {"type": "start", "on_completion": chain[0]}}
    for n, (step, a) in enumerate(zip(steps, plan.actions, strict=True)):
        workflow[step] = {
            "type": "action",
            "name": f"{n + 1}. {a.title}",
            "description": (
                f"{a.status} for {', '.join(a.jurisdictions)}; sent by {a.party} to {a.recipient}."
                if a.kind == "notice"
                else f"{a.status} for {', '.join(a.jurisdictions)}; kept by {a.party}, "
                f"not a notice: nothing is sent."
            ),
            "external_references": _references(a),
            "agent": agents[a.party],
            "commands": [
                {
                    "type": "manual",
                    "command": _command(a),
                    "playbook_activity": "deliver-content",
                }
            ],
            "on_completion": chain[n + 1],
        }
    if not steps:  # CACAO wants an action step: the one left is to record the decision
        owner = f"organization--{name_uuid('cacao-agent', 'breach response')}"
        agents = {"breach response": owner}
        only = f"action--{name_uuid('cacao-action', *key, 'nothing-owed')}"
        workflow[start]["on_completion"] = only
        workflow[only] = {
            "type": "action",
            "name": "Record that no notice is owed",
            "description": "No law owes a notice on these facts; keep the decision on record.",
            "agent": owner,
            "commands": [{"type": "manual", "command": "Record the assessment and why."}],
            "on_completion": end,
        }
    workflow[end] = {"type": "end"}
    return {
        "type": "playbook",
        "spec_version": "cacao-2.0",
        "id": f"playbook--{name_uuid('cacao-playbook', *key)}",
        "name": f"Breach notification plan for {plan.incident_id}",
        "description": (
            f"Every notice owed for incident {plan.incident_id} as assessed at "
            f"{format_timestamp(plan.as_of)}, in the order due. breachrules supports "
            "counsel's judgment; it is not legal advice."
        ),
        "playbook_types": ["notification"],
        "playbook_activities": ["compose-content", "deliver-content"],
        "created_by": f"identity--{name_uuid('breachrules')}",
        "created": made,
        "modified": made,
        "labels": ["breach-notification", plan.incident_id],
        "agent_definitions": {
            ref: {"type": "organization", "name": party} for party, ref in agents.items()
        },
        "workflow_start": start,
        "workflow": workflow,
    }
