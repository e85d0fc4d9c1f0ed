"""The typed inputs of every meeting write, from the web forms and the API bodies alike
(the services validate them)."""

from __future__ import annotations

import datetime as dt
import uuid

import pydantic


class _Input(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(frozen=True)


class ExternalInput(_Input):
    """A named person from outside Silta (employment services, housing...), by e-mail."""

    name: str = ""
    email: str = ""
    organisation: str = ""


class PlaceInput(_Input):
    """unit_address: a unit's visiting address from the directory (``place_unit_id``);
    phone: a conference number (``place_details``); video: an https link and its platform."""

    place_kind: str = ""
    place_unit_id: uuid.UUID | None = None
    place_details: str = ""
    video_url: str = ""
    video_platform: str = ""


class MeetingInput(PlaceInput):
    kind: str = ""
    title: str = ""
    referral_id: uuid.UUID | None = None
    duration_minutes: int = 60
    # Workers of the case's party units (user ids); the organiser is always one.
    participant_ids: list[uuid.UUID] = []
    externals: list[ExternalInput] = []
    agenda: list[str] = []
    # Optional here; also later through TimesInput.
    times: list[dt.datetime] = []


class TimesInput(_Input):
    """2-5 future times (a time without an offset is Helsinki time)."""

    times: list[dt.datetime] = []


class TimeAnswerInput(_Input):
    starts_at: dt.datetime
    answer: str


class AnswerInput(_Input):
    """Answers of one participant (none given: the signed-in worker's own)."""

    participant_id: uuid.UUID | None = None
    answers: list[TimeAnswerInput] = []


class ConfirmInput(_Input):
    starts_at: dt.datetime | None = None


class MeetingCancelInput(_Input):
    reason: str = ""


class AgendaInput(_Input):
    text: str = ""


class ActionInput(_Input):
    """An agreed action: an owner (a party unit or a participant) and a due date."""

    text: str = ""
    owner_unit_id: uuid.UUID | None = None
    owner_participant_id: uuid.UUID | None = None
    due_date: dt.date | None = None


class MinutesInput(_Input):
    """Who attended (participant ids), whether the client attended, what was agreed."""

    attended_ids: list[uuid.UUID] = []
    client_attended: bool | None = None
    agreed: str = ""
    actions: list[ActionInput] = []


class ActionStatusInput(_Input):
    status: str = ""
