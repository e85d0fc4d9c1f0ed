"""What the facade serves: per resource type its read, its search and the search
parameters (the CapabilityStatement is written from this table too)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from silta.accounts.actor import Actor
from silta.fhir.search import Search
from silta.fhir.selectors import appointments, clients, directory, exchange, referrals

Result = tuple[list[dict[str, Any]], bool]
Reader = Callable[[HttpRequest, Actor, str], Any]
Searcher = Callable[[Actor, Search], Result]
# ``_revinclude``: the resources that point at a search page's resources.
RevIncluder = Callable[[Actor, list[dict[str, Any]]], list[dict[str, Any]]]


@dataclass(frozen=True, kw_only=True)
class ResourceType:
    read: Reader | None = None
    search: Searcher | None = None
    params: tuple[str, ...] = ()
    # The key's scope that a write needs (only Task takes writes).
    write_scope: str = ""
    # Searched only by POST ``_search`` with the parameters in the body (Patient).
    post_search: bool = False
    documentation: str = ""
    # ``_include``: "Type:param" -> (the element holding the reference, its resource type);
    # each included resource is read through its own read (access rule and audit).
    includes: dict[str, tuple[str, str]] = field(default_factory=dict)
    revincludes: dict[str, RevIncluder] = field(default_factory=dict)
    # ``_include`` values refused on purpose (400 OperationOutcome, code
    # ``include_refused``), with the reason the CapabilityStatement documents.
    refused_includes: dict[str, str] = field(default_factory=dict)


def _binary_url(request: HttpRequest, attachment_id: str) -> str:
    return request.build_absolute_uri(f"/fhir/R4/Binary/{attachment_id}")


# Reading a ServiceRequest as its receiving unit records the referral's receipt (a state
# change with a legal clock): a search, which is safe (GET), must not do that in passing
# for a whole page of Tasks, so the focus is read by id, one referral at a time.
FOCUS_REFUSED = (
    "400 OperationOutcome with code include_refused; the receiving unit's read of a "
    "ServiceRequest records the referral's receipt, which a search must not do in passing. "
    "Read ServiceRequest/<id> (Task.focus) instead."
)

RESOURCES: dict[str, ResourceType] = {
    "Task": ResourceType(
        read=lambda r, a, i: referrals.task_read(actor=a, task_id=i),
        search=lambda a, s: referrals.referral_search(actor=a, search=s, task=True),
        params=referrals.TASK_PARAMS,
        write_scope="referrals",
        includes={
            "Task:patient": ("for", "Patient"),
            "Task:owner": ("owner", "Organization"),
            "Task:requester": ("requester", "Organization"),
        },
        revincludes={
            "Provenance:target": lambda a, rows: referrals.task_provenances(
                actor=a, task_ids=[r["id"] for r in rows]
            )
        },
        refused_includes={"Task:focus": FOCUS_REFUSED},
        documentation="A referral's fulfilment (SDOH Clinical Care TaskForReferralManagement). "
        "PUT or JSON PATCH of status / businessStatus / statusReason / output moves the "
        "referral through the same transitions as the JSON API (scope `referrals`); 409 for "
        "a move the state machine does not allow. The receiving unit's read records receipt. "
        f"_include=Task:focus is refused: {FOCUS_REFUSED}",
    ),
    "ServiceRequest": ResourceType(
        read=lambda r, a, i: referrals.service_request_read(actor=a, request_id=i),
        search=lambda a, s: referrals.referral_search(actor=a, search=s, task=False),
        params=referrals.REQUEST_PARAMS,
        documentation="What a referral asks: its type, the client, the sending and "
        "receiving units.",
    ),
    "Provenance": ResourceType(
        read=lambda r, a, i: referrals.provenance_read(actor=a, provenance_id=i),
        search=lambda a, s: referrals.provenance_search(actor=a, search=s),
        params=("target",),
        documentation="Each step of a referral's history (returns and handoffs included), "
        "listed in Task.relevantHistory; search by target=Task/<id>.",
    ),
    "Patient": ResourceType(
        read=lambda r, a, i: clients.patient_read(actor=a, patient_id=i),
        params=("identifier",),
        post_search=True,
        documentation="The client; the identity code only as an identifier "
        "(urn:oid:1.2.246.21), for units with a relation to the client. Search only by "
        "POST Patient/_search with identifier=urn:oid:1.2.246.21|<code> in the form body "
        "(the code is never in a URL).",
    ),
    "Consent": ResourceType(
        read=lambda r, a, i: clients.consent_read(actor=a, consent_id=i),
        search=lambda a, s: clients.consent_search(actor=a, search=s),
        params=clients.CONSENT_PARAMS,
        documentation="A client's consents to share (patient required in a search).",
    ),
    "Communication": ResourceType(
        read=lambda r, a, i: exchange.communication_read(actor=a, communication_id=i),
        search=lambda a, s: exchange.communication_search(actor=a, search=s),
        params=exchange.COMMUNICATION_PARAMS,
        documentation="Messages of shared cases; attachments as DocumentReference.",
    ),
    "DocumentReference": ResourceType(
        read=lambda r, a, i: exchange.document_reference_read(
            actor=a, document_id=i, binary_url=_binary_url(r, i)
        ),
        documentation="An attachment's metadata; its bytes at Binary/<id>.",
    ),
    "Binary": ResourceType(
        read=lambda r, a, i: exchange.binary_read(actor=a, binary_id=i),
        documentation="An attachment's bytes in their own content type (audited download).",
    ),
    "Appointment": ResourceType(
        read=lambda r, a, i: appointments.appointment_read(actor=a, appointment_id=i),
        search=lambda a, s: appointments.appointment_search(actor=a, search=s),
        params=appointments.APPOINTMENT_PARAMS,
        documentation="Meetings on shared cases and bookings of appointment slots (seen by "
        "the booking and the serving unit): booked, fulfilled (its time passed), cancelled, "
        "noshow. Search by patient, status and date (the start: eq, ge, gt, le, lt).",
    ),
    "Organization": ResourceType(
        read=lambda r, a, i: directory.organization_read(organization_id=i),
        documentation="Organisations (Kela, the counties) and their units (partOf).",
    ),
    "HealthcareService": ResourceType(
        read=lambda r, a, i: directory.service_read(service_id=i),
        search=lambda a, s: directory.service_search(search=s),
        params=directory.BY_ORGANIZATION,
        documentation="A unit's contact channels with their hours (availableTime) and the "
        "coming year's closures (notAvailable).",
    ),
    "Location": ResourceType(
        read=lambda r, a, i: directory.location_read(location_id=i),
        search=lambda a, s: directory.location_search(search=s),
        params=directory.BY_ORGANIZATION,
        documentation="A unit's visiting addresses.",
    ),
    "PractitionerRole": ResourceType(
        search=lambda a, s: directory.practitioner_role_search(search=s),
        params=directory.BY_ORGANIZATION,
        documentation="The staff of a unit and their roles.",
    ),
}
