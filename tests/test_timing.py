"""Due dates: hours, calendar days, business days with public holidays."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from breachrules.law.calendars import add_business_days, due_at, is_business_day
from breachrules.law.ruleset import Deadline

EST = timezone(timedelta(hours=-5))
ANCHOR = datetime(2026, 3, 2, 14, 30, tzinfo=EST)


def test_hours_run_from_the_exact_moment() -> None:
    """72 hours after 14:30 on 2 March is 14:30 on 5 March."""
    assert due_at(Deadline("72h", hours=72), ANCHOR, EST) == datetime(
        2026, 3, 5, 14, 30, tzinfo=EST
    )


def test_calendar_days_end_at_the_last_second_of_the_day() -> None:
    """30 days from 2 March is the end of 1 April."""
    assert due_at(Deadline("30d", days=30), ANCHOR, EST) == datetime(
        2026, 4, 1, 23, 59, 59, tzinfo=EST
    )


def test_no_fixed_period_has_no_due_date() -> None:
    """'Without unreasonable delay' sets no due date."""
    assert due_at(Deadline("without unreasonable delay"), ANCHOR, EST) is None


def test_due_is_in_the_incident_offset() -> None:
    """An anchor given in UTC is counted in the incident's own offset."""
    utc_anchor = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)  # 21:00 on 2 March in EST
    assert due_at(Deadline("1d", days=1), utc_anchor, EST) == datetime(
        2026, 3, 3, 23, 59, 59, tzinfo=EST
    )


def test_business_days_skip_weekends() -> None:
    """Four business days after Thursday 5 March 2026 is Wednesday 11 March."""
    assert add_business_days(date(2026, 3, 5), 4, None) == date(2026, 3, 11)


def test_business_days_skip_federal_holidays() -> None:
    """Independence Day 2026 falls on a Saturday and is observed Friday 3 July."""
    assert not is_business_day(date(2026, 7, 3), ("US", None))
    assert add_business_days(date(2026, 7, 2), 1, ("US", None)) == date(2026, 7, 6)
    assert add_business_days(date(2026, 7, 2), 1, None) == date(2026, 7, 3)


def test_business_days_use_the_country_calendar() -> None:
    """Brazil's Tiradentes (21 April) is a holiday in Brazil but not in the US."""
    assert not is_business_day(date(2026, 4, 21), ("BR", None))
    assert is_business_day(date(2026, 4, 21), ("US", None))


def test_business_day_deadline_end_of_day() -> None:
    """A business-day deadline ends at the last second of its last business day."""
    deadline = Deadline("4 business days", days=4, business_days=True)
    anchor = datetime(2026, 7, 1, 10, 0, tzinfo=EST)
    assert due_at(deadline, anchor, EST, ("US", None)) == datetime(
        2026, 7, 8, 23, 59, 59, tzinfo=EST
    )
