"""Reading call-back requests: the unit's queue, the requester's sent list, one request.

Visible to the receiving unit and the requesting unit; anything else is 404 (audited).
Viewing a request that concerns a client writes an audit event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silta.accounts.actor import Actor
from silta.accounts.roles import Perm
from silta.audit.denial import deny
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.callbacks.models import OPEN_STATUSES, CallbackRequest, CallbackStatus
from silta.core.errors import NotFound
from silta.core.ids import parse_uuid
from silta.core.pagination import Page, paginate

QUEUE_FILTERS = ("open", "mine", "overdue", "closed")


def _visible(actor: Actor) -> Q:
    units = actor.units_with(Perm.CALLBACK_REQUEST) | actor.units_with(Perm.CALLBACK_HANDLE)
    return Q(unit_id__in=units) | Q(requester_unit_id__in=units)


def _base() -> QuerySet[CallbackRequest]:
    return CallbackRequest.objects.select_related(
        "unit", "unit__organisation", "requester_unit", "client", "claimed_by"
    )


def callback_get(*, actor: Actor, request_id: Any) -> CallbackRequest:
    key = parse_uuid(request_id)
    request = _base().filter(_visible(actor), public_id=key).first() if key else None
    if request is None:
        raise deny(actor, hide=True, detail={"callback": str(request_id)})
    if request.client_id is not None:
        own = request.unit_id if request.unit_id in actor.unit_ids else request.requester_unit_id
        record(
            actor=actor,
            action=AuditAction.VIEW,
            obj=request,
            client=request.client,
            unit_id=own,
            legal_basis=request.legal_basis,
        )
    return request


def callback_queue(
    *,
    actor: Actor,
    unit_id: int,
    filter: str = "open",
    page: int = 1,
    now: dt.datetime | None = None,
) -> Page[CallbackRequest]:
    """The receiving unit's queue: the most urgent (earliest due) first."""
    if unit_id not in actor.units_with(Perm.CALLBACK_HANDLE):
        raise deny(actor, hide=True, detail={"callback_queue": unit_id})
    now = now or timezone.now()
    rows = _base().filter(unit_id=unit_id)
    if filter == "closed":
        rows = rows.exclude(status__in=OPEN_STATUSES).order_by("-completed_at", "-pk")
    else:
        rows = rows.filter(status__in=OPEN_STATUSES)
        if filter == "mine":
            rows = rows.filter(claimed_by=actor.user)
        elif filter == "overdue":
            rows = rows.filter(due_at__lt=now)
        rows = rows.order_by("due_at", "pk")
    result = paginate(rows, number=page)
    _audit_list(actor, unit_id, result, "callback_queue")
    return result


def callbacks_sent(*, actor: Actor, unit_id: int, page: int = 1) -> Page[CallbackRequest]:
    """What the requester's unit has asked for, newest first: status and outcome."""
    if unit_id not in actor.units_with(Perm.CALLBACK_REQUEST):
        raise NotFound(_("Not found."))
    rows = _base().filter(requester_unit_id=unit_id).order_by("-created_at", "-pk")
    result = paginate(rows, number=page)
    _audit_list(actor, unit_id, result, "callbacks_sent")
    return result


def _audit_list(actor: Actor, unit_id: int, result: Page[CallbackRequest], name: str) -> None:
    clients = sorted({str(r.client.public_id) for r in result.items if r.client is not None})
    if clients:
        record(
            actor=actor,
            action=AuditAction.VIEW,
            unit_id=unit_id,
            detail={"list": name, "page": result.number, "clients": clients},
        )


@dataclass(frozen=True)
class CallbackCounts:
    open: int
    overdue: int
    done_this_week: int


def callback_counts(*, unit_id: int, now: dt.datetime | None = None) -> CallbackCounts:
    """For the unit's queue tabs and the manager view."""
    now = now or timezone.now()
    week_ago = now - dt.timedelta(days=7)
    totals = CallbackRequest.objects.filter(unit_id=unit_id).aggregate(
        open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("id", filter=Q(status__in=OPEN_STATUSES, due_at__lt=now)),
        done=Count("id", filter=Q(status=CallbackStatus.DONE, completed_at__gte=week_ago)),
    )
    return CallbackCounts(totals["open"], totals["overdue"], totals["done"])
