"""iCalendar (RFC 5545 / iTIP RFC 5546) invitations for a meeting.

One UID per meeting (``Meeting.ical_uid``): METHOD:REQUEST when the time is confirmed,
the same UID with a higher SEQUENCE when the time or the place changes, METHOD:CANCEL
when the meeting is cancelled. An invitation carries only the time, the place and the
organiser: never the client's name, identity code or the meeting's title, so the same
text can go to people outside Silta.
"""

from __future__ import annotations

import datetime as dt

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from silta.meetings.models import Meeting

REQUEST = "REQUEST"
CANCEL = "CANCEL"


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
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Silta//Meetings//FI")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = icalendar.Event()
    event.add("uid", f"{meeting.ical_uid}@silta")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    start = meeting.starts_at.astimezone(dt.UTC)
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(minutes=meeting.duration_minutes))
    event.add("summary", summary(meeting))
    event.add("location", meeting.place_text)
    event.add("description", _description(meeting))
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    organiser = icalendar.vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organiser.params["cn"] = icalendar.vText(meeting.organiser_unit.name)
    event.add("organizer", organiser)
    if attendee:
        address = icalendar.vCalAddress(f"mailto:{attendee}")
        address.params["role"] = icalendar.vText("REQ-PARTICIPANT")
        event.add("attendee", address)
    calendar.add_component(event)
    return calendar.to_ical()
