"""The response figures' SQL: from the daily aggregates (:class:`ResponseDay`) for the
settled referrals of the days built, and from the referrals for every other one.

A referral counts by its arrival day. Its figures change after that day (the receipt,
the outcome, a return and re-send moving its arrival), but not once it is settled:
completed, rejected or cancelled have no transition out (``referrals.state``), and a
settled referral is never open, so never "open and overdue". So a built day's aggregate
holds the referrals settled before the day's ``built_at`` (the same instant is written
on the :class:`BuiltDay` row), and the live part counts exactly the others: on a day not
built, not settled, or settled at or after ``built_at``. Both parts use the same
expressions, so the sum is the live answer (``queries.response_groups_live``;
``tests/test_response_days.py`` compares them over a generated history).

Assumed, as for the handoff aggregates: a closing transaction commits within
``daily.MARGIN`` of the time it records, and a data migration that rewrites settled
referrals rebuilds the days it touched (``manage.py analytics_daily --from --to``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from silta.analytics.coverage import runs as coverage_runs
from silta.analytics.handoff_sql import parties
from silta.analytics.models import BuiltDay, ResponseDay
from silta.analytics.periods import Period
from silta.analytics.queries import CALENDAR, REFERRAL, column_in, fetch, when
from silta.analytics.scope import Scope
from silta.referrals.models import OPEN_STATE_VALUES
from silta.referrals.state import Status
from silta.workdays.table import local_date_sql

RESPONSE_AGGREGATE = ResponseDay._meta.db_table
BUILT = BuiltDay._meta.db_table
# No transition leaves these (a returned referral may be sent again: not settled).
SETTLED = (Status.COMPLETED.value, Status.REJECTED.value, Status.CANCELLED.value)

RESPONSE_COLUMNS = (
    "day, receiver_id, sender_id, received, acknowledged, days_to_acknowledge, "
    "acknowledged_in_time, completed, days_to_outcome, completed_in_time"
)


def _sums() -> str:
    """The per-referral terms (working days as calendar-ordinal differences: the arrival
    day is never counted, DOMAIN.md §3)."""
    completed = local_date_sql("r.completed_at")
    return f"""
       CASE WHEN rc.n IS NULL THEN 0 ELSE 1 END AS acknowledged,
       COALESCE(rc.n - a.n, 0) AS days_ack,
       CASE WHEN rc.n - a.n <= 1 THEN 1 ELSE 0 END AS ack_in_time,
       CASE WHEN cc.n IS NULL THEN 0 ELSE 1 END AS completed,
       COALESCE(cc.n - a.n, 0) AS days_out,
       CASE WHEN {completed} <= r.due_date THEN 1 ELSE 0 END AS out_in_time"""


def _joins() -> str:
    received = local_date_sql("r.received_at")
    completed = local_date_sql("r.completed_at")
    return f"""
FROM {REFERRAL} r
JOIN {CALENDAR} a ON a.day = r.arrived_on
LEFT JOIN {CALENDAR} rc ON rc.day = {received}
LEFT JOIN {CALENDAR} cc ON cc.day = {completed}"""


def response_day_rows(first: dt.date, end: dt.date, built_at: dt.datetime) -> tuple[str, list[Any]]:
    """INSERT of the aggregates of the arrival days ``first`` .. ``end`` (exclusive): the
    referrals settled before ``built_at``."""
    settled, settled_params = column_in("r.status", SETTLED)
    sql = f"""
INSERT INTO {RESPONSE_AGGREGATE} ({RESPONSE_COLUMNS})
SELECT day, receiver, sender, COUNT(*), SUM(acknowledged), SUM(days_ack), SUM(ack_in_time),
       SUM(completed), SUM(days_out), SUM(out_in_time)
FROM (
  SELECT r.arrived_on AS day, r.receiver_unit_id AS receiver, r.sender_unit_id AS sender,
  {_sums()}
  {_joins()}
  WHERE r.arrived_on >= %s AND r.arrived_on < %s AND {settled} AND r.closed_at < %s
) settled
GROUP BY day, receiver, sender
"""  # noqa: S608
    return sql, [first, end, *settled_params, when(built_at)]


def _built(period: Period) -> dict[dt.date, Any]:
    return dict(
        BuiltDay.objects.filter(day__gte=period.first, day__lt=period.end).values_list(
            "day", "built_at"
        )
    )


def _live_parts(period: Period, built: dict[dt.date, Any]) -> tuple[str, list[Any]]:
    """The referrals counted live, as four disjoint parts each served by an index
    (analytics migration 0004): not settled; settled without a time (never written so by
    Silta, counted to be safe); settled, arrived on a day not built; settled at or after
    its arrival day's build (bounded by the oldest build of the period: the refresh keeps
    that recent, see ``daily.aggregates_refresh``)."""
    settled, settled_params = column_in("r.status", SETTLED)
    period_days = "r.arrived_on >= %s AND r.arrived_on < %s"
    days = [period.first, period.end]
    unbuilt = [d for d in _days(period) if d not in built]
    runs = coverage_runs(unbuilt)
    unbuilt_sql = " OR ".join("(r.arrived_on >= %s AND r.arrived_on < %s)" for _ in runs)
    parts = [
        (f"{settled.replace(' IN (', ' NOT IN (')} AND {period_days}", [*settled_params, *days]),
        (f"{settled} AND r.closed_at IS NULL AND {period_days}", [*settled_params, *days]),
        (
            f"{settled} AND ({unbuilt_sql or '1 = 0'})",
            [*settled_params, *[d for run in runs for d in run]],
        ),
    ]
    if built:
        parts.append(
            (
                f"{settled} AND r.closed_at >= %s AND {period_days} AND EXISTS ("  # noqa: S608
                f"SELECT 1 FROM {BUILT} b WHERE b.day = r.arrived_on "
                "AND r.closed_at >= b.built_at)",
                [*settled_params, when(min(built.values())), *days],
            )
        )
    return " OR ".join(f"({sql})" for sql, _p in parts), [p for _s, ps in parts for p in ps]


def _days(period: Period) -> list[dt.date]:
    days, day = [], period.first
    while day < period.end:
        days.append(day)
        day += dt.timedelta(days=1)
    return days


def response_groups(scope: Scope, period: Period, today: dt.date) -> list[tuple[Any, ...]]:
    """The rows of ``queries.response_groups_live`` (month, receiving unit, the eight
    sums), from the aggregates of the days built and the referrals counted live."""
    agg_scope, agg_params = parties(scope, "x.sender_id", "x.receiver_id")
    live_scope, live_params = parties(scope, "r.sender_unit_id", "r.receiver_unit_id")
    open_states, open_params = column_in("r.status", OPEN_STATE_VALUES)
    built = _built(period)
    live_sql, live_parts = _live_parts(period, built)
    # The aggregate rows of the days built (read by their runs: the scope's unit indexes).
    built_runs = coverage_runs(built)
    built_sql = " OR ".join("(x.day >= %s AND x.day < %s)" for _ in built_runs) or "1 = 0"
    sql = f"""
SELECT month, unit, SUM(received), SUM(acknowledged), SUM(days_ack), SUM(ack_in_time),
       SUM(completed), SUM(days_out), SUM(out_in_time), SUM(overdue)
FROM (
  SELECT m.month AS month, x.receiver_id AS unit, x.received AS received,
         x.acknowledged AS acknowledged, x.days_to_acknowledge AS days_ack,
         x.acknowledged_in_time AS ack_in_time, x.completed AS completed,
         x.days_to_outcome AS days_out, x.completed_in_time AS out_in_time, 0 AS overdue
  FROM {RESPONSE_AGGREGATE} x
  JOIN {CALENDAR} m ON m.day = x.day
  WHERE ({built_sql}) AND {agg_scope}
  UNION ALL
  SELECT a.month, r.receiver_unit_id, 1, {_sums()},
         CASE WHEN {open_states} AND r.due_date < %s THEN 1 ELSE 0 END
  {_joins()}
  WHERE ({live_sql}) AND {live_scope}
) responses
GROUP BY month, unit
"""  # noqa: S608
    params = [
        *[d for run in built_runs for d in run],
        *agg_params,
        *open_params,
        today,
        *live_parts,
        *live_params,
    ]
    return fetch(sql, params)


def settled_days_since(since: Any, today: dt.date) -> set[dt.date]:
    """Arrival days (before today) of referrals settled at or after ``since``: the
    refresh rewrites them so that those referrals leave the live part."""
    settled, params = column_in("r.status", SETTLED)
    sql = (
        f"SELECT DISTINCT r.arrived_on FROM {REFERRAL} r "  # noqa: S608
        f"WHERE r.closed_at >= %s AND r.arrived_on < %s AND {settled}"
    )
    rows = fetch(sql, [when(since), today, *params])
    return {d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)) for (d,) in rows}
