"""Booking confirmations by e-mail (Django's e-mail backend: SMTP in production).

The booking worker and, where the worker gave it, the client's own address each get one
message and .ics: time, place and the serving unit only. The client's name, identity
code and the case never go by e-mail (the client's address is outside Silta).
"""

from __future__ import annotations

import logging
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from silta.bookings.ical import CANCEL, booking_ics
from silta.bookings.models import Booking

logger = logging.getLogger(__name__)


def _when(booking: Booking, format_name: str) -> str:
    return formats.date_format(timezone.localtime(booking.slot.starts_at), format_name)


def _subject(booking: Booking, method: str, *, update: bool) -> str:
    when = _when(booking, "SHORT_DATETIME_FORMAT")
    if method == CANCEL:
        text = _("Appointment cancelled: %(when)s")
    elif update:
        text = _("Appointment changed: %(when)s")
    else:
        text = _("Appointment booked: %(when)s")
    return "Silta: " + text % {"when": when}


def _body(booking: Booking, method: str) -> str:
    slot = booking.slot
    lines = [
        _("The appointment is cancelled.") if method == CANCEL else _("An appointment is booked."),
        "",
        _("Time: %(when)s") % {"when": _when(booking, "DATETIME_FORMAT")},
        _("How: %(channel)s") % {"channel": slot.get_channel_display()},
        _("Place: %(place)s") % {"place": slot.place_text},
        _("Organiser: %(unit)s") % {"unit": booking.serving_unit.name},
    ]
    return "\n".join(lines) + "\n"


def recipients(booking: Booking) -> list[str]:
    worker = booking.booked_by.email if booking.booked_by is not None else ""
    return [a for a in dict.fromkeys([worker, booking.client_email]) if a]


def send_confirmations(booking: Booking, method: str, *, update: bool = False) -> int:
    """One message per recipient; a failing mail server does not undo the booking."""
    messages = []
    for address in recipients(booking):
        message = EmailMessage(
            subject=_subject(booking, method, update=update),
            body=_body(booking, method),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
        )
        part = MIMEText(
            booking_ics(booking, method, attendee=address).decode(), "calendar", "utf-8"
        )
        part.set_param("method", method)
        part.add_header("Content-Disposition", "attachment", filename="silta-appointment.ics")
        message.attach(part)
        messages.append(message)
    try:
        return get_connection().send_messages(messages) or 0
    except OSError:
        logger.warning("booking confirmation not sent", extra={"booking": str(booking.public_id)})
        return 0
