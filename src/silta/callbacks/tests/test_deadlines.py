from __future__ import annotations

import datetime as dt

import pytest

from silta.callbacks.deadlines import callback_due
from silta.workdays.calendar import HELSINKI


def at(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=HELSINKI)


@pytest.mark.parametrize(
    ("created", "urgent", "days", "due"),
    [
        (at(2026, 11, 23), False, 1, at(2026, 11, 24, 16)),  # Mon -> end of Tue
        (at(2026, 11, 27), False, 1, at(2026, 11, 30, 16)),  # Fri -> Mon
        # Saturday: Monday is the first working day after it (the day itself never counts),
        # so a request on Saturday is due when one made on Friday is.
        (at(2026, 11, 28), False, 1, at(2026, 11, 30, 16)),
        (at(2026, 11, 29), False, 2, at(2026, 12, 1, 16)),  # Sunday, 2 days -> Tuesday
        (at(2026, 12, 24), False, 1, at(2026, 12, 28, 16)),  # Christmas Eve -> Monday
        (at(2026, 11, 23), True, 1, at(2026, 11, 23, 16)),  # urgent: same day
        (at(2026, 11, 23, 17), True, 1, at(2026, 11, 24, 16)),  # after hours: next working day
        (at(2026, 11, 28), True, 1, at(2026, 11, 30, 16)),  # urgent on Saturday -> Monday
        (at(2026, 12, 23), False, 1, at(2026, 12, 28, 16)),  # over Christmas
        (at(2026, 12, 23), False, 3, at(2026, 12, 30, 16)),  # the unit promises 3 days
        (at(2026, 6, 18), True, 1, at(2026, 6, 18, 16)),
        (at(2026, 6, 18, 16, 30), True, 1, at(2026, 6, 22, 16)),  # Midsummer Eve closed
    ],
)
def test_callback_due(created: dt.datetime, urgent: bool, days: int, due: dt.datetime) -> None:
    assert callback_due(created, urgent=urgent, promise_working_days=days) == due


def test_utc_creation_time_uses_helsinki_date() -> None:
    # 22:30 UTC Monday is 00:30 Tuesday in Helsinki: due end of Wednesday.
    created = dt.datetime(2026, 11, 23, 22, 30, tzinfo=dt.UTC)
    assert callback_due(created, urgent=False) == at(2026, 11, 25, 16)
