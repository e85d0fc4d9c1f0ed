"""The booking rules: publishing (series over working days in Helsinki time, overlaps
refused, the place), booking on the lawful-basis gate, taken and past slots, rebooking,
cancelling and no-shows with their iCalendar confirmations, and the 10 a § feedback."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from silta.bookings import services
from silta.bookings.inputs import BookingCancelInput, BookInput
from silta.bookings.models import Booking, Slot
from silta.bookings.tests.scene import (
    CLIENT_EMAIL,
    at,
    book,
    one_slot,
    publish,
    service_point,
    working_day,
)
from silta.consents.disclosures import NoLawfulBasis
from silta.consents.gate import BasisChoice
from silta.consents.models import Disclosure
from silta.core.errors import Conflict, Forbidden, Invalid
from silta.exchange import services as exchange
from silta.referrals import services as referrals
from silta.workdays.calendar import HELSINKI

pytestmark = pytest.mark.django_db


@pytest.fixture
def point(world):
    unit = service_point(world)
    for key in ("social_worker", "kela_processor"):
        world.users[key].email = f"{key}@example.fi"
        world.users[key].save(update_fields=["email"])
    return unit


def _calendar(message) -> icalendar.Calendar:
    (part,) = [a for a in message.attachments if "calendar" in str(a.get_content_type())]
    return icalendar.Calendar.from_ical(part.get_payload(decode=True))


def _event(message) -> tuple[icalendar.Calendar, Any]:
    calendar = _calendar(message)
    return calendar, calendar.walk("VEVENT")[0]


# --- publishing --------------------------------------------------------------------------


def test_a_series_skips_weekends_and_holidays_in_helsinki_time(world, point):
    # Two weeks around Easter 2030: Good Friday 19.4. and Easter Monday 22.4. are holidays.
    made = publish(
        world,
        starts_at=None,
        first_day=dt.date(2030, 4, 15),
        last_day=dt.date(2030, 4, 26),
        day_start=dt.time(9),
        day_end=dt.time(15),
        every_minutes=30,
    )
    days = sorted({s.starts_at.astimezone(HELSINKI).date() for s in made})
    assert len(days) == 8 and dt.date(2030, 4, 19) not in days and dt.date(2030, 4, 22) not in days
    assert all(d.weekday() < 5 for d in days)
    assert len(made) == 8 * 12
    first = min(made, key=lambda s: s.starts_at)
    assert first.starts_at.astimezone(dt.UTC).hour == 6  # 9:00 EEST
    assert first.place_text.startswith("Kelan palvelupiste Kuopio, Puijonkatu 19")
    assert len({s.series for s in made}) == 1


def test_an_overlap_for_the_same_resource_is_refused_and_nothing_written(world, point):
    slot = one_slot(world)
    with pytest.raises(Conflict) as refused:
        publish(world, starts_at=slot.starts_at + dt.timedelta(minutes=15))
    assert refused.value.code == "slot_overlap" and "Palveluneuvoja 1" in str(refused.value)
    assert Slot.objects.count() == 1
    other = publish(world, resource="Palveluneuvoja 2", starts_at=slot.starts_at)
    assert len(other) == 1
    with pytest.raises(Invalid) as series:
        publish(
            world,
            starts_at=None,
            first_day=working_day(),
            last_day=working_day(),
            day_start=dt.time(9),
            day_end=dt.time(12),
            every_minutes=20,
        )
    assert series.value.code == "slot_overlap"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        (
            {"channel": "video", "video_url": "http://meet.example.fi/x", "video_platform": "T"},
            "video_url_invalid",
        ),
        ({"channel": "video", "video_url": "https://meet.example.fi/x"}, "video_platform_required"),
        ({"channel": "fax"}, "channel_required"),
        ({"topic": "weather"}, "topic_required"),
        ({"resource": "  "}, "resource_required"),
        ({"duration_minutes": 0}, "duration_invalid"),
        ({"starts_at": "2020-01-02T10:00"}, "time_past"),
        ({"starts_at": None}, "times_required"),
    ],
)
def test_bad_slot_input_is_refused_with_its_code(world, point, changes, code):
    with pytest.raises(Invalid) as refused:
        publish(world, **changes)
    assert refused.value.code == code
    assert Slot.objects.count() == 0


def test_in_person_needs_the_units_visiting_address_and_only_members_publish(world, point):
    with pytest.raises(Invalid) as refused:
        publish(world, key="kela_processor")  # Kela Itä has no visiting address
    assert refused.value.code == "visiting_address_missing"
    with pytest.raises(Forbidden):
        publish(world, key="kela_admin")


# --- booking -----------------------------------------------------------------------------


def test_booking_discloses_on_consent_and_confirms_by_icalendar(world, point):
    slot = one_slot(world)
    mail.outbox.clear()
    booking = book(world, slot).booking
    assert Disclosure.objects.filter(kind="booking", object_id=str(booking.public_id)).count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == [CLIENT_EMAIL, "social_worker@example.fi"]
    client = world.clients[0]
    for message in mail.outbox:
        text = f"{message.subject}{message.body}{_calendar(message).to_ical().decode()}"
        assert client.last_name not in text and client.identity_code not in text
        assert "Puijonkatu 19" in message.body
    calendar, event = _event(mail.outbox[0])
    assert calendar["method"] == "REQUEST" and event["sequence"] == 0
    assert event["uid"] == f"{booking.ical_uid}@silta"
    assert event.decoded("dtstart") == slot.starts_at
    assert event["organizer"].params["cn"] == "Kelan palvelupiste Kuopio"


def test_rebook_updates_the_same_uid_and_cancel_withdraws_it(world, point):
    first, second = one_slot(world), one_slot(world, starts_at=at(working_day(), 10))
    booking = book(world, first).booking
    mail.outbox.clear()
    booking = services.booking_rebook(
        actor=world.actor("social_worker"), booking=booking, slot=second
    )
    calendar, event = _event(mail.outbox[0])
    assert calendar["method"] == "REQUEST" and event["sequence"] == 1
    assert event["uid"] == f"{booking.ical_uid}@silta"
    assert event.decoded("dtstart") == second.starts_at
    assert "Appointment changed" in mail.outbox[0].subject or "muuttui" in mail.outbox[0].subject
    again = book(world, first).booking  # the first slot is free again
    assert again.slot == first
    mail.outbox.clear()
    services.booking_cancel(
        actor=world.actor("social_worker"),
        booking=booking,
        data=BookingCancelInput(reason="Sairaus"),
    )
    calendar, event = _event(mail.outbox[0])
    assert calendar["method"] == "CANCEL" and event["status"] == "CANCELLED"
    assert event["sequence"] == 2 and event["uid"] == f"{booking.ical_uid}@silta"
    assert len(mail.outbox) == 2
    assert book(world, second).booking.slot == second  # free once cancelled


def test_a_taken_or_past_slot_is_409_and_nothing_changes(world, point):
    slot = one_slot(world)
    book(world, slot)
    with pytest.raises(Conflict) as taken:
        book(world, slot)
    assert taken.value.code == "slot_taken" and taken.value.status == 409
    past = one_slot(world, starts_at=at(working_day(), 11))
    Slot.objects.filter(pk=past.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=1), ends_at=timezone.now()
    )
    past.refresh_from_db()
    with pytest.raises(Conflict) as late:
        book(world, past)
    assert late.value.code == "slot_past"
    assert Booking.objects.count() == 1


def test_without_a_lawful_basis_nothing_is_booked(world, point):
    slot = one_slot(world)
    case, _ = exchange.case_open(
        actor=world.actor("kela_processor"),
        client=world.clients[1],
        acting_unit_id=world.kela_unit.pk,
        counterpart_unit_id=world.social_unit.pk,
        basis=BasisChoice(statutory_basis="totul_18h"),
    )
    mail.outbox.clear()
    with pytest.raises(NoLawfulBasis):
        book(world, slot, case=case)
    assert Booking.objects.count() == 0 and not mail.outbox


def test_bad_booking_input_changes_nothing(world, point):
    slot = one_slot(world)
    with pytest.raises(Invalid) as email:
        book(world, slot, client_email="not an address")
    assert email.value.code == "email_invalid"
    own = one_slot(world, key="point", resource="Palveluneuvoja 3")
    with pytest.raises(Invalid) as same:
        book(world, own, key="kela_processor")  # Kela booking Kela's own point
    assert same.value.code == "same_organisation"
    with pytest.raises(Forbidden):
        book(world, slot, key="social_admin")
    assert Booking.objects.count() == 0


def test_no_show_is_recorded_by_the_serving_unit_once_the_time_has_come(world, point):
    slot = one_slot(world)
    booking = book(world, slot).booking
    with pytest.raises(Conflict) as early:
        services.booking_no_show(actor=world.actor("point"), booking=booking)
    assert early.value.code == "not_yet"
    Slot.objects.filter(pk=slot.pk).update(
        starts_at=timezone.now() - dt.timedelta(minutes=40),
        ends_at=timezone.now() - dt.timedelta(minutes=10),
    )
    booking = Booking.objects.get(pk=booking.pk)
    with pytest.raises(Forbidden):
        services.booking_no_show(actor=world.actor("social_worker"), booking=booking)
    booking = services.booking_no_show(actor=world.actor("point"), booking=booking)
    assert booking.status == "no_show"
    with pytest.raises(Conflict):
        services.booking_cancel(
            actor=world.actor("social_worker"), booking=booking, data=BookingCancelInput(reason="x")
        )


# --- Totul 10 a § ------------------------------------------------------------------------


def _assessment_referral(world, case):
    return referrals.referral_send(
        actor=world.actor("kela_processor"),
        case=case,
        data=referrals.ReferralInput(
            type="assessment_before_reduction",
            description="Palvelutarpeen arviointi ennen alentamista",
            fields={"planned_reduction": "40"},
        ),
    )


def test_booking_the_assessment_fills_in_the_10a_feedback(world, point):
    case = world.open_case()
    referral = _assessment_referral(world, case)
    slot = one_slot(world)
    booked = book(world, slot, case=case, referral_id=referral.public_id)
    assert booked.feedback_error == ""
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == ("completed", "booked")
    assert referral.outcome_date == slot.starts_at.astimezone(HELSINKI).date()
    assert Booking.objects.get().feedback_at is not None


def test_only_the_units_own_10a_referral_can_be_linked(world, point):
    case = world.open_case()
    slot = one_slot(world)
    other = referrals.referral_send(
        actor=world.actor("kela_processor"),
        case=case,
        data=referrals.ReferralInput(
            type="meeting_request", description="Tapaaminen", fields={"proposed_times": "ti"}
        ),
    )
    with pytest.raises(Invalid) as refused:
        book(world, slot, case=case, referral_id=other.public_id)
    assert refused.value.code == "referral_invalid"
    assert Booking.objects.count() == 0


def test_book_input_parses_an_empty_body():
    assert BookInput().client_email == ""
