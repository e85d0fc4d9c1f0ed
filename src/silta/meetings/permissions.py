"""Who may see and act on meetings: predicates and the matching queryset filters.

A meeting is client data of its shared case: it is seen by the case's party units
(``CASE_VIEW``), as the case itself is. The organiser unit schedules, confirms, cancels
and records the minutes (``MEETING_ORGANISE``); both parties add agenda items; each
worker answers for themselves (an API key for its unit's workers) and the organiser for
the external participants; an action's owner or the organiser moves the action.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from silta.accounts.actor import Actor
from silta.accounts.roles import Perm
from silta.exchange.permissions import acting_unit_for_case
from silta.meetings.models import Meeting, MeetingAction, Participant


def meeting_filter(actor: Actor, perm: Perm = Perm.CASE_VIEW) -> Q:
    units = actor.units_with(perm)
    return Q(case__kela_unit_id__in=units) | Q(case__social_unit_id__in=units)


def acting_unit(actor: Actor, meeting: Meeting, perm: Perm = Perm.CASE_VIEW) -> int | None:
    """The actor's party unit of the meeting's case allowing ``perm`` (the organiser's
    unit first, for the audit row)."""
    if meeting.organiser_unit_id in actor.units_with(perm):
        return meeting.organiser_unit_id
    return acting_unit_for_case(actor, meeting.case, perm)


def can_organise(actor: Actor, meeting: Meeting) -> bool:
    return meeting.organiser_unit_id in actor.units_with(Perm.MEETING_ORGANISE)


def can_add_agenda(actor: Actor, meeting: Meeting) -> bool:
    return acting_unit_for_case(actor, meeting.case, Perm.MEETING_ORGANISE) is not None


def can_answer_for(actor: Actor, meeting: Meeting, participant: Participant) -> bool:
    if participant.is_external:
        return can_organise(actor, meeting)
    if actor.user is not None:
        return participant.user_id == actor.user.pk
    return participant.unit_id in actor.units_with(Perm.MEETING_ORGANISE)


def can_update_action(actor: Actor, action: MeetingAction) -> bool:
    units = actor.units_with(Perm.MEETING_ORGANISE)
    owner = action.owner_participant
    if action.owner_unit_id in units or action.meeting.organiser_unit_id in units:
        return True
    if owner is None or owner.is_external:
        return False
    return owner.user_id == getattr(actor.user, "pk", None) or (
        actor.user is None and owner.unit_id in units
    )


def open_actions_q(unit_ids: list[Any], participant_ids: list[Any]) -> Q:
    """Actions the actor owns, or their units own, on cases they can see: ``unit_ids`` the
    actor's units with ``CASE_VIEW`` (``actor.units_with``), ``participant_ids`` the
    actor's own participant rows. Ids on the action itself make both halves of the OR
    index scans (a join to the participants inside the OR scanned every open action)."""
    own = Q(owner_unit_id__in=unit_ids) | Q(owner_participant_id__in=participant_ids)
    return own & (
        Q(meeting__case__kela_unit_id__in=unit_ids) | Q(meeting__case__social_unit_id__in=unit_ids)
    )


def action_filter(actor: Actor) -> Q:
    """Actions of meetings on cases the actor can see."""
    units = actor.units_with(Perm.CASE_VIEW)
    return Q(meeting__case__kela_unit_id__in=units) | Q(meeting__case__social_unit_id__in=units)
