"""Working-day calendar throughput: due dates and working-day counts a second.

Reports, silence escalation and the coming analytics call the calendar once per row, so
it must keep up with national-scale tables: the goal is 1,000,000 due dates in under 2 s
(issue 10). No database: the pure module alone, on a fixed pseudo-random set of arrival
dates over ten years and deadlines of 0-14 working days.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import time
from dataclasses import dataclass

from silta.workdays.calendar import add_working_days, working_days_between

GOAL_SECONDS = 2.0


@dataclass(frozen=True)
class CalendarSpeed:
    due_dates: int
    due_seconds: float
    counts: int
    count_seconds: float

    @property
    def meets_goal(self) -> bool:
        return self.due_seconds * 1_000_000 / self.due_dates < GOAL_SECONDS


def measure(due_dates: int = 1_000_000, counts: int = 200_000, seed: int = 2026) -> CalendarSpeed:
    rng = random.Random(seed)
    first = dt.date(2020, 1, 1).toordinal()
    days = [dt.date.fromordinal(first + rng.randrange(3650)) for _ in range(due_dates)]
    spans = [rng.randrange(15) for _ in range(due_dates)]
    add_working_days(days[0], 1)  # warm the year tables, as a long-running process has
    started = time.perf_counter()
    for day, span in zip(days, spans, strict=True):
        add_working_days(day, span)
    due_seconds = time.perf_counter() - started
    pairs = list(itertools.pairwise(days[: counts + 1]))
    started = time.perf_counter()
    for start, end in pairs:
        working_days_between(start, end)
    return CalendarSpeed(due_dates, due_seconds, len(pairs), time.perf_counter() - started)


def report_lines(speed: CalendarSpeed) -> list[str]:
    verdict = "meets" if speed.meets_goal else "MISSES"
    return [
        "## Working-day calendar (pure Python, no database)",
        f"- {speed.due_dates:,} due dates: {speed.due_seconds:.2f} s "
        f"({speed.due_dates / speed.due_seconds:,.0f}/s; {verdict} the {GOAL_SECONDS:.0f} s goal)",
        f"- {speed.counts:,} working-day counts: {speed.count_seconds:.2f} s "
        f"({speed.counts / speed.count_seconds:,.0f}/s)",
    ]
