"""Sending referrals: the type's own fields, the attachments it needs, the deadline that
starts on arrival. Moving them along the state machine is in ``transitions``."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import pydantic
from django.core.files.base import File
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from silta.accounts.actor import Actor
from silta.accounts.roles import Perm
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.core.errors import Forbidden, Invalid
from silta.exchange import services as exchange
from silta.exchange.models import Case
from silta.exchange.permissions import acting_unit_for_case
from silta.referrals.deadlines import due_date
from silta.referrals.history import log_step
from silta.referrals.models import Referral
from silta.referrals.state import Status
from silta.referrals.types import SPECS, thread_subject
from silta.workdays.calendar import local_date, today


class ReferralInput(pydantic.BaseModel):
    """One referral to send, built from the web form or the API body alike.

    ``fields`` are the type's own fields by their spec names (``types.SPECS``); the send
    service validates them against the type's spec.
    """

    model_config = pydantic.ConfigDict(frozen=True)

    type: str
    description: str = ""
    urgent: bool = False
    fields: dict[str, Any] = pydantic.Field(default_factory=dict)


def referral_send(
    *,
    actor: Actor,
    case: Case,
    data: ReferralInput,
    files: Sequence[File] = (),
    client_token: uuid.UUID | None = None,
) -> Referral:
    """Send a referral to the other party of the case; its deadline starts on arrival."""
    spec = SPECS.get(data.type)
    if spec is None:
        raise Invalid(_("Choose the type of referral."), code="type_required", field="type")
    unit_id = acting_unit_for_case(actor, case, Perm.MESSAGE_SEND)
    if unit_id is None:
        record(actor=actor, action=AuditAction.DENIED, obj=case, detail={"perm": "referral"})
        raise Forbidden(_("Your role does not allow this."))
    sender_is_kela = unit_id == case.kela_unit_id
    if not spec.allowed_from(sender_is_kela):
        raise Invalid(
            _("This type of referral is not sent from your organisation."),
            code="type_direction",
            field="type",
        )
    if client_token and (
        existing := Referral.objects.filter(
            sender_unit_id=unit_id, client_token=client_token
        ).first()
    ):
        return existing
    payload = spec.clean_payload(data.fields, today())
    if spec.needs_attachment and not files:
        raise Invalid(
            _("Attach the documents this referral needs."),
            code="attachment_required",
            field="files",
        )
    description = (data.description or "").strip()
    urgent = spec.is_urgent(data.urgent, payload)
    with transaction.atomic():
        message = exchange.thread_start(
            actor=actor,
            case=case,
            subject=thread_subject(spec.type),
            body=description,
            files=files,
        )
        now = message.sent_at
        arrived = local_date(now)
        requested = spec.requested_due(payload)
        referral = Referral.objects.create(
            case=case,
            thread=message.thread,
            type=data.type,
            sender_unit_id=unit_id,
            receiver_unit_id=case.counterpart_of(unit_id),
            sender=actor.user,
            status=Status.REQUESTED,
            urgent=urgent,
            payload=payload,
            deadline_rule=spec.rule,
            arrived_on=arrived,
            due_date=due_date(spec.rule, arrived, urgent=urgent, requested=requested),
            sent_at=now,
            client_token=client_token,
        )
        log_step(
            actor,
            referral,
            "send",
            "",
            Status.REQUESTED,
            unit_id,
            now,
            {"type": data.type, "due_date": referral.due_date.isoformat()},
        )
        record(
            actor=actor,
            action=AuditAction.DISCLOSE,
            obj=referral,
            client=case.client,
            unit_id=unit_id,
            legal_basis=case.legal_basis,
            detail={"type": data.type, "recipient_unit": referral.receiver_unit_id},
        )
    return referral


# The transitions live in their own module; re-exported for callers of this one.
from silta.referrals.transitions import ActInput, referral_act, referral_open  # noqa: E402

__all__ = ["ActInput", "ReferralInput", "referral_act", "referral_open", "referral_send"]
