"""Background work for the calendar table (``manage.py worker``)."""

from __future__ import annotations

from django_tasks import task

from silta.workdays.table import calendar_ensure


@task()
def calendar_extend() -> int:
    """Keep the calendar table ten years back and five ahead (run yearly or daily)."""
    return calendar_ensure()
