"""Sending referrals: the type's own fields, the attachments it needs, the lawful basis
of what it discloses, the deadline that starts on arrival. Moving them along the state
machine is in ``transitions``."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pydantic
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silta.accounts.actor import Actor
from silta.accounts.roles import Perm
from silta.audit.denial import deny
from silta.audit.models import AuditAction, LegalBasis
from silta.audit.services import record
from silta.clients.models import Client
from silta.consents.codes import DisclosureKind
from silta.consents.disclosures import Authorised, audit_late_refusals
from silta.consents.gate import NO_CHOICE, BasisChoice, gate_decide, gate_log, legal_basis_of
from silta.core.errors import Conflict, Invalid
from silta.core.events import EventType, publish
from silta.exchange import services as exchange
from silta.exchange.models import Case, InboxEntry, Message, Thread
from silta.exchange.permissions import acting_unit_for_case
from silta.reference.expense_kinds import clean_expense_kind
from silta.referrals.deadlines import due_date
from silta.referrals.history import log_step
from silta.referrals.models import Referral
from silta.referrals.state import OPEN_STATES, Status
from silta.referrals.types import SPECS, ReferralType, thread_subject
from silta.referrals.typespec import TypeSpec
from silta.workdays.calendar import local_date, today


class ReferralInput(pydantic.BaseModel):
    """One referral to send, built from the web form or the API body alike.

    ``fields`` are the type's own fields by their spec names (``types.SPECS``); the send
    service validates them against the type's spec. ``basis`` is the sender's choice of
    the lawful basis (empty: a consent in force that covers the disclosure).
    """

    model_config = pydantic.ConfigDict(frozen=True)

    type: str
    description: str = ""
    urgent: bool = False
    fields: dict[str, Any] = pydantic.Field(default_factory=dict)
    basis: BasisChoice = NO_CHOICE
    # What it is about in the guide's terms (``reference.expense_kinds``), or "".
    expense_kind: str = ""


def referral_send(
    *,
    actor: Actor,
    case: Case,
    data: ReferralInput,
    files: Sequence[File] = (),
    client_token: uuid.UUID | None = None,
) -> Referral:
    """Send a referral to the other party of the case; its deadline starts on arrival.

    What it discloses (the type's ``disclosure``, and each document) goes out on a consent
    in force or the statutory basis in ``data.basis`` (or the one a field's choice
    implies); without one nothing is written (``NoLawfulBasis``). The disclosure log gets
    one row for the referral and one per document (703/2023 10 §)."""
    spec = SPECS.get(data.type)
    if spec is None:
        raise Invalid(_("Choose the type of referral."), code="type_required", field="type")
    unit_id = _sender_unit(actor, case, spec)
    if client_token and (
        existing := Referral.objects.filter(
            sender_unit_id=unit_id, client_token=client_token
        ).first()
    ):
        return existing
    payload = spec.clean_payload(data.fields, today())
    expense_kind = clean_expense_kind(data.expense_kind)
    if spec.needs_attachment and not files:
        raise Invalid(
            _("Attach the documents this referral needs."),
            code="attachment_required",
            field="files",
        )
    # Decided before anything is written: a refusal is audited and nothing is sent.
    choice = spec.basis_choice(data.basis, payload)
    disclosed = _decide(actor, case, unit_id, spec.disclosure, "referral", choice)
    documents = (
        _decide(actor, case, unit_id, DisclosureKind.ATTACHMENT, "attachment", choice)
        if files
        else None
    )
    sending = _Sending(
        actor=actor,
        case=case,
        spec=spec,
        unit_id=unit_id,
        payload=payload,
        description=(data.description or "").strip(),
        urgent=spec.is_urgent(data.urgent, payload),
        client_token=client_token,
        disclosed=disclosed,
        expense_kind=expense_kind,
    )
    with audit_late_refusals(), transaction.atomic():
        message = exchange.thread_start(
            actor=actor,
            case=case,
            subject=thread_subject(spec.type),
            body=sending.description,
            files=files,
            # The referral carries the disclosure of its text; its documents are logged
            # with the message that carries them.
            decided=(None, documents),
            expense_kind=expense_kind,
        )
        return _write(sending, message)


@dataclass(frozen=True, kw_only=True)
class _Sending:
    """A checked referral on its way, with its decided disclosure."""

    actor: Actor
    case: Case
    spec: TypeSpec
    unit_id: int
    payload: dict[str, Any]
    description: str
    urgent: bool
    client_token: uuid.UUID | None
    disclosed: Authorised | None
    expense_kind: str = ""


def _sender_unit(actor: Actor, case: Case, spec: TypeSpec) -> int:
    """The actor's unit on the case that sends; refused if it may not send this type."""
    unit_id = acting_unit_for_case(actor, case, Perm.MESSAGE_SEND)
    if unit_id is None:
        raise deny(actor, obj=case, detail={"perm": "referral"})
    if not spec.allowed_from(unit_id == case.kela_unit_id):
        raise Invalid(
            _("This type of referral is not sent from your organisation."),
            code="type_direction",
            field="type",
        )
    return unit_id


def _decide(
    actor: Actor, case: Case, unit_id: int, kind: str, object_type: str, choice: BasisChoice
) -> Authorised | None:
    """On which basis ``kind`` goes to the case's other party (``NoLawfulBasis`` if none)."""
    return gate_decide(
        actor=actor,
        client=case.client,
        unit_id=unit_id,
        recipient=case.counterpart_of(unit_id),
        kind=kind,
        object_type=object_type,
        choice=choice,
    )


def _write(sending: _Sending, message: Message) -> Referral:
    """The referral on the thread just started, its history, its disclosure-log row and
    the audit event (inside the sending transaction)."""
    actor, case, spec, unit_id = sending.actor, sending.case, sending.spec, sending.unit_id
    now = message.sent_at
    arrived = local_date(now)
    requested = spec.requested_due(sending.payload)
    referral = Referral.objects.create(
        case=case,
        thread=message.thread,
        type=spec.type,
        sender_unit_id=unit_id,
        receiver_unit_id=case.counterpart_of(unit_id),
        sender=actor.user,
        status=Status.REQUESTED,
        urgent=sending.urgent,
        expense_kind=sending.expense_kind,
        payload=sending.payload,
        deadline_rule=spec.rule,
        arrived_on=arrived,
        due_date=due_date(spec.rule, arrived, urgent=sending.urgent, requested=requested),
        sent_at=now,
        client_token=sending.client_token,
    )
    disclosure = gate_log(sending.disclosed, object_id=referral.public_id)
    publish(
        EventType.REFERRAL_SENT,
        (unit_id, referral.receiver_unit_id),
        "referral",
        referral.public_id,
    )
    log_step(
        actor,
        referral,
        "send",
        "",
        Status.REQUESTED,
        unit_id,
        now,
        {"type": spec.type, "due_date": referral.due_date.isoformat()},
    )
    detail: dict[str, Any] = {"type": spec.type, "recipient_unit": referral.receiver_unit_id}
    if disclosure is not None:
        detail["disclosure"] = str(disclosure.public_id)
    record(
        actor=actor,
        action=AuditAction.DISCLOSE,
        obj=referral,
        client=case.client,
        unit_id=unit_id,
        legal_basis=legal_basis_of(sending.disclosed),
        detail=detail,
    )
    return referral


def meeting_request_by_client(*, actor: Actor, case: Case, proposed_times: str) -> Referral:
    """Totul 14 d §: the client asks, in their own view, for a joint meeting of Kela and
    social services; the request goes to the case's Kela unit with the 7-working-day
    deadline and the social services unit of the case is its other party.

    ``actor`` is the client's (no memberships, so no staff permission). Nothing passes
    from one organisation to the other here: the client tells both (the audit's legal
    basis is the client's own request), so no disclosure is logged. One pending request
    per client: a second is refused (409 meeting_request_pending) and nothing is written.
    """
    spec = SPECS[ReferralType.MEETING_REQUEST]
    payload = spec.clean_payload({"proposed_times": proposed_times, "joint": True}, today())
    with transaction.atomic():
        # The client's row serialises two requests sent at once.
        Client.objects.select_for_update().filter(pk=case.client_id).first()
        pending = Referral.objects.filter(
            case__client_id=case.client_id, type=spec.type, status__in=OPEN_STATES
        )
        if pending.exists():
            raise Conflict(
                _("You already have a meeting request waiting for an answer."),
                code="meeting_request_pending",
            )
        now = timezone.now()
        thread = Thread.objects.create(
            case=case,
            subject=thread_subject(spec.type),
            started_by_unit_id=case.social_unit_id,
            created_at=now,
            last_message_at=now,
        )
        for party in case.party_unit_ids:
            InboxEntry.objects.create(
                thread=thread, unit_id=party, client_id=case.client_id, last_activity_at=now
            )
        arrived = local_date(now)
        referral = Referral.objects.create(
            case=case,
            thread=thread,
            type=spec.type,
            sender_unit_id=case.social_unit_id,
            receiver_unit_id=case.kela_unit_id,
            sender=None,
            status=Status.REQUESTED,
            payload=payload,
            deadline_rule=spec.rule,
            arrived_on=arrived,
            due_date=due_date(spec.rule, arrived, urgent=False, requested=None),
            sent_at=now,
        )
        publish(EventType.REFERRAL_SENT, case.party_unit_ids, "referral", referral.public_id)
        detail = {"type": spec.type, "due_date": referral.due_date.isoformat(), "by": "client"}
        log_step(actor, referral, "send", "", Status.REQUESTED, None, now, detail)
        record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=referral,
            client=case.client,
            legal_basis=LegalBasis.CLIENT_REQUEST,
            detail=detail,
        )
        return referral


# The transitions live in their own module; re-exported for callers of this one.
from silta.referrals.transitions import ActInput, referral_act, referral_open  # noqa: E402

__all__ = ["ActInput", "ReferralInput", "referral_act", "referral_open", "referral_send"]
