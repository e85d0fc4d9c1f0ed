"""Response times: working days to acknowledge and to the outcome, and the share within
the statutory deadline, per month, unit, organiser and region; call-backs."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, fields
from typing import Any

from django.utils.translation import gettext as _

from silta.analytics import names, queries, response_sql
from silta.analytics.periods import Period
from silta.analytics.scope import Scope
from silta.analytics.suppression import count, derived
from silta.analytics.tables import Table
from silta.callbacks.models import Outcome


@dataclass
class Sums:
    """Additive figures: a month's, a unit's or a region's are sums of the grouped rows."""

    received: int = 0
    acknowledged: int = 0
    days_to_acknowledge: int = 0
    acknowledged_in_time: int = 0
    completed: int = 0
    days_to_outcome: int = 0
    completed_in_time: int = 0
    overdue_open: int = 0

    def add(self, values: tuple[Any, ...]) -> None:
        for f, value in zip(fields(self), values, strict=True):
            setattr(self, f.name, getattr(self, f.name) + int(value or 0))

    def cells(self, suppressed: bool) -> list[Any]:
        def share(part: int, whole: int) -> float | None:
            return round(100 * part / whole, 1) if whole else None

        def mean(total: int, n: int) -> float | None:
            return round(total / n, 1) if n else None

        return [
            count(self.received, suppressed=suppressed),
            derived(
                share(self.acknowledged_in_time, self.received),
                self.received,
                suppressed=suppressed,
            ),
            derived(
                mean(self.days_to_acknowledge, self.acknowledged),
                self.acknowledged,
                suppressed=suppressed,
            ),
            count(self.completed, suppressed=suppressed),
            derived(
                share(self.completed_in_time, self.completed),
                self.completed,
                suppressed=suppressed,
            ),
            derived(
                mean(self.days_to_outcome, self.completed), self.completed, suppressed=suppressed
            ),
            count(self.overdue_open, suppressed=suppressed),
        ]


def _columns() -> list[str]:
    return [
        _("Received"),
        _("Acknowledged within 1 working day (%)"),
        _("Working days to acknowledge (mean)"),
        _("Completed"),
        _("Completed within deadline (%)"),
        _("Working days to outcome (mean)"),
        _("Open and overdue"),
    ]


def response_tables(
    scope: Scope, period: Period, units_named: names.UnitNames, today: dt.date
) -> list[Table]:
    rows = response_sql.response_groups(scope, period, today)
    units = units_named({r[1] for r in rows})
    by_month: dict[dt.date, Sums] = defaultdict(Sums)
    by_unit: dict[int, Sums] = defaultdict(Sums)
    by_org: dict[str, Sums] = defaultdict(Sums)
    by_region: dict[str, Sums] = defaultdict(Sums)
    for month, unit, *values in rows:
        values_t = tuple(values)
        by_month[names.month(month)].add(values_t)
        by_unit[unit].add(values_t)
        known = units.get(unit)
        by_org[known.organisation if known else "–"].add(values_t)
        by_region[known.region if known else "–"].add(values_t)
    hide = scope.suppressed
    columns = _columns()
    trend = Table(
        "response_by_month",
        _("Response times by month"),
        [_("Month"), *columns],
        chart="line",
        series=(2, 5),
    )
    for month in period.months:
        trend.rows.append([names.month_label(month), *by_month[month].cells(hide)])
    per_unit = Table(
        "response_by_unit",
        _("Response times by receiving unit"),
        [_("Unit"), _("Organisation"), *columns],
        chart="bar",
        series=(3, 6),
    )
    for unit, sums in sorted(
        by_unit.items(), key=lambda i: units[i[0]].name if i[0] in units else ""
    ):
        known = units.get(unit)
        per_unit.rows.append(
            [known.name if known else "–", known.organisation if known else "–", *sums.cells(hide)]
        )
    per_org = Table(
        "response_by_organiser",
        _("Response times by organisation"),
        [_("Organisation"), *columns],
        chart="bar",
        series=(2, 5),
    )
    for name, sums in sorted(by_org.items()):
        per_org.rows.append([name, *sums.cells(hide)])
    per_region = Table(
        "response_by_region",
        _("Response times by region"),
        [_("Region"), *columns],
        chart="bar",
        series=(2, 5),
        note=_("Regions are Kela's service areas; Kela's units are counted apart."),
    )
    for name, sums in sorted(by_region.items()):
        per_region.rows.append([name, *sums.cells(hide)])
    return [trend, per_unit, per_org, per_region]


def callback_table(scope: Scope, period: Period, units_named: names.UnitNames) -> Table:
    rows = queries.callback_groups(scope, period)
    units = units_named({r[1] for r in rows})
    outcomes = list(Outcome.values)
    per_unit: dict[int, list[int]] = defaultdict(lambda: [0] * (5 + len(outcomes)))
    for _month, unit, outcome, requests, handled, days, done, in_time in rows:
        sums = per_unit[unit]
        for i, value in enumerate((requests, handled, days, done, in_time)):
            sums[i] += int(value or 0)
        if outcome in outcomes:
            sums[5 + outcomes.index(outcome)] += int(requests)
    hide = scope.suppressed
    table = Table(
        "callbacks_by_unit",
        _("Call-back requests by handling unit"),
        [
            _("Unit"),
            _("Requests"),
            _("Working days to first handling (mean)"),
            _("Done"),
            _("Done by the promised time (%)"),
            *[str(Outcome(o).label) for o in outcomes],
        ],
        chart="bar",
        series=(1, 3),
        note=_(
            "First handling: the request was claimed or a first call attempted "
            "(Silta records the time of the first of these)."
        ),
    )
    for unit, sums in sorted(
        per_unit.items(), key=lambda i: units[i[0]].name if i[0] in units else ""
    ):
        requests, handled, days, done, in_time = sums[:5]
        known = units.get(unit)
        table.rows.append(
            [
                known.name if known else "–",
                count(requests, suppressed=hide),
                derived(round(days / handled, 1) if handled else None, handled, suppressed=hide),
                count(done, suppressed=hide),
                derived(round(100 * in_time / done, 1) if done else None, done, suppressed=hide),
                *[count(n, suppressed=hide) for n in sums[5:]],
            ]
        )
    return table
