"""API: regional teams and cooperation forums (read, set up, edit), agenda items (propose,
list, move). The same selectors and services as the web pages; not client data."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from silta.api_keys.auth import api_actor
from silta.cooperation import selectors, services, setup_services
from silta.cooperation.models import AgendaItem, Forum, RegionalTeam
from silta.cooperation.selectors import UnitReach
from silta.core.api_schemas import ErrorOut
from silta.directory.selectors import find_municipality

router = Router(tags=["cooperation"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
READ_ERRORS = {400: ErrorOut, 404: ErrorOut}


class UnitRef(Schema):
    id: uuid.UUID
    name: str
    organisation_kind: str


class ReachOut(UnitRef):
    open_now: bool


class ContactOut(Schema):
    name: str
    title: str
    phone: str
    role: str
    unit_id: uuid.UUID
    unit_open_now: bool


class TeamOut(Schema):
    id: uuid.UUID
    name: str
    municipalities: list[str]
    units: list[UnitRef]


class TeamDetailOut(TeamOut):
    reachability: list[ReachOut]
    contacts: list[ContactOut]
    routines: str
    routines_version: int


class ForumOut(Schema):
    id: uuid.UUID
    name: str
    kind: str
    chair_unit: UnitRef
    organisations: list[uuid.UUID]


class ItemOut(Schema):
    id: uuid.UUID
    forum_id: uuid.UUID
    title: str
    description: str
    topic: str
    side: str
    proposing_unit_id: uuid.UUID
    status: str
    version: int
    meeting_date: dt.date | None
    decision: str
    decline_reason: str
    proposed_at: dt.datetime


def _unit(unit: Any) -> dict[str, Any]:
    return {"id": unit.public_id, "name": unit.name, "organisation_kind": unit.organisation.kind}


def _team(team: RegionalTeam) -> dict[str, Any]:
    return {
        "id": team.public_id,
        "name": team.name,
        "municipalities": [m.code for m in team.municipalities.all()],
        "units": [_unit(u) for u in team.units.all()],
    }


def _reach(reach: UnitReach) -> dict[str, Any]:
    return {**_unit(reach.unit), "open_now": reach.open_now}


def _forum(forum: Forum) -> dict[str, Any]:
    return {
        "id": forum.public_id,
        "name": forum.name,
        "kind": forum.kind,
        "chair_unit": _unit(forum.chair_unit),
        "organisations": [o.public_id for o in forum.organisations.all()],
    }


def _item(item: AgendaItem) -> dict[str, Any]:
    return ItemOut(
        id=item.public_id,
        forum_id=item.forum.public_id,
        title=item.title,
        description=item.description,
        topic=item.topic,
        side=item.side,
        proposing_unit_id=item.proposing_unit.public_id,
        status=item.status,
        version=item.version,
        meeting_date=item.meeting_date,
        decision=item.decision,
        decline_reason=item.decline_reason,
        proposed_at=item.proposed_at,
    ).model_dump(mode="json")


@router.get(
    "/teams",
    response={200: list[TeamOut], **READ_ERRORS},
    summary="Regional teams (municipality: a name or three-digit code)",
)
def teams(request: HttpRequest, municipality: str = "", page: int = 1) -> Any:
    api_actor(request)
    found = find_municipality(municipality) if municipality else None
    return [_team(t) for t in selectors.teams_list(municipality=found, page=page).items]


@router.get("/teams/{team_id}", response={200: TeamDetailOut, **READ_ERRORS})
def team(request: HttpRequest, team_id: uuid.UUID) -> Any:
    api_actor(request)
    page = selectors.team_page(team=selectors.team_get(team_id=team_id))
    return {
        **_team(page.team),
        "reachability": [_reach(r) for r in page.units],
        "contacts": [
            {
                "name": c.contact.user.display_name,
                "title": c.contact.user.title,
                "phone": c.contact.user.phone,
                "role": c.contact.role,
                "unit_id": c.contact.unit.public_id,
                "unit_open_now": c.reach.open_now,
            }
            for c in page.contacts
        ],
        "routines": page.routines.text if page.routines else "",
        "routines_version": page.version,
    }


@router.post(
    "/teams",
    response={201: TeamOut, **ERRORS},
    summary="Set up a regional team (units of both organisations, the key's unit among them)",
)
def team_create(request: HttpRequest, data: setup_services.TeamInput) -> Any:
    created = setup_services.team_create(actor=api_actor(request), data=data)
    return Status(201, _team(selectors.team_get(team_id=created.public_id)))


@router.put(
    "/teams/{team_id}",
    response={200: TeamOut, **ERRORS},
    summary="Replace a team's name, units, municipalities and contact persons "
    "(a manager of one of its units)",
)
def team_update(request: HttpRequest, team_id: uuid.UUID, data: setup_services.TeamInput) -> Any:
    found = selectors.team_get(team_id=team_id)
    setup_services.team_update(actor=api_actor(request), team=found, data=data)
    return _team(selectors.team_get(team_id=team_id))


@router.get("/forums", response={200: list[ForumOut], **READ_ERRORS})
def forums(request: HttpRequest) -> Any:
    return [_forum(f) for f in selectors.visible_forums(actor=api_actor(request))]


@router.get("/forums/{forum_id}", response={200: ForumOut, **READ_ERRORS})
def forum(request: HttpRequest, forum_id: uuid.UUID) -> Any:
    return _forum(selectors.forum_get(actor=api_actor(request), forum_id=forum_id))


@router.post(
    "/forums",
    response={201: ForumOut, **ERRORS},
    summary="Set up a cooperation forum chaired by the key's unit (members from both sides)",
)
def forum_create(request: HttpRequest, data: setup_services.ForumInput) -> Any:
    actor = api_actor(request)
    created = setup_services.forum_create(actor=actor, data=data)
    return Status(201, _forum(selectors.forum_get(actor=actor, forum_id=created.public_id)))


@router.put(
    "/forums/{forum_id}",
    response={200: ForumOut, **ERRORS},
    summary="Replace a forum's name, kind, members and chair unit (the chair)",
)
def forum_update(request: HttpRequest, forum_id: uuid.UUID, data: setup_services.ForumInput) -> Any:
    actor = api_actor(request)
    found = selectors.forum_get(actor=actor, forum_id=forum_id)
    setup_services.forum_update(actor=actor, forum=found, data=data)
    return _forum(selectors.forum_get(actor=actor, forum_id=forum_id))


@router.get(
    "/forums/{forum_id}/items",
    response={200: list[ItemOut], **READ_ERRORS},
    summary="The forum's agenda items (status: one state to list)",
)
def items(request: HttpRequest, forum_id: uuid.UUID, status: str = "") -> Any:
    found = selectors.forum_get(actor=api_actor(request), forum_id=forum_id)
    return [_item(i) for i in selectors.forum_items(forum=found, status=status)]


@router.post(
    "/forums/{forum_id}/items",
    response={201: ItemOut, **ERRORS},
    summary="Propose an agenda item (not client data: identity codes are refused)",
)
def propose(request: HttpRequest, forum_id: uuid.UUID, data: services.ProposeInput) -> Any:
    actor = api_actor(request)
    found = selectors.forum_get(actor=actor, forum_id=forum_id)
    item = services.item_propose(actor=actor, forum=found, data=data)
    return Status(201, _item(selectors.item_get(actor=actor, item_id=item.public_id)))


@router.post(
    "/agenda-items/{item_id}/move",
    response={200: ItemOut, **ERRORS},
    summary="The chair moves an item: schedule (meeting_date), discuss, decide (decision), "
    "complete, decline (reason)",
)
def move(request: HttpRequest, item_id: uuid.UUID, data: services.MoveInput) -> Any:
    actor = api_actor(request)
    found = selectors.item_get(actor=actor, item_id=item_id)
    return _item(services.item_move(actor=actor, item=found, data=data))
