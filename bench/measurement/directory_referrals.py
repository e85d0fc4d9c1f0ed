"""The directory and referral operations (steps ``directory`` and ``referrals``), each
through Silta's real selector and as hand-written SQL returning the same rows.

Directory reads are not audited (directory data is not client data), so their raw+audit
variant is the raw one. Member lists ordered by name are compared as sets of ids (ties
in the name order may come back in either order on both sides).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import psycopg
from django.db import connection

from bench.measurement.cases import AUDIT_SQL, REQUEST_ID, SOURCE_ADDRESS, Operation

UNITS_PER_PAGE = 21  # directory_search pages 20 units and fetches one more
PEOPLE = 10
OPEN_STATES = ["requested", "received", "accepted", "in_progress", "on_hold"]

CHANNELS_JSON = """
(SELECT coalesce(json_agg(json_build_array(ch.id, ch.kind, ch.label_fi, ch.phone, ch.email,
        ch.street, ch.postal_code, ch.city, ch.always_open, ch.closed_on_holidays,
        (SELECT json_agg(json_build_array(w.weekday, w.opens, w.closes)
                         ORDER BY w.weekday, w.opens)
         FROM directory_weeklyhours w WHERE w.channel_id = ch.id),
        (SELECT json_agg(json_build_array(x.date, x.opens, x.closes, x.note)
                         ORDER BY x.date, x.opens)
         FROM directory_hoursexception x WHERE x.channel_id = ch.id
           AND x.date BETWEEN %(from)s AND %(to)s))
        ORDER BY ch.position, ch.id), '[]')
 FROM directory_channel ch WHERE ch.unit_id = u.id)
"""

SEARCH_SQL = f"""
SELECT u.id, u.public_id, u.name_fi, u.verified_at, o.name_fi, {CHANNELS_JSON}
FROM organisations_unit u JOIN organisations_organisation o ON o.id = u.organisation_id
WHERE u.is_active AND u.search_text LIKE ALL(%(patterns)s) {{topic}}
ORDER BY o.name_fi, u.name_fi, u.id
LIMIT {UNITS_PER_PAGE}
"""

PEOPLE_SQL = f"""
SELECT m.id, us.first_name, us.last_name, us.title, un.name_fi, o.name_fi
FROM accounts_membership m
JOIN accounts_user us ON us.id = m.user_id
JOIN organisations_unit un ON un.id = m.unit_id
JOIN organisations_organisation o ON o.id = un.organisation_id
WHERE m.user_id IN (SELECT id FROM accounts_user
                    WHERE is_active AND search_name LIKE ALL(%(patterns)s) LIMIT {PEOPLE})
  AND un.is_active AND m.role <> 'organisation_admin'
ORDER BY us.last_name, us.first_name
LIMIT {PEOPLE}
"""

UNIT_SQL = f"""
SELECT u.id, u.public_id, u.name_fi, u.description_fi, u.verified_at, o.name_fi,
       v.first_name, v.last_name, {CHANNELS_JSON}
FROM organisations_unit u JOIN organisations_organisation o ON o.id = u.organisation_id
LEFT JOIN accounts_user v ON v.id = u.verified_by_id
WHERE u.public_id = %(unit)s AND u.is_active
"""

AREAS_SQL = """
SELECT sa.topic, m.code, m.name_fi FROM directory_servicearea sa
JOIN reference_municipality m ON m.code = sa.municipality_id
WHERE sa.unit_id = %(unit)s ORDER BY sa.topic, m.name_fi
"""

MEMBERS_SQL = """
SELECT m.id, us.first_name, us.last_name, us.title, m.role FROM accounts_membership m
JOIN accounts_user us ON us.id = m.user_id
WHERE m.unit_id = %(unit)s AND us.is_active AND m.role <> 'organisation_admin'
ORDER BY us.last_name, us.first_name LIMIT 200
"""

OVERDUE_SQL = """
SELECT r.id, r.public_id, r.type, r.urgent, r.status, r.outcome, r.escalated_at, r.due_date,
       r.handoff_count, cl.public_id, cl.first_names, cl.last_name, su.name_fi
FROM referrals_referral r
JOIN exchange_case ca ON ca.id = r.case_id
JOIN clients_client cl ON cl.id = ca.client_id
JOIN organisations_unit su ON su.id = r.sender_unit_id
WHERE r.receiver_unit_id = %(unit)s AND r.status = ANY(%(open)s) AND r.due_date < %(today)s
ORDER BY r.due_date, r.sent_at, r.id
LIMIT 26
"""

# Working days between two dates = difference of bench_workday.n (running count of working
# days); the arrival day itself is never counted, whatever day it is (DOMAIN.md §3).
REPORT_SQL = """
SELECT r.type, count(*),
       count(*) FILTER (WHERE rc.n - a.n <= 1),
       count(r.completed_at),
       count(*) FILTER (WHERE (r.completed_at AT TIME ZONE 'Europe/Helsinki')::date
                              <= r.due_date),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY cc.n - a.n),
       GROUPING(r.type)
FROM referrals_referral r
JOIN bench_workday a ON a.day = r.arrived_on
LEFT JOIN bench_workday rc ON rc.day = (r.received_at AT TIME ZONE 'Europe/Helsinki')::date
LEFT JOIN bench_workday cc ON cc.day = (r.completed_at AT TIME ZONE 'Europe/Helsinki')::date
WHERE r.receiver_unit_id = %(unit)s AND r.sent_at >= %(start)s AND r.sent_at < %(end)s
GROUP BY ROLLUP (r.type)
"""

RETURNS_SQL = """
SELECT e.detail ->> 'reason', count(*) FROM referrals_referralevent e
JOIN referrals_referral r ON r.id = e.referral_id
WHERE r.receiver_unit_id = %(unit)s AND e.action = 'return'
  AND e.at >= %(start)s AND e.at < %(end)s
GROUP BY 1
"""


@dataclass(frozen=True)
class NewSubjects:
    person_query: str
    page_unit: Any  # public id of a unit with three channels and the most staff
    page_unit_channels: int
    referral_unit: Any  # organisations.Unit, the busiest receiver of referrals
    referrals_received: int
    manager: Any  # silta.accounts.actor.Actor, a unit manager of referral_unit
    report_month: tuple[int, int]


def _one(query: str, params: list[Any] | None = None) -> tuple[Any, ...]:
    with connection.cursor() as cursor:
        cursor.execute(query, params or [])
        row = cursor.fetchone()
    if row is None:
        raise RuntimeError(f"nothing found for the new operations: {query[:60]}")
    return tuple(row)


def pick_new_subjects() -> NewSubjects:
    from silta.accounts.actor import Actor
    from silta.accounts.models import User
    from silta.organisations.models import Unit
    from silta.workdays.calendar import today

    unit_id, received = _one(
        "SELECT receiver_unit_id, count(*) FROM referrals_referral GROUP BY 1 "
        "ORDER BY 2 DESC LIMIT 1"
    )
    (manager_id,) = _one(
        "SELECT user_id FROM accounts_membership WHERE unit_id = %s AND role = 'unit_manager' "
        "ORDER BY id LIMIT 1",
        [unit_id],
    )
    page_unit, channels = _one(
        "SELECT u.public_id, (SELECT count(*) FROM directory_channel c WHERE c.unit_id = u.id) "
        "FROM organisations_unit u ORDER BY 2 DESC, "
        "(SELECT count(*) FROM accounts_membership m WHERE m.unit_id = u.id) DESC, u.id LIMIT 1"
    )
    manager = User.objects.get(pk=manager_id)
    first = today().replace(day=1) - dt.timedelta(days=1)
    return NewSubjects(
        person_query=f"{manager.first_name} {manager.last_name}",
        page_unit=page_unit,
        page_unit_channels=channels,
        referral_unit=Unit.objects.get(pk=unit_id),
        referrals_received=received,
        manager=Actor.for_user(manager),
        report_month=(first.year, first.month),
    )


def _patterns(query: str) -> list[str]:
    from silta.core.text import fold

    escape = str.maketrans({"\\": "\\\\", "%": "\\%", "_": "\\_"})
    return [f"%{term.translate(escape)}%" for term in fold(query).split()]


def _window() -> dict[str, dt.date]:
    from silta.workdays.calendar import today

    day = today()
    return {"from": day - dt.timedelta(days=1), "to": day + dt.timedelta(days=400)}


# -- the directory ------------------------------------------------------------------


def real_search(query: str, topic: str = "") -> list[Any]:
    from silta.directory.selectors import directory_search

    result = directory_search(query=query, topic=topic, page=1)
    for card in result.units.items:  # what _results.html reads
        _ = (card.unit.name, card.unit.organisation.name, card.stale)
        _ = [(c.channel.label, c.channel.phone, c.status) for c in card.channels]
    for m in result.people:
        _ = (m.user.display_name, m.user.title, m.unit.name, m.unit.organisation.name)
    return [[c.unit.pk for c in result.units.items], sorted(m.pk for m in result.people)]


def raw_search(conn: psycopg.Connection[Any], query: str, topic: str = "") -> list[Any]:
    params: dict[str, Any] = {"patterns": _patterns(query), "topic": topic, **_window()}
    condition = ""
    if topic:
        condition = (
            "AND EXISTS (SELECT 1 FROM directory_servicearea sa "
            "WHERE sa.unit_id = u.id AND sa.topic = %(topic)s)"
        )
    units = conn.execute(SEARCH_SQL.format(topic=condition), params).fetchall()
    people = conn.execute(PEOPLE_SQL, params).fetchall()
    return [[u[0] for u in units[: UNITS_PER_PAGE - 1]], sorted(p[0] for p in people)]


def real_unit_page(unit_id: Any) -> list[Any]:
    from silta.directory.selectors import unit_page

    page = unit_page(unit_id=unit_id)
    _ = (page.unit.name, page.unit.organisation.name, page.stale)
    _ = [(c.channel.label, c.channel.phone, c.status, c.schedule) for c in page.channels]
    codes = [m.code for municipalities in page.areas.values() for m in municipalities]
    _ = [(m.display_name, m.title, m.role) for m in page.members]
    return [page.unit.pk, codes, sorted(m.pk for m in page.members)]


def raw_unit_page(conn: psycopg.Connection[Any], unit_id: Any) -> list[Any]:
    unit = conn.execute(UNIT_SQL, {"unit": unit_id, **_window()}).fetchone()
    if unit is None:
        raise RuntimeError("the raw unit query found nothing")
    areas = conn.execute(AREAS_SQL, {"unit": unit[0]}).fetchall()
    members = conn.execute(MEMBERS_SQL, {"unit": unit[0]}).fetchall()
    return [unit[0], [a[1] for a in areas], sorted(m[0] for m in members)]


# -- referrals ----------------------------------------------------------------------


def _audit_as(conn: psycopg.Connection[Any], actor: Any, unit_id: int, **values: Any) -> None:
    params = {
        "user": actor.user.pk,
        "label": actor.label,
        "unit": unit_id,
        "organisation": actor.membership(unit_id).organisation_id,
        "client": None,
        "object_type": "",
        "object_id": "",
        "legal_basis": "",
        "request_id": REQUEST_ID,
        "address": SOURCE_ADDRESS,
        **values,
    }
    params["detail"] = json.dumps(params["detail"])
    conn.execute(AUDIT_SQL, params).fetchone()


def real_overdue(s: NewSubjects) -> list[Any]:
    from silta.referrals.selectors import referrals_received
    from silta.referrals.templatetags.referral_labels import status_label

    page = referrals_received(actor=s.manager, unit_id=s.referral_unit.pk, filter="overdue")
    for r in page.items:  # what referrals/list.html reads
        _ = (r.public_id, r.type_label, r.urgent, r.client_name)
        _ = (r.unit_name, status_label(r.status), r.outcome, r.escalated_at)
        _ = (r.due_date, r.is_open, r.handoff_count)
    return [r.pk for r in page.items]


def raw_overdue(conn: psycopg.Connection[Any], s: NewSubjects, audit: bool) -> list[Any]:
    from silta.workdays.calendar import today

    params = {"unit": s.referral_unit.pk, "open": OPEN_STATES, "today": today()}
    rows = conn.execute(OVERDUE_SQL, params).fetchall()[:25]
    names = [f"{r[10]} {r[11]}" for r in rows]
    assert len(names) == len(rows)
    if audit:
        detail = {"list": "referrals_received", "page": 1,
                  "clients": sorted({str(r[9]) for r in rows})}  # fmt: skip
        _audit_as(conn, s.manager, s.referral_unit.pk, action="view", detail=detail)
    return [r[0] for r in rows]


def real_report(s: NewSubjects) -> list[Any]:
    from silta.referrals.reports import monthly_report

    year, month = s.report_month
    report = monthly_report(actor=s.manager, unit=s.referral_unit, year=year, month=month)
    figures = [
        (f.type, f.received, f.acknowledged_in_time, f.completed, f.completed_in_time,
         f.median_working_days)
        for f in [*report.rows, report.total]
    ]  # fmt: skip
    return [figures, sorted(report.returns.items())]


def _month(year: int, month: int) -> dict[str, dt.datetime]:
    from silta.workdays.calendar import HELSINKI

    start = dt.datetime(year, month, 1, tzinfo=HELSINKI)
    return {"start": start, "end": dt.datetime(year + month // 12, month % 12 + 1, 1,
                                               tzinfo=HELSINKI)}  # fmt: skip


def raw_report(conn: psycopg.Connection[Any], s: NewSubjects, audit: bool) -> list[Any]:
    from silta.referrals.types import ReferralType, ReturnReason

    params: dict[str, Any] = {"unit": s.referral_unit.pk, **_month(*s.report_month)}
    found = {}
    for kind, *values, grouped in conn.execute(REPORT_SQL, params).fetchall():
        found["total" if grouped else kind] = values
    figures = []
    for kind in [*ReferralType.values, "total"]:
        received, acknowledged, completed, in_time, median = found.get(kind, [0, 0, 0, 0, None])
        figures.append((kind, received, acknowledged, completed, in_time, median))
    returns = {
        str(ReturnReason(code).label if code in ReturnReason.values else code): count
        for code, count in conn.execute(RETURNS_SQL, params).fetchall()
        if code
    }
    if audit:
        year, month = s.report_month
        detail = {"report": "referrals_month", "year": year, "month": month}
        _audit_as(conn, s.manager, s.referral_unit.pk, action="export", detail=detail)
    return [figures, sorted(returns.items())]


def new_operations(s: NewSubjects) -> list[Operation]:
    return [
        Operation("directory search 'Kuopio'",
                  lambda: real_search("Kuopio"),
                  lambda conn, audit: raw_search(conn, "Kuopio")),
        Operation("directory search 'aikuissosiaalityö'",
                  lambda: real_search("aikuissosiaalityö"),
                  lambda conn, audit: raw_search(conn, "aikuissosiaalityö")),
        Operation(f"directory search person '{s.person_query}'",
                  lambda: real_search(s.person_query),
                  lambda conn, audit: raw_search(conn, s.person_query)),
        Operation(f"directory unit page ({s.page_unit_channels} channels)",
                  lambda: real_unit_page(s.page_unit),
                  lambda conn, audit: raw_unit_page(conn, s.page_unit)),
        Operation("referrals received, overdue (page 1)",
                  lambda: real_overdue(s),
                  lambda conn, audit: raw_overdue(conn, s, audit)),
        Operation(f"referrals monthly report {s.report_month[0]}-{s.report_month[1]:02d}",
                  lambda: real_report(s),
                  lambda conn, audit: raw_report(conn, s, audit)),
    ]  # fmt: skip
