"""From stored hours to the pure ``Schedule`` and "reachable now"."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from silta.directory.hours import OpenStatus, Schedule, TimeRange, status
from silta.directory.models import Channel

# Stored hours as plain rows: (weekday, opens, closes) and (date, opens, closes); an
# exception without times closes its date. Lists read them with values_list, not models.
WeeklyRow = tuple[int, dt.time, dt.time]
ExceptionRow = tuple[dt.date, dt.time | None, dt.time | None]


def schedule_of(
    channel: Channel, weekly_rows: Iterable[WeeklyRow], exception_rows: Iterable[ExceptionRow]
) -> Schedule:
    """The channel's ``Schedule`` from its hours rows (in any order)."""
    weekly: dict[int, list[TimeRange]] = defaultdict(list)
    for weekday, opens, closes in weekly_rows:
        weekly[weekday].append(TimeRange.of(opens, closes))
    exceptions: dict[dt.date, list[TimeRange]] = defaultdict(list)
    for date, starts, ends in exception_rows:
        exceptions[date]
        if starts is not None:
            exceptions[date].append(TimeRange.of(starts, ends))
    return Schedule(
        weekly={day: tuple(sorted(r)) for day, r in weekly.items()},
        exceptions={day: tuple(sorted(r)) for day, r in exceptions.items()},
        always_open=channel.always_open,
        closed_on_holidays=channel.closed_on_holidays,
    )


def channel_schedule(channel: Channel) -> Schedule:
    """Uses ``weekly_hours`` and ``exceptions`` prefetched on the channel."""
    return schedule_of(
        channel,
        ((row.weekday, row.opens, row.closes) for row in channel.weekly_hours.all()),
        ((item.date, item.opens, item.closes) for item in channel.exceptions.all()),
    )


@dataclass(frozen=True)
class ChannelStatus:
    channel: Channel
    status: OpenStatus | None  # None: the channel has no hours (e-mail)
    schedule: Schedule


def channel_status(channel: Channel, schedule: Schedule, now: dt.datetime) -> ChannelStatus:
    """``channel`` reachable now by its ``schedule`` (read earlier: it may be kept)."""
    has_hours = schedule.always_open or bool(schedule.weekly) or bool(schedule.exceptions)
    return ChannelStatus(channel, status(schedule, now) if has_hours else None, schedule)


def reachability(channels: list[Channel], now: dt.datetime) -> list[ChannelStatus]:
    return [channel_status(channel, channel_schedule(channel), now) for channel in channels]
