from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from silta.directory.forms import WEEKDAYS
from silta.directory.hours import Schedule
from silta.directory.models import ChannelKind, UnitChange
from silta.directory.phones import display_phone

register = template.Library()


@register.filter
def phone(value: str) -> str:
    """E.164 shown in the national format."""
    return display_phone(value)


@register.filter
def tel(value: str) -> str:
    return f"tel:{value}" if value else ""


@register.filter
def weekly_rows(schedule: Schedule) -> list[tuple[str, str]]:
    """(weekday name, "9.00–11.00, 12.00–15.00" or "closed") for Monday to Sunday."""
    rows = []
    for day, name in enumerate(WEEKDAYS):
        ranges = schedule.weekly.get(day, ())
        text = (
            ", ".join(r.label() for r in ranges) if ranges else pgettext("opening hours", "closed")
        )
        rows.append((str(name), text))
    return rows


@register.filter
def upcoming_exceptions(schedule: Schedule) -> list[tuple[dt.date, str]]:
    today = timezone.localdate()
    return [
        (
            day,
            ", ".join(r.label() for r in ranges) if ranges else pgettext("opening hours", "closed"),
        )
        for day, ranges in sorted(schedule.exceptions.items())
        if day >= today
    ][:10]


@register.filter
def change_summary(change: UnitChange) -> str:
    """A history line in the reader's language."""
    channel = (change.changes.get("channel") or [None, ""])[1]
    if change.summary == "channel_saved":
        label = ChannelKind(channel).label if channel in ChannelKind.values else channel
        return _("updated the channel “%(name)s”") % {"name": label}
    if change.summary == "channel_removed":
        return _("removed the channel “%(name)s”") % {"name": channel}
    if change.summary == "description":
        return str(_("changed the description"))
    if change.summary == "verified":
        return str(_("checked the entry"))
    return change.summary


@register.filter
def panels_for(panels: dict[int, list[str]] | None, unit_id: int) -> list[str]:
    """The registered panels' fragments for one unit of a listing (``directory.panels``)."""
    return (panels or {}).get(unit_id, [])
