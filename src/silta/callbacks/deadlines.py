"""When a call-back is due: the unit's promise in working days (default the end of the
next working day; the day of the request is never counted, as for statutory deadlines);
urgent requests the same working day. Pure functions."""

from __future__ import annotations

import datetime as dt

from silta.workdays.calendar import HELSINKI, add_working_days, is_working_day, next_working_day

DAY_END = dt.time(16, 0)


def callback_due(
    created: dt.datetime,
    *,
    urgent: bool,
    promise_working_days: int = 1,
    day_end: dt.time = DAY_END,
) -> dt.datetime:
    """The end of the working day by which the call must be made (Europe/Helsinki)."""
    local = created.astimezone(HELSINKI)
    day = local.date()
    if urgent:
        due_day = day if is_working_day(day) and local.time() < day_end else next_working_day(day)
    else:
        due_day = add_working_days(day, max(promise_working_days, 1))
    return dt.datetime.combine(due_day, day_end, tzinfo=HELSINKI)


def is_overdue(due_at: dt.datetime, now: dt.datetime) -> bool:
    return now > due_at
