"""The typed inputs of every booking write, from the web forms and the API bodies alike
(the services validate them). A time without an offset is Helsinki time."""

from __future__ import annotations

import datetime as dt
import uuid

import pydantic


class _Input(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(frozen=True)


class PublishInput(_Input):
    """Slots of the serving unit: one (``starts_at``) or a series (``first_day`` to
    ``last_day``, every working day from ``day_start`` to ``day_end``, a slot every
    ``every_minutes``). Place: in person at the unit's visiting address, by phone
    (``place_details``: how the call goes), or video (an https link and its platform)."""

    unit_id: uuid.UUID | None = None
    topic: str = ""
    channel: str = ""
    place_details: str = ""
    video_url: str = ""
    video_platform: str = ""
    resource: str = ""
    duration_minutes: int = 30
    starts_at: dt.datetime | None = None
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    day_start: dt.time | None = None
    day_end: dt.time | None = None
    every_minutes: int = 30


class SearchInput(_Input):
    """Free slots by service area (a Kela service area's or the named municipalities'
    serving units), topic and date range. No client data."""

    service_area: str = ""
    municipalities: list[str] = []
    topic: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


class BookInput(_Input):
    """A slot for the client of a shared case (``case_id``); optionally the Totul 10 a §
    assessment referral whose feedback the booking fills in, and the client's e-mail for
    the confirmation."""

    slot_id: uuid.UUID | None = None
    case_id: uuid.UUID | None = None
    referral_id: uuid.UUID | None = None
    client_email: str = ""


class RebookInput(_Input):
    slot_id: uuid.UUID | None = None


class BookingCancelInput(_Input):
    reason: str = ""
