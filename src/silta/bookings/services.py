"""Booking a slot for a client, rebooking, cancelling, recording a no-show.

A booking tells the serving unit (of the other organisation) who the client is and when
they come: a disclosure, decided by ``consents.gate`` before anything is written and
logged with the booking. One active booking per slot is a partial unique index: of two
simultaneous bookings exactly one succeeds, the other gets 409. Confirmations
(iCalendar) go out after the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silta.accounts.actor import Actor
from silta.accounts.roles import Perm
from silta.audit import denial
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.bookings import feedback
from silta.bookings.ical import CANCEL, REQUEST
from silta.bookings.inputs import BookingCancelInput, BookInput
from silta.bookings.mail import send_confirmations
from silta.bookings.models import Booking, BookingStatus, Slot
from silta.bookings.permissions import acting_unit, can_change, can_mark_no_show, can_rebook
from silta.consents.codes import DisclosureKind
from silta.consents.disclosures import Authorised, audit_late_refusals
from silta.consents.gate import gate_decide, gate_log, legal_basis_of
from silta.core.errors import Conflict, Invalid, ServiceError
from silta.core.events import EventType, publish
from silta.exchange.models import Case
from silta.exchange.permissions import acting_unit_for_case
from silta.organisations.models import Unit


@dataclass(frozen=True)
class Booked:
    booking: Booking
    # Why the 10 a § feedback could not be recorded (the booking stands), if it could not.
    feedback_error: str = ""


def deny(actor: Actor, booking: Booking | None, what: str) -> ServiceError:
    return denial.deny(actor, obj=booking, detail={"booking_action": what})


def _audit(
    actor: Actor, booking: Booking, action: AuditAction, detail: dict[str, Any], basis: str = ""
) -> None:
    publish(
        EventType.BOOKING_CHANGED,
        (booking.booking_unit_id, booking.serving_unit_id),
        "booking",
        booking.public_id,
    )
    record(
        actor=actor,
        action=action,
        obj=booking,
        client=booking.client,
        unit_id=acting_unit(actor, booking),
        legal_basis=basis or booking.case.legal_basis,
        detail=detail,
    )


def taken() -> Conflict:
    return Conflict(
        _("This time was just booked by someone else. Choose another time."), code="slot_taken"
    )


def _bookable(slot: Slot) -> None:
    if slot.starts_at <= timezone.now():
        raise Conflict(_("This time has already passed."), code="slot_past")
    if slot.bookings.exclude(status=BookingStatus.CANCELLED).exists():
        raise taken()


def _email(value: str) -> str:
    value = (value or "").strip()
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise Invalid(
                _("Give the client's e-mail address in full, or leave it empty."),
                code="email_invalid",
                field="client_email",
            ) from None
    return value


def _other_organisation(booking_unit: Unit, serving: Unit) -> None:
    """Another organisation's appointment (Kela's, an organiser's, or another organiser's:
    each a disclosure the gate decides); one's own are booked in one's own system."""
    if booking_unit.organisation_id == serving.organisation_id:
        raise Invalid(
            _("Book the other organisation's appointments here; your own are in your own system."),
            code="same_organisation",
            field="slot_id",
        )


def _gate(actor: Actor, case: Case, unit_id: int, serving: Unit) -> Authorised | None:
    return gate_decide(
        actor=actor,
        client=case.client,
        unit_id=unit_id,
        recipient=serving,
        kind=DisclosureKind.BOOKING,
        object_type="booking",
    )


def booking_create(*, actor: Actor, case: Case, slot: Slot, data: BookInput) -> Booked:
    """Book ``slot`` for the client of ``case`` (the actor's unit is a party to it)."""
    unit_id = acting_unit_for_case(actor, case, Perm.MEETING_ORGANISE)
    if unit_id is None:
        raise deny(actor, None, "book")
    booking_unit = case.kela_unit if case.kela_unit_id == unit_id else case.social_unit
    _other_organisation(booking_unit, slot.unit)
    email = _email(data.client_email)
    referral = feedback.assessment_referral(case, unit_id, data.referral_id)
    _bookable(slot)
    authorised = _gate(actor, case, unit_id, slot.unit)
    try:
        with audit_late_refusals(), transaction.atomic():
            booking = Booking.objects.create(
                slot=slot,
                serving_unit=slot.unit,
                case=case,
                client=case.client,
                booking_unit_id=unit_id,
                booked_by=actor.user,
                booked_by_label=actor.label,
                referral=referral,
                client_email=email,
                booked_at=timezone.now(),
            )
            disclosure = gate_log(authorised, object_id=booking.public_id)
            detail = {"booking": str(booking.public_id), "slot": str(slot.public_id)}
            if disclosure is not None:
                detail["disclosure"] = str(disclosure.public_id)
            _audit(actor, booking, AuditAction.CREATE, detail, legal_basis_of(authorised))
    except IntegrityError:  # the one-active-booking index: a concurrent booking won
        raise taken() from None
    send_confirmations(booking, REQUEST)
    return Booked(booking, _feedback(actor, booking))


def _feedback(actor: Actor, booking: Booking) -> str:
    """Fill in the 10 a § feedback; a refusal (no consent to report back) is told, the
    booking stands."""
    if booking.referral is None:
        return ""
    try:
        feedback.record_booked(
            actor=actor, referral=booking.referral, starts_at=booking.slot.starts_at
        )
    except ServiceError as error:
        return str(error.message)
    booking.feedback_at = timezone.now()
    booking.save(update_fields=["feedback_at"])
    return ""


def _locked(booking: Booking) -> Booking:
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("slot", "serving_unit", "case", "client", "booked_by")
        .get(pk=booking.pk)
    )


def _require_active(booking: Booking) -> None:
    if booking.status != BookingStatus.BOOKED:
        raise Conflict(
            _("This booking is no longer active (%(status)s).")
            % {"status": booking.get_status_display()},
            code="booking_closed",
        )


def booking_rebook(*, actor: Actor, booking: Booking, slot: Slot) -> Booking:
    """Move the booking to another free slot of the same serving unit: the confirmation
    keeps its UID with a higher SEQUENCE."""
    if not can_rebook(actor, booking):
        raise deny(actor, booking, "rebook")
    if slot.unit_id != booking.serving_unit_id:
        raise Invalid(
            _("Rebook at the same unit; for another unit, cancel and book again."),
            code="other_unit",
            field="slot_id",
        )
    _bookable(slot)
    authorised = _gate(actor, booking.case, booking.booking_unit_id, slot.unit)
    try:
        with audit_late_refusals(), transaction.atomic():
            booking = _locked(booking)
            _require_active(booking)
            if booking.slot.starts_at <= timezone.now():
                raise Conflict(_("This appointment has already begun."), code="booking_begun")
            previous = booking.slot
            booking.slot, booking.sequence = slot, booking.sequence + 1
            booking.updated_by_label = actor.label
            booking.save(update_fields=["slot", "sequence", "updated_by_label"])
            gate_log(authorised, object_id=booking.public_id)
            _audit(
                actor,
                booking,
                AuditAction.UPDATE,
                {"rebooked_from": str(previous.public_id), "slot": str(slot.public_id)},
            )
    except IntegrityError:
        raise taken() from None
    send_confirmations(booking, REQUEST, update=True)
    return booking


def booking_cancel(*, actor: Actor, booking: Booking, data: BookingCancelInput) -> Booking:
    """Cancelled with a reason, by the booking or the serving unit; the slot is free
    again and the confirmation is withdrawn (METHOD:CANCEL, same UID)."""
    if not can_change(actor, booking):
        raise deny(actor, booking, "cancel")
    reason = (data.reason or "").strip()
    if not reason:
        raise Invalid(_("Give a reason for cancelling."), code="reason_required", field="reason")
    with transaction.atomic():
        booking = _locked(booking)
        _require_active(booking)
        if booking.slot.starts_at <= timezone.now():
            raise Conflict(_("This appointment has already begun."), code="booking_begun")
        booking.status, booking.cancel_reason = BookingStatus.CANCELLED, reason[:500]
        booking.cancelled_at, booking.sequence = timezone.now(), booking.sequence + 1
        booking.updated_by_label = actor.label
        booking.save()
        _audit(actor, booking, AuditAction.UPDATE, {"status": "cancelled"})
    send_confirmations(booking, CANCEL)
    return booking


def booking_no_show(*, actor: Actor, booking: Booking) -> Booking:
    """The serving unit records that the client did not come (once the time has come)."""
    if not can_mark_no_show(actor, booking):
        raise deny(actor, booking, "no_show")
    with transaction.atomic():
        booking = _locked(booking)
        _require_active(booking)
        if booking.slot.starts_at > timezone.now():
            raise Conflict(
                _("A no-show is recorded only once the appointment time has come."),
                code="not_yet",
            )
        booking.status, booking.no_show_at = BookingStatus.NO_SHOW, timezone.now()
        booking.updated_by_label = actor.label
        booking.save(update_fields=["status", "no_show_at", "updated_by_label"])
        _audit(actor, booking, AuditAction.UPDATE, {"status": "no_show"})
    return booking
