"""Open now / next opening around midnight, weekends, holidays, exceptions and DST."""

from __future__ import annotations

import datetime as dt

import pytest

from silta.core.errors import Invalid
from silta.directory.hours import (
    Schedule,
    TimeRange,
    next_opening,
    ranges_on,
    status,
    validate_ranges,
)
from silta.workdays.calendar import HELSINKI

T = dt.time


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=HELSINKI)


def office(lunch: bool = True) -> Schedule:
    """Phone hours Mon-Fri 9-11 and 12-15 (lunch break), Thursday until 16."""
    day = (
        (TimeRange.of(T(9), T(11)), TimeRange.of(T(12), T(15)))
        if lunch
        else (TimeRange.of(T(9), T(15)),)
    )
    weekly = {weekday: day for weekday in range(5)}
    weekly[3] = (TimeRange.of(T(9), T(11)), TimeRange.of(T(12), T(16)))
    return Schedule(weekly=weekly)


EMERGENCY = Schedule(always_open=True)


def test_open_inside_range_with_closing_time() -> None:
    result = status(office(), at(2026, 11, 23, 10, 30))
    assert result.is_open and result.closes_at == at(2026, 11, 23, 11, 0)


def test_lunch_break_is_closed_and_reopens_same_day() -> None:
    result = status(office(), at(2026, 11, 23, 11, 30))
    assert not result.is_open and result.next_opens_at == at(2026, 11, 23, 12, 0)


def test_closing_minute_is_closed() -> None:
    assert not status(office(), at(2026, 11, 23, 15, 0)).is_open
    assert status(office(), at(2026, 11, 23, 14, 59)).is_open


def test_after_hours_opens_next_morning() -> None:
    assert next_opening(office(), at(2026, 11, 23, 18, 0)) == at(2026, 11, 24, 9, 0)


def test_just_before_and_after_midnight() -> None:
    assert next_opening(office(), at(2026, 11, 23, 23, 59)) == at(2026, 11, 24, 9, 0)
    assert next_opening(office(), at(2026, 11, 24, 0, 0)) == at(2026, 11, 24, 9, 0)


def test_weekend_opens_monday() -> None:
    result = status(office(), at(2026, 11, 21, 10, 0))  # Saturday
    assert not result.is_open and result.next_opens_at == at(2026, 11, 23, 9, 0)
    assert next_opening(office(), at(2026, 11, 20, 15, 30)) == at(2026, 11, 23, 9, 0)


def test_holidays_are_closed_christmas_to_new_year() -> None:
    # Christmas Eve (Thu), Christmas Day (Fri), then the weekend: next opening Mon 28 Dec.
    assert not status(office(), at(2026, 12, 24, 10, 0)).is_open
    assert next_opening(office(), at(2026, 12, 23, 16, 0)) == at(2026, 12, 28, 9, 0)
    # New Year's Day (Fri 1 Jan 2027) closed; next opening Mon 4 Jan.
    assert next_opening(office(), at(2026, 12, 31, 15, 30)) == at(2027, 1, 4, 9, 0)


def test_midsummer_eve_and_easter() -> None:
    assert not status(office(), at(2026, 6, 19, 10, 0)).is_open  # Midsummer Eve (Fri)
    assert next_opening(office(), at(2026, 4, 2, 17, 0)) == at(2026, 4, 7, 9, 0)


def test_date_exception_replaces_weekly_hours() -> None:
    short_day = {dt.date(2026, 11, 25): (TimeRange.of(T(9), T(12)),)}
    closed_day = {dt.date(2026, 11, 26): ()}
    schedule = Schedule(weekly=office().weekly, exceptions={**short_day, **closed_day})
    assert ranges_on(schedule, dt.date(2026, 11, 25)) == (TimeRange(540, 720),)
    assert not status(schedule, at(2026, 11, 25, 13, 0)).is_open
    assert next_opening(schedule, at(2026, 11, 25, 13, 0)) == at(2026, 11, 27, 9, 0)


def test_exception_can_open_on_a_holiday() -> None:
    schedule = Schedule(
        weekly=office().weekly, exceptions={dt.date(2026, 12, 24): (TimeRange.of(T(9), T(12)),)}
    )
    assert status(schedule, at(2026, 12, 24, 10, 0)).is_open


def test_emergency_services_always_open() -> None:
    for moment in [at(2026, 12, 24, 3, 0), at(2026, 6, 20, 23, 59), at(2026, 3, 29, 3, 30)]:
        result = status(EMERGENCY, moment)
        assert result.is_open and result.closes_at is None


def test_range_to_midnight_continues_next_day() -> None:
    weekly = {4: (TimeRange.of(T(16), None),), 5: (TimeRange.of(T(0), T(2)),)}
    result = status(Schedule(weekly=weekly), at(2026, 11, 20, 23, 0))
    assert result.is_open and result.closes_at == at(2026, 11, 21, 2, 0)


def test_dst_spring_forward_and_fall_back() -> None:
    # 29 Mar 2026 clocks go 03:00 -> 04:00; Monday hours are unaffected, wall clock kept.
    result = status(office(), at(2026, 3, 30, 9, 0))
    assert result.is_open and result.closes_at is not None
    assert result.closes_at.utcoffset() == dt.timedelta(hours=3)
    friday = next_opening(office(), at(2026, 3, 27, 16, 0))
    assert friday is not None and friday == at(2026, 3, 30, 9, 0)
    assert friday.astimezone(dt.UTC).hour == 6  # 09:00 EEST = 06:00 UTC
    # 25 Oct 2026 clocks go 04:00 -> 03:00; Monday 09:00 EET = 07:00 UTC.
    monday = next_opening(office(), at(2026, 10, 23, 16, 0))
    assert monday is not None
    assert monday.astimezone(dt.UTC).hour == 7


def test_utc_moment_is_read_in_helsinki_time() -> None:
    # 07:30 UTC on a winter Monday is 09:30 in Helsinki: open.
    assert status(office(), dt.datetime(2026, 11, 23, 7, 30, tzinfo=dt.UTC)).is_open


def test_never_open_has_no_next_opening() -> None:
    assert next_opening(Schedule(), at(2026, 11, 23, 9, 0)) is None


@pytest.mark.parametrize(
    ("ranges", "code"),
    [
        ([TimeRange.of(T(12), T(9))], "hours_inverted"),
        ([TimeRange.of(T(9), T(9))], "hours_inverted"),
        ([TimeRange.of(T(9), T(12)), TimeRange.of(T(11), T(15))], "hours_overlap"),
    ],
)
def test_bad_ranges_are_refused(ranges: list[TimeRange], code: str) -> None:
    with pytest.raises(Invalid) as excinfo:
        validate_ranges(ranges)
    assert excinfo.value.code == code


def test_touching_ranges_are_fine_and_sorted() -> None:
    ranges = [TimeRange.of(T(12), T(15)), TimeRange.of(T(9), T(12))]
    assert validate_ranges(ranges) == (TimeRange(540, 720), TimeRange(720, 900))
