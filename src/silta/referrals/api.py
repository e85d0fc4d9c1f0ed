"""API: referrals for the organisations' own systems (the same services and rules)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal, Union

import pydantic
from django.http import HttpRequest
from django.utils import translation
from ninja import Field, Router, Status

from silta.api_keys.auth import api_actor
from silta.api_keys.idempotency import run_idempotent
from silta.consents.schemas import (
    BASIS_HELP,
    CIRCUMSTANCE_HELP,
    CONSENT_HELP,
    BasisId,
    CircumstanceCode,
    basis_choice,
)
from silta.core.api_schemas import ErrorOut, Out
from silta.exchange import selectors as exchange
from silta.reference.expense_kinds import EXPENSE_KIND_HELP
from silta.referrals import services
from silta.referrals.models import Referral
from silta.referrals.selectors import referral_get, referrals_received, referrals_sent
from silta.referrals.state import FHIR
from silta.referrals.transitions import ActInput
from silta.referrals.types import SPECS
from silta.referrals.typespec import Model, TypeSpec

router = Router(tags=["referrals"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
# Sending and completing disclose to the other organisation: 422 no_lawful_basis too.
DISCLOSING = {**ERRORS, 422: ErrorOut}


class ReferralIn(pydantic.BaseModel):
    """A referral to send: the common fields, the lawful basis and the type's own fields,
    side by side.

    The body is validated against the type's spec by the send service (the same rules
    as the web form); the schema below documents one variant per type.
    """

    model_config = pydantic.ConfigDict(extra="allow")

    case_id: uuid.UUID
    type: str
    description: str = ""
    urgent: bool = False
    consent_id: uuid.UUID | None = None
    statutory_basis: BasisId | None = None
    circumstance: CircumstanceCode | None = None
    expense_kind: str = ""

    @classmethod
    def __get_pydantic_json_schema__(cls, core: Any, handler: Any) -> Any:
        variants = tuple(_request_model(spec) for spec in SPECS.values())
        union: Any = Annotated[Union[variants], pydantic.Field(discriminator="type")]  # noqa: UP007
        return handler(pydantic.TypeAdapter(union).core_schema)

    def to_input(self) -> services.ReferralInput:
        return services.ReferralInput(
            type=self.type,
            description=self.description,
            urgent=self.urgent,
            fields=dict(self.model_extra or {}),
            basis=basis_choice(self.consent_id, self.statutory_basis, self.circumstance),
            expense_kind=self.expense_kind,
        )


_REQUEST_MODELS: dict[int, Model] = {}


def _request_model(spec: TypeSpec) -> Model:
    """The documented body of one type: the common fields, ``type`` fixed, its own fields."""
    if id(spec) not in _REQUEST_MODELS:
        common: dict[str, Any] = {
            "case_id": (uuid.UUID, ...),
            "type": (Literal[spec.type], ...),
            "description": (str, ""),
        }
        if not spec.always_urgent:
            common["urgent"] = (bool, False)
        common.update(
            consent_id=(uuid.UUID | None, pydantic.Field(None, description=CONSENT_HELP)),
            statutory_basis=(BasisId | None, pydantic.Field(None, description=BASIS_HELP)),
            circumstance=(
                CircumstanceCode | None,
                pydantic.Field(None, description=CIRCUMSTANCE_HELP),
            ),
            expense_kind=(str, pydantic.Field("", description=EXPENSE_KIND_HELP)),
        )
        _REQUEST_MODELS[id(spec)] = pydantic.create_model(
            f"{spec.model_name}ReferralIn",
            __base__=spec.payload_model,
            __doc__=f"{_english(spec.label)} ({spec.law}).",
            **common,
        )
    return _REQUEST_MODELS[id(spec)]


def _english(text: object) -> str:
    with translation.override("en"):
        return str(text)


class Payload(dict[str, Any]):
    """The type's own fields (documented as one of the payload schemas, by ``type``)."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        return handler(dict[str, Any])

    @classmethod
    def __get_pydantic_json_schema__(cls, core: Any, handler: Any) -> Any:
        models = tuple(spec.payload_model for spec in SPECS.values())
        union: Any = Union[models]  # noqa: UP007
        return handler(pydantic.TypeAdapter(union).core_schema)


class ReferralOut(Out):
    id: uuid.UUID
    case_id: uuid.UUID
    thread_id: uuid.UUID
    type: str
    status: str
    fhir_status: str
    fhir_business_status: str
    urgent: bool
    expense_kind: str = Field(description=EXPENSE_KIND_HELP)
    sender_unit_id: uuid.UUID
    receiver_unit_id: uuid.UUID
    deadline_rule: str
    due_date: dt.date
    sent_at: dt.datetime
    received_at: dt.datetime | None
    completed_at: dt.datetime | None
    escalated: bool
    handoff_count: int
    payload: Payload
    outcome: str
    outcome_date: dt.date | None
    outcome_time: dt.time | None
    outcome_text: str
    reason: str
    reason_text: str
    version: int


class ReferralsPage(Out):
    page: int
    has_next: bool
    items: list[ReferralOut]


def _out(referral: Referral) -> dict[str, Any]:
    fhir_status, business, _display = FHIR[referral.status]
    return {
        "id": referral.public_id,
        "case_id": referral.case.public_id,
        "thread_id": referral.thread.public_id,
        "type": referral.type,
        "status": referral.status,
        "fhir_status": fhir_status,
        "fhir_business_status": business,
        "urgent": referral.urgent,
        "expense_kind": referral.expense_kind,
        "sender_unit_id": referral.sender_unit.public_id,
        "receiver_unit_id": referral.receiver_unit.public_id,
        "deadline_rule": referral.deadline_rule,
        "due_date": referral.due_date,
        "sent_at": referral.sent_at,
        "received_at": referral.received_at,
        "completed_at": referral.completed_at,
        "escalated": referral.escalated_at is not None,
        "handoff_count": referral.handoff_count,
        "payload": referral.payload,
        "outcome": referral.outcome,
        "outcome_date": referral.outcome_date,
        "outcome_time": referral.outcome_time,
        "outcome_text": referral.outcome_text,
        "reason": referral.reason,
        "reason_text": referral.reason_text,
        "version": referral.version,
    }


@router.post(
    "/referrals",
    response={201: ReferralOut, **DISCLOSING},
    summary="Send a referral on a shared case (JSON; documents go in its thread). Without "
    "a consent in force or a statutory basis that allows the type: 422 no_lawful_basis",
)
def create(request: HttpRequest, data: ReferralIn) -> Any:
    def handler() -> tuple[int, Any]:
        actor = api_actor(request)
        case = exchange.case_get(actor=actor, case_id=data.case_id, audit=False)
        referral = services.referral_send(
            actor=actor,
            case=case,
            data=data.to_input(),
        )
        return 201, _out(referral_get(actor=actor, referral_id=referral.public_id))

    return Status(*run_idempotent(request, data.model_dump(), handler))


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
        result = referrals_sent(
            actor=actor, unit_id=unit_id, filter=filter or "all", page=page, full=True
        )
    else:
        result = referrals_received(
            actor=actor, unit_id=unit_id, filter=filter or "open", page=page, full=True
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
    response={200: ReferralOut, **DISCLOSING},
    summary="Move the referral: accept, reject, return, start, hold, resume, "
    "complete (outcome required; reported back on the client's consent only, else 422 "
    "no_lawful_basis), cancel, resend. 409 if not allowed now.",
)
def transition(request: HttpRequest, referral_id: uuid.UUID, data: ActInput) -> Any:
    def handler() -> tuple[int, Any]:
        actor = api_actor(request)
        referral = referral_get(actor=actor, referral_id=referral_id)
        services.referral_act(actor=actor, referral=referral, data=data)
        return 200, _out(referral_get(actor=actor, referral_id=referral_id))

    body = {"id": str(referral_id), **data.model_dump(by_alias=True)}
    return Status(*run_idempotent(request, body, handler))
