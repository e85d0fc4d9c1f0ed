"""Writes of regional teams and cooperation forums: each takes the acting staff member (or
unit key), one typed input, checks the role again, works in one transaction and records
the audit event. Forum items are not client data (no identity codes, no legal basis).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pydantic
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silta.accounts.actor import Actor
from silta.audit.denial import deny
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.cooperation import permissions
from silta.cooperation.models import (
    ActionStatus,
    AgendaItem,
    FollowUpAction,
    Forum,
    ItemTopic,
    RegionalTeam,
    TeamRoutine,
)
from silta.cooperation.privacy import refuse_identity_codes
from silta.cooperation.state import TRANSITIONS, ItemStatus, Transition
from silta.core.errors import Conflict, Invalid
from silta.organisations.models import Unit


class RoutinesInput(pydantic.BaseModel):
    """A new version of the team's agreed routines, written over ``based_on_version``."""

    model_config = pydantic.ConfigDict(frozen=True)

    text: str = ""
    based_on_version: int = 0


class ProposeInput(pydantic.BaseModel):
    """An agenda item proposed by either side."""

    model_config = pydantic.ConfigDict(frozen=True)

    title: str = ""
    description: str = ""
    topic: str = ""


class MoveInput(pydantic.BaseModel):
    """One step of the item's life cycle (``state.TRANSITIONS``) and what it needs."""

    model_config = pydantic.ConfigDict(frozen=True)

    action: str = ""
    meeting_date: dt.date | None = None
    decision: str = ""
    reason: str = ""
    version: int | None = None


class FollowUpInput(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(frozen=True)

    description: str = ""
    owner_unit_id: uuid.UUID | None = None
    due_date: dt.date | None = None


def _text(value: str, *, field: str, limit: int, message: Any, code: str) -> str:
    text = (value or "").strip()
    if not text:
        raise Invalid(message, code=code, field=field)
    if len(text) > limit:
        raise Invalid(_("The text is too long."), code="too_long", field=field)
    return text


# --- regional teams ------------------------------------------------------------------------


def require_routines_editor(*, actor: Actor, team: RegionalTeam) -> int:
    """The actor's unit in the team that keeps its routines; anyone else is refused."""
    unit_id = permissions.routines_unit(actor, {u.pk for u in team.units.all()})
    if unit_id is None:
        raise deny(actor, obj=team, detail={"perm": "team_routines"})
    return unit_id


def team_routines_save(*, actor: Actor, team: RegionalTeam, data: RoutinesInput) -> TeamRoutine:
    """Adds a version of the agreed routines; earlier versions are kept as they were."""
    unit_id = require_routines_editor(actor=actor, team=team)
    text = _text(
        data.text,
        field="text",
        limit=10000,
        message=_("Write the agreed routines."),
        code="text_empty",
    )
    refuse_identity_codes(text=text)
    with transaction.atomic():
        RegionalTeam.objects.select_for_update().get(pk=team.pk)
        latest = team.routines.order_by("-version").values_list("version", flat=True).first() or 0
        if data.based_on_version != latest:
            raise Conflict(
                _("Someone saved a newer version meanwhile. Reload the page and try again."),
                code="stale_version",
            )
        routine = TeamRoutine.objects.create(
            team=team,
            version=latest + 1,
            text=text,
            created_at=timezone.now(),
            created_by=actor.user,
            created_by_label=actor.label,
            created_by_unit_id=unit_id,
        )
        record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=team,
            unit_id=unit_id,
            detail={"routines_version": routine.version},
        )
    return routine


# --- forum agenda ----------------------------------------------------------------------------


def item_propose(*, actor: Actor, forum: Forum, data: ProposeInput) -> AgendaItem:
    """Anyone in a member organisation proposes; the proposing side is their organisation's."""
    members = set(forum.organisations.values_list("pk", flat=True))
    unit_id = permissions.proposing_unit(actor, members)
    if unit_id is None:
        raise deny(actor, obj=forum, detail={"perm": "forum_propose"})
    title = _text(
        data.title, field="title", limit=200, message=_("Give a title."), code="title_empty"
    )
    description = _text(
        data.description,
        field="description",
        limit=4000,
        message=_("Describe the item."),
        code="description_empty",
    )
    if data.topic not in ItemTopic.values:
        raise Invalid(_("Choose a topic."), code="topic_required", field="topic")
    refuse_identity_codes(title=title, description=description)
    unit = Unit.objects.select_related("organisation").get(pk=unit_id)
    now = timezone.now()
    with transaction.atomic():
        item = AgendaItem.objects.create(
            forum=forum,
            title=title,
            description=description,
            topic=data.topic,
            side=unit.organisation.kind,
            proposing_unit=unit,
            proposed_by=actor.user,
            proposed_by_label=actor.label,
            proposed_at=now,
            updated_at=now,
            updated_by_label=actor.label,
        )
        record(actor=actor, action=AuditAction.CREATE, obj=item, unit_id=unit_id, detail={})
    return item


def _transition(action: str, status: str) -> Transition:
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise Invalid(_("Unknown action."), code="action_unknown", field="action")
    if status not in transition.sources:
        raise Conflict(
            _("The item cannot be moved this way from its current state."),
            code="invalid_transition",
        )
    return transition


def _step_values(transition: Transition, data: MoveInput) -> dict[str, Any]:
    """What the step records, validated: a meeting date, a decision or a reason."""
    values: dict[str, Any] = {}
    if transition.needs_date:
        if data.meeting_date is None:
            raise Invalid(
                _("Choose the meeting date."), code="meeting_date_required", field="meeting_date"
            )
        if data.meeting_date < timezone.localdate():
            raise Invalid(
                _("The meeting date is in the past."),
                code="meeting_date_past",
                field="meeting_date",
            )
        values["meeting_date"] = data.meeting_date
    if transition.needs_decision:
        values["decision"] = _text(
            data.decision,
            field="decision",
            limit=4000,
            message=_("Write the decision."),
            code="decision_required",
        )
        refuse_identity_codes(decision=values["decision"])
        values["decided_at"] = timezone.now()
    if transition.needs_reason:
        values["decline_reason"] = _text(
            data.reason,
            field="reason",
            limit=1000,
            message=_("Give a reason for declining."),
            code="reason_required",
        )
        refuse_identity_codes(reason=values["decline_reason"])
    return values


def item_move(*, actor: Actor, item: AgendaItem, data: MoveInput) -> AgendaItem:
    """The chair moves the item one step (``state.TRANSITIONS``)."""
    if not permissions.can_chair(actor, item.forum.chair_unit_id):
        raise deny(actor, obj=item, detail={"perm": "forum_chair"})
    with transaction.atomic():
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if data.version is not None and data.version != item.version:
            raise Conflict(
                _("The item has changed meanwhile. Reload the page and try again."),
                code="stale_version",
            )
        transition = _transition(data.action, item.status)
        values = _step_values(transition, data)
        if (
            transition.target == ItemStatus.DONE
            and item.actions.exclude(status=ActionStatus.DONE).exists()
        ):
            raise Conflict(_("Mark the follow-up actions done first."), code="actions_open")
        before = item.status
        for name, value in values.items():
            setattr(item, name, value)
        item.status, item.version = transition.target, item.version + 1
        item.updated_at, item.updated_by_label = timezone.now(), actor.label
        item.save()
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=item,
            unit_id=item.forum.chair_unit_id,
            detail={"from": before, "to": item.status},
        )
    return item


def followup_add(*, actor: Actor, item: AgendaItem, data: FollowUpInput) -> FollowUpAction:
    """The chair records what the decision commits a unit to do, and by when."""
    if not permissions.can_chair(actor, item.forum.chair_unit_id):
        raise deny(actor, obj=item, detail={"perm": "forum_chair"})
    if item.status != ItemStatus.DECIDED:
        raise Conflict(_("Follow-up actions are added to a decided item."), code="not_decided")
    description = _text(
        data.description,
        field="description",
        limit=500,
        message=_("Describe the action."),
        code="description_empty",
    )
    refuse_identity_codes(description=description)
    owner = (
        Unit.objects.filter(public_id=data.owner_unit_id, is_active=True).first()
        if data.owner_unit_id
        else None
    )
    if owner is None:
        raise Invalid(_("Choose the unit responsible."), code="owner_required", field="owner_unit")
    if data.due_date is None:
        raise Invalid(_("Give a due date."), code="due_date_required", field="due_date")
    with transaction.atomic():
        action = FollowUpAction.objects.create(
            item=item,
            description=description,
            owner_unit=owner,
            due_date=data.due_date,
            created_at=timezone.now(),
        )
        record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=action,
            unit_id=item.forum.chair_unit_id,
            detail={"item": str(item.public_id)},
        )
    return action


def followup_done(*, actor: Actor, action: FollowUpAction) -> FollowUpAction:
    """The owner unit (or the chair) marks the action done."""
    item = action.item
    if not permissions.can_mark_action_done(actor, action.owner_unit_id, item.forum.chair_unit_id):
        raise deny(actor, obj=action, detail={"perm": "followup_done"})
    with transaction.atomic():
        action = FollowUpAction.objects.select_for_update().get(pk=action.pk)
        if action.status == ActionStatus.DONE:
            return action
        action.status, action.done_at, action.done_by_label = (
            ActionStatus.DONE,
            timezone.now(),
            actor.label,
        )
        action.save(update_fields=["status", "done_at", "done_by_label"])
        record(actor=actor, action=AuditAction.UPDATE, obj=action, detail={"status": "done"})
    return action
