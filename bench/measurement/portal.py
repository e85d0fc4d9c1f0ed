"""The client's own view (silta.portal): the home page, My matters, of the client with the
most referrals, through the real selector with its audit row (the client as the actor),
and as hand-written SQL returning the same rows.

Rows compared: each case with its two units' channel ids and the own worker, and each
referral the client sees with its status, outcome and due date.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import psycopg
from django.db import connection
from django.utils import timezone

from bench.measurement.cases import AUDIT_SQL, REQUEST_ID, SOURCE_ADDRESS, Operation
from bench.measurement.directory_referrals import CHANNELS_JSON

SUBJECT_SQL = """
SELECT ca.client_id, count(*) FROM referrals_referral r
JOIN exchange_case ca ON ca.id = r.case_id
GROUP BY ca.client_id ORDER BY count(*) DESC, ca.client_id LIMIT 1
"""
CASES_SQL = """
SELECT id, kela_unit_id, social_unit_id FROM exchange_case
WHERE client_id = %(client)s ORDER BY last_activity_at DESC, id
"""
UNITS_SQL = f"""
SELECT u.id, u.name_fi, u.name_sv, o.kind, o.name_fi, {CHANNELS_JSON}
FROM organisations_unit u JOIN organisations_organisation o ON o.id = u.organisation_id
WHERE u.id = ANY(%(units)s)
"""
WORKERS_SQL = """
SELECT id, unit_id, name, phone, reachability FROM clients_ownworker
WHERE client_id = %(client)s
"""
REFERRALS_SQL = """
SELECT r.id, r.type, r.status, r.outcome, r.outcome_date, r.due_date, r.deadline_rule,
       r.sent_at, u.name_fi, o.kind, o.name_fi
FROM referrals_referral r
JOIN exchange_case ca ON ca.id = r.case_id
JOIN organisations_unit u ON u.id = r.receiver_unit_id
JOIN organisations_organisation o ON o.id = u.organisation_id
WHERE ca.client_id = %(client)s
ORDER BY r.sent_at DESC, r.id DESC
LIMIT 50
"""
WITHHELD_SQL = """
SELECT w.referral_id, w.reason FROM portal_withholding w
JOIN referrals_referral r ON r.id = w.referral_id
JOIN exchange_case ca ON ca.id = r.case_id
WHERE ca.client_id = %(client)s AND w.lifted_at IS NULL
"""
# As silta.referrals.typespec.ClientSees declares per type: only the contact waits.
WAITS_UNTIL_RECEIVED = {"contact"}


@dataclass(frozen=True)
class PortalSubjects:
    client: Any  # silta.clients.models.Client
    referrals: int


def pick_portal_subjects() -> PortalSubjects:
    from silta.clients.models import Client

    with connection.cursor() as cursor:
        cursor.execute(SUBJECT_SQL)
        row = cursor.fetchone()
        if row is None:  # a data set without referrals: any client with a case
            cursor.execute("SELECT client_id, 0 FROM exchange_case ORDER BY id LIMIT 1")
            row = cursor.fetchone()
    client_id, count = row
    return PortalSubjects(Client.objects.get(pk=client_id), count)


def _signed_in(s: PortalSubjects) -> Any:
    from silta.portal.session import SignedInClient

    return SignedInClient(client=s.client)


def real_home(s: PortalSubjects) -> list[Any]:
    from silta.portal.access import audit_read
    from silta.portal.matters import my_matters

    me = _signed_in(s)
    matters = my_matters(s.client)
    audit_read(me, "matters", referrals=len(matters.referrals))
    cases = [
        (
            card.case.pk,
            [c.channel.pk for c in card.kela.channels],
            [c.channel.pk for c in card.social.channels],
            card.own_worker.pk if card.own_worker else None,
        )
        for card in matters.cases
    ]
    referrals = [
        (c.referral.pk, c.referral.status, c.referral.outcome, c.referral.due_date)
        for c in matters.referrals
    ]
    return [cases, referrals]


def raw_home(conn: psycopg.Connection[Any], s: PortalSubjects, audit: bool) -> list[Any]:
    today = timezone.localdate()
    params = {
        "client": s.client.pk,
        "from": today - dt.timedelta(days=1),
        "to": today + dt.timedelta(days=400),
    }
    cases = conn.execute(CASES_SQL, params).fetchall()
    units = {row[0]: row for row in conn.execute(
        UNITS_SQL, {**params, "units": list({u for c in cases for u in c[1:]})}
    ).fetchall()}  # fmt: skip
    workers = {row[1]: row for row in conn.execute(WORKERS_SQL, params).fetchall()}
    withheld = dict(conn.execute(WITHHELD_SQL, params).fetchall())
    referrals = [
        (row[0], row[2], row[3], row[5])
        for row in conn.execute(REFERRALS_SQL, params).fetchall()
        if row[0] not in withheld and not (row[1] in WAITS_UNTIL_RECEIVED and row[2] == "requested")
    ]
    if audit:
        conn.execute(
            AUDIT_SQL,
            {
                "action": "view",
                "user": None,
                "label": f"Client {s.client.full_name}",
                "unit": None,
                "organisation": None,
                "client": s.client.pk,
                "object_type": "",
                "object_id": "",
                "legal_basis": "",
                "request_id": REQUEST_ID,
                "address": SOURCE_ADDRESS,
                "detail": json.dumps(
                    {"actor_kind": "client", "page": "matters", "referrals": len(referrals)}
                ),
            },
        ).fetchone()
    rows = [
        (
            case_id,
            [ch[0] for ch in units[kela][5]],
            [ch[0] for ch in units[social][5]],
            workers[social][0] if social in workers else None,
        )
        for case_id, kela, social in cases
    ]
    return [rows, referrals]


def portal_operations(s: PortalSubjects) -> list[Operation]:
    return [
        Operation(f"client home page, My matters ({s.referrals} referrals)",
                  lambda: real_home(s),
                  lambda conn, audit: raw_home(conn, s, audit)),
    ]  # fmt: skip
