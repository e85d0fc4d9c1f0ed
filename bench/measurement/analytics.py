"""The analytics dashboards (issue 12): an organiser's 12-month dashboard and a region's,
through Silta's real ``dashboard_get`` and as hand-written SQL over the same data.

Both sides count the same things: handoffs by month and kind (message threads about an
expense kind started with the other organisation among them), clients by their number of
handoffs, referrals by month and by receiving unit (received, completed, open and overdue),
call-back requests by handling unit; working days as differences of the calendar table's
ordinals. The region view hides counts under 5 on both sides. Compared: those counts.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

import psycopg
from django.db import connection

from bench.measurement.cases import AUDIT_SQL, REQUEST_ID, SOURCE_ADDRESS, Operation

OPEN_STATES = ["requested", "received", "accepted", "in_progress", "on_hold"]
LOCAL = "AT TIME ZONE 'Europe/Helsinki'"

HANDOFFS_SQL = f"""
SELECT m.month, CASE WHEN e.action = 'complete' THEN 'redirect' ELSE e.action END, count(*)
FROM referrals_referralevent e
JOIN referrals_referral r ON r.id = e.referral_id
JOIN workdays_workingday m ON m.day = (e.at {LOCAL})::date
WHERE (e.action IN ('return', 'resend')
       OR (e.action = 'complete' AND e.detail ->> 'outcome' = 'transferred'))
  AND e.at >= %(start)s AND e.at < %(end)s
  AND (r.sender_unit_id = ANY(%(units)s) OR r.receiver_unit_id = ANY(%(units)s))
GROUP BY 1, 2
UNION ALL
SELECT m.month, 'thread', count(*)
FROM exchange_thread t
JOIN exchange_case c ON c.id = t.case_id
JOIN workdays_workingday m ON m.day = (t.created_at {LOCAL})::date
WHERE t.expense_kind <> ''
  AND NOT EXISTS (SELECT 1 FROM referrals_referral x WHERE x.thread_id = t.id)
  AND t.created_at >= %(start)s AND t.created_at < %(end)s
  AND (c.kela_unit_id = ANY(%(units)s) OR c.social_unit_id = ANY(%(units)s))
GROUP BY 1
"""
PER_CLIENT_SQL = """
SELECT k, count(*) FROM (
  SELECT client_id, count(*) AS k FROM (
    SELECT c.client_id
    FROM referrals_referralevent e
    JOIN referrals_referral r ON r.id = e.referral_id
    JOIN exchange_case c ON c.id = r.case_id
    WHERE (e.action IN ('return', 'resend')
           OR (e.action = 'complete' AND e.detail ->> 'outcome' = 'transferred'))
      AND e.at >= %(start)s AND e.at < %(end)s
      AND (r.sender_unit_id = ANY(%(units)s) OR r.receiver_unit_id = ANY(%(units)s))
    UNION ALL
    SELECT c.client_id
    FROM exchange_thread t
    JOIN exchange_case c ON c.id = t.case_id
    WHERE t.expense_kind <> ''
      AND NOT EXISTS (SELECT 1 FROM referrals_referral x WHERE x.thread_id = t.id)
      AND t.created_at >= %(start)s AND t.created_at < %(end)s
      AND (c.kela_unit_id = ANY(%(units)s) OR c.social_unit_id = ANY(%(units)s))
  ) handoffs
  GROUP BY 1) per_client
GROUP BY 1
"""
RESPONSES_SQL = f"""
SELECT a.month, u.id, u.name_fi, count(*), count(cc.n),
       count(*) FILTER (WHERE r.status = ANY(%(open)s) AND r.due_date < %(today)s),
       sum(rc.n - a.n), count(*) FILTER (WHERE rc.n - a.n <= 1), sum(cc.n - a.n),
       count(*) FILTER (WHERE (r.completed_at {LOCAL})::date <= r.due_date)
FROM referrals_referral r
JOIN organisations_unit u ON u.id = r.receiver_unit_id
JOIN workdays_workingday a ON a.day = r.arrived_on
LEFT JOIN workdays_workingday rc ON rc.day = (r.received_at {LOCAL})::date
LEFT JOIN workdays_workingday cc ON cc.day = (r.completed_at {LOCAL})::date
WHERE r.arrived_on >= %(first)s AND r.arrived_on < %(after)s
  AND (r.sender_unit_id = ANY(%(units)s) OR r.receiver_unit_id = ANY(%(units)s))
GROUP BY 1, 2, 3
"""
CALLBACKS_SQL = f"""
SELECT u.id, u.name_fi, count(*)
FROM callbacks_callbackrequest q
JOIN organisations_unit u ON u.id = q.unit_id
JOIN workdays_workingday m ON m.day = (q.created_at {LOCAL})::date
WHERE q.created_at >= %(start)s AND q.created_at < %(end)s
  AND (q.requester_unit_id = ANY(%(units)s) OR q.unit_id = ANY(%(units)s))
GROUP BY 1, 2
"""
BULLETINS_SQL = """
SELECT DISTINCT b.id, b.published_at FROM knowledge_bulletin b
JOIN organisations_unit p ON p.id = b.publisher_unit_id
LEFT JOIN knowledge_bulletin_organisations bo ON bo.bulletin_id = b.id
WHERE b.published_at >= %(start)s AND b.published_at < %(end)s
  AND (p.organisation_id = ANY(%(organisations)s) OR bo.organisation_id = ANY(%(organisations)s))
ORDER BY b.published_at DESC LIMIT 20
"""
KINDS = ("return", "redirect", "resend", "thread")
BUCKETS = ((1, 1), (2, 2), (3, 4), (5, None))


@dataclass(frozen=True)
class AnalyticsSubjects:
    organiser: Any  # organisations.Organisation with the most referrals
    region: str  # its Kela service area code
    analyst: Any  # silta.accounts.actor.Actor: its organisation administrator or a manager
    analyst_unit: int
    first: dt.date  # the first day of the first of the 12 months
    last: dt.date  # the first day of the last month
    units: list[int]  # the organiser's units
    region_units: list[int]


def pick_analytics_subjects() -> AnalyticsSubjects:
    from silta.accounts.actor import Actor
    from silta.accounts.models import User
    from silta.analytics.daily import aggregates_build
    from silta.analytics.scope import organiser_regions
    from silta.organisations.models import Organisation, Unit
    from silta.workdays.calendar import today

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT u.organisation_id FROM referrals_referral r "
            "JOIN organisations_unit u ON u.id = r.receiver_unit_id "
            "JOIN organisations_organisation o ON o.id = u.organisation_id "
            "WHERE o.kind = 'social_services' AND EXISTS (SELECT 1 FROM accounts_membership m "
            "JOIN organisations_unit mu ON mu.id = m.unit_id WHERE m.role = 'unit_manager' "
            "AND mu.organisation_id = u.organisation_id) "
            "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        )
        (organisation_id,) = cursor.fetchone() or (None,)
        cursor.execute(
            "SELECT m.user_id, m.unit_id FROM accounts_membership m "
            "JOIN organisations_unit u ON u.id = m.unit_id "
            "WHERE u.organisation_id = %s AND m.role = 'unit_manager' ORDER BY m.id LIMIT 1",
            [organisation_id],
        )
        user_id, unit_id = cursor.fetchone() or (None, None)
    organiser = Organisation.objects.get(pk=organisation_id)
    region = organiser_regions()[organiser.organiser_code]
    codes = [code for code, area in organiser_regions().items() if area == region]
    last = today().replace(day=1) - dt.timedelta(days=1)
    last = last.replace(day=1)
    first = dt.date(last.year - 1 + (last.month == 12), last.month % 12 + 1, 1)
    # The worker's daily handoff aggregates up to yesterday (today is counted live).
    clock = time.perf_counter()
    built = aggregates_build(first, today() - dt.timedelta(days=1))
    print(f"analytics aggregates: {built} days built in {time.perf_counter() - clock:.1f} s")
    return AnalyticsSubjects(
        organiser=organiser,
        region=region,
        analyst=Actor.for_user(User.objects.get(pk=user_id)),
        analyst_unit=unit_id,
        first=first,
        last=last,
        units=list(Unit.objects.filter(organisation=organiser).values_list("pk", flat=True)),
        region_units=list(
            Unit.objects.filter(organisation__organiser_code__in=codes).values_list("pk", flat=True)
        ),
    )


def _shown(n: int, suppressed: bool) -> Any:
    return "<5" if suppressed and 0 < n < 5 else n


def _canonical(board: Any) -> list[Any]:
    def rows(key: str) -> list[list[Any]]:
        return board.table(key).rows

    return [
        [r[1:] for r in rows("handoffs_by_month")],
        [r[1] for r in rows("handoffs_per_client")],
        [[r[1], r[4], r[7]] for r in rows("response_by_month")],
        sorted([r[0], r[2], r[5], r[8]] for r in rows("response_by_unit")),
        sorted([r[0], r[1]] for r in rows("callbacks_by_unit")),
    ]


def real_dashboard(s: AnalyticsSubjects, scope: str, key: str) -> list[Any]:
    from silta.analytics.dashboard import dashboard_get

    board = dashboard_get(
        actor=s.analyst, scope=scope, key=key, first=f"{s.first:%Y-%m}", last=f"{s.last:%Y-%m}"
    )
    return _canonical(board)


def _months(s: AnalyticsSubjects) -> list[dt.date]:
    months, month = [], s.first
    while month <= s.last:
        months.append(month)
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def raw_dashboard(
    conn: psycopg.Connection[Any], s: AnalyticsSubjects, units: list[int], hide: bool, audit: bool
) -> list[Any]:
    from silta.workdays.calendar import HELSINKI, today

    organisations = [
        row[0]
        for row in conn.execute(
            "SELECT DISTINCT organisation_id FROM organisations_unit WHERE id = ANY(%s)", [units]
        )
    ]

    months = _months(s)
    after = dt.date(s.last.year + s.last.month // 12, s.last.month % 12 + 1, 1)
    params = {
        "units": units,
        "start": dt.datetime.combine(s.first, dt.time.min, tzinfo=HELSINKI),
        "end": dt.datetime.combine(after, dt.time.min, tzinfo=HELSINKI),
        "first": s.first,
        "after": after,
        "open": OPEN_STATES,
        "today": today(),
        "organisations": organisations,
    }
    handoffs: dict[tuple[dt.date, str], int] = {}
    for month, kind, n in conn.execute(HANDOFFS_SQL, params):
        handoffs[(month, kind)] = n
    by_month = []
    for month in months:
        values = [handoffs.get((month, kind), 0) for kind in KINDS]
        by_month.append([_shown(v, hide) for v in [*values, sum(values)]])
    per_client = dict(conn.execute(PER_CLIENT_SQL, params).fetchall())
    buckets = [
        _shown(sum(n for k, n in per_client.items() if k >= lo and (hi is None or k <= hi)), hide)
        for lo, hi in BUCKETS
    ]
    month_sums: dict[dt.date, list[int]] = {}
    unit_sums: dict[tuple[int, str], list[int]] = {}
    rows = conn.execute(RESPONSES_SQL, params).fetchall()
    for month, unit, name, received, completed, overdue, *_rest in rows:
        for target in (
            month_sums.setdefault(month, [0, 0, 0]),
            unit_sums.setdefault((unit, name), [0, 0, 0]),
        ):
            target[0] += received
            target[1] += completed
            target[2] += overdue
    responses = [[_shown(v, hide) for v in month_sums.get(m, [0, 0, 0])] for m in months]
    per_unit = sorted(
        [name, *(_shown(v, hide) for v in sums)] for (_unit, name), sums in unit_sums.items()
    )
    callbacks = sorted(
        [name, _shown(n, hide)] for _unit, name, n in conn.execute(CALLBACKS_SQL, params)
    )
    conn.execute(BULLETINS_SQL, params).fetchall()
    if audit:
        _audit(conn, s)
    return [by_month, buckets, responses, per_unit, callbacks]


def _audit(conn: psycopg.Connection[Any], s: AnalyticsSubjects) -> None:
    membership = s.analyst.membership(s.analyst_unit)
    conn.execute(
        AUDIT_SQL,
        {
            "action": "view",
            "user": s.analyst.user.pk,
            "label": s.analyst.label,
            "unit": s.analyst_unit,
            "organisation": membership.organisation_id,
            "client": None,
            "object_type": "",
            "object_id": "",
            "legal_basis": "",
            "request_id": REQUEST_ID,
            "address": SOURCE_ADDRESS,
            "detail": '{"analytics": "bench"}',
        },
    ).fetchone()


def analytics_operations(s: AnalyticsSubjects) -> list[Operation]:
    organiser = str(s.organiser.public_id)
    return [
        Operation(f"analytics: organiser 12-month dashboard ({len(s.units)} units)",
                  lambda: real_dashboard(s, "organisation", organiser),
                  lambda conn, audit: raw_dashboard(conn, s, s.units, False, audit)),
        Operation(f"analytics: region view {s.region} ({len(s.region_units)} units)",
                  lambda: real_dashboard(s, "region", s.region),
                  lambda conn, audit: raw_dashboard(conn, s, s.region_units, True, audit)),
    ]  # fmt: skip
