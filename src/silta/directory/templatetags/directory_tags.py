from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silta.directory.forms import WEEKDAYS
from silta.directory.hours import Schedule
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
        text = ", ".join(r.label() for r in ranges) if ranges else str(_("closed"))
        rows.append((str(name), text))
    return rows


@register.filter
def upcoming_exceptions(schedule: Schedule) -> list[tuple[dt.date, str]]:
    today = timezone.localdate()
    return [
        (day, ", ".join(r.label() for r in ranges) if ranges else str(_("closed")))
        for day, ranges in sorted(schedule.exceptions.items())
        if day >= today
    ][:10]
