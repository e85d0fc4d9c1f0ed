"""API: the directory (readable with any unit's key), routing, and the HSDS export."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from silta.core.api_schemas import ErrorOut, Out
from silta.directory.hsds import export_directory
from silta.directory.schedules import ChannelStatus
from silta.directory.selectors import directory_search, route, unit_page

router = Router(tags=["directory"])


class ChannelOut(Out):
    id: uuid.UUID
    kind: str
    label_fi: str
    label_sv: str
    phone: str
    email: str
    address: str
    open_now: bool | None
    closes_at: dt.datetime | None
    next_opens_at: dt.datetime | None


class UnitCardOut(Out):
    id: uuid.UUID
    name_fi: str
    name_sv: str
    kind: str
    organisation: str
    stale: bool
    channels: list[ChannelOut]


class UnitCardsPage(Out):
    page: int
    has_next: bool
    items: list[UnitCardOut]


class RouteOut(Out):
    municipality_code: str
    municipality_name: str
    topic: str
    is_aland: bool
    organisation: str | None
    units: list[uuid.UUID]


def _channel(item: ChannelStatus) -> dict[str, Any]:
    channel, status = item.channel, item.status
    address = f"{channel.street}, {channel.postal_code} {channel.city}" if channel.street else ""
    return {
        "id": channel.public_id,
        "kind": channel.kind,
        "label_fi": channel.label_fi,
        "label_sv": channel.label_sv,
        "phone": channel.phone,
        "email": channel.email,
        "address": address,
        "open_now": status.is_open if status else None,
        "closes_at": status.closes_at if status else None,
        "next_opens_at": status.next_opens_at if status else None,
    }


def _card(unit: Any, channels: list[ChannelStatus], stale: bool) -> dict[str, Any]:
    return {
        "id": unit.public_id,
        "name_fi": unit.name_fi,
        "name_sv": unit.name_sv,
        "kind": unit.kind,
        "organisation": unit.organisation.name_fi,
        "stale": stale,
        "channels": [_channel(c) for c in channels],
    }


@router.get(
    "/directory/units",
    response={200: UnitCardsPage, 400: ErrorOut},
    summary="Search units by municipality, unit or organisation name (fi/sv)",
)
def search(
    request: HttpRequest,
    q: str = Query(..., min_length=2, max_length=200),
    topic: str = Query("", max_length=30),
    page: int = 1,
) -> Any:
    # The API lists units only: the staff search of the directory page is not asked.
    result = directory_search(query=q, topic=topic, page=page, people=False)
    return {
        "page": result.units.number,
        "has_next": result.units.has_next,
        "items": [_card(c.unit, c.channels, c.stale) for c in result.units.items],
    }


@router.get(
    "/directory/units/{unit_id}",
    response={200: UnitCardOut, 404: ErrorOut},
    summary="A unit with its channels and whether each is open now",
)
def unit(request: HttpRequest, unit_id: uuid.UUID) -> Any:
    page = unit_page(unit_id=unit_id)
    return _card(page.unit, page.channels, page.stale)


@router.get(
    "/directory/route",
    response={200: RouteOut, 400: ErrorOut},
    summary="The responsible organiser and units for a municipality and topic",
)
def routing(
    request: HttpRequest,
    municipality: str = Query(..., min_length=1, max_length=3),
    topic: str = Query(..., min_length=1, max_length=30),
) -> Any:
    result = route(municipality_code=municipality, topic=topic)
    return {
        "municipality_code": result.municipality.code,
        "municipality_name": result.municipality.name_fi,
        "topic": result.topic,
        "is_aland": result.is_aland,
        "organisation": result.organisation.name_fi if result.organisation else None,
        "units": [u.public_id for u in result.units],
    }


@router.get("/directory/hsds", summary="The whole directory as Open Referral HSDS 3.0 JSON")
def hsds(request: HttpRequest) -> Any:
    return export_directory(now=timezone.now())
