"""Reading referrals: one referral (access-checked and audited), the sent and received
lists with their filters, and the due-soon and overdue lists per unit and worker."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal, overload

from django.db.models import Q, QuerySet
from django.utils.translation import get_language

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
from silta.referrals.types import SPECS
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


@dataclass(frozen=True, slots=True)
class ReferralLine:
    """A row of the sent or received list: exactly the columns the list shows, read as
    values (not a referral with its case, client and units built per row)."""

    pk: int
    public_id: Any
    type: str
    status: str
    urgent: bool
    outcome: str
    due_date: dt.date
    escalated_at: dt.datetime | None
    handoff_count: int
    client_public_id: Any
    client_name: str  # "Last, First names" like Client.full_name
    unit_name: str  # the other side: the receiver of a sent one, the sender of a received

    @property
    def type_label(self) -> str:
        spec = SPECS.get(self.type)
        return str(spec.label) if spec else self.type

    @property
    def outcome_label(self) -> str:
        spec = SPECS.get(self.type)
        return spec.outcome_label(self.outcome) if spec else self.outcome

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES


LINE_FIELDS = (
    "id",
    "public_id",
    "type",
    "status",
    "urgent",
    "outcome",
    "due_date",
    "escalated_at",
    "handoff_count",
    "case__client__public_id",
    "case__client__first_names",
    "case__client__last_name",
)


def _lines(rows: QuerySet[Referral], side: str, number: int) -> Page[ReferralLine]:
    """A page of ``rows`` as lines; ``side`` is the unit shown (sender or receiver)."""
    values = rows.values_list(*LINE_FIELDS, f"{side}__name_fi", f"{side}__name_sv")
    page = paginate(values, number=number)
    swedish = get_language() == "sv"
    lines = [
        ReferralLine(
            pk, public_id, kind, status, urgent, outcome, due, escalated, handoffs, client,
            f"{last_name}, {first_names}", name_sv if swedish and name_sv else name_fi,
        )
        for (pk, public_id, kind, status, urgent, outcome, due, escalated, handoffs, client,
             first_names, last_name, name_fi, name_sv) in page.items
    ]  # fmt: skip
    return Page(lines, page.number, page.size, page.has_next)


def _audit_list(actor: Actor, unit_id: int, clients: set[str], number: int, name: str) -> None:
    record(
        actor=actor,
        action=AuditAction.VIEW,
        unit_id=unit_id,
        detail={"list": name, "page": number, "clients": sorted(clients)},
    )


def _sent_rows(
    rows: QuerySet[Referral], unit_id: int, filter: str, day: dt.date
) -> QuerySet[Referral]:
    rows = rows.filter(sender_unit_id=unit_id)
    if filter == "waiting":
        rows = rows.filter(status=Status.REQUESTED)
    elif filter == "overdue":
        rows = rows.filter(status__in=OPEN_STATES, due_date__lt=day)
    elif filter == "completed_month":
        rows = rows.filter(status=Status.COMPLETED, completed_at__date__gte=day.replace(day=1))
    return rows.order_by("-sent_at", "-pk")


def _received_rows(
    rows: QuerySet[Referral], actor: Actor, unit_id: int, filter: str, day: dt.date
) -> QuerySet[Referral]:
    rows = rows.filter(receiver_unit_id=unit_id)
    if filter == "closed":
        return rows.exclude(status__in=OPEN_STATES).order_by("-closed_at", "-pk")
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
    return rows.order_by("due_date", "sent_at", "pk")


def _listed(
    actor: Actor, unit_id: int, rows: QuerySet[Referral], page: int, full: bool, name: str
) -> Page[Referral] | Page[ReferralLine]:
    """Page 1.. of ``rows`` as lines (web list), or (``full``: the API's items) as
    referrals with every field and their case, thread and units; audited either way."""
    if full:
        models = paginate(rows, number=page)
        clients = {str(r.case.client.public_id) for r in models.items}
        _audit_list(actor, unit_id, clients, models.number, name)
        return models
    side = "receiver_unit" if name == "referrals_sent" else "sender_unit"
    lines = _lines(rows, side, page)
    _audit_list(actor, unit_id, {str(r.client_public_id) for r in lines.items}, lines.number, name)
    return lines


@overload
def referrals_sent(
    *,
    actor: Actor,
    unit_id: int,
    filter: str = ...,
    page: int = ...,
    on: dt.date | None = ...,
    full: Literal[False] = ...,
) -> Page[ReferralLine]: ...
@overload
def referrals_sent(
    *,
    actor: Actor,
    unit_id: int,
    filter: str = ...,
    page: int = ...,
    on: dt.date | None = ...,
    full: Literal[True],
) -> Page[Referral]: ...
def referrals_sent(
    *,
    actor: Actor,
    unit_id: int,
    filter: str = "all",
    page: int = 1,
    on: dt.date | None = None,
    full: bool = False,
) -> Page[Referral] | Page[ReferralLine]:
    """What the unit sent: waiting for receipt, overdue, completed this month, or all."""
    _require_unit(actor, unit_id)
    base = _base() if full else Referral.objects.all()
    rows = _sent_rows(base, unit_id, filter, on or today())
    return _listed(actor, unit_id, rows, page, full, "referrals_sent")


@overload
def referrals_received(
    *,
    actor: Actor,
    unit_id: int,
    filter: str = ...,
    page: int = ...,
    on: dt.date | None = ...,
    full: Literal[False] = ...,
) -> Page[ReferralLine]: ...
@overload
def referrals_received(
    *,
    actor: Actor,
    unit_id: int,
    filter: str = ...,
    page: int = ...,
    on: dt.date | None = ...,
    full: Literal[True],
) -> Page[Referral]: ...
def referrals_received(
    *,
    actor: Actor,
    unit_id: int,
    filter: str = "open",
    page: int = 1,
    on: dt.date | None = None,
    full: bool = False,
) -> Page[Referral] | Page[ReferralLine]:
    """The unit's incoming referrals; open ones by due date (most urgent first)."""
    _require_unit(actor, unit_id)
    base = _base() if full else Referral.objects.all()
    rows = _received_rows(base, actor, unit_id, filter, on or today())
    return _listed(actor, unit_id, rows, page, full, "referrals_received")


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
