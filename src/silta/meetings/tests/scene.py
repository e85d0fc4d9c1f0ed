"""Meetings for tests: one network meeting on the world's shared case, organised by
Kuopio's social worker with Kela Itä's processor and one person outside Silta."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from silta.exchange.models import Case
from silta.meetings import minutes, services
from silta.meetings.inputs import (
    ActionInput,
    ConfirmInput,
    ExternalInput,
    MeetingInput,
    MinutesInput,
)
from silta.meetings.models import Meeting
from tests.factories import World

EXTERNAL_EMAIL = "ohjaaja@tyollisyyspalvelut.example"
VIDEO = {
    "place_kind": "video",
    "video_url": "https://meet.example.fi/abc",
    "video_platform": "Teams",
}


def future(days: int, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def with_emails(world: World) -> None:
    for key in ("social_worker", "kela_processor"):
        user = world.users[key]
        user.email = f"{key}@example.fi"
        user.save(update_fields=["email"])


def meeting_input(world: World, **changes: Any) -> MeetingInput:
    values: dict[str, Any] = {
        "kind": "network",
        "title": "Verkostopalaveri",
        "participant_ids": [world.users["kela_processor"].public_id],
        "externals": [ExternalInput(name="Outi Ohjaaja", email=EXTERNAL_EMAIL, organisation="TE")],
        "agenda": ["Asumisen tilanne"],
        "times": [future(10), future(11)],
        **VIDEO,
    }
    values.update(changes)
    return MeetingInput.model_validate(values)


def new_meeting(world: World, case: Case | None = None, **changes: Any) -> Meeting:
    case = case or world.open_case()
    return services.meeting_create(
        actor=world.actor("social_worker"), case=case, data=meeting_input(world, **changes)
    )


def confirmed_meeting(world: World, case: Case | None = None, **changes: Any) -> Meeting:
    meeting = new_meeting(world, case, **changes)
    return services.meeting_confirm(
        actor=world.actor("social_worker"), meeting=meeting, data=ConfirmInput(starts_at=future(10))
    )


def begun_meeting(world: World, case: Case | None = None) -> Meeting:
    """A confirmed meeting whose time has come (minutes are recorded only then)."""
    meeting = confirmed_meeting(world, case)
    begun = timezone.now() - dt.timedelta(hours=2)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=begun)
    meeting.starts_at = begun
    return meeting


def held_meeting(world: World, case: Case | None = None) -> Meeting:
    meeting = begun_meeting(world, case)
    return minutes.minutes_record(
        actor=world.actor("social_worker"),
        meeting=meeting,
        data=MinutesInput(
            attended_ids=[p.public_id for p in meeting.participants.all()],
            client_attended=True,
            agreed="Haetaan vuokravakuus",
            actions=[
                ActionInput(
                    text="Vuokravakuuden päätös",
                    owner_unit_id=world.kela_unit.public_id,
                    due_date=timezone.localdate() + dt.timedelta(days=5),
                )
            ],
        ),
    )
