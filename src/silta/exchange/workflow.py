"""Reading receipts, claiming, assigning and closing threads; opening attachments."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silta.accounts.actor import Actor
from silta.accounts.roles import Perm
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.core.errors import Conflict, Forbidden, Invalid
from silta.core.events import EventType, publish
from silta.core.ids import parse_uuid
from silta.exchange.models import (
    Attachment,
    CaseEvent,
    CaseEventKind,
    InboxEntry,
    Message,
    Receipt,
    ReceiptKind,
    Thread,
    ThreadStatus,
)
from silta.exchange.permissions import acting_unit_for_case
from silta.exchange.services import _acting_unit, _event


def thread_mark_read(*, actor: Actor, thread: Thread) -> int:
    """Record read receipts for the counterpart's messages this unit has not read yet.

    Called when a person opens the thread: that is the automatic acknowledgement the
    sender sees ("read by <name>, <time>"). Returns how many messages were marked.
    """
    unit_id = acting_unit_for_case(actor, thread.case, Perm.CASE_VIEW)
    if unit_id is None or actor.user is None:
        return 0
    unread = list(
        Message.objects.filter(thread=thread, recipient_unit_id=unit_id)
        .exclude(receipts__unit_id=unit_id, receipts__kind=ReceiptKind.READ)
        .values_list("pk", flat=True)
    )
    if not unread:
        return 0
    return _mark(actor, thread, unit_id, unread)


def message_mark_read(*, actor: Actor, message: Message) -> bool:
    """Mark one message read (the API's explicit acknowledgement). Idempotent."""
    unit_id = acting_unit_for_case(actor, message.case, Perm.CASE_VIEW)
    if unit_id is None or message.recipient_unit_id != unit_id:
        raise Conflict(_("Only the receiving unit can mark a message read."), code="not_recipient")
    exists = Receipt.objects.filter(
        message=message, unit_id=unit_id, kind=ReceiptKind.READ
    ).exists()
    if exists:
        return False
    _mark(actor, message.thread, unit_id, [message.pk])
    return True


def _mark(actor: Actor, thread: Thread, unit_id: int, message_ids: list[int]) -> int:
    now = timezone.now()
    try:
        with transaction.atomic():
            Receipt.objects.bulk_create(
                Receipt(
                    message_id=pk,
                    unit_id=unit_id,
                    kind=ReceiptKind.READ,
                    user=actor.user,
                    actor_label=actor.label,
                    at=now,
                )
                for pk in message_ids
            )
            remaining = (
                Message.objects.filter(thread=thread, recipient_unit_id=unit_id)
                .exclude(receipts__unit_id=unit_id, receipts__kind=ReceiptKind.READ)
                .count()
            )
            InboxEntry.objects.filter(thread=thread, unit_id=unit_id).update(unread_count=remaining)
            publish(EventType.RECEIPT_READ, thread.case.party_unit_ids, "thread", thread.public_id)
            CaseEvent.objects.bulk_create(
                CaseEvent(
                    case_id=thread.case_id,
                    thread=thread,
                    message_id=pk,
                    kind=CaseEventKind.MESSAGE_READ,
                    actor=actor.user,
                    actor_label=actor.label,
                    unit_id=unit_id,
                    at=now,
                )
                for pk in message_ids
            )
    except IntegrityError:
        # Another tab of the same unit marked them at the same moment.
        return 0
    return len(message_ids)


def _entry(thread: Thread, unit_id: int) -> InboxEntry:
    return InboxEntry.objects.select_for_update().get(thread=thread, unit_id=unit_id)


def thread_claim(*, actor: Actor, thread: Thread) -> InboxEntry:
    """Take a thread for oneself in one's unit's inbox."""
    unit_id = _acting_unit(actor, thread.case, Perm.THREAD_CLAIM)
    with transaction.atomic():
        entry = _entry(thread, unit_id)
        # A staff member: an API key's role has no THREAD_CLAIM, so _acting_unit refused it.
        assert actor.user is not None
        if entry.assignee_id == actor.user.pk:
            return entry
        entry.assignee = actor.user
        entry.save(update_fields=["assignee"])
        _event(
            actor, thread.case, CaseEventKind.THREAD_CLAIMED, unit_id, timezone.now(), thread=thread
        )
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=thread,
            client=thread.case.client,
            unit_id=unit_id,
            detail={"assignee": actor.label},
        )
    return entry


def threads_claim(*, actor: Actor, threads: list[Thread]) -> int:
    """Claim several threads at once (the inbox's "claim selected"); each is audited and
    shown on its case timeline as a single claim would be. Returns how many were taken."""
    taken = 0
    with transaction.atomic():
        for thread in threads:
            before = InboxEntry.objects.filter(thread=thread, assignee=actor.user).exists()
            thread_claim(actor=actor, thread=thread)
            taken += 0 if before else 1
    return taken


def thread_assign(*, actor: Actor, thread: Thread, assignee_id: Any) -> InboxEntry:
    """A manager assigns a thread to a member of the unit (or unassigns with None)."""
    unit_id = _acting_unit(actor, thread.case, Perm.THREAD_ASSIGN)
    assignee = None
    if assignee_id:
        assignee = (
            get_user_model()
            .objects.filter(public_id=assignee_id, is_active=True, memberships__unit_id=unit_id)
            .first()
            if parse_uuid(assignee_id)
            else None
        )
        if assignee is None:
            raise Invalid(
                _("Choose a member of the unit."), code="assignee_invalid", field="assignee"
            )
    with transaction.atomic():
        entry = _entry(thread, unit_id)
        entry.assignee = assignee
        entry.save(update_fields=["assignee"])
        name = str(assignee) if assignee else ""
        _event(
            actor,
            thread.case,
            CaseEventKind.THREAD_ASSIGNED,
            unit_id,
            timezone.now(),
            thread=thread,
            detail={"assignee": name},
        )
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=thread,
            client=thread.case.client,
            unit_id=unit_id,
            detail={"assignee": name},
        )
    return entry


def thread_set_status(*, actor: Actor, thread: Thread, status: str) -> Thread:
    """Close a thread (done from this unit's side) or reopen it. A new message reopens."""
    if status not in ThreadStatus.values:
        raise Invalid(_("Unknown status."), code="status_invalid")
    unit_id = _acting_unit(actor, thread.case, Perm.MESSAGE_SEND)
    if thread.status == status:
        return thread
    with transaction.atomic():
        Thread.objects.filter(pk=thread.pk).update(status=status)
        InboxEntry.objects.filter(thread=thread).update(
            is_open=status == ThreadStatus.OPEN,
            **({"awaiting_reply_since": None} if status == ThreadStatus.CLOSED else {}),
        )
        kind = (
            CaseEventKind.THREAD_CLOSED
            if status == ThreadStatus.CLOSED
            else CaseEventKind.THREAD_REOPENED
        )
        _event(actor, thread.case, kind, unit_id, timezone.now(), thread=thread)
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=thread,
            client=thread.case.client,
            unit_id=unit_id,
            detail={"status": status},
        )
    thread.status = status
    return thread


def attachment_open(*, actor: Actor, attachment: Attachment) -> Any:
    """Open an attachment's bytes for download; the disclosure is audited first."""
    case = attachment.message.case
    unit_id = acting_unit_for_case(actor, case, Perm.ATTACHMENT_DOWNLOAD)
    if unit_id is None:
        raise Forbidden(_("Your role does not allow this."))
    record(
        actor=actor,
        action=AuditAction.DOWNLOAD,
        obj=attachment,
        client=case.client,
        unit_id=unit_id,
        legal_basis=case.legal_basis,
        detail={"sha256": attachment.sha256},
    )
    return default_storage.open(attachment.storage_name, "rb")
