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

from django.db.models import Q, QuerySet
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


def booking_matches(*, actor: Actor, search: Search, now: dt.datetime) -> QuerySet[Booking]:
    """The bookings the search finds, newest first, unloaded (filters only)."""
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
    return rows.order_by("-booked_at", "-pk")


def _bookings_loaded(ids: list[int]) -> dict[int, Booking]:
    rows = Booking.objects.filter(pk__in=ids).select_related(
        "slot", "serving_unit", "booking_unit", "client", "referral"
    )
    return {b.pk: b for b in rows} if ids else {}


# A page is found in two steps, so a deep page costs about what the first one does: the
# keys (time, public id, row id) of the first offset + count + 1 matches of each kind, read
# from the filtered table alone (no joins to load, nothing mapped), merged newest first;
# then only the page's rows are loaded and made into Appointments.
Key = tuple[dt.datetime, str, str, int]


def _keys(bookings: QuerySet[Booking], meetings_: QuerySet[Any], limit: int) -> list[Key]:
    found = [
        (at, str(public_id), "booking", pk)
        for at, public_id, pk in bookings.values_list("booked_at", "public_id", "pk")[:limit]
    ] + [
        (at, str(public_id), "meeting", pk)
        for at, public_id, pk in meetings_.values_list("created_at", "public_id", "pk")[:limit]
    ]
    found.sort(key=lambda row: (row[0], row[1]), reverse=True)
    return found


def appointment_search(*, actor: Actor, search: Search) -> tuple[list[dict[str, Any]], bool]:
    if not actor.can(Perm.CASE_VIEW):
        raise deny(actor, detail={"perm": str(Perm.CASE_VIEW)})
    now = timezone.now()
    limit = search.offset + search.count + 1
    keys = _keys(
        booking_matches(actor=actor, search=search, now=now),
        meetings.meeting_matches(actor=actor, search=search),
        limit,
    )
    page = keys[search.offset : search.offset + search.count]
    booked = _bookings_loaded([pk for *_k, kind, pk in page if kind == "booking"])
    met = meetings.meetings_loaded([pk for *_k, kind, pk in page if kind == "meeting"])
    rows: list[tuple[Any, dict[str, Any]]] = []
    for *_key, kind, pk in page:  # a row gone since its key was read is left out
        booking, meeting = booked.get(pk), met.get(pk)
        if kind == "booking" and booking is not None:
            rows.append((booking.client.public_id, booking_appointment(booking, now)))
        elif kind == "meeting" and meeting is not None:
            rows.append((meeting.case.client.public_id, appointment_resource(meeting)))
    audit_search(actor, "fhir_appointment", search.page, (row[0] for row in rows))
    return [row[1] for row in rows], len(keys) > search.offset + search.count
