"""The demo's appointment booking: a series at Kela's customer-service point (working
days only, both channels) and one booking by Kuopio's social worker, confirmed."""

from __future__ import annotations

import pytest
from django.core import mail

from silta.bookings import demo
from silta.bookings.models import Slot
from silta.demo.clock import demo_clock
from silta.organisations.models import Unit
from silta.workdays.calendar import HELSINKI, is_working_day
from tests.factories import give_consent

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_slots_and_books_one(world):
    point = Unit.objects.create(
        organisation=world.kela, kind="kela_service_unit", name_fi="Kela, Itä", name_sv="FPA"
    )
    give_consent(world.clients[0], world.county, world.kela_unit, since_days=60)
    case = world.open_case(world.clients[0])
    world.users["social_worker"].email = "sari@demo.invalid"
    world.users["social_worker"].save(update_fields=["email"])
    users = {
        "kela.neuvoja": world.users["kela_advisor"],
        "sos.tyontekija": world.users["social_worker"],
    }
    with demo_clock() as clock:
        booking = demo.seed({"kuopio_adult": world.social_unit}, users, clock, point=point)
    slots = Slot.objects.filter(unit=point)
    assert slots.filter(channel="in_person").count() == 10 * 12
    assert slots.filter(channel="phone").count() == 5 * 6
    assert all(is_working_day(s.starts_at.astimezone(HELSINKI).date()) for s in slots)
    assert booking is not None and booking.case == case and booking.serving_unit == point
    assert "Puijonkatu 19" in booking.slot.place_text or booking.slot.channel == "phone"
    assert len(mail.outbox) == 1  # the social worker's confirmation (no client address)
