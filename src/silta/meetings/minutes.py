"""The minutes of a held meeting and its agreed actions, tracked to done.

Minutes record who attended (the client's attendance too, when the client was invited),
what was agreed and the agreed actions, each with an owner (a party unit or a
participant) and a due date. Minutes without attendance are refused.

The minutes reach the case's other unit: a disclosure of the joint plan
(``DisclosureKind.MEETING_MINUTES``), decided before anything is written, on the client's
consent in force (no statutory basis reports what a meeting agreed), and logged with the
write; an action added later is disclosed the same way.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silta.accounts.actor import Actor
from silta.audit.models import AuditAction
from silta.consents.codes import DisclosureKind
from silta.consents.disclosures import Authorised, audit_late_refusals
from silta.consents.gate import gate_decide, gate_log
from silta.core.errors import Conflict, Invalid
from silta.meetings import validation
from silta.meetings.inputs import ActionInput, ActionStatusInput, MinutesInput
from silta.meetings.models import ActionStatus, Meeting, MeetingAction, MeetingStatus
from silta.meetings.permissions import can_update_action
from silta.meetings.services import audit, deny, locked, require_organiser


def _meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_related(
        "case__kela_unit__organisation", "case__social_unit__organisation", "case__client"
    ).get(pk=meeting.pk)


def _disclosed(actor: Actor, meeting: Meeting, object_type: str) -> Authorised | None:
    """Decide the disclosure from the organiser unit to the case's other unit (its
    ``counterpart_of``, as loaded); a refusal is audited and raises ``NoLawfulBasis``
    before anything is written."""
    case, unit_id = meeting.case, meeting.organiser_unit_id
    own, other = case.sides_from(unit_id)
    return gate_decide(
        actor=actor,
        client=case.client,
        unit_id=unit_id,
        recipient=other,
        kind=DisclosureKind.MEETING_MINUTES,
        object_type=object_type,
        discloser=own,
    )


def _action(meeting: Meeting, data: ActionInput) -> MeetingAction:
    text, due = validation.action_text_and_due(data)
    action = MeetingAction(meeting=meeting, text=text, due_date=due)
    if data.owner_participant_id is not None:
        action.owner_participant = meeting.participants.filter(
            public_id=data.owner_participant_id
        ).first()
        if action.owner_participant is None:
            raise Invalid(
                _("The owner must be a participant."), code="action_owner_invalid", field="actions"
            )
    else:
        if data.owner_unit_id not in {
            meeting.case.kela_unit.public_id,
            meeting.case.social_unit.public_id,
        }:
            raise Invalid(
                _("The owner unit must be one of the case's units."),
                code="action_owner_invalid",
                field="actions",
            )
        action.owner_unit = (
            meeting.case.kela_unit
            if data.owner_unit_id == meeting.case.kela_unit.public_id
            else meeting.case.social_unit
        )
    return action


def _attendance(meeting: Meeting, data: MinutesInput) -> tuple[set[str], bool]:
    participants = {str(p.public_id) for p in meeting.participants.all()}
    attended = {str(i) for i in data.attended_ids}
    if not attended:
        raise Invalid(
            _("Record who attended before the minutes."),
            code="attendance_required",
            field="attended_ids",
        )
    if not attended <= participants:
        raise Invalid(
            _("Mark only participants as attended."),
            code="attendance_invalid",
            field="attended_ids",
        )
    if meeting.with_client and data.client_attended is None:
        raise Invalid(
            _("Record whether the client attended."),
            code="client_attendance_required",
            field="client_attended",
        )
    return attended, bool(data.client_attended) if meeting.with_client else False


def _require_begun(meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.CONFIRMED:
        raise Conflict(_("Minutes are recorded for a confirmed meeting."), code="not_confirmed")
    if meeting.starts_at is not None and meeting.starts_at > timezone.now():
        raise Conflict(_("Minutes are recorded after the meeting has begun."), code="not_yet_held")


def _require_held(meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.HELD:
        raise Conflict(_("Actions are agreed in the minutes of a held meeting."), code="not_held")


def minutes_record(*, actor: Actor, meeting: Meeting, data: MinutesInput) -> Meeting:
    """The organiser records the minutes of the confirmed meeting: it becomes held."""
    require_organiser(actor, meeting, "minutes")
    meeting = _meeting(meeting)
    attended, client_attended = _attendance(meeting, data)
    actions = [_action(meeting, item) for item in data.actions]
    _require_begun(meeting)  # before the decision; again, locked, in the transaction
    disclosed = _disclosed(actor, meeting, "meeting_minutes")
    with audit_late_refusals(), transaction.atomic():
        meeting = locked(meeting)
        _require_begun(meeting)
        for participant in meeting.participants.all():
            participant.attended = str(participant.public_id) in attended
            participant.save(update_fields=["attended"])
        meeting.client_attended = client_attended
        meeting.agreed = (data.agreed or "").strip()[:10000]
        meeting.status, meeting.minutes_at = MeetingStatus.HELD, timezone.now()
        meeting.minutes_by_label = actor.label
        meeting.save()
        MeetingAction.objects.bulk_create(actions)
        gate_log(disclosed, object_id=meeting.public_id)
        audit(actor, meeting, AuditAction.UPDATE, {"minutes": True, "actions": len(actions)})
    return meeting


def action_add(*, actor: Actor, meeting: Meeting, data: ActionInput) -> MeetingAction:
    """One more agreed action on a held meeting."""
    require_organiser(actor, meeting, "action_add")
    meeting = _meeting(meeting)
    action = _action(meeting, data)
    _require_held(meeting)  # before the decision; again, locked, in the transaction
    disclosed = _disclosed(actor, meeting, "meeting_action")
    with audit_late_refusals(), transaction.atomic():
        meeting = locked(meeting)
        _require_held(meeting)
        action.save()
        gate_log(disclosed, object_id=action.public_id)
        audit(actor, meeting, AuditAction.UPDATE, {"action": str(action.public_id)})
    return action


def action_set_status(
    *, actor: Actor, action: MeetingAction, data: ActionStatusInput
) -> MeetingAction:
    """The owner (or the organiser) moves the action: open, in progress, done."""
    if not can_update_action(actor, action):
        raise deny(actor, action.meeting, "action_status")
    if data.status not in ActionStatus.values:
        raise Invalid(_("Choose the status."), code="status_invalid", field="status")
    with transaction.atomic():
        action = MeetingAction.objects.select_for_update().get(pk=action.pk)
        action.status = data.status
        action.done_at = timezone.now() if data.status == ActionStatus.DONE else None
        action.updated_by_label = actor.label
        action.save(update_fields=["status", "done_at", "updated_by_label"])
        detail: dict[str, Any] = {"action": str(action.public_id), "status": data.status}
        audit(actor, action.meeting, AuditAction.UPDATE, detail)
    return action
