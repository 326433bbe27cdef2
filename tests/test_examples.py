"""The example incidents: each validates, and the README's table of outcomes is current."""

from __future__ import annotations

from breachrules import Engine, load_incident

from .conftest import EXAMPLES

TABLE_START = "| file | determinations |"


def outcomes_table(engine: Engine) -> str:
    """The README table: per example, each jurisdiction's status grouped by status."""
    lines = [TABLE_START, "|---|---|"]
    for path in sorted(EXAMPLES.glob("*.json")):
        a = engine.assess(load_incident(path))
        groups: dict[str, list[str]] = {}
        for d in a.determinations:
            groups.setdefault(d.status, []).append(d.jurisdiction)
        cells = [f"{status}: {', '.join(codes)}" for status, codes in sorted(groups.items())]
        lines.append(f"| `{path.name}` | {'; '.join(cells)} |")
    return "\n".join(lines) + "\n"


def test_examples_readme_outcomes_are_current(engine: Engine) -> None:
    """examples/incidents/README.md shows what the bundled rulesets decide for each file."""
    readme = (EXAMPLES / "README.md").read_text()
    assert outcomes_table(engine) in readme, (
        "regenerate the table with tests.test_examples.outcomes_table(Engine())"
    )


def test_multistate_example_reaches_every_state_it_names(engine: Engine) -> None:
    """The 31-jurisdiction example gets one determination per place of residence."""
    incident = load_incident(EXAMPLES / "multistate-ransomware.json")
    places = {p for e in incident.exposures for p in e.residents}
    assert len(places) >= 20
    a = engine.assess(incident)
    assert places <= {d.jurisdiction for d in a.determinations}


def test_multinational_saas_example_reaches_each_regime(engine: Engine) -> None:
    """The SaaS breach reaches the EU, UK, Canada, Quebec, Australia, Singapore, Brazil,
    Japan, several US states and HIPAA; obligations come with due dates to sort by."""
    a = engine.assess(load_incident(EXAMPLES / "multinational-saas-breach.json"))
    status = {d.jurisdiction: d.status for d in a.determinations}
    for code in ("EU-GDPR", "GB", "CA", "CA-QC", "AU", "SG", "BR", "JP", "US-HIPAA", "US-CA"):
        assert status.get(code) == "breach", code
    # Massachusetts does not count medical information as personal information.
    assert status["US-MA"] == "not_breach"
    # The business associate tells the covered entity; the processor tells the controller.
    assert a.obligation("US-HIPAA:notify-covered-entity").party == "ticketly"
    assert a.obligation("EU-GDPR:notify-controller").party == "ticketly"
    assert sum(o.due is not None for o in a.obligations) >= 10
