"""'Or when that notice is provided, whichever is sooner' (`deadline.or_when`).

Vermont's preliminary notice to the Attorney General is due "within 14 business days ...
of the data collector's discovery of the security breach or when the data collector
provides notice to consumers pursuant to this section, whichever is sooner" (9 V.S.A.
§ 2435(b)(3)(B)(i)). The consumer notice's recorded sending (`notices_sent`) ends the
period if it comes first; while that notice is not sent, the period stands and no fact
is missing. Expectations are worked by hand in the comments.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from breachrules import Engine, load_incident
from breachrules.io.serde import converter

from .conftest import EXAMPLE_LAW, incident_doc, law_problems

LAW = (
    EXAMPLE_LAW
    + """
holidays: {country: US}
obligations:
  - id: notify-individuals
    citation: Ex. Act s. 3
    recipient: individuals
    by: owner
    deadline: {text: within 45 days, from: discovery, days: 45}
  - id: notify-attorney-general
    citation: Ex. Act s. 4
    recipient: attorney_general
    by: owner
    deadline:
      text: within 14 business days of discovery or when consumers are notified, whichever is sooner
      from: discovery
      days: 14
      business_days: true
      or_when: "sent:notify-individuals"
  - id: notify-regulator
    citation: Ex. Act s. 5
    recipient: regulator
    by: owner
    law_enforcement_delay: Ex. Act s. 6
    deadline:
      text: without unreasonable delay, and no later than when consumers are notified
      or_when: "sent:notify-individuals"
"""
)

DISCOVERED = "2026-05-01T10:00:00-04:00"  # a Friday


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture(scope="module")
def law(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    folder: Path = tmp_path_factory.mktemp("sooner")
    (folder / "xx.yaml").write_text(LAW)
    return Engine(paths=[folder], bundled=False, backend="python")


def _doc(sent: str | None = None, **overrides: Any) -> dict[str, Any]:
    if sent is not None:
        overrides["notices_sent"] = {"XX:notify-individuals": sent}
    doc = incident_doc(discovered_at=DISCOVERED, **overrides)
    doc["exposures"][0]["residents"] = {"XX": 10}
    return doc


def _obligation(engine: Engine, doc: dict[str, Any], name: str) -> Any:
    (ob,) = [o for o in engine.assess(load_incident(doc)).obligations if o.id == f"XX:{name}"]
    return ob


def test_unsent_the_period_stands_and_nothing_is_missing(law: Engine) -> None:
    """Friday 1 May: 4-8, 11-15 and 18-20 May are 13 business days, Thursday 21 May the
    14th: due at its end. The consumer notice not sent is no missing fact."""
    ob = _obligation(law, _doc(), "notify-attorney-general")
    assert ob.status == "required"
    assert ob.due == _at("2026-05-21T23:59:59-04:00")
    assert ob.missing_facts == ()
    assert not any("notices_sent" in r.text for r in ob.reasons)


def test_consumers_notified_first_end_the_period(law: Engine) -> None:
    """Consumers notified Tuesday 12 May at 15:00, before 21 May: due then."""
    ob = _obligation(law, _doc("2026-05-12T15:00:00-04:00"), "notify-attorney-general")
    assert ob.due == _at("2026-05-12T15:00:00-04:00")
    assert ob.missing_facts == ()
    assert any(
        r.text.startswith("due 2026-05-12T15:00:00-04:00, when XX:notify-individuals was sent")
        for r in ob.reasons
    )


def test_consumers_notified_after_the_period_change_nothing(law: Engine) -> None:
    """Sent 22 May, after the 14 business days end (21 May): the period is sooner."""
    ob = _obligation(law, _doc("2026-05-22T09:00:00-04:00"), "notify-attorney-general")
    assert ob.due == _at("2026-05-21T23:59:59-04:00")
    assert not any("was sent" in r.text for r in ob.reasons)


def test_the_sending_is_given_in_the_incidents_offset(law: Engine) -> None:
    """Recorded in UTC (14:00Z = 10:00 at -04:00): due is the same moment, read at -04:00."""
    ob = _obligation(law, _doc("2026-05-05T14:00:00+00:00"), "notify-attorney-general")
    assert ob.due == _at("2026-05-05T10:00:00-04:00")
    assert ob.due.utcoffset() == _at(DISCOVERED).utcoffset()


def test_no_fixed_period_is_dated_by_the_sending(law: Engine) -> None:
    """ "Without unreasonable delay, and no later than when consumers are notified": no date
    until the consumer notice is sent (and nothing missing), then that moment."""
    ob = _obligation(law, _doc(), "notify-regulator")
    assert ob.due is None and ob.missing_facts == ()
    ob = _obligation(law, _doc("2026-05-12T15:00:00-04:00"), "notify-regulator")
    assert ob.due == _at("2026-05-12T15:00:00-04:00")


def test_a_delay_does_not_carry_past_the_sending(law: Engine) -> None:
    """Law enforcement asks for a delay until 1 June, but consumers were notified on
    12 May: "no later than when consumers are notified" sets the sooner moment."""
    doc = _doc(
        "2026-05-12T15:00:00-04:00",
        law_enforcement={"notified_at": None, "delay_requested_until": "2026-06-01T00:00:00-04:00"},
    )
    ob = _obligation(law, doc, "notify-regulator")
    assert ob.due == _at("2026-05-12T15:00:00-04:00")


@pytest.mark.parametrize(
    ("consumers", "ag", "status"),
    [
        # Consumers told 12 May 15:00, the AG 13 May: the sooner moment was 12 May: late.
        ("2026-05-12T15:00:00-04:00", "2026-05-13T09:00:00-04:00", "late"),
        # The AG told first, on 12 May at 14:00: on time.
        ("2026-05-12T15:00:00-04:00", "2026-05-12T14:00:00-04:00", "on_time"),
        # Consumers told 22 May, after the period (21 May): the AG on 20 May is on time.
        ("2026-05-22T09:00:00-04:00", "2026-05-20T09:00:00-04:00", "on_time"),
    ],
)
def test_the_compliance_report_dates_it_from_the_records(
    law: Engine, consumers: str, ag: str, status: str
) -> None:
    """The assessment predates both notices: the compliance report ends the period at
    the consumer notice's recorded sending where that is sooner."""
    from breachrules.audit.compliance import NoticeRecord, compliance

    assessment = law.assess(load_incident(_doc()))
    sent = [
        NoticeRecord("XX:notify-individuals", _at(consumers)),
        NoticeRecord("XX:notify-attorney-general", _at(ag)),
    ]
    (entry,) = [e for e in compliance(assessment, sent) if e.obligation_id.endswith("general")]
    assert entry.status == status
    assert entry.due == min(_at(consumers), _at("2026-05-21T23:59:59-04:00"))


def test_written_only_where_a_law_sets_it(law: Engine) -> None:
    """`deadline.or_when` appears only where the law sets one, so every other assessment
    reads and hashes as before; both writers agree."""
    assessment = law.assess(load_incident(_doc("2026-05-12T15:00:00-04:00")))
    doc = assessment.to_dict()
    by_id = {o["id"]: o for o in doc["obligations"]}
    assert by_id["XX:notify-attorney-general"]["deadline"]["or_when"] == "sent:notify-individuals"
    assert "or_when" not in by_id["XX:notify-individuals"]["deadline"]
    assert json.dumps(converter.unstructure(assessment), sort_keys=True) == json.dumps(
        doc, sort_keys=True
    )


def test_explain_names_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from breachrules.cli import main

    (tmp_path / "laws").mkdir()
    (tmp_path / "laws" / "xx.yaml").write_text(LAW)
    incident = tmp_path / "i.json"
    incident.write_text(json.dumps(_doc("2026-05-12T15:00:00-04:00")))
    base = ["--rulesets", str(tmp_path / "laws")]
    assert main([*base, "explain", str(incident), "XX:notify-attorney-general"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Or, if sooner, when notify-individuals is sent (notices_sent)." in out
    assert "due 2026-05-12T15:00:00-04:00, when XX:notify-individuals was sent" in out


def test_both_backends_agree(tmp_path: Path) -> None:
    pytest.importorskip("durable")
    (tmp_path / "xx.yaml").write_text(LAW)
    docs = [
        Engine(paths=[tmp_path], bundled=False, backend=backend)
        .assess(load_incident(_doc("2026-05-12T15:00:00-04:00")))
        .to_json()
        for backend in ("python", "durable")
    ]
    assert docs[0] == docs[1]


def test_the_compiled_law_cache_keeps_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Loaded twice, the second time from the cache: the same `or_when`."""
    from breachrules.law.loader import load_rulesets

    monkeypatch.setenv("BREACHRULES_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "laws").mkdir()
    (tmp_path / "laws" / "xx.yaml").write_text(LAW)
    first, second = (load_rulesets([tmp_path / "laws"], cache=True)[0] for _ in range(2))
    obs = [law.obligations for law in (first.laws[0], second.laws[0])]
    assert [ob.deadline.or_when for ob in obs[1]] == [ob.deadline.or_when for ob in obs[0]]
    assert obs[1][1].deadline.or_when == "sent:notify-individuals"
    assert first == second


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        (
            'or_when: "sent:notify-individuals"\n  - id: notify-regulator',
            'or_when: "sent:notify-individual"\n  - id: notify-regulator',
            "did you mean 'sent:notify-individuals'",
        ),
        (
            'or_when: "sent:notify-individuals"\n  - id: notify-regulator',
            "or_when: discovery\n  - id: notify-regulator",
            "does not match",
        ),
    ],
)
def test_a_bad_or_when_is_reported_with_its_line(
    tmp_path: Path, old: str, new: str, says: str
) -> None:
    problems = law_problems(tmp_path, LAW, old, new)
    assert any(says in p for p in problems), problems
