"""One iCalendar event (RFC 5545) in an iTIP message (RFC 5546): what a meeting
invitation and a booking confirmation have in common.

METHOD:REQUEST for a new or changed event (the same UID, a higher SEQUENCE), METHOD:CANCEL
with STATUS:CANCELLED for a cancellation. The organiser is Silta's sending address with the
unit's name; ``attendee`` is the one recipient (each recipient sees only themselves).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import icalendar
from django.conf import settings
from django.utils import timezone

REQUEST = "REQUEST"
CANCEL = "CANCEL"


@dataclass(frozen=True, kw_only=True)
class Event:
    uid: str
    sequence: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    summary: str
    location: str
    description: str
    organiser_name: str


def ics(event: Event, method: str, *, product: str, attendee: str = "") -> bytes:
    """The calendar file of ``event``; ``product`` names the part of Silta in PRODID."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//Silta//{product}//FI")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    item = icalendar.Event()
    item.add("uid", f"{event.uid}@silta")
    item.add("sequence", event.sequence)
    item.add("dtstamp", timezone.now().astimezone(dt.UTC))
    item.add("dtstart", event.starts_at.astimezone(dt.UTC))
    item.add("dtend", event.ends_at.astimezone(dt.UTC))
    item.add("summary", event.summary)
    item.add("location", event.location)
    item.add("description", event.description)
    item.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    organiser = icalendar.vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organiser.params["cn"] = icalendar.vText(event.organiser_name)
    item.add("organizer", organiser)
    if attendee:
        address = icalendar.vCalAddress(f"mailto:{attendee}")
        address.params["role"] = icalendar.vText("REQ-PARTICIPANT")
        item.add("attendee", address)
    calendar.add_component(item)
    return bytes(calendar.to_ical())
