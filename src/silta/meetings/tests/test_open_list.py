"""A worker's open actions as compiled once per shape (``open_list``): the same rows the
rule gives (own units' and own open actions, on cases the worker sees, earliest due
first), for any number of units, read in a fixed number of statements."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from silta.accounts.actor import Actor
from silta.accounts.models import Membership
from silta.accounts.roles import Role
from silta.meetings.models import MeetingAction, Participant
from silta.meetings.open_list import _padded
from silta.meetings.selectors import open_actions
from silta.meetings.tests.scene import held_meeting

pytestmark = pytest.mark.django_db
DAY = dt.date(2031, 3, 3)


def _action(meeting, text, *, unit=None, participant=None, days=0, status="open"):
    return MeetingAction.objects.create(
        meeting=meeting,
        text=text,
        owner_unit=unit,
        owner_participant=participant,
        due_date=DAY + dt.timedelta(days=days),
        status=status,
    )


@pytest.fixture
def actions(world):
    meeting = held_meeting(world)
    MeetingAction.objects.filter(meeting=meeting).delete()
    me = Participant.objects.get(meeting=meeting, user=world.users["kela_processor"])
    social = Participant.objects.filter(meeting=meeting, unit=world.social_unit).first()
    return {
        "unit_late": _action(meeting, "Kela Itä, later", unit=world.kela_unit, days=5),
        "unit_early": _action(meeting, "Kela Itä, earlier", unit=world.kela_unit, days=1),
        "mine": _action(meeting, "My own", participant=me, days=3, status="in_progress"),
        "done": _action(meeting, "Done", unit=world.kela_unit, status="done"),
        "social": _action(meeting, "Kuopio's", unit=world.social_unit, days=2),
        "social_person": _action(meeting, "A Kuopio worker's", participant=social, days=4),
    }


def _texts(rows):
    return [row.action.text for row in rows]


def test_the_worker_sees_their_units_and_their_own_open_actions_earliest_due_first(world, actions):
    rows = open_actions(actor=world.actor("kela_processor"))
    assert _texts(rows) == ["Kela Itä, earlier", "My own", "Kela Itä, later"]
    # Another worker of the unit sees the unit's, not the processor's own.
    assert _texts(open_actions(actor=world.actor("kela_advisor"))) == [
        "Kela Itä, earlier",
        "Kela Itä, later",
    ]
    # Kuopio's worker: the unit's action and none of Kela's.
    assert "Kuopio's" in _texts(open_actions(actor=world.actor("social_worker")))
    assert open_actions(actor=world.actor("social_other_org")) == []


def test_each_row_is_built_with_what_the_list_reads_in_three_statements(world, actions):
    actor = world.actor("kela_processor")
    with CaptureQueriesContext(connection) as queries:
        rows = open_actions(actor=actor)
        shown = [
            (r.action.meeting.title, r.action.owner_label, r.action.meeting.case.client.public_id)
            for r in rows
        ]
        _ = [(r.action.public_id, r.action.status, r.action.meeting.public_id) for r in rows]
    # the actor's own owner rows, the list, the audit row: none per row
    assert len(queries) == 3, [q["sql"][:80] for q in queries]
    assert shown[1][1] == world.users["kela_processor"].display_name
    assert shown[0][1] == world.kela_unit.name
    assert shown[0][2] == world.clients[0].public_id


def test_an_actor_in_three_units_gets_the_same_rule(world, actions):
    user = world.users["kela_processor"]
    for unit in (world.kela_unit2, world.social_unit2):
        Membership.objects.create(user=user, unit=unit, role=Role.UNIT_MANAGER)
    actor = Actor.for_user(user)
    assert len(actor.unit_ids) == 3
    assert _texts(open_actions(actor=actor)) == ["Kela Itä, earlier", "My own", "Kela Itä, later"]


def test_an_api_key_sees_its_units_actions_only():
    from silta.accounts.actor import ActorMembership

    actor = Actor(user=None, memberships=(ActorMembership(10**9, 1, Role.INTEGRATION, True),))
    assert open_actions(actor=actor) == []


@pytest.mark.parametrize(
    ("ids", "padded"),
    [([], [-1]), ([7], [7]), ([3, 1], [1, 3]), ([5, 2, 9], [2, 5, 9, 9]), ([4, 4], [4])],
)
def test_id_lists_are_padded_to_a_power_of_two_with_their_last_id(ids, padded):
    assert _padded(ids) == padded
