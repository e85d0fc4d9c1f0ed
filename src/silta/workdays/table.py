"""Keeping the calendar table (:class:`~silta.workdays.models.WorkingDay`) filled from the
one calendar module, and the SQL that reads it.

``calendar_fill`` rewrites whole years (a corrected holiday rule in the ``holidays``
package reaches the table on the next fill); ``calendar_ensure`` fills the years the
figures need (ten back, five ahead) and is what the migration, ``manage.py
workdays_fill`` and the worker's task call.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction

from silta.workdays import calendar
from silta.workdays.models import WorkingDay

# Ordinal 0: working days are counted from here (any fixed day would do).
EPOCH = dt.date(2000, 1, 1)
YEARS_BACK = 10
YEARS_AHEAD = 5


def _rows(year: int) -> list[WorkingDay]:
    day = dt.date(year, 1, 1)
    count = calendar.working_days_between(EPOCH, day - dt.timedelta(days=1))
    rows = []
    while day.year == year:
        working = calendar.is_working_day(day)
        count += working
        rows.append(WorkingDay(day=day, working=working, n=count, month=day.replace(day=1)))
        day += dt.timedelta(days=1)
    return rows


def calendar_fill(first_year: int, last_year: int) -> int:
    """Write the years ``first_year`` .. ``last_year`` from the calendar module; the number
    of days written."""
    if first_year > last_year:
        raise ValueError("first_year must not be after last_year")
    written = 0
    with transaction.atomic():
        for year in range(first_year, last_year + 1):
            rows = _rows(year)
            WorkingDay.objects.filter(day__year=year).delete()
            WorkingDay.objects.bulk_create(rows, batch_size=500)
            written += len(rows)
    return written


def calendar_ensure(today: dt.date | None = None) -> int:
    """Fill the years missing from ten years back to five ahead; the days written."""
    year = (today or calendar.today()).year
    wanted = range(year - YEARS_BACK, year + YEARS_AHEAD + 1)
    present = set(
        WorkingDay.objects.filter(day__month=1, day__day=1).values_list("day__year", flat=True)
    )
    return sum(calendar_fill(y, y) for y in wanted if y not in present)


def local_date_sql(column: str) -> str:
    """SQL for the Europe/Helsinki date of a timestamp column (an application arriving at
    23:30 arrived that day). ``column`` is a trusted column reference, never input."""
    if connection.vendor == "postgresql":
        return f"({column} AT TIME ZONE 'Europe/Helsinki')::date"
    # Registered by Django on every SQLite connection (its TruncDate uses it).
    return f"django_datetime_cast_date({column}, 'Europe/Helsinki', 'UTC')"
