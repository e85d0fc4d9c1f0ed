"""Invitations by e-mail (Django's e-mail backend: SMTP in production, ``EMAIL_URL``).

Every participant with an e-mail address gets their own message and .ics: the text
holds only the time, the place and the organiser, so the one template serves the
workers and the people outside Silta alike. The client's name never goes by e-mail.
"""

from __future__ import annotations

import logging
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from silta.meetings.ical import CANCEL, meeting_ics
from silta.meetings.models import Meeting, Participant

logger = logging.getLogger(__name__)


def _when(meeting: Meeting, format_name: str) -> str:
    assert meeting.starts_at is not None
    return formats.date_format(timezone.localtime(meeting.starts_at), format_name)


def _subject(meeting: Meeting, method: str, *, update: bool) -> str:
    when = _when(meeting, "SHORT_DATETIME_FORMAT")
    if method == CANCEL:
        text = _("Meeting cancelled: %(when)s")
    elif update:
        text = _("Meeting changed: %(when)s")
    else:
        text = _("Meeting invitation: %(when)s")
    return "Silta: " + text % {"when": when}


def _body(meeting: Meeting, method: str) -> str:
    lines = [
        _("The meeting is cancelled.") if method == CANCEL else _("You are invited to a meeting."),
        "",
        _("Time: %(when)s") % {"when": _when(meeting, "DATETIME_FORMAT")},
        _("Place: %(place)s") % {"place": meeting.place_text},
        _("Organiser: %(name)s, %(unit)s")
        % {"name": meeting.organiser_label, "unit": meeting.organiser_unit.name},
    ]
    return "\n".join(lines) + "\n"


def _calendar_part(meeting: Meeting, method: str, address: str) -> MIMEText:
    part = MIMEText(meeting_ics(meeting, method, attendee=address).decode(), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="silta-meeting.ics")
    return part


def recipients(meeting: Meeting) -> list[Participant]:
    return [
        p
        for p in meeting.participants.select_related("user")
        if (p.email or (p.user is not None and p.user.email))
    ]


def send_invitations(meeting: Meeting, method: str, *, update: bool = False) -> int:
    """One message per recipient; a failing mail server does not undo the meeting."""
    messages = []
    for participant in recipients(meeting):
        address = participant.email or (participant.user.email if participant.user else "")
        message = EmailMessage(
            subject=_subject(meeting, method, update=update),
            body=_body(meeting, method),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
        )
        message.attach(_calendar_part(meeting, method, address))
        messages.append(message)
    try:
        return get_connection().send_messages(messages) or 0
    except OSError:
        # The meeting stands; the invitation is downloadable from the meeting page.
        logger.warning("meeting invitation not sent", extra={"meeting": str(meeting.public_id)})
        return 0
