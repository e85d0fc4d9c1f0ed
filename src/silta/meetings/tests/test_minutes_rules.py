"""The rules of the minutes and the agreed actions (``meetings.minutes``), one by one:
who may own an action, whose attendance is recorded, when minutes and actions may be
written, what the minutes keep, and an action's way to done."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from silta.audit.models import AuditEvent
from silta.core.errors import Conflict, Forbidden, Invalid
from silta.meetings import minutes
from silta.meetings.inputs import ActionInput, ActionStatusInput, MinutesInput
from silta.meetings.models import (
    ActionStatus,
    Meeting,
    MeetingAction,
    MeetingStatus,
    Participant,
)
from silta.meetings.tests.scene import begun_meeting, held_meeting, new_meeting
from silta.organisations.models import Unit
from tests.factories import World

pytestmark = pytest.mark.django_db

DUE = dt.date(2031, 1, 15)


def _record(world: World, meeting: Meeting, **changes) -> Meeting:
    values = {
        "attended_ids": [p.public_id for p in meeting.participants.all()],
        "client_attended": True,
        "agreed": "Sovittiin",
        **changes,
    }
    return minutes.minutes_record(
        actor=world.actor("social_worker"), meeting=meeting, data=MinutesInput(**values)
    )


def _action(**changes) -> ActionInput:
    return ActionInput(**{"text": "Päätös", "due_date": DUE, **changes})


def _unchanged(meeting: Meeting) -> None:
    meeting.refresh_from_db()
    assert (meeting.status, meeting.minutes_at, meeting.agreed) == ("confirmed", None, "")
    assert MeetingAction.objects.filter(meeting=meeting).count() == 0


# --- who owns an action ------------------------------------------------------------------


def test_an_action_is_owned_by_the_kela_unit_or_the_social_unit_of_the_case(shared_world):
    world = shared_world
    meeting = begun_meeting(world)
    _record(
        world,
        meeting,
        actions=[
            _action(text="Kelan päätös", owner_unit_id=world.kela_unit.public_id),
            _action(text="Suunnitelma", owner_unit_id=world.social_unit.public_id),
        ],
    )
    owners = dict(MeetingAction.objects.filter(meeting=meeting).values_list("text", "owner_unit"))
    assert owners == {"Kelan päätös": world.kela_unit.pk, "Suunnitelma": world.social_unit.pk}


LOW, HIGH = uuid.UUID(int=1), uuid.UUID(int=2**128 - 1)


@pytest.mark.parametrize(("kela_id", "social_id"), [(HIGH, LOW), (LOW, HIGH)])
def test_an_action_goes_to_the_unit_named_whichever_id_sorts_first(
    shared_world, kela_id, social_id
):
    world = shared_world
    Unit.objects.filter(pk=world.kela_unit.pk).update(public_id=kela_id)
    Unit.objects.filter(pk=world.social_unit.pk).update(public_id=social_id)
    meeting = begun_meeting(world)
    _record(
        world,
        meeting,
        actions=[
            _action(text="Kela", owner_unit_id=kela_id),
            _action(text="Sosiaalityö", owner_unit_id=social_id),
        ],
    )
    owners = dict(MeetingAction.objects.filter(meeting=meeting).values_list("text", "owner_unit"))
    assert owners == {"Kela": world.kela_unit.pk, "Sosiaalityö": world.social_unit.pk}


def test_an_action_may_not_be_owned_by_a_unit_outside_the_case(shared_world):
    world = shared_world
    meeting = begun_meeting(world)
    for outside in (world.social_unit2, world.kela_unit2, world.other_social_unit):
        with pytest.raises(Invalid) as refused:
            _record(world, meeting, actions=[_action(owner_unit_id=outside.public_id)])
        assert (refused.value.code, refused.value.field) == ("action_owner_invalid", "actions")
    _unchanged(meeting)


def test_an_action_is_owned_by_a_participant_of_the_meeting_only(shared_world):
    world = shared_world
    meeting = begun_meeting(world)
    with pytest.raises(Invalid) as refused:
        _record(world, meeting, actions=[_action(owner_participant_id=uuid.uuid4())])
    assert refused.value.code == "action_owner_invalid"
    _unchanged(meeting)
    person = meeting.participants.get(user=world.users["kela_processor"])
    _record(world, meeting, actions=[_action(owner_participant_id=person.public_id)])
    action = MeetingAction.objects.get(meeting=meeting)
    assert (action.owner_participant_id, action.owner_unit_id) == (person.pk, None)
    assert (action.text, action.due_date) == ("Päätös", DUE)


# --- attendance --------------------------------------------------------------------------


def test_only_participants_can_be_marked_attended(shared_world):
    world = shared_world
    meeting = begun_meeting(world)
    ids = [p.public_id for p in meeting.participants.all()]
    with pytest.raises(Invalid) as refused:
        _record(world, meeting, attended_ids=[*ids, uuid.uuid4()])
    assert (refused.value.code, refused.value.field) == ("attendance_invalid", "attended_ids")
    _unchanged(meeting)


def test_each_participant_is_recorded_as_attended_or_not(shared_world):
    world = shared_world
    meeting = begun_meeting(world)
    came = meeting.participants.get(user=world.users["kela_processor"])
    _record(world, meeting, attended_ids=[came.public_id])
    attended = dict(
        Participant.objects.filter(meeting=meeting).values_list("public_id", "attended")
    )
    assert len(attended) >= 2
    assert attended == {key: key == came.public_id for key in attended}


@pytest.mark.parametrize("came", [True, False])
def test_the_clients_attendance_is_recorded_as_given_when_the_client_was_invited(
    shared_world, came
):
    world = shared_world
    meeting = begun_meeting(world)
    assert meeting.with_client
    _record(world, meeting, client_attended=came)
    meeting.refresh_from_db()
    assert meeting.client_attended is came


def test_a_meeting_without_the_client_records_no_client_attendance(shared_world):
    world = shared_world
    meeting = begun_meeting(world)
    Meeting.objects.filter(pk=meeting.pk).update(kind="case_conference")
    meeting.refresh_from_db()
    assert not meeting.with_client
    _record(world, meeting, client_attended=None)  # not asked
    meeting.refresh_from_db()
    assert (meeting.status, meeting.client_attended) == (MeetingStatus.HELD, False)
    other = begun_meeting(world)
    Meeting.objects.filter(pk=other.pk).update(kind="case_conference")
    other.refresh_from_db()
    _record(world, other, client_attended=True)  # given anyway: not recorded
    other.refresh_from_db()
    assert other.client_attended is False


# --- when minutes and actions may be written ---------------------------------------------


def test_minutes_are_refused_for_a_meeting_still_finding_a_time(shared_world):
    world = shared_world
    meeting = new_meeting(world)
    assert meeting.status == MeetingStatus.SCHEDULING
    with pytest.raises(Conflict) as refused:
        _record(world, meeting)
    assert refused.value.code == "not_confirmed"
    meeting.refresh_from_db()
    assert (meeting.status, meeting.minutes_at) == (MeetingStatus.SCHEDULING, None)


def test_minutes_are_refused_for_a_cancelled_meeting(shared_world):
    world = shared_world
    meeting = begun_meeting(world)
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CANCELLED)
    meeting.refresh_from_db()
    with pytest.raises(Conflict) as refused:
        _record(world, meeting)
    assert refused.value.code == "not_confirmed"
    meeting.refresh_from_db()
    assert (meeting.status, meeting.minutes_at) == (MeetingStatus.CANCELLED, None)


def test_minutes_are_recorded_once_a_held_meeting_refuses_new_minutes(shared_world):
    world = shared_world
    meeting = held_meeting(world)
    with pytest.raises(Conflict) as refused:
        _record(world, meeting, agreed="Toinen pöytäkirja")
    assert refused.value.code == "not_confirmed"
    meeting.refresh_from_db()
    assert meeting.agreed == "Haetaan vuokravakuus"


def test_minutes_may_be_recorded_at_the_very_moment_the_meeting_begins(shared_world, monkeypatch):
    world = shared_world
    meeting = begun_meeting(world)
    moment = timezone.now().replace(microsecond=0)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=moment)
    meeting.refresh_from_db()
    monkeypatch.setattr(timezone, "now", lambda: moment)
    held = _record(world, meeting)
    assert (held.status, held.minutes_at) == (MeetingStatus.HELD, moment)


def test_an_action_is_added_only_to_a_held_meeting(shared_world):
    world = shared_world
    meeting = begun_meeting(world)  # confirmed, no minutes yet
    with pytest.raises(Conflict) as refused:
        minutes.action_add(
            actor=world.actor("social_worker"),
            meeting=meeting,
            data=_action(owner_unit_id=world.kela_unit.public_id),
        )
    assert refused.value.code == "not_held"
    assert MeetingAction.objects.filter(meeting=meeting).count() == 0


@pytest.mark.parametrize("status", [MeetingStatus.SCHEDULING, MeetingStatus.CANCELLED])
def test_an_action_is_not_added_to_a_meeting_still_finding_a_time_or_cancelled(
    shared_world, status
):
    world = shared_world
    meeting = new_meeting(world)
    Meeting.objects.filter(pk=meeting.pk).update(status=status)
    meeting.refresh_from_db()
    with pytest.raises(Conflict) as refused:
        minutes.action_add(
            actor=world.actor("social_worker"),
            meeting=meeting,
            data=_action(owner_unit_id=world.kela_unit.public_id),
        )
    assert refused.value.code == "not_held"
    assert MeetingAction.objects.filter(meeting=meeting).count() == 0


def test_an_action_added_to_a_held_meeting_is_kept_and_audited(shared_world):
    world = shared_world
    meeting = held_meeting(world)
    action = minutes.action_add(
        actor=world.actor("social_worker"),
        meeting=meeting,
        data=_action(text="  Lisätoimi ", owner_unit_id=world.social_unit.public_id),
    )
    action.refresh_from_db()
    assert (action.text, action.owner_unit_id, action.status) == (
        "Lisätoimi",
        world.social_unit.pk,
        ActionStatus.OPEN,
    )
    event = AuditEvent.objects.filter(object_id=str(meeting.public_id)).latest("pk")
    assert event.detail == {"action": str(action.public_id)}


# --- what the minutes keep ---------------------------------------------------------------


def test_the_minutes_keep_the_agreement_trimmed_to_10000_characters_and_who_wrote_them(
    shared_world,
):
    world = shared_world
    meeting = begun_meeting(world)
    before = timezone.now()
    _record(world, meeting, agreed="  " + "a" * 10001 + "  ")
    meeting.refresh_from_db()
    assert meeting.agreed == "a" * 10000
    assert meeting.status == MeetingStatus.HELD
    assert meeting.minutes_at is not None and meeting.minutes_at >= before
    assert meeting.minutes_by_label == world.users["social_worker"].display_name
    other = begun_meeting(world)
    _record(world, other, agreed="  Sovittiin  ")
    other.refresh_from_db()
    assert other.agreed == "Sovittiin"


def test_the_minutes_audit_names_the_minutes_and_counts_the_actions(shared_world):
    world = shared_world
    meeting = begun_meeting(world)
    _record(
        world,
        meeting,
        actions=[
            _action(owner_unit_id=world.kela_unit.public_id),
            _action(owner_unit_id=world.social_unit.public_id),
        ],
    )
    event = AuditEvent.objects.filter(object_id=str(meeting.public_id)).latest("pk")
    assert (event.action, event.detail) == ("update", {"minutes": True, "actions": 2})


# --- an action's way to done -------------------------------------------------------------


def _open_action(world: World) -> MeetingAction:
    meeting = held_meeting(world)
    return MeetingAction.objects.get(meeting=meeting)


def test_an_action_moves_to_done_with_its_time_and_back_to_open_without_it(shared_world):
    world = shared_world
    action = _open_action(world)
    kela = world.actor("kela_processor")
    moved = minutes.action_set_status(
        actor=kela, action=action, data=ActionStatusInput(status="done")
    )
    assert (moved.pk, moved.status) == (action.pk, ActionStatus.DONE)  # given back, moved
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.done_at is not None
    assert action.updated_by_label == world.users["kela_processor"].display_name
    for status in ("in_progress", "open"):
        minutes.action_set_status(actor=kela, action=action, data=ActionStatusInput(status=status))
        action.refresh_from_db()
        assert (action.status, action.done_at) == (status, None)
    event = AuditEvent.objects.filter(object_id=str(action.meeting.public_id)).latest("pk")
    assert event.detail == {"action": str(action.public_id), "status": "open"}


def test_an_unknown_action_status_is_refused(shared_world):
    world = shared_world
    action = _open_action(world)
    with pytest.raises(Invalid) as refused:
        minutes.action_set_status(
            actor=world.actor("kela_processor"), action=action, data=ActionStatusInput(status="x")
        )
    assert (refused.value.code, refused.value.field) == ("status_invalid", "status")
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_only_the_owner_or_the_organiser_moves_an_action(shared_world):
    world = shared_world
    action = _open_action(world)
    with pytest.raises(Forbidden):
        minutes.action_set_status(
            actor=world.actor("social_other_org"),
            action=action,
            data=ActionStatusInput(status="done"),
        )
    action.refresh_from_db()
    assert (action.status, action.done_at) == (ActionStatus.OPEN, None)
