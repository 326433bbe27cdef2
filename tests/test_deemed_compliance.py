"""Who is bound: deemed compliance needs the entity's procedures, never its party type alone.

Many state laws excuse their notice for an entity that *maintains and follows* breach
procedures: its regulator's ("maintains procedures for a security breach pursuant to the
... guidelines established by its state or federal regulator", C.R.S. § 6-1-716(3)(b);
"subject to and in compliance with" the interagency guidance or HIPAA), or its own
("maintains its own notification procedures as part of an information security policy
... if it notifies ... in accordance with its policies"). Each such exception reads the
owner's facts (``parties[].regulator_procedures``; ``notice_procedures`` and
``notified_under_procedures``): met only when they are true, the notice owed when one is
false, and conditional, naming the fact, while it is unknown. The cases are drawn from
the rulesets themselves, so an exception that slips back to the party type alone fails.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from breachrules import Engine, load_incident

from .conftest import ROOT

#: The owner's facts an exception may read, by the condition word that reads them.
_FACTS = {
    "owner_regulator_procedures": "regulator_procedures",
    "owner_notice_procedures": "notice_procedures",
    "owner_notified_under_procedures": "notified_under_procedures",
}
#: Party types that bring a federal breach regime in, most telling first.
_TYPES = (
    "bank",
    "hipaa_covered_entity",
    "credit_union",
    "broker_dealer",
    "glba_financial_institution",
    "hipaa_business_associate",
)
#: Where the fact guards one branch only, the party types of that branch (Arizona's
#: GLBA limb is the type alone in its words; Washington's agency duty binds an agency).
_TYPES_OF = {
    "US-AZ": ["hipaa_covered_entity"],
    "US-WA:agency-notify-individuals": ["hipaa_covered_entity", "government_agency"],
    # West Virginia's CRA notice excuses a bank on its own GLBA ground (glba-cra-notice):
    # a credit union keeps the regulator's-procedures limb the one that decides.
    "US-WV:notify-cras": ["credit_union"],
}
#: Elements that keep an exception's other conditions met (Vermont's HIPAA clause is
#: limited to health information).
_ELEMENTS = {"US-VT": ["name", "medical"]}
#: A ruleset's own yes/no facts that an exception also reads (Oklahoma's HIPAA exemption
#: holds only once the Attorney General is given its notice), given true so that the
#: procedure fact alone decides; filled by ``_cases`` from the rulesets' ``declares``.
_RULESET_FACTS: dict[str, dict[str, bool]] = {}


def _walk(node: Any, path: tuple[str, ...] = ()) -> Any:
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, (*path, str(key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, (*path, str(i)))


def _words(node: Any) -> set[str]:
    """Every condition word and party type a ``when:`` names."""
    out: set[str] = set()
    for _, d in _walk({"w": node}):
        out.update(k for k in d if isinstance(k, str))
        for value in d.values():
            if isinstance(value, dict) and "any_of" in value:
                out.update(value["any_of"])
    return out


def _cases() -> list[Any]:
    cases = []
    for file in sorted((ROOT / "rulesets" / "us").glob("*.yaml")):
        doc = yaml.safe_load(file.read_text("utf-8"))
        declared = {
            name
            for name, fact in ((doc.get("declares") or {}).get("facts") or {}).items()
            if isinstance(fact, dict) and fact.get("type") == "bool"
        }
        params = {
            name: p["value"]
            for version in doc.get("versions") or []
            for name, p in (version.get("parameters") or {}).items()
            if isinstance(p, dict) and "value" in p
        }
        for ob in doc.get("obligations") or []:
            seen = set()
            for ex in ob.get("exceptions") or []:
                when = ex["when"]
                if isinstance(when, str) and when.startswith("$"):
                    when = params[when[1:]]
                words = _words(when)
                facts = sorted(_FACTS[w] for w in words if w in _FACTS)
                if not facts or (ob["id"], ex["id"]) in seen or ex.get("effective_to"):
                    continue  # an exception of a past version is tested in its scenarios
                seen.add((ob["id"], ex["id"]))
                for own in sorted(words & declared):
                    _RULESET_FACTS.setdefault(doc["code"], {})[own] = True
                types = _TYPES_OF.get(
                    f"{doc['code']}:{ob['id']}",
                    _TYPES_OF.get(doc["code"], [t for t in _TYPES if t in words][:1]),
                )
                cases.append(
                    pytest.param(
                        doc["code"],
                        ob["id"],
                        ex.get("effective_from"),
                        types,
                        "phi" in words,
                        facts,
                        id=f"{doc['code']}:{ob['id']}:{ex['id']}",
                    )
                )
    return cases


CASES = _cases()


def _incident(code: str, types: list[str], phi: bool, facts: dict[str, bool]) -> Any:
    place = code
    doc: dict[str, Any] = {
        "schema_version": "1",
        "id": "DEEMED-1",
        "discovered_at": "2026-03-02T14:30:00-05:00",
        "breach_determined_at": "2026-03-03T14:30:00-05:00",
        "parties": [
            {
                "id": "acme",
                "data_role": "owner",
                "types": types,
                "established_in": [place],
                # the other route stays closed, so that one fact decides
                "notice_procedures": False,
                "regulator_procedures": False,
                **facts,
            }
        ],
        "exposures": [
            {
                "elements": _ELEMENTS.get(code, ["name", "ssn"]),
                "residents": {place: 1200},
                "encrypted": False,
                "key_compromised": False,
                "acquired": True,
                "accessed": True,
                "phi": phi,
                "identity_theft_without_name": False,
            }
        ],
        "risk": {"harm_likely": True},
        "good_faith_insider": False,
        "malicious": True,
        "inadvertent_authorized_disclosure": False,
    }
    if code in _RULESET_FACTS:
        doc["facts"] = {code: dict(_RULESET_FACTS[code])}
    return load_incident(copy.deepcopy(doc))


def _status(engine: Engine, code: str, ob: str, incident: Any) -> tuple[str, tuple[str, ...]]:
    a = engine.assess(incident, as_of="2026-03-02T14:30:00-05:00", jurisdictions=[code])
    found = next(o for o in a.obligations if o.id == f"{code}:{ob}")
    return found.status, tuple(found.missing_facts)


def test_every_deemed_compliance_reads_a_fact() -> None:
    """The sweep found the exceptions of issue 21 (a guard against an empty table)."""
    codes = {c.values[0] for c in CASES}
    assert {"US-CO", "US-IN", "US-MN", "US-NJ", "US-SC", "US-MO", "US-MS"} <= codes
    assert len(CASES) >= 50


@pytest.mark.parametrize(("code", "ob", "since", "types", "phi", "facts"), CASES)
def test_deemed_compliance_needs_the_fact(
    engine: Engine,
    code: str,
    ob: str,
    since: str | None,
    types: list[str],
    phi: bool,
    facts: list[str],
) -> None:
    """True: the exception is met (not required); false: the duty stands; unknown:
    conditional, naming the fact on the owner's entry."""
    met = _status(engine, code, ob, _incident(code, types, phi, dict.fromkeys(facts, True)))
    assert met[0] == "not_required", met
    for fact in facts:
        others = {f: True for f in facts if f != fact}
        unmet = _status(engine, code, ob, _incident(code, types, phi, {**others, fact: False}))
        assert unmet[0] == "required", (fact, unmet)
        doc_facts: dict[str, Any] = {**others, fact: None}
        open_ = _status(engine, code, ob, _incident(code, types, phi, doc_facts))
        assert open_[0] == "conditional", (fact, open_)
        assert f"parties[0].{fact}" in open_[1], (fact, open_)


def test_colorado_keeps_its_thirty_days_for_a_regulated_entity(engine: Engine) -> None:
    """C.R.S. § 6-1-716(3)(b): "the law or regulation with the shortest time frame for
    notice to the individual controls". A HIPAA covered entity following HHS's procedures
    (60 days) still owes Colorado residents notice within 30 days of the determination."""
    incident = _incident("US-CO", ["hipaa_covered_entity"], True, {"regulator_procedures": True})
    a = engine.assess(incident, as_of="2026-03-02T14:30:00-05:00", jurisdictions=["US-CO"])
    ob = next(o for o in a.obligations if o.id == "US-CO:notify-individuals")
    assert ob.status == "required"
    assert ob.due is not None and ob.due.date().isoformat() == "2026-04-02"
    cras = next(o for o in a.obligations if o.id == "US-CO:notify-cras")
    assert cras.status == "not_required"


def test_a_bank_in_indiana_whose_plan_is_silent_owes_the_disclosure(engine: Engine) -> None:
    """Ind. Code § 24-4.9-3-4(d) excuses a plan-keeper only "if its policy or plan provides
    for disclosure and it complies with that policy or plan": the type alone never does."""
    silent = _incident("US-IN", ["bank"], False, {"notice_procedures": False})
    assert _status(engine, "US-IN", "notify-individuals", silent)[0] == "required"
    # Its plan unknown and no notice under it recorded: the disclosure stays owed.
    unclaimed = _incident("US-IN", ["bank"], False, {"notice_procedures": None})
    assert _status(engine, "US-IN", "notify-individuals", unclaimed)[0] == "required"
    # It says it notifies under its plan, which is not known to provide for disclosure.
    unknown = _incident(
        "US-IN", ["bank"], False, {"notice_procedures": None, "notified_under_procedures": True}
    )
    status, missing = _status(engine, "US-IN", "notify-individuals", unknown)
    assert status == "conditional"
    assert "parties[0].notice_procedures" in missing


def test_an_own_procedure_safe_harbour_never_makes_a_silent_incident_conditional(
    engine: Engine,
) -> None:
    """Minn. Stat. § 325E.61 subd. 1(h) deems compliant an entity that "notifies subject persons
    in accordance with its policies": a way to give the notice. An incident that says
    nothing of the entity's procedures owes the law's notice (``required``), as before the
    safe harbour was encoded; only a party that says it notifies under its own procedures
    makes the notice turn on them."""
    for code in ("US-MN", "US-NJ", "US-NV"):
        silent = _incident(code, [], False, {"notice_procedures": None})
        assert _status(engine, code, "notify-individuals", silent)[0] == "required"
        claimed = _incident(
            code, [], False, {"notice_procedures": None, "notified_under_procedures": True}
        )
        assert _status(engine, code, "notify-individuals", claimed)[0] == "conditional"


def test_the_facts_round_trip_and_are_written_only_when_known() -> None:
    """``to_dict`` writes a party's procedure facts only when known, so an incident without
    them is the same document (and the same audit hashes) as before they existed."""
    plain = _incident("US-CO", [], False, {})
    doc = plain.to_dict()
    assert doc["parties"][0]["notice_procedures"] is False
    assert "notified_under_procedures" not in doc["parties"][0]
    assert load_incident(doc) == plain


def test_questions_ask_the_procedure_facts(engine: Engine) -> None:
    """``questions`` asks an unknown procedure fact as a yes/no question."""
    from breachrules.views.questions import open_questions

    incident = _incident(
        "US-MN", [], False, {"notice_procedures": None, "notified_under_procedures": True}
    )
    found = open_questions(engine, incident, "2026-03-02T14:30:00-05:00", ["US-MN"])
    asked = {q.fact: q for q in found.questions}
    question = asked["parties[0].notice_procedures"]
    assert [o.value for o in question.outcomes] == [True, False]


def test_the_schema_describes_the_facts() -> None:
    from breachrules.io.schema import json_schema
    from breachrules.model.facts import Incident

    schema = json_schema(Incident, "Incident")
    party = schema["$defs"]["Party"]["properties"]
    for name in ("notice_procedures", "notified_under_procedures", "regulator_procedures"):
        assert "description" in party[name], name


def test_identifiable_defaults_to_true_and_is_written_only_when_not() -> None:
    """``exposures[].identifiable``: omitted it is true (a notice is never excused until the
    identity is shown not to be establishable), and ``to_dict`` writes it only when not
    true, so an incident without it is the same document as before."""
    incident = _incident("ZA", [], False, {})
    assert incident.exposures[0].identifiable is True
    assert "identifiable" not in incident.to_dict()["exposures"][0]
    doc = incident.to_dict()
    doc["exposures"][0]["identifiable"] = False
    assert load_incident(doc).to_dict()["exposures"][0]["identifiable"] is False


@pytest.mark.parametrize(("code", "ob", "since", "types", "phi", "facts"), CASES)
def test_a_deemed_compliance_names_the_procedures_the_notice_goes_under(
    engine: Engine,
    code: str,
    ob: str,
    since: str | None,
    types: list[str],
    phi: bool,
    facts: list[str],
) -> None:
    """Deemed compliance replaces the law's notice with one under the procedures, it does
    not drop it: the excused obligation names the exception, its citation and whose
    procedures (the regulator's, or the party's own), and only while the exception holds."""
    incident = _incident(code, types, phi, dict.fromkeys(facts, True))
    a = engine.assess(incident, as_of="2026-03-02T14:30:00-05:00", jurisdictions=[code])
    found = next(o for o in a.obligations if o.id == f"{code}:{ob}")
    deemed = found.deemed_compliance
    assert deemed is not None, found.id
    assert deemed.exception.startswith(f"{code}:{ob}:")
    assert deemed.procedures == ("regulator" if "regulator_procedures" in facts else "own")
    assert deemed.citation in {r.citation for r in found.reasons}
    doc = a.to_dict()
    written = next(o for o in doc["obligations"] if o["id"] == found.id)
    assert written["deemed_compliance"]["procedures"] == deemed.procedures
    unmet = _incident(code, types, phi, {**dict.fromkeys(facts, True), facts[0]: False})
    b = engine.assess(unmet, as_of="2026-03-02T14:30:00-05:00", jurisdictions=[code])
    again = next(o for o in b.obligations if o.id == f"{code}:{ob}")
    assert again.deemed_compliance is None
    assert "deemed_compliance" not in next(
        o for o in b.to_dict()["obligations"] if o["id"] == found.id
    )


def test_a_type_alone_exemption_is_not_deemed_compliance(engine: Engine) -> None:
    """Vermont's § 2435(g) exempts a bank by its type ("shall be exempt from this
    section"): nothing is said to go out under procedures."""
    incident = _incident("US-VT", ["bank"], False, {"regulator_procedures": True})
    a = engine.assess(incident, as_of="2026-03-02T14:30:00-05:00", jurisdictions=["US-VT"])
    found = next(o for o in a.obligations if o.id == "US-VT:notify-individuals")
    assert found.status == "not_required" and found.deemed_compliance is None
