"""Meetings as FHIR Appointment: finding a time is ``proposed`` (the proposed times as
``requestedPeriod``), confirmed is ``booked``, held ``fulfilled``, cancelled
``cancelled``. External participants appear by name only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from silta.fhir.codes import MEETING_KIND, concept, ref
from silta.meetings.models import Meeting, MeetingStatus

STATUS = {
    MeetingStatus.SCHEDULING: "proposed",
    MeetingStatus.CONFIRMED: "booked",
    MeetingStatus.HELD: "fulfilled",
    MeetingStatus.CANCELLED: "cancelled",
}


def appointment_statuses(code: str) -> list[str]:
    return [status for status, fhir in STATUS.items() if fhir == code]


def _participants(meeting: Meeting) -> list[dict[str, Any]]:
    booked = meeting.status in (MeetingStatus.CONFIRMED, MeetingStatus.HELD)
    rows: list[dict[str, Any]] = [
        {
            "actor": ref("Organization", meeting.organiser_unit.public_id, meeting.organiser_label),
            "required": "required",
            "status": "accepted",
        }
    ]
    for participant in meeting.participants.all():
        rows.append(
            {
                "actor": {"display": participant.name},
                "required": "required",
                "status": "accepted" if booked else "needs-action",
            }
        )
    if meeting.with_client:
        rows.append(
            {
                "actor": ref("Patient", meeting.case.client.public_id),
                "required": "required",
                "status": "accepted" if booked else "needs-action",
            }
        )
    return rows


def appointment_resource(meeting: Meeting) -> dict[str, Any]:
    """A meeting (case, client, organiser unit, participants and times loaded)."""
    resource: dict[str, Any] = {
        "resourceType": "Appointment",
        "id": str(meeting.public_id),
        "status": STATUS[MeetingStatus(meeting.status)],
        "serviceType": [concept(MEETING_KIND, meeting.kind, meeting.get_kind_display())],
        "description": meeting.title,
        "created": meeting.created_at.isoformat(),
        "minutesDuration": meeting.duration_minutes,
        "participant": _participants(meeting),
    }
    if meeting.referral_id and meeting.referral is not None:
        resource["basedOn"] = [ref("ServiceRequest", meeting.referral.public_id)]
    if meeting.starts_at:
        end = meeting.starts_at + dt.timedelta(minutes=meeting.duration_minutes)
        resource.update(start=meeting.starts_at.isoformat(), end=end.isoformat())
    elif meeting.status == MeetingStatus.SCHEDULING:
        resource["requestedPeriod"] = [
            {
                "start": t.starts_at.isoformat(),
                "end": (t.starts_at + dt.timedelta(minutes=meeting.duration_minutes)).isoformat(),
            }
            for t in meeting.times.all()
        ]
    if meeting.status == MeetingStatus.CANCELLED and meeting.cancelled_reason:
        resource["cancelationReason"] = {"text": meeting.cancelled_reason}
    return resource
