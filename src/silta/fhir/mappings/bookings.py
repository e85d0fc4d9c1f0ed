"""Bookings as FHIR Appointment: a booked slot is ``booked`` (``fulfilled`` once its time
has passed), a cancelled booking ``cancelled``, a no-show ``noshow``. The slot's topic is
the ``serviceType``, its channel (in person, phone, video) the ``appointmentType``; the
serving unit, the booking unit and the client are the participants."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils import timezone

from silta.bookings.models import Booking, BookingStatus
from silta.fhir.codes import BOOKING_CHANNEL, TOPIC, concept, ref

STATUS = {
    BookingStatus.BOOKED: "booked",
    BookingStatus.CANCELLED: "cancelled",
    BookingStatus.NO_SHOW: "noshow",
}
# A booking whose time has passed without a no-show is taken as kept.
FULFILLED = "fulfilled"


def booking_status_filter(code: str, now: dt.datetime) -> Q | None:
    """The bookings a FHIR status stands for; None for a status bookings never have."""
    if code == FULFILLED:
        return Q(status=BookingStatus.BOOKED, slot__ends_at__lte=now)
    if code == STATUS[BookingStatus.BOOKED]:
        return Q(status=BookingStatus.BOOKED, slot__ends_at__gt=now)
    found = [status for status, fhir in STATUS.items() if fhir == code]
    return Q(status__in=found) if found else None


def _status(booking: Booking, now: dt.datetime) -> str:
    if booking.status == BookingStatus.BOOKED and booking.slot.ends_at <= now:
        return FULFILLED
    return STATUS[BookingStatus(booking.status)]


def booking_appointment(booking: Booking, now: dt.datetime | None = None) -> dict[str, Any]:
    """A booking (slot, units, client and referral loaded)."""
    slot, serving, booking_unit = booking.slot, booking.serving_unit, booking.booking_unit
    active = booking.status != BookingStatus.CANCELLED
    resource: dict[str, Any] = {
        "resourceType": "Appointment",
        "id": str(booking.public_id),
        "status": _status(booking, now or timezone.now()),
        "serviceType": [concept(TOPIC, slot.topic, slot.get_topic_display())],
        "appointmentType": concept(BOOKING_CHANNEL, slot.channel, slot.get_channel_display()),
        "start": slot.starts_at.isoformat(),
        "end": slot.ends_at.isoformat(),
        "minutesDuration": slot.duration_minutes,
        "created": booking.booked_at.isoformat(),
        "comment": slot.place_text,
        "participant": [
            {
                "actor": ref("Organization", serving.public_id, serving.name),
                "required": "required",
                "status": "accepted" if active else "declined",
            },
            {
                "actor": ref("Organization", booking_unit.public_id, booking_unit.name),
                "required": "information-only",
                "status": "accepted",
            },
            {
                "actor": ref("Patient", booking.client.public_id),
                "required": "required",
                "status": "accepted" if active else "declined",
            },
        ],
    }
    if booking.referral_id and booking.referral is not None:
        resource["basedOn"] = [ref("ServiceRequest", booking.referral.public_id)]
    if booking.status == BookingStatus.CANCELLED and booking.cancel_reason:
        resource["cancelationReason"] = {"text": booking.cancel_reason}
    return resource
