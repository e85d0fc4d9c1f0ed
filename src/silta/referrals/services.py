"""Sending referrals: the type's own fields, the attachments it needs, the deadline that
starts on arrival. Moving them along the state machine is in ``transitions``."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

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
from silta.referrals.types import (
    CONCERNS,
    CONTACT_BASES,
    DOCUMENT_KINDS,
    SPECS,
    ReferralType,
    allowed_from,
)
from silta.workdays.calendar import local_date, today


@dataclass(frozen=True)
class ReferralInput:
    type: str
    description: str
    urgent: bool = False
    concerns: Sequence[str] = ()
    basis: str = ""
    share_back: str = ""
    document_kind: str = ""
    requested_date: dt.date | None = None
    proposed_times: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _contact_payload(data: ReferralInput) -> dict[str, Any]:
    if not data.concerns or not set(data.concerns) <= set(CONCERNS):
        raise Invalid(
            _("Tick at least one item of the concern checklist."),
            code="concerns_required",
            field="concerns",
        )
    if data.basis not in CONTACT_BASES:
        raise Invalid(_("Choose the basis of the contact."), code="basis_required", field="basis")
    return {
        "concerns": sorted(data.concerns),
        "basis": data.basis,
        "share_back": data.share_back.strip()[:500],
    }


def _document_payload(data: ReferralInput) -> dict[str, Any]:
    if data.document_kind not in DOCUMENT_KINDS:
        raise Invalid(
            _("Choose the kind of document."), code="document_kind_required", field="document_kind"
        )
    return {"document_kind": data.document_kind}


def _statement_payload(data: ReferralInput) -> dict[str, Any]:
    if data.requested_date is None:
        raise Invalid(
            _("Give the date by which the statement is needed."),
            code="date_required",
            field="requested_date",
        )
    if data.requested_date < today():
        raise Invalid(
            _("The due date cannot be in the past."), code="date_past", field="requested_date"
        )
    return {"requested_date": data.requested_date.isoformat()}


def _meeting_payload(data: ReferralInput) -> dict[str, Any]:
    if not data.proposed_times.strip():
        raise Invalid(
            _("Propose at least one time for the meeting."),
            code="times_required",
            field="proposed_times",
        )
    return {"proposed_times": data.proposed_times.strip()[:1000]}


PAYLOADS = {
    ReferralType.CONTACT: _contact_payload,
    ReferralType.DOCUMENT_DELIVERY: _document_payload,
    ReferralType.STATEMENT_REQUEST: _statement_payload,
    ReferralType.MEETING_REQUEST: _meeting_payload,
}


def _payload(data: ReferralInput) -> dict[str, Any]:
    """Validate the type's own fields; returns the payload stored on the referral."""
    build = PAYLOADS.get(data.type)  # type: ignore[call-overload]
    payload: dict[str, Any] = build(data) if build else {}
    payload.update({k: str(v)[:500] for k, v in data.extra.items()})
    return payload


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
    if not allowed_from(spec, sender_is_kela):
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
    payload = _payload(data)
    if spec.needs_attachment and not files:
        raise Invalid(
            _("Attach the documents this referral needs."),
            code="attachment_required",
            field="files",
        )
    description = (data.description or "").strip()
    urgent = data.urgent or data.basis == "cannot_cope" or data.type == "urgent_handling"
    with transaction.atomic():
        message = exchange.thread_start(
            actor=actor,
            case=case,
            subject=str(ReferralType(data.type).label),
            body=description,
            files=files,
        )
        now = message.sent_at
        arrived = local_date(now)
        requested = data.requested_date
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
