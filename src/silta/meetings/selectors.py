"""Reading meetings: one access selector per object (404 for "missing" and "not yours",
audited), the case's meetings, the actor's upcoming meetings and open actions.

Meetings are client data of their case: viewing one writes an audit event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from silta.accounts.actor import Actor
from silta.accounts.models import Membership
from silta.accounts.roles import Perm, role_allows
from silta.audit.denial import deny
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.core.ids import parse_uuid
from silta.exchange.models import Case
from silta.meetings.models import (
    Meeting,
    MeetingAction,
    MeetingStatus,
    TimeAnswer,
)
from silta.meetings.open_list import open_action_rows
from silta.meetings.permissions import (
    acting_unit,
    action_filter,
    meeting_filter,
)
from silta.meetings.validation import visiting_address
from silta.organisations.models import Unit
from silta.workdays.calendar import today, working_days_between

LIST_LIMIT = 200


def _base() -> QuerySet[Meeting]:
    return Meeting.objects.select_related(
        "case",
        "case__client",
        "case__kela_unit",
        "case__social_unit",
        "organiser_unit",
        "referral",
        "place_unit",
    )


def meeting_get(*, actor: Actor, meeting_id: Any) -> Meeting:
    key = parse_uuid(meeting_id)
    meeting = _base().filter(meeting_filter(actor), public_id=key).first() if key else None
    if meeting is None:
        raise deny(actor, hide=True, detail={"meeting": str(meeting_id)})
    record(
        actor=actor,
        action=AuditAction.VIEW,
        obj=meeting,
        client=meeting.case.client,
        unit_id=acting_unit(actor, meeting),
        legal_basis=meeting.case.legal_basis,
    )
    return meeting


def action_get(*, actor: Actor, action_id: Any) -> MeetingAction:
    key = parse_uuid(action_id)
    action = (
        MeetingAction.objects.select_related(
            "meeting",
            "meeting__case",
            "meeting__case__client",
            "meeting__organiser_unit",
            "owner_unit",
            "owner_participant",
        )
        .filter(action_filter(actor), public_id=key)
        .first()
        if key
        else None
    )
    if action is None:
        raise deny(actor, hide=True, detail={"meeting_action": str(action_id)})
    return action


def case_meetings(*, case: Case) -> list[Meeting]:
    """The meetings of a case the caller already reached through ``case_get``."""
    return list(_base().filter(case=case).order_by("-created_at", "-pk")[:LIST_LIMIT])


def upcoming_meetings(*, actor: Actor, now: dt.datetime | None = None) -> list[Meeting]:
    """Meetings still being scheduled, and confirmed ones not yet past."""
    now = now or timezone.now()
    rows = (
        _base()
        .filter(meeting_filter(actor))
        .filter(status__in=[MeetingStatus.SCHEDULING, MeetingStatus.CONFIRMED])
    )
    meetings = [m for m in rows.order_by("starts_at", "created_at")[:LIST_LIMIT]]
    meetings = [m for m in meetings if m.starts_at is None or m.starts_at >= now]
    _audit_list(actor, [m.case.client.public_id for m in meetings], "meetings_upcoming")
    return meetings


@dataclass(frozen=True)
class OpenAction:
    action: MeetingAction
    overdue: bool
    # Working days left (negative: overdue by that many), as referrals count them.
    days_left: int

    @property
    def days_overdue(self) -> int:
        return -self.days_left


def open_actions(*, actor: Actor, now: dt.datetime | None = None) -> list[OpenAction]:
    """The actor's own and their units' open actions, the earliest due first (the rows
    from ``open_list``: compiled once per process, ``permissions.open_actions_q``)."""
    day = today(now)
    user_id = actor.user.pk if actor.user is not None else None
    rows = open_action_rows(unit_ids=actor.units_with(Perm.CASE_VIEW), user_id=user_id)
    result = [OpenAction(a, a.due_date < day, working_days_between(day, a.due_date)) for a in rows]
    _audit_list(actor, [r.action.meeting.case.client.public_id for r in result], "meeting_actions")
    return result


def _audit_list(actor: Actor, clients: list[Any], name: str) -> None:
    shown = sorted({str(c) for c in clients})
    if shown:
        record(actor=actor, action=AuditAction.VIEW, detail={"list": name, "clients": shown})


def answers_by_time(meeting: Meeting) -> dict[int, dict[int, str]]:
    """{proposed time id: {participant id: answer}}."""
    table: dict[int, dict[int, str]] = {}
    for row in TimeAnswer.objects.filter(time__meeting=meeting):
        table.setdefault(row.time_id, {})[row.participant_id] = row.answer
    return table


def case_workers(*, case: Case) -> list[Membership]:
    """The workers of the case's party units who may see it: the people one can invite."""
    rows = Membership.objects.filter(unit_id__in=case.party_unit_ids, user__is_active=True)
    rows = rows.select_related("user", "unit").order_by("unit_id", "user__last_name", "pk")
    return [m for m in rows if role_allows(m.role, Perm.CASE_VIEW)]


def place_units(*, case: Case) -> list[tuple[Unit, str]]:
    """The case's units with a visiting address in the directory."""
    units = Unit.objects.filter(pk__in=case.party_unit_ids).order_by("pk")
    return [(u, a) for u in units if (a := visiting_address(u))]
