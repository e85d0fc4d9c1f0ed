"""API: call-back requests for integrations (the same services as the web pages)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from silta.api_keys.auth import api_actor
from silta.api_keys.idempotency import run_idempotent
from silta.callbacks import services
from silta.callbacks.models import CallbackRequest
from silta.callbacks.selectors import callback_get, callback_queue, callbacks_sent
from silta.clients.selectors import client_get
from silta.core.api_schemas import ErrorOut
from silta.core.errors import NotFound
from silta.organisations.selectors import unit_by_public_id

router = Router(tags=["call-backs"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
# A request about a client to the other organisation discloses: 422 no_lawful_basis too.
DISCLOSING = {**ERRORS, 422: ErrorOut}


class CallbackIn(services.CallbackInput):
    """The request and whom it goes to; about a client: ``client_id``, and the lawful basis
    when no consent in force covers it (``consent_id``, ``statutory_basis``)."""

    unit_id: uuid.UUID
    client_id: uuid.UUID | None = None


class CallbackOut(Schema):
    id: uuid.UUID
    unit_id: uuid.UUID
    requester_unit_id: uuid.UUID
    client_id: uuid.UUID | None
    topic: str
    urgency: str
    phone: str
    status: str
    created_at: dt.datetime
    due_at: dt.datetime
    attempts: int
    outcome: str
    outcome_note: str
    cancelled_reason: str


class CallbacksPage(Schema):
    page: int
    has_next: bool
    items: list[CallbackOut]


def _out(request: CallbackRequest) -> dict[str, Any]:
    return CallbackOut(
        id=request.public_id,
        unit_id=request.unit.public_id,
        requester_unit_id=request.requester_unit.public_id,
        client_id=request.client.public_id if request.client else None,
        topic=request.topic,
        urgency=request.urgency,
        phone=request.phone,
        status=request.status,
        created_at=request.created_at,
        due_at=request.due_at,
        attempts=request.attempts,
        outcome=request.outcome,
        outcome_note=request.outcome_note,
        cancelled_reason=request.cancelled_reason,
    ).model_dump(mode="json")


@router.post(
    "/callbacks",
    response={201: CallbackOut, **DISCLOSING},
    summary="Ask a unit to call back (about a client of the other organisation: on the "
    "client's consent, else 422 no_lawful_basis)",
    description="About a client (`client_id`), the key's unit needs a relation to the "
    "client (it serves the client's municipality, shares a case of the client, or a consent "
    "of the client names it), else 403; to the other organisation also a lawful basis, else "
    "422 `no_lawful_basis`.",
)
def create(request: HttpRequest, data: CallbackIn) -> Any:
    def handler() -> tuple[int, Any]:
        actor = api_actor(request)
        unit = unit_by_public_id(data.unit_id)
        if unit is None:
            raise NotFound(_("Not found."))
        # Not a read of the client's data: the request is audited with the client.
        client = (
            client_get(actor=actor, client_id=data.client_id, audit=False)
            if data.client_id
            else None
        )
        created = services.callback_request(
            actor=actor,
            requester_unit_id=actor.memberships[0].unit_id,
            unit=unit,
            client=client,
            data=data,
        )
        return 201, _out(callback_get(actor=actor, request_id=created.public_id))

    return Status(*run_idempotent(request, data.model_dump(), handler))


@router.get(
    "/callbacks",
    response={200: CallbacksPage, **ERRORS},
    summary="box=received: the unit's open queue; box=sent: what the unit asked for",
)
def listing(request: HttpRequest, box: str = "received", page: int = 1) -> Any:
    actor = api_actor(request)
    unit_id = actor.memberships[0].unit_id
    result = (
        callbacks_sent(actor=actor, unit_id=unit_id, page=page)
        if box == "sent"
        else callback_queue(actor=actor, unit_id=unit_id, page=page)
    )
    return {
        "page": result.number,
        "has_next": result.has_next,
        "items": [_out(r) for r in result.items],
    }


@router.get("/callbacks/{request_id}", response={200: CallbackOut, **ERRORS})
def detail(request: HttpRequest, request_id: uuid.UUID) -> Any:
    return _out(callback_get(actor=api_actor(request), request_id=request_id))


@router.post("/callbacks/{request_id}/claim", response={200: CallbackOut, **ERRORS})
def claim(request: HttpRequest, request_id: uuid.UUID) -> Any:
    actor = api_actor(request)
    found = callback_get(actor=actor, request_id=request_id)
    return _out(services.callback_claim(actor=actor, request=found))


@router.post(
    "/callbacks/{request_id}/attempt",
    response={200: CallbackOut, **ERRORS},
    summary="Record a call attempt that did not get through",
)
def attempt(request: HttpRequest, request_id: uuid.UUID) -> Any:
    actor = api_actor(request)
    found = callback_get(actor=actor, request_id=request_id)
    return _out(services.callback_attempt(actor=actor, request=found))


@router.post("/callbacks/{request_id}/complete", response={200: CallbackOut, **ERRORS})
def complete(request: HttpRequest, request_id: uuid.UUID, data: services.CompleteInput) -> Any:
    actor = api_actor(request)
    found = callback_get(actor=actor, request_id=request_id)
    return _out(services.callback_complete(actor=actor, request=found, data=data))


@router.post("/callbacks/{request_id}/cancel", response={200: CallbackOut, **ERRORS})
def cancel(request: HttpRequest, request_id: uuid.UUID, data: services.CancelInput) -> Any:
    actor = api_actor(request)
    found = callback_get(actor=actor, request_id=request_id)
    return _out(services.callback_cancel(actor=actor, request=found, data=data))
