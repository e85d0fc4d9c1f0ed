"""Checks shared by the meeting services: times, the place, participants and actions.
Each raises ``Invalid`` with a stable code and a translated message; nothing is written."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silta.core.errors import Invalid
from silta.directory.models import Channel, ChannelKind
from silta.meetings.inputs import ActionInput, ExternalInput, PlaceInput
from silta.meetings.models import PlaceKind
from silta.organisations.models import Unit
from silta.workdays.calendar import HELSINKI

MIN_TIMES, MAX_TIMES = 2, 5


def aware(moment: dt.datetime) -> dt.datetime:
    """A time without an offset is Helsinki time."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=HELSINKI)


def proposed_times(times: list[dt.datetime], now: dt.datetime | None = None) -> list[dt.datetime]:
    now = now or timezone.now()
    moments = sorted({aware(t).astimezone(dt.UTC) for t in times})
    if not MIN_TIMES <= len(moments) <= MAX_TIMES:
        raise Invalid(_("Propose from 2 to 5 different times."), code="times_count", field="times")
    if any(moment <= now for moment in moments):
        raise Invalid(_("Propose only times in the future."), code="time_past", field="times")
    return moments


def _video_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname or any(c.isspace() for c in url):
        raise Invalid(
            _("Give the video link as a full https:// address."),
            code="video_url_invalid",
            field="video_url",
        )
    if len(url) > 500:
        raise Invalid(_("The video link is too long."), code="too_long", field="video_url")
    return url


def visiting_address(unit: Unit) -> str:
    channel = (
        Channel.objects.filter(unit=unit, kind=ChannelKind.VISITING_ADDRESS)
        .exclude(street="")
        .first()
    )
    if channel is None:
        return ""
    return f"{unit.name}, {channel.street}, {channel.postal_code} {channel.city}".strip(", ")


def place(data: PlaceInput) -> dict[str, Any]:
    """The place fields of a meeting from the input."""
    kind = data.place_kind
    details = (data.place_details or "").strip()
    if kind == PlaceKind.UNIT_ADDRESS:
        unit = (
            Unit.objects.filter(public_id=data.place_unit_id, is_active=True).first()
            if data.place_unit_id is not None
            else None
        )
        address = visiting_address(unit) if unit is not None else ""
        if not address:
            raise Invalid(
                _("Choose a unit whose visiting address is in the directory."),
                code="place_unit_required",
                field="place_unit_id",
            )
        text = f"{address} ({details})" if details else address
        return {
            "place_kind": kind,
            "place_unit": unit,
            "place_text": text[:500],
            "video_platform": "",
        }
    if kind == PlaceKind.PHONE:
        if not details:
            raise Invalid(
                _("Give the conference number and how to join."),
                code="place_details_required",
                field="place_details",
            )
        return {
            "place_kind": kind,
            "place_unit": None,
            "place_text": details[:500],
            "video_platform": "",
        }
    if kind == PlaceKind.VIDEO:
        url = _video_url(data.video_url)
        platform = (data.video_platform or "").strip()[:100]
        if not platform:
            raise Invalid(
                _("Name the video platform (Silta does not host video)."),
                code="video_platform_required",
                field="video_platform",
            )
        return {
            "place_kind": kind,
            "place_unit": None,
            "place_text": url,
            "video_platform": platform,
        }
    raise Invalid(_("Choose the place of the meeting."), code="place_required", field="place_kind")


def external(data: ExternalInput) -> dict[str, str]:
    name, email = (data.name or "").strip(), (data.email or "").strip()
    if not name:
        raise Invalid(
            _("Give the external participant's name."), code="external_name", field="externals"
        )
    try:
        validate_email(email)
    except ValidationError:
        raise Invalid(
            _("Give a valid e-mail address for %(name)s.") % {"name": name[:100]},
            code="external_email",
            field="externals",
        ) from None
    return {
        "name": name[:200],
        "email": email,
        "organisation": (data.organisation or "").strip()[:200],
    }


def action_text_and_due(data: ActionInput) -> tuple[str, dt.date]:
    text = (data.text or "").strip()
    if not text:
        raise Invalid(
            _("Describe the agreed action."), code="action_text_required", field="actions"
        )
    if data.owner_unit_id is None and data.owner_participant_id is None:
        raise Invalid(
            _("Every agreed action needs an owner (a unit or a person)."),
            code="action_owner_required",
            field="actions",
        )
    if data.due_date is None:
        raise Invalid(
            _("Every agreed action needs a due date."), code="action_due_required", field="actions"
        )
    return text[:500], data.due_date
