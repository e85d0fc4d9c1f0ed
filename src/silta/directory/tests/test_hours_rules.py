"""Opening hours at their edges: the text staff see, the edit form's round trip, hours to
24:00, the boundaries of a day, and ``next_opens_at`` as the API gives it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.utils import translation

from silta.api_keys.services import api_key_issue
from silta.core.errors import Invalid
from silta.directory.hours import (
    Schedule,
    TimeRange,
    next_opening,
    ranges_on,
    status,
    validate_ranges,
)
from silta.directory.hours_text import (
    format_exceptions,
    format_ranges,
    parse_exceptions,
    parse_ranges,
)
from silta.directory.models import ChannelKind, Topic
from silta.directory.services import ChannelInput, channel_save, service_areas_set
from silta.workdays.calendar import HELSINKI

T = dt.time


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=HELSINKI)


def office() -> Schedule:
    """Monday to Friday 9-11 and 12-15."""
    day = (TimeRange.of(T(9), T(11)), TimeRange.of(T(12), T(15)))
    return Schedule(weekly=dict.fromkeys(range(5), day))


def test_hours_text_shows_two_digit_hours_a_dot_and_an_en_dash() -> None:
    assert TimeRange.of(T(8, 30), T(16)).label() == "08.30–16.00"
    assert TimeRange.of(T(9, 5), T(11, 45)).label() == "09.05–11.45"
    assert TimeRange.of(T(8, 55), T(23, 59)).label() == "08.55–23.59"
    assert TimeRange.of(T(20), None).label() == "20.00–24.00"


def test_closing_at_midnight_or_unset_means_24_00() -> None:
    assert TimeRange.of(T(20), T(0)) == TimeRange(20 * 60, 1440)
    assert TimeRange.of(T(20), None) == TimeRange(1200, 1440)
    assert TimeRange.of(T(0), T(0)) == TimeRange(0, 1440)
    assert TimeRange.of(T(23, 59), T(23, 59)) == TimeRange(1439, 1439)


def test_edit_form_round_trip_of_weekday_hours() -> None:
    ranges = parse_ranges("8.30-11, 12-16, 17-24")
    assert ranges == (TimeRange(510, 660), TimeRange(720, 960), TimeRange(1020, 1440))
    text = format_ranges(ranges)
    assert text == "08.30-11.00, 12.00-16.00, 17.00-24.00"
    assert parse_ranges(text) == ranges


def test_edit_form_round_trip_of_date_exceptions() -> None:
    text = "2026-12-31 9-12\n2026-12-24 closed"
    with translation.override("en"):
        exceptions = parse_exceptions(text)
        assert exceptions == {D(2026, 12, 24): (), D(2026, 12, 31): (TimeRange(540, 720),)}
        shown = format_exceptions(exceptions)
    assert shown == "2026-12-24 closed\n2026-12-31 09.00-12.00"
    assert parse_exceptions(shown) == exceptions


D = dt.date


def test_hours_to_24_00_before_a_closed_day_close_at_midnight() -> None:
    # Friday 16-24, nothing on Saturday.
    schedule = Schedule(weekly={4: (TimeRange.of(T(16), None),)})
    result = status(schedule, at(2026, 11, 20, 23, 0))
    assert result.is_open and result.closes_at == at(2026, 11, 21, 0, 0)
    assert result.next_opens_at is None


def test_hours_to_24_00_before_a_holiday_close_at_midnight() -> None:
    # Every day 0-24, but closed on holidays: Wednesday 23 Dec runs to midnight, and
    # Christmas Eve (Thursday) is closed even though its weekly hours start at 00:00.
    schedule = Schedule(weekly=dict.fromkeys(range(7), (TimeRange(0, 1440),)))
    result = status(schedule, at(2026, 12, 23, 12, 0))
    assert result.is_open and result.closes_at == at(2026, 12, 24, 0, 0)


def test_hours_to_24_00_before_a_closed_exception_close_at_midnight() -> None:
    schedule = Schedule(
        weekly=dict.fromkeys(range(7), (TimeRange(0, 1440),)),
        exceptions={D(2026, 11, 25): ()},
    )
    result = status(schedule, at(2026, 11, 23, 12, 0))
    assert result.is_open and result.closes_at == at(2026, 11, 25, 0, 0)


def test_hours_to_24_00_continue_only_into_a_range_that_starts_at_00_00() -> None:
    weekly = {4: (TimeRange.of(T(16), None),), 5: (TimeRange.of(T(0, 1), T(2)),)}
    result = status(Schedule(weekly=weekly), at(2026, 11, 20, 23, 0))
    assert result.closes_at == at(2026, 11, 21, 0, 0)
    result = status(Schedule(weekly=weekly), at(2026, 11, 21, 0, 0))
    assert not result.is_open and result.next_opens_at == at(2026, 11, 21, 0, 1)


def test_a_range_ending_before_midnight_does_not_chain_into_the_next_days_00_00() -> None:
    # Friday 16-20, Saturday from 00:00: Friday's range ends at 20:00, not on Saturday.
    weekly = {4: (TimeRange.of(T(16), T(20)),), 5: (TimeRange.of(T(0), T(2)),)}
    result = status(Schedule(weekly=weekly), at(2026, 11, 20, 17, 0))
    assert result.closes_at == at(2026, 11, 20, 20, 0)


def test_the_minute_of_the_moment_is_added_to_its_hour_not_combined_bitwise() -> None:
    # 8.32 is minute 512 of the day; 8 * 60 | 32 would be 480 (8.00): the bits of 480
    # and 32 overlap, so a bitwise "or" would put the moment before an 8.30 opening.
    weekly = {0: (TimeRange.of(T(8, 30), T(16)),)}
    result = status(Schedule(weekly=weekly), at(2026, 11, 23, 8, 32))
    assert (result.is_open, result.closes_at) == (True, at(2026, 11, 23, 16, 0))
    weekly = {0: (TimeRange.of(T(8, 20), T(16)),), 1: (TimeRange.of(T(8, 20), T(16)),)}
    assert next_opening(Schedule(weekly=weekly), at(2026, 11, 23, 8, 32)) == at(2026, 11, 24, 8, 20)


def test_open_status_has_a_closing_time_and_no_next_opening() -> None:
    result = status(office(), at(2026, 11, 23, 9, 0))  # the opening minute is open
    assert (result.is_open, result.closes_at, result.next_opens_at) == (
        True,
        at(2026, 11, 23, 11, 0),
        None,
    )


def test_closed_status_has_a_next_opening_and_no_closing_time() -> None:
    result = status(office(), at(2026, 11, 23, 8, 59))
    assert (result.is_open, result.closes_at, result.next_opens_at) == (
        False,
        None,
        at(2026, 11, 23, 9, 0),
    )


def test_next_opening_is_strictly_after_the_moment() -> None:
    # At 09:00 sharp the 09:00 opening has happened: the next one is after lunch.
    assert next_opening(office(), at(2026, 11, 23, 9, 0)) == at(2026, 11, 23, 12, 0)
    assert next_opening(office(), at(2026, 11, 23, 11, 59)) == at(2026, 11, 23, 12, 0)
    assert next_opening(office(), at(2026, 11, 23, 12, 0)) == at(2026, 11, 24, 9, 0)


def test_round_the_clock_line_is_open_on_holidays_with_no_closing_time() -> None:
    schedule = Schedule(always_open=True)
    assert ranges_on(schedule, D(2026, 12, 25)) == (TimeRange(0, 1440),)
    result = status(schedule, at(2026, 12, 25, 3, 0))
    assert (result.is_open, result.closes_at, result.next_opens_at) == (True, None, None)


def test_channel_open_on_holidays_keeps_its_weekly_hours_on_a_holiday() -> None:
    schedule = Schedule(weekly=office().weekly, closed_on_holidays=False)
    assert ranges_on(schedule, D(2026, 12, 24)) == office().weekly[3]
    assert ranges_on(office(), D(2026, 12, 24)) == ()
    assert ranges_on(office(), D(2026, 11, 28)) == ()  # a Saturday without hours


@pytest.mark.parametrize(
    "ranges",
    [(TimeRange(0, 1440),), (TimeRange(0, 1),), (TimeRange(1439, 1440),)],
)
def test_a_day_runs_from_00_00_to_24_00(ranges: tuple[TimeRange, ...]) -> None:
    assert validate_ranges(ranges) == ranges


@pytest.mark.parametrize("bad", [TimeRange(-1, 60), TimeRange(0, 1441), TimeRange(600, 599)])
def test_a_range_outside_the_day_or_inverted_is_refused(bad: TimeRange) -> None:
    with pytest.raises(Invalid) as excinfo:
        validate_ranges([bad])
    assert excinfo.value.code == "hours_inverted"


def test_overlap_by_one_minute_is_refused() -> None:
    with pytest.raises(Invalid) as excinfo:
        validate_ranges([TimeRange(540, 721), TimeRange(720, 900)])
    assert excinfo.value.code == "hours_overlap"


@pytest.mark.django_db
def test_api_gives_next_opens_at_for_a_closed_channel_and_none_for_an_open_one(world) -> None:
    opening_day = dt.datetime.now(tz=HELSINKI).date() + dt.timedelta(days=10)
    service_areas_set(
        unit=world.social_unit, topic=Topic.SOCIAL_ASSISTANCE, municipality_codes=["297"]
    )
    made: dict[str, dict[str, Any]] = {
        "Päivystys": {"always_open": True, "closed_on_holidays": False},
        "Ajanvaraus": {"exceptions": {opening_day: (TimeRange(540, 600),)}},
    }
    for label, data in made.items():
        channel_save(
            user=None,
            unit=world.social_unit,
            check_owner=False,
            data=ChannelInput(
                kind=ChannelKind.PHONE, label_fi=label, phone="017 263 3333", weekly={}, **data
            ),
        )
    key = api_key_issue(unit=world.kela_unit, name="CMS").plaintext
    http = HttpClient(HTTP_AUTHORIZATION=f"Bearer {key}")
    found = http.get("/api/v1/directory/units", {"q": "kuopio"}).json()
    unit = next(i for i in found["items"] if i["id"] == str(world.social_unit.public_id))
    channels = {c["label_fi"]: c for c in unit["channels"]}
    by_appointment = channels["Ajanvaraus"]
    assert by_appointment["open_now"] is False and by_appointment["closes_at"] is None
    opens = dt.datetime.fromisoformat(by_appointment["next_opens_at"])
    assert opens == dt.datetime.combine(opening_day, T(9), tzinfo=HELSINKI)
    emergency = channels["Päivystys"]
    assert (emergency["open_now"], emergency["closes_at"], emergency["next_opens_at"]) == (
        True,
        None,
        None,
    )


def test_hours_values_are_frozen_and_time_ranges_can_key_a_table() -> None:
    opened = status(office(), at(2026, 11, 23, 10, 0))
    for value, name in [
        (TimeRange(0, 60), "opens"),
        (office(), "always_open"),
        (opened, "is_open"),
    ]:
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(value, name, None)
    assert {TimeRange(0, 60): "aamu"}[TimeRange(0, 60)] == "aamu"


def test_next_opening_looks_400_days_ahead() -> None:
    start = at(2026, 1, 5, 12, 0)
    found = Schedule(exceptions={D(2026, 1, 5) + dt.timedelta(days=399): (TimeRange(540, 600),)})
    assert next_opening(found, start) == at(2027, 2, 8, 9, 0)
    too_far = Schedule(exceptions={D(2026, 1, 5) + dt.timedelta(days=400): (TimeRange(540, 600),)})
    assert next_opening(too_far, start) is None


def test_an_open_period_running_past_midnight_is_followed_for_400_days() -> None:
    # Open 0-24 every day, holidays too, but not marked round the clock.
    schedule = Schedule(
        weekly=dict.fromkeys(range(7), (TimeRange(0, 1440),)), closed_on_holidays=False
    )
    result = status(schedule, at(2026, 1, 5, 12, 0))
    assert result.closes_at == at(2026, 1, 5) + dt.timedelta(days=401)


def test_opening_and_closing_at_minutes_late_in_the_hour() -> None:
    schedule = Schedule(weekly={0: (TimeRange.of(T(8, 55), T(16, 45)),)})
    assert next_opening(schedule, at(2026, 11, 23, 7, 0)) == at(2026, 11, 23, 8, 55)
    assert status(schedule, at(2026, 11, 23, 12, 0)).closes_at == at(2026, 11, 23, 16, 45)
