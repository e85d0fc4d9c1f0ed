"""Due dates from the rule table over the Finnish calendar (DOMAIN.md §2-3).

Every expected date below was counted by hand on a calendar: the arrival day is not
counted, whatever day it is (the first working day after it is working day 1: an arrival
on a weekend or holiday is due on the same day as one on the working day before it),
Saturdays are not working days, and zero working days is the arrival day itself.
Holidays used: 2026: 1.1 Thu, 6.1 Tue, Good Friday 3.4, Easter Monday 6.4, 1.5 Fri,
Ascension 14.5 Thu, Midsummer Eve 19.6 Fri, All Saints' Day 31.10 Sat, Independence Day
6.12 Sun, 24.12 Thu, 25.12 Fri, 26.12 Sat. 2027: 1.1 Fri, 6.1 Wed, Good Friday 26.3,
Easter Monday 29.3, 1.5 Sat, Ascension 6.5 Thu, Midsummer Eve 25.6 Fri, 6.12 Mon, 24.12 Fri.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from silta.referrals.deadlines import due_date, working_days_left
from silta.referrals.tests.helpers import Clock, at, send
from silta.workdays.calendar import (
    add_working_days,
    is_working_day,
    local_date,
    working_days_between,
)

D = dt.date
SEVEN = "totul_14a_decision"  # 7 working days, urgent 1
URGENT = "totul_14b_urgent"  # 1 working day either way
ZERO = "shl_36_assessment"  # 7 working days, urgent 0 (assessed at once)
REQUESTED = "requested_date"

VECTORS = [
    # (rule, arrival, urgent, expected due date)
    # Christmas and New Year 2026-2027
    (SEVEN, D(2026, 12, 23), False, D(2027, 1, 7)),  # 28,29,30,31 Dec, 4,5,7 Jan
    (SEVEN, D(2026, 12, 23), True, D(2026, 12, 28)),  # over 24-27 Dec
    (SEVEN, D(2026, 12, 22), False, D(2027, 1, 5)),
    (URGENT, D(2026, 12, 22), False, D(2026, 12, 23)),
    (SEVEN, D(2026, 12, 31), False, D(2027, 1, 13)),  # 1.1 Fri and 6.1 Wed skipped
    (URGENT, D(2026, 12, 31), True, D(2027, 1, 4)),
    (SEVEN, D(2025, 12, 31), False, D(2026, 1, 13)),  # 1.1 Thu and 6.1 Tue skipped
    (URGENT, D(2025, 12, 31), False, D(2026, 1, 2)),
    # Epiphany
    (URGENT, D(2026, 1, 5), False, D(2026, 1, 7)),
    (SEVEN, D(2026, 1, 5), False, D(2026, 1, 15)),
    # Easter 2026 and 2027
    (SEVEN, D(2026, 4, 2), False, D(2026, 4, 15)),
    (SEVEN, D(2026, 4, 2), True, D(2026, 4, 7)),
    (SEVEN, D(2026, 4, 3), False, D(2026, 4, 15)),  # Good Friday: Tue 7.4 is day 1
    (ZERO, D(2026, 4, 6), True, D(2026, 4, 6)),  # Easter Monday: at once, that day
    (URGENT, D(2027, 3, 25), False, D(2027, 3, 30)),
    (SEVEN, D(2027, 3, 25), False, D(2027, 4, 7)),
    (ZERO, D(2027, 3, 26), True, D(2027, 3, 26)),
    # May Day and Ascension
    (URGENT, D(2026, 4, 30), False, D(2026, 5, 4)),
    (SEVEN, D(2026, 4, 30), False, D(2026, 5, 12)),
    (URGENT, D(2026, 5, 13), False, D(2026, 5, 15)),
    (SEVEN, D(2026, 5, 13), False, D(2026, 5, 25)),
    (SEVEN, D(2027, 4, 30), False, D(2027, 5, 12)),  # 1.5 is a Saturday; 6.5 Ascension
    # Midsummer
    (URGENT, D(2026, 6, 18), False, D(2026, 6, 22)),
    (SEVEN, D(2026, 6, 18), False, D(2026, 6, 30)),
    (SEVEN, D(2027, 6, 24), True, D(2027, 6, 28)),
    # All Saints' Day on a Saturday changes nothing: an ordinary week
    (URGENT, D(2026, 10, 30), False, D(2026, 11, 2)),
    (SEVEN, D(2026, 10, 30), False, D(2026, 11, 10)),
    (SEVEN, D(2026, 10, 31), False, D(2026, 11, 10)),  # Saturday: Mon 2.11 is day 1
    # Independence Day on a Sunday (2026) and on a Monday (2027)
    (URGENT, D(2026, 12, 4), False, D(2026, 12, 7)),
    (SEVEN, D(2026, 12, 4), False, D(2026, 12, 15)),
    (URGENT, D(2027, 12, 3), False, D(2027, 12, 7)),
    (SEVEN, D(2027, 12, 3), False, D(2027, 12, 15)),
    # Christmas 2027 (24.12 Fri) and New Year 2028
    (URGENT, D(2027, 12, 23), False, D(2027, 12, 27)),
    (SEVEN, D(2027, 12, 23), False, D(2028, 1, 4)),
    # Ordinary weekends
    (SEVEN, D(2026, 2, 2), False, D(2026, 2, 11)),  # DOMAIN.md §3 example
    (SEVEN, D(2026, 11, 21), False, D(2026, 12, 1)),  # Saturday: as Friday 20.11
    (SEVEN, D(2026, 11, 22), True, D(2026, 11, 23)),  # Sunday, urgent: Monday
    (URGENT, D(2026, 11, 20), False, D(2026, 11, 23)),  # Friday -> Monday
    # Saturday 6.3.2027 and Sunday 7.3.2027: the same as Friday 5.3.2027 (DOMAIN.md §3)
    (SEVEN, D(2027, 3, 5), False, D(2027, 3, 16)),
    (SEVEN, D(2027, 3, 6), False, D(2027, 3, 16)),
    (SEVEN, D(2027, 3, 7), False, D(2027, 3, 16)),
    # Weekday holiday (Epiphany Wed 6.1.2027): Thu 7 (1), Fri 8, Mon 11 ... Fri 15 (7)
    (SEVEN, D(2027, 1, 6), False, D(2027, 1, 15)),
    # Christmas Eve Thu 24.12.2026: Mon 28 (1), 29, 30, 31, Mon 4 (5), Tue 5, Thu 7 (7)
    (SEVEN, D(2026, 12, 24), False, D(2027, 1, 7)),
    (SEVEN, D(2026, 12, 24), True, D(2026, 12, 28)),
    # Midsummer Eve Fri 25.6.2027: Mon 28 (1) ... Fri 2.7 (5), Mon 5 (6), Tue 6.7 (7)
    (SEVEN, D(2027, 6, 25), False, D(2027, 7, 6)),
    # Eve of a long weekend, Thu 25.3.2027 before Easter, and Easter Saturday 27.3
    (SEVEN, D(2027, 3, 27), False, D(2027, 4, 7)),
    # Zero working days: the arrival day itself, whatever day it is
    (ZERO, D(2026, 11, 23), True, D(2026, 11, 23)),
    (ZERO, D(2026, 11, 21), True, D(2026, 11, 21)),
    (ZERO, D(2026, 12, 24), True, D(2026, 12, 24)),
    (ZERO, D(2027, 1, 1), True, D(2027, 1, 1)),
    # Other rules of the table
    ("totul_14d_meeting", D(2026, 12, 23), True, D(2027, 1, 7)),  # urgent is 7 too
    ("totul_10a_assessment", D(2026, 6, 19), True, D(2026, 6, 19)),  # urgent 0: that day
    ("totul_15_consider", D(2026, 4, 2), False, D(2026, 4, 15)),
    ("totul_14a_after_completion", D(2026, 12, 23), True, D(2026, 12, 28)),
]


@pytest.mark.parametrize(("rule", "arrived", "urgent", "expected"), VECTORS)
def test_due_date_vectors(rule: str, arrived: dt.date, urgent: bool, expected: dt.date) -> None:
    assert due_date(rule, arrived, urgent=urgent) == expected


def test_all_saints_day_on_saturday_is_no_extra_day() -> None:
    assert not is_working_day(D(2026, 10, 31))
    assert is_working_day(D(2026, 10, 30)) and is_working_day(D(2026, 11, 2))
    # The same week count as an ordinary autumn week with no holiday at all.
    assert working_days_between(D(2026, 10, 26), D(2026, 11, 2)) == 5
    assert working_days_between(D(2026, 10, 19), D(2026, 10, 26)) == 5


@pytest.mark.parametrize(
    ("requested", "urgent"),
    [(D(2026, 12, 24), False), (D(2026, 11, 28), True), (D(2027, 1, 15), False)],
)
def test_requested_date_is_kept_as_given(requested: dt.date, urgent: bool) -> None:
    assert due_date(REQUESTED, D(2026, 11, 23), urgent=urgent, requested=requested) == requested


def test_requested_date_rule_needs_the_date() -> None:
    with pytest.raises(ValueError, match="requested"):
        due_date(REQUESTED, D(2026, 11, 23), urgent=False)


@pytest.mark.parametrize(
    ("moment", "local"),
    [
        # winter time (UTC+2): 23:30 in Helsinki is 21:30 UTC, still that day
        (dt.datetime(2026, 11, 23, 21, 30, tzinfo=dt.UTC), D(2026, 11, 23)),
        (dt.datetime(2026, 11, 23, 22, 30, tzinfo=dt.UTC), D(2026, 11, 24)),
        # the night DST starts (29.3.2026 03:00 -> 04:00): Saturday 23:30 local
        (dt.datetime(2026, 3, 28, 21, 30, tzinfo=dt.UTC), D(2026, 3, 28)),
        # summer time (UTC+3) right after the change
        (dt.datetime(2026, 3, 30, 20, 30, tzinfo=dt.UTC), D(2026, 3, 30)),
        (dt.datetime(2026, 3, 30, 21, 30, tzinfo=dt.UTC), D(2026, 3, 31)),
        # the night DST ends (25.10.2026 04:00 -> 03:00)
        (dt.datetime(2026, 10, 24, 20, 30, tzinfo=dt.UTC), D(2026, 10, 24)),
        (dt.datetime(2026, 10, 26, 21, 30, tzinfo=dt.UTC), D(2026, 10, 26)),
        (dt.datetime(2026, 10, 26, 22, 30, tzinfo=dt.UTC), D(2026, 10, 27)),
    ],
)
def test_arrival_date_is_the_helsinki_date(moment: dt.datetime, local: dt.date) -> None:
    assert local_date(moment) == local


def test_arrivals_around_dst_changes() -> None:
    # Monday 30.3.2026 23:30 (UTC+3) arrived that Monday: 31.3, 1.4, 2.4, 7.4 ... 10.4.
    monday = local_date(dt.datetime(2026, 3, 30, 20, 30, tzinfo=dt.UTC))
    assert due_date(SEVEN, monday, urgent=False) == D(2026, 4, 10)
    # One hour later it is Tuesday in Helsinki: one working day later.
    tuesday = local_date(dt.datetime(2026, 3, 30, 21, 30, tzinfo=dt.UTC))
    assert due_date(SEVEN, tuesday, urgent=False) == D(2026, 4, 13)
    # Saturday 24.10.2026 23:30 (UTC+3, DST ends that night): Monday 26.10 is day 1.
    saturday = local_date(dt.datetime(2026, 10, 24, 20, 30, tzinfo=dt.UTC))
    assert due_date(URGENT, saturday, urgent=False) == D(2026, 10, 26)


@pytest.mark.django_db
def test_send_at_2330_helsinki_counts_as_that_day(world, monkeypatch) -> None:
    # Friday 30.10.2026 23:30 Helsinki (winter time again) = 21:30 UTC.
    Clock(monkeypatch, at(2026, 10, 30, 23, 30))
    friday = send(world, "contact")
    assert friday.arrived_on == D(2026, 10, 30)
    assert friday.due_date == D(2026, 11, 10)
    # An hour later it is Saturday 31.10 (All Saints' Day): Monday 2.11 is working day 1,
    # so it is due on the same day as the Friday arrival.
    Clock(monkeypatch, at(2026, 10, 31, 0, 30))
    saturday = send(world, "contact")
    assert saturday.arrived_on == D(2026, 10, 31)
    assert saturday.due_date == D(2026, 11, 10)


@pytest.mark.django_db
def test_urgent_request_on_christmas_eve_is_due_the_next_working_day(world, monkeypatch) -> None:
    # Totul 14 b §: at the latest the next working day after Christmas Eve 2026, Mon 28.12.
    Clock(monkeypatch, at(2026, 12, 24, 9, 0))
    referral = send(world, "urgent_handling")
    assert referral.urgent and referral.arrived_on == D(2026, 12, 24)
    assert referral.due_date == D(2026, 12, 28)


def test_working_days_left() -> None:
    assert working_days_left(D(2026, 12, 28), D(2026, 12, 23)) == 1
    assert working_days_left(D(2026, 12, 23), D(2026, 12, 28)) == -1
    assert working_days_left(D(2026, 11, 23), D(2026, 11, 23)) == 0


# Property tests over 2020-2035 and 0..30 working days.
DAYS = st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31))
COUNTS = st.integers(min_value=0, max_value=30)
RULES_COUNTED = st.sampled_from(
    [
        "totul_14a_decision",
        "totul_14a_after_completion",
        "totul_14b_urgent",
        "totul_14d_meeting",
        "shl_36_assessment",
        "totul_10a_assessment",
        "totul_15_consider",
    ]
)
PROPERTY = settings(max_examples=300, deadline=None)


@PROPERTY
@given(start=DAYS, n=COUNTS)
def test_property_due_date_is_a_working_day(start: dt.date, n: int) -> None:
    due = add_working_days(start, n)
    if n == 0:
        assert due == start
    else:
        assert is_working_day(due) and due.weekday() < 5 and due > start


@PROPERTY
@given(start=DAYS, rule=RULES_COUNTED, urgent=st.booleans())
def test_property_rule_due_date_is_a_working_day(start: dt.date, rule: str, urgent: bool) -> None:
    due = due_date(rule, start, urgent=urgent)
    assert is_working_day(due) or due == start  # zero days ("at once") is the arrival day


@PROPERTY
@given(start=DAYS, n=COUNTS)
def test_property_adding_then_counting_gives_n(start: dt.date, n: int) -> None:
    # From any day, working or not: the arrival day is never counted.
    assert working_days_between(start, add_working_days(start, n)) == n
    assert working_days_between(add_working_days(start, n), start) == -n


@PROPERTY
@given(a=DAYS, b=DAYS, n=COUNTS)
def test_property_monotonic_in_the_start_date(a: dt.date, b: dt.date, n: int) -> None:
    early, late = min(a, b), max(a, b)
    assert add_working_days(early, n) <= add_working_days(late, n)


@PROPERTY
@given(start=DAYS, n=st.integers(min_value=0, max_value=29))
def test_property_one_more_day_is_strictly_later(start: dt.date, n: int) -> None:
    assert add_working_days(start, n) < add_working_days(start, n + 1)


@PROPERTY
@given(start=DAYS, n=COUNTS)
def test_property_agrees_with_a_day_by_day_count(start: dt.date, n: int) -> None:
    # The n-th working day after the arrival day, whatever day the arrival was.
    day, counted = start, 0
    while counted < n:
        day += dt.timedelta(days=1)
        counted += is_working_day(day)
    assert add_working_days(start, n) == day
