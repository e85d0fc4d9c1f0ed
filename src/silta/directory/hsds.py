"""The directory as Open Referral HSDS 3.0 JSON: export (validated against the spec's
compiled ``organization`` schema) and the mapping shared with the import.

Mapping (see ../shared/STANDARDS.md):
- organisation -> organization (``organization_identifiers``: the organiser code);
- unit -> service (``assured_date``: the last verification; kind as an attribute);
- served municipality and topic -> service_area (``extent``: municipality code);
- each channel -> service_at_location with its own location (virtual for phone lines and
  e-mail, physical for a visiting address), its phones and its schedules;
- weekly hours -> WEEKLY schedules (``byday``); a date exception -> a schedule valid on
  that date only (no times: closed). Times are Europe/Helsinki wall-clock times.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from silta.directory.hours import DAY_MINUTES, TimeRange
from silta.directory.models import Channel, ChannelKind, ServiceArea
from silta.directory.schedules import channel_schedule
from silta.organisations.models import Organisation, Unit

SCHEMA_FILE = Path(__file__).resolve().parent / "hsds_schemas" / "organization.json"
NAMESPACE = uuid.UUID("6f1d3c2e-8a4b-4c1d-9e2f-5a6b7c8d9e0f")
BYDAY = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
TAXONOMY_KIND = "silta:unit_kind"
TAXONOMY_TOPIC = "silta:topic"
TAXONOMY_CHANNEL = "silta:channel_kind"
TAXONOMY_FLAG = "silta:flag"
FLAG_ALWAYS_OPEN = "always_open"
FLAG_OPEN_ON_HOLIDAYS = "open_on_holidays"
ORGANISER_CODE = "fi:organiser_code"
KELA_IDENTIFIER = "fi:kela"
MUNICIPALITY_EXTENT = "fi:municipality_code"
CLOSED = "closed"


@lru_cache(maxsize=1)
def organization_schema() -> dict[str, Any]:
    with SCHEMA_FILE.open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


def derived_id(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def attribute(link_id: str, taxonomy: str, code: str, name: str) -> dict[str, Any]:
    term_id = derived_id("term", taxonomy, code)
    return {
        "id": derived_id("attr", link_id, taxonomy, code),
        "link_id": link_id,
        "taxonomy_term_id": term_id,
        "taxonomy_term": {
            "id": term_id,
            "code": code,
            "name": name,
            "description": name,
            "taxonomy": taxonomy,
        },
    }


def _clock(minutes: int) -> str:
    """HH:MM; midnight at the end of the day is written 23:59 (read back as 24:00)."""
    if minutes >= DAY_MINUTES:
        return "23:59"
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _weekly_rows(sal_id: str, weekly: dict[int, tuple[TimeRange, ...]]) -> list[dict[str, Any]]:
    days_by_range: dict[TimeRange, list[int]] = defaultdict(list)
    for day, ranges in weekly.items():
        for item in ranges:
            days_by_range[item].append(day)
    rows = []
    for item, days in sorted(days_by_range.items()):
        byday = ",".join(BYDAY[d] for d in sorted(days))
        rows.append(
            {
                "id": derived_id("schedule", sal_id, byday, item.opens, item.closes),
                "service_at_location_id": sal_id,
                "freq": "WEEKLY",
                "byday": byday,
                "opens_at": _clock(item.opens),
                "closes_at": _clock(item.closes),
                "notes": "Europe/Helsinki",
            }
        )
    return rows


def _exception_rows(
    sal_id: str, exceptions: dict[dt.date, tuple[TimeRange, ...]]
) -> list[dict[str, Any]]:
    rows = []
    for day, ranges in sorted(exceptions.items()):
        base = {
            "service_at_location_id": sal_id,
            "valid_from": day.isoformat(),
            "valid_to": day.isoformat(),
            "dtstart": day.isoformat(),
            "freq": "WEEKLY",
            "byday": BYDAY[day.weekday()],
            "notes": "Europe/Helsinki",
        }
        if not ranges:
            rows.append({**base, "id": derived_id("closed", sal_id, day), "description": CLOSED})
        for item in ranges:
            rows.append(
                {
                    **base,
                    "id": derived_id("exception", sal_id, day, item.opens),
                    "opens_at": _clock(item.opens),
                    "closes_at": _clock(item.closes),
                }
            )
    return rows


def _location(channel: Channel, sal_id: str) -> dict[str, Any]:
    location_id = str(channel.public_id)
    location: dict[str, Any] = {
        "id": location_id,
        "location_type": "physical" if channel.kind == ChannelKind.VISITING_ADDRESS else "virtual",
        "name": channel.label_fi or channel.get_kind_display(),
        "alternate_name": channel.label_sv,
        "attributes": [
            attribute(location_id, TAXONOMY_CHANNEL, channel.kind, str(channel.get_kind_display()))
        ],
    }
    if channel.always_open:
        location["attributes"].append(
            attribute(location_id, TAXONOMY_FLAG, FLAG_ALWAYS_OPEN, "24/7")
        )
    if not channel.closed_on_holidays:
        location["attributes"].append(
            attribute(location_id, TAXONOMY_FLAG, FLAG_OPEN_ON_HOLIDAYS, "open on holidays")
        )
    if channel.email:
        location["url"] = f"mailto:{channel.email}"
    if channel.street:
        location["addresses"] = [
            {
                "id": derived_id("address", location_id),
                "location_id": location_id,
                "address_1": channel.street,
                "city": channel.city,
                "state_province": "",
                "postal_code": channel.postal_code,
                "country": "FI",
                "address_type": "physical",
            }
        ]
    return location


def _service_at_location(channel: Channel, service_id: str) -> dict[str, Any]:
    sal_id = derived_id("sal", channel.public_id)
    schedule = channel_schedule(channel)
    schedules = [] if channel.always_open else _weekly_rows(sal_id, dict(schedule.weekly))
    schedules += _exception_rows(sal_id, dict(schedule.exceptions))
    phones = []
    if channel.phone:
        phones.append(
            {
                "id": derived_id("phone", channel.public_id),
                "number": channel.phone,
                "type": "voice",
                "service_at_location_id": sal_id,
            }
        )
    return {
        "id": sal_id,
        "service_id": service_id,
        "location_id": str(channel.public_id),
        "description": channel.label_fi,
        "location": _location(channel, sal_id),
        "phones": phones,
        "schedules": schedules,
    }


def _service(unit: Unit, areas: list[ServiceArea]) -> dict[str, Any]:
    service_id = str(unit.public_id)
    service: dict[str, Any] = {
        "id": service_id,
        "organization_id": str(unit.organisation.public_id),
        "name": unit.name_fi,
        "alternate_name": unit.name_sv,
        "description": unit.description_fi,
        "status": "active" if unit.is_active else "inactive",
        "attributes": [
            attribute(service_id, TAXONOMY_KIND, unit.kind, str(unit.get_kind_display()))
        ],
        "service_areas": [
            {
                "id": derived_id("area", service_id, a.municipality_id, a.topic),
                "service_id": service_id,
                "name": a.municipality.name_fi,
                "extent": a.municipality_id,
                "extent_type": MUNICIPALITY_EXTENT,
                "attributes": [
                    attribute(
                        derived_id("area", service_id, a.municipality_id, a.topic),
                        TAXONOMY_TOPIC,
                        a.topic,
                        str(a.get_topic_display()),
                    )
                ],
            }
            for a in areas
        ],
        "service_at_locations": [_service_at_location(c, service_id) for c in unit.channels.all()],
    }
    if unit.verified_at:
        service["assured_date"] = timezone.localdate(unit.verified_at).isoformat()
    return service


def _organization(org: Organisation, services: list[dict[str, Any]]) -> dict[str, Any]:
    org_id = str(org.public_id)
    kind, value = (KELA_IDENTIFIER, "kela") if org.is_kela else (ORGANISER_CODE, org.organiser_code)
    return {
        "id": org_id,
        "name": org.name_fi,
        "alternate_name": org.name_sv,
        "description": str(org.get_kind_display()),
        "organization_identifiers": [
            {
                "id": derived_id("identifier", org_id),
                "organization_id": org_id,
                "identifier_type": kind,
                "identifier": value,
            }
        ],
        "services": services,
    }


def export_directory(*, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Every organisation with its units as HSDS organization objects."""
    channels = Channel.objects.prefetch_related("weekly_hours", "exceptions")
    units = (
        Unit.objects.select_related("organisation")
        .prefetch_related(Prefetch("channels", queryset=channels))
        .order_by("organisation_id", "pk")
    )
    areas: dict[int, list[ServiceArea]] = defaultdict(list)
    for area in ServiceArea.objects.select_related("municipality").order_by(
        "unit_id", "topic", "municipality_id"
    ):
        areas[area.unit_id].append(area)
    by_org: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for unit in units:
        by_org[unit.organisation_id].append(_service(unit, areas[unit.pk]))
    return [_organization(org, by_org[org.pk]) for org in Organisation.objects.order_by("pk")]
