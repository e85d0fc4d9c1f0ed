"""iCalendar (RFC 5545 / iTIP RFC 5546) confirmations of a booking.

One UID per booking (``Booking.ical_uid``): METHOD:REQUEST when booked (SEQUENCE 0), the
same UID with a higher SEQUENCE when rebooked to another time, METHOD:CANCEL (STATUS
CANCELLED) when cancelled. A confirmation carries only the time, the place and the
serving unit as organiser: never the client's name or identity code, so the same text
can go to the client's own address.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from silta.bookings.models import Booking, BookingStatus
from silta.core.ical import CANCEL, REQUEST, Event, ics

__all__ = ["CANCEL", "REQUEST", "booking_file", "booking_ics", "summary"]


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
    event = Event(
        uid=str(booking.ical_uid),
        sequence=booking.sequence,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        summary=summary(booking),
        location=slot.place_text,
        description=_description(booking),
        organiser_name=booking.serving_unit.name,
    )
    return ics(event, method, product="Bookings", attendee=attendee)


def booking_file(booking: Booking) -> bytes:
    """The calendar file a download gives: the confirmation as the booking stands, the
    cancellation once cancelled (the staff's booking page and the client's own view)."""
    method = CANCEL if booking.status == BookingStatus.CANCELLED else REQUEST
    return booking_ics(booking, method)
