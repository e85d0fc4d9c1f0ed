"""Appointments that are meetings, through the meetings' access rule: the case's party
units see them; a read is ``meeting_get`` (audited). ``appointments.py`` joins them with
the bookings into one search."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from silta.accounts.actor import Actor
from silta.fhir.mappings.meetings import appointment_resource, appointment_statuses
from silta.fhir.search import Search, date_bounds, date_filter, reference_ids
from silta.meetings.models import Meeting, Participant, ProposedTime
from silta.meetings.permissions import meeting_filter
from silta.meetings.selectors import meeting_get


def appointment_read(*, actor: Actor, appointment_id: str) -> dict[str, Any]:
    return appointment_resource(meeting_get(actor=actor, meeting_id=appointment_id))


def meeting_matches(*, actor: Actor, search: Search) -> QuerySet[Meeting]:
    """The meetings the search finds, newest first, unloaded (filters only)."""
    rows = Meeting.objects.filter(meeting_filter(actor))
    params = search.params
    if "_id" in params:
        rows = rows.filter(public_id__in=reference_ids(params["_id"], "", "_id"))
    if "patient" in params:
        clients = reference_ids(params["patient"], "Patient", "patient")
        rows = rows.filter(case__client__public_id__in=clients)
    if "status" in params:
        # A status no meeting has finds none (``status__in=[]``).
        statuses = [s for v in params["status"] for s in appointment_statuses(v)]
        rows = rows.filter(status__in=statuses)
    if "date" in params:
        rows = rows.filter(date_filter("starts_at", date_bounds(params["date"], "date")))
    return rows.order_by("-created_at", "-pk")


def meetings_loaded(ids: list[int]) -> dict[int, Meeting]:
    """The meetings of one page, with what their Appointment shows."""
    rows = (
        Meeting.objects.filter(pk__in=ids)
        .select_related("case__client", "organiser_unit", "referral")
        .prefetch_related(
            Prefetch("participants", queryset=Participant.objects.order_by("pk")),
            Prefetch("times", queryset=ProposedTime.objects.order_by("starts_at")),
        )
    )
    return {m.pk: m for m in rows} if ids else {}
