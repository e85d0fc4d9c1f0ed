"""The demo's clock: seeding happens "in the past weeks", so lists show realistic ages,
due dates and overdue items instead of every row stamped with the same minute.

While seeding, ``django.utils.timezone.now`` (which the services, receipts and audit use)
returns the moment set last. Demo only: never used by the application.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

from silta.workdays.calendar import HELSINKI, is_working_day


class DemoClock:
    def __init__(self, real_now: dt.datetime) -> None:
        self.today = real_now.astimezone(HELSINKI).date()
        self.real_now = real_now
        self.now = real_now

    def set(self, working_days_ago: int, hhmm: str) -> dt.datetime:
        """Go to ``hhmm`` Helsinki time on the working day that many working days ago
        (0 is today; never later than the real now)."""
        day = self.today
        left = working_days_ago
        while left > 0 or not is_working_day(day):
            day -= dt.timedelta(days=1)
            if is_working_day(day):
                left -= 1
        hour, minute = (int(part) for part in hhmm.split(":"))
        moment = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=HELSINKI)
        self.now = min(moment, self.real_now - dt.timedelta(minutes=1))
        return self.now

    def later(self, minutes: int) -> dt.datetime:
        self.now = min(self.now + dt.timedelta(minutes=minutes), self.real_now)
        return self.now


@contextmanager
def demo_clock() -> Iterator[DemoClock]:
    original = timezone.now
    clock = DemoClock(original())
    timezone.now = lambda: clock.now
    try:
        yield clock
    finally:
        timezone.now = original
