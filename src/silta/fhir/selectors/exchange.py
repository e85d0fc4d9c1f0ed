"""Communication (messages), DocumentReference (attachments' metadata) and Binary (their
bytes), through the exchange selectors: the actor's units must be party to the case;
every read is audited, a download as the download it is."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse

from silta.accounts.actor import Actor
from silta.accounts.roles import Perm
from silta.audit.denial import deny
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.exchange.downloads import attachment_response
from silta.exchange.models import Attachment, Message
from silta.exchange.permissions import acting_unit_for_case, visible_cases
from silta.exchange.selectors import attachment_get, message_get
from silta.fhir.mappings.exchange import communication_resource, document_reference_resource
from silta.fhir.search import Search, date_bounds, date_filter, reference_ids
from silta.fhir.selectors.common import audit_search

COMMUNICATION_PARAMS = ("_id", "_lastUpdated", "patient")


def _viewed(actor: Actor, obj: Any, case: Any) -> None:
    record(
        actor=actor,
        action=AuditAction.VIEW,
        obj=obj,
        client=case.client,
        unit_id=acting_unit_for_case(actor, case, Perm.CASE_VIEW),
        legal_basis=case.legal_basis,
    )


def communication_read(*, actor: Actor, communication_id: str) -> dict[str, Any]:
    message = message_get(actor=actor, message_id=communication_id)
    _viewed(actor, message, message.case)
    return communication_resource(message)


def communication_search(*, actor: Actor, search: Search) -> tuple[list[dict[str, Any]], bool]:
    """Messages of the actor's cases, newest first; one audit row naming the clients."""
    if not actor.can(Perm.CASE_VIEW):
        raise deny(actor, detail={"perm": str(Perm.CASE_VIEW)})
    rows = Message.objects.filter(case__in=visible_cases(actor))
    params = search.params
    if "_id" in params:
        rows = rows.filter(public_id__in=reference_ids(params["_id"], "", "_id"))
    if "patient" in params:
        clients = reference_ids(params["patient"], "Patient", "patient")
        rows = rows.filter(case__client__public_id__in=clients)
    if "_lastUpdated" in params:
        rows = rows.filter(date_filter("sent_at", date_bounds(params["_lastUpdated"])))
    rows = (
        rows.select_related("thread", "case__client", "sender_unit", "recipient_unit")
        .prefetch_related("attachments", "receipts")
        .order_by("-sent_at", "-pk")
    )
    found = list(rows[search.offset : search.offset + search.count + 1])
    page = found[: search.count]
    audit_search(actor, "fhir_communication", search.page, (m.case.client.public_id for m in page))
    return [communication_resource(m) for m in page], len(found) > search.count


def document_reference_read(*, actor: Actor, document_id: str, binary_url: str) -> dict[str, Any]:
    """An attachment's metadata, for those who may download it; audited as a view."""
    attachment: Attachment = attachment_get(actor=actor, attachment_id=document_id)
    _viewed(actor, attachment, attachment.message.case)
    return document_reference_resource(attachment, binary_url)


def binary_read(*, actor: Actor, binary_id: str) -> FileResponse:
    """The bytes, through the one access-checked, audited download."""
    return attachment_response(actor=actor, attachment_id=binary_id)
