"""Demo appointment booking (called by ``demo_seed`` after the meetings): Kela's eastern
customer-service point (the unit ``load_organisers`` made for the service area) gets a
visiting address in Kuopio and its service advisor; the advisor publishes two weeks of
in-person slots (9-15, every 30 minutes, working days only) and a week of phone slots;
Kuopio's social worker books one for a client of a shared case. The demo's Totul 10 a §
assessment referral is left waiting, so booking it shows its feedback filled in.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from silta.accounts.actor import Actor
from silta.accounts.models import Membership, User
from silta.accounts.roles import Role
from silta.bookings import services, slots
from silta.bookings.inputs import BookInput, PublishInput
from silta.bookings.models import Booking, Slot
from silta.consents.disclosures import NoLawfulBasis
from silta.directory.models import Channel, ChannelKind
from silta.directory.services import ChannelInput, channel_save
from silta.exchange.models import Case
from silta.organisations.models import Unit, UnitKind
from silta.reference.models import KelaServiceArea
from silta.workdays.calendar import add_working_days

if TYPE_CHECKING:
    from silta.demo.clock import DemoClock

ADVISOR, SOCIAL_WORKER = "kela.neuvoja", "sos.tyontekija"


def eastern_service_point() -> Unit | None:
    area = KelaServiceArea.objects.filter(name_fi__icontains="Itäi").first()
    if area is None:
        return None
    return Unit.objects.filter(
        kind=UnitKind.KELA_SERVICE_UNIT, name_fi=f"Kela, {area.name_fi}"
    ).first()


def _prepare(point: Unit, advisor: User) -> None:
    if not Channel.objects.filter(unit=point, kind=ChannelKind.VISITING_ADDRESS).exists():
        channel_save(
            user=None,
            unit=point,
            check_owner=False,
            data=ChannelInput(
                kind=ChannelKind.VISITING_ADDRESS,
                label_fi="Kelan palvelupiste Kuopio",
                label_sv="FPA:s servicepunkt Kuopio",
                street="Puijonkatu 19",
                postal_code="70100",
                city="Kuopio",
            ),
        )
    Membership.objects.get_or_create(
        user=advisor, unit=point, defaults={"role": Role.KELA_SERVICE_ADVISOR}
    )


def _publish(advisor: Actor, point: Unit, clock: DemoClock) -> list[Slot]:
    first = add_working_days(clock.today, 1)
    common = {"unit_id": point.public_id, "topic": "basic_assistance", "duration_minutes": 30}
    in_person = PublishInput.model_validate(
        {
            **common,
            "channel": "in_person",
            "resource": "Palveluasiantuntija Mikko Korhonen",
            "first_day": first,
            "last_day": add_working_days(first, 9),
            "day_start": dt.time(9),
            "day_end": dt.time(15),
            "every_minutes": 30,
        }
    )
    phone = PublishInput.model_validate(
        {
            **common,
            "channel": "phone",
            "place_details": "Palveluasiantuntija soittaa asiakkaalle varattuna aikana.",
            "resource": "Puhelinpalvelu",
            "first_day": first,
            "last_day": add_working_days(first, 4),
            "day_start": dt.time(12),
            "day_end": dt.time(14),
            "every_minutes": 20,
            "duration_minutes": 20,
        }
    )
    made = slots.slots_publish(actor=advisor, data=in_person)
    return made + slots.slots_publish(actor=advisor, data=phone)


def _book(social: Actor, cases: list[Case], slot: Slot) -> Booking | None:
    """The first of the cases whose client's consent covers the booking."""
    for case in cases:
        try:
            data = BookInput(client_email="")
            return services.booking_create(actor=social, case=case, slot=slot, data=data).booking
        except NoLawfulBasis:
            continue
    return None


def seed(
    units: dict[str, Unit], users: dict[str, User], clock: DemoClock, point: Unit | None = None
) -> Booking | None:
    point = point or eastern_service_point()
    if point is None:
        return None
    _prepare(point, users[ADVISOR])
    clock.set(3, "10:00")
    made = _publish(Actor.for_user(users[ADVISOR]), point, clock)
    clock.set(1, "14:00")
    cases = list(
        Case.objects.filter(social_unit=units["kuopio_adult"])
        .select_related("client", "kela_unit__organisation", "social_unit__organisation")
        .order_by("pk")
    )
    chosen = sorted(made, key=lambda s: s.starts_at)[13]  # an afternoon of the first day
    return _book(Actor.for_user(users[SOCIAL_WORKER]), cases, chosen)
