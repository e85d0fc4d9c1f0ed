"""Appointments (meetings) through the meetings' access rule: the case's party units see
them; a read is ``meeting_get`` (audited), a search one audit row naming the clients."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from silta.accounts.actor import Actor
from silta.accounts.roles import Perm
from silta.audit.denial import deny
from silta.fhir.mappings.meetings import appointment_resource, appointment_statuses
from silta.fhir.outcome import FhirError
from silta.fhir.search import Search, reference_ids
from silta.fhir.selectors.common import audit_search
from silta.meetings.models import Meeting, Participant, ProposedTime
from silta.meetings.permissions import meeting_filter
from silta.meetings.selectors import meeting_get

APPOINTMENT_PARAMS = ("_id", "patient", "status")


def appointment_read(*, actor: Actor, appointment_id: str) -> dict[str, Any]:
    return appointment_resource(meeting_get(actor=actor, meeting_id=appointment_id))


def appointment_search(*, actor: Actor, search: Search) -> tuple[list[dict[str, Any]], bool]:
    if not actor.can(Perm.CASE_VIEW):
        raise deny(actor, detail={"perm": str(Perm.CASE_VIEW)})
    rows = Meeting.objects.filter(meeting_filter(actor))
    params = search.params
    if "_id" in params:
        rows = rows.filter(public_id__in=reference_ids(params["_id"], "", "_id"))
    if "patient" in params:
        clients = reference_ids(params["patient"], "Patient", "patient")
        rows = rows.filter(case__client__public_id__in=clients)
    if "status" in params:
        statuses = [s for v in params["status"] for s in appointment_statuses(v)]
        if not statuses:
            raise FhirError(400, "invalid_status", _("Unknown status."))
        rows = rows.filter(status__in=statuses)
    rows = (
        rows.select_related("case__client", "organiser_unit", "referral")
        .prefetch_related(
            Prefetch("participants", queryset=Participant.objects.order_by("pk")),
            Prefetch("times", queryset=ProposedTime.objects.order_by("starts_at")),
        )
        .order_by("-created_at", "-pk")
    )
    found = list(rows[search.offset : search.offset + search.count + 1])
    page = found[: search.count]
    audit_search(actor, "fhir_appointment", search.page, (m.case.client.public_id for m in page))
    return [appointment_resource(m) for m in page], len(found) > search.count
