"""A unit's inbox and its load: bounded, indexed reads for the unit's own threads."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silta.accounts.actor import Actor
from silta.accounts.roles import Perm
from silta.audit.denial import deny
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.clients.identity_codes import looks_like_identity_code, validate_identity_code
from silta.clients.models import Client, search_key
from silta.core.errors import Invalid
from silta.core.ids import parse_uuid
from silta.core.pagination import Page, paginate
from silta.exchange.inbox_rows import LINE_COLUMNS, InboxLine, InboxRow, inbox_lines
from silta.exchange.models import InboxEntry, Thread
from silta.organisations.models import Unit
from silta.referrals.models import OPEN_STATE_VALUES, Referral
from silta.referrals.state import Status
from silta.referrals.types import ReferralType
from silta.workdays import calendar

INBOX_FILTERS = ("unread", "mine", "all")
INBOX_KINDS = ("all", "message", "referral")
INBOX_SORTS = ("activity", "due")


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
    "client__birth_date",
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


@dataclass(frozen=True)
class InboxQuery:
    """What the processor asked to see: a tab, a kind, only overdue, and an order."""

    filter: str = "all"
    kind: str = "all"
    overdue: bool = False
    sort: str = "activity"

    @classmethod
    def parse(cls, source: Any) -> InboxQuery:
        def pick(name: str, allowed: tuple[str, ...], default: str) -> str:
            value = source.get(name, default)
            return value if value in allowed else default

        return cls(
            filter=pick("filter", INBOX_FILTERS, "all"),
            kind=pick("kind", INBOX_KINDS, "all"),
            overdue=source.get("overdue") in ("1", "on", "true"),
            sort=pick("sort", INBOX_SORTS, "activity"),
        )

    def querystring(self, **changes: Any) -> str:
        """The same view as URL parameters (never the search term: it may be an identity
        code)."""
        values = {"filter": self.filter, "kind": self.kind, "sort": self.sort, **changes}
        if self.overdue:
            values["overdue"] = "1"
        return urlencode(values)


def _thread_referrals(unit: Unit) -> QuerySet[Referral]:
    return Referral.objects.filter(thread_id=OuterRef("thread_id")).filter(
        Q(receiver_unit=unit) | Q(sender_unit=unit)
    )


def _unanswered_cutoff(now: Any = None) -> dt.datetime:
    """Waiting since before this moment: unanswered over N working days (overdue)."""
    today = calendar.today(now or timezone.now())
    days = settings.SILTA_UNANSWERED_WORKING_DAYS
    return calendar.start_of_local_day(calendar.working_days_ago(today, days))


def _narrow(
    entries: QuerySet[InboxEntry], actor: Actor, unit: Unit, query: InboxQuery
) -> QuerySet[InboxEntry]:
    if query.filter == "unread":
        entries = entries.filter(unread_count__gt=0)
    elif query.filter == "mine":
        entries = entries.filter(assignee=actor.user)
    if query.kind != "all":
        is_referral = Exists(_thread_referrals(unit))
        entries = entries.filter(is_referral if query.kind == "referral" else ~is_referral)
    if query.overdue:
        late_referral = _thread_referrals(unit).filter(
            status__in=OPEN_STATE_VALUES, due_date__lt=calendar.today(timezone.now())
        )
        # A thread of a referral is late by the referral's deadline only.
        late_message = Q(is_open=True, awaiting_reply_since__lt=_unanswered_cutoff()) & ~Exists(
            _thread_referrals(unit)
        )
        entries = entries.filter(Exists(late_referral) | late_message)
    return entries


# How far back a message's due date is computed exactly in SQL; older ones are all long
# overdue and keep their order by waiting time.
DUE_WINDOW_DAYS = 60


def _message_due(now: dt.datetime) -> Case:
    """A waiting message's due date (N working days after the day it arrived), as SQL:
    one WHEN per calendar day of the window, so messages and referrals sort together."""
    days = settings.SILTA_UNANSWERED_WORKING_DAYS
    day = calendar.today(now)
    whens = []
    for _day in range(DUE_WINDOW_DAYS):
        start = calendar.start_of_local_day(day)
        whens.append(
            When(awaiting_reply_since__gte=start, then=Value(calendar.add_working_days(day, days)))
        )
        day -= dt.timedelta(days=1)
    oldest = Value(calendar.add_working_days(day, days))
    return Case(*whens, default=oldest, output_field=DateField())


def _ordered(entries: QuerySet[InboxEntry], unit: Unit, sort: str) -> QuerySet[InboxEntry]:
    if sort != "due":
        return entries.order_by("-last_activity_at", "-id")
    # One due date per row: an open referral's, or a waiting message's (a closed referral
    # has none), earliest first; then the longest waiting.
    open_due = _thread_referrals(unit).filter(status__in=OPEN_STATE_VALUES).order_by("due_date")
    due = Case(
        When(Exists(_thread_referrals(unit)), then=Subquery(open_due.values("due_date")[:1])),
        When(
            is_open=True,
            awaiting_reply_since__isnull=False,
            then=_message_due(timezone.now()),
        ),
        default=None,
        output_field=DateField(),
    )
    return entries.annotate(due_on=due).order_by(
        F("due_on").asc(nulls_last=True),
        F("awaiting_reply_since").asc(nulls_last=True),
        "-last_activity_at",
        "-id",
    )


_INBOX = InboxEntry._meta.db_table
# The thread's latest referral between the unit and the other party as one text value,
# "type|status|due date|public id" (codes, an ISO date and a UUID: none holds a "|"), or
# NULL for a thread of messages. Written out: built as an ORM subquery per page, it cost
# more Python than the whole statement's database time (issue 10).
_LATEST_REFERRAL = (
    f"(SELECT r.type || '|' || r.status || '|' || r.due_date || '|' || r.public_id"  # noqa: S608
    f" FROM {Referral._meta.db_table} r WHERE r.thread_id = {_INBOX}.thread_id"
    " AND (r.receiver_unit_id = %s OR r.sender_unit_id = %s) ORDER BY r.sent_at DESC LIMIT 1)"
)


def _with_referral(entries: QuerySet[InboxEntry], unit: Unit) -> Any:
    """The entries as value rows of ``LINE_COLUMNS`` (in the queryset's order)."""
    referral = RawSQL(_LATEST_REFERRAL, (unit.pk, unit.pk), output_field=CharField())  # noqa: S611
    return entries.annotate(referral=referral).values_list(*LINE_COLUMNS)


class _ReferralRows:
    """A thread's referral (as ``_LATEST_REFERRAL`` gives it) as its inbox row; each label
    translated once per page."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.labels: dict[str, str] = {}

    def _label(self, choices: Any, code: str) -> str:
        key = f"{choices.__name__}:{code}"
        if key not in self.labels:
            self.labels[key] = str(choices(code).label)
        return self.labels[key]

    def __call__(self, referral: str) -> InboxRow:
        type_, status, due_date, public_id = referral.split("|")
        due = dt.date.fromisoformat(due_date) if status in OPEN_STATE_VALUES else None
        return InboxRow(
            kind=self._label(ReferralType, type_),
            status=self._label(Status, status),
            due=due,
            days_left=calendar.working_days_between(self.today, due) if due else None,
            referral_id=uuid.UUID(public_id),
        )


def inbox_page(
    *,
    actor: Actor,
    unit: Unit,
    filter: str = "all",
    search: str = "",
    page: int = 1,
    query: InboxQuery | None = None,
) -> Page[InboxLine]:
    """One page of a unit's inbox, most recent activity (or earliest due) first, as
    ``InboxLine`` rows with their triage facts (``line.row``). Audited (it lists clients)."""
    query = query or InboxQuery(filter=filter)
    entries = _search(_narrow(InboxEntry.objects.filter(unit=unit), actor, unit, query), search)
    today = calendar.today(timezone.now())
    result = paginate(_with_referral(_ordered(entries, unit, query.sort), unit), number=page)
    lines = inbox_lines(result.items, today, _ReferralRows(today))
    record(
        actor=actor,
        action=AuditAction.SEARCH if search.strip() else AuditAction.VIEW,
        unit_id=unit.pk,
        detail={
            "list": "inbox",
            "filter": query.filter,
            "page": result.number,
            "clients": sorted({str(line.client_public_id) for line in lines}),
        },
    )
    return Page(items=lines, number=result.number, size=result.size, has_next=result.has_next)


MAX_CLAIM = 100


def inbox_threads(*, unit: Unit, thread_ids: list[str]) -> list[Thread]:
    """Threads in this unit's inbox picked by public id (for claiming several at once)."""
    keys = [key for key in (parse_uuid(t) for t in thread_ids[:MAX_CLAIM]) if key]
    return list(
        Thread.objects.select_related("case", "case__client")
        .filter(public_id__in=keys, inbox_entries__unit=unit)
        .order_by("pk")
    )


@dataclass(frozen=True)
class InboxCounts:
    unread_threads: int
    mine: int


# Both tab counts in one statement, each on its own index (the unread one is partial).
_INBOX_TABLE = InboxEntry._meta.db_table
_COUNTS_SQL = (
    f"SELECT (SELECT count(*) FROM {_INBOX_TABLE} WHERE unit_id = %s AND unread_count > 0),"  # noqa: S608
    f" (SELECT count(*) FROM {_INBOX_TABLE} WHERE unit_id = %s AND assignee_id = %s)"
)


def inbox_counts(*, actor: Actor, unit: Unit) -> InboxCounts:
    """Counts for the filter tabs: a fixed statement written out (building it with the
    ORM's subqueries cost more than running it; issue 10)."""
    with connection.cursor() as cursor:
        cursor.execute(_COUNTS_SQL, [unit.pk, unit.pk, actor.user.pk if actor.user else None])
        unread, mine = cursor.fetchone() or (0, 0)
    return InboxCounts(unread_threads=unread, mine=mine)


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
        raise deny(
            actor,
            hide=unit.pk not in actor.units_with(Perm.CASE_VIEW),
            detail={"unit_load": str(unit.public_id)},
        )
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
    return list(
        _entries(unit)
        .filter(is_open=True, awaiting_reply_since__lt=_unanswered_cutoff(now))
        .order_by("awaiting_reply_since")[:limit]
    )
