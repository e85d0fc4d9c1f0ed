"""The meetings' section of the daily digest (registered in ``core.digest`` at start-up):
each owner's open agreed actions, overdue counted in working days as referrals are.
An action's text comes from the minutes and may name the client, so the e-mail carries
counts and dates only; the actions list in Silta shows the rest."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils import formats
from django.utils.translation import gettext as _

from silta.core.digest import DigestLine
from silta.meetings.models import ActionStatus, MeetingAction
from silta.workdays.calendar import working_days_between

ORDER = 20


def _line(dues: list[dt.date], day: dt.date) -> str:
    overdue = [d for d in dues if d < day]
    earliest = min(dues)
    text = _("%(open)d open, %(overdue)d overdue; the earliest due %(date)s") % {
        "open": len(dues),
        "overdue": len(overdue),
        "date": formats.date_format(earliest, "SHORT_DATE_FORMAT"),
    }
    if overdue:
        text += " " + _("(overdue by %(days)d working days)") % {
            "days": working_days_between(min(overdue), day)
        }
    return text


def digest_section(day: dt.date) -> list[DigestLine]:
    """Per owner unit and per owning person: their open actions."""
    by_unit: dict[int, list[dt.date]] = defaultdict(list)
    by_user: dict[int, list[dt.date]] = defaultdict(list)
    rows = MeetingAction.objects.exclude(status=ActionStatus.DONE).values_list(
        "owner_unit_id", "owner_participant__user_id", "due_date"
    )
    for unit_id, user_id, due in rows.iterator():
        if unit_id is not None:
            by_unit[unit_id].append(due)
        elif user_id is not None:
            by_user[user_id].append(due)
    section = _("Agreed actions from meetings")
    return [
        DigestLine(section=section, text=_line(d, day), unit_id=u, order=ORDER)
        for u, d in sorted(by_unit.items())
    ] + [
        DigestLine(section=section, text=_line(d, day), user_id=u, order=ORDER)
        for u, d in sorted(by_user.items())
    ]
