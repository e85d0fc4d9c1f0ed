"""The figures' SQL: aggregates grouped in the database, working days as differences of
the calendar table's ordinals (``workdays.WorkingDay.n``), never counted per row in
Python. Portable between PostgreSQL and SQLite (the tests run on both).

Every statement is built from code (table names, the local-date expression, as many
placeholders as the scope has units); values go in as parameters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import connection

from silta.analytics.periods import Period
from silta.analytics.scope import Scope
from silta.callbacks.models import CallbackRequest
from silta.exchange.models import Case
from silta.referrals.models import OPEN_STATE_VALUES, Referral, ReferralEvent
from silta.workdays.models import WorkingDay
from silta.workdays.table import local_date_sql

REFERRAL = Referral._meta.db_table
EVENT = ReferralEvent._meta.db_table
CASE = Case._meta.db_table
CALLBACK = CallbackRequest._meta.db_table
CALENDAR = WorkingDay._meta.db_table


def column_in(
    column: str, ids: Sequence[int] | Sequence[str] | Sequence[dt.date]
) -> tuple[str, list[Any]]:
    if not ids:
        return "1 = 0", []
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def _either_party(scope: Scope, alias: str = "r") -> tuple[str, list[Any]]:
    """Work where a unit of the scope is either party (the whole country: everything)."""
    if scope.unit_ids is None:
        return "1 = 1", []
    sender, a = column_in(f"{alias}.sender_unit_id", scope.unit_ids)
    receiver, b = column_in(f"{alias}.receiver_unit_id", scope.unit_ids)
    return f"({sender} OR {receiver})", a + b


def when(moment: dt.datetime) -> Any:
    # Raw SQL gets the timestamp as the ORM stores it (UTC on SQLite).
    return connection.ops.adapt_datetimefield_value(moment)


def fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def response_groups_live(scope: Scope, period: Period, today: dt.date) -> list[tuple[Any, ...]]:
    """The live answer (every referral counted; the figures read
    ``response_sql.response_groups``, which must equal it). Referrals that arrived in the
    period, by (month of arrival, receiving unit):
    received, acknowledged, working days to acknowledge (sum), acknowledged within one
    working day, completed, working days to outcome (sum), completed by the due date,
    open and overdue today.

    The arrival day is never counted (DOMAIN.md §3): working days are ``n(b) - n(a)``.
    """
    where, params = _either_party(scope)
    received = local_date_sql("r.received_at")
    completed = local_date_sql("r.completed_at")
    open_states, open_params = column_in("r.status", OPEN_STATE_VALUES)
    sql = f"""
SELECT a.month, r.receiver_unit_id, COUNT(*),
       COUNT(rc.n), SUM(rc.n - a.n),
       SUM(CASE WHEN rc.n - a.n <= 1 THEN 1 ELSE 0 END),
       COUNT(cc.n), SUM(cc.n - a.n),
       SUM(CASE WHEN {completed} <= r.due_date THEN 1 ELSE 0 END),
       SUM(CASE WHEN {open_states} AND r.due_date < %s THEN 1 ELSE 0 END)
FROM {REFERRAL} r
JOIN {CALENDAR} a ON a.day = r.arrived_on
LEFT JOIN {CALENDAR} rc ON rc.day = {received}
LEFT JOIN {CALENDAR} cc ON cc.day = {completed}
WHERE r.arrived_on >= %s AND r.arrived_on < %s AND {where}
GROUP BY a.month, r.receiver_unit_id
"""  # noqa: S608
    return fetch(sql, [*open_params, today, period.first, period.end, *params])


def callback_groups(scope: Scope, period: Period) -> list[tuple[Any, ...]]:
    """Call-back requests made in the period, by (month, handling unit, outcome):
    requests, first handled (claimed or a first attempt), working days to it (sum), done,
    done by the due time."""
    where, params = _either_party(scope, "q")
    where = where.replace("q.sender_unit_id", "q.requester_unit_id").replace(
        "q.receiver_unit_id", "q.unit_id"
    )
    claimed = local_date_sql("q.claimed_at")
    sql = f"""
SELECT m.month, q.unit_id, q.outcome, COUNT(*),
       COUNT(cl.n), SUM(cl.n - m.n),
       COUNT(q.completed_at),
       SUM(CASE WHEN q.completed_at <= q.due_at THEN 1 ELSE 0 END)
FROM {CALLBACK} q
JOIN {CALENDAR} m ON m.day = {local_date_sql("q.created_at")}
LEFT JOIN {CALENDAR} cl ON cl.day = {claimed}
WHERE q.created_at >= %s AND q.created_at < %s AND {where}
GROUP BY 1, 2, 3
"""  # noqa: S608
    return fetch(sql, [when(period.start_at), when(period.end_at), *params])
