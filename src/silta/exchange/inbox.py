"""A unit's inbox and its load: bounded, indexed reads for the unit's own threads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silta.accounts.actor import Actor
from silta.accounts.roles import Perm
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.clients.identity_codes import looks_like_identity_code, validate_identity_code
from silta.clients.models import Client, search_key
from silta.core.errors import Forbidden, Invalid, NotFound
from silta.core.pagination import Page, paginate
from silta.exchange.models import InboxEntry
from silta.organisations.models import Unit
from silta.workdays import calendar

INBOX_FILTERS = ("unread", "mine", "all")


# Only what an inbox row shows: no identity codes or password hashes are even loaded.
INBOX_FIELDS = (
    "id",
    "unit_id",
    "unread_count",
    "last_activity_at",
    "awaiting_reply_since",
    "is_open",
    "thread__public_id",
    "thread__subject",
    "client__public_id",
    "client__first_names",
    "client__last_name",
    "assignee__first_name",
    "assignee__last_name",
    "assignee__username",
)


def _entries(unit: Unit) -> QuerySet[InboxEntry]:
    return (
        InboxEntry.objects.filter(unit=unit)
        .select_related("thread", "client", "assignee")
        .only(*INBOX_FIELDS)
    )


def _search(entries: QuerySet[InboxEntry], term: str) -> QuerySet[InboxEntry]:
    term = term.strip()
    if not term:
        return entries
    if looks_like_identity_code(term):
        code = validate_identity_code(term)
        client_id = Client.objects.filter(identity_code=code).values_list("pk", flat=True).first()
        return entries.filter(client_id=client_id) if client_id else entries.none()
    key = search_key(term)
    if len(key) < 2:
        raise Invalid(_("Type at least two letters of the name."), code="search_too_short")
    return entries.filter(client__search_name__startswith=key)


def inbox_page(
    *, actor: Actor, unit: Unit, filter: str = "all", search: str = "", page: int = 1
) -> Page[InboxEntry]:
    """One page of a unit's inbox, most recent activity first. Audited (it lists clients)."""
    entries = _entries(unit)
    if filter == "unread":
        entries = entries.filter(unread_count__gt=0)
    elif filter == "mine":
        entries = entries.filter(assignee=actor.user)
    entries = _search(entries, search)
    result = paginate(entries.order_by("-last_activity_at", "-id"), number=page)
    record(
        actor=actor,
        action=AuditAction.SEARCH if search.strip() else AuditAction.VIEW,
        unit_id=unit.pk,
        detail={
            "list": "inbox",
            "filter": filter,
            "page": result.number,
            "clients": sorted({str(e.client.public_id) for e in result.items}),
        },
    )
    return result


@dataclass(frozen=True)
class InboxCounts:
    unread_threads: int
    mine: int


def inbox_counts(*, actor: Actor, unit: Unit) -> InboxCounts:
    """Counts for the filter tabs (partial indexes keep these cheap)."""
    base = InboxEntry.objects.filter(unit=unit)
    return InboxCounts(
        unread_threads=base.filter(unread_count__gt=0).count(),
        mine=base.filter(assignee=actor.user).count() if actor.user else 0,
    )


@dataclass(frozen=True)
class WorkerLoad:
    assignee_name: str
    open_threads: int
    awaiting_reply: int


@dataclass(frozen=True)
class UnitLoad:
    open_threads: int
    unread_threads: int
    unassigned_open: int
    overdue: int
    overdue_working_days: int
    workers: list[WorkerLoad]


def unit_load(*, actor: Actor, unit: Unit, now: Any = None) -> UnitLoad:
    """The manager's view: open threads and those unanswered over N working days."""
    if unit.pk not in actor.units_with(Perm.UNIT_LOAD_VIEW):
        record(actor=actor, action=AuditAction.DENIED, detail={"unit_load": str(unit.public_id)})
        if unit.pk in actor.units_with(Perm.CASE_VIEW):
            raise Forbidden(_("Your role does not allow this."))
        raise NotFound(_("Not found."))
    days = settings.SILTA_UNANSWERED_WORKING_DAYS
    today = calendar.today(now or timezone.now())
    cutoff = calendar.start_of_local_day(calendar.working_days_ago(today, days))
    open_entries = InboxEntry.objects.filter(unit=unit, is_open=True)
    overdue_q = Q(awaiting_reply_since__lt=cutoff)
    totals = open_entries.aggregate(
        open_threads=Count("id"),
        unread=Count("id", filter=Q(unread_count__gt=0)),
        unassigned=Count("id", filter=Q(assignee__isnull=True)),
        overdue=Count("id", filter=overdue_q),
    )
    per_worker = (
        open_entries.exclude(assignee=None)
        .values("assignee__first_name", "assignee__last_name", "assignee__username")
        .annotate(n=Count("id"), waiting=Count("id", filter=Q(awaiting_reply_since__isnull=False)))
        .order_by("-n")[:200]
    )
    workers = [
        WorkerLoad(
            assignee_name=f"{row['assignee__first_name']} {row['assignee__last_name']}".strip()
            or row["assignee__username"],
            open_threads=row["n"],
            awaiting_reply=row["waiting"],
        )
        for row in per_worker
    ]
    record(actor=actor, action=AuditAction.VIEW, unit_id=unit.pk, detail={"view": "unit_load"})
    return UnitLoad(
        open_threads=totals["open_threads"],
        unread_threads=totals["unread"],
        unassigned_open=totals["unassigned"],
        overdue=totals["overdue"],
        overdue_working_days=days,
        workers=workers,
    )


def overdue_entries(*, unit: Unit, now: Any = None, limit: int = 25) -> list[InboxEntry]:
    days = settings.SILTA_UNANSWERED_WORKING_DAYS
    today = calendar.today(now or timezone.now())
    cutoff = calendar.start_of_local_day(calendar.working_days_ago(today, days))
    return list(
        _entries(unit)
        .filter(is_open=True, awaiting_reply_since__lt=cutoff)
        .order_by("awaiting_reply_since")[:limit]
    )
