"""Working days (arkipäivä) for statutory deadlines: one pure module.

Rules (DOMAIN.md §3):
- Monday-Friday, except Finnish public holidays and the eves that are not working days
  in practice (Midsummer Eve, Christmas Eve); the ``holidays`` package's Finland calendar
  includes both. Saturday is not a working day for these deadlines.
- The arrival day is never counted, whatever day it is (Act 150/1930 2 §; municipal
  guidance: "seitsemän arkipäivän kuluessa hakemuksen saapumispäivää seuraavasta
  arkipäivästä lukien"). The due date is the N-th working day after the arrival day: the
  7th working day after an arrival on Monday 2 Feb 2026 is Wednesday 11 Feb 2026, and an
  arrival on Saturday 6 Mar 2027 is due on Tuesday 16 Mar 2027, the same day as one on
  Friday 5 Mar (Monday is working day 1). A weekend arrival is *not* moved to Monday.
- "Today" and arrival dates are taken in Europe/Helsinki: 23:30 local is that day.

Every function is a table lookup: per year, the working days in order and the running
count of working days up to each day of the year ("rank"). Counting working days is a
difference of ranks; the N-th working day after a date is an index into the list.

The ``holidays`` package stops at 2100 by default; the same Finnish rules are projected
to the end of Python's date range (year 9999). Dates outside :data:`FIRST_YEAR` ..
:data:`LAST_YEAR` raise :class:`CalendarRangeError`.
"""

from __future__ import annotations

import datetime as dt
from array import array
from typing import NamedTuple
from zoneinfo import ZoneInfo

from holidays.countries.finland import Finland

HELSINKI = ZoneInfo("Europe/Helsinki")


class _FinlandProjected(Finland):
    """Finland's public holidays, with today's rules also for the years after 2100."""

    end_year = dt.MAXYEAR


FIRST_YEAR: int = Finland.start_year
LAST_YEAR: int = dt.MAXYEAR


class CalendarRangeError(ValueError):
    """A date, or a date the count would reach, is outside the calendar's years."""


class _Year(NamedTuple):
    # Ordinals (date.toordinal()) of the year's working days, in order.
    working: tuple[int, ...]
    # ranks[i]: working days from 1 January up to and including day-of-year i (ranks[0] = 0).
    ranks: array[int]
    first_ordinal: int
    # Ordinals of the year's public holidays and holiday eves (weekend ones included).
    holidays: frozenset[int]


# Built year tables by year. Bounded by the calendar's range (at most about 8,000 small
# tables); a process only ever builds the years it is asked about.
_YEARS: dict[int, _Year] = {}


def _build_year(year: int) -> _Year:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CalendarRangeError(f"year {year} is outside {FIRST_YEAR}..{LAST_YEAR}")
    closed = {day.toordinal() for day in _FinlandProjected(years=year)}
    first = dt.date(year, 1, 1).toordinal()
    last = dt.date(year, 12, 31).toordinal()
    working: list[int] = []
    ranks = array("H", [0])
    for ordinal in range(first, last + 1):
        # date.fromordinal(n).weekday() == (n + 6) % 7: Monday is 0.
        if (ordinal + 6) % 7 < 5 and ordinal not in closed:
            working.append(ordinal)
        ranks.append(len(working))
    table = _Year(tuple(working), ranks, first, frozenset(closed))
    _YEARS[year] = table
    return table


def _year(year: int) -> _Year:
    return _YEARS.get(year) or _build_year(year)


def _rank_in_year(day: dt.date) -> int:
    table = _YEARS.get(day.year) or _build_year(day.year)
    return table.ranks[day.toordinal() - table.first_ordinal + 1]


def is_holiday(day: dt.date) -> bool:
    """A Finnish public holiday or a holiday eve (not a weekend as such)."""
    return day.toordinal() in _year(day.year).holidays


def is_working_day(day: dt.date) -> bool:
    table = _year(day.year)
    index = day.toordinal() - table.first_ordinal + 1
    return table.ranks[index] != table.ranks[index - 1]


def local_date(moment: dt.datetime) -> dt.date:
    """The calendar date of an aware moment in Europe/Helsinki."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass an aware moment")
    return moment.astimezone(HELSINKI).date()


def today(now: dt.datetime | None = None) -> dt.date:
    return local_date(now or dt.datetime.now(tz=HELSINKI))


def add_working_days(start: dt.date, working_days: int) -> dt.date:
    """The ``working_days``-th working day after ``start``; ``start`` itself is never counted.

    Totul 14 a §: "by the 7th working day after the application arrives" is
    ``add_working_days(arrived, 7)``, whatever day of the week it arrived.
    ``add_working_days(start, 0)`` is ``start`` itself.
    """
    if working_days < 0:
        raise ValueError("working_days must not be negative")
    year = start.year
    table = _YEARS.get(year) or _build_year(year)
    if working_days == 0:
        return start
    target = table.ranks[start.toordinal() - table.first_ordinal + 1] + working_days
    while target > len(table.working):
        target -= len(table.working)
        year += 1
        table = _YEARS.get(year) or _build_year(year)
    return dt.date.fromordinal(table.working[target - 1])


def next_working_day(day: dt.date) -> dt.date:
    """The first working day strictly after ``day``."""
    return add_working_days(day, 1)


def _working_days_in_years(first: int, last: int) -> int:
    return sum(len(_year(year).working) for year in range(first, last + 1))


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if end < start).

    ``working_days_between(a, add_working_days(a, n)) == n`` for any day ``a``.
    """
    if end < start:
        return -working_days_between(end, start)
    if start.year == end.year:
        table = _YEARS.get(start.year) or _build_year(start.year)
        offset = 1 - table.first_ordinal
        return table.ranks[end.toordinal() + offset] - table.ranks[start.toordinal() + offset]
    rest_of_start_year = len(_year(start.year).working) - _rank_in_year(start)
    between = _working_days_in_years(start.year + 1, end.year - 1)
    return rest_of_start_year + between + _rank_in_year(end)


def working_days_ago(day: dt.date, working_days: int) -> dt.date:
    """The latest working day from which ``day`` is ``working_days`` working days on.

    Something waiting since a date earlier than this has waited more than
    ``working_days`` working days by ``day``. One working day before Monday 4 May 2026 is
    Thursday 30 April 2026 (Friday 1 May is May Day).
    """
    if working_days < 0:
        raise ValueError("working_days must not be negative")
    year = day.year
    target = _rank_in_year(day) - working_days
    while target <= 0:
        year -= 1
        target += len(_year(year).working)
    return dt.date.fromordinal(_year(year).working[target - 1])


def start_of_local_day(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in Europe/Helsinki, as an aware datetime."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=HELSINKI)
