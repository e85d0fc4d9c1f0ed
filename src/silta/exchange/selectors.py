"""Reading shared cases: each access selector checks the role and writes the audit event.

"Does not exist" and "not yours" are the same ``NotFound``; the denial is audited.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from silta.accounts.actor import Actor
from silta.accounts.roles import Perm
from silta.audit.denial import deny
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.clients.models import Client, search_key
from silta.core.errors import NotFound, ServiceError
from silta.core.ids import parse_uuid
from silta.core.pagination import Page, paginate
from silta.exchange.models import (
    Attachment,
    Case,
    InboxEntry,
    Message,
    Receipt,
    Thread,
)
from silta.exchange.permissions import acting_unit_for_case, visible_cases

NAME_SEARCH_LIMIT = 20
TIMELINE_PAGE_SIZE = 50


def _deny(actor: Actor, object_type: str, object_id: Any) -> ServiceError:
    return deny(actor, hide=True, detail={"object_type": object_type, "object_id": str(object_id)})


def client_search_by_name(*, actor: Actor, term: str) -> list[Client]:
    """Clients whose name starts with ``term`` and who share a case with the actor's units.

    A name search never reaches clients outside the actor's own cases: an unknown client
    is found only by their identity code.
    """
    if not actor.can(Perm.CASE_VIEW):
        raise deny(actor, detail={"perm": str(Perm.CASE_VIEW)})
    key = search_key(term)
    if len(key) < 2:
        return []
    shared = visible_cases(actor).filter(client_id=OuterRef("pk"))
    clients = list(
        Client.objects.filter(search_name__startswith=key)
        .filter(Exists(shared))
        .select_related("municipality")
        .order_by("search_name", "pk")[:NAME_SEARCH_LIMIT]
    )
    record(
        actor=actor,
        action=AuditAction.SEARCH,
        detail={"by": "name", "results": [str(c.public_id) for c in clients]},
    )
    return clients


def case_get(
    *, actor: Actor, case_id: Any, perm: Perm = Perm.CASE_VIEW, audit: bool = True
) -> Case:
    key = parse_uuid(case_id)
    # The public id is unique: no ORDER BY for ``first()`` (building it was a sixth of
    # this read's Python; issue 10).
    found = (
        visible_cases(actor, perm)
        .select_related(
            "client",
            "client__municipality",
            "kela_unit__organisation",
            "social_unit__organisation",
        )
        .filter(public_id=key)[:1]
        if key
        else []
    )
    case = next(iter(found), None)
    if case is None:
        raise _deny(actor, "case", case_id)
    if audit:
        record(
            actor=actor,
            action=AuditAction.VIEW,
            obj=case,
            client=case.client,
            unit_id=acting_unit_for_case(actor, case, perm),
            legal_basis=case.legal_basis,
        )
    return case


def thread_get(*, actor: Actor, thread_id: Any, perm: Perm = Perm.CASE_VIEW) -> Thread:
    """A thread the actor's unit is a party to; audited as a view of the client's data."""
    key = parse_uuid(thread_id)
    thread = (
        Thread.objects.select_related(
            "case",
            "case__client",
            "case__client__municipality",
            "case__kela_unit__organisation",
            "case__social_unit__organisation",
        )
        .filter(public_id=key, case__in=visible_cases(actor, perm))
        .first()
        if key
        else None
    )
    if thread is None:
        raise _deny(actor, "thread", thread_id)
    record(
        actor=actor,
        action=AuditAction.VIEW,
        obj=thread,
        client=thread.case.client,
        unit_id=acting_unit_for_case(actor, thread.case, perm),
        legal_basis=thread.case.legal_basis,
    )
    return thread


def thread_messages(*, thread: Thread) -> QuerySet[Message]:
    """The messages of a thread already returned by ``thread_get``, oldest first."""
    return _messages().filter(thread=thread).order_by("sent_at", "pk")


def case_threads(*, case: Case) -> QuerySet[Thread]:
    return Thread.objects.filter(case=case).order_by("-last_message_at")[:200]


def attachment_get(*, actor: Actor, attachment_id: Any) -> Attachment:
    """An attachment of a case the actor may download from (no audit: the download is)."""
    key = parse_uuid(attachment_id)
    attachment = (
        Attachment.objects.select_related("message__case__client")
        .filter(
            public_id=key,
            message__case__in=visible_cases(actor, Perm.ATTACHMENT_DOWNLOAD),
        )
        .first()
        if key
        else None
    )
    if attachment is None:
        raise _deny(actor, "attachment", attachment_id)
    return attachment


def _messages() -> QuerySet[Message]:
    """Messages with their attachments and receipts (the API reads rows: ``api_rows``)."""
    return Message.objects.select_related(
        "thread", "case", "case__client", "sender_unit", "recipient_unit"
    ).prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("pk")),
        Prefetch("receipts", queryset=Receipt.objects.order_by("at", "pk")),
    )


def message_get(*, actor: Actor, message_id: Any, perm: Perm = Perm.CASE_VIEW) -> Message:
    key = parse_uuid(message_id)
    message = (
        _messages().filter(public_id=key, case__in=visible_cases(actor, perm)).first()
        if key
        else None
    )
    if message is None:
        raise _deny(actor, "message", message_id)
    return message


# What the API gives of a case (``CaseOut``), read as rows (issue 10).
CASE_COLUMNS = {
    "id": "public_id",
    "client_id": "client__public_id",
    "last_name": "client__last_name",
    "first_names": "client__first_names",
    "kela_unit_id": "kela_unit__public_id",
    "social_unit_id": "social_unit__public_id",
    "legal_basis": "legal_basis",
    "opened_at": "opened_at",
    "last_activity_at": "last_activity_at",
}


def unit_cases(*, actor: Actor, unit_id: int, page: int = 1) -> Page[dict[str, Any]]:
    """The cases a unit is a party to, most recently active first, as ``CaseOut`` dicts
    (the API's list)."""
    if unit_id not in actor.units_with(Perm.CASE_VIEW):
        raise _deny(actor, "unit", unit_id)
    membership = actor.membership(unit_id)
    # A unit is on one side only (Kela's units are the Kela side); each side has its index.
    side = {"kela_unit_id" if membership and membership.is_kela else "social_unit_id": unit_id}
    rows = Case.objects.filter(**side).order_by("-last_activity_at", "-id")
    names = tuple(CASE_COLUMNS)
    result = paginate(rows.values_list(*CASE_COLUMNS.values()), number=page)
    items = []
    for row in result.items:
        case = dict(zip(names, row, strict=True))
        case["client_name"] = f"{case.pop('last_name')}, {case.pop('first_names')}"
        items.append(case)
    record(
        actor=actor,
        action=AuditAction.VIEW,
        unit_id=unit_id,
        detail={"list": "unit_cases", "page": result.number, "count": len(items)},
    )
    return Page(items=items, number=result.number, size=result.size, has_next=result.has_next)


def client_cases(*, actor: Actor, client: Any, limit: int = 100) -> list[Case]:
    """The client's cases that the actor's units are a party to (client already audited)."""
    return list(
        visible_cases(actor)
        .filter(client=client)
        .select_related("kela_unit", "social_unit", "social_unit__organisation")
        .order_by("-last_activity_at")[:limit]
    )


def inbox_entry(*, thread: Thread, unit_id: int | None) -> InboxEntry:
    """The thread's entry in one of its party units' inboxes (thread already checked)."""
    if unit_id is None:
        raise NotFound(_("Not found."))
    return InboxEntry.objects.select_related("assignee", "unit").get(thread=thread, unit_id=unit_id)
