"""The demo's meetings: one in each state on Kuopio's shared cases with Kela Itä."""

from __future__ import annotations

import datetime as dt

import pytest

from silta.demo.clock import demo_clock
from silta.directory.models import ChannelKind
from silta.directory.services import ChannelInput, channel_save
from silta.meetings import demo, selectors
from silta.meetings.models import ActionStatus, Meeting, MeetingKind, MeetingStatus, TimeAnswer
from silta.referrals.services import ReferralInput, referral_send
from silta.workdays.calendar import add_working_days, today
from tests.factories import give_consent

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_a_meeting_in_each_state(world):
    channel_save(
        user=None,
        unit=world.social_unit,
        check_owner=False,
        data=ChannelInput(
            kind=ChannelKind.VISITING_ADDRESS,
            street="Suokatu 42",
            postal_code="70110",
            city="Kuopio",
        ),
    )
    # The demo's clients consented on their applications weeks ago (the seed's clock goes
    # back before today for the held meeting).
    for client in world.clients[:2]:
        give_consent(client, world.county, world.kela_unit, since_days=60)
    first, second = world.open_case(world.clients[0]), world.open_case(world.clients[1])
    request = referral_send(
        actor=world.actor("kela_processor"),
        case=second,
        data=ReferralInput(
            type="meeting_request",
            description="Asiakas toivoo yhteistä tapaamista.",
            fields={"proposed_times": "ti klo 10", "joint": True},
        ),
    )
    units = {"kela_east": world.kela_unit, "kuopio_adult": world.social_unit}
    users = {
        "sos.tyontekija": world.users["social_worker"],
        "kela.kasittelija": world.users["kela_processor"],
    }
    with demo_clock() as clock:
        demo.seed(units, users, clock)

    meetings = {m.status: m for m in Meeting.objects.all()}
    assert sorted(meetings) == ["confirmed", "held", "scheduling"]
    assert all(m.kind == MeetingKind.TRIPARTITE for m in meetings.values())

    scheduling = meetings[MeetingStatus.SCHEDULING]
    assert scheduling.case == first and scheduling.starts_at is None
    answers = TimeAnswer.objects.filter(time__meeting=scheduling)
    # Both participants answered both times: waiting only for the organiser to confirm.
    assert answers.count() == 2 * scheduling.times.count() == 4

    confirmed = meetings[MeetingStatus.CONFIRMED]
    assert confirmed.case == second and confirmed.referral == request
    assert confirmed.place_unit == world.social_unit and "Suokatu 42" in confirmed.place_text
    assert confirmed.starts_at is not None and confirmed.sequence == 0

    held = meetings[MeetingStatus.HELD]
    assert held.client_attended is True
    assert all(p.attended for p in held.participants.all())
    actions = {a.status: a for a in held.actions.all()}
    assert sorted(actions) == [ActionStatus.DONE, ActionStatus.OPEN]
    assert actions[ActionStatus.DONE].done_at is not None
    due = actions[ActionStatus.OPEN].due_date
    assert today() < due <= add_working_days(today(), 2)
    assert actions[ActionStatus.OPEN].owner_unit == world.kela_unit

    # The Kela processor finds the open action (due soon, not overdue) on "my open actions".
    rows = selectors.open_actions(actor=world.actor("kela_processor"))
    assert [(r.action, r.overdue) for r in rows] == [(actions[ActionStatus.OPEN], False)]
    assert held.starts_at is not None and held.starts_at < held.minutes_at  # type: ignore[operator]
    assert held.minutes_at.date() <= today() - dt.timedelta(days=1)  # type: ignore[union-attr]
