"""An incident older than a ruleset's first encoded version (user test 3).

Discovered 2016-10-01 with residents of California and Texas: California's first encoded
version starts 2017-01-01. The law was silently left out (no determination, no warning),
so the warning "the laws of US-CA were read and none applies (see determinations ...)"
pointed at nothing. Now it is reported not applicable, with the reason and a warning,
as a law that does not govern the parties is.
"""

from __future__ import annotations

from typing import Any

from breachrules.engine import Engine
from breachrules.io.serde import load_incident

from .conftest import incident_doc


def _old(residents: dict[str, int]) -> dict[str, Any]:
    doc = incident_doc(discovered_at="2016-10-01T10:00:00-05:00")
    doc["exposures"][0]["residents"] = residents
    doc["parties"][0]["established_in"] = ["US-OH"]
    return doc


def test_a_law_not_encoded_for_the_day_is_named_with_its_reason(engine: Engine) -> None:
    a = engine.assess(load_incident(_old({"US-CA": 1000, "US-TX": 12000})))
    by_code = {d.jurisdiction: d for d in a.determinations}
    assert by_code["US-TX"].status == "breach"
    ca = by_code["US-CA"]
    assert ca.status == "not_applicable"
    text = ca.reasons[0].text
    assert "no encoded version of Cal. Civ. Code § 1798.82 covers 2016-10-01" in text
    assert "encodes the law from 2017-01-01" in text
    assert [w for w in a.warnings if w.startswith("US-CA: not assessed")]


def test_only_those_laws_say_so(engine: Engine) -> None:
    """A federal law of no version then, that governs none of the parties anyway, says
    that (as it does for a recent incident), without a warning."""
    a = engine.assess(load_incident(_old({"US-CA": 1000, "US-TX": 12000})))
    by_code = {d.jurisdiction: d for d in a.determinations}
    assert by_code["US-SEC"].reasons[0].text.startswith("no party is of a type")
    assert not [w for w in a.warnings if not w.startswith("US-CA: ")]


def test_no_law_for_the_day_names_the_law_in_both_warnings(engine: Engine) -> None:
    a = engine.assess(load_incident(_old({"US-CA": 1000})))
    assert [d.status for d in a.determinations if d.jurisdiction == "US-CA"] == ["not_applicable"]
    joined = " | ".join(a.warnings)
    assert "the laws of US-CA were read and none applies" in joined
    assert "US-CA: not assessed, because no encoded version" in joined


def test_asked_for_by_code_the_warning_says_why(engine: Engine) -> None:
    a = engine.assess(load_incident(_old({"US-CA": 1000})), jurisdictions=["US-CA"])
    joined = " | ".join(a.warnings)
    assert "none of the laws asked for (US-CA) applies to this incident" in joined
    assert "US-CA: not assessed, because no encoded version" in joined


def test_the_first_line_says_no_law_applies_when_each_law_says_why() -> None:
    """Every law read says why it does not apply (here California's, older than its first
    encoded version): the first line says no law *applies* and points at their reasons,
    not that none reaches the incident (a review of the user-test fixes)."""
    import io
    import json

    from breachrules import Engine, load_incident
    from breachrules.cli.table import print_table

    from .conftest import ROOT

    doc = json.loads((ROOT / "examples" / "incidents" / "multistate-ransomware.json").read_text())
    doc["discovered_at"] = "2004-01-02T10:00:00-05:00"
    doc["exposures"] = [
        {
            "elements": ["name", "ssn"],
            "residents": {"US-CA": 100},
            "acquired": True,
            "accessed": True,
            "encrypted": False,
        }
    ]
    incident = load_incident(doc)
    a = Engine().assess(incident)
    assert a.determinations and all(d.status == "not_applicable" for d in a.determinations)
    out = io.StringIO()
    print_table(a, incident, out)
    assert out.getvalue().startswith("No law applies to this incident: each says why")
