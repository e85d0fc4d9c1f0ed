"""The cooperation forums' section of the daily digest (registered in ``core.digest`` at
start-up): each owner unit's open follow-up actions of forum decisions, overdue counted in
working days as referrals are. Forum items are not client data, so each action is named."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils import formats
from django.utils.translation import gettext as _

from silta.cooperation.models import ActionStatus, FollowUpAction
from silta.core.digest import DigestLine
from silta.workdays.calendar import working_days_between

ORDER = 30
# The most actions one unit's digest names; the rest are counted.
LISTED = 10


def _text(action: FollowUpAction, day: dt.date) -> str:
    text = _("%(action)s (%(forum)s), due %(date)s") % {
        "action": action.description,
        "forum": action.item.forum.name,
        "date": formats.date_format(action.due_date, "SHORT_DATE_FORMAT"),
    }
    if action.due_date < day:
        text += ", " + _("overdue by %(days)d working days") % {
            "days": working_days_between(action.due_date, day)
        }
    return text


def digest_section(day: dt.date) -> list[DigestLine]:
    by_unit: dict[int, list[FollowUpAction]] = defaultdict(list)
    rows = (
        FollowUpAction.objects.filter(status=ActionStatus.OPEN)
        .select_related("item__forum")
        .order_by("due_date", "pk")
    )
    for action in rows.iterator():
        by_unit[action.owner_unit_id].append(action)
    section = _("Follow-up actions of cooperation forum decisions")
    lines = []
    for unit_id, actions in sorted(by_unit.items()):
        lines += [
            DigestLine(section=section, text=_text(a, day), unit_id=unit_id, order=ORDER)
            for a in actions[:LISTED]
        ]
        if len(actions) > LISTED:
            more = _("and %(count)d more in Silta") % {"count": len(actions) - LISTED}
            lines.append(DigestLine(section=section, text=more, unit_id=unit_id, order=ORDER))
    return lines
