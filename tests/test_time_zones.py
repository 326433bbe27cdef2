"""Whose day a period ends on: the reporter's offset and the law's own time zone
(docs/deadlines.md, "Whose day").

Every expectation is worked by hand (the arithmetic is beside it), never copied from the
engine's output.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from breachrules import Assessment, Engine, load_incident
from breachrules.io.assessment_doc import assessment_document
from breachrules.io.serde import unstructure_assessment
from breachrules.law.calendars import due_at, zone_of
from breachrules.law.loader import bundled_paths, ruleset_files
from breachrules.law.ruleset import Counting, Deadline

from .conftest import EXAMPLE_LAW, ROOT, incident_doc, law_problems

EST = timezone(timedelta(hours=-5))
THIRTY = Deadline(text="within 30 days", days=30)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_a_law_east_of_the_reporter_ends_at_the_end_of_its_own_day() -> None:
    """Tokyo: discovery 2 March 09:00 -05:00 is 23:00 JST on 2 March; day 30 is 1 April;
    its end, 23:59:59+09:00, is 09:59:59 -05:00 on 1 April, before New York's end."""
    due = due_at(THIRTY, _at("2026-03-02T09:00:00-05:00"), EST, None, "Asia/Tokyo")
    assert due is not None and due.isoformat() == "2026-04-01T23:59:59+09:00"


def test_a_law_west_of_the_reporter_changes_nothing() -> None:
    """Los Angeles' 1 April ends three hours after New York's: the reporter's end stands,
    in the reporter's offset."""
    due = due_at(THIRTY, _at("2026-03-02T09:00:00-05:00"), EST, None, "America/Los_Angeles")
    assert due is not None and due.isoformat() == "2026-04-01T23:59:59-05:00"


def test_daylight_saving_time_moves_the_end_of_the_laws_day() -> None:
    """Discovered in winter time (-05:00) on 2 March; day 60 is 1 May, when New York
    keeps summer time: its day ends at 23:59:59-04:00, an hour before 23:59:59-05:00."""
    sixty = Deadline(text="within 60 days", days=60)
    due = due_at(sixty, _at("2026-03-02T10:00:00-05:00"), EST, None, "America/New_York")
    assert due is not None and due.isoformat() == "2026-05-01T23:59:59-04:00"
    # Without the law's zone, the fixed winter offset gave the later moment.
    own = due_at(sixty, _at("2026-03-02T10:00:00-05:00"), EST)
    assert own is not None and own - due == timedelta(hours=1)


def test_hours_do_not_depend_on_a_zone() -> None:
    """72 hours from the anchor's exact moment, wherever the law is."""
    hours = Deadline(text="72 hours", hours=72)
    due = due_at(hours, _at("2026-03-02T09:00:00-05:00"), EST, None, "Asia/Tokyo")
    assert due is not None and due.isoformat() == "2026-03-05T09:00:00-05:00"


def test_the_same_moment_keeps_its_anchors_offset() -> None:
    """'With the notice' (0 days) is the anchor's own moment: read in the offset it came in."""
    zero = Deadline(text="with the notice", days=0)
    anchor = _at("2026-05-01T23:59:59-04:00")
    due = due_at(zero, anchor, EST, None, "America/New_York")
    assert due is not None and due.isoformat() == "2026-05-01T23:59:59-04:00"


def test_same_time_endings_are_counted_in_both_zones_too() -> None:
    """Ending at the anchor's clock time: 2 March 09:00 -05:00 is 23:00 on 2 March in
    Tokyo; 30 days on, 1 April 23:00 +09:00 and 1 April 09:00 -05:00 are the same moment,
    so it is given in the anchor's offset."""
    same = Deadline(text="", days=30, counting=Counting(ends="same_time"))
    due = due_at(same, _at("2026-03-02T09:00:00-05:00"), EST, None, "Asia/Tokyo")
    assert due is not None and due == _at("2026-04-01T09:00:00-05:00")
    assert due.utcoffset() == timedelta(hours=-5)


def test_zone_of_knows_iana_names_only() -> None:
    assert zone_of("Asia/Tokyo") is not None
    assert zone_of("Asia/Tokio") is None
    assert zone_of("../etc/passwd") is None


# --- a ruleset's time_zone --------------------------------------------------------------

LAW = (
    EXAMPLE_LAW.replace(
        "last_reviewed: 2026-12-01\n", "last_reviewed: 2026-12-01\ntime_zone: Asia/Tokyo\n"
    )
    + """
obligations:
  - id: notify-regulator
    citation: Ex. Act s. 3
    recipient: regulator
    by: owner
    deadline: {text: within 30 days, from: discovery, days: 30}
"""
)


def test_a_misspelt_zone_is_refused_with_its_line_and_a_near_miss(tmp_path: Path) -> None:
    problems = law_problems(tmp_path, LAW, "Asia/Tokyo", "Asia/Tokio")
    assert len(problems) == 1
    assert problems[0].startswith("7: no time zone 'Asia/Tokio'")
    assert "did you mean 'Asia/Tokyo'?" in problems[0]


def _assess_law(tmp_path: Path, law: str) -> Assessment:
    """The example law alone, for a New York discovery of 10 of its people's SSNs."""
    (tmp_path / "xx.yaml").write_text(law)
    doc = incident_doc()
    doc["discovered_at"] = "2026-03-02T09:00:00-05:00"
    doc["exposures"][0]["residents"] = {"XX": 10}
    doc["exposures"][0]["elements"] = ["ssn"]
    return Engine(paths=[tmp_path], bundled=False).assess(load_incident(doc))


def test_the_obligation_names_its_zone_and_the_document_writes_it(tmp_path: Path) -> None:
    assessment = _assess_law(tmp_path, LAW)
    (ob,) = assessment.obligations
    assert ob.deadline.time_zone == "Asia/Tokyo"
    assert ob.due is not None and ob.due.isoformat() == "2026-04-01T23:59:59+09:00"
    written = assessment_document(assessment)
    assert written["obligations"][0]["deadline"]["time_zone"] == "Asia/Tokyo"
    assert unstructure_assessment(assessment) == written  # the converter writes the same


def test_without_a_zone_nothing_is_written(tmp_path: Path) -> None:
    assessment = _assess_law(tmp_path, LAW.replace("time_zone: Asia/Tokyo\n", ""))
    (ob,) = assessment.obligations
    assert ob.due is not None and ob.due.isoformat() == "2026-04-01T23:59:59-05:00"
    assert "time_zone" not in assessment_document(assessment)["obligations"][0]["deadline"]


@pytest.mark.parametrize(
    "path", ruleset_files(bundled_paths()[0]), ids=lambda p: p.name if p else "?"
)
def test_every_bundled_zone_is_a_real_zone(path: Path) -> None:
    """A bundled ruleset's zone is one the zone database knows (the loader refuses others;
    this names the file if the database in use lacks one)."""
    text = path.read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("time_zone:"):
            assert zone_of(line.split(":", 1)[1].split("#")[0].strip()) is not None


@pytest.mark.parametrize("legacy", ["EST", "EST5EDT", "CET"])
def test_a_legacy_zone_name_is_refused(tmp_path: Path, legacy: str) -> None:
    """EST is a fixed offset with no summer time: a law's day ends where its place's
    clock says, so the place's zone is asked for (a user test wrote EST and was not told)."""
    problems = law_problems(tmp_path, LAW, "Asia/Tokyo", legacy)
    assert len(problems) == 1 and "legacy zone name" in problems[0], problems


# --- the reporter's own zone (Incident.time_zone) ---------------------------------------


def _hipaa_doc(discovered: str, zone: str | None) -> dict[str, object]:
    doc = json.loads((ROOT / "examples" / "incidents" / "hipaa-small-breach.json").read_text())
    doc["discovered_at"] = discovered
    if zone is not None:
        doc["time_zone"] = zone
    return doc


def test_the_reporters_zone_applies_its_summer_time() -> None:
    """HIPAA names no zone (federal, several zones): a New York covered entity discovering
    on 2 March at 10:00 (EST, -05:00) has 60 days, to the end of 1 May, when New York
    keeps summer time. At the fixed winter offset that end is 23:59:59-05:00, 00:59:59 on
    2 May on the entity's own clock; with its zone given, 23:59:59-04:00."""
    engine = Engine()
    fixed = engine.assess(load_incident(_hipaa_doc("2026-03-02T10:00:00-05:00", None)))
    zoned = engine.assess(
        load_incident(_hipaa_doc("2026-03-02T10:00:00-05:00", "America/New_York"))
    )
    due_fixed = fixed.obligation("US-HIPAA:notify-individuals").due
    due_zoned = zoned.obligation("US-HIPAA:notify-individuals").due
    assert due_fixed is not None and due_fixed.isoformat() == "2026-05-01T23:59:59-05:00"
    assert due_zoned is not None and due_zoned.isoformat() == "2026-05-01T23:59:59-04:00"


def test_the_reporters_zone_must_match_the_offset_discovered_at_was_written_with() -> None:
    from breachrules import InvalidIncident

    with pytest.raises(InvalidIncident) as info:
        load_incident(_hipaa_doc("2026-03-02T10:00:00-05:00", "America/Chicago"))
    (problem,) = info.value.problems
    assert problem.path == "time_zone" and "UTC-06:00" in problem.reason
    with pytest.raises(InvalidIncident) as info:
        load_incident(_hipaa_doc("2026-03-02T10:00:00-05:00", "EST"))
    assert info.value.problems[0].path == "time_zone"


def test_without_the_reporters_zone_the_document_is_as_before() -> None:
    incident = load_incident(_hipaa_doc("2026-03-02T10:00:00-05:00", None))
    assert "time_zone" not in incident.to_dict()
    zoned = load_incident(_hipaa_doc("2026-03-02T10:00:00-05:00", "America/New_York"))
    assert zoned.to_dict()["time_zone"] == "America/New_York"
