"""What the API gives of messages and timelines, read as rows (issue 10: throughput).

The API's answers are plain dicts validated once by the operation; building model
instances for them (a message, its thread, its two units, each attachment and receipt)
was most of a thread read's CPU. These readers take the same rows with ``values()``:
the caller has already checked access (``thread_get``, ``case_get``) and written the
audit event, so everything here is scoped by a thread or case the actor may see.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from silta.exchange.models import Attachment, Case, CaseEvent, Message, Receipt, Thread

# The fields of a ``MessageOut`` and where each comes from.
MESSAGE_COLUMNS = {
    "pk": "id",
    "id": "public_id",
    "thread_id": "thread__public_id",
    "subject": "thread__subject",
    "expense_kind": "thread__expense_kind",
    "body": "body",
    "kind": "kind",
    "sender": "sender_label",
    "sender_unit_id": "sender_unit__public_id",
    "recipient_unit_id": "recipient_unit__public_id",
    "sent_at": "sent_at",
}
_MESSAGE_LOOKUPS = tuple(MESSAGE_COLUMNS.values())
_MESSAGE_NAMES = tuple(MESSAGE_COLUMNS)
ATTACHMENT_COLUMNS = ("public_id", "original_name", "content_type", "size", "sha256")
TIMELINE_COLUMNS = ("kind", "at", "actor_label", "unit__public_id", "thread__public_id")


def _message_dicts(messages: QuerySet[Message]) -> dict[int, dict[str, Any]]:
    """``MessageOut`` dicts by message id, in the queryset's order, with their files."""
    rows = {
        row[0]: dict(zip(_MESSAGE_NAMES[1:], row[1:], strict=True))
        for row in messages.values_list(*_MESSAGE_LOOKUPS)
    }
    for pk, (attachments, receipts) in message_files(rows).items():
        rows[pk]["attachments"] = attachments
        rows[pk]["receipts"] = receipts
    for row in rows.values():
        row.setdefault("attachments", [])
        row.setdefault("receipts", [])
    return rows


def message_files(
    message_ids: Iterable[int],
) -> dict[int, tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
    """The attachments and receipts of some messages as ``MessageOut`` parts (two queries)."""
    ids = list(message_ids)
    files: dict[int, tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {}
    if not ids:
        return files
    attachments = (
        Attachment.objects.filter(message_id__in=ids)
        .order_by("pk")
        .values_list("message_id", *ATTACHMENT_COLUMNS, "active_content")
    )
    for message_id, public_id, name, content_type, size, sha256, active in attachments:
        files.setdefault(message_id, ([], []))[0].append(
            {
                "id": public_id,
                "file_name": name,
                "content_type": content_type,
                "size": size,
                "sha256": sha256,
                "active_content": active,
            }
        )
    receipts = (
        Receipt.objects.filter(message_id__in=ids)
        .order_by("at", "pk")
        .values_list("message_id", "kind", "actor_label", "at")
    )
    for message_id, kind, label, at in receipts:
        files.setdefault(message_id, ([], []))[1].append({"kind": kind, "by": label, "at": at})
    return files


def thread_message_rows(*, thread: Thread, limit: int) -> list[dict[str, Any]]:
    """A thread's messages, oldest first, for a thread already returned by ``thread_get``."""
    messages = Message.objects.filter(thread=thread).order_by("sent_at", "pk")[:limit]
    return list(_message_dicts(messages).values())


def message_row(*, message: Message) -> dict[str, Any]:
    """One message (already checked and fetched) as the API gives it."""
    return _message_dicts(Message.objects.filter(pk=message.pk))[message.pk]


def case_timeline_rows(*, case: Case, page: int, size: int) -> tuple[list[dict[str, Any]], bool]:
    """A page of a case's timeline (newest first) as ``TimelineEvent`` dicts, and whether
    another page follows; for a case already returned by ``case_get``."""
    start = (page - 1) * size
    events = list(
        CaseEvent.objects.filter(case=case)
        .order_by("-at", "-id")
        .values_list(*TIMELINE_COLUMNS, "message_id")[start : start + size + 1]
    )
    has_next = len(events) > size
    events = events[:size]
    sent = [row[5] for row in events if row[0] == "message_sent" and row[5]]
    messages = _message_dicts(Message.objects.filter(case=case, pk__in=sent)) if sent else {}
    items = []
    for kind, at, actor_label, unit_id, thread_id, message_id in events:
        message = messages.get(message_id) if kind == "message_sent" and message_id else None
        items.append(
            {
                "kind": kind,
                "at": at,
                "actor": actor_label,
                "unit_id": unit_id,
                "thread_id": thread_id,
                "message": message,
            }
        )
    return items, has_next
