"""The directory as FHIR: organisations and their units as Organization (a unit is part
of its organisation), each contact channel as a HealthcareService (hours as
``availableTime``; public holidays and date exceptions as ``notAvailable``), a visiting
address also as a Location, and each staff member's role in a unit as a PractitionerRole.
Directory data is not client data."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.utils.translation import gettext as _

from silta.directory.hours import DAY_MINUTES, Schedule
from silta.directory.models import Channel, ChannelKind
from silta.directory.schedules import channel_schedule
from silta.directory.selectors import StaffLine
from silta.fhir.codes import CHANNEL_KIND, ORG_TYPE, UNIT_ROLE, concept, ref
from silta.organisations.models import Organisation, Unit
from silta.workdays.calendar import is_holiday

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HORIZON_DAYS = 365


def organisation_resource(organisation: Organisation) -> dict[str, Any]:
    return {
        "resourceType": "Organization",
        "id": str(organisation.public_id),
        "active": True,
        "type": [concept(ORG_TYPE, "govt", "Government")],
        "name": organisation.name_fi,
        "alias": [organisation.name_sv] if organisation.name_sv else [],
    }


def unit_resource(unit: Unit) -> dict[str, Any]:
    """A unit (its organisation loaded): a department of its organisation."""
    resource = {
        "resourceType": "Organization",
        "id": str(unit.public_id),
        "active": unit.is_active,
        "type": [concept(ORG_TYPE, "dept", "Hospital Department", text=unit.get_kind_display())],
        "name": unit.name_fi,
        "partOf": ref("Organization", unit.organisation.public_id, unit.organisation.name),
    }
    if unit.name_sv:
        resource["alias"] = [unit.name_sv]
    return resource


def _clock(minutes: int) -> str:
    minutes = min(minutes, DAY_MINUTES - 1)
    seconds = ":59" if minutes == DAY_MINUTES - 1 else ":00"
    return f"{minutes // 60:02d}:{minutes % 60:02d}{seconds}"


def available_time(schedule: Schedule) -> list[dict[str, Any]]:
    if schedule.always_open:
        return [{"daysOfWeek": list(DAYS), "allDay": True}]
    return [
        {
            "daysOfWeek": [DAYS[weekday]],
            "availableStartTime": _clock(r.opens),
            "availableEndTime": _clock(r.closes),
        }
        for weekday, ranges in sorted(schedule.weekly.items())
        for r in ranges
    ]


def not_available(schedule: Schedule, today: dt.date) -> list[dict[str, Any]]:
    """The coming year's closures: date exceptions (closed, or other hours than usual)
    and, for a channel closed on them, Finnish public holidays."""
    rows: list[dict[str, Any]] = []
    for offset in range(HORIZON_DAYS):
        day = today + dt.timedelta(days=offset)
        during = {"start": day.isoformat(), "end": day.isoformat()}
        if day in schedule.exceptions:
            ranges = schedule.exceptions[day]
            text = (
                _("Open only %(hours)s") % {"hours": ", ".join(r.label() for r in ranges)}
                if ranges
                else _("Closed")
            )
            rows.append({"description": text, "during": during})
        elif schedule.closed_on_holidays and not schedule.always_open and is_holiday(day):
            rows.append({"description": _("Public holiday: closed"), "during": during})
    return rows


def _telecom(channel: Channel) -> list[dict[str, str]]:
    if channel.phone:
        return [{"system": "phone", "value": channel.phone}]
    if channel.email:
        return [{"system": "email", "value": channel.email}]
    return []


def has_location(channel: Channel) -> bool:
    return channel.kind == ChannelKind.VISITING_ADDRESS and bool(channel.street)


def service_resource(unit: Unit, channel: Channel, today: dt.date) -> dict[str, Any]:
    """One channel of a unit (its weekly hours and exceptions prefetched)."""
    schedule = channel_schedule(channel)
    resource: dict[str, Any] = {
        "resourceType": "HealthcareService",
        "id": str(channel.public_id),
        "active": unit.is_active,
        "providedBy": ref("Organization", unit.public_id, unit.name),
        "category": [concept(CHANNEL_KIND, channel.kind, channel.get_kind_display())],
        "name": f"{unit.name}: {channel.label}",
        "telecom": _telecom(channel),
        "availableTime": available_time(schedule),
        "notAvailable": not_available(schedule, today),
    }
    if has_location(channel):
        resource["location"] = [ref("Location", channel.public_id)]
    return {k: v for k, v in resource.items() if v != []}


def location_resource(unit: Unit, channel: Channel) -> dict[str, Any]:
    """A visiting address with its opening hours."""
    hours = [
        {"daysOfWeek": t["daysOfWeek"], "allDay": True}
        if t.get("allDay")
        else {
            "daysOfWeek": t["daysOfWeek"],
            "openingTime": t["availableStartTime"],
            "closingTime": t["availableEndTime"],
        }
        for t in available_time(channel_schedule(channel))
    ]
    resource: dict[str, Any] = {
        "resourceType": "Location",
        "id": str(channel.public_id),
        "status": "active" if unit.is_active else "inactive",
        "mode": "instance",
        "name": f"{unit.name}: {channel.label}",
        "address": {
            "use": "work",
            "type": "physical",
            "line": [channel.street],
            "postalCode": channel.postal_code,
            "city": channel.city,
            "country": "FI",
        },
        "managingOrganization": ref("Organization", unit.public_id, unit.name),
    }
    if hours:
        resource["hoursOfOperation"] = hours
    return resource


def practitioner_role_id(unit: Unit, member: StaffLine) -> str:
    """Stable and opaque: derived from the unit's public id and the member."""
    return str(uuid.uuid5(unit.public_id, f"member-{member.user_id}"))


def practitioner_role_resource(unit: Unit, member: StaffLine) -> dict[str, Any]:
    return {
        "resourceType": "PractitionerRole",
        "id": practitioner_role_id(unit, member),
        "active": True,
        "practitioner": {"display": member.display_name},
        "organization": ref("Organization", unit.public_id, unit.name),
        "code": [concept(UNIT_ROLE, member.role, member.role_label)],
    }
