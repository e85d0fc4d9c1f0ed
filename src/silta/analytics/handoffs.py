"""Handoff figures (pallottelu): returns, redirects and re-sends of referrals, and message
threads about an expense kind started with the other organisation, by month, unit pair,
reason (returns), expense kind and client."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from silta.analytics import handoff_sql, names
from silta.analytics.coverage import period_split
from silta.analytics.handoff_sql import COUNTED_KINDS, REDIRECT, RESEND, RETURN, THREAD
from silta.analytics.periods import Period
from silta.analytics.scope import Scope
from silta.analytics.suppression import count
from silta.analytics.tables import Table

TOP_PAIRS = 20
CLIENT_BUCKETS = ((1, 1, "1"), (2, 2, "2"), (3, 4, "3–4"), (5, None, "5+"))


def _kind_columns() -> list[str]:
    labels = {
        RETURN: _("Returns"),
        REDIRECT: _("Redirects"),
        RESEND: _("Re-sends"),
        THREAD: _("Message threads"),
    }
    return [labels[k] for k in COUNTED_KINDS] + [_("All handoffs")]


def _counts(per_kind: dict[str, int], suppressed: bool) -> list[Any]:
    values = [per_kind.get(k, 0) for k in COUNTED_KINDS]
    return [count(v, suppressed=suppressed) for v in [*values, sum(values)]]


def _drill(scope: Scope, period: Period, unit: names.UnitName | None, **extra: str) -> str | None:
    """The list behind a bar: only for a unit whose items the actor may list."""
    if unit is None or unit.pk not in scope.drill_units:
        return None
    query = {"unit": unit.public_id, "from": f"{period.first:%Y-%m}", "to": f"{period.last:%Y-%m}"}
    return urlencode({**query, **{k: v for k, v in extra.items() if v}})


def handoff_tables(
    scope: Scope, period: Period, units_named: names.UnitNames, today: dt.date
) -> list[Table]:
    # Stale days are counted live for both statements (exact for the clients' too).
    split = period_split(period.first, period.end, today)
    rows = handoff_sql.groups(scope, split)
    units = units_named({r[2] for r in rows} | {r[3] for r in rows})
    by_month: dict[Any, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_pair: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_reason: dict[str, int] = defaultdict(int)
    by_kind: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for month, kind, unit, other, reason, expense, n in rows:
        by_month[names.month(month)][kind] += n
        by_pair[(unit, other)][kind] += n
        by_kind[expense or ""][kind] += n
        if kind == RETURN:
            by_reason[reason] += n
    hide = scope.suppressed
    kinds = _kind_columns()
    trend = Table(
        "handoffs_by_month",
        _("Handoffs by month"),
        [_("Month"), *kinds],
        chart="line",
        series=(1, 2, 3, 4),
    )
    for month in period.months:
        trend.rows.append([names.month_label(month), *_counts(by_month.get(month, {}), hide)])
    pairs = Table(
        "handoffs_by_pair",
        _("Handoffs by unit pair"),
        [_("Unit that handed it off"), _("Other unit"), *kinds],
        chart="bar",
        series=(2, 3, 4, 5),
        note=_("The twenty pairs with the most handoffs."),
    )
    ranked = sorted(by_pair.items(), key=lambda item: (-sum(item[1].values()), item[0]))[:TOP_PAIRS]
    for (unit, other), per_kind in ranked:
        acting, counterpart = units.get(unit), units.get(other)
        pairs.rows.append(
            [
                acting.name if acting else "–",
                counterpart.name if counterpart else "–",
                *_counts(per_kind, hide),
            ]
        )
        own = acting if acting and acting.pk in scope.drill_units else counterpart
        pairs.drill.append(
            _drill(
                scope,
                period,
                own,
                other=(counterpart if own is acting else acting).public_id
                if acting and counterpart
                else "",
            )
        )
    reasons = Table(
        "returns_by_reason",
        _("Returns by reason"),
        [_("Reason"), _("Returns")],
        chart="bar",
        series=(1,),
    )
    drill_unit = _single_drill_unit(scope, units_named)
    for reason, n in sorted(
        by_reason.items(), key=lambda item: (-item[1], names.reason_label(item[0]))
    ):
        reasons.rows.append([names.reason_label(reason), count(n, suppressed=hide)])
        reasons.drill.append(_drill(scope, period, drill_unit, kind=RETURN, reason=reason))
    expense = Table(
        "handoffs_by_expense_kind",
        _("Handoffs by expense kind"),
        [_("Expense kind"), *kinds],
        chart="bar",
        series=(1, 2, 3, 4),
        note=_(
            "Message threads: conversations about an expense kind started with the other "
            "organisation (a referral's own thread is counted as the referral). The list "
            "behind a bar shows referrals."
        ),
    )
    for code, per_kind in sorted(
        by_kind.items(), key=lambda item: (-sum(item[1].values()), names.expense_label(item[0]))
    ):
        expense.rows.append([names.expense_label(code), *_counts(per_kind, hide)])
        expense.drill.append(_drill(scope, period, drill_unit, expense_kind=code or "none"))
    return [trend, pairs, reasons, expense, _per_client(scope, split)]


def _single_drill_unit(scope: Scope, units_named: names.UnitNames) -> names.UnitName | None:
    """A unit view's own unit: its bars by reason and expense kind list its items."""
    if scope.kind != "unit" or not scope.drill_units:
        return None
    (pk,) = tuple(scope.drill_units)
    return units_named([pk]).get(pk)


def _per_client(scope: Scope, split: handoff_sql.Split) -> Table:
    table = Table(
        "handoffs_per_client",
        _("Clients by their number of handoffs"),
        [_("Handoffs of one client"), _("Clients")],
        chart="bar",
        series=(1,),
    )
    found = handoff_sql.per_client(scope, split)
    for low, high, label in CLIENT_BUCKETS:
        n = sum(c for k, c in found if k >= low and (high is None or k <= high))
        table.rows.append([label, count(n, suppressed=scope.suppressed)])
    return table
