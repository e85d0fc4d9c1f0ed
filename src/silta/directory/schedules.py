"""From stored hours to the pure ``Schedule`` and "reachable now"."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from silta.directory.hours import OpenStatus, Schedule, TimeRange, status
from silta.directory.models import Channel


def channel_schedule(channel: Channel) -> Schedule:
    """Uses ``weekly_hours`` and ``exceptions`` prefetched on the channel."""
    weekly: dict[int, list[TimeRange]] = defaultdict(list)
    for row in channel.weekly_hours.all():
        weekly[row.weekday].append(TimeRange.of(row.opens, row.closes))
    exceptions: dict[dt.date, list[TimeRange]] = defaultdict(list)
    for item in channel.exceptions.all():
        exceptions[item.date]
        if item.opens is not None:
            exceptions[item.date].append(TimeRange.of(item.opens, item.closes))
    return Schedule(
        weekly={day: tuple(sorted(r)) for day, r in weekly.items()},
        exceptions={day: tuple(sorted(r)) for day, r in exceptions.items()},
        always_open=channel.always_open,
        closed_on_holidays=channel.closed_on_holidays,
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
