"""The manager's monthly deadline report (the monitoring THL runs, Totul 27 c §):
received, acknowledged within one working day, completed within the deadline, median
time to outcome, returns by reason. CSV and XLSX with the same rows. Working days are
counted in SQL on the calendar table (``silta.workdays.models.WorkingDay``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from silta.accounts.actor import Actor
from silta.accounts.roles import Perm
from silta.audit.denial import deny
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.organisations.models import Unit
from silta.referrals.models import Referral, ReferralEvent
from silta.referrals.types import ReferralType, ReturnReason
from silta.workdays.calendar import HELSINKI
from silta.workdays.models import WorkingDay
from silta.workdays.table import local_date_sql


@dataclass
class TypeFigures:
    type: str
    received: int = 0
    acknowledged_in_time: int = 0
    completed: int = 0
    completed_in_time: int = 0
    working_days_to_outcome: list[int] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(_("All")) if self.type == "total" else str(ReferralType(self.type).label)

    @property
    def acknowledged_pct(self) -> float | None:
        return round(100 * self.acknowledged_in_time / self.received, 1) if self.received else None

    @property
    def in_time_pct(self) -> float | None:
        return round(100 * self.completed_in_time / self.completed, 1) if self.completed else None

    @property
    def median_working_days(self) -> float | None:
        days = self.working_days_to_outcome
        return float(statistics.median(days)) if days else None


@dataclass
class MonthReport:
    unit: Unit
    year: int
    month: int
    rows: list[TypeFigures]
    total: TypeFigures
    returns: dict[str, int]


def _month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime(year, month, 1, tzinfo=HELSINKI)
    end = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=HELSINKI)
    return start, end


def _add(figures: TypeFigures, acknowledged: int | None, done: int | None, in_time: int) -> None:
    figures.received += 1
    if acknowledged is not None and acknowledged <= 1:
        figures.acknowledged_in_time += 1
    if done is not None:
        figures.completed += 1
        figures.completed_in_time += bool(in_time)
        figures.working_days_to_outcome.append(done)


def _rows_sql() -> str:
    """Per referral received in the month: its type, the working days from arrival to the
    receipt and to the outcome (NULL when none yet) and whether the outcome came by the
    due date. Working days are differences of the calendar table's ordinals: the arrival
    day is never counted, whatever day it is (DOMAIN.md §3)."""
    calendar = WorkingDay._meta.db_table
    received = local_date_sql("r.received_at")
    completed = local_date_sql("r.completed_at")
    # Table names and the date expressions are code, never input: S608 does not apply.
    return f"""
SELECT r.type, rc.n - a.n, cc.n - a.n,
       CASE WHEN {completed} <= r.due_date THEN 1 ELSE 0 END
FROM {Referral._meta.db_table} r
JOIN {calendar} a ON a.day = r.arrived_on
LEFT JOIN {calendar} rc ON rc.day = {received}
LEFT JOIN {calendar} cc ON cc.day = {completed}
WHERE r.receiver_unit_id = %s AND r.sent_at >= %s AND r.sent_at < %s
"""  # noqa: S608


def monthly_report(*, actor: Actor, unit: Unit, year: int, month: int) -> MonthReport:
    """Figures for referrals the unit received in the month (Europe/Helsinki)."""
    if unit.pk not in actor.units_with(Perm.UNIT_LOAD_VIEW):
        raise deny(
            actor,
            message=_("Only the unit's manager can see its report."),
            detail={"report": unit.pk},
        )
    start, end = _month_bounds(year, month)
    by_type = {t: TypeFigures(t) for t in ReferralType.values}
    total = TypeFigures("total")
    with connection.cursor() as cursor:
        adapt = connection.ops.adapt_datetimefield_value  # raw SQL: UTC as the ORM stores it
        cursor.execute(_rows_sql(), [unit.pk, adapt(start), adapt(end)])
        for kind, acknowledged, done, in_time in cursor.fetchall():
            _add(by_type[kind], acknowledged, done, in_time)
            _add(total, acknowledged, done, in_time)
    returns = dict(
        ReferralEvent.objects.filter(
            # The unit that returned it: the receiver (indexed by referralevent_return).
            unit=unit,
            action="return",
            at__gte=start,
            at__lt=end,
        )
        .values_list("detail__reason")
        .annotate(n=Count("id"))
        .order_by()
    )
    record(
        actor=actor,
        action=AuditAction.EXPORT,
        unit_id=unit.pk,
        detail={"report": "referrals_month", "year": year, "month": month},
    )
    return MonthReport(
        unit,
        year,
        month,
        [by_type[t] for t in ReferralType.values],
        total,
        {
            str(ReturnReason(k).label if k in ReturnReason.values else k): v
            for k, v in returns.items()
            if k
        },
    )


def _table(report: MonthReport) -> list[list[object]]:
    header: list[object] = [
        _("Type"),
        pgettext("report column", "Received"),
        _("Acknowledged within 1 working day (%)"),
        pgettext("report column", "Completed"),
        _("Completed within deadline (%)"),
        _("Median working days to outcome"),
    ]
    rows: list[list[object]] = [header]
    for figures in [*report.rows, report.total]:
        name = _("All") if figures.type == "total" else str(ReferralType(figures.type).label)
        rows.append(
            [
                name,
                figures.received,
                figures.acknowledged_pct,
                figures.completed,
                figures.in_time_pct,
                figures.median_working_days,
            ]
        )
    rows.append([])
    rows.append([_("Returns by reason"), _("Count")])
    for reason, count in sorted(report.returns.items()):
        rows.append([reason, count])
    return rows


def report_csv(report: MonthReport) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for row in _table(report):
        writer.writerow(["" if value is None else value for value in row])
    return buffer.getvalue()


def report_xlsx(report: MonthReport) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"{report.year}-{report.month:02d}"
    sheet.append([report.unit.name_fi, f"{report.month}/{report.year}"])
    for row in _table(report):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
