"""Working-day rules (DOMAIN.md §3), tested at their edges.

Every due-date vector below is counted by hand in its comment: the arrival day is never
counted, and the first working day after it is working day 1, whatever day it arrived.
"""

from __future__ import annotations

import datetime as dt
import functools

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from silta.workdays.calendar import (
    FIRST_YEAR,
    HELSINKI,
    LAST_YEAR,
    CalendarRangeError,
    add_working_days,
    is_holiday,
    is_working_day,
    local_date,
    next_working_day,
    start_of_local_day,
    today,
    working_days_ago,
    working_days_between,
)

D = dt.date


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 1, 1), False),  # New Year's Day
        (D(2026, 1, 6), False),  # Epiphany
        (D(2026, 4, 3), False),  # Good Friday
        (D(2026, 4, 6), False),  # Easter Monday
        (D(2026, 5, 1), False),  # May Day
        (D(2026, 5, 14), False),  # Ascension Day
        (D(2026, 6, 19), False),  # Midsummer Eve (Friday 19-25 June)
        (D(2025, 6, 20), False),  # Midsummer Eve 2025
        (D(2026, 12, 7), True),  # Monday after Independence Day (Sunday 6 Dec)
        (D(2027, 12, 6), False),  # Independence Day on a Monday
        (D(2026, 12, 24), False),  # Christmas Eve
        (D(2026, 12, 25), False),
        (D(2025, 12, 26), False),  # Boxing Day on a Friday
        (D(2026, 12, 31), True),  # New Year's Eve is a working day
        (D(2026, 11, 21), False),  # Saturday is not a working day for deadlines
        (D(2026, 11, 22), False),  # Sunday
        (D(2026, 11, 23), True),  # an ordinary Monday
        (D(2026, 11, 27), True),  # an ordinary Friday
        (D(2026, 4, 2), True),  # Maundy Thursday is a working day
        (D(2026, 6, 18), True),  # the day before Midsummer Eve
        (D(2150, 12, 24), False),  # Christmas Eve after 2100 (today's rules projected)
        (D(2150, 12, 23), True),
    ],
)
def test_is_working_day(day: dt.date, expected: bool) -> None:
    assert is_working_day(day) is expected


def test_is_holiday_names_holidays_not_weekends() -> None:
    assert is_holiday(D(2026, 12, 24))
    assert is_holiday(D(2026, 6, 19))
    assert not is_holiday(D(2026, 11, 21))  # a plain Saturday
    assert not is_holiday(D(2026, 11, 23))


# (arrival, working days, due date): each counted by hand.
DUE_VECTORS = [
    # DOMAIN.md §3: Monday 2 Feb 2026; 3, 4, 5, 6 | 9, 10, 11 -> Wednesday 11 Feb.
    (D(2026, 2, 2), 7, D(2026, 2, 11)),
    # Friday 5 Mar 2027: Mon 8 (1), 9, 10, 11, 12 (5), Mon 15 (6), Tue 16 (7).
    (D(2027, 3, 5), 7, D(2027, 3, 16)),
    # Saturday 6 Mar 2027: the same count from Monday 8 (working day 1) -> Tuesday 16 Mar.
    (D(2027, 3, 6), 7, D(2027, 3, 16)),
    # Sunday 7 Mar 2027: likewise Tuesday 16 Mar, not Wednesday 17.
    (D(2027, 3, 7), 7, D(2027, 3, 16)),
    # Saturday 21 Nov 2026: Mon 23 (1) ... Fri 27 (5), Mon 30 (6), Tue 1 Dec (7).
    (D(2026, 11, 21), 7, D(2026, 12, 1)),
    # Weekday holiday, Epiphany Wednesday 6 Jan 2027: Thu 7 (1), Fri 8 (2), Mon 11 (3),
    # 12, 13, 14 (6), Fri 15 (7).
    (D(2027, 1, 6), 7, D(2027, 1, 15)),
    # May Day Friday 1 May 2026: Mon 4 (1) ... Fri 8 (5), Mon 11 (6), Tue 12 (7).
    (D(2026, 5, 1), 7, D(2026, 5, 12)),
    # Christmas Eve Thursday 24 Dec 2026: 25 Dec holiday, weekend, Mon 28 (1), 29, 30,
    # Thu 31 (4), 1 Jan holiday, weekend, Mon 4 (5), Tue 5 (6), 6 Jan holiday, Thu 7 (7).
    (D(2026, 12, 24), 7, D(2027, 1, 7)),
    # Midsummer Eve Friday 25 Jun 2027: Midsummer Day, Sunday, Mon 28 (1), 29, 30,
    # Thu 1 Jul (4), Fri 2 (5), Mon 5 (6), Tue 6 Jul (7).
    (D(2027, 6, 25), 7, D(2027, 7, 6)),
    # Midsummer Eve Friday 19 Jun 2026: Mon 22 (1) ... Fri 26 (5), Mon 29 (6), Tue 30 (7).
    (D(2026, 6, 19), 7, D(2026, 6, 30)),
    # Eve of the Easter weekend, Maundy Thursday 25 Mar 2027 (a working day): Good Friday,
    # weekend, Easter Monday, Tue 30 (1), Wed 31, Thu 1 Apr, Fri 2 (4), Mon 5, Tue 6,
    # Wed 7 Apr (7).
    (D(2027, 3, 25), 7, D(2027, 4, 7)),
    # Good Friday 26 Mar 2027 and Easter Saturday 27 Mar: the same Wednesday 7 Apr.
    (D(2027, 3, 26), 7, D(2027, 4, 7)),
    (D(2027, 3, 27), 7, D(2027, 4, 7)),
    # Eve of the Independence Day weekend, Friday 3 Dec 2027: weekend, Mon 6 holiday,
    # Tue 7 (1), 8, 9, Fri 10 (4), Mon 13 (5), Tue 14 (6), Wed 15 (7).
    (D(2027, 12, 3), 7, D(2027, 12, 15)),
    # Urgent, Totul 14 b § (the next working day): Saturday -> Monday, Friday -> Monday.
    (D(2026, 11, 21), 1, D(2026, 11, 23)),
    (D(2026, 11, 20), 1, D(2026, 11, 23)),
    # Ascension Day Thursday 6 May 2027 -> Friday 7 May.
    (D(2027, 5, 6), 1, D(2027, 5, 7)),
    # Thursday before Midsummer 2026 -> Monday 22 Jun (Midsummer Eve is no working day).
    (D(2026, 6, 18), 1, D(2026, 6, 22)),
    # Zero working days: the arrival day itself, whatever day it is.
    (D(2026, 11, 21), 0, D(2026, 11, 21)),
    (D(2026, 12, 24), 0, D(2026, 12, 24)),
    (D(2026, 11, 23), 0, D(2026, 11, 23)),
]


@pytest.mark.parametrize(("arrived", "days", "due"), DUE_VECTORS)
def test_due_date_counts_from_the_working_day_after_arrival(
    arrived: dt.date, days: int, due: dt.date
) -> None:
    assert add_working_days(arrived, days) == due
    assert working_days_between(arrived, due) == days


def test_weekend_arrival_is_not_moved_to_monday() -> None:
    """The old rule (Saturday counts as arriving Monday) gave one day too many."""
    friday, saturday, sunday, monday = (D(2027, 3, d) for d in (5, 6, 7, 8))
    assert add_working_days(saturday, 7) == add_working_days(friday, 7)
    assert add_working_days(sunday, 7) == add_working_days(friday, 7)
    assert add_working_days(monday, 7) == D(2027, 3, 17)


def test_start_day_is_not_counted() -> None:
    assert add_working_days(D(2026, 11, 23), 1) == D(2026, 11, 24)


def test_next_working_day_over_long_weekend() -> None:
    assert next_working_day(D(2026, 4, 2)) == D(2026, 4, 7)
    assert next_working_day(D(2026, 12, 23)) == D(2026, 12, 28)
    assert next_working_day(D(2026, 12, 31)) == D(2027, 1, 4)


def test_negative_days_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        add_working_days(D(2026, 1, 1), -1)
    with pytest.raises(ValueError, match="negative"):
        working_days_ago(D(2026, 1, 1), -1)


def test_between_is_antisymmetric() -> None:
    a, b = D(2026, 3, 2), D(2026, 3, 20)
    assert working_days_between(a, b) == 14
    assert working_days_between(b, a) == -14
    assert working_days_between(a, a) == 0


def test_between_counts_after_start_up_to_and_including_end() -> None:
    # (Fri 20 Nov, Mon 23 Nov]: only Monday.
    assert working_days_between(D(2026, 11, 20), D(2026, 11, 23)) == 1
    # (Sat 21 Nov, Sun 22 Nov]: nothing.
    assert working_days_between(D(2026, 11, 21), D(2026, 11, 22)) == 0
    # Across years: (Wed 30 Dec 2026, Mon 4 Jan 2027] = 31 Dec, 4 Jan.
    assert working_days_between(D(2026, 12, 30), D(2027, 1, 4)) == 2
    # The whole of 2027: 365 days, 104 weekend days and 8 weekday holidays (1 Jan, 6 Jan,
    # Good Friday, Easter Monday, Ascension, Midsummer Eve, 6 Dec, 24 Dec; May Day,
    # Christmas Day and Boxing Day fall on a weekend).
    assert working_days_between(D(2026, 12, 31), D(2027, 12, 31)) == 253


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (D(2026, 11, 25), 0, D(2026, 11, 25)),
        (D(2026, 11, 25), 2, D(2026, 11, 23)),
        (D(2026, 11, 23), 1, D(2026, 11, 20)),  # over the weekend, back to Friday
        (D(2026, 12, 28), 1, D(2026, 12, 23)),  # over Christmas
        # Over a weekday holiday: Friday 1 May 2026 is May Day.
        (D(2026, 5, 4), 1, D(2026, 4, 30)),
        (D(2026, 11, 21), 0, D(2026, 11, 20)),  # a Saturday with nothing to count
        (D(2027, 1, 4), 2, D(2026, 12, 30)),  # across the year
        # The year's first working day (1 Jan 2026 is New Year's Day): still this year.
        (D(2026, 1, 2), 0, D(2026, 1, 2)),
        (D(2026, 1, 5), 1, D(2026, 1, 2)),
        (D(2026, 1, 5), 2, D(2025, 12, 31)),
    ],
)
def test_working_days_ago(day: dt.date, n: int, expected: dt.date) -> None:
    assert working_days_ago(day, n) == expected
    assert working_days_between(expected, day) == n
    assert working_days_between(expected - dt.timedelta(days=1), day) > n


def test_dates_outside_the_calendar_raise_a_range_error() -> None:
    with pytest.raises(CalendarRangeError):
        add_working_days(D(9999, 12, 30), 7)
    with pytest.raises(CalendarRangeError):
        add_working_days(D(FIRST_YEAR - 1, 6, 1), 1)
    with pytest.raises(CalendarRangeError):
        working_days_ago(D(FIRST_YEAR, 1, 2), 5)
    with pytest.raises(CalendarRangeError):
        is_working_day(D(FIRST_YEAR - 1, 12, 31))
    # The first and last days that can be counted still are.
    assert add_working_days(D(9999, 12, 29), 1) == D(9999, 12, 30)
    assert LAST_YEAR == 9999
    assert is_working_day(D(FIRST_YEAR, 1, 3)) is (D(FIRST_YEAR, 1, 3).weekday() < 5)
    assert working_days_between(D(FIRST_YEAR, 1, 1), D(FIRST_YEAR, 1, 31)) > 0


def test_the_last_working_day_of_a_year_is_reached_within_that_year() -> None:
    # Thursday 31 Dec 2026 is the year's last working day; the next is Monday 4 Jan 2027.
    assert add_working_days(D(2026, 12, 30), 1) == D(2026, 12, 31)
    assert add_working_days(D(2026, 12, 23), 4) == D(2026, 12, 31)
    assert add_working_days(D(2026, 12, 30), 2) == D(2027, 1, 4)


# An independent reference: walk day by day with the holidays package itself.
@functools.cache
def _reference_holidays(year: int) -> holidays.HolidayBase:
    return holidays.Finland(years=year)


def _reference_is_working(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _reference_holidays(day.year)


def _reference_add(start: dt.date, n: int) -> dt.date:
    day = start
    while n:
        day += dt.timedelta(days=1)
        n -= _reference_is_working(day)
    return day


dates = st.dates(min_value=D(1990, 1, 1), max_value=D(2099, 6, 30))


@settings(deadline=None)
@given(start=dates, n=st.integers(min_value=0, max_value=40))
def test_add_matches_a_day_by_day_count(start: dt.date, n: int) -> None:
    due = add_working_days(start, n)
    assert due == _reference_add(start, n)
    assert working_days_between(start, due) == n
    if n:
        assert is_working_day(due)


@settings(deadline=None)
@given(a=dates, b=dates)
def test_between_matches_a_day_by_day_count(a: dt.date, b: dt.date) -> None:
    lo, hi = sorted((a, b))
    if (hi - lo).days > 800:
        hi = lo + dt.timedelta(days=800)
    expected = sum(
        _reference_is_working(lo + dt.timedelta(days=i)) for i in range(1, (hi - lo).days + 1)
    )
    assert working_days_between(lo, hi) == expected
    assert working_days_between(hi, lo) == -expected


@settings(deadline=None)
@given(day=dates, n=st.integers(min_value=0, max_value=30))
def test_working_days_ago_is_the_latest_working_day_n_before(day: dt.date, n: int) -> None:
    start = working_days_ago(day, n)
    assert is_working_day(start)
    assert working_days_between(start, day) == n
    assert working_days_between(start - dt.timedelta(days=1), day) > n


def test_local_date_uses_helsinki_time() -> None:
    # 23:30 in Helsinki on 23 Nov is 21:30 UTC: still 23 Nov.
    late = dt.datetime(2026, 11, 23, 21, 30, tzinfo=dt.UTC)
    assert local_date(late) == D(2026, 11, 23)
    # 22:30 UTC is 00:30 next day in Helsinki (winter, UTC+2).
    assert local_date(dt.datetime(2026, 11, 23, 22, 30, tzinfo=dt.UTC)) == D(2026, 11, 24)
    # Summer time: UTC+3.
    assert local_date(dt.datetime(2026, 6, 30, 21, 30, tzinfo=dt.UTC)) == D(2026, 7, 1)


def test_today_is_the_helsinki_date_of_now() -> None:
    # 22:30 UTC on 23 Nov is already 24 Nov in Helsinki.
    assert today(dt.datetime(2026, 11, 23, 22, 30, tzinfo=dt.UTC)) == D(2026, 11, 24)
    assert today(dt.datetime(2026, 11, 23, 21, 30, tzinfo=dt.UTC)) == D(2026, 11, 23)
    assert today() == dt.datetime.now(tz=HELSINKI).date()


def test_local_date_refuses_naive() -> None:
    with pytest.raises(ValueError, match="naive"):
        local_date(dt.datetime(2026, 1, 1))


def test_start_of_local_day_across_dst() -> None:
    # DST starts 29 Mar 2026 at 03:00 local; midnight is still UTC+2 that day.
    assert start_of_local_day(D(2026, 3, 29)).utcoffset() == dt.timedelta(hours=2)
    assert start_of_local_day(D(2026, 3, 30)).utcoffset() == dt.timedelta(hours=3)
    assert start_of_local_day(D(2026, 3, 30)).tzinfo == HELSINKI
