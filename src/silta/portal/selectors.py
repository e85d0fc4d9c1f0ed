"""Reads of the own view besides My matters: meetings, appointments booked for the
client, consents and powers of attorney.
Every read is of the signed-in client's (or principal's) own rows only; an id from a
form is looked up within them, so another client's id is simply not found."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from silta.bookings.models import Booking, BookingStatus
from silta.clients.models import Client
from silta.consents.models import Consent, ConsentWording, PowerOfAttorney
from silta.core.ids import parse_uuid
from silta.exchange.models import Case
from silta.meetings.models import KINDS_WITH_CLIENT, Meeting, MeetingStatus
from silta.portal.models import Withholding
from silta.referrals.models import Referral
from silta.referrals.state import OPEN_STATES
from silta.referrals.types import ReferralType

UPCOMING = (MeetingStatus.SCHEDULING, MeetingStatus.CONFIRMED)


def upcoming_meetings(client: Client, now: dt.datetime | None = None) -> list[Meeting]:
    """The client's meetings still to come (those the client is invited to)."""
    now = now or timezone.now()
    return list(
        Meeting.objects.filter(case__client=client, kind__in=KINDS_WITH_CLIENT, status__in=UPCOMING)
        .filter(Q(starts_at__gte=now - dt.timedelta(hours=2)) | Q(starts_at__isnull=True))
        .select_related("organiser_unit__organisation", "place_unit")
        .order_by("starts_at", "pk")
    )


def client_meeting(client: Client, meeting_id: object) -> Meeting | None:
    """A confirmed meeting of the client with a time (for its calendar file), or None."""
    key = _uuid(meeting_id)
    if key is None:
        return None
    return (
        Meeting.objects.filter(
            public_id=key,
            case__client=client,
            kind__in=KINDS_WITH_CLIENT,
            status=MeetingStatus.CONFIRMED,
            starts_at__isnull=False,
            sequence__isnull=False,
        )
        .select_related("organiser_unit")
        .first()
    )


def upcoming_bookings(client: Client, now: dt.datetime | None = None) -> list[Booking]:
    """Appointments a worker booked for the client that have not ended (not cancelled)."""
    return list(
        Booking.objects.filter(
            client=client, status=BookingStatus.BOOKED, slot__ends_at__gt=now or timezone.now()
        )
        .select_related("slot", "serving_unit__organisation")
        .order_by("slot__starts_at", "pk")
    )


def client_booking(client: Client, booking_id: object) -> Booking | None:
    """One of the client's bookings (for its calendar file), or None."""
    key = _uuid(booking_id)
    if key is None:
        return None
    return (
        Booking.objects.filter(public_id=key, client=client)
        .select_related("slot", "serving_unit")
        .first()
    )


def pending_meeting_request(client: Client) -> Referral | None:
    return (
        Referral.objects.filter(
            case__client=client, type=ReferralType.MEETING_REQUEST, status__in=OPEN_STATES
        )
        .select_related("receiver_unit")
        .first()
    )


def client_cases(client: Client) -> list[Case]:
    return list(
        Case.objects.filter(client=client)
        .select_related("kela_unit__organisation", "social_unit__organisation")
        .order_by("-last_activity_at", "pk")
    )


def client_case(client: Client, case_id: object) -> Case | None:
    key = _uuid(case_id)
    if key is None:
        return None
    return (
        Case.objects.filter(public_id=key, client=client)
        .select_related("kela_unit__organisation", "social_unit__organisation")
        .first()
    )


@dataclass(frozen=True)
class ConsentRow:
    consent: Consent
    state: str


def client_consents(client: Client, now: dt.datetime | None = None) -> list[ConsentRow]:
    now = now or timezone.now()
    rows = (
        Consent.objects.filter(client=client)
        .select_related("organiser", "revocation", "wording")
        .prefetch_related("units")
        .order_by("-recorded_at", "-id")
    )
    return [ConsentRow(c, c.state(now)) for c in rows]


def client_consent(client: Client, consent_id: object) -> Consent | None:
    key = _uuid(consent_id)
    if key is None:
        return None
    return Consent.objects.filter(public_id=key, client=client).first()


def powers_given(client: Client) -> list[PowerOfAttorney]:
    """The powers of attorney the client has given (who, for what, until when)."""
    return list(PowerOfAttorney.objects.filter(client=client).order_by("-recorded_at", "-id"))


def active_withholding(referral: Referral) -> Withholding | None:
    """The referral's withholding in force (staff page), or None."""
    return Withholding.objects.filter(referral=referral, lifted_at__isnull=True).first()


def is_withheld(referral: Referral) -> bool:
    """Is ``referral`` kept from the client's own view now (then its outcome is not news
    to the client: ``referrals.client_notices`` asks this before notifying)?"""
    return Withholding.objects.filter(referral=referral, lifted_at__isnull=True).exists()


def current_wording() -> ConsentWording | None:
    """The newest consent wording: the exact text the client agrees to."""
    return ConsentWording.objects.order_by("-created_at", "-id").first()


def _uuid(value: object) -> uuid.UUID | None:
    return parse_uuid(value)
