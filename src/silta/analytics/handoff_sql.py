"""The handoff figures' SQL: per event (live) and from the daily aggregates.

A handoff (pallottelu) is a return to the other organisation, a re-send of a returned
referral, or a redirect (completed as "transferred to another unit"). Its day is the
Europe/Helsinki day of the event; the same select list writes the daily aggregates
(:mod:`silta.analytics.daily`) and counts the days not aggregated, so both give the
same rows. Table names and expressions are built from code; values go in as parameters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from silta.analytics.models import HandoffClientDay, HandoffDay
from silta.analytics.queries import CALENDAR, CASE, EVENT, REFERRAL, column_in, fetch, when
from silta.analytics.scope import Scope
from silta.exchange.models import Thread
from silta.workdays.calendar import HELSINKI
from silta.workdays.table import local_date_sql

AGGREGATE = HandoffDay._meta.db_table
CLIENT_AGGREGATE = HandoffClientDay._meta.db_table

THREAD_TABLE = Thread._meta.db_table

RETURN, RESEND, REDIRECT, THREAD = "return", "resend", "redirect", "thread"
HANDOFF_KINDS = (RETURN, REDIRECT, RESEND)  # of referrals (the list behind a bar)
# A message thread about an expense kind started with the other organisation hands the
# expense over as well (issue 12); a referral's own thread is counted as the referral.
COUNTED_KINDS = (*HANDOFF_KINDS, THREAD)
OTHER = (
    "CASE WHEN t.started_by_unit_id = c.kela_unit_id THEN c.social_unit_id ELSE c.kela_unit_id END"
)
_NO_REFERRAL = f"NOT EXISTS (SELECT 1 FROM {REFERRAL} x WHERE x.thread_id = t.id)"  # noqa: S608
IS_THREAD_HANDOFF = f"t.expense_kind <> '' AND {_NO_REFERRAL}"
KIND = "CASE WHEN e.action = 'complete' THEN 'redirect' ELSE e.action END"  # HANDOFF_KINDS
IS_HANDOFF = (
    "(e.action IN ('return', 'resend') OR (e.action = 'complete' "
    "AND e.detail ->> 'outcome' = 'transferred'))"
)
# The partial index that finds these events by time (analytics migration 0001).
EVENT_INDEX_ACTIONS = ("return", "resend", "complete")

Run = tuple[dt.date, dt.date]  # first day, the day after the last


def day_start(day: dt.date) -> Any:
    return when(dt.datetime.combine(day, dt.time.min, tzinfo=HELSINKI))


def event_day() -> str:
    return local_date_sql("e.at")


def thread_day() -> str:
    return local_date_sql("t.created_at")


def event_times(runs: Sequence[Run], column: str = "e.at") -> tuple[str, list[Any]]:
    """Events in any of the runs of whole days."""
    if not runs:
        return "1 = 0", []
    parts = [f"({column} >= %s AND {column} < %s)" for _run in runs]
    params = [value for a, b in runs for value in (day_start(a), day_start(b))]
    return f"({' OR '.join(parts)})", params


def parties(scope: Scope, sender: str, receiver: str) -> tuple[str, list[Any]]:
    """Work where a unit of the scope is either party (the whole country: everything)."""
    if scope.unit_ids is None:
        return "1 = 1", []
    a_sql, a = column_in(sender, scope.unit_ids)
    b_sql, b = column_in(receiver, scope.unit_ids)
    return f"({a_sql} OR {b_sql})", a + b


# One row per (day, kind, acting unit, other unit, sender, receiver, reason, expense kind).
DAY_ROWS = f"""
SELECT {{day}}, {KIND}, e.unit_id,
       CASE WHEN e.unit_id = r.sender_unit_id THEN r.receiver_unit_id
            ELSE r.sender_unit_id END,
       r.sender_unit_id, r.receiver_unit_id,
       COALESCE(e.detail ->> 'reason', ''), r.expense_kind, COUNT(*)
FROM {EVENT} e
JOIN {REFERRAL} r ON r.id = e.referral_id
WHERE {IS_HANDOFF} AND {{times}}
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
"""  # noqa: S608
CLIENT_DAY_ROWS = f"""
SELECT {{day}}, c.client_id, r.sender_unit_id, r.receiver_unit_id, COUNT(*)
FROM {EVENT} e
JOIN {REFERRAL} r ON r.id = e.referral_id
JOIN {CASE} c ON c.id = r.case_id
WHERE {IS_HANDOFF} AND {{times}}
GROUP BY 1, 2, 3, 4
"""  # noqa: S608
THREAD_DAY_ROWS = f"""
SELECT {{day}}, '{THREAD}', t.started_by_unit_id, {OTHER}, t.started_by_unit_id, {OTHER},
       '', t.expense_kind, COUNT(*)
FROM {THREAD_TABLE} t
JOIN {CASE} c ON c.id = t.case_id
WHERE {IS_THREAD_HANDOFF} AND {{times}}
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
"""  # noqa: S608
THREAD_CLIENT_DAY_ROWS = f"""
SELECT {{day}}, c.client_id, t.started_by_unit_id, {OTHER}, COUNT(*)
FROM {THREAD_TABLE} t
JOIN {CASE} c ON c.id = t.case_id
WHERE {IS_THREAD_HANDOFF} AND {{times}}
GROUP BY 1, 2, 3, 4
"""  # noqa: S608


@dataclass(frozen=True)
class Split:
    """Which days of a period come from the aggregates and which are counted live."""

    aggregated: Run | None  # the aggregate rows of these days...
    excluded: tuple[dt.date, ...]  # ...except these (built, but stale)
    live: tuple[Run, ...]  # the events of these days


def _aggregated(split: Split, scope: Scope) -> tuple[str, list[Any]]:
    if split.aggregated is None:
        return "1 = 0", []
    first, end = split.aggregated
    excluded, ex_params = column_in("a.day", split.excluded) if split.excluded else ("1 = 0", [])
    where, params = parties(scope, "a.sender_id", "a.receiver_id")
    return (
        f"a.day >= %s AND a.day < %s AND NOT ({excluded}) AND {where}",
        [first, end, *ex_params, *params],
    )


def groups(scope: Scope, split: Split) -> list[tuple[Any, ...]]:
    """Handoffs by (month, kind, acting unit, other unit, reason, expense kind): count,
    from the aggregates of the days built and the events of the others."""
    aggregated, agg_params = _aggregated(split, scope)
    times, time_params = event_times(split.live)
    live_scope, live_params = parties(scope, "r.sender_unit_id", "r.receiver_unit_id")
    thread_times, thread_params = _thread_live(scope, split)
    sql = f"""
SELECT month, kind, unit, other, reason, expense, SUM(n) FROM (
  SELECT m.month AS month, a.kind AS kind, a.unit_id AS unit, a.other_id AS other,
         a.reason AS reason, a.expense_kind AS expense, a.handoffs AS n
  FROM {AGGREGATE} a JOIN {CALENDAR} m ON m.day = a.day
  WHERE {aggregated}
  UNION ALL
  SELECT m.month, {KIND}, e.unit_id,
         CASE WHEN e.unit_id = r.sender_unit_id THEN r.receiver_unit_id
              ELSE r.sender_unit_id END,
         COALESCE(e.detail ->> 'reason', ''), r.expense_kind, 1
  FROM {EVENT} e
  JOIN {REFERRAL} r ON r.id = e.referral_id
  JOIN {CALENDAR} m ON m.day = {event_day()}
  WHERE {IS_HANDOFF} AND {times} AND {live_scope}
  UNION ALL
  SELECT m.month, '{THREAD}', t.started_by_unit_id, {OTHER}, '', t.expense_kind, 1
  FROM {THREAD_TABLE} t
  JOIN {CASE} c ON c.id = t.case_id
  JOIN {CALENDAR} m ON m.day = {thread_day()}
  WHERE {IS_THREAD_HANDOFF} AND {thread_times}
) handoffs
GROUP BY month, kind, unit, other, reason, expense
"""  # noqa: S608
    params = [*agg_params, *time_params, *live_params, *thread_params]
    return fetch(sql, params)


def per_client(scope: Scope, split: Split) -> list[tuple[int, int]]:
    """(handoffs of one client in the period, clients with that many)."""
    aggregated, agg_params = _aggregated(split, scope)
    times, time_params = event_times(split.live)
    live_scope, live_params = parties(scope, "r.sender_unit_id", "r.receiver_unit_id")
    thread_times, thread_params = _thread_live(scope, split)
    sql = f"""
SELECT k, COUNT(*) FROM (
  SELECT client, SUM(n) AS k FROM (
    SELECT a.client_id AS client, a.handoffs AS n
    FROM {CLIENT_AGGREGATE} a
    WHERE {aggregated}
    UNION ALL
    SELECT c.client_id, 1
    FROM {EVENT} e
    JOIN {REFERRAL} r ON r.id = e.referral_id
    JOIN {CASE} c ON c.id = r.case_id
    WHERE {IS_HANDOFF} AND {times} AND {live_scope}
    UNION ALL
    SELECT c.client_id, 1
    FROM {THREAD_TABLE} t
    JOIN {CASE} c ON c.id = t.case_id
    WHERE {IS_THREAD_HANDOFF} AND {thread_times}
  ) handoffs
  GROUP BY client
) per_client
GROUP BY k
"""  # noqa: S608
    params = [*agg_params, *time_params, *live_params, *thread_params]
    return [(int(k), int(n)) for k, n in fetch(sql, params)]


def _thread_live(scope: Scope, split: Split) -> tuple[str, list[Any]]:
    """The threads of the live days: when and whose (both in the statement's order)."""
    times, params = event_times(split.live, "t.created_at")
    where, scope_params = parties(scope, "t.started_by_unit_id", OTHER)
    return f"{times} AND {where}", [*params, *scope_params]


def stale_days(since: Any, first: dt.date, end: dt.date) -> set[dt.date]:
    """Days in ``first`` .. ``end`` with handoffs of a referral whose expense kind a return
    at or after ``since`` may have renamed (a return records the guide entry it relies
    on on the referral): their aggregates hold the kind as it was."""
    sql = f"""
SELECT DISTINCT {event_day()}
FROM {EVENT} e
WHERE {IS_HANDOFF} AND e.at >= %s AND e.at < %s AND e.referral_id IN (
  SELECT n.referral_id FROM {EVENT} n
  WHERE n.action = 'return' AND n.at >= %s AND n.detail ->> 'expense_kind' IS NOT NULL
)
"""  # noqa: S608
    rows = fetch(sql, [day_start(first), day_start(end), when(since)])
    return {_as_date(day) for (day,) in rows}


def first_handoff_day() -> dt.date | None:
    """The Helsinki day of the earliest handoff or thread counted (None: there is none)."""
    firsts = [
        fetch(
            f"SELECT MIN(e.at) FROM {EVENT} e "  # noqa: S608
            f"WHERE e.action IN ('return', 'resend', 'complete') AND {IS_HANDOFF}",
            [],
        ),
        fetch(f"SELECT MIN(t.created_at) FROM {THREAD_TABLE} t WHERE t.expense_kind <> ''", []),  # noqa: S608
    ]
    moments = [_as_moment(rows[0][0]) for rows in firsts if rows[0][0] is not None]
    return min(m.astimezone(HELSINKI).date() for m in moments) if moments else None


def _as_moment(value: Any) -> dt.datetime:
    """A timestamp as raw SQL returns it (a naive UTC text on SQLite)."""
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
