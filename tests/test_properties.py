"""Properties every bundled ruleset should have, checked on generated incidents.

Each property says for which laws it holds and why; where a law departs from it, the
exception is written down with the statute reason, never silently dropped. Incidents
come from the shipped strategies (``breachrules.testing.strategies``), so the suite also proves
that every incident they draw is valid.

Hypothesis profiles: ``ci`` (derandomized, so CI runs are repeatable, and sized to keep
this file under a minute) is loaded by default; ``HYPOTHESIS_PROFILE=nightly`` runs
ten times as many examples with a random seed. Note that ``settings.load_profile`` is
process-wide: tests collected after this module that do not set their own settings
inherit the profile.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from breachrules import Assessment, Engine, Incident, load_incident
from breachrules import strategies as brst
from breachrules.engine import _durable
from breachrules.io.serde import load_assessment
from breachrules.law.calendars import end_of_day
from breachrules.law.loader import bundled_paths, load_rulesets
from breachrules.model.facts import CLASSIFICATION_FLAGS, Contract, Exposure, Finding, Party
from breachrules.model.vocabulary import DATA_ELEMENTS, PARTY_TYPES

settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "nightly",
    max_examples=1500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

_RANK = {"required": 2, "conditional": 1, "not_required": 0}

#: Incidents for the property suite: every bundled jurisdiction, every party type the
#: bundled rulesets govern, any fact possibly unknown. Counts are drawn small so that
#: the "more than 500 / 1,000" thresholds are crossed both ways by the added residents.
RULESET_PARTY_TYPES = sorted(
    {*PARTY_TYPES, *(t for r in load_rulesets(bundled_paths()) for t in r.party_types)}
)
incidents = brst.incidents(party_types=RULESET_PARTY_TYPES, max_count=3000)


def _ranks(a: Assessment) -> dict[str, int]:
    return {o.id: _RANK[o.status] for o in a.obligations}


def _with_exposure(incident: Incident, i: int, change: Callable[[Exposure], Exposure]) -> Incident:
    exposures = list(incident.exposures)
    exposures[i] = change(exposures[i])
    return attrs.evolve(incident, exposures=tuple(exposures))


def _no_session_left() -> None:
    assert _durable.live_sessions() == 0


# --- monotonicity ----------------------------------------------------------------------------

#: Obligations that *fewer* people switch on, so more people may switch them off.
#: 45 CFR 164.408(c): a breach of unsecured PHI involving fewer than 500 individuals is
#: logged and reported to the Secretary within 60 days of the end of the calendar year;
#: at 500 or more, 164.408(b) requires contemporaneous notice instead (the
#: notify-secretary obligation, which the same residents switch on). Found by scanning
#: every condition of every bundled ruleset for a head count in a decreasing position
#: (``lt``/``lte`` in a rule, ``gt``/``gte`` in an exception): this is the only one.
#: Anything that takes people *out* of a breach (encrypting one exposure) switches it on,
#: and anything that brings more people *into* one (a new element) may switch it off.
# The annual logs for breaches of fewer than 500 people: fewer people can raise them
# (45 CFR 164.408(c); 16 CFR 318.5(c), the FTC Health Breach Notification Rule's twin).
FEWER_THAN = {"US-HIPAA:notify-secretary-annual-log", "US-FTC-HBNR:notify-ftc-annual-log"}


@given(
    incidents,
    st.data(),
    st.integers(1, 5000),
)
def test_more_residents_never_removes_an_obligation(
    engine: Engine, incident: Incident, data: st.DataObject, extra: int
) -> None:
    """Adding affected residents (to an existing place or a new one) never lowers an
    obligation (required > conditional > not required or absent).

    Holds for every bundled law except the HIPAA annual log (see ``FEWER_THAN``): the
    thresholds are "more than N" (Cal. Civ. Code 1798.82(f) "more than 500", Fla. Stat.
    501.171(3) "500 or more", GDPR and the other laws without a head count), so more
    people can only switch a notice on, and a new place of residence only brings another
    law in. For the HIPAA annual log the property holds in the other direction, and
    ``test_hipaa_annual_log_gives_way_to_immediate_notice`` checks that the duty moves
    rather than disappears.
    """
    i = data.draw(st.integers(0, len(incident.exposures) - 1), label="exposure")
    place = data.draw(st.sampled_from(brst.DEFAULT_JURISDICTIONS), label="place")

    def add(e: Exposure) -> Exposure:
        residents = dict(e.residents)
        residents[place] = residents.get(place, 0) + extra
        return attrs.evolve(e, residents=residents)

    before = _ranks(engine.assess(incident))
    after = _ranks(engine.assess(_with_exposure(incident, i, add)))
    for ob_id, rank in before.items():
        if ob_id in FEWER_THAN:
            continue
        assert after.get(ob_id, 0) >= rank, (ob_id, rank, after.get(ob_id))
    _no_session_left()


def test_hipaa_annual_log_gives_way_to_immediate_notice(engine: Engine) -> None:
    """The one exception to the residents property: under 45 CFR 164.408(c) a breach of
    fewer than 500 is logged for the annual report; at 500 it is reported to HHS within 60
    days instead (164.408(b)). The duty to tell HHS never disappears, it changes form."""
    doc: dict[str, Any] = {
        "id": "hipaa-499",
        "discovered_at": "2026-03-02T14:30:00-05:00",
        "parties": [{"id": "clinic", "data_role": "owner", "types": ["hipaa_covered_entity"]}],
        "exposures": [
            {
                "elements": ["name", "medical"],
                "residents": {"US-TX": 499},
                "acquired": True,
                "encrypted": False,
            }
        ],
        "risk": {"hipaa_low_probability_of_compromise": False},
        "good_faith_insider": False,
    }
    small = engine.assess(load_incident(doc), jurisdictions=["US-HIPAA"])
    doc["exposures"][0]["residents"]["US-TX"] = 500
    large = engine.assess(load_incident(doc), jurisdictions=["US-HIPAA"])
    hhs_small = {o.id: o.status for o in small.obligations if o.recipient == "regulator"}
    hhs_large = {o.id: o.status for o in large.obligations if o.recipient == "regulator"}
    assert hhs_small["US-HIPAA:notify-secretary-annual-log"] == "required"
    assert hhs_large["US-HIPAA:notify-secretary-annual-log"] == "not_required"
    assert "required" in hhs_large.values()


@given(incidents, st.data())
def test_adding_an_element_never_removes_an_obligation(
    engine: Engine, incident: Incident, data: st.DataObject
) -> None:
    """Adding an exposed data element never lowers an obligation.

    Holds for every bundled law: every personal-information definition is a "name plus
    one of" or "any of" combination (more elements only satisfy more combinations), and no
    exception or obligation condition is satisfied by an element being *absent*. (Data
    that is only e-mail or only contact details is not an exception in any bundled law;
    it simply fails the definition.) A scan of every condition confirms that no element
    test sits in a negative position.

    Exception (``FEWER_THAN``): an element can bring a group of people *into* a breach
    (``name`` added to ``criminal`` makes it PHI), and when that takes a HIPAA breach to
    500 or more, the annual log of 45 CFR 164.408(c) gives way to the 60-day report of
    164.408(b). Found by this property (nightly profile): 500 people whose record gained
    a name.
    """
    i = data.draw(st.integers(0, len(incident.exposures) - 1), label="exposure")
    word = data.draw(st.sampled_from(DATA_ELEMENTS), label="element")

    def add(e: Exposure) -> Exposure:
        return attrs.evolve(e, elements=tuple(dict.fromkeys((*e.elements, word))))

    before = _ranks(engine.assess(incident))
    after = _ranks(engine.assess(_with_exposure(incident, i, add)))
    for ob_id, rank in before.items():
        if ob_id in FEWER_THAN:
            continue
        assert after.get(ob_id, 0) >= rank, (ob_id, rank, after.get(ob_id))


@given(incidents, st.data())
def test_safe_encryption_never_adds_an_obligation(
    engine: Engine, incident: Incident, data: st.DataObject
) -> None:
    """Encrypting an exposure's data, with the key not compromised, never raises an
    obligation.

    Holds for every bundled law: encryption appears only in safe-harbor exceptions
    (``encrypted: true, key_compromised: false``, e.g. Cal. Civ. Code 1798.82(a), 45 CFR
    164.402 "unsecured" PHI) or, in incident regimes, not at all; no rule requires data to
    be encrypted for a duty to arise. At the incident level, ``encrypted`` holds only if
    every affected exposure is encrypted, so one exposure's encryption cannot switch on
    a condition either.

    Exception, the same as for residents (``FEWER_THAN``): encrypting one exposure takes
    its people out of the breach, and when that brings a HIPAA breach below 500 the
    annual-log report to the Secretary (45 CFR 164.408(c)) replaces the 60-day report of
    164.408(b). Found by this property: 176 + 324 people, one group encrypted.
    """
    i = data.draw(st.integers(0, len(incident.exposures) - 1), label="exposure")

    def encrypt(e: Exposure) -> Exposure:
        return attrs.evolve(e, encrypted=True, key_compromised=False)

    before = _ranks(engine.assess(incident))
    after = _ranks(engine.assess(_with_exposure(incident, i, encrypt)))
    for ob_id, rank in after.items():
        if ob_id in FEWER_THAN:
            continue
        assert rank <= before.get(ob_id, 0), (ob_id, before.get(ob_id), rank)


# --- learning facts --------------------------------------------------------------------------

_EXPOSURE_BOOLS = ("encrypted", "key_compromised", "acquired", "accessed")
_INCIDENT_BOOLS = ("good_faith_insider", "malicious")
_RISK = ("harm_likely", "hipaa_low_probability_of_compromise")


def _unknowns(incident: Incident) -> list[tuple[str, Any]]:
    """Every unknown fact of ``incident``: (field path, key to set it)."""
    out: list[tuple[str, Any]] = []
    for i, e in enumerate(incident.exposures):
        for name in _EXPOSURE_BOOLS:
            if getattr(e, name) is None:
                out.append((f"exposures[{i}].{name}", ("exposure", i, name)))
    for name in _INCIDENT_BOOLS:
        if getattr(incident, name) is None:
            out.append((name, ("incident", name)))
    for name in (*_RISK, "gdpr_risk"):
        if getattr(incident.risk, name) is None:
            out.append((f"risk.{name}", ("risk", name)))
    for name in CLASSIFICATION_FLAGS:
        if getattr(incident.classification, name) is None:
            out.append((f"classification.{name}", ("classification", name)))
    for i, p in enumerate(incident.parties):
        if p.offers_to is None:
            out.append((f"parties[{i}].offers_to", ("party", i)))
    return out


def _learn(incident: Incident, key: tuple[Any, ...], data: st.DataObject) -> Incident:
    """``incident`` with the unknown fact at ``key`` set to a drawn, consistent value."""
    kind = key[0]
    if kind == "exposure":
        _, i, name = key
        e = incident.exposures[i]
        value = data.draw(st.booleans(), label=name)
        if name == "encrypted" and value is False and e.key_compromised is True:
            value = True  # a compromised key means the data was encrypted
        if name == "key_compromised" and e.encrypted is False:
            value = False
        return _with_exposure(incident, i, lambda x: attrs.evolve(x, **{name: value}))
    if kind == "incident":
        return attrs.evolve(incident, **{key[1]: data.draw(st.booleans(), label=key[1])})
    if kind == "risk":
        values = (
            st.sampled_from(["none", "risk", "high"]) if key[1] == "gdpr_risk" else st.booleans()
        )
        risk = attrs.evolve(incident.risk, **{key[1]: data.draw(values, label=key[1])})
        return attrs.evolve(incident, risk=risk)
    if kind == "classification":
        value = data.draw(st.booleans(), label=key[1])
        return attrs.evolve(
            incident, classification=attrs.evolve(incident.classification, **{key[1]: value})
        )
    _, i = key
    offers = data.draw(st.sampled_from([(), ("EU",), ("US",), ("GB", "JP")]), label="offers_to")
    parties = list(incident.parties)
    parties[i] = attrs.evolve(parties[i], offers_to=offers)
    return attrs.evolve(incident, parties=tuple(parties))


@given(incidents, st.data())
def test_learning_an_unknown_fact_keeps_required(
    engine: Engine, incident: Incident, data: st.DataObject
) -> None:
    """Establishing one unknown fact never turns a ``required`` obligation into anything
    else, nor a ``not_required`` one into an owed one (Kleene monotonicity, one fact at a
    time: the engine names a fact as missing instead of guessing it).

    Holds for every bundled law. It found two engine bugs, since fixed and pinned by
    ``test_incident_regime_duty_waits_for_reach`` (a duty that needs no breach was
    ``required`` while the law's own reach was unknown) and
    ``test_fewer_than_threshold_with_no_certain_breach`` (a "fewer than" head count was
    decided in the widest world only).
    """
    unknown = _unknowns(incident)
    if not unknown:
        return
    path, key = data.draw(st.sampled_from(unknown), label="fact")
    before_a = engine.assess(incident)
    before = {o.id: o.status for o in before_a.obligations}
    after = {o.id: o.status for o in engine.assess(_learn(incident, key, data)).obligations}
    for ob_id, status in before.items():
        if status == "required":
            assert after.get(ob_id) == "required", (path, ob_id, after.get(ob_id))
        if status == "not_required":
            assert after.get(ob_id, "not_required") == "not_required", (path, ob_id)


def test_incident_regime_duty_waits_for_reach(engine: Engine) -> None:
    """NIS2 reaches an entity established outside the Union only if it offers services
    in the Union (Directive (EU) 2022/2555, Art. 26(3)). While ``offers_to`` is unknown
    the early warning of Art. 23(4)(a) may or may not be owed: it must be conditional,
    naming ``parties[0].offers_to``, not required (learning ``offers_to: []`` makes the
    law inapplicable and the duty disappears)."""
    doc: dict[str, Any] = {
        "id": "nis2-reach",
        "discovered_at": "2026-03-02T10:00:00+00:00",
        "parties": [
            {
                "id": "cloudco",
                "data_role": "owner",
                "types": ["nis2_essential_entity"],
                "established_in": ["US"],
                "offers_to": None,
            }
        ],
        "exposures": [
            {"elements": ["email"], "residents": {"DE": 100}, "acquired": True, "encrypted": False}
        ],
        "classification": {"significant": True},
    }
    a = engine.assess(load_incident(doc), jurisdictions=["EU-NIS2"])
    assert a.determination("EU-NIS2").missing_facts == ("parties[0].offers_to",)
    early = a.obligation("EU-NIS2:early-warning")
    assert early.status == "conditional", early.status
    assert "parties[0].offers_to" in early.missing_facts


def test_fewer_than_threshold_with_no_certain_breach(engine: Engine) -> None:
    """Two groups of patients, 600 and 100, each possibly breached (acquisition unknown).
    If only the 100 were breached, 45 CFR 164.408(c) (fewer than 500: the annual log)
    applies; if the 600 were, 164.408(b). The annual log must therefore be conditional on
    the acquisition facts, not ``not_required``; learning ``exposures[0].acquired:
    false`` otherwise turns a ``not_required`` into a ``conditional``."""
    exposure = {"elements": ["name", "medical"], "acquired": None, "accessed": False}
    doc: dict[str, Any] = {
        "id": "hipaa-two-groups",
        "discovered_at": "2026-03-02T14:30:00-05:00",
        "parties": [{"id": "clinic", "data_role": "owner", "types": ["hipaa_covered_entity"]}],
        "exposures": [
            {**exposure, "residents": {"US-TX": 600}, "encrypted": False},
            {**exposure, "residents": {"US-TX": 100}, "encrypted": False},
        ],
        "good_faith_insider": False,
        "risk": {"hipaa_low_probability_of_compromise": False},
    }
    a = engine.assess(load_incident(doc), jurisdictions=["US-HIPAA"])
    log = a.obligation("US-HIPAA:notify-secretary-annual-log")
    assert log.status == "conditional", log.status


def test_default_personal_information_rule_is_cited(engine: Engine) -> None:
    """NIS2 does not turn on personal data, so its ruleset has no personal-information
    rule; the reason the determination gives for that step must still cite something
    (the ruleset's own citation, or the Article that defines an incident)."""
    doc: dict[str, Any] = {
        "id": "nis2-cited",
        "discovered_at": "2026-03-02T10:00:00+00:00",
        "parties": [
            {
                "id": "operator",
                "data_role": "owner",
                "types": ["nis2_essential_entity"],
                "established_in": ["DE"],
            }
        ],
        "classification": {"significant": True},
    }
    d = engine.assess(load_incident(doc), jurisdictions=["EU-NIS2"]).determination("EU-NIS2")
    assert all(r.citation for r in d.reasons), [r.rule for r in d.reasons if not r.citation]


# --- deadlines, citations, determinism -------------------------------------------------------


def _anchor(incident: Incident, anchor: str) -> datetime | None:
    """The moment a deadline's ``from`` names, from the incident's own facts."""
    c = incident.classification
    tz = incident.discovered_at.tzinfo
    return {
        "discovery": incident.discovered_at,
        "breach_determination": incident.breach_determined_at,
        "materiality_determination": incident.materiality_determined_at,
        "ransom_payment": incident.ransom_paid_at,
        "classification": c.classified_at,
        "bank_determination": c.bank_determined_at,
        "nydfs_determination": c.nydfs_determined_at,
        "calendar_year_end": end_of_day(date(incident.discovered_at.year, 12, 31), tz),
    }.get(anchor)


@given(incidents)
def test_every_due_date_is_at_or_after_its_anchor(engine: Engine, incident: Incident) -> None:
    """No notice is due before the moment its clock starts, and (since every generated
    anchor is at or after discovery) none is due before discovery.

    Holds for every bundled law and every clock shape: hours run from the exact moment,
    days to the end of the last day, business days forward; a "but no later than" cap
    never cuts a clock short of its own start (DORA: Delegated Regulation (EU) 2025/301
    Art. 5(2)); a chained clock starts at the due date of the stage it follows; a
    law-enforcement delay only moves a due date later.
    """
    a = engine.assess(incident)
    by_id = {o.id: o for o in a.obligations}
    for ob in a.obligations:
        if ob.due is None:
            continue
        assert ob.due >= incident.discovered_at, (ob.id, ob.due)
        start: datetime | None
        if ob.deadline.from_.startswith("obligation:"):
            stage = by_id.get(f"{ob.jurisdiction}:{ob.deadline.from_.split(':', 1)[1]}")
            start = stage.due if stage else None
        elif ob.deadline.from_ == "notice_to_individuals":
            first = next(
                (
                    o
                    for o in a.obligations
                    if o.jurisdiction == ob.jurisdiction and o.recipient == "individuals"
                ),
                None,
            )
            start = first.due if first else None
        else:
            start = _anchor(incident, ob.deadline.from_)
            if start is None and ob.deadline.cap:
                start = _anchor(incident, ob.deadline.cap["from"])
        if start is not None:
            assert ob.due >= start, (ob.id, ob.deadline.from_, start, ob.due)


@given(incidents)
def test_every_decision_carries_a_citation(engine: Engine, incident: Incident) -> None:
    """Every determination reason and every obligation (its basis and each of its
    reasons) names the statute, regulation or contract it rests on.

    Holds for every bundled law. It found one gap, since fixed and pinned by
    ``test_default_personal_information_rule_is_cited``: the default rule of a ruleset
    without a ``personal_information`` block (EU-NIS2, EU-DORA) had an empty citation.
    Everything is cited because the loader requires ``citation`` on every rule, exception
    and obligation, and reach reasons fall back to the ruleset's citation."""
    a = engine.assess(incident)
    for d in a.determinations:
        assert d.reasons, d.jurisdiction
        for r in d.reasons:
            assert r.citation.strip(), (d.jurisdiction, r)
    for o in a.obligations:
        assert o.basis.strip(), o.id
        assert all(r.citation.strip() for r in o.reasons), o


@given(incidents)
def test_output_is_deterministic_and_round_trips(engine: Engine, incident: Incident) -> None:
    """The same incident gives byte-identical JSON, the incident document reads back to
    the same incident, and the assessment document reads back (``load_assessment``) to
    an assessment that writes the same bytes. Holds for every law: nothing in an
    assessment depends on the wall clock, hash order or the process."""
    assert load_incident(incident.to_dict()) == incident
    first = engine.assess(incident).to_json()
    second = engine.assess(load_incident(json.loads(json.dumps(incident.to_dict())))).to_json()
    assert first == second
    assert load_assessment(first).to_json() == first
    _no_session_left()


@given(incidents)
def test_no_session_is_left_alive(engine: Engine, incident: Incident) -> None:
    """Every assessment deletes its durable-rules sessions, for any incident and also
    when the caller's request fails (an unknown jurisdiction)."""
    engine.assess(incident)
    _no_session_left()
    with pytest.raises(Exception, match="no ruleset"):
        engine.assess(incident, jurisdictions=["US-CA", "XX-NONE"])
    _no_session_left()


# --- the shipped strategies --------------------------------------------------------------------


@given(brst.incidents())
def test_generated_incidents_are_valid(incident: Incident) -> None:
    """Every incident the default strategy draws passes ``load_incident`` unchanged."""
    assert load_incident(incident.to_dict()) == incident


@given(
    brst.incidents(
        jurisdictions=["US-CA", "DE"],
        elements=["name", "ssn"],
        party_types=["hipaa_covered_entity"],
        min_count=10,
        max_count=20,
        unknown=(),
        max_exposures=2,
    )
)
def test_strategies_follow_their_arguments(incident: Incident) -> None:
    """Arguments steer what is drawn: places, elements, types, counts, known facts."""
    assert 1 <= len(incident.exposures) <= 2
    for e in incident.exposures:
        assert set(e.residents) <= {"US-CA", "DE"}
        assert all(10 <= n <= 20 for n in e.residents.values())
        assert set(e.elements) <= {"name", "ssn"}
        assert None not in (e.encrypted, e.key_compromised, e.acquired, e.accessed)
    for p in incident.parties:
        assert set(p.types) <= {"hipaa_covered_entity"}
        assert p.offers_to is not None
        assert set(p.established_in) <= {"US-CA", "DE"}
    assert None not in (incident.good_faith_insider, incident.malicious, incident.risk.gdpr_risk)


@given(brst.incidents(breached_role="service_provider", contracts=True))
def test_processor_incidents_have_a_service_chain(incident: Incident) -> None:
    """``breached_role`` picks the breached party; a provider's chain ends at an owner
    and every contract names an owner and one of its providers."""
    assert incident.breached.data_role == "service_provider"
    assert incident.owner.data_role == "owner"
    ids = {p.id for p in incident.parties}
    for c in incident.contracts:
        assert {c.owner, c.provider} <= ids


@pytest.mark.parametrize(
    "strategy",
    [
        brst.residents(jurisdictions=["California"]),
        brst.residents(jurisdictions=[]),
        brst.residents(min_count=-1),
        brst.residents(min_count=5, max_count=2),
        brst.residents(jurisdictions=["US-CA"], min_size=2),
        brst.exposures(elements=["nmae"]),
        brst.exposures(elements="name"),
        brst.exposures(min_elements=0),
        brst.exposures(unknown=["discovered_at"]),
        brst.exposures(residents=brst.residents(), jurisdictions=["US-CA"]),
        brst.exposures(residents={"US-CA": 1}),  # type: ignore[arg-type]
        brst.parties(min_size=0),
        brst.parties(max_types=-1),
        brst.contracts(owner=""),
        brst.contracts(min_hours=10, max_hours=1),
        brst.incidents(breached_role="processor"),
        brst.incidents(unknown="encrypted"),
        brst.incidents(exposures=brst.exposures(), elements=["name"]),
        brst.incidents(min_exposures=2, max_exposures=1),
    ],
    ids=repr,
)
def test_bad_arguments_raise_invalid_argument(strategy: st.SearchStrategy[Any]) -> None:
    """Like Hypothesis's own strategies, a bad argument raises InvalidArgument when the
    strategy is first used, naming the argument."""

    @given(strategy)
    def draw(_: object) -> None:
        pass

    with pytest.raises(InvalidArgument):
        draw()


def test_setup_hook_registers_from_type() -> None:
    """After the entry-point hook, ``st.from_type`` draws valid fact objects."""
    brst._hypothesis_setup_hook()

    @given(
        st.from_type(Incident),
        st.from_type(Exposure),
        st.from_type(Party),
        st.from_type(Contract),
    )
    @settings(max_examples=20)
    def check(incident: Incident, exposure: Exposure, party: Party, contract: Contract) -> None:
        assert load_incident(incident.to_dict()) == incident
        single = attrs.evolve(
            incident, exposures=(exposure,), parties=(party,), contracts=(), breached_party=None
        )
        assert load_incident(single.to_dict()) == single
        assert isinstance(contract, Contract)

    check()


# --- facts, not conclusions ----------------------------------------------------------------


@given(incidents, st.data(), st.booleans())
def test_a_finding_for_one_law_changes_no_other_law(
    engine: Engine, incident: Incident, data: st.DataObject, harm: bool
) -> None:
    """A risk-of-harm finding recorded for one jurisdiction changes no other jurisdiction's
    determination, unless that jurisdiction declares its test to be in the same words
    (``risk_test.same_as``, cited in its ruleset): one law's finding never clears another's
    breach, nor makes it one."""
    before = engine.assess(incident)
    codes = [d.jurisdiction for d in before.determinations]
    if not codes:
        return
    code = data.draw(st.sampled_from(codes))
    finding = Finding(harm_likely=harm, in_writing=True, law_enforcement_consulted=True)
    risk = attrs.evolve(incident.risk, findings={**incident.risk.findings, code: finding})
    after = engine.assess(attrs.evolve(incident, risk=risk))
    sharing = {r.code for r in engine.rulesets if code in r.risk_test_same_as}
    for d_before, d_after in zip(before.determinations, after.determinations, strict=True):
        if d_before.jurisdiction in {code, *sharing}:
            continue
        assert d_after == d_before, (code, d_before.jurisdiction)


@given(incidents)
def test_a_bystander_never_receives_a_duty(engine: Engine, incident: Incident) -> None:
    """A party that is neither breached nor in the chain of the breached data (the
    breached party, each party it serves, the owner) never owes a notice, under any law.

    Holds for every bundled law. It found that a law applying by party type (HIPAA,
    GLBA, the banking rule, the SEC) was brought in by a party of that type anywhere in
    the incident: a not-breached covered entity made its neighbour's breach a HIPAA one.
    A law now binds only the parties of the chain it names (``engine/reach.py``)."""
    chain = {p.id for p in incident.chain}
    for ob in engine.assess(incident).obligations:
        if ob.status != "not_required":
            assert ob.party in chain, (ob.id, ob.party, sorted(chain))
