"""API: appointment slots and bookings (the same services and selectors as the pages)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from silta.accounts.roles import Perm
from silta.api_keys.auth import api_actor
from silta.bookings import services, slots
from silta.bookings.inputs import (
    BookingCancelInput,
    BookInput,
    PublishInput,
    RebookInput,
    SearchInput,
)
from silta.bookings.models import Booking
from silta.bookings.selectors import (
    SlotRow,
    booking_get,
    slot_get,
    slots_search,
    unit_bookings,
)
from silta.core.api_schemas import ErrorOut
from silta.core.errors import Invalid
from silta.exchange.selectors import case_get

router = Router(tags=["bookings"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class SlotOut(Schema):
    id: uuid.UUID
    unit_id: uuid.UUID
    unit_name: str
    topic: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    channel: str
    place_text: str
    video_platform: str
    resource: str


class BookingOut(Schema):
    id: uuid.UUID
    slot: SlotOut
    case_id: uuid.UUID
    booking_unit_id: uuid.UUID
    serving_unit_id: uuid.UUID
    status: str
    sequence: int
    referral_id: uuid.UUID | None
    feedback_recorded: bool
    # Why the 10 a § feedback could not be recorded (the booking stands).
    feedback_error: str = ""


class SearchQuery(Schema):
    service_area: str = ""
    municipalities: list[str] = []
    topic: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def _slot(s: SlotRow) -> dict[str, Any]:
    return {
        "id": s.public_id,
        "unit_id": s.unit_public_id,
        "unit_name": s.unit_name,
        "topic": s.topic,
        "starts_at": s.starts_at,
        "ends_at": s.ends_at,
        "channel": s.channel,
        "place_text": s.place_text,
        "video_platform": s.video_platform,
        "resource": s.resource,
    }


def _booking(b: Booking, feedback_error: str = "") -> dict[str, Any]:
    return BookingOut(
        id=b.public_id,
        slot=SlotOut(**_slot(SlotRow.of(b.slot))),
        case_id=b.case.public_id,
        booking_unit_id=b.booking_unit.public_id,
        serving_unit_id=b.serving_unit.public_id,
        status=b.status,
        sequence=b.sequence,
        referral_id=b.referral.public_id if b.referral else None,
        feedback_recorded=b.feedback_at is not None,
        feedback_error=feedback_error,
    ).model_dump(mode="json")


def _reload(request: HttpRequest, booking: Booking, feedback_error: str = "") -> dict[str, Any]:
    return _booking(
        booking_get(actor=api_actor(request), booking_id=booking.public_id), feedback_error
    )


@router.post(
    "/bookings/slots",
    response={201: list[SlotOut], **ERRORS},
    summary="Publish the unit's appointment slots (one, or a series over working days)",
    description="Helsinki time; weekends and Finnish public holidays are skipped. An overlap "
    "with the same resource's slots is refused (409 slot_overlap), nothing published.",
)
def publish(request: HttpRequest, data: PublishInput) -> Any:
    made = slots.slots_publish(actor=api_actor(request), data=data)
    return Status(201, [_slot(SlotRow.of(s)) for s in made])


@router.get(
    "/bookings/slots",
    response={200: list[SlotOut], **ERRORS},
    summary="Free slots by service area (or municipalities), topic and date range",
)
def search(request: HttpRequest, query: Query[SearchQuery]) -> Any:
    data = SearchInput.model_validate(query.model_dump())
    return [_slot(s) for s in slots_search(actor=api_actor(request), data=data)]


@router.post(
    "/bookings",
    response={201: BookingOut, 422: ErrorOut, **ERRORS},
    summary="Book a slot for the client of a shared case",
    description="The booking tells the serving unit who the client is: it needs the client's "
    "consent in force (422 no_lawful_basis). A taken or past slot is 409 (slot_taken, "
    "slot_past). With referral_id (a Totul 10 a § assessment referral the unit received) "
    "the referral's feedback 'booked (date)' is recorded.",
)
def book(request: HttpRequest, data: BookInput) -> Any:
    actor = api_actor(request)
    if data.slot_id is None or data.case_id is None:
        raise Invalid(_("Give the slot and the case."), code="slot_and_case_required")
    slot = slot_get(actor=actor, slot_id=data.slot_id)
    case = case_get(actor=actor, case_id=data.case_id, perm=Perm.MEETING_ORGANISE)
    booked = services.booking_create(actor=actor, case=case, slot=slot, data=data)
    return Status(201, _reload(request, booked.booking, booked.feedback_error))


@router.get(
    "/bookings",
    response={200: list[BookingOut], **ERRORS},
    summary="Bookings made by or at the unit (upcoming, and the last month's)",
)
def booking_list(request: HttpRequest) -> Any:
    return [_booking(b) for b in unit_bookings(actor=api_actor(request))]


@router.get("/bookings/{booking_id}", response={200: BookingOut, **ERRORS})
def detail(request: HttpRequest, booking_id: uuid.UUID) -> Any:
    return _booking(booking_get(actor=api_actor(request), booking_id=booking_id))


@router.post(
    "/bookings/{booking_id}/rebook",
    response={200: BookingOut, 422: ErrorOut, **ERRORS},
    summary="Move the booking to another free slot of the same unit (same UID, SEQUENCE + 1)",
)
def rebook(request: HttpRequest, booking_id: uuid.UUID, data: RebookInput) -> Any:
    actor = api_actor(request)
    booking = booking_get(actor=actor, booking_id=booking_id)
    slot = slot_get(actor=actor, slot_id=data.slot_id)
    return _reload(request, services.booking_rebook(actor=actor, booking=booking, slot=slot))


@router.post(
    "/bookings/{booking_id}/cancel",
    response={200: BookingOut, **ERRORS},
    summary="Cancel (the booking or the serving unit); the confirmation is withdrawn",
)
def cancel(request: HttpRequest, booking_id: uuid.UUID, data: BookingCancelInput) -> Any:
    actor = api_actor(request)
    booking = booking_get(actor=actor, booking_id=booking_id)
    return _reload(request, services.booking_cancel(actor=actor, booking=booking, data=data))


@router.post(
    "/bookings/{booking_id}/no-show",
    response={200: BookingOut, **ERRORS},
    summary="The serving unit records that the client did not come",
)
def no_show(request: HttpRequest, booking_id: uuid.UUID) -> Any:
    actor = api_actor(request)
    booking = booking_get(actor=actor, booking_id=booking_id)
    return _reload(request, services.booking_no_show(actor=actor, booking=booking))
