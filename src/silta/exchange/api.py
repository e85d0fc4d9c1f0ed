"""API: the unit's cases, timelines, messages with attachments, receipts, downloads."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from django.http import FileResponse, HttpRequest
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from silta.api_keys.auth import api_actor
from silta.api_keys.idempotency import run_idempotent
from silta.clients.selectors import client_get, client_seen
from silta.consents.schemas import (
    BasisIdForm,
    BasisIn,
    CircumstanceForm,
    ConsentIdForm,
    basis_choice,
)
from silta.core.api_schemas import ErrorOut, Out
from silta.core.pagination import clamp_page
from silta.directory.models import Topic
from silta.exchange import api_rows, selectors, services, workflow
from silta.exchange.downloads import attachment_response
from silta.exchange.models import Case
from silta.organisations.selectors import unit_by_public_id, units_page
from silta.reference.expense_kinds import CODE_LENGTH, EXPENSE_KIND_HELP

if TYPE_CHECKING:  # the codes come from the data; to the type checker they are text
    CaseTopic = str
else:
    # The web form's topics: basic assistance is Kela's own, not a topic to ask it about.
    CaseTopic = Literal[tuple(t for t in Topic.values if t != Topic.BASIC_ASSISTANCE)]

router = Router(tags=["exchange"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
# What discloses client data to the other organisation may also answer 422 no_lawful_basis.
DISCLOSING = {**ERRORS, 422: ErrorOut}


class UnitOut(Schema):
    id: uuid.UUID
    name_fi: str
    name_sv: str
    kind: str
    organisation: str
    is_kela: bool


class CaseIn(BasisIn):
    client_id: uuid.UUID
    counterpart_unit_id: uuid.UUID
    topic: CaseTopic | None = Field(
        None,
        description="What the case is about (Kela's side; social services ask Kela about "
        "basic assistance). It picks the unit Silta suggests (GET /directory/route); "
        "omitted: social assistance.",
    )
    override_reason: str = Field(
        "",
        max_length=500,
        description="Why another unit than the suggested one: required then, else 400 "
        "override_reason_required (the message names the suggested unit). Recorded on the "
        "case.",
    )


class CaseOut(Out):
    id: uuid.UUID
    client_id: uuid.UUID
    client_name: str
    kela_unit_id: uuid.UUID
    social_unit_id: uuid.UUID
    legal_basis: str
    opened_at: datetime
    last_activity_at: datetime


class AttachmentOut(Out):
    id: uuid.UUID
    file_name: str
    content_type: str
    size: int
    sha256: str
    active_content: bool = Field(
        description="A PDF with JavaScript or actions that run when opened "
        "(accepted only where SILTA_PDF_ACTIVE_CONTENT=flag): open it with care."
    )


class ReceiptOut(Out):
    kind: str
    by: str
    at: datetime


class MessageOut(Out):
    id: uuid.UUID
    thread_id: uuid.UUID
    subject: str
    expense_kind: str = Field(description=EXPENSE_KIND_HELP)
    body: str
    kind: str
    sender: str
    sender_unit_id: uuid.UUID
    recipient_unit_id: uuid.UUID
    sent_at: datetime
    attachments: list[AttachmentOut]
    receipts: list[ReceiptOut]


class EventOut(Out):
    kind: str
    at: datetime
    actor: str
    unit_id: uuid.UUID
    thread_id: uuid.UUID | None
    message: MessageOut | None


class PageOut(Out):
    page: int
    has_next: bool


class CasesPage(PageOut):
    items: list[CaseOut]


class UnitsPage(PageOut):
    items: list[UnitOut]


class TimelinePage(PageOut):
    items: list[EventOut]


class ReadOut(Schema):
    marked: bool


def _case_out(case: Case) -> dict[str, Any]:
    """A ``CaseOut`` as a dict (validated once, by the operation)."""
    return {
        "id": case.public_id,
        "client_id": case.client.public_id,
        "client_name": case.client.full_name,
        "kela_unit_id": case.kela_unit.public_id,
        "social_unit_id": case.social_unit.public_id,
        "legal_basis": case.legal_basis,
        "opened_at": case.opened_at,
        "last_activity_at": case.last_activity_at,
    }


def _acting_unit(request: HttpRequest) -> int:
    return api_actor(request).memberships[0].unit_id


@router.get("/units", response={200: UnitsPage}, summary="Active units (to pick a counterpart)")
def units(request: HttpRequest, page: int = 1) -> Any:
    result = units_page(page=page)
    items = [
        UnitOut(
            id=u.public_id,
            name_fi=u.name_fi,
            name_sv=u.name_sv,
            kind=u.kind,
            organisation=u.organisation.name_fi,
            is_kela=u.is_kela,
        )
        for u in result.items
    ]
    return {"page": result.number, "has_next": result.has_next, "items": items}


@router.get("/cases", response={200: CasesPage, **ERRORS}, summary="The unit's shared cases")
def cases(request: HttpRequest, page: int = 1) -> Any:
    actor = api_actor(request)
    result = selectors.unit_cases(actor=actor, unit_id=_acting_unit(request), page=page)
    return {
        "page": result.number,
        "has_next": result.has_next,
        "items": result.items,
    }


@router.post(
    "/cases",
    response={200: CaseOut, 201: CaseOut, **DISCLOSING},
    summary="Open (or get) the client's shared case with a counterpart unit",
    description="The key's unit needs a relation to the client (it serves the client's "
    "municipality, shares a case of the client, or a consent of the client names it), else "
    "403. Choosing another unit than the one Silta suggests for the client's municipality "
    "and topic needs `override_reason`, else 400 `override_reason_required`. Opening "
    "discloses who the client is: on a consent in force or a statutory basis, else 422 "
    "`no_lawful_basis`.",
)
def open_case(request: HttpRequest, data: CaseIn) -> Any:
    def handler() -> tuple[int, Any]:
        actor = api_actor(request)
        # The case's answer names the client: audited as a view once it is the key's case.
        client = client_get(actor=actor, client_id=data.client_id, audit=False)
        counterpart = unit_by_public_id(data.counterpart_unit_id)
        case, created = services.case_open(
            actor=actor,
            client=client,
            acting_unit_id=_acting_unit(request),
            counterpart_unit_id=counterpart.pk if counterpart else 0,
            basis=data.basis_choice(),
            topic=data.topic or "",
            override_reason=data.override_reason,
        )
        case = selectors.case_get(actor=actor, case_id=case.public_id, audit=False)
        client_seen(actor=actor, client=client, related=True)
        return (201 if created else 200), _case_out(case)

    return Status(*run_idempotent(request, data.model_dump(), handler))


@router.get(
    "/cases/{case_id}/timeline",
    response={200: TimelinePage, **ERRORS},
    summary="A case's timeline, newest first",
)
def timeline(request: HttpRequest, case_id: uuid.UUID, page: int = 1) -> Any:
    case = selectors.case_get(actor=api_actor(request), case_id=case_id)
    number = clamp_page(page)
    items, has_next = api_rows.case_timeline_rows(
        case=case, page=number, size=selectors.TIMELINE_PAGE_SIZE
    )
    return {"page": number, "has_next": has_next, "items": items}


@router.post(
    "/cases/{case_id}/threads",
    response={201: MessageOut, **DISCLOSING},
    summary="Start a thread with its first message and attachments (multipart)",
)
def start_thread(
    request: HttpRequest,
    case_id: uuid.UUID,
    subject: str = Form(..., min_length=1, max_length=services.MAX_SUBJECT),
    body: str = Form(..., min_length=1, max_length=services.MAX_BODY),
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
    consent_id: ConsentIdForm = None,
    statutory_basis: BasisIdForm = None,
    circumstance: CircumstanceForm = None,
    expense_kind: str = Form("", max_length=CODE_LENGTH, description=EXPENSE_KIND_HELP),
) -> Any:
    def handler() -> tuple[int, Any]:
        actor = api_actor(request)
        case = selectors.case_get(actor=actor, case_id=case_id, audit=False)
        message = services.thread_start(
            expense_kind=expense_kind,
            actor=actor,
            case=case,
            subject=subject,
            body=body,
            files=files or [],
            basis=basis_choice(consent_id, statutory_basis, circumstance),
        )
        return 201, api_rows.message_row(message=message)

    # The chosen basis is part of the request: the same key with another basis is refused.
    basis = {"consent": str(consent_id or ""), "basis": statutory_basis, "fact": circumstance}
    payload = {
        "case": str(case_id),
        "subject": subject,
        "body": body,
        "expense_kind": expense_kind,
        **basis,
    }
    return Status(*run_idempotent(request, payload, handler))


@router.post(
    "/threads/{thread_id}/messages",
    response={201: MessageOut, **DISCLOSING},
    summary="Send a message with attachments in a thread (multipart)",
)
def send_message(
    request: HttpRequest,
    thread_id: uuid.UUID,
    body: str = Form(..., min_length=1, max_length=services.MAX_BODY),
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
    consent_id: ConsentIdForm = None,
    statutory_basis: BasisIdForm = None,
    circumstance: CircumstanceForm = None,
) -> Any:
    def handler() -> tuple[int, Any]:
        actor = api_actor(request)
        thread = selectors.thread_get(actor=actor, thread_id=thread_id)
        message = services.message_send(
            actor=actor,
            thread=thread,
            body=body,
            files=files or [],
            basis=basis_choice(consent_id, statutory_basis, circumstance),
        )
        return 201, api_rows.message_row(message=message)

    basis = {"consent": str(consent_id or ""), "basis": statutory_basis, "fact": circumstance}
    payload = {"thread": str(thread_id), "body": body, **basis}
    return Status(*run_idempotent(request, payload, handler))


@router.get(
    "/threads/{thread_id}/messages",
    response={200: list[MessageOut], **ERRORS},
    summary="A thread's messages, oldest first (at most 500)",
)
def thread_messages(request: HttpRequest, thread_id: uuid.UUID) -> Any:
    thread = selectors.thread_get(actor=api_actor(request), thread_id=thread_id)
    return api_rows.thread_message_rows(thread=thread, limit=500)


@router.post(
    "/messages/{message_id}/read",
    response={200: ReadOut, **ERRORS},
    summary="Acknowledge a received message as read",
)
def mark_read(request: HttpRequest, message_id: uuid.UUID) -> Any:
    actor = api_actor(request)
    message = selectors.message_get(actor=actor, message_id=message_id)
    return {"marked": workflow.message_mark_read(actor=actor, message=message)}


@router.get(
    "/attachments/{attachment_id}", response={200: None, **ERRORS}, summary="Download an attachment"
)
def download(request: HttpRequest, attachment_id: uuid.UUID) -> FileResponse:
    return attachment_response(actor=api_actor(request), attachment_id=attachment_id)
