"""API: referrals for the organisations' own systems (the same services and rules)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from silta.api_keys.auth import api_actor
from silta.api_keys.idempotency import run_idempotent
from silta.core.api_schemas import ErrorOut
from silta.exchange import selectors as exchange
from silta.referrals import services
from silta.referrals.models import Referral
from silta.referrals.selectors import referral_get, referrals_received, referrals_sent
from silta.referrals.state import FHIR

router = Router(tags=["referrals"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class ReferralIn(Schema):
    case_id: uuid.UUID
    type: str
    description: str = ""
    urgent: bool = False
    concerns: list[str] = []
    basis: str = ""
    share_back: str = ""
    document_kind: str = ""
    requested_date: dt.date | None = None
    proposed_times: str = ""


class ActIn(Schema):
    action: str
    reason: str = ""
    reason_text: str = ""
    outcome: str = ""
    outcome_date: dt.date | None = None
    outcome_time: dt.time | None = None
    outcome_text: str = ""
    version: int | None = None


class ReferralOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    thread_id: uuid.UUID
    type: str
    status: str
    fhir_status: str
    fhir_business_status: str
    urgent: bool
    sender_unit_id: uuid.UUID
    receiver_unit_id: uuid.UUID
    deadline_rule: str
    due_date: dt.date
    sent_at: dt.datetime
    received_at: dt.datetime | None
    completed_at: dt.datetime | None
    escalated: bool
    handoff_count: int
    outcome: str
    outcome_date: dt.date | None
    outcome_text: str
    reason: str
    reason_text: str
    version: int


class ReferralsPage(Schema):
    page: int
    has_next: bool
    items: list[ReferralOut]


def _out(referral: Referral) -> dict[str, Any]:
    fhir_status, business, _display = FHIR[referral.status]
    return ReferralOut(
        id=referral.public_id,
        case_id=referral.case.public_id,
        thread_id=referral.thread.public_id,
        type=referral.type,
        status=referral.status,
        fhir_status=fhir_status,
        fhir_business_status=business,
        urgent=referral.urgent,
        sender_unit_id=referral.sender_unit.public_id,
        receiver_unit_id=referral.receiver_unit.public_id,
        deadline_rule=referral.deadline_rule,
        due_date=referral.due_date,
        sent_at=referral.sent_at,
        received_at=referral.received_at,
        completed_at=referral.completed_at,
        escalated=referral.escalated_at is not None,
        handoff_count=referral.handoff_count,
        outcome=referral.outcome,
        outcome_date=referral.outcome_date,
        outcome_text=referral.outcome_text,
        reason=referral.reason,
        reason_text=referral.reason_text,
        version=referral.version,
    ).model_dump(mode="json")


@router.post(
    "/referrals",
    response={201: ReferralOut, **ERRORS},
    summary="Send a referral on a shared case (JSON; documents go in its thread)",
)
def create(request: HttpRequest, data: ReferralIn) -> Any:
    def handler() -> tuple[int, Any]:
        actor = api_actor(request)
        case = exchange.case_get(actor=actor, case_id=data.case_id, audit=False)
        referral = services.referral_send(
            actor=actor,
            case=case,
            data=services.ReferralInput(
                type=data.type,
                description=data.description,
                urgent=data.urgent,
                concerns=data.concerns,
                basis=data.basis,
                share_back=data.share_back,
                document_kind=data.document_kind,
                requested_date=data.requested_date,
                proposed_times=data.proposed_times,
            ),
        )
        return 201, _out(referral_get(actor=actor, referral_id=referral.public_id))

    return Status(*run_idempotent(request, data.dict(), handler))


@router.get(
    "/referrals",
    response={200: ReferralsPage, **ERRORS},
    summary="box=received (filter: open, due_soon, overdue, closed) or box=sent "
    "(filter: all, waiting, overdue, completed_month)",
)
def listing(request: HttpRequest, box: str = "received", filter: str = "", page: int = 1) -> Any:
    actor = api_actor(request)
    unit_id = actor.memberships[0].unit_id
    if box == "sent":
        result = referrals_sent(actor=actor, unit_id=unit_id, filter=filter or "all", page=page)
    else:
        result = referrals_received(
            actor=actor, unit_id=unit_id, filter=filter or "open", page=page
        )
    return {
        "page": result.number,
        "has_next": result.has_next,
        "items": [_out(r) for r in result.items],
    }


@router.get(
    "/referrals/{referral_id}",
    response={200: ReferralOut, **ERRORS},
    summary="A referral; the receiving unit's first read records the receipt",
)
def detail(request: HttpRequest, referral_id: uuid.UUID) -> Any:
    actor = api_actor(request)
    referral = referral_get(actor=actor, referral_id=referral_id)
    return _out(services.referral_open(actor=actor, referral=referral))


@router.post(
    "/referrals/{referral_id}/transitions",
    response={200: ReferralOut, **ERRORS},
    summary="Move the referral: accept, reject, return, start, hold, resume, "
    "complete (outcome required), cancel, resend. 409 if not allowed now.",
)
def transition(request: HttpRequest, referral_id: uuid.UUID, data: ActIn) -> Any:
    def handler() -> tuple[int, Any]:
        actor = api_actor(request)
        referral = referral_get(actor=actor, referral_id=referral_id)
        services.referral_act(
            actor=actor,
            referral=referral,
            data=services.ActInput(
                action=data.action,
                reason=data.reason,
                reason_text=data.reason_text,
                outcome=data.outcome,
                outcome_date=data.outcome_date,
                outcome_time=data.outcome_time,
                outcome_text=data.outcome_text,
                seen_version=data.version,
            ),
        )
        return 200, _out(referral_get(actor=actor, referral_id=referral_id))

    return Status(*run_idempotent(request, {"id": str(referral_id), **data.dict()}, handler))
