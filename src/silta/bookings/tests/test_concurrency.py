"""No double booking under concurrency, on PostgreSQL with two real connections.

Both threads pass the service's own "is it free?" check before either writes (a barrier
after the check), so what stops the second booking is the database: the partial unique
index of one active booking per slot. Exactly one succeeds; the other gets 409.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction

from silta.bookings import services
from silta.bookings.models import Booking, Slot
from silta.bookings.tests.scene import book, one_slot, service_point
from silta.core.errors import Conflict
from tests.factories import build_world

pytestmark = pytest.mark.django_db(transaction=True)


def _needs_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...), as CI runs it")


def test_two_simultaneous_bookings_of_one_slot_give_exactly_one_success(monkeypatch):
    _needs_postgresql()
    world = build_world()
    service_point(world)
    slot = one_slot(world)
    cases = [world.open_case(world.clients[0]), world.open_case(world.clients[1])]
    barrier = threading.Barrier(2, timeout=20)
    checked = services._bookable

    def check_then_wait(target: Slot) -> None:
        checked(target)
        barrier.wait()  # both have seen the slot free before either writes

    monkeypatch.setattr(services, "_bookable", check_then_wait)
    results: list[object] = []

    def attempt(case) -> None:
        try:
            results.append(book(world, Slot.objects.get(pk=slot.pk), case=case).booking)
        except Conflict as error:
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(c,)) for c in cases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    conflicts = [r for r in results if isinstance(r, Conflict)]
    assert len(results) == 2 and len(conflicts) == 1
    assert conflicts[0].code == "slot_taken" and conflicts[0].status == 409
    assert Booking.objects.filter(slot=slot).count() == 1


def test_the_database_refuses_overlapping_slots_of_one_resource():
    _needs_postgresql()
    world = build_world()
    service_point(world)
    slot = one_slot(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.create(
            unit=slot.unit,
            topic=slot.topic,
            starts_at=slot.starts_at + dt.timedelta(minutes=10),
            ends_at=slot.ends_at + dt.timedelta(minutes=10),
            channel=slot.channel,
            place_text=slot.place_text,
            resource=slot.resource,
            published_at=slot.published_at,
            published_by_label="x",
        )
