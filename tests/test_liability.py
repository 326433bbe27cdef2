"""Shared liability and the notification plan: chains, contracts, tolling, plan exports."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from breachrules import Engine, load_incident
from breachrules.cli import main
from breachrules.io.serde import format_timestamp

from .conftest import EXAMPLES


def _party(pid: str, role: str, serves: str | None = None, **extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {"id": pid, "name": pid.title(), "data_role": role, **extra}
    if serves:
        doc["serves"] = serves
    return doc


def _incident(**overrides: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "schema_version": "1",
        "id": "LIAB-1",
        "discovered_at": "2026-03-02T09:00:00-05:00",
        "parties": [_party("acme", "owner", established_in=["US-TX"])],
        "exposures": [
            {
                "elements": ["name", "ssn"],
                "residents": {"US-TX": 300},
                "encrypted": False,
                "acquired": True,
                "accessed": True,
            }
        ],
        "risk": {"harm_likely": True, "gdpr_risk": "high"},
        "good_faith_insider": False,
    }
    doc.update(overrides)
    return doc


# --- a three-tier chain across GDPR and US states ----------------------------------------


@pytest.fixture(scope="module")
def chain(engine: Engine):
    doc = _incident(
        parties=[
            _party("shop", "owner", established_in=["DE"], offers_to=["EU", "US"]),
            _party("crm", "service_provider", "shop", established_in=["US-CA"]),
            _party("mailer", "service_provider", "crm", established_in=["US-TX"]),
        ],
        breached_party="mailer",
        exposures=[
            {
                "elements": ["name", "email", "ssn"],
                "residents": {"DE": 800, "US-CA": 700},
                "encrypted": False,
                "acquired": True,
                "accessed": True,
            }
        ],
        contracts=[
            {"id": "dpa-crm", "owner": "shop", "provider": "crm", "notify_owner_within_hours": 24},
            {
                "id": "sub-dpa",
                "owner": "crm",
                "provider": "mailer",
                "notify_owner_within_hours": 12,
                "costs_borne_by": "provider",
                "indemnity": True,
                "liability_cap": 250000,
            },
        ],
    )
    return engine.assess(load_incident(doc), jurisdictions=["EU-GDPR", "US-CA"])


def test_three_tier_chain_relays_each_duty_one_tier_up(chain) -> None:
    """GDPR Art. 33(2) and Cal. Civ. Code § 1798.82(b): the sub-processor tells the
    processor, which tells the controller; individual notice stays with the controller."""
    gdpr = chain.obligation("EU-GDPR:notify-controller")
    assert (gdpr.party, gdpr.recipient_party) == ("mailer", "crm")
    relay = chain.obligation("EU-GDPR:notify-controller@crm")
    assert (relay.party, relay.recipient_party, relay.status) == ("crm", "shop", "required")
    ca = chain.obligation("US-CA:notify-owner")
    assert (ca.party, ca.recipient_party) == ("mailer", "crm")
    assert chain.obligation("US-CA:notify-owner@crm").recipient_party == "shop"
    assert chain.obligation("US-CA:notify-individuals").party == "shop"
    assert chain.obligation("EU-GDPR:notify-supervisory-authority").party == "shop"


def test_contracts_at_each_tier_sit_beside_the_statute(chain) -> None:
    """Each tier's contract adds its own, stricter clock, side by side with the law's."""
    sub = chain.obligation("contract:sub-dpa:notify-owner")
    assert (sub.party, sub.recipient_party) == ("mailer", "crm")
    assert format_timestamp(sub.due) == "2026-03-02T21:00:00-05:00"
    top = chain.obligation("contract:dpa-crm:notify-owner")
    assert (top.party, top.recipient_party) == ("crm", "shop")
    assert format_timestamp(top.due) == "2026-03-03T09:00:00-05:00"


def test_liability_names_whom_each_party_notifies_and_who_pays(chain) -> None:
    """Cost-allocation clause with a cap: the sub-processor pays, up to 250,000."""
    by_party = {lia.party: lia for lia in chain.liability}
    assert "crm" in by_party["mailer"].notifies
    assert "shop" in by_party["crm"].notifies
    assert "individuals" in by_party["shop"].notifies
    mailer = by_party["mailer"]
    assert (mailer.bears_costs, mailer.indemnity, mailer.liability_cap) == (True, True, 250000)
    assert mailer.basis == "contract sub-dpa"


def test_plan_takes_the_stricter_deadline_per_recipient(chain) -> None:
    """One action per party notified up the chain, due at the contract's stricter time."""
    actions = {(a.party, a.title): a for a in chain.plan().actions}
    to_crm = actions[("mailer", "Notice to crm")]
    assert format_timestamp(to_crm.due) == "2026-03-02T21:00:00-05:00"
    assert set(to_crm.obligations) >= {
        "EU-GDPR:notify-controller",
        "US-CA:notify-owner",
        "contract:sub-dpa:notify-owner",
    }
    # Art. 33(2) and § 1798.82(b) fix no period: the contract is not "stricter" than a
    # deadline that does not exist, it sets the only fixed one.
    assert not any("stricter than" in n for n in to_crm.notes)
    assert any(
        n.startswith("contract sub-dpa sets a fixed period; the statutory duty has none")
        and "Art. 33(2)" in n
        for n in to_crm.notes
    )


def _emerald(**told: str | None) -> dict[str, Any]:
    """The user test's chain: nordlicht <- emerald <- rivet (breached), 24 hours each."""
    parties = [
        _party("nordlicht", "owner", established_in=["DE"], told_at=told.get("nordlicht")),
        _party("emerald", "service_provider", "nordlicht", established_in=["IE"]),
        _party("rivet", "service_provider", "emerald", established_in=["US"]),
    ]
    if told.get("emerald"):
        parties[1]["told_at"] = told["emerald"]
    return _incident(
        discovered_at="2026-11-30T09:00:00+00:00",
        parties=parties,
        breached_party="rivet",
        exposures=[
            {
                "elements": ["name", "email"],
                "residents": {"DE": 500},
                "encrypted": False,
                "acquired": True,
                "accessed": True,
            }
        ],
        contracts=[
            {
                "id": "dpa-em",
                "owner": "nordlicht",
                "provider": "emerald",
                "notify_owner_within_hours": 24,
            },
            {
                "id": "sub-rv",
                "owner": "emerald",
                "provider": "rivet",
                "notify_owner_within_hours": 24,
            },
        ],
    )


def test_a_contract_window_runs_from_the_providers_own_awareness(engine: Engine) -> None:
    """The breached sub-processor's 24 hours run from its discovery; the processor's from
    when the sub-processor told it (its told_at), not from a discovery it knew nothing of."""
    doc = _emerald(emerald="2026-11-30T15:00:00+00:00", nordlicht="2026-12-01T08:00:00+00:00")
    a = engine.assess(load_incident(doc), jurisdictions=["EU-GDPR"])
    sub = a.obligation("contract:sub-rv:notify-owner")
    assert format_timestamp(sub.due) == "2026-12-01T09:00:00+00:00"
    assert sub.deadline.from_ == "discovery"
    top = a.obligation("contract:dpa-em:notify-owner")
    assert format_timestamp(top.due) == "2026-12-01T15:00:00+00:00"
    assert top.deadline.from_ == "provider_awareness"
    assert top.deadline.text == "within 24 hours of emerald being told (contract dpa-em)"
    assert top.missing_facts == ()


def test_an_unknown_told_at_gives_the_earliest_lawful_date_and_names_it(engine: Engine) -> None:
    """Unknown told_at: counted from discovery, the earliest lawful date, saying so."""
    a = engine.assess(load_incident(_emerald()), jurisdictions=["EU-GDPR"])
    top = a.obligation("contract:dpa-em:notify-owner")
    assert format_timestamp(top.due) == "2026-12-01T09:00:00+00:00"
    assert "parties[1].told_at" in top.missing_facts
    assert any(
        r.text.startswith("parties[1].told_at not known: the earliest lawful due date")
        for r in top.reasons
    )


# --- a BAA that shortens HIPAA's 60 days and keeps individual notice with the CE ---------


def _hipaa(contract: dict[str, Any]) -> Any:
    return _incident(
        discovered_at="2026-11-20T10:00:00-05:00",
        parties=[
            _party("clinic", "owner", types=["hipaa_covered_entity"], established_in=["US-NY"]),
            _party(
                "billing",
                "service_provider",
                "clinic",
                types=["hipaa_business_associate"],
                established_in=["US-NY"],
            ),
        ],
        breached_party="billing",
        exposures=[
            {
                "elements": ["name", "medical", "health_insurance"],
                "residents": {"US-NY": 120},
                "encrypted": False,
                "acquired": True,
                "accessed": True,
            }
        ],
        risk={"hipaa_low_probability_of_compromise": False, "harm_likely": True},
        contracts=[{"id": "baa", "owner": "clinic", "provider": "billing", **contract}],
    )


def test_baa_shortens_hipaa_window_to_five_business_days(engine: Engine) -> None:
    """45 CFR 164.410(b) allows 60 days; the BAA says 5 business days. Discovered Friday
    2026-11-20: Mon 23, Tue 24, Wed 25, (Thanksgiving Thu 26), Fri 27, Mon 30."""
    doc = _hipaa(
        {
            "notify_owner_within_days": 5,
            "notify_owner_business_days": True,
            "calendar": "US",
            "individual_notice_by": "owner",
        }
    )
    a = engine.assess(load_incident(doc), jurisdictions=["US-HIPAA"])
    statutory = a.obligation("US-HIPAA:notify-covered-entity")
    assert format_timestamp(statutory.due) == "2027-01-19T23:59:59-05:00"  # 60 days
    contract = a.obligation("contract:baa:notify-owner")
    assert format_timestamp(contract.due) == "2026-11-30T23:59:59-05:00"
    assert contract.deadline.calendar == "US"
    step = next(x for x in a.plan().actions if x.title == "Notice to clinic")
    assert step.due == contract.due
    # individual notice stays with the covered entity, which the BAA confirms
    assert a.obligation("US-HIPAA:notify-individuals").party == "clinic"
    assert a.obligation("US-HIPAA:notify-individuals").performed_by is None
    liab = {lia.party: lia for lia in a.liability}
    assert liab["clinic"].notifies_individuals and not liab["billing"].notifies_individuals


def test_contract_can_make_the_provider_send_the_letters(engine: Engine) -> None:
    """individual_notice_by: provider: the duty stays the CE's, the BA sends the letters."""
    a = engine.assess(
        load_incident(
            _hipaa({"notify_owner_within_hours": 48, "individual_notice_by": "provider"})
        ),
        jurisdictions=["US-HIPAA"],
    )
    notice = a.obligation("US-HIPAA:notify-individuals")
    assert (notice.party, notice.performed_by) == ("clinic", "billing")
    letter = next(x for x in a.plan().actions if x.recipient == "individuals")
    assert letter.party == "billing"
    assert any("sent by billing for clinic" in n for n in letter.notes)


def test_contract_days_and_hours_are_exclusive() -> None:
    """A contract gives its window in hours or in days, not both."""
    from breachrules import InvalidIncident

    doc = _hipaa({"notify_owner_within_hours": 48, "notify_owner_within_days": 5})
    with pytest.raises(InvalidIncident, match="hours or days"):
        load_incident(doc)


# --- tolling: a law-enforcement delay moves only the notices the law lets it move --------


def test_law_enforcement_delay_tolls_individual_notice_not_the_attorney_general(
    engine: Engine,
) -> None:
    """Tex. Bus. & Com. Code § 521.053(d) delays notice to individuals; § 521.053(i) notice
    to the Attorney General (250 or more Texans) runs 30 days from the determination."""
    doc = _incident(
        breach_determined_at="2026-03-05T12:00:00-06:00",
        law_enforcement={"delay_requested_until": "2026-06-30T00:00:00-05:00"},
    )
    a = engine.assess(load_incident(doc), jurisdictions=["US-TX"])
    individuals = a.obligation("US-TX:notify-individuals")
    assert format_timestamp(individuals.due) == "2026-06-30T00:00:00-05:00"
    assert any("delay until" in r.text for r in individuals.reasons)
    ag = a.obligation("US-TX:notify-attorney-general")
    assert format_timestamp(ag.due) == "2026-04-04T23:59:59-05:00"
    letter = next(x for x in a.plan().actions if x.recipient == "individuals")
    # Texas gives no period after the delay: due when it ends (not "the clock resumes",
    # which read as time left after it: UT12 F5)
    assert any("; it is due when the delay ends" in n for n in letter.notes)
    assert not any("clock resumes" in n for n in letter.notes)


@pytest.mark.parametrize(
    ("code", "words"),
    [("US-ME", "is then due within 7 business days of the agency's word")],
)
def test_a_delay_that_adds_a_period_is_not_said_to_end_the_clock(
    engine: Engine, code: str, words: str
) -> None:
    """Maine gives 7 business days after the agency's word (10 M.R.S. § 1348(3)): the
    plan's note says so, never "due when the delay ends" (UT12 F5)."""
    place = code
    doc = _incident(
        breach_determined_at="2026-03-05T12:00:00-06:00",
        law_enforcement={"delay_requested_until": "2026-06-30T00:00:00-05:00"},
    )
    doc["exposures"][0]["residents"] = {place: 1200}
    a = engine.assess(load_incident(doc), jurisdictions=[code])
    letter = next(x for x in a.plan().actions if x.recipient == "individuals")
    delay = [n for n in letter.notes if "law enforcement asked for a delay" in n]
    assert delay and words in delay[0], letter.notes
    assert "it is due when the delay ends" not in delay[0]
    assert "clock resumes" not in delay[0]  # which read as the period starting afresh


def test_overdue_after_due(engine: Engine) -> None:
    """An as_of after the due time marks the obligation and the plan action overdue."""
    doc = _incident(breach_determined_at="2026-03-05T12:00:00-06:00")
    a = engine.assess(
        load_incident(doc), as_of="2026-04-05T00:00:00-05:00", jurisdictions=["US-TX"]
    )
    assert a.obligation("US-TX:notify-attorney-general").overdue is True
    assert next(x for x in a.plan().actions if "Attorney General" in x.title).overdue is True


# --- SEC: four business days across a federal holiday and a weekend ----------------------


def test_sec_deadline_spans_thanksgiving_and_a_weekend(engine: Engine) -> None:
    """Form 8-K Item 1.05: four business days after the materiality determination on Wed
    2026-11-25: Fri 27 (Thanksgiving Thu 26 is a federal holiday), Mon 30, Tue 1, Wed 2."""
    doc = _incident(
        parties=[_party("corp", "owner", types=["sec_registrant"], established_in=["US-DE"])],
        materiality_determined_at="2026-11-25T16:00:00-05:00",
        discovered_at="2026-11-20T09:00:00-05:00",
        classification={"material": True},
    )
    a = engine.assess(load_incident(doc), jurisdictions=["US-SEC"])
    filing = a.obligation("US-SEC:file-form-8k")
    assert format_timestamp(filing.due) == "2026-12-02T23:59:59-05:00"
    assert filing.deadline.business_days and filing.deadline.calendar == "US"


# --- the plan of the multistate example: terminal, CSV, JSON, iCalendar -------------------


def test_multistate_plan_exports(engine: Engine) -> None:
    """The .ics parses with icalendar and has one VTODO per action, each dated one with
    its DUE, an undated one with none."""
    from icalendar import Calendar

    a = engine.assess(load_incident(EXAMPLES / "multistate-ransomware.json"))
    plan = a.plan()
    letters = [x for x in plan.actions if x.recipient == "individuals"]
    assert len(letters) == 1 and len(letters[0].jurisdictions) >= 20
    todos = Calendar.from_ical(plan.to_ics()).walk("VTODO")
    assert len(todos) == len(plan.actions)
    dated = [x.due is not None for x in plan.actions]
    assert [t.get("DUE") is not None for t in todos] == dated
    rows = list(csv.DictReader(io.StringIO(plan.to_csv())))
    assert len(rows) == len(plan.actions)
    assert json.loads(plan.to_json())["actions"][0]["key"] == plan.actions[0].key
    dues = [x.due for x in plan.actions if x.due is not None]
    assert dues == sorted(dues)


def test_cli_plan_formats(
    tmp_path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """breachrules plan prints a table, and writes csv/json/ics on request."""
    example = str(EXAMPLES / "multistate-ransomware.json")
    monkeypatch.setenv("COLUMNS", "200")  # wide enough that no title wraps
    assert main(["plan", example]) == 0
    assert "Letter to affected individuals" in capsys.readouterr().out
    out = tmp_path / "plan.ics"
    assert main(["plan", example, "--format", "ics", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"BEGIN:VCALENDAR")
