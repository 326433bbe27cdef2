"""Issue 21, engineer B's classes: a record is not a notice (every view), who is counted
(a threshold of persons, not residents), who is bound (a party type that is a status under
a law; an incident no law reaches), and periods set for some party types only.

Expectations come from the statutes cited in each test, never from engine output.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from breachrules import Engine, RulesetError, load_incident, load_ruleset
from breachrules.cli.table import print_table

from .conftest import incident_doc
from .test_loader import MINIMAL

# --- a record is not a notice (PIPEDA s. 10.3; Quebec P-39.1 s. 3.8) ---------------------

OPC = "Office of the Privacy Commissioner of Canada"


def _canada(harm: bool) -> dict[str, Any]:
    """A breach of security safeguards in Ontario; whether it creates a real risk of
    significant harm (s. 10.1(1)) is ``harm``. Without it only the s. 10.3 record is owed."""
    return incident_doc(
        discovered_at="2026-03-02T09:00:00-05:00",
        breach_determined_at="2026-03-03T09:00:00-05:00",
        parties=[{"id": "acme", "data_role": "owner", "established_in": ["CA-ON"]}],
        exposures=[
            {
                "elements": ["name", "email"],
                "residents": {"CA-ON": 1200},
                "acquired": True,
                "encrypted": False,
            }
        ],
        risk={"findings": {"CA": {"harm_likely": harm}}},
    )


def test_a_record_is_never_shown_as_a_notice(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No real risk of significant harm: no report to the Commissioner is due (s. 10.1(1)),
    only the record of s. 10.3. No view may say the Commissioner is to be notified."""
    incident = load_incident(_canada(harm=False))
    a = engine.assess(incident, jurisdictions=["CA"])
    record = a.obligation("CA:keep-breach-record")
    assert (record.status, record.kind, record.due) == ("required", "record", None)
    assert a.obligation("CA:report-to-commissioner").status == "not_required"
    assert a.to_dict()["obligations"][-1]["kind"] == "record"

    plan = a.plan()
    assert plan.first_line().startswith("Nothing to send")
    (action,) = plan.actions
    assert (action.kind, action.contacts) == ("record", ())
    assert "Notice to" not in action.title
    assert "Notice to" not in plan.to_table() and OPC not in plan.to_table()
    assert "asap" not in plan.to_table()  # a record with no date is not urgent to send
    ics = plan.to_ics(stamp=a.as_of).decode()
    assert "Notice to" not in ics and "Nothing is sent unless asked" in ics
    assert "Notice to" not in plan.to_csv()

    explained = a.explain("CA:keep-breach-record")
    assert "acme keeps this record (not a notice" in explained
    assert "notifies" not in explained and "How to reach" not in explained
    assert "What the record must contain" in explained

    out = io.StringIO()
    monkeypatch.setenv("COLUMNS", "120")  # wide enough that the who-column is one line
    print_table(a, incident, out)
    text = " ".join(out.getvalue().split())  # the table wraps its cells
    assert text.startswith("Nothing to send")
    assert f"to {OPC}" not in text and "regulator asap" not in text
    assert "acme keeps it (a record," in text and "record kept" in text
    assert "record asap" not in text

    html = a._repr_html_()
    assert "kept by the party, not a notice" in html
    assert all(OPC not in n for lia in a.liability for n in lia.notifies)


def test_with_a_real_risk_the_report_is_a_notice_and_the_record_stays_a_record(
    engine: Engine,
) -> None:
    """The control: s. 10.1(1) met, so the report is a notice to the Commissioner."""
    a = engine.assess(load_incident(_canada(harm=True)), jurisdictions=["CA"])
    plan = a.plan()
    titles = {act.kind: act.title for act in plan.actions}
    assert titles["record"] == "Keep a record of the breach (not a notice)"
    assert any(act.kind == "notice" and OPC in act.title for act in plan.actions)
    assert not plan.first_line().startswith("Nothing to send")
    assert "CA:keep-breach-record" not in plan.first_line()


def test_quebec_register_is_a_record_too(engine: Engine) -> None:
    """P-39.1 s. 3.8: every confidentiality incident goes in the register."""
    doc = _canada(harm=False)
    doc["exposures"][0]["residents"] = {"CA-QC": 50}
    doc["parties"][0]["established_in"] = ["CA-QC"]
    doc["risk"] = {"findings": {"CA-QC": {"harm_likely": False}}}
    a = engine.assess(load_incident(doc), jurisdictions=["CA-QC"])
    register = a.obligation("CA-QC:keep-incident-register")
    assert (register.status, register.kind) == ("required", "record")
    # s. 3.5 para. 2: the Commission may order the notice; an order is known to the
    # enterprise once made, so not given it reads false: nothing to send, nothing to ask.
    assert (
        a.plan().first_line()
        == "Nothing to send; Keep a record of the breach (not a notice) (acme)"
    )
    assert a.obligation("CA-QC:notify-persons-concerned").status == "not_required"
    doc["facts"] = {"CA-QC": {"commission_ordered_notice": False}}
    a = engine.assess(load_incident(doc), jurisdictions=["CA-QC"])
    assert a.plan().first_line().startswith("Nothing to send")


# --- who is counted (Tex. Bus. & Com. Code § 521.053(h)) --------------------------------


def test_persons_total_reads_every_place_and_the_evidence_shows_them(engine: Engine) -> None:
    """(h) counts persons notified, Texans or not: 6,000 + 4,001 = 10,001 > 10,000. The
    reason shows the residents of every place, because every place was counted."""
    doc = incident_doc(
        parties=[{"id": "acme", "data_role": "owner", "established_in": ["US-TX"]}],
        exposures=[
            {
                "elements": ["name", "ssn"],
                "residents": {"US-TX": 6000, "US-OK": 4001},
                "acquired": True,
                "encrypted": False,
            }
        ],
    )
    a = engine.assess(load_incident(doc), jurisdictions=["US-TX"])
    cras = a.obligation("US-TX:notify-cras")
    assert cras.status == "required"
    assert cras.reasons[0].facts["exposures[0].residents"] == {"US-OK": 4001, "US-TX": 6000}
    doc["exposures"][0]["residents"] = {"US-TX": 6000, "US-OK": 4000}
    a = engine.assess(load_incident(doc), jurisdictions=["US-TX"])
    assert a.obligation("US-TX:notify-cras").status == "not_required"


# --- who is bound --------------------------------------------------------------------------


def _registrant(established_in: list[str]) -> dict[str, Any]:
    return incident_doc(
        materiality_determined_at="2026-03-03T09:00:00-05:00",
        parties=[
            {
                "id": "issuer",
                "data_role": "owner",
                "types": ["sec_registrant"],
                "established_in": established_in,
            }
        ],
        exposures=[
            {
                "elements": ["name", "email"],
                "residents": {"DE": 100},
                "acquired": True,
                "encrypted": False,
            }
        ],
        classification={"material": True},
    )


def test_a_status_under_a_federal_law_brings_it_in_without_an_establishment(
    engine: Engine,
) -> None:
    """An SEC registrant files Form 8-K (Exchange Act §§ 13(a), 15(d)) wherever its
    affected people live; with no establishment given, the type alone brings the law in."""
    a = engine.assess(load_incident(_registrant([])))
    assert a.determination("US-SEC").status == "breach"
    assert a.obligation("US-SEC:file-form-8k").status == "required"
    reason = a.determination("US-SEC").reasons[0].text
    assert "sec_registrant" in reason and "establishment is not given" in reason


def test_a_given_establishment_outside_the_law_is_not_overridden(engine: Engine) -> None:
    """A party whose establishment is given and lies outside the US is left to the
    establishment and residence tests: nothing is assumed against the facts given."""
    a = engine.assess(load_incident(_registrant(["DE"])))
    assert "US-SEC" not in {d.jurisdiction for d in a.determinations}


def test_an_incident_no_law_reaches_says_why(engine: Engine) -> None:
    """Residents of a place no ruleset covers, no establishment, no party type: the empty
    result comes with a warning naming each reason, never silently."""
    doc = incident_doc(
        parties=[{"id": "acme", "data_role": "owner"}],
        exposures=[{"elements": ["name"], "residents": {"AQ": 10}, "acquired": True}],
    )
    a = engine.assess(load_incident(doc))
    assert not [d for d in a.determinations if d.status != "not_applicable"]
    (warning,) = [w for w in a.warnings if w.startswith("no law reaches")]
    assert "no loaded ruleset covers AQ" in warning
    assert "no party gives established_in" in warning
    assert "no party gives types" in warning
    out = io.StringIO()
    print_table(a, load_incident(doc), out)
    assert out.getvalue().startswith("No law reaches this incident: see the warning (on")
    assert "warning:" not in out.getvalue()  # said on standard error by the command line
    reached = engine.assess(load_incident(incident_doc()))
    assert not [w for w in reached.warnings if w.startswith("no law reaches")]


def test_no_residence_at_all_is_named(engine: Engine) -> None:
    doc = incident_doc(
        parties=[{"id": "acme", "data_role": "owner"}],
        exposures=[{"elements": ["name"], "residents": {}, "acquired": True}],
    )
    a = engine.assess(load_incident(doc))
    assert any("exposures[].residents" in w for w in a.warnings)


# --- periods for some party types (deadline variants) -------------------------------------

VARIANT = MINIMAL.replace("reaches: {residents: [XX-ZZ]}", "reaches: {residents: [US-TX]}").replace(
    "    deadline: {text: within 30 days, days: 30}\n",
    """    deadline:
      text: within 30 days
      days: 30
      variants:
        - {party_types: [xx_small], text: within 60 days, days: 60, citation: Ex. Code § 1(d)}
declares: {party_types: [xx_small]}
""",
)


def _load(tmp_path: Path, text: str) -> Any:
    file = tmp_path / "xx.yaml"
    file.write_text(text)
    return load_ruleset(file)


def _problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(RulesetError) as info:
        _load(tmp_path, text)
    return [f"{p.path} @{p.line}: {p.reason}" for p in info.value.problems]


def test_a_variant_replaces_the_period_for_its_party_type(tmp_path: Path) -> None:
    """A party of the variant's type gets its period; any other party the general one."""
    _load(tmp_path, VARIANT)
    engine = Engine(paths=[tmp_path], bundled=False)
    doc = incident_doc(
        discovered_at="2026-03-02T10:00:00-05:00",
        parties=[{"id": "acme", "data_role": "owner", "types": ["xx_small"]}],
        exposures=[{"elements": ["name", "ssn"], "residents": {"US-TX": 5}, "acquired": True}],
    )
    small = engine.assess(load_incident(doc)).obligation("US-XX:notify-individuals")
    assert (small.deadline.days, small.deadline.text) == (60, "within 60 days")
    assert small.due is not None and small.due.isoformat() == "2026-05-01T23:59:59-05:00"
    doc["parties"][0]["types"] = []
    other = engine.assess(load_incident(doc)).obligation("US-XX:notify-individuals")
    assert other.due is not None and other.due.isoformat() == "2026-04-01T23:59:59-05:00"


def test_variant_and_kind_problems_name_file_and_line(tmp_path: Path) -> None:
    unknown = VARIANT.replace("party_types: [xx_small], text", "party_types: [xx_smal], text")
    found = _problems(tmp_path, unknown)
    assert any("unknown party type 'xx_smal'" in p and "xx_small" in p for p in found), found
    assert all("@None" not in p for p in found)
    both = VARIANT.replace("days: 60, citation", "days: 60, hours: 2, citation")
    assert any("days or hours" in p for p in _problems(tmp_path, both))
    internal = MINIMAL.replace("recipient: individuals", "recipient: internal")
    assert any("kind: record or kind: assessment" in p for p in _problems(tmp_path, internal))
    by_type = MINIMAL.replace("reaches: {residents: [XX-ZZ]}", "reaches: {by_party_type: true}")
    assert any("applies_to.party_types" in p for p in _problems(tmp_path, by_type))
    bad_kind = MINIMAL.replace("recipient: individuals", "recipient: individuals\n    kind: memo")
    assert any("kind" in p for p in _problems(tmp_path, bad_kind))


@pytest.mark.parametrize(
    ("code", "types", "extra"),
    [
        # 45 CFR 160.103: a covered entity is one wherever its patients live.
        ("US-HIPAA", ["hipaa_covered_entity"], {}),
        # 12 CFR 53.2: a banking organization is one under the rule itself.
        ("US-BANK", ["bank"], {"classification": {"bank_notification_incident": True}}),
    ],
)
def test_federal_statuses_reach_without_an_establishment(
    engine: Engine, code: str, types: list[str], extra: dict[str, Any]
) -> None:
    """Both sides: the type with no establishment given brings the law in; the same party
    with a (non-US) establishment given does not."""
    doc = incident_doc(
        parties=[{"id": "p", "data_role": "owner", "types": types}],
        exposures=[
            {
                "elements": ["name", "medical"],
                "residents": {"CA-ON": 20},
                "acquired": True,
                "encrypted": False,
                "phi": True,
            }
        ],
        **extra,
    )
    reached = engine.assess(load_incident(doc))
    assert code in {d.jurisdiction for d in reached.determinations}
    assert reached.determination(code).status != "not_applicable"
    doc["parties"][0]["established_in"] = ["CA-ON"]
    placed = engine.assess(load_incident(doc))
    assert code not in {d.jurisdiction for d in placed.determinations}


def test_declared_party_type_words_are_known(engine: Engine) -> None:
    """A word a ruleset declares (BR's small processing agent) is not reported as a word
    no ruleset uses; a made-up word still is."""
    doc = incident_doc(
        parties=[
            {
                "id": "loja",
                "data_role": "owner",
                "established_in": ["BR"],
                "types": ["br_small_processing_agent", "br_tiny_agent"],
            }
        ],
        exposures=[{"elements": ["name"], "residents": {"BR": 5}, "acquired": True}],
    )
    warnings = engine.assess(load_incident(doc)).warnings
    assert not any("'br_small_processing_agent'" in w for w in warnings)
    assert any("'br_tiny_agent' is not a word any ruleset uses" in w for w in warnings)
