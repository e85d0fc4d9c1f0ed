"""Background work for the figures (``manage.py worker``)."""

from __future__ import annotations

from django_tasks import task

from silta.analytics.daily import aggregates_refresh


@task()
def analytics_refresh() -> int:
    """Build yesterday's handoff aggregates, any missed day and the days made stale
    (queued daily by ``manage.py analytics_daily --queue``)."""
    return aggregates_refresh()
