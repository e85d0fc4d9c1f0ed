"""Writing to shared cases: opening cases, starting threads and sending messages.

Each service checks the actor's role and the object's state again (so management
commands, tasks and the API are covered too), works in one transaction and records the
audit event inside it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silta.accounts.actor import Actor
from silta.accounts.roles import Perm
from silta.audit.denial import deny
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.clients.models import Client
from silta.consents.codes import DisclosureKind
from silta.consents.disclosures import Authorised, Pending, audit_late_refusals
from silta.consents.gate import (
    NO_CHOICE,
    BasisChoice,
    gate_decide,
    gate_defer,
    gate_log,
    gate_settle,
    legal_basis_of,
)
from silta.core.errors import Conflict, Invalid
from silta.core.events import EventType, publish
from silta.directory.models import Topic
from silta.directory.selectors import Route, route
from silta.exchange import attachments
from silta.exchange.models import (
    Attachment,
    Case,
    CaseEvent,
    CaseEventKind,
    InboxEntry,
    Message,
    Receipt,
    ReceiptKind,
    Thread,
)
from silta.exchange.permissions import acting_unit_for_case
from silta.exchange.relations import require_relation
from silta.organisations.models import Unit
from silta.reference.expense_kinds import clean_expense_kind

MAX_BODY = 20_000
# The disclosures of a message (decided, or to be decided where it is logged: ``Pending``)
# and of its documents (None: not logged here).
Decided = tuple[Authorised | Pending | None, Authorised | None]
MAX_SUBJECT = 200


def _acting_unit(actor: Actor, case: Case, perm: Perm) -> int:
    unit_id = acting_unit_for_case(actor, case, perm)
    if unit_id is None:
        raise deny(
            actor,
            hide=acting_unit_for_case(actor, case, Perm.CASE_VIEW) is None,
            obj=case,
            detail={"perm": str(perm)},
        )
    return unit_id


def _event(actor: Actor, case: Case, kind: str, unit_id: int, at: Any, **extra: Any) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor.user,
        actor_label=actor.label,
        unit_id=unit_id,
        at=at,
        **extra,
    )


def case_open(
    *,
    actor: Actor,
    client: Client,
    acting_unit_id: int,
    counterpart_unit_id: int,
    basis: BasisChoice = NO_CHOICE,
    topic: str = "",
    override_reason: str = "",
) -> tuple[Case, bool]:
    """Open (or return the existing) shared case of a client between two units.

    The acting unit needs a relation to the client (``exchange.relations``: it serves the
    client's municipality, shares a case of the client, or a consent names it). Opening
    discloses who the client is to the other organisation: it needs a consent in force or
    a statutory basis (``basis``), logged in the disclosure log (703/2023 10 §). When
    routing suggests a unit for the client's municipality and topic and the opener picks
    another, a reason is required and recorded. Returns ``(case, created)``.
    """
    if acting_unit_id not in actor.units_with(Perm.CASE_OPEN):
        raise deny(
            actor,
            message=_("Your role does not allow opening shared cases."),
            client=client,
            detail={"perm": "case_open"},
        )
    require_relation(actor=actor, client=client, unit_id=acting_unit_id, what="case_open")
    own = Unit.objects.select_related("organisation").get(pk=acting_unit_id)
    counterpart = (
        Unit.objects.select_related("organisation")
        .filter(pk=counterpart_unit_id, is_active=True)
        .first()
    )
    if counterpart is None or counterpart.is_kela == own.is_kela:
        raise Invalid(
            _("Choose a unit of the other organisation."),
            code="counterpart_invalid",
            field="counterpart_unit",
        )
    kela, social = (own, counterpart) if own.is_kela else (counterpart, own)
    existing = Case.objects.filter(client=client, kela_unit=kela, social_unit=social).first()
    if existing is not None:
        return existing, False
    suggestion = suggested_counterpart(client=client, own_is_kela=own.is_kela, topic=topic)
    override_reason = (override_reason or "").strip()[:500]
    if suggestion.units and counterpart not in suggestion.units and not override_reason:
        raise Invalid(
            _("Silta suggests %(unit)s for this client. Give a reason for choosing another unit.")
            % {"unit": suggestion.units[0].name},
            code="override_reason_required",
            field="override_reason",
        )
    authorised = gate_decide(
        actor=actor,
        client=client,
        unit_id=own.pk,
        recipient=counterpart,
        kind=DisclosureKind.CASE_OPEN,
        object_type="case",
        choice=basis,
    )
    return _create_case(
        actor=actor,
        client=client,
        own=own,
        kela=kela,
        social=social,
        authorised=authorised,
        topic=suggestion.topic,
        suggested=suggestion.units[0] if suggestion.units else None,
        override_reason=override_reason if counterpart not in suggestion.units else "",
    )


def suggested_counterpart(*, client: Client, own_is_kela: bool, topic: str = "") -> Route:
    """Routing for a new case: the client's municipality and the topic (Kela asks social
    services about supplementary assistance by default; social services ask Kela about
    basic assistance)."""
    if not own_is_kela:
        topic = Topic.BASIC_ASSISTANCE
    elif topic in ("", Topic.BASIC_ASSISTANCE):
        topic = Topic.SOCIAL_ASSISTANCE
    return route(municipality_code=client.municipality_id, topic=topic)


def _create_case(
    *,
    actor: Actor,
    client: Client,
    own: Unit,
    kela: Unit,
    social: Unit,
    authorised: Authorised | None,
    topic: str,
    suggested: Unit | None,
    override_reason: str,
) -> tuple[Case, bool]:
    now = timezone.now()
    legal_basis = legal_basis_of(authorised)
    try:
        with audit_late_refusals(), transaction.atomic():
            case = Case.objects.create(
                client=client,
                kela_unit=kela,
                social_unit=social,
                legal_basis=legal_basis,
                opened_at=now,
                opened_by=actor.user,
                opened_by_unit=own,
                last_activity_at=now,
                topic=topic,
                suggested_unit=suggested,
                override_reason=override_reason,
            )
            disclosure = gate_log(authorised, object_id=case.public_id)
            detail: dict[str, Any] = {"legal_basis": legal_basis, "topic": topic}
            if disclosure is not None:
                detail["disclosure"] = str(disclosure.public_id)
            if override_reason:
                detail["override_reason"] = override_reason
            _event(actor, case, CaseEventKind.CASE_OPENED, own.pk, now, detail=detail)
            record(
                actor=actor,
                action=AuditAction.CREATE,
                obj=case,
                client=client,
                unit_id=own.pk,
                legal_basis=legal_basis,
            )
    except IntegrityError:
        # Opened by someone else at the same moment: the case exists once.
        return Case.objects.get(client=client, kela_unit=kela, social_unit=social), False
    return case, True


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise Invalid(_("Write a message."), code="message_empty", field="body")
    if len(body) > MAX_BODY:
        raise Invalid(
            _("The message is too long (at most %(max)d characters).") % {"max": MAX_BODY},
            code="message_too_long",
            field="body",
        )
    return body


def _existing_by_token(unit_id: int, client_token: uuid.UUID | None) -> Message | None:
    if client_token is None:
        return None
    return Message.objects.filter(sender_unit_id=unit_id, client_token=client_token).first()


@dataclass(frozen=True)
class _Outgoing:
    """A checked message on its way: everything ``_deliver`` writes in one transaction."""

    actor: Actor
    case: Case
    thread: Thread | None
    subject: str
    unit_id: int
    body: str
    checked: list[attachments.CheckedFile]
    client_token: uuid.UUID | None
    seen_version: int | None = None
    # The decided disclosures of the message and of its documents (None: same organisation).
    disclosed: Decided = (None, None)
    # A new thread's expense kind (``reference.expense_kinds``), or "".
    expense_kind: str = ""


def _stale() -> Conflict:
    return Conflict(
        _(
            "New messages have arrived in this thread. Read them before you send yours; "
            "your text has been kept."
        ),
        code="thread_stale",
    )


def thread_start(
    *,
    actor: Actor,
    case: Case,
    subject: str,
    body: str,
    files: Sequence[File] = (),
    client_token: uuid.UUID | None = None,
    basis: BasisChoice = NO_CHOICE,
    decided: Decided | None = None,
    expense_kind: str = "",
) -> Message:
    """Start a new thread on a case with its first message. Either side may start one.

    The message (and each document) goes out on a consent in force or the statutory basis
    in ``basis``; without one nothing is sent (``NoLawfulBasis``). A caller that carries its
    own disclosure in the message (a referral) decides it and passes ``decided``: (the
    message's, the documents') decisions, logged here (None: not logged here).
    ``expense_kind`` records what the thread is about in the guide's terms (optional)."""
    unit_id = _acting_unit(actor, case, Perm.MESSAGE_SEND)
    expense_kind = clean_expense_kind(expense_kind)
    subject = " ".join((subject or "").split())
    if not subject:
        raise Invalid(_("Give the thread a subject."), code="subject_empty", field="subject")
    if len(subject) > MAX_SUBJECT:
        raise Invalid(_("The subject is too long."), code="subject_too_long", field="subject")
    body = _clean_body(body)
    if (duplicate := _existing_by_token(unit_id, client_token)) is not None:
        return duplicate
    checked = attachments.check_files(files)
    disclosed = decided if decided is not None else _decide(actor, case, unit_id, basis, checked)
    return _deliver(
        _Outgoing(
            actor,
            case,
            None,
            subject,
            unit_id,
            body,
            checked,
            client_token,
            None,
            disclosed,
            expense_kind,
        )
    )


def message_send(
    *,
    actor: Actor,
    thread: Thread,
    body: str,
    files: Sequence[File] = (),
    client_token: uuid.UUID | None = None,
    seen_version: int | None = None,
    basis: BasisChoice = NO_CHOICE,
) -> Message:
    """Send a message in a thread, with attachments; delivered receipt in the same step.

    ``seen_version`` is the thread version the sender's page showed: if the thread moved
    on meanwhile, the message is not sent and the sender is asked to read what is new.
    """
    case = thread.case
    unit_id = _acting_unit(actor, case, Perm.MESSAGE_SEND)
    body = _clean_body(body)
    if (duplicate := _existing_by_token(unit_id, client_token)) is not None:
        return duplicate
    if seen_version is not None and seen_version != thread.version:
        raise _stale()
    checked = attachments.check_files(files)
    disclosed = _decide(actor, case, unit_id, basis, checked)
    return _deliver(
        _Outgoing(
            actor, case, thread, "", unit_id, body, checked, client_token, seen_version, disclosed
        )
    )


def _decide(
    actor: Actor, case: Case, unit_id: int, basis: BasisChoice, with_files: object
) -> Decided:
    """The lawful basis of the message and of its documents, decided before anything is
    stored (a refusal is audited and raises ``NoLawfulBasis``; the sender keeps the text).
    Without documents, the message's is decided in the transaction, before the message is
    written, in the statement that logs it (``gate_settle``), where the gate can."""
    # The case's units (loaded with their organisations by the selectors): no queries.
    discloser, recipient = case.sides_from(unit_id)
    # With documents both are decided now, the message's first (its refusal is the one said).
    message = (gate_decide if with_files else gate_defer)(
        actor=actor,
        client=case.client,
        unit_id=unit_id,
        recipient=recipient,
        kind=DisclosureKind.MESSAGE,
        object_type="message",
        choice=basis,
        discloser=discloser,
    )
    if not with_files:
        return message, None
    documents = gate_decide(
        actor=actor,
        client=case.client,
        unit_id=unit_id,
        recipient=recipient,
        kind=DisclosureKind.ATTACHMENT,
        object_type="attachment",
        choice=basis,
        discloser=discloser,
    )
    return message, documents


def _deliver(outgoing: _Outgoing) -> Message:
    """Store the files, then write everything in one transaction; on failure remove the
    stored files again, so nothing is left half-saved."""
    stored: list[str] = []
    try:
        for item in outgoing.checked:
            stored.append(attachments.store(item))
        with audit_late_refusals(), transaction.atomic():
            message = _write_message(outgoing, stored, timezone.now())
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
    return message


def _open_thread(outgoing: _Outgoing, now: Any) -> Thread:
    """The thread to write into: a new one with an inbox entry per party, or the existing
    one locked (concurrent senders are serialised and the version check is exact)."""
    case, unit_id = outgoing.case, outgoing.unit_id
    if outgoing.thread is None:
        thread = Thread.objects.create(
            case=case,
            subject=outgoing.subject,
            expense_kind=outgoing.expense_kind,
            started_by_unit_id=unit_id,
            created_at=now,
            last_message_at=now,
        )
        for party in case.party_unit_ids:
            InboxEntry.objects.create(
                thread=thread, unit_id=party, client_id=case.client_id, last_activity_at=now
            )
        _event(outgoing.actor, case, CaseEventKind.THREAD_STARTED, unit_id, now, thread=thread)
        return thread
    locked = Thread.objects.select_for_update().get(pk=outgoing.thread.pk)
    if outgoing.seen_version is not None and locked.version != outgoing.seen_version:
        raise _stale()
    return locked


def _write_message(outgoing: _Outgoing, stored: list[str], now: Any) -> Message:
    actor, case, unit_id = outgoing.actor, outgoing.case, outgoing.unit_id
    checked = outgoing.checked
    disclosed_message, disclosed_documents = outgoing.disclosed
    # Decided (or refused, nothing stored) and logged before the message is written.
    public_id = uuid.uuid4()
    settled = gate_settle(disclosed_message, object_id=public_id)
    thread = _open_thread(outgoing, now)
    recipient_id = case.counterpart_of(unit_id)
    message = Message.objects.create(
        public_id=public_id,
        thread=thread,
        case=case,
        body=outgoing.body,
        sender=actor.user,
        sender_label=actor.label,
        sender_unit_id=unit_id,
        recipient_unit_id=recipient_id,
        sent_at=now,
        client_token=outgoing.client_token,
    )
    publish(EventType.MESSAGE_CREATED, (unit_id, recipient_id), "message", message.public_id)
    documents = Attachment.objects.bulk_create(
        Attachment(
            message=message,
            storage_name=name,
            original_name=item.name,
            content_type=item.content_type,
            size=item.size,
            sha256=item.sha256,
            active_content=item.active_content,
            created_at=now,
        )
        for item, name in zip(checked, stored, strict=True)
    )
    for document in documents:
        gate_log(disclosed_documents, object_id=document.public_id)
    # Delivered: the message is in the receiving unit's inbox now.
    Receipt.objects.create(
        message=message, unit_id=recipient_id, kind=ReceiptKind.DELIVERED, at=now
    )
    Thread.objects.filter(pk=thread.pk).update(
        last_message_at=now, version=thread.version + 1, status="open"
    )
    thread.version += 1
    InboxEntry.objects.filter(thread=thread, unit_id=recipient_id).update(
        last_activity_at=now,
        is_open=True,
        awaiting_reply_since=Coalesce(F("awaiting_reply_since"), Value(now)),
        unread_count=F("unread_count") + 1,
    )
    InboxEntry.objects.filter(thread=thread, unit_id=unit_id).update(
        last_activity_at=now, is_open=True, awaiting_reply_since=None
    )
    Case.objects.filter(pk=case.pk).update(last_activity_at=now)
    _event(
        actor,
        case,
        CaseEventKind.MESSAGE_SENT,
        unit_id,
        now,
        thread=thread,
        message=message,
        detail={"attachments": len(checked)},
    )
    record(
        actor=actor,
        action=AuditAction.DISCLOSE,
        obj=message,
        client=case.client,
        unit_id=unit_id,
        legal_basis=legal_basis_of(settled) or case.legal_basis,
        detail={"recipient_unit": recipient_id, "attachments": [c.sha256 for c in checked]},
    )
    return message
