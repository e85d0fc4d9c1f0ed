"""iCalendar (RFC 5545 / iTIP RFC 5546) confirmations of a booking.

One UID per booking (``Booking.ical_uid``): METHOD:REQUEST when booked (SEQUENCE 0), the
same UID with a higher SEQUENCE when rebooked to another time, METHOD:CANCEL (STATUS
CANCELLED) when cancelled. A confirmation carries only the time, the place and the
serving unit as organiser: never the client's name or identity code, so the same text
can go to the client's own address.
"""

from __future__ import annotations

import datetime as dt

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from silta.bookings.models import Booking

REQUEST = "REQUEST"
CANCEL = "CANCEL"


def summary(booking: Booking) -> str:
    return _("Appointment: %(unit)s") % {"unit": booking.serving_unit.name}


def _description(booking: Booking) -> str:
    slot = booking.slot
    lines = [
        _("Organiser: %(unit)s") % {"unit": booking.serving_unit.name},
        _("How: %(channel)s") % {"channel": slot.get_channel_display()},
        _("Place: %(place)s") % {"place": slot.place_text},
    ]
    if slot.video_platform:
        lines.append(_("Video platform: %(platform)s") % {"platform": slot.video_platform})
    return "\n".join(lines)


def booking_ics(booking: Booking, method: str, *, attendee: str = "") -> bytes:
    """The confirmation (or cancellation) as the booking stands; ``attendee`` is the
    recipient's e-mail (each recipient sees only themselves)."""
    slot = booking.slot
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Silta//Bookings//FI")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = icalendar.Event()
    event.add("uid", f"{booking.ical_uid}@silta")
    event.add("sequence", booking.sequence)
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("dtstart", slot.starts_at.astimezone(dt.UTC))
    event.add("dtend", slot.ends_at.astimezone(dt.UTC))
    event.add("summary", summary(booking))
    event.add("location", slot.place_text)
    event.add("description", _description(booking))
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    organiser = icalendar.vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organiser.params["cn"] = icalendar.vText(booking.serving_unit.name)
    event.add("organizer", organiser)
    if attendee:
        address = icalendar.vCalAddress(f"mailto:{attendee}")
        address.params["role"] = icalendar.vText("REQ-PARTICIPANT")
        event.add("attendee", address)
    calendar.add_component(event)
    return calendar.to_ical()
