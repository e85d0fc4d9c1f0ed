"""Reading referrals: one referral (access-checked and audited), the sent and received
lists with their filters, and the due-soon and overdue lists per unit and worker."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from silta.accounts.actor import Actor
from silta.accounts.roles import Perm
from silta.audit.denial import deny
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.core.ids import parse_uuid
from silta.core.pagination import Page, paginate
from silta.exchange.permissions import visible_cases
from silta.referrals.models import Referral
from silta.referrals.state import OPEN_STATES, Status
from silta.workdays.calendar import add_working_days, today

SENT_FILTERS = ("all", "waiting", "overdue", "completed_month")
RECEIVED_FILTERS = ("open", "due_soon", "overdue", "mine", "closed")
DUE_SOON_WORKING_DAYS = 2


# What a list row shows (no identity codes loaded): lists, the case and the client page.
LIST_FIELDS = (
    "id",
    "public_id",
    "type",
    "status",
    "urgent",
    "outcome",
    "due_date",
    "sent_at",
    "closed_at",
    "escalated_at",
    "handoff_count",
    "case_id",
    "sender_unit_id",
    "receiver_unit_id",
    "case__client__public_id",
    "case__client__first_names",
    "case__client__last_name",
    "sender_unit__name_fi",
    "sender_unit__name_sv",
    "receiver_unit__name_fi",
    "receiver_unit__name_sv",
)


def _rows() -> QuerySet[Referral]:
    return Referral.objects.select_related("case__client", "sender_unit", "receiver_unit").only(
        *LIST_FIELDS
    )


def _base() -> QuerySet[Referral]:
    return Referral.objects.select_related(
        "case", "case__client", "sender_unit", "receiver_unit", "thread"
    )


def _listing(full: bool) -> QuerySet[Referral]:
    """A list's rows: the list columns, or (``full``: the API's rows) every field with the
    case, thread and units joined, so that no row loads a deferred field on its own."""
    return _base() if full else _rows()


def _visible(actor: Actor) -> Q:
    units = actor.units_with(Perm.CASE_VIEW)
    return Q(sender_unit_id__in=units) | Q(receiver_unit_id__in=units)


def referral_get(*, actor: Actor, referral_id: Any) -> Referral:
    key = parse_uuid(referral_id)
    referral = _base().filter(_visible(actor), public_id=key).first() if key else None
    if referral is None:
        raise deny(actor, hide=True, detail={"referral": str(referral_id)})
    own = (
        referral.receiver_unit_id
        if referral.receiver_unit_id in actor.unit_ids
        else referral.sender_unit_id
    )
    record(
        actor=actor,
        action=AuditAction.VIEW,
        obj=referral,
        client=referral.case.client,
        unit_id=own,
        legal_basis=referral.case.legal_basis,
    )
    return referral


def _require_unit(actor: Actor, unit_id: int) -> None:
    if unit_id not in actor.units_with(Perm.CASE_VIEW):
        raise deny(actor, hide=True, detail={"referrals_unit": unit_id})


def _audit_list(actor: Actor, unit_id: int, page: Page[Referral], name: str) -> None:
    record(
        actor=actor,
        action=AuditAction.VIEW,
        unit_id=unit_id,
        detail={
            "list": name,
            "page": page.number,
            "clients": sorted({str(r.case.client.public_id) for r in page.items}),
        },
    )


def referrals_sent(
    *,
    actor: Actor,
    unit_id: int,
    filter: str = "all",
    page: int = 1,
    on: dt.date | None = None,
    full: bool = False,
) -> Page[Referral]:
    """What the unit sent: waiting for receipt, overdue, completed this month, or all."""
    _require_unit(actor, unit_id)
    day = on or today()
    rows = _listing(full).filter(sender_unit_id=unit_id)
    if filter == "waiting":
        rows = rows.filter(status=Status.REQUESTED)
    elif filter == "overdue":
        rows = rows.filter(status__in=OPEN_STATES, due_date__lt=day)
    elif filter == "completed_month":
        rows = rows.filter(status=Status.COMPLETED, completed_at__date__gte=day.replace(day=1))
    result = paginate(rows.order_by("-sent_at", "-pk"), number=page)
    _audit_list(actor, unit_id, result, "referrals_sent")
    return result


def referrals_received(
    *,
    actor: Actor,
    unit_id: int,
    filter: str = "open",
    page: int = 1,
    on: dt.date | None = None,
    full: bool = False,
) -> Page[Referral]:
    """The unit's incoming referrals; open ones by due date (most urgent first)."""
    _require_unit(actor, unit_id)
    day = on or today()
    rows = _listing(full).filter(receiver_unit_id=unit_id)
    if filter == "closed":
        rows = rows.exclude(status__in=OPEN_STATES).order_by("-closed_at", "-pk")
    else:
        rows = rows.filter(status__in=OPEN_STATES)
        if filter == "due_soon":
            rows = rows.filter(
                due_date__gte=day, due_date__lte=add_working_days(day, DUE_SOON_WORKING_DAYS)
            )
        elif filter == "overdue":
            rows = rows.filter(due_date__lt=day)
        elif filter == "mine":
            rows = rows.filter(
                thread__inbox_entries__unit_id=unit_id, thread__inbox_entries__assignee=actor.user
            )
        rows = rows.order_by("due_date", "sent_at", "pk")
    result = paginate(rows, number=page)
    _audit_list(actor, unit_id, result, "referrals_received")
    return result


def case_referrals(*, case: Any, limit: int = 100) -> list[Referral]:
    """Referrals of a case already returned by ``case_get`` (for its page)."""
    return list(_rows().filter(case=case).order_by("-sent_at")[:limit])


def client_referrals(*, actor: Actor, client: Any, limit: int = 50) -> list[Referral]:
    """The client's referrals in the actor's visible cases (client already audited)."""
    return list(
        _rows()
        .filter(case__in=visible_cases(actor), case__client=client)
        .order_by("-sent_at")[:limit]
    )
