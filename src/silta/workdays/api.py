"""API: the working-day calendar, so other systems count deadlines the same way."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import WithJsonSchema

from silta.core.api_schemas import ErrorOut
from silta.core.errors import Invalid
from silta.workdays.calendar import (
    FIRST_YEAR,
    LAST_YEAR,
    CalendarRangeError,
    add_working_days,
    is_working_day,
    working_days_between,
)

router = Router(tags=["calendar"])
MAX_DAYS = 3660

DUE_DATE_DESCRIPTION = f"""
The `working_days`-th working day after `start` (Totul 14 a §: "by the 7th working day after
the application arrives"). The start day is never counted, whatever day of the week it is:
the first working day after it is working day 1, so an arrival on Saturday 6.3.2027 or
Sunday 7.3.2027 is due on the same day as one on Friday 5.3.2027 (7 working days: Tuesday
16.3.2027). `working_days=0` returns `start` itself.

Working days are Monday to Friday except Finnish public holidays, Midsummer Eve and
Christmas Eve (Europe/Helsinki). `working_days` is 0 to {MAX_DAYS}; dates are
{FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31, and a due date past the end of the calendar is
refused with 400 `date_out_of_range`.
"""

WORKING_DAYS_DESCRIPTION = f"""
The number of working days in the half-open interval (`from`, `to`]: `from` is not counted,
`to` is. Negative when `to` is before `from` (the same count with the sign flipped), zero
when they are equal. At most {MAX_DAYS} days apart (about ten years); dates are
{FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31.
"""


class DueDateOut(Schema):
    start: dt.date
    working_days: int
    due_date: dt.date
    due_is_working_day: bool


class WorkingDaysOut(Schema):
    start: dt.date
    end: dt.date
    working_days: int


def _out_of_range() -> Invalid:
    return Invalid(
        _("The dates must be between %(first)s and %(last)s.")
        % {"first": f"1.1.{FIRST_YEAR}", "last": f"31.12.{LAST_YEAR}"},
        code="date_out_of_range",
    )


@router.get(
    "/calendar/due-date",
    response={200: DueDateOut, 400: ErrorOut},
    summary="The N-th working day after start (the start day not counted)",
    description=DUE_DATE_DESCRIPTION,
)
def due(
    request: HttpRequest,
    start: dt.date,
    # The limits are documented in the schema and checked below, so that a value out of
    # range answers 400 `working_days_range` (a stable code) rather than a generic 422.
    working_days: Annotated[
        int, WithJsonSchema({"type": "integer", "minimum": 0, "maximum": MAX_DAYS})
    ],
) -> Any:
    if not 0 <= working_days <= MAX_DAYS:
        raise Invalid(
            _("The number of working days must be between 0 and %(max)s.") % {"max": MAX_DAYS},
            code="working_days_range",
        )
    try:
        result = add_working_days(start, working_days)
        return {
            "start": start,
            "working_days": working_days,
            "due_date": result,
            "due_is_working_day": is_working_day(result),
        }
    except CalendarRangeError:
        raise _out_of_range() from None


@router.get(
    "/calendar/working-days",
    response={200: WorkingDaysOut, 400: ErrorOut},
    summary="Working days after `from` up to and including `to`",
    description=WORKING_DAYS_DESCRIPTION,
)
def count(
    request: HttpRequest,
    from_: dt.date = Query(..., alias="from"),  # noqa: B008 (ninja's parameter marker)
    to: dt.date = Query(...),  # noqa: B008
) -> Any:
    if abs((to - from_).days) > MAX_DAYS:
        raise Invalid(
            _("The range is too long: at most %(days)s days (about ten years).")
            % {"days": MAX_DAYS},
            code="range_too_long",
        )
    try:
        return {"start": from_, "end": to, "working_days": working_days_between(from_, to)}
    except CalendarRangeError:
        raise _out_of_range() from None
