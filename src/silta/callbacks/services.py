"""The call-back life cycle: open -> claimed -> done (outcome) | cancelled (reason).

Every step checks the actor's role and the request's state, works in one transaction
and, when the request concerns a client, writes the audit event. A request about a client
needs the requesting unit's relation to the client (``exchange.relations``); to the other
organisation it discloses who the client is: it needs the client's consent
(``consents.gate``, kind "callback"), logged in the disclosure log (703/2023 10 §).
"""

from __future__ import annotations

import uuid
from typing import Any

import pydantic
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silta.accounts.actor import Actor
from silta.accounts.roles import Perm
from silta.audit.denial import deny
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.callbacks.deadlines import callback_due
from silta.callbacks.models import CallbackRequest, CallbackStatus, Outcome, Urgency
from silta.clients.models import Client
from silta.consents.codes import DisclosureKind
from silta.consents.disclosures import Authorised, audit_late_refusals
from silta.consents.gate import BasisChoice, gate_decide, gate_log, legal_basis_of
from silta.consents.schemas import (
    BASIS_HELP,
    CIRCUMSTANCE_HELP,
    CONSENT_HELP,
    BasisId,
    CircumstanceCode,
    basis_choice,
)
from silta.core.errors import Conflict, Invalid, ServiceError
from silta.core.events import EventType, publish
from silta.directory.models import Topic
from silta.directory.phones import normalise_phone
from silta.exchange.relations import require_relation
from silta.organisations.models import Unit


class CallbackInput(pydantic.BaseModel):
    """A call-back request, from the web form or the API body alike (validated here).

    About a client: the lawful basis of telling the other organisation who the client is
    (empty: a consent in force that covers it)."""

    model_config = pydantic.ConfigDict(frozen=True)

    topic: str
    urgency: str = Urgency.NORMAL
    phone: str
    description: str
    preferred_times: str = ""
    consent_id: uuid.UUID | None = pydantic.Field(default=None, description=CONSENT_HELP)
    statutory_basis: BasisId | None = pydantic.Field(default=None, description=BASIS_HELP)
    circumstance: CircumstanceCode | None = pydantic.Field(
        default=None, description=CIRCUMSTANCE_HELP
    )

    def basis_choice(self) -> BasisChoice:
        return basis_choice(self.consent_id, self.statutory_basis, self.circumstance)


class CompleteInput(pydantic.BaseModel):
    """The outcome of the call the requester will see."""

    model_config = pydantic.ConfigDict(frozen=True)

    outcome: str = ""
    note: str = ""


class CancelInput(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(frozen=True)

    reason: str = ""


def _validate(data: CallbackInput) -> dict[str, Any]:
    if data.topic not in Topic.values:
        raise Invalid(_("Choose a topic."), code="topic_required", field="topic")
    if data.urgency not in Urgency.values:
        raise Invalid(_("Choose the urgency."), code="urgency_required", field="urgency")
    description = (data.description or "").strip()
    if not description:
        raise Invalid(
            _("Describe briefly what the call is about."),
            code="description_empty",
            field="description",
        )
    if len(description) > 2000:
        raise Invalid(_("The description is too long."), code="too_long", field="description")
    return {
        "topic": data.topic,
        "urgency": data.urgency,
        "phone": normalise_phone(data.phone),
        "description": description,
        "preferred_times": (data.preferred_times or "").strip()[:200],
    }


def callback_request(
    *,
    actor: Actor,
    requester_unit_id: int,
    unit: Unit,
    data: CallbackInput,
    client: Client | None = None,
    client_token: uuid.UUID | None = None,
) -> CallbackRequest:
    """Ask ``unit`` to call back; due time from the unit's promise and the calendar.

    About a client: the requesting unit needs a relation to the client
    (``exchange.relations``; ``Forbidden`` otherwise, nothing written), and to the other
    organisation a consent in force or the basis in ``data`` (``NoLawfulBasis`` otherwise,
    nothing written); within one organisation nothing is disclosed."""
    if requester_unit_id not in actor.units_with(Perm.CALLBACK_REQUEST):
        raise deny(actor, detail={"perm": "callback_request"})
    if client is not None:
        require_relation(actor=actor, client=client, unit_id=requester_unit_id, what="callback")
    if not unit.is_active:
        raise Invalid(_("This unit is no longer active."), code="unit_inactive")
    values = _validate(data)
    if client_token is not None and (
        existing := CallbackRequest.objects.filter(
            requester_unit_id=requester_unit_id, client_token=client_token
        ).first()
    ):
        return existing
    disclosed = _decide(actor, requester_unit_id, unit, client, data.basis_choice())
    now = timezone.now()
    due = callback_due(
        now,
        urgent=values["urgency"] == Urgency.URGENT,
        promise_working_days=unit.callback_working_days,
    )
    try:
        with audit_late_refusals(), transaction.atomic():
            request = CallbackRequest.objects.create(
                unit=unit,
                requester=actor.user,
                requester_label=actor.label,
                requester_unit_id=requester_unit_id,
                client=client,
                created_at=now,
                due_at=due,
                client_token=client_token,
                legal_basis=legal_basis_of(disclosed),
                **values,
            )
            publish(
                EventType.CALLBACK_CREATED,
                (requester_unit_id, unit.pk),
                "callback",
                request.public_id,
            )
            if client is not None:
                _audit_request(actor, request, disclosed)
    except IntegrityError:
        return CallbackRequest.objects.get(
            requester_unit_id=requester_unit_id, client_token=client_token
        )
    return request


def _decide(
    actor: Actor, unit_id: int, unit: Unit, client: Client | None, choice: BasisChoice
) -> Authorised | None:
    """The lawful basis of naming the client to ``unit`` (None: no client, or within one
    organisation), decided before anything is written."""
    if client is None:
        return None
    return gate_decide(
        actor=actor,
        client=client,
        unit_id=unit_id,
        recipient=unit,
        kind=DisclosureKind.CALLBACK,
        object_type="callback",
        choice=choice,
    )


def _audit_request(actor: Actor, request: CallbackRequest, disclosed: Authorised | None) -> None:
    """The audit row of a request about a client (a disclosure when it left the
    organisation) and its disclosure-log row."""
    disclosure = gate_log(disclosed, object_id=request.public_id)
    detail: dict[str, Any] = {"recipient_unit": request.unit_id, "kind": "callback"}
    if disclosure is not None:
        detail["disclosure"] = str(disclosure.public_id)
    record(
        actor=actor,
        action=AuditAction.DISCLOSE if disclosure is not None else AuditAction.CREATE,
        obj=request,
        client=request.client,
        unit_id=request.requester_unit_id,
        legal_basis=request.legal_basis,
        detail=detail,
    )


def _locked(request: CallbackRequest) -> CallbackRequest:
    return CallbackRequest.objects.select_for_update().get(pk=request.pk)


def _forbid(actor: Actor, request: CallbackRequest, message: Any) -> ServiceError:
    return deny(actor, message=message, obj=request, detail={"callback": str(request.public_id)})


def _require_handler(actor: Actor, request: CallbackRequest) -> None:
    if request.unit_id not in actor.units_with(Perm.CALLBACK_HANDLE):
        raise _forbid(
            actor, request, _("Only the receiving unit can handle this call-back request.")
        )


def _require_open(request: CallbackRequest) -> None:
    if not request.is_open:
        raise Conflict(_("This call-back request is already closed."), code="callback_closed")


def _audit(actor: Actor, request: CallbackRequest, unit_id: int, detail: dict[str, Any]) -> None:
    publish(
        EventType.CALLBACK_CHANGED,
        (request.requester_unit_id, request.unit_id),
        "callback",
        request.public_id,
    )
    if request.client_id is not None:
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=request,
            client=request.client,
            unit_id=unit_id,
            legal_basis=request.legal_basis,
            detail=detail,
        )


def callback_claim(*, actor: Actor, request: CallbackRequest) -> CallbackRequest:
    _require_handler(actor, request)
    with transaction.atomic():
        request = _locked(request)
        _require_open(request)
        if request.status == CallbackStatus.CLAIMED and request.claimed_by_id == (
            actor.user.pk if actor.user else None
        ):
            return request
        request.status, request.claimed_by, request.claimed_at = (
            CallbackStatus.CLAIMED,
            actor.user,
            timezone.now(),
        )
        request.save(update_fields=["status", "claimed_by", "claimed_at"])
        _audit(actor, request, request.unit_id, {"status": "claimed"})
    return request


def callback_attempt(*, actor: Actor, request: CallbackRequest) -> CallbackRequest:
    """A call that did not get through: counted; the request stays open."""
    _require_handler(actor, request)
    with transaction.atomic():
        request = _locked(request)
        _require_open(request)
        request.attempts += 1
        if request.status == CallbackStatus.OPEN:
            request.status, request.claimed_by, request.claimed_at = (
                CallbackStatus.CLAIMED,
                actor.user,
                timezone.now(),
            )
        request.save(update_fields=["attempts", "status", "claimed_by", "claimed_at"])
        _audit(actor, request, request.unit_id, {"attempts": request.attempts})
    return request


def callback_complete(
    *, actor: Actor, request: CallbackRequest, data: CompleteInput
) -> CallbackRequest:
    """Done, with the outcome the requester will see. "Could not reach" needs attempts."""
    _require_handler(actor, request)
    outcome, note = data.outcome, data.note
    if outcome not in Outcome.values:
        raise Invalid(
            _("Choose the outcome of the call."), code="outcome_required", field="outcome"
        )
    with transaction.atomic():
        request = _locked(request)
        _require_open(request)
        if outcome == Outcome.NOT_REACHED and request.attempts == 0:
            raise Invalid(
                _("Record at least one call attempt before “could not reach”."),
                code="attempts_required",
                field="outcome",
            )
        if outcome != Outcome.NOT_REACHED:
            request.attempts += 1  # the successful call counts too
        request.status, request.outcome = CallbackStatus.DONE, outcome
        request.outcome_note = (note or "").strip()[:2000]
        request.completed_at, request.completed_by_label = timezone.now(), actor.label
        if request.claimed_by_id is None:
            request.claimed_by, request.claimed_at = actor.user, request.completed_at
        request.save()
        _audit(actor, request, request.unit_id, {"status": "done", "outcome": outcome})
    return request


def callback_cancel(
    *, actor: Actor, request: CallbackRequest, data: CancelInput
) -> CallbackRequest:
    """The requester's unit withdraws the request, or the receiving unit's manager
    closes it; a reason is required."""
    allowed = actor.units_with(Perm.CALLBACK_REQUEST) | actor.units_with(Perm.THREAD_ASSIGN)
    if request.requester_unit_id not in allowed and request.unit_id not in actor.units_with(
        Perm.THREAD_ASSIGN
    ):
        raise _forbid(actor, request, _("Your role does not allow this."))
    reason = (data.reason or "").strip()
    if not reason:
        raise Invalid(_("Give a reason for cancelling."), code="reason_required", field="reason")
    with transaction.atomic():
        request = _locked(request)
        _require_open(request)
        request.status, request.cancelled_reason = CallbackStatus.CANCELLED, reason[:500]
        request.completed_at, request.completed_by_label = timezone.now(), actor.label
        request.save()
        unit_id = (
            request.requester_unit_id
            if request.requester_unit_id in actor.unit_ids
            else request.unit_id
        )
        _audit(actor, request, unit_id, {"status": "cancelled"})
    return request
