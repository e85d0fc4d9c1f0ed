"""Bookings for tests: a Kela customer-service point in Kuopio (visiting address, service
area 297 for basic assistance, a service advisor) publishing slots that Kuopio's social
worker books for the client of the world's shared case."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from silta.accounts.roles import Role
from silta.bookings import services, slots
from silta.bookings.inputs import BookInput, PublishInput
from silta.bookings.models import Slot
from silta.directory.services import ChannelInput, channel_save, service_areas_set
from silta.exchange.models import Case
from silta.organisations.models import Unit
from silta.workdays.calendar import HELSINKI, is_working_day
from tests.factories import World, make_user

CLIENT_EMAIL = "aino.asiakas@example.net"


def working_day(after_days: int = 7) -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=after_days)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=HELSINKI)


def service_point(world: World) -> Unit:
    """Kela's customer-service point in Kuopio with its advisor (``world.users["point"]``)."""
    unit = Unit.objects.create(
        organisation=world.kela,
        kind="kela_service_unit",
        name_fi="Kelan palvelupiste Kuopio",
        name_sv="FPA:s servicepunkt Kuopio",
    )
    channel_save(
        user=None,
        unit=unit,
        check_owner=False,
        data=ChannelInput(
            kind="visiting_address", street="Puijonkatu 19", postal_code="70100", city="Kuopio"
        ),
    )
    service_areas_set(unit=unit, topic="basic_assistance", municipality_codes=["297"])
    world.users["point"] = make_user(unit, Role.KELA_SERVICE_ADVISOR, "point_advisor")
    world.users["point"].email = "palvelupiste@kela.example.fi"
    world.users["point"].save(update_fields=["email"])
    return unit


def publish_input(**changes: Any) -> PublishInput:
    values: dict[str, Any] = {
        "topic": "basic_assistance",
        "channel": "in_person",
        "resource": "Palveluneuvoja 1",
        "duration_minutes": 30,
        "starts_at": at(working_day(), 9),
    }
    values.update(changes)
    return PublishInput.model_validate(values)


def publish(world: World, key: str = "point", **changes: Any) -> list[Slot]:
    return slots.slots_publish(actor=world.actor(key), data=publish_input(**changes))


def one_slot(world: World, **changes: Any) -> Slot:
    return publish(world, **changes)[0]


def book(
    world: World, slot: Slot, case: Case | None = None, key: str = "social_worker", **changes: Any
) -> services.Booked:
    case = case or world.open_case()
    data = BookInput.model_validate({"client_email": CLIENT_EMAIL, **changes})
    return services.booking_create(actor=world.actor(key), case=case, slot=slot, data=data)
