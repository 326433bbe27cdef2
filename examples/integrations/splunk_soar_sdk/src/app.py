"""The breachrules app for Splunk SOAR, on the SOAR SDK: ``test connectivity`` and
``assess incident``.

The SDK derives the app's manifest from this module: each action's parameters from its
``Params`` class, and its output data paths from its ``ActionOutput`` classes, the SDK's
standard ones (``action_result.status``, ``action_result.message``,
``action_result.parameter.*``, ``summary.total_objects``) included. ``assess incident``
adds one data item per jurisdiction that reaches the incident (a duty relayed up a chain
of providers, ``<id>@<party>``, among its law's), one more (``jurisdiction``
``contract``, ``status`` ``contractual``) for the duties under contracts between the
parties, which are not law, and a summary (``breaches``, ``undetermined``,
``contract_duties``, ``next_due``: the earliest due date not yet sent, ``warnings``)
that playbooks branch on.

breachrules supports counsel's judgment; it is not legal advice.
"""

# No ``from __future__ import annotations``: the SDK reads the annotations at run time.
from soar_sdk.abstract import SOARClient
from soar_sdk.action_results import ActionOutput, OutputField
from soar_sdk.app import App
from soar_sdk.asset import BaseAsset
from soar_sdk.exceptions import ActionFailure
from soar_sdk.logging import getLogger
from soar_sdk.params import Param, Params

from breachrules import Engine, InvalidIncident, load_incident
from breachrules.io.serde import parse_document
from breachrules.model.decisions import Obligation
from breachrules.views.exports.playbook import duty, next_due, owed

logger = getLogger()


class Asset(BaseAsset):
    """No settings: breachrules runs inside the app, with no service to reach."""


app = App(
    name="breachrules",
    app_type="information",
    logo="logo.svg",
    logo_dark="logo_dark.svg",
    product_vendor="breachrules",
    product_name="breachrules",
    publisher="breachrules contributors",
    appid="6f0c5b7e-2a1d-4c3b-9e8f-7a6b5c4d3e2f",
    fips_compliant=False,
    asset_cls=Asset,
    python_version="3.13",  # the Python SOAR runs apps on; pyproject.toml pins the same
)

_ENGINE: list[Engine] = []


def engine() -> Engine:
    """One engine per app process: loading the rulesets is the slow part."""
    if not _ENGINE:
        _ENGINE.append(Engine())
    return _ENGINE[0]


@app.test_connectivity()
def test_connectivity(soar: SOARClient, asset: Asset) -> None:
    """SOAR's standard health check: breachrules imports and loads its rulesets."""
    logger.info(f"breachrules loaded {len(engine().rulesets)} rulesets")


class AssessParams(Params):
    incident_json: str = Param(
        description="A whole breachrules incident document (JSON)", required=True
    )
    jurisdictions: str = Param(
        description="Comma-separated ruleset codes to assess (empty: every law)",
        required=False,
        default="",
    )


class ObligationOutput(ActionOutput):
    """One owed duty: what it is (``kind``: only a ``notice`` is sent; ``duty`` says it in
    words that never make a record or an assessment a notice), who sends it to whom,
    whether it is law or a contract's, when it is due, may be sent and was sent."""

    id: str = OutputField(example_values=["US-CA:notify-individuals"])
    kind: str = OutputField(example_values=["notice", "record", "assessment"])
    duty: str = OutputField(example_values=["notify individuals"])
    contractual: bool
    party: str = OutputField(example_values=["org"])
    performed_by: str | None = OutputField(example_values=["provider"])
    recipient: str = OutputField(example_values=["individuals", "attorney_general"])
    recipient_name: str | None = OutputField(example_values=["California Attorney General"])
    recipient_party: str | None = OutputField(example_values=["owner"])
    status: str = OutputField(example_values=["required", "conditional"])
    due: str | None = OutputField(example_values=["2026-04-01T23:59:59-07:00"])
    deadline: str = OutputField(example_values=["without undue delay"])
    time_zone: str | None = OutputField(example_values=["America/Los_Angeles"])
    not_before: str | None = OutputField(example_values=["2026-04-10T23:59:59-04:00"])
    waiting_period: str | None = OutputField(example_values=["7 full business days"])
    sent_at: str | None = OutputField(example_values=["2026-03-20T10:00:00-04:00"])
    missing_facts: list[str]
    basis: str = OutputField(example_values=["Cal. Civ. Code § 1798.82(a)"])


class DecisionOutput(ActionOutput):
    jurisdiction: str = OutputField(
        example_values=["US-CA", "EU-GDPR", "contract"], column_name="Jurisdiction"
    )
    status: str = OutputField(
        example_values=["breach", "not_breach", "undetermined", "contractual"],
        column_name="Status",
    )
    missing_facts: list[str]
    obligations: list[ObligationOutput]


class AssessSummary(ActionOutput):
    breaches: int
    undetermined: int
    contract_duties: int
    next_due: str | None
    warnings: list[str]


def obligation(o: Obligation) -> ObligationOutput:
    """One owed duty: the fields every adapter gives a playbook
    (:func:`breachrules.views.exports.playbook.duty`); the decision names the law."""
    fields = duty(o)
    del fields["jurisdiction"]
    return ObligationOutput(**fields)


@app.action(
    name="assess incident",
    description="Assess an incident against every bundled breach-notification law",
    action_type="investigate",
    read_only=True,
    params_class=AssessParams,
    output_class=DecisionOutput,
    summary_type=AssessSummary,
    render_as="table",
)
def assess_incident(
    params: AssessParams, soar: SOARClient[AssessSummary], asset: Asset
) -> list[DecisionOutput]:
    """One decision per jurisdiction the incident reaches, with its live obligations."""
    try:
        document = parse_document(params.incident_json)
        if not isinstance(document, dict):
            raise ActionFailure("incident_json: expected a JSON object")
        incident = load_incident(document)
        codes = [c for c in params.jurisdictions.split(",") if c.strip()]
        selected = engine().jurisdiction_codes(codes, "jurisdictions") if codes else None
    except (InvalidIncident, ValueError) as exc:
        raise ActionFailure(f"invalid incident: {exc}") from None
    assessment = engine().assess(incident, jurisdictions=selected)
    live = owed(assessment)
    reached = [d for d in assessment.determinations if d.status != "not_applicable"]
    decisions = [
        DecisionOutput(
            jurisdiction=d.jurisdiction,
            status=d.status,
            missing_facts=list(d.missing_facts),
            obligations=[obligation(o) for o in live if o.jurisdiction == d.jurisdiction],
        )
        for d in reached
    ]
    # A law's duties relayed up a chain of providers (<id>@<party>) are among its own;
    # the duties under contracts between the parties are no law's: one more item.
    laws = {d.jurisdiction for d in reached}
    contract = [obligation(o) for o in live if o.jurisdiction not in laws]
    if contract:
        facts = sorted({f for o in contract for f in o.missing_facts})
        decisions.append(
            DecisionOutput(
                jurisdiction="contract",
                status="contractual",
                missing_facts=facts,
                obligations=contract,
            )
        )
    soar.set_summary(
        AssessSummary(
            breaches=sum(d.status == "breach" for d in reached),
            undetermined=sum(d.status == "undetermined" for d in reached),
            contract_duties=len(contract),
            next_due=next_due(live),
            warnings=list(assessment.warnings),
        )
    )
    soar.set_message(f"{len(reached)} jurisdictions assessed, {len(contract)} contract duties")
    return decisions


if __name__ == "__main__":
    app.cli()
