"""Which days of a period the handoff figures read from the daily aggregates, and which
they count from the events: today, a day not built (missed by the worker, or before the
aggregates began), and a built day whose expense kinds a later return may have renamed
(see :func:`silta.analytics.handoff_sql.stale_days`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Min

from silta.analytics.handoff_sql import Run, Split, stale_days
from silta.analytics.models import BuiltDay, Refresh

DAY = dt.timedelta(days=1)


def runs(days: Iterable[dt.date]) -> list[Run]:
    """Consecutive days as (first, the day after the last) runs."""
    out: list[Run] = []
    for day in sorted(set(days)):
        if out and out[-1][1] == day:
            out[-1] = (out[-1][0], day + DAY)
        else:
            out.append((day, day + DAY))
    return out


def kinds_valid_since() -> dt.datetime | None:
    """Every built day holds the referrals' expense kinds as of this time: the start of
    the last refresh (each refresh rewrites the days renamed since the one before), or
    before any refresh the oldest build."""
    latest = Refresh.objects.order_by("-started_at").values_list("started_at", flat=True).first()
    if latest is not None:
        return latest
    return BuiltDay.objects.aggregate(oldest=Min("built_at"))["oldest"]


def period_split(first: dt.date, end: dt.date, today: dt.date) -> Split:
    """The split of ``first`` .. ``end`` (exclusive). The figures group by the referral's
    expense kind, so stale days are counted live."""
    built = set(
        BuiltDay.objects.filter(day__gte=first, day__lt=min(end, today)).values_list(
            "day", flat=True
        )
    )
    stale: set[dt.date] = set()
    since = kinds_valid_since() if built else None
    if since is not None:
        stale = stale_days(since, first, min(end, today)) & built
    fresh = built - stale
    every, day = [], first
    while day < end:
        if day not in fresh:
            every.append(day)
        day += DAY
    return Split(
        aggregated=(min(fresh), max(fresh) + DAY) if fresh else None,
        excluded=tuple(sorted(stale)),
        live=tuple(runs(every)),
    )
