"""API: the working-day calendar, so other systems count deadlines the same way."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from silta.core.api_schemas import ErrorOut
from silta.core.errors import Invalid
from silta.workdays.calendar import add_working_days, is_working_day, working_days_between

router = Router(tags=["calendar"])
MAX_DAYS = 3660


class DueDateOut(Schema):
    start: dt.date
    working_days: int
    due_date: dt.date
    due_is_working_day: bool


class WorkingDaysOut(Schema):
    start: dt.date
    end: dt.date
    working_days: int


@router.get(
    "/calendar/due-date",
    response={200: DueDateOut, 400: ErrorOut},
    summary="The N-th working day after start (the start day not counted)",
)
def due(request: HttpRequest, start: dt.date, working_days: int) -> Any:
    if not 0 <= working_days <= MAX_DAYS:
        raise Invalid("working_days must be between 0 and 3660", code="working_days_range")
    result = add_working_days(start, working_days)
    return {
        "start": start,
        "working_days": working_days,
        "due_date": result,
        "due_is_working_day": is_working_day(result),
    }


@router.get(
    "/calendar/working-days",
    response={200: WorkingDaysOut, 400: ErrorOut},
    summary="Working days after `from` up to and including `to`",
)
def count(
    request: HttpRequest,
    from_: dt.date = Query(..., alias="from"),  # noqa: B008 (ninja's parameter marker)
    to: dt.date = Query(...),  # noqa: B008
) -> Any:
    if abs((to - from_).days) > MAX_DAYS:
        raise Invalid("the range is too long (at most ten years)", code="range_too_long")
    return {"start": from_, "end": to, "working_days": working_days_between(from_, to)}
