"""iCalendar (RFC 5545 / iTIP RFC 5546) invitations for a meeting.

One UID per meeting (``Meeting.ical_uid``): METHOD:REQUEST when the time is confirmed,
the same UID with a higher SEQUENCE when the time or the place changes, METHOD:CANCEL
when the meeting is cancelled. An invitation carries only the time, the place and the
organiser: never the client's name, identity code or the meeting's title, so the same
text can go to people outside Silta.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from silta.core.ical import CANCEL, REQUEST, Event, ics
from silta.meetings.models import Meeting

__all__ = ["CANCEL", "REQUEST", "meeting_ics", "summary"]


def summary(meeting: Meeting) -> str:
    return _("Silta: %(kind)s, %(unit)s") % {
        "kind": meeting.get_kind_display(),
        "unit": meeting.organiser_unit.name,
    }


def _description(meeting: Meeting) -> str:
    lines = [
        _("Organiser: %(name)s, %(unit)s")
        % {"name": meeting.organiser_label, "unit": meeting.organiser_unit.name},
        _("Place: %(place)s") % {"place": meeting.place_text},
    ]
    if meeting.video_platform:
        lines.append(_("Video platform: %(platform)s") % {"platform": meeting.video_platform})
    return "\n".join(lines)


def meeting_ics(meeting: Meeting, method: str, *, attendee: str = "") -> bytes:
    """The invitation (or cancellation) as the meeting stands; ``attendee`` is the
    recipient's e-mail (each recipient sees only themselves)."""
    assert meeting.starts_at is not None and meeting.sequence is not None
    event = Event(
        uid=str(meeting.ical_uid),
        sequence=meeting.sequence,
        starts_at=meeting.starts_at,
        ends_at=meeting.starts_at + dt.timedelta(minutes=meeting.duration_minutes),
        summary=summary(meeting),
        location=meeting.place_text,
        description=_description(meeting),
        organiser_name=meeting.organiser_unit.name,
    )
    return ics(event, method, product="Meetings", attendee=attendee)
