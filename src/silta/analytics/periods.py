"""The period of a dashboard: whole months, at most five years, the end not before the
start. Bad input is refused with a translated message and changes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from silta.core.errors import Invalid
from silta.workdays.calendar import HELSINKI, today

MAX_MONTHS = 60
DEFAULT_MONTHS = 12


@dataclass(frozen=True)
class Period:
    """``first`` .. ``last``: the first days of the first and the last month."""

    first: dt.date
    last: dt.date

    @property
    def end(self) -> dt.date:
        """The day after the period."""
        return _add_months(self.last, 1)

    @property
    def months(self) -> list[dt.date]:
        months, month = [], self.first
        while month <= self.last:
            months.append(month)
            month = _add_months(month, 1)
        return months

    @property
    def start_at(self) -> dt.datetime:
        return dt.datetime.combine(self.first, dt.time.min, tzinfo=HELSINKI)

    @property
    def end_at(self) -> dt.datetime:
        return dt.datetime.combine(self.end, dt.time.min, tzinfo=HELSINKI)

    def key(self) -> str:
        return f"{self.first:%Y-%m}_{self.last:%Y-%m}"


def _add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def _month(text: str, field: str) -> dt.date:
    try:
        year, month = (int(part) for part in text.split("-"))
        return dt.date(year, month, 1)
    except ValueError:
        raise Invalid(
            _("Give the month as year and month, for example 2026-11."),
            code="period_invalid",
            field=field,
        ) from None


def period_parse(first: str | None, last: str | None, *, now: dt.date | None = None) -> Period:
    """The period from "YYYY-MM" texts; the last twelve months by default."""
    current = (now or today()).replace(day=1)
    end = _month(last, "to") if last else current
    start = _month(first, "from") if first else _add_months(end, 1 - DEFAULT_MONTHS)
    if end < start:
        raise Invalid(
            _("The period ends before it starts: choose an end month after the start month."),
            code="period_reversed",
            field="to",
        )
    if len(Period(start, end).months) > MAX_MONTHS:
        raise Invalid(
            _("The period is too long: choose at most five years (60 months)."),
            code="period_too_long",
            field="from",
        )
    return Period(start, end)
