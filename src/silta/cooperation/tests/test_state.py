"""The agenda item's transition table, every cell: allowed moves by the chair, refused
moves (409, nothing changed), what each step needs, and that only the chair moves."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from silta.audit.models import AuditEvent
from silta.cooperation import services
from silta.cooperation.models import AgendaItem
from silta.cooperation.state import TRANSITIONS, ItemStatus, available
from silta.cooperation.tests.scene import meeting_day, move, propose
from silta.core.errors import Conflict, Forbidden, Invalid

pytestmark = pytest.mark.django_db

# Written out by hand: (action, from) -> to; anything else is refused.
ALLOWED = {
    ("schedule", "proposed"): "scheduled",
    ("schedule", "scheduled"): "scheduled",  # moved to another meeting
    ("discuss", "scheduled"): "discussed",
    ("decide", "discussed"): "decided",
    ("complete", "decided"): "done",
    ("decline", "proposed"): "declined",
    ("decline", "scheduled"): "declined",
    ("decline", "discussed"): "declined",
}
# The path to each state from "proposed".
PATH = {
    "proposed": [],
    "scheduled": ["schedule"],
    "discussed": ["schedule", "discuss"],
    "decided": ["schedule", "discuss", "decide"],
    "done": ["schedule", "discuss", "decide", "complete"],
    "declined": ["decline"],
}
FIELDS: dict[str, dict[str, object]] = {
    "schedule": {"meeting_date": None},
    "decide": {"decision": "Päätös"},
    "decline": {"reason": "Ei kuulu ryhmälle"},
}


def _fields(action: str) -> dict[str, object]:
    fields = dict(FIELDS.get(action, {}))
    if "meeting_date" in fields:
        fields["meeting_date"] = meeting_day()
    return fields


def _item_in(world, forum, state: str) -> AgendaItem:
    item = propose(world, forum, "kela_processor", "Ohjemuutokset")
    for action in PATH[state]:
        item = move(world, item, action, **_fields(action))
    assert item.status == state
    return item


def test_the_table_is_the_one_written_here():
    table = {(a, s): t.target for a, t in TRANSITIONS.items() for s in t.sources}
    assert table == ALLOWED
    assert {a for a, t in TRANSITIONS.items() if t.needs_reason} == {"decline"}
    assert {a for a, t in TRANSITIONS.items() if t.needs_date} == {"schedule"}
    assert {a for a, t in TRANSITIONS.items() if t.needs_decision} == {"decide"}
    assert [t.action for t in available("done")] == []
    assert [t.action for t in available("declined")] == []


@pytest.mark.parametrize("state", list(PATH))
@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_every_move_from_every_state(world, forum, state, action):
    item = _item_in(world, forum, state)
    if (action, state) in ALLOWED:
        moved = move(world, item, action, **_fields(action))
        assert moved.status == ALLOWED[(action, state)]
        assert moved.version == item.version + 1
    else:
        with pytest.raises(Conflict) as refused:
            move(world, item, action, **_fields(action))
        assert refused.value.code == "invalid_transition"
        again = AgendaItem.objects.get(pk=item.pk)
        assert (again.status, again.version) == (state, item.version)


def test_decline_needs_a_reason(world, forum):
    item = _item_in(world, forum, "scheduled")
    for reason in ("", "   "):
        with pytest.raises(Invalid) as refused:
            move(world, item, "decline", reason=reason)
        assert (refused.value.code, refused.value.field) == ("reason_required", "reason")
    assert AgendaItem.objects.get(pk=item.pk).status == "scheduled"
    declined = move(world, item, "decline", reason="Käsitellään työryhmässä")
    assert (declined.status, declined.decline_reason) == ("declined", "Käsitellään työryhmässä")


def test_schedule_needs_a_date_not_in_the_past(world, forum):
    item = _item_in(world, forum, "proposed")
    with pytest.raises(Invalid) as missing:
        move(world, item, "schedule")
    assert missing.value.code == "meeting_date_required"
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    with pytest.raises(Invalid) as past:
        move(world, item, "schedule", meeting_date=yesterday)
    assert past.value.code == "meeting_date_past"
    assert AgendaItem.objects.get(pk=item.pk).status == "proposed"
    scheduled = move(world, item, "schedule", meeting_date=timezone.localdate())
    assert scheduled.meeting_date == timezone.localdate()


def test_decide_needs_the_decision(world, forum):
    item = _item_in(world, forum, "discussed")
    with pytest.raises(Invalid) as refused:
        move(world, item, "decide", decision=" ")
    assert refused.value.code == "decision_required"
    decided = move(world, item, "decide", decision="Yhteinen ohje")
    assert decided.decision == "Yhteinen ohje" and decided.decided_at is not None


def test_done_only_when_the_follow_up_actions_are_done(world, forum):
    item = _item_in(world, forum, "decided")
    action = services.followup_add(
        actor=world.actor("social_manager"),
        item=item,
        data=services.FollowUpInput(
            description="Tiedote", owner_unit_id=world.kela_unit.public_id, due_date=meeting_day()
        ),
    )
    with pytest.raises(Conflict) as refused:
        move(world, item, "complete")
    assert refused.value.code == "actions_open"
    done = services.followup_done(actor=world.actor("kela_processor"), action=action)
    assert (done.status, done.done_by_label) == ("done", world.users["kela_processor"].display_name)
    assert move(world, item, "complete").status == "done"


def test_a_stale_page_cannot_move_the_item(world, forum):
    item = _item_in(world, forum, "proposed")
    move(world, item, "schedule", meeting_date=meeting_day())
    with pytest.raises(Conflict) as refused:
        move(world, item, "decline", reason="x", version=0)
    assert refused.value.code == "stale_version"


@pytest.mark.parametrize(
    "key",
    ["kela_processor", "kela_manager", "social_worker", "social_processor", "kela_other_unit"],
)
def test_only_the_chair_moves_an_item(world, forum, key):
    """A member who is not a manager of the chair unit is refused (one audited refusal)."""
    item = _item_in(world, forum, "proposed")
    data = services.MoveInput(action="schedule", meeting_date=meeting_day())
    with pytest.raises(Forbidden):
        services.item_move(actor=world.actor(key), item=item, data=data)
    assert AuditEvent.objects.filter(action="denied", user=world.users[key]).count() == 1
    assert AgendaItem.objects.get(pk=item.pk).status == ItemStatus.PROPOSED


def test_only_the_chair_adds_follow_up_actions(world, forum):
    item = _item_in(world, forum, "decided")
    data = services.FollowUpInput(
        description="Tiedote", owner_unit_id=world.kela_unit.public_id, due_date=meeting_day()
    )
    with pytest.raises(Forbidden):
        services.followup_add(actor=world.actor("kela_manager"), item=item, data=data)
    assert not item.actions.exists()
