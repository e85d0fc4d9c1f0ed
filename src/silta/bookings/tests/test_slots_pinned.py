"""Overlap rules of ``bookings.slots`` that the full mutation run found unpinned (issue 15):
what an overlap refusal names, a series' overlap on a later day past an earlier day's slot,
a publication losing to a concurrent one, and a long series' step one minute short."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError
from django.utils import formats, timezone

from silta.bookings import slots
from silta.bookings.inputs import PublishInput
from silta.bookings.models import Slot
from silta.bookings.tests.scene import publish, service_point
from silta.core.errors import Conflict, Invalid
from silta.workdays.calendar import HELSINKI

pytestmark = pytest.mark.django_db

D = dt.date
TUESDAY, WEDNESDAY = D(2030, 9, 3), D(2030, 9, 4)  # no public holiday that week


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=HELSINKI)


def _shown(at: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(at), "SHORT_DATETIME_FORMAT")


def _series(**changes: Any) -> dict[str, Any]:
    return {
        "starts_at": None,
        "first_day": TUESDAY,
        "last_day": WEDNESDAY,
        "day_start": dt.time(9),
        "day_end": dt.time(9, 30),
        "every_minutes": 30,
        **changes,
    }


@pytest.fixture
def point(shared_world):
    return service_point(shared_world)


def test_an_overlap_refusal_names_the_start_of_the_slot_it_meets(shared_world, point):
    publish(shared_world, starts_at=_at(TUESDAY, 9))  # 9.00-9.30
    with pytest.raises(Conflict) as refused:
        publish(shared_world, starts_at=_at(TUESDAY, 9, 15))
    message = str(refused.value.message)
    assert refused.value.code == "slot_overlap"
    assert _shown(_at(TUESDAY, 9)) in message
    assert _shown(_at(TUESDAY, 9, 30)) not in message


def test_a_series_overlap_on_a_later_day_is_found_past_an_earlier_days_slot(shared_world, point):
    publish(shared_world, starts_at=_at(TUESDAY, 10))  # after the series' Tuesday slot
    publish(shared_world, starts_at=_at(WEDNESDAY, 9))  # the series' Wednesday slot
    with pytest.raises(Conflict) as refused:
        publish(shared_world, **_series())
    assert refused.value.code == "slot_overlap"
    assert _shown(_at(WEDNESDAY, 9)) in str(refused.value.message)
    assert Slot.objects.filter(unit=point).count() == 2


def test_a_publication_losing_to_a_concurrent_one_is_an_overlap_at_its_first_time(
    shared_world, point, monkeypatch
):
    # PostgreSQL's exclusion constraint refuses a concurrent overlapping publication
    # (test_concurrency.py); here its IntegrityError is raised at the same place.
    def constraint(*args: Any, **kwargs: Any) -> None:
        raise IntegrityError("slot_no_overlap")

    monkeypatch.setattr(Slot.objects, "bulk_create", constraint)
    with pytest.raises(Conflict) as refused:
        publish(shared_world, **_series())
    message = str(refused.value.message)
    assert refused.value.code == "slot_overlap"
    assert _shown(_at(TUESDAY, 9)) in message
    assert _shown(_at(WEDNESDAY, 9)) not in message
    monkeypatch.undo()
    assert Slot.objects.filter(unit=point).count() == 0


@pytest.mark.parametrize(("every", "minutes"), [(300, 305), (420, 427), (299, 300)])
def test_a_series_step_even_minutes_shorter_than_its_slots_is_an_overlap(every, minutes):
    # A step of 300 minutes and slots of 305: 300 * 61 s would reach 305 minutes.
    data = PublishInput(
        **_series(every_minutes=every, duration_minutes=minutes, day_end=dt.time(23))
    )
    with pytest.raises(Invalid) as refused:
        slots.planned_times(data, _at(D(2030, 9, 1), 12))
    assert (refused.value.code, refused.value.field) == ("slot_overlap", "every_minutes")
    fits = PublishInput(
        **_series(every_minutes=minutes, duration_minutes=minutes, day_end=dt.time(23))
    )
    assert len(slots.planned_times(fits, _at(D(2030, 9, 1), 12))) >= 2
