"""Working days (arkipäivä) for statutory deadlines: one pure module.

Rules (DOMAIN.md §3):
- Monday-Friday, except Finnish public holidays and the eves that are not working days
  in practice (Midsummer Eve, Christmas Eve); the ``holidays`` package's Finland calendar
  includes both. Saturday is not a working day for these deadlines.
- The start day is not counted (Act 150/1930 2 §): the 7th working day after an arrival on
  Monday 2 Feb 2026 is Wednesday 11 Feb 2026.
- An arrival on a weekend or holiday counts as arriving on the next working day.
- "Today" and arrival dates are taken in Europe/Helsinki: 23:30 local is that day.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

HELSINKI = ZoneInfo("Europe/Helsinki")


@lru_cache(maxsize=64)
def _holidays_of(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.Finland(years=year).keys())


def is_holiday(day: dt.date) -> bool:
    return day in _holidays_of(day.year)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and not is_holiday(day)


def local_date(moment: dt.datetime) -> dt.date:
    """The calendar date of an aware moment in Europe/Helsinki."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass an aware moment")
    return moment.astimezone(HELSINKI).date()


def today(now: dt.datetime | None = None) -> dt.date:
    return local_date(now or dt.datetime.now(tz=HELSINKI))


def next_working_day(day: dt.date) -> dt.date:
    """The first working day strictly after ``day``."""
    day += dt.timedelta(days=1)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def effective_arrival(day: dt.date) -> dt.date:
    """An arrival on a non-working day counts as arriving on the next working day."""
    return day if is_working_day(day) else next_working_day(day)


def add_working_days(start: dt.date, working_days: int) -> dt.date:
    """The ``working_days``-th working day after ``start`` (the start day not counted).

    ``add_working_days(start, 0)`` is the effective arrival day itself.
    """
    if working_days < 0:
        raise ValueError("working_days must not be negative")
    day = effective_arrival(start)
    for _ in range(working_days):
        day = next_working_day(day)
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if end < start).

    ``working_days_between(a, add_working_days(a, n)) == n`` for a working day ``a``.
    """
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_working_day(day)
    return count


def working_days_ago(day: dt.date, working_days: int) -> dt.date:
    """The date ``working_days`` working days before ``day``.

    Something waiting since a date earlier than this has waited more than
    ``working_days`` working days by ``day``.
    """
    if working_days < 0:
        raise ValueError("working_days must not be negative")
    counted = 0
    while counted < working_days:
        counted += is_working_day(day)
        day -= dt.timedelta(days=1)
    # Step back over non-working days: they add nothing to the count.
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def start_of_local_day(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in Europe/Helsinki, as an aware datetime."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=HELSINKI)
