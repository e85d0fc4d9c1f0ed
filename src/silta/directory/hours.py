"""Service hours: is a channel open now, and when does it next open? One pure module.

Hours are wall-clock ranges in Europe/Helsinki per weekday (a lunch break is two ranges),
replaced on given dates by exceptions (no ranges = closed that day). Channels are closed on
Finnish public holidays (the ``holidays`` calendar, including Midsummer Eve and Christmas
Eve) unless they are open around the clock, like emergency social services
(sosiaalipäivystys, 24/7).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from silta.core.errors import Invalid
from silta.workdays.calendar import HELSINKI, is_holiday

DAY_MINUTES = 24 * 60
SEARCH_DAYS = 400


@dataclass(frozen=True, order=True)
class TimeRange:
    """Minutes since local midnight; ``closes`` may be 1440 (24:00)."""

    opens: int
    closes: int

    @classmethod
    def of(cls, opens: dt.time, closes: dt.time | None) -> TimeRange:
        end = DAY_MINUTES if closes is None or closes == dt.time(0, 0) else _minutes(closes)
        return cls(_minutes(opens), end)

    def label(self) -> str:
        return f"{_clock(self.opens)}–{_clock(self.closes)}"


def _minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}.{minutes % 60:02d}"


@dataclass(frozen=True)
class Schedule:
    weekly: Mapping[int, tuple[TimeRange, ...]] = field(default_factory=dict)
    exceptions: Mapping[dt.date, tuple[TimeRange, ...]] = field(default_factory=dict)
    always_open: bool = False
    closed_on_holidays: bool = True


@dataclass(frozen=True)
class OpenStatus:
    is_open: bool
    closes_at: dt.datetime | None
    next_opens_at: dt.datetime | None


def validate_ranges(ranges: Iterable[TimeRange]) -> tuple[TimeRange, ...]:
    """Sorted ranges of one day; refuses inverted and overlapping ranges."""
    ordered = tuple(sorted(ranges))
    for item in ordered:
        if not 0 <= item.opens < item.closes <= DAY_MINUTES:
            raise Invalid(
                _("Opening time must be before closing time (%(range)s).")
                % {"range": item.label()},
                code="hours_inverted",
            )
    for first, second in itertools.pairwise(ordered):
        if second.opens < first.closes:
            raise Invalid(
                _("Opening hours overlap (%(a)s and %(b)s).")
                % {"a": first.label(), "b": second.label()},
                code="hours_overlap",
            )
    return ordered


def ranges_on(schedule: Schedule, day: dt.date) -> tuple[TimeRange, ...]:
    """The ranges in force on a local date."""
    if schedule.always_open:
        return (TimeRange(0, DAY_MINUTES),)
    if day in schedule.exceptions:
        return schedule.exceptions[day]
    if schedule.closed_on_holidays and is_holiday(day):
        return ()
    return schedule.weekly.get(day.weekday(), ())


def _at(day: dt.date, minutes: int) -> dt.datetime:
    """Local wall time on ``day`` as an aware datetime (24:00 is next midnight)."""
    if minutes >= DAY_MINUTES:
        return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=HELSINKI)
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=HELSINKI)


def _closing(schedule: Schedule, day: dt.date, closes: int) -> dt.datetime:
    """When an open period that runs to ``closes`` really ends: a range running to
    midnight continues into the next day's range that starts at 00:00."""
    for _step in range(SEARCH_DAYS):
        if closes < DAY_MINUTES:
            break
        following_day = day + dt.timedelta(days=1)
        following = next((r for r in ranges_on(schedule, following_day) if r.opens == 0), None)
        if following is None:
            break
        day, closes = following_day, following.closes
    return _at(day, closes)


def status(schedule: Schedule, moment: dt.datetime) -> OpenStatus:
    """Open now? Until when? If closed, when does it next open?"""
    local = moment.astimezone(HELSINKI)
    day, now = local.date(), local.hour * 60 + local.minute
    for item in ranges_on(schedule, day):
        if item.opens <= now < item.closes:
            if schedule.always_open:
                return OpenStatus(True, None, None)
            return OpenStatus(True, _closing(schedule, day, item.closes), None)
    return OpenStatus(False, None, next_opening(schedule, moment))


def next_opening(schedule: Schedule, moment: dt.datetime) -> dt.datetime | None:
    """The next moment after ``moment`` at which the channel opens (None: not in a year)."""
    local = moment.astimezone(HELSINKI)
    day, now = local.date(), local.hour * 60 + local.minute
    for offset in range(SEARCH_DAYS):
        current = day + dt.timedelta(days=offset)
        for item in ranges_on(schedule, current):
            if offset > 0 or item.opens > now:
                return _at(current, item.opens)
    return None
