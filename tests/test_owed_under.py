"""The act a duty is owed under is data, not a guess (issue 21).

`explain` used to guess from a duty's id ("agency") or title ("A state agency's notice")
and its citation whether the duty sat under another statute than the ruleset's main law,
and guessed wrong both ways: Rhode Island's agency notice to the State Police under §
11-49.3-4, inside the ruleset's own §§ 11-49.3-1 to 11-49.3-6, was shown under a statute
of its own; a duty under another act whose id and title named no public body was shown
under the ruleset's law. Now an obligation names its act (`law: {name, citation}`), the
assessment carries it (`obligations[].law`, written only when set) and `explain` uses it,
falling back to the ruleset's law.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml

from breachrules import Engine
from breachrules.errors import BreachrulesError
from breachrules.io.serde import load_assessment, load_incident

from .conftest import ROOT

POLICY = ROOT / "examples" / "policies" / "acme.yaml"
INCIDENT = {
    "schema_version": "1",
    "id": "OWED-UNDER-01",
    "discovered_at": "2026-03-02T14:30:00-05:00",
    "parties": [
        {
            "id": "acme-retail",
            "data_role": "owner",
            "types": ["acme_group"],
            "established_in": ["US-NY"],
        },
    ],
    "exposures": [
        {
            "elements": ["name", "email"],
            "residents": {"US-NY": 900},
            "acquired": True,
            "encrypted": False,
        },
    ],
    "risk": {"findings": {"XX-ACME": {"harm_likely": True}}},
}


def _law(tmp_path: Path, law: dict[str, str] | None, **duty: str) -> Engine:
    """The tutorial's policy as a law (no ``kind: policy``) whose notice to individuals
    is a public body's duty under another act, with ``law:`` or without it."""
    doc = yaml.safe_load(POLICY.read_text())
    del doc["kind"]
    ob = next(o for o in doc["obligations"] if o["id"] == "notify-individuals")
    ob.update(duty)
    if law is not None:
        ob["law"] = law
    file = tmp_path / "acme.yaml"
    file.write_text(yaml.safe_dump(doc, sort_keys=False), "utf-8")
    return Engine([file], bundled=False)


OTHER = {"name": "Public Bodies Breach Act", "citation": "PBBA §§ 1-9"}


def test_a_duty_under_another_act_is_explained_under_it(tmp_path: Path) -> None:
    """Named by data, whatever the duty's id and title say: the act is the law applied to
    the duty, the breach steps stay the ruleset's, and the document carries it."""
    engine = _law(tmp_path, OTHER, citation="PBBA § 4(a)")
    a = engine.assess(load_incident(INCIDENT))
    text = " ".join(a.explain("XX-ACME:notify-individuals").split())
    assert "Law applied: Public Bodies Breach Act, PBBA §§ 1-9 (the act" in text
    assert "the duty above is owed under Public Bodies Breach Act, PBBA §§ 1-9" in text
    doc = a.to_dict()
    laws = {o["id"]: o.get("law") for o in doc["obligations"]}
    assert laws["XX-ACME:notify-individuals"] == OTHER
    assert "law" not in next(
        o for o in doc["obligations"] if o["id"] != "XX-ACME:notify-individuals"
    )
    assert load_assessment(json.loads(a.to_json())) == a
    owner = " ".join(a.explain("XX-ACME:notify-ciso").split())
    assert "Law applied: Acme Group incident-notification policy; ISP-7" in owner


def test_without_law_an_agency_duty_is_explained_under_the_rulesets_law(
    tmp_path: Path,
) -> None:
    """No guess from an agency's id, a public body's title or a citation to another
    section: without `law:` the ruleset's law is the law applied."""
    engine = _law(
        tmp_path,
        None,
        id="agency-notify-individuals",
        title="A state agency's notice to the people affected",
        citation="Other Act § 12(b)",
    )
    a = engine.assess(load_incident(INCIDENT))
    text = " ".join(a.explain("XX-ACME:agency-notify-individuals").split())
    assert "Law applied: Acme Group incident-notification policy; ISP-7" in text, text
    assert "owed under" not in text


def test_rhode_islands_agency_notice_is_under_the_rulesets_own_act(engine: Engine) -> None:
    """R.I. Gen. Laws § 11-49.3-4 lies inside the ruleset's §§ 11-49.3-1 to 11-49.3-6: the
    guess showed it as an act of its own."""
    ri = next(r for r in engine.rulesets if r.code == "US-RI")
    assert all(ob.law is None for law in ri.laws for ob in law.obligations)
    wa = next(r for r in engine.rulesets if r.code == "US-WA")
    owed = {ob.rule.id: ob.law for ob in wa.laws[-1].obligations}
    assert owed["US-WA:agency-notify-individuals"] is not None
    assert owed["US-WA:agency-notify-individuals"].citation == "RCW 42.56.590"
    assert owed["US-WA:notify-individuals"] is None


@pytest.mark.parametrize(
    "law", [{"name": "Public Bodies Breach Act"}, {**OTHER, "section": "4"}, "PBBA"]
)
def test_a_law_without_its_citation_or_with_more_is_refused(tmp_path: Path, law: object) -> None:
    with pytest.raises(BreachrulesError, match="law"):
        _law(tmp_path, copy.deepcopy(law))  # type: ignore[arg-type]
