"""The deadline monitoring THL runs twice a year (Totul 27 c §), for a whole organiser:
every unit of it, for April and October of a year, in the categories of the monitoring.

- 14 a §: applications (forwarded applications and other referrals under the 7 working
  day decision rule, also after completion) decided by the 7th working day;
- 14 b §: urgent cases decided the same or the next working day;
- 14 d §: personal meetings arranged by the 7th working day after the client asked.

Per month and category: arrived, decided, decided within the deadline, decided late, still
undecided past the deadline at the month's end, and the mean working days to decision
(the calendar table, as the dashboard). One number format: a decimal point, no thousands
separators, so every file from every organiser reads the same.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from silta.accounts.actor import Actor
from silta.analytics import permissions
from silta.analytics.queries import CALENDAR, REFERRAL, column_in, fetch
from silta.analytics.tables import Table
from silta.audit.denial import deny
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.organisations.models import Organisation, Unit
from silta.workdays.table import local_date_sql

MONTHS = (4, 10)
# Statutory rule -> THL category; urgent referrals go to 14 b whatever their rule.
CATEGORY_OF_RULE = {
    "totul_14a_decision": "14a",
    "totul_14a_after_completion": "14a",
    "totul_14b_urgent": "14b",
    "totul_14d_meeting": "14d",
}
CATEGORIES = ("14a", "14b", "14d")


def _labels() -> dict[str, str]:
    return {
        "14a": _("Applications decided by the 7th working day (Totul 14 a §)"),
        "14b": _("Urgent cases decided the same or next working day (Totul 14 b §)"),
        "14d": _("Personal meetings by the 7th working day (Totul 14 d §)"),
    }


@dataclass
class Monitoring:
    organisation: Organisation
    year: int
    table: Table


def _sql(units: list[int]) -> tuple[str, list[object]]:
    rules, rule_params = column_in("r.deadline_rule", list(CATEGORY_OF_RULE))
    receivers, unit_params = column_in("r.receiver_unit_id", units)
    completed = local_date_sql("r.completed_at")
    sql = f"""
SELECT a.month, r.deadline_rule, r.urgent, COUNT(*), COUNT(cc.n),
       SUM(CASE WHEN {completed} <= r.due_date THEN 1 ELSE 0 END),
       SUM(CASE WHEN cc.n IS NULL AND r.due_date < %s THEN 1 ELSE 0 END),
       SUM(cc.n - a.n)
FROM {REFERRAL} r
JOIN {CALENDAR} a ON a.day = r.arrived_on
LEFT JOIN {CALENDAR} cc ON cc.day = {completed}
WHERE a.month = %s AND {rules} AND {receivers}
GROUP BY 1, 2, 3
"""  # noqa: S608
    return sql, [*rule_params, *unit_params]


def thl_monitoring(*, actor: Actor, organisation: Organisation, year: int) -> Monitoring:
    """April and October of ``year`` for every unit of the organiser (audited export)."""
    if not permissions.can_view_organisation(actor, organisation.pk):
        raise deny(actor, hide=True, detail={"analytics": "thl", "organisation": organisation.pk})
    units = list(Unit.objects.filter(organisation=organisation).values_list("pk", flat=True))
    april, october = dt.date(year, 4, 1), dt.date(year, 10, 1)
    sql, params = _sql(units)
    # Undecided past the deadline as of the month's end (31 October: 1 November).
    month_end = {april: dt.date(year, 5, 1), october: dt.date(year, 11, 1)}
    sums: dict[tuple[dt.date, str], list[int]] = {
        (m, c): [0] * 5 for m in (april, october) for c in CATEGORIES
    }
    for month, end in month_end.items():
        for _m, rule, urgent, arrived, decided, in_time, late_open, days in fetch(
            sql, [end, month, *params]
        ):
            category = "14b" if urgent and rule != "totul_14d_meeting" else CATEGORY_OF_RULE[rule]
            target = sums[(month, category)]
            for i, value in enumerate((arrived, decided, in_time, late_open, days)):
                target[i] += int(value or 0)
    table = Table(
        "thl_27c",
        _("Deadline monitoring (Totul 27 c §)"),
        [
            _("Month"),
            _("Category"),
            _("Arrived"),
            _("Decided"),
            _("Decided within the deadline"),
            _("Decided late"),
            _("Undecided past the deadline at the month's end"),
            _("Decided within the deadline (%)"),
            _("Working days to decision (mean)"),
        ],
    )
    labels = _labels()
    for (month, category), (arrived, decided, in_time, late_open, days) in sums.items():
        table.rows.append(
            [
                f"{month:%Y-%m}",
                labels[category],
                arrived,
                decided,
                in_time,
                decided - in_time,
                late_open,
                round(100 * in_time / decided, 1) if decided else None,
                round(days / decided, 1) if decided else None,
            ]
        )
    record(
        actor=actor,
        action=AuditAction.EXPORT,
        unit_id=min(actor.unit_ids) if actor.unit_ids else None,
        detail={"report": "thl_27c", "organisation": str(organisation.public_id), "year": year},
    )
    return Monitoring(organisation, year, table)
