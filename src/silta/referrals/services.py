"""Sending referrals and moving them through the state machine.

Every transition goes through ``referral_act``: it checks the side (sender or receiver),
the role, the state and the required fields, in one transaction with the audit event and
the case timeline. An illegal transition is a ``Conflict`` (HTTP 409 in the API).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silta.accounts.actor import Actor
from silta.accounts.roles import Perm
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.core.errors import Conflict, Forbidden, Invalid
from silta.exchange import services as exchange
from silta.exchange.models import Case, CaseEvent
from silta.exchange.permissions import acting_unit_for_case
from silta.referrals.deadlines import due_date
from silta.referrals.models import Referral, ReferralEvent
from silta.referrals.state import RECEIVER, SENDER, TRANSITIONS, Action, Status
from silta.referrals.types import (
    CONCERNS,
    CONTACT_BASES,
    DOCUMENT_KINDS,
    SPECS,
    ReferralType,
    ReturnReason,
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
        _log(
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


def _log(
    actor: Actor,
    referral: Referral,
    action: str,
    source: str,
    target: str,
    unit_id: int | None,
    now: dt.datetime,
    detail: dict[str, Any],
) -> None:
    ReferralEvent.objects.create(
        referral=referral,
        action=action,
        from_status=source,
        to_status=target,
        actor=actor.user,
        actor_label=actor.label,
        unit_id=unit_id,
        at=now,
        detail=detail,
    )
    CaseEvent.objects.create(
        case_id=referral.case_id,
        thread_id=referral.thread_id,
        kind=f"referral_{action}",
        actor=actor.user,
        actor_label=actor.label,
        unit_id=unit_id or referral.sender_unit_id,
        at=now,
        detail={
            "referral": str(referral.public_id),
            "type": referral.type,
            "status": target,
            **detail,
        },
    )


@dataclass(frozen=True)
class ActInput:
    action: str
    reason: str = ""
    reason_text: str = ""
    outcome: str = ""
    outcome_date: dt.date | None = None
    outcome_time: dt.time | None = None
    outcome_text: str = ""
    receiver_unit_id: int | None = None  # resend to another unit
    seen_version: int | None = None


def _side(actor: Actor, referral: Referral, side: str) -> int:
    unit_id = referral.sender_unit_id if side == SENDER else referral.receiver_unit_id
    if unit_id not in actor.units_with(Perm.MESSAGE_SEND):
        record(actor=actor, action=AuditAction.DENIED, obj=referral, detail={"referral_side": side})
        raise Forbidden(
            _("Only the receiving unit can do this.")
            if side == RECEIVER
            else _("Only the sending unit can do this.")
        )
    return unit_id


def _check_fields(referral: Referral, data: ActInput) -> dict[str, Any]:
    """Required fields of the action; the closed loop: no completion without outcome."""
    spec = SPECS[referral.type]
    changes: dict[str, Any] = {}
    if data.action in (Action.REJECT, Action.RETURN, Action.HOLD, Action.CANCEL):
        if data.action == Action.RETURN and data.reason not in ReturnReason.values:
            raise Invalid(
                _("Choose why the referral is returned."), code="reason_required", field="reason"
            )
        text = (data.reason_text or "").strip()
        if data.action != Action.RETURN and not text:
            raise Invalid(_("Give a reason."), code="reason_required", field="reason_text")
        changes.update(
            reason=data.reason if data.action == Action.RETURN else "", reason_text=text[:500]
        )
    if data.action == Action.COMPLETE:
        if data.outcome not in spec.outcomes:
            raise Invalid(
                _("Choose the outcome: the sender is waiting for it."),
                code="outcome_required",
                field="outcome",
            )
        if data.outcome in spec.outcome_needs_date and data.outcome_date is None:
            raise Invalid(
                _("Give the date for this outcome."),
                code="outcome_date_required",
                field="outcome_date",
            )
        text = (data.outcome_text or "").strip()
        if data.outcome in spec.outcome_needs_text and not text:
            raise Invalid(
                _("Write the details of the outcome."),
                code="outcome_text_required",
                field="outcome_text",
            )
        if data.outcome == "meeting_confirmed" and data.outcome_time is None:
            raise Invalid(
                _("Give the time of the meeting."),
                code="outcome_time_required",
                field="outcome_time",
            )
        changes.update(
            outcome=data.outcome,
            outcome_date=data.outcome_date,
            outcome_time=data.outcome_time,
            outcome_text=text[:5000],
        )
    return changes


def referral_act(*, actor: Actor, referral: Referral, data: ActInput) -> Referral:
    """Move a referral along the state machine (refused with ``Conflict`` if illegal)."""
    transition = TRANSITIONS.get(data.action)
    if transition is None:
        raise Invalid(_("Unknown action."), code="action_unknown")
    unit_id = _side(actor, referral, transition.side)
    changes = _check_fields(referral, data)
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if data.seen_version is not None and data.seen_version != locked.version:
            raise Conflict(
                _("The referral changed meanwhile. Reload the page."), code="referral_stale"
            )
        if locked.status not in transition.sources:
            raise Conflict(
                _("“%(action)s” is not possible when the referral is “%(status)s”.")
                % {
                    "action": Action(transition.action).label,
                    "status": Status(locked.status).label,
                },
                code="transition_not_allowed",
            )
        now = timezone.now()
        source = locked.status  # the caller's copy may be stale: log the real state
        changes.update(_side_effects(locked, data, now))
        for name, value in {
            **changes,
            "status": transition.target,
            "version": locked.version + 1,
        }.items():
            setattr(locked, name, value)
        locked.save()
        detail = {k: str(v) for k, v in changes.items() if v not in ("", None)}
        _log(
            actor,
            locked,
            transition.action,
            source,
            transition.target,
            unit_id,
            now,
            detail,
        )
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            client=locked.case.client,
            unit_id=unit_id,
            legal_basis=locked.case.legal_basis,
            detail={"action": transition.action, "to": transition.target},
        )
    return locked


def _side_effects(referral: Referral, data: ActInput, now: dt.datetime) -> dict[str, Any]:
    """Clock and counter changes of a transition."""
    changes: dict[str, Any] = {}
    if data.action == Action.RECEIVE:
        changes["received_at"] = now
    if data.action == Action.RETURN:
        changes["handoff_count"] = referral.handoff_count + 1
    if data.action == Action.RESUME and referral.type == ReferralType.FORWARDED_APPLICATION:
        # Totul 14 a §: decide by the 7th working day after the completed application.
        changes["deadline_rule"] = "totul_14a_after_completion"
        changes["arrived_on"] = local_date(now)
        changes["due_date"] = due_date(
            "totul_14a_after_completion", local_date(now), urgent=referral.urgent
        )
    if data.action == Action.COMPLETE:
        changes["completed_at"] = changes["closed_at"] = now
    if data.action in (Action.REJECT, Action.CANCEL):
        changes["closed_at"] = now
    if data.action == Action.RESEND:
        changes.update(_resend(referral, data, now))
    return changes


def _resend(referral: Referral, data: ActInput, now: dt.datetime) -> dict[str, Any]:
    """A returned referral goes out again: a new arrival, a new clock."""
    arrived = local_date(now)
    requested = referral.payload.get("requested_date")
    return {
        "received_at": None,
        "reason": "",
        "reason_text": "",
        "renotified_at": None,
        "escalated_at": None,
        "sent_at": now,
        "arrived_on": arrived,
        "due_date": due_date(
            referral.deadline_rule,
            arrived,
            urgent=referral.urgent,
            requested=dt.date.fromisoformat(requested) if requested else None,
        ),
    }


def referral_open(*, actor: Actor, referral: Referral) -> Referral:
    """The receiving unit's first open records the receipt (automatic acknowledgement)."""
    if referral.status != Status.REQUESTED:
        return referral
    if referral.receiver_unit_id not in actor.units_with(Perm.MESSAGE_SEND) or actor.user is None:
        return referral
    try:
        return referral_act(actor=actor, referral=referral, data=ActInput(Action.RECEIVE))
    except (Conflict, Forbidden):
        return Referral.objects.get(pk=referral.pk)
