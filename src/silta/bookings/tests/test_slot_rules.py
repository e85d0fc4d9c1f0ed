"""The publishing rules of ``bookings.slots``, one by one (issue 15, ``make mutation``):
the limits of a slot's length, a series' step, days and size, which times of a series
count, when one time or a series is asked for, where slots of one resource may meet, and
what a publication records."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from silta.accounts.models import Membership
from silta.accounts.roles import Role
from silta.audit.models import AuditEvent
from silta.bookings import slots
from silta.bookings.inputs import PublishInput
from silta.bookings.models import Slot
from silta.bookings.tests.scene import publish, service_point
from silta.core.errors import Conflict, Forbidden, Invalid, NotFound
from silta.workdays.calendar import HELSINKI

D = dt.date
MONDAY = D(2030, 9, 2)  # no public holiday in September or October 2030


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=HELSINKI)


BEFORE = _at(D(2030, 9, 1), 12)  # "now": the Sunday before


def _series(**changes: Any) -> PublishInput:
    values: dict[str, Any] = {
        "first_day": MONDAY,
        "last_day": MONDAY,
        "day_start": dt.time(9),
        "day_end": dt.time(10),
        "every_minutes": 30,
        "duration_minutes": 30,
        **changes,
    }
    return PublishInput(**values)


def _refused(data: PublishInput, now: dt.datetime = BEFORE) -> str:
    with pytest.raises(Invalid) as refused:
        slots.planned_times(data, now)
    return refused.value.code


# --- planned times (no database) ---------------------------------------------------------


@pytest.mark.parametrize("minutes", [5, 480])
def test_a_slot_lasts_from_5_minutes_to_8_hours(minutes):
    data = PublishInput(starts_at=_at(MONDAY, 9), duration_minutes=minutes)
    assert slots.planned_times(data, BEFORE) == [_at(MONDAY, 9).astimezone(dt.UTC)]


@pytest.mark.parametrize("minutes", [4, 481])
def test_a_slot_shorter_than_5_minutes_or_longer_than_8_hours_is_refused(minutes):
    assert _refused(PublishInput(starts_at=_at(MONDAY, 9), duration_minutes=minutes)) == (
        "duration_invalid"
    )


@pytest.mark.parametrize("every", [5, 480])
def test_a_series_starts_a_slot_every_5_to_480_minutes(every):
    times = slots.planned_times(
        _series(every_minutes=every, duration_minutes=5, day_end=dt.time(9, 10)), BEFORE
    )
    assert times[0] == _at(MONDAY, 9).astimezone(dt.UTC)
    assert len(times) == (2 if every == 5 else 1)


@pytest.mark.parametrize("every", [4, 481])
def test_a_series_step_under_5_or_over_480_minutes_is_refused(every):
    assert _refused(_series(every_minutes=every, duration_minutes=4)) in (
        "every_invalid",
        "duration_invalid",
    )
    assert _refused(_series(every_minutes=every, duration_minutes=5)) == "every_invalid"


def test_slots_of_a_series_may_follow_each_other_but_not_overlap():
    back_to_back = slots.planned_times(_series(every_minutes=30, duration_minutes=30), BEFORE)
    assert [t.astimezone(HELSINKI).time() for t in back_to_back] == [dt.time(9), dt.time(9, 30)]
    assert _refused(_series(every_minutes=29, duration_minutes=30)) == "slot_overlap"


def test_the_last_slot_of_a_day_ends_at_the_end_of_the_day_at_the_latest():
    times = slots.planned_times(_series(day_end=dt.time(10, 29)), BEFORE)
    assert [t.astimezone(HELSINKI).time() for t in times] == [dt.time(9), dt.time(9, 30)]
    times = slots.planned_times(_series(day_end=dt.time(10, 30)), BEFORE)
    assert len(times) == 3


def test_a_day_ending_when_it_starts_is_refused():
    assert _refused(_series(day_end=dt.time(9))) == "hours_invalid"
    assert _refused(_series(day_end=dt.time(8, 59))) == "hours_invalid"


def test_a_series_covers_the_first_and_the_last_day_and_may_span_a_year_less_a_day():
    times = slots.planned_times(_series(last_day=MONDAY + dt.timedelta(days=4)), BEFORE)
    days = sorted({t.astimezone(HELSINKI).date() for t in times})
    assert days == [MONDAY + dt.timedelta(days=n) for n in range(5)]
    year = _series(last_day=MONDAY + dt.timedelta(days=365), every_minutes=480, duration_minutes=5)
    assert len(slots.planned_times(year, BEFORE)) > 240  # the working days of a year
    for length in (366, 367, 400):
        assert _refused(_series(last_day=MONDAY + dt.timedelta(days=length))) == "days_invalid"


def test_a_last_day_before_the_first_is_refused_the_same_day_is_one_day():
    assert _refused(_series(last_day=MONDAY - dt.timedelta(days=1))) == "days_invalid"
    assert len(slots.planned_times(_series(), BEFORE)) == 2


@pytest.mark.parametrize("missing", ["first_day", "last_day", "day_start", "day_end"])
def test_a_series_needs_its_days_and_hours(missing):
    data = _series().model_copy(update={missing: None})
    assert _refused(data) == "times_required"


@pytest.mark.parametrize("series_field", ["first_day", "last_day"])
def test_one_time_and_a_series_together_are_refused(series_field):
    data = PublishInput.model_validate({"starts_at": _at(MONDAY, 9), series_field: MONDAY})
    assert _refused(data) == "times_ambiguous"


def test_one_time_must_be_in_the_future():
    now = _at(MONDAY, 9)
    assert _refused(PublishInput(starts_at=now), now) == "time_past"
    later = now + dt.timedelta(minutes=1)
    assert slots.planned_times(PublishInput(starts_at=later), now) == [later.astimezone(dt.UTC)]


def test_a_series_keeps_only_the_times_after_now_sorted_in_utc():
    now = _at(MONDAY, 9)
    times = slots.planned_times(_series(last_day=MONDAY + dt.timedelta(days=1)), now)
    assert times == [
        _at(MONDAY, 9, 30).astimezone(dt.UTC),
        _at(MONDAY + dt.timedelta(days=1), 9).astimezone(dt.UTC),
        _at(MONDAY + dt.timedelta(days=1), 9, 30).astimezone(dt.UTC),
    ]
    assert all(t.tzinfo == dt.UTC for t in times)


def test_a_series_without_a_future_working_day_time_is_refused():
    weekend = _series(first_day=D(2030, 9, 7), last_day=D(2030, 9, 8))
    assert _refused(weekend) == "no_working_days"
    assert _refused(_series(), _at(MONDAY, 9, 30)) == "no_working_days"


def test_at_most_4000_slots_are_published_at_once():
    # 100 five-minute slots a day (8.00-16.20) on the 40 working days from 2 Sep to 25 Oct.
    day = {"day_start": dt.time(8), "day_end": dt.time(16, 20)}
    full = _series(last_day=D(2030, 10, 25), every_minutes=5, duration_minutes=5, **day)
    assert len(slots.planned_times(full, BEFORE)) == 4000
    # From 16.10 on the first day: its last slot (16.15) and 40 more days: 4001.
    more = _series(last_day=D(2030, 10, 28), every_minutes=5, duration_minutes=5, **day)
    assert _refused(more, _at(MONDAY, 16, 10)) == "too_many_slots"


# --- publishing (database) ---------------------------------------------------------------


@pytest.fixture
def point(shared_world):
    return service_point(shared_world)


def _one(world, hour: int, minute: int = 0, **changes: Any) -> list[Slot]:
    return publish(world, starts_at=_at(D(2030, 9, 3), hour, minute), **changes)


@pytest.mark.django_db
def test_slots_of_one_resource_may_meet_end_to_start_but_not_overlap(shared_world, point):
    world = shared_world
    _one(world, 9)  # 9.00-9.30
    assert len(_one(world, 9, 30)) == 1  # starts when the other ends
    assert len(_one(world, 8, 30)) == 1  # ends when the first starts
    for hour, minute in ((8, 31), (9, 29), (9, 59)):
        with pytest.raises(Conflict) as refused:
            _one(world, hour, minute)
        assert refused.value.code == "slot_overlap"
    assert Slot.objects.filter(unit=point).count() == 3


@pytest.mark.django_db
def test_a_series_is_refused_where_any_of_its_slots_meets_an_existing_one(shared_world, point):
    world = shared_world
    _one(world, 11)  # 11.00-11.30, Tuesday 3 Sep
    series: dict[str, Any] = {
        "starts_at": None,
        "first_day": D(2030, 9, 2),
        "last_day": D(2030, 9, 4),
        "day_start": dt.time(9),
        "every_minutes": 30,
    }
    with pytest.raises(Conflict) as refused:
        publish(world, day_end=dt.time(12), **series)
    assert refused.value.code == "slot_overlap" and "Palveluneuvoja 1" in str(refused.value)
    made = publish(world, day_end=dt.time(11), **series)  # ends as the existing one starts
    assert len(made) == 3 * 4
    later = publish(
        world,
        resource="Palveluneuvoja 1",
        **{**series, "day_start": dt.time(11, 30)},
        day_end=dt.time(12),
    )
    assert len(later) == 3


@pytest.mark.django_db
def test_a_publication_records_its_times_its_publisher_and_one_series(shared_world, point):
    world = shared_world
    (single,) = _one(world, 13, duration_minutes=45)
    assert single.ends_at - single.starts_at == dt.timedelta(minutes=45)
    assert single.series is None
    assert single.published_by_label == world.users["point"].display_name
    event = AuditEvent.objects.filter(unit_id=point.pk, action="create").latest("pk")
    assert event.detail == {"slots": 1, "series": "", "topic": "basic_assistance"}
    made = publish(
        world,
        starts_at=None,
        first_day=D(2030, 9, 4),
        last_day=D(2030, 9, 4),
        day_start=dt.time(9),
        day_end=dt.time(10),
    )
    series = made[0].series
    assert series is not None and {s.series for s in made} == {series}
    event = AuditEvent.objects.filter(unit_id=point.pk, action="create").latest("pk")
    assert event.detail == {"slots": 2, "series": str(series), "topic": "basic_assistance"}


@pytest.mark.django_db
def test_the_resource_is_named_in_single_spaces_within_200_characters(shared_world, point):
    world = shared_world
    (slot,) = _one(world, 9, resource="  Palvelu-\n neuvoja   Aino ")
    assert slot.resource == "Palvelu- neuvoja Aino"
    (long,) = _one(world, 10, resource="x" * 250)
    assert long.resource == "x" * 200


@pytest.mark.django_db
def test_the_place_of_a_slot_by_channel(shared_world, point):
    world = shared_world
    (in_person,) = _one(world, 9, place_details="2. krs")
    assert in_person.place_text == "Kelan palvelupiste Kuopio, Puijonkatu 19, 70100 Kuopio (2. krs)"
    assert in_person.video_platform == ""
    (plain,) = _one(world, 10)
    assert plain.place_text == "Kelan palvelupiste Kuopio, Puijonkatu 19, 70100 Kuopio"
    (phone,) = _one(world, 11, channel="phone")
    assert phone.place_text != "" and phone.video_platform == ""
    (told,) = _one(world, 12, channel="phone", place_details="  Soitamme numerosta 020 ")
    assert told.place_text == "Soitamme numerosta 020"
    (long,) = _one(world, 13, channel="phone", place_details="p" * 600)
    assert long.place_text == "p" * 500
    (video,) = _one(
        world, 14, channel="video", video_url="https://meet.example.fi/x", video_platform="Teams"
    )
    assert (video.video_platform, "https://meet.example.fi/x" in video.place_text) == (
        "Teams",
        True,
    )


@pytest.mark.django_db
def test_the_serving_unit_is_one_the_publisher_may_publish_in(shared_world, point):
    world = shared_world
    assert slots.publishable_units(world.actor("point")) == [point]
    assert _one(world, 9, unit_id=point.public_id)[0].unit == point
    with pytest.raises(NotFound):
        _one(world, 10, unit_id=world.social_unit.public_id)
    with pytest.raises(Forbidden):
        publish(world, key="kela_admin")  # no unit to publish in
    assert Slot.objects.count() == 1


@pytest.mark.django_db
def test_a_publisher_of_two_units_names_the_serving_unit(shared_world, point):
    world = shared_world
    # The point's advisor serves in Kela Itä too (an advisor may organise in both).
    Membership.objects.create(
        user=world.users["point"], unit=world.kela_unit, role=Role.KELA_SERVICE_ADVISOR
    )
    with pytest.raises(Invalid) as refused:
        _one(world, 9)
    assert (refused.value.code, refused.value.field) == ("unit_required", "unit_id")
