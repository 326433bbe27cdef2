"""A law-enforcement delay the statute grants only on a written request (legal spot audit
s11, F11): `longest: {days: 0, oral_only: true}`, an oral request delays nothing.

815 ILCS 530/10(b-5) (P.A. 94-947): "may be delayed if an appropriate law enforcement
agency determines that notification will interfere with a criminal investigation and
provides the data collector with a written request for the delay". Florida's (4)(b), as
summarised: "upon the written request of the law enforcement agency". Before, any request
moved Florida's 30-day date.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from breachrules import Engine, load_incident

from .conftest import EXAMPLE_LAW, incident_doc, law_problems

LAW = (
    EXAMPLE_LAW
    + """
obligations:
  - id: notify-individuals
    citation: Ex. Act s. 3
    recipient: individuals
    by: owner
    deadline: {text: within 30 days, from: discovery, days: 30}
    law_enforcement_delay:
      citation: Ex. Act s. 4
      ends: end_of_delay
      longest:
        from: due
        days: 0
        oral_only: true
        text: only a written request delays the notice
"""
)


@pytest.fixture(scope="module", params=["python", "durable"])
def law(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    folder: Path = tmp_path_factory.mktemp("written")
    (folder / "xx.yaml").write_text(LAW)
    return Engine(paths=[folder], bundled=False, backend=request.param)


def _notice(engine: Engine, in_writing: bool | None) -> Any:
    doc = incident_doc(
        exposures=[{"elements": ["ssn"], "residents": {"XX": 10}, "acquired": True}],
        law_enforcement={
            "notified_at": "2026-03-03T09:00:00-05:00",
            "delay_requested_until": "2026-05-10T12:00:00-05:00",
            "delay_in_writing": in_writing,
        },
    )
    a = engine.assess(load_incident(doc), jurisdictions=["XX"])
    return a.obligation("XX:notify-individuals")


def test_only_a_written_request_moves_the_date(law: Engine) -> None:
    """30 days from 2 March is 1 April; a written request until 10 May moves it there, an
    oral one does not, and one not recorded either way is read as oral and named."""
    written = _notice(law, True)
    assert (str(written.due), written.missing_facts) == ("2026-05-10 12:00:00-05:00", ())
    oral = _notice(law, False)
    assert (str(oral.due), oral.missing_facts) == ("2026-04-01 23:59:59-05:00", ())
    assert "only a written request delays the notice" in oral.reasons[-1].text
    unknown = _notice(law, None)
    assert str(unknown.due) == "2026-04-01 23:59:59-05:00"
    assert unknown.missing_facts == ("law_enforcement.delay_in_writing",)


def test_no_delay_at_all_is_only_for_a_written_request(tmp_path: Path) -> None:
    """`days: 0` caps every request at none unless it binds only an oral one: refused
    without `oral_only: true`."""
    problems = law_problems(tmp_path, LAW, "        oral_only: true\n", "")
    assert any("days: 0" in p and "oral_only: true" in p for p in problems), problems


def test_illinois_says_an_oral_request_delays_nothing() -> None:
    """530/10(b-5): no fixed period to move, so the reason says the law's condition."""
    engine = Engine(backend="python")
    for in_writing, said in ((False, "is oral"), (None, "is not recorded as in writing")):
        doc = incident_doc(
            parties=[{"id": "acme", "data_role": "owner", "established_in": ["US-IL"]}],
            exposures=[
                {
                    "elements": ["name", "ssn"],
                    "residents": {"US-IL": 1200},
                    "acquired": True,
                    "encrypted": False,
                }
            ],
            law_enforcement={
                "notified_at": "2026-03-03T09:00:00-05:00",
                "delay_requested_until": "2026-05-10T12:00:00-05:00",
                "delay_in_writing": in_writing,
            },
        )
        a = engine.assess(load_incident(doc), jurisdictions=["US-IL"])
        text = a.obligation("US-IL:notify-individuals").reasons[-1].text
        assert f"but the request {said}" in text
        assert "written request for the delay" in text
        assert "may wait until then" not in text
