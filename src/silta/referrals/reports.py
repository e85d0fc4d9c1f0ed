"""The manager's monthly deadline report (the monitoring THL runs, Totul 27 c §):
received, acknowledged within one working day, completed within the deadline, median
time to outcome, returns by reason. CSV and XLSX with the same rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics
from dataclasses import dataclass, field

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
from silta.workdays.calendar import (
    HELSINKI,
    local_date,
    working_days_between,
)


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


def _add(figures: TypeFigures, referral: Referral) -> None:
    figures.received += 1
    # The arrival day is never counted, whatever day it is (DOMAIN.md §3).
    arrived = referral.arrived_on
    if (
        referral.received_at
        and working_days_between(arrived, local_date(referral.received_at)) <= 1
    ):
        figures.acknowledged_in_time += 1
    if referral.completed_at:
        done = local_date(referral.completed_at)
        figures.completed += 1
        figures.completed_in_time += done <= referral.due_date
        figures.working_days_to_outcome.append(working_days_between(arrived, done))


def monthly_report(*, actor: Actor, unit: Unit, year: int, month: int) -> MonthReport:
    """Figures for referrals the unit received in the month (Europe/Helsinki)."""
    if unit.pk not in actor.units_with(Perm.UNIT_LOAD_VIEW):
        raise deny(
            actor,
            message=_("Only the unit's manager can see its report."),
            detail={"report": unit.pk},
        )
    start, end = _month_bounds(year, month)
    referrals = Referral.objects.filter(
        receiver_unit=unit, sent_at__gte=start, sent_at__lt=end
    ).only("type", "arrived_on", "received_at", "completed_at", "due_date")
    by_type = {t: TypeFigures(t) for t in ReferralType.values}
    total = TypeFigures("total")
    for referral in referrals.iterator(chunk_size=2000):
        _add(by_type[referral.type], referral)
        _add(total, referral)
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
