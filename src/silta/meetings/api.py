"""API: meetings on shared cases (the same services as the web pages)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from silta.api_keys.auth import api_actor
from silta.core.api_schemas import ErrorOut
from silta.exchange.selectors import case_get
from silta.meetings import inputs, minutes, services
from silta.meetings.models import Meeting, MeetingAction
from silta.meetings.selectors import action_get, meeting_get, open_actions

router = Router(tags=["meetings"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class MeetingIn(inputs.MeetingInput):
    """A meeting on a shared case (``case_id``); times may come later (``/times``)."""

    case_id: uuid.UUID


class ParticipantOut(Schema):
    id: uuid.UUID
    name: str
    unit_id: uuid.UUID | None
    external: bool
    attended: bool | None


class ActionOut(Schema):
    id: uuid.UUID
    meeting_id: uuid.UUID
    text: str
    owner_unit_id: uuid.UUID | None
    owner_participant_id: uuid.UUID | None
    due_date: dt.date
    status: str


class MeetingOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    referral_id: uuid.UUID | None
    referral_due_date: dt.date | None
    kind: str
    title: str
    status: str
    organiser_unit_id: uuid.UUID
    place_kind: str
    place_text: str
    video_platform: str
    duration_minutes: int
    starts_at: dt.datetime | None
    sequence: int | None
    times: list[dt.datetime]
    participants: list[ParticipantOut]
    agenda: list[str]
    client_attended: bool | None
    agreed: str
    actions: list[ActionOut]


def _action(a: MeetingAction) -> dict[str, Any]:
    return {
        "id": a.public_id,
        "meeting_id": a.meeting.public_id,
        "text": a.text,
        "owner_unit_id": a.owner_unit.public_id if a.owner_unit else None,
        "owner_participant_id": a.owner_participant.public_id if a.owner_participant else None,
        "due_date": a.due_date,
        "status": a.status,
    }


def _out(m: Meeting) -> dict[str, Any]:
    return MeetingOut(
        id=m.public_id,
        case_id=m.case.public_id,
        referral_id=m.referral.public_id if m.referral else None,
        referral_due_date=m.referral.due_date if m.referral else None,
        kind=m.kind,
        title=m.title,
        status=m.status,
        organiser_unit_id=m.organiser_unit.public_id,
        place_kind=m.place_kind,
        place_text=m.place_text,
        video_platform=m.video_platform,
        duration_minutes=m.duration_minutes,
        starts_at=m.starts_at,
        sequence=m.sequence,
        times=[t.starts_at for t in m.times.all()],
        participants=[
            ParticipantOut(
                id=p.public_id,
                name=p.name,
                unit_id=p.unit.public_id if p.unit else None,
                external=p.is_external,
                attended=p.attended,
            )
            for p in m.participants.select_related("unit")
        ],
        agenda=[a.text for a in m.agenda.all()],
        client_attended=m.client_attended,
        agreed=m.agreed,
        actions=[
            ActionOut(**_action(a))
            for a in m.actions.select_related("meeting", "owner_unit", "owner_participant")
        ],
    ).model_dump(mode="json")


def _reload(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    return _out(meeting_get(actor=api_actor(request), meeting_id=meeting.public_id))


@router.post(
    "/meetings",
    response={201: MeetingOut, 422: ErrorOut, **ERRORS},
    summary="Arrange a meeting on a shared case (tripartite, network, case conference)",
    description="The meeting reaches the case's other unit: it needs the client's consent "
    "in force (422 no_lawful_basis otherwise; no statutory basis arranges a meeting).",
)
def create(request: HttpRequest, data: MeetingIn) -> Any:
    actor = api_actor(request)
    case = case_get(actor=actor, case_id=data.case_id)
    meeting = services.meeting_create(actor=actor, case=case, data=data)
    return Status(201, _reload(request, meeting))


@router.get("/meetings/{meeting_id}", response={200: MeetingOut, **ERRORS})
def detail(request: HttpRequest, meeting_id: uuid.UUID) -> Any:
    return _out(meeting_get(actor=api_actor(request), meeting_id=meeting_id))


@router.post(
    "/meetings/{meeting_id}/times",
    response={200: MeetingOut, **ERRORS},
    summary="Propose 2-5 future times (replaces the earlier proposal)",
)
def times(request: HttpRequest, meeting_id: uuid.UUID, data: inputs.TimesInput) -> Any:
    actor = api_actor(request)
    meeting = meeting_get(actor=actor, meeting_id=meeting_id)
    return _reload(request, services.meeting_propose_times(actor=actor, meeting=meeting, data=data))


@router.post(
    "/meetings/{meeting_id}/answers",
    response={200: MeetingOut, **ERRORS},
    summary="Yes / no / maybe for proposed times, for one participant",
)
def answer(request: HttpRequest, meeting_id: uuid.UUID, data: inputs.AnswerInput) -> Any:
    actor = api_actor(request)
    meeting = meeting_get(actor=actor, meeting_id=meeting_id)
    return _reload(request, services.meeting_answer(actor=actor, meeting=meeting, data=data))


@router.post(
    "/meetings/{meeting_id}/confirm",
    response={200: MeetingOut, **ERRORS},
    summary="Confirm one of the proposed times; invitations (iCalendar) are e-mailed",
)
def confirm(request: HttpRequest, meeting_id: uuid.UUID, data: inputs.ConfirmInput) -> Any:
    actor = api_actor(request)
    meeting = meeting_get(actor=actor, meeting_id=meeting_id)
    return _reload(request, services.meeting_confirm(actor=actor, meeting=meeting, data=data))


@router.post(
    "/meetings/{meeting_id}/place",
    response={200: MeetingOut, **ERRORS},
    summary="Change the place (a confirmed meeting's invitation is updated)",
)
def place(request: HttpRequest, meeting_id: uuid.UUID, data: inputs.PlaceInput) -> Any:
    actor = api_actor(request)
    meeting = meeting_get(actor=actor, meeting_id=meeting_id)
    return _reload(request, services.meeting_change_place(actor=actor, meeting=meeting, data=data))


@router.post("/meetings/{meeting_id}/cancel", response={200: MeetingOut, **ERRORS})
def cancel(request: HttpRequest, meeting_id: uuid.UUID, data: inputs.MeetingCancelInput) -> Any:
    actor = api_actor(request)
    meeting = meeting_get(actor=actor, meeting_id=meeting_id)
    return _reload(request, services.meeting_cancel(actor=actor, meeting=meeting, data=data))


@router.post(
    "/meetings/{meeting_id}/minutes",
    response={200: MeetingOut, 422: ErrorOut, **ERRORS},
    summary="Minutes: attendance (required), what was agreed, agreed actions",
    description="The minutes reach the case's other unit: they need the client's consent "
    "in force (422 no_lawful_basis otherwise; no statutory basis reports what a meeting "
    "agreed).",
)
def record_minutes(request: HttpRequest, meeting_id: uuid.UUID, data: inputs.MinutesInput) -> Any:
    actor = api_actor(request)
    meeting = meeting_get(actor=actor, meeting_id=meeting_id)
    return _reload(request, minutes.minutes_record(actor=actor, meeting=meeting, data=data))


@router.get(
    "/meeting-actions",
    response={200: list[ActionOut], **ERRORS},
    summary="The unit's open agreed actions, the earliest due first",
)
def action_list(request: HttpRequest) -> Any:
    return [_action(row.action) for row in open_actions(actor=api_actor(request))]


@router.post("/meeting-actions/{action_id}/status", response={200: ActionOut, **ERRORS})
def action_status(
    request: HttpRequest, action_id: uuid.UUID, data: inputs.ActionStatusInput
) -> Any:
    actor = api_actor(request)
    action = action_get(actor=actor, action_id=action_id)
    return _action(minutes.action_set_status(actor=actor, action=action, data=data))
