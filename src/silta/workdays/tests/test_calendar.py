"""Working-day rules (DOMAIN.md §3), tested at their edges."""

from __future__ import annotations

import datetime as dt

import pytest

from silta.workdays.calendar import (
    HELSINKI,
    add_working_days,
    effective_arrival,
    is_working_day,
    local_date,
    next_working_day,
    start_of_local_day,
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
        (D(2026, 4, 2), True),  # Maundy Thursday is a working day
        (D(2026, 6, 18), True),  # the day before Midsummer Eve
    ],
)
def test_is_working_day(day: dt.date, expected: bool) -> None:
    assert is_working_day(day) is expected


def test_domain_example_seventh_working_day() -> None:
    # DOMAIN.md §3: arrival Monday 2 Feb -> the 7th working day after is Wednesday 11 Feb.
    assert add_working_days(D(2026, 2, 2), 7) == D(2026, 2, 11)


def test_start_day_is_not_counted() -> None:
    assert add_working_days(D(2026, 11, 23), 1) == D(2026, 11, 24)
    assert add_working_days(D(2026, 11, 23), 0) == D(2026, 11, 23)


def test_weekend_arrival_counts_from_next_working_day() -> None:
    assert effective_arrival(D(2026, 11, 21)) == D(2026, 11, 23)
    # Arrival Saturday counts as Monday; 7 working days after Monday 23 Nov is Wed 2 Dec.
    assert add_working_days(D(2026, 11, 21), 7) == D(2026, 12, 2)


def test_holiday_arrival_and_christmas_span() -> None:
    # Arrival on Christmas Eve counts as Monday 28 Dec 2026; 7 working days skips New Year
    # and Epiphany: 29, 30, 31 Dec, 4, 5, 7, 8 Jan.
    assert add_working_days(D(2026, 12, 24), 7) == D(2027, 1, 8)


def test_easter_span() -> None:
    # Thursday 2 Apr 2026 + 7: skips Good Friday and Easter Monday.
    assert add_working_days(D(2026, 4, 2), 7) == D(2026, 4, 15)


def test_midsummer_span() -> None:
    assert add_working_days(D(2026, 6, 18), 1) == D(2026, 6, 22)


def test_next_working_day_over_long_weekend() -> None:
    assert next_working_day(D(2026, 4, 2)) == D(2026, 4, 7)


def test_negative_days_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        add_working_days(D(2026, 1, 1), -1)
    with pytest.raises(ValueError, match="negative"):
        working_days_ago(D(2026, 1, 1), -1)


@pytest.mark.parametrize("n", range(0, 30))
def test_between_inverts_add_over_a_year(n: int) -> None:
    start = D(2026, 1, 2)
    for offset in range(0, 366, 7):
        day = effective_arrival(start + dt.timedelta(days=offset))
        assert working_days_between(day, add_working_days(day, n)) == n


def test_between_is_antisymmetric() -> None:
    a, b = D(2026, 3, 2), D(2026, 3, 20)
    assert working_days_between(a, b) == 14
    assert working_days_between(b, a) == -14
    assert working_days_between(a, a) == 0


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (D(2026, 11, 25), 0, D(2026, 11, 25)),
        (D(2026, 11, 25), 2, D(2026, 11, 23)),
        (D(2026, 11, 23), 1, D(2026, 11, 20)),  # over the weekend, back to Friday
        (D(2026, 12, 28), 1, D(2026, 12, 23)),  # over Christmas
    ],
)
def test_working_days_ago(day: dt.date, n: int, expected: dt.date) -> None:
    assert working_days_ago(day, n) == expected
    assert working_days_between(expected, day) == n
    assert working_days_between(expected - dt.timedelta(days=1), day) > n


def test_local_date_uses_helsinki_time() -> None:
    # 23:30 in Helsinki on 23 Nov is 21:30 UTC: still 23 Nov.
    late = dt.datetime(2026, 11, 23, 21, 30, tzinfo=dt.UTC)
    assert local_date(late) == D(2026, 11, 23)
    # 22:30 UTC is 00:30 next day in Helsinki (winter, UTC+2).
    assert local_date(dt.datetime(2026, 11, 23, 22, 30, tzinfo=dt.UTC)) == D(2026, 11, 24)
    # Summer time: UTC+3.
    assert local_date(dt.datetime(2026, 6, 30, 21, 30, tzinfo=dt.UTC)) == D(2026, 7, 1)


def test_local_date_refuses_naive() -> None:
    with pytest.raises(ValueError, match="naive"):
        local_date(dt.datetime(2026, 1, 1))


def test_start_of_local_day_across_dst() -> None:
    # DST starts 29 Mar 2026 at 03:00 local; midnight is still UTC+2 that day.
    assert start_of_local_day(D(2026, 3, 29)).utcoffset() == dt.timedelta(hours=2)
    assert start_of_local_day(D(2026, 3, 30)).utcoffset() == dt.timedelta(hours=3)
    assert start_of_local_day(D(2026, 3, 30)).tzinfo == HELSINKI
