"""Appointments: the meetings of shared cases and the bookings of appointment slots, one
resource type. Each through its own app's access rule and audited read (a booking is seen
by the booking unit and the serving unit, as on the bookings pages); a search merges the
two, newest first (a meeting by when it was arranged, a booking by when it was made), and
writes one audit row per page naming the clients shown."""

from __future__ import annotations

import datetime as dt
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from silta.accounts.actor import Actor
from silta.accounts.roles import Perm
from silta.audit.denial import deny
from silta.bookings.models import Booking
from silta.bookings.permissions import booking_filter
from silta.bookings.selectors import booking_get
from silta.core.ids import parse_uuid
from silta.fhir.mappings.bookings import booking_appointment, booking_status_filter
from silta.fhir.mappings.meetings import appointment_resource, appointment_statuses
from silta.fhir.outcome import FhirError
from silta.fhir.search import Search, date_bounds, date_filter, reference_ids
from silta.fhir.selectors import meetings
from silta.fhir.selectors.common import audit_search

APPOINTMENT_PARAMS = ("_id", "patient", "status", "date")


def appointment_read(*, actor: Actor, appointment_id: str) -> dict[str, Any]:
    """A booking's or a meeting's Appointment (the same 404 for missing and not yours)."""
    key = parse_uuid(appointment_id)
    if key is not None and Booking.objects.filter(public_id=key).exists():
        return booking_appointment(booking_get(actor=actor, booking_id=key))
    return meetings.appointment_read(actor=actor, appointment_id=appointment_id)


def _status_filter(values: list[str], now: dt.datetime) -> Q:
    """Bookings with any of the FHIR statuses; 400 for a status neither kind has."""
    found = []
    for value in values:
        q = booking_status_filter(value, now)
        if q is None and not appointment_statuses(value):
            raise FhirError(400, "invalid_status", _("Unknown status."))
        if q is not None:
            found.append(q)
    return reduce(or_, found) if found else Q(pk__in=[])


def booking_rows(*, actor: Actor, search: Search, limit: int, now: dt.datetime) -> list[Booking]:
    rows = Booking.objects.filter(booking_filter(actor))
    params = search.params
    if "_id" in params:
        rows = rows.filter(public_id__in=reference_ids(params["_id"], "", "_id"))
    if "patient" in params:
        rows = rows.filter(
            client__public_id__in=reference_ids(params["patient"], "Patient", "patient")
        )
    if "status" in params:
        rows = rows.filter(_status_filter(params["status"], now))
    if "date" in params:
        rows = rows.filter(date_filter("slot__starts_at", date_bounds(params["date"], "date")))
    rows = rows.select_related(
        "slot", "serving_unit", "booking_unit", "client", "referral"
    ).order_by("-booked_at", "-pk")
    return list(rows[:limit])


def appointment_search(*, actor: Actor, search: Search) -> tuple[list[dict[str, Any]], bool]:
    if not actor.can(Perm.CASE_VIEW):
        raise deny(actor, detail={"perm": str(Perm.CASE_VIEW)})
    now = timezone.now()
    # Enough of each for this page and one ahead; merged newest first.
    limit = search.offset + search.count + 1
    found = [
        (b.booked_at, str(b.public_id), b.client.public_id, booking_appointment(b, now))
        for b in booking_rows(actor=actor, search=search, limit=limit, now=now)
    ] + [
        (m.created_at, str(m.public_id), m.case.client.public_id, appointment_resource(m))
        for m in meetings.meeting_rows(actor=actor, search=search, limit=limit)
    ]
    found.sort(key=lambda row: (row[0], row[1]), reverse=True)
    page = found[search.offset : search.offset + search.count]
    audit_search(actor, "fhir_appointment", search.page, (row[2] for row in page))
    return [row[3] for row in page], len(found) > search.offset + search.count
