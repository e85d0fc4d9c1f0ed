"""The cooperation scene on top of the shared test world (``tests.factories``).

A Kuopio regional team (Kela Itä, Kuopio adult social work and the county's social
assistance unit; municipality 297) with two contact persons, and a cooperation group of
Kela and the Pohjois-Savo county chaired by Kuopio adult social work, with one item in
each of proposed, scheduled, discussed and decided (the decided one has an open follow-up
action owned by Kela Itä). Built once; found again by name (idempotent).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from silta.cooperation import services
from silta.cooperation.models import (
    AgendaItem,
    ContactRole,
    FollowUpAction,
    Forum,
    ForumKind,
    RegionalTeam,
    TeamContact,
)
from silta.reference.models import Municipality
from tests.factories import World

TEAM_NAME = "Kuopion alueellinen tiimi"
FORUM_NAME = "Pohjois-Savon yhteistyöryhmä"
STATES = ("proposed", "scheduled", "discussed", "decided")


@dataclass
class Coop:
    team: RegionalTeam
    forum: Forum
    items: dict[str, AgendaItem]
    action: FollowUpAction


def meeting_day() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=14)


def propose(world: World, forum: Forum, key: str, title: str) -> AgendaItem:
    data = services.ProposeInput(title=title, description="Kuvaus asiasta", topic="guidelines")
    return services.item_propose(actor=world.actor(key), forum=forum, data=data)


def move(world: World, item: AgendaItem, action: str, **fields: object) -> AgendaItem:
    data = services.MoveInput(action=action, **fields)  # type: ignore[arg-type]
    return services.item_move(actor=world.actor("social_manager"), item=item, data=data)


STEPS: dict[str, list[tuple[str, dict[str, object]]]] = {
    "proposed": [],
    "scheduled": [("schedule", {"meeting_date": None})],
    "discussed": [("schedule", {"meeting_date": None}), ("discuss", {})],
    "decided": [
        ("schedule", {"meeting_date": None}),
        ("discuss", {}),
        ("decide", {"decision": "Kela tiedottaa ohjemuutoksista kuukautta ennen."}),
    ],
}


def build(world: World) -> Coop:
    team = RegionalTeam.objects.create(name_fi=TEAM_NAME, name_sv="Kuopios regionala team")
    team.units.set([world.kela_unit, world.social_unit, world.social_unit2])
    team.municipalities.set([Municipality.objects.get(code="297")])
    for unit, user in ((world.social_unit, "social_worker"), (world.kela_unit, "kela_processor")):
        TeamContact.objects.create(
            team=team, unit=unit, user=world.users[user], role=ContactRole.CONTACT
        )
    forum = Forum.objects.create(
        name_fi=FORUM_NAME,
        name_sv="Samarbetsgruppen i Norra Savolax",
        kind=ForumKind.COOPERATION_GROUP,
        chair_unit=world.social_unit,
    )
    forum.organisations.set([world.kela, world.county])
    forum.units.set([world.kela_unit, world.social_unit])
    items = {}
    for state in STATES:
        item = propose(world, forum, "kela_processor", f"Asia: {state}")
        for action, fields in STEPS[state]:
            if "meeting_date" in fields:
                fields = {**fields, "meeting_date": meeting_day()}
            item = move(world, item, action, **fields)
        items[state] = item
    followup = services.followup_add(
        actor=world.actor("social_manager"),
        item=items["decided"],
        data=services.FollowUpInput(
            description="Tiedote tiimeille",
            owner_unit_id=world.kela_unit.public_id,
            due_date=meeting_day(),
        ),
    )
    return Coop(team, forum, items, followup)


def find_or_build(world: World) -> Coop:
    """The scene's objects (built on first use in this transaction)."""
    team = RegionalTeam.objects.filter(name_fi=TEAM_NAME).first()
    if team is None:
        return build(world)
    forum = Forum.objects.get(name_fi=FORUM_NAME)
    items = {s: AgendaItem.objects.get(forum=forum, title=f"Asia: {s}") for s in STATES}
    return Coop(team, forum, items, FollowUpAction.objects.get(item=items["decided"]))
