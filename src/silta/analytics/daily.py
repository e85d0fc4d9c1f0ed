"""Writing the daily aggregates (:mod:`silta.analytics.models`: handoffs by the day of the
event, response times by the arrival day): a range rebuilt (``manage.py analytics_daily
--from --to``) and the worker's refresh of yesterday, any missed day (on the first run:
every day since the first handoff, as far back as the calendar table goes), the days a
return has made stale and the arrival days of referrals settled since the last refresh.
Today is never built: it is counted live until it is over.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from silta.analytics.coverage import DAY, kinds_valid_since, runs
from silta.analytics.handoff_sql import (
    AGGREGATE,
    CLIENT_AGGREGATE,
    CLIENT_DAY_ROWS,
    DAY_ROWS,
    THREAD_CLIENT_DAY_ROWS,
    THREAD_DAY_ROWS,
    event_day,
    event_times,
    first_handoff_day,
    stale_days,
    thread_day,
)
from silta.analytics.models import BuiltDay, HandoffClientDay, HandoffDay, Refresh, ResponseDay
from silta.analytics.response_sql import response_day_rows, settled_days_since
from silta.workdays import calendar
from silta.workdays.table import YEARS_BACK

# A refresh counts as having started this much earlier: a return committed while it runs
# (its time taken just before) is then found by the next one.
MARGIN = dt.timedelta(minutes=5)
_LOCK = 1_200_012  # PostgreSQL advisory lock: one writer of the aggregates at a time

_COLUMNS = "day, kind, unit_id, other_id, sender_id, receiver_id, reason, expense_kind, handoffs"
_CLIENT_COLUMNS = "day, client_id, sender_id, receiver_id, handoffs"


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])


def _write(first: dt.date, end: dt.date, built_at: dt.datetime) -> None:
    HandoffDay.objects.filter(day__gte=first, day__lt=end).delete()
    HandoffClientDay.objects.filter(day__gte=first, day__lt=end).delete()
    ResponseDay.objects.filter(day__gte=first, day__lt=end).delete()
    with connection.cursor() as cursor:
        cursor.execute(*response_day_rows(first, end, built_at))
        for table, columns, select, column, day in (
            (AGGREGATE, _COLUMNS, DAY_ROWS, "e.at", event_day()),
            (CLIENT_AGGREGATE, _CLIENT_COLUMNS, CLIENT_DAY_ROWS, "e.at", event_day()),
            (AGGREGATE, _COLUMNS, THREAD_DAY_ROWS, "t.created_at", thread_day()),
            (
                CLIENT_AGGREGATE,
                _CLIENT_COLUMNS,
                THREAD_CLIENT_DAY_ROWS,
                "t.created_at",
                thread_day(),
            ),
        ):
            times, params = event_times([(first, end)], column)
            sql = f"INSERT INTO {table} ({columns}) " + select.format(day=day, times=times)
            cursor.execute(sql, params)


def days_build(
    days: Iterable[dt.date], *, now: dt.datetime | None = None, today: dt.date | None = None
) -> int:
    """Rewrite the aggregates of ``days`` (never today or later); the days written."""
    limit = today or calendar.today()
    wanted = sorted({d for d in days if d < limit})
    built_at = (now or timezone.now()) - MARGIN
    with transaction.atomic():
        _lock()
        for first, end in runs(wanted):
            _write(first, end, built_at)
        BuiltDay.objects.filter(day__in=wanted).delete()
        BuiltDay.objects.bulk_create(
            [BuiltDay(day=d, built_at=built_at) for d in wanted], batch_size=500
        )
    return len(wanted)


def aggregates_build(first: dt.date, last: dt.date) -> int:
    """Rebuild ``first`` .. ``last`` (up to yesterday); the days written."""
    if last < first:
        raise ValueError("last must not be before first")
    days, day = [], first
    while day <= last:
        days.append(day)
        day += DAY
    return days_build(days)


def aggregates_refresh(*, today: dt.date | None = None) -> int:
    """Build yesterday and any day missed since the last one built (the first time: since
    the first handoff), and rewrite the days whose expense kinds a return since the last
    refresh may have renamed; the days written."""
    now = timezone.now()
    today = today or calendar.today()
    yesterday = today - DAY
    with transaction.atomic():
        _lock()
        last = BuiltDay.objects.aggregate(last=Max("day"))["last"]
        if last is not None:
            day = last + DAY
        else:  # the first run: the whole history the calendar covers
            earliest = first_handoff_day() or yesterday
            day = max(earliest, today.replace(year=today.year - YEARS_BACK, day=1))
        missed = []
        while day <= yesterday:
            missed.append(day)
            day += DAY
        since = kinds_valid_since()
        stale: set[dt.date] = set()
        if since is not None:
            oldest = BuiltDay.objects.order_by("day").values_list("day", flat=True).first()
            built = stale_days(since, oldest or yesterday, today)
            stale = built & set(
                BuiltDay.objects.filter(day__in=built).values_list("day", flat=True)
            )
            # Referrals settled since: their arrival days' response sums leave the live part.
            stale |= settled_days_since(since, today) & set(
                BuiltDay.objects.values_list("day", flat=True)
            )
        written = days_build([*missed, *stale], now=now, today=today)
        if since is not None:
            # No referral of the days not rewritten was settled since the last refresh
            # (their days were rewritten above), and each was complete as of then: so each
            # is complete as of this refresh, and the live part's bound stays recent.
            BuiltDay.objects.filter(built_at__gte=since, built_at__lt=now - MARGIN).update(
                built_at=now - MARGIN
            )
        Refresh.objects.create(started_at=now - MARGIN, days=written)
    return written
