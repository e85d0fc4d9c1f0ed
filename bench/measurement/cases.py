"""The measured operations, each twice: through Silta's real service and selector code,
and as hand-written SQL (psycopg, same rows, same order and limit, the columns the page
shows), optionally with the same audit row written by hand.

Each function returns the ids of the rows it shows (plus the tab counts for the inbox),
so the two sides can be checked to return the same thing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg

from bench.measurement.subjects import Subjects

PAGE_ROWS = 26  # paginate() fetches one row more than the 25 it shows
STORY_ROWS = 31  # paginate() fetches one row more than the 30 a story page shows

INBOX_SQL = """
SELECT ie.id, ie.unread_count, ie.last_activity_at, ie.is_open, t.public_id, t.subject,
       c.public_id, c.first_names, c.last_name, u.first_name, u.last_name, u.username
FROM exchange_inboxentry ie
JOIN exchange_thread t ON t.id = ie.thread_id
JOIN clients_client c ON c.id = ie.client_id
LEFT JOIN accounts_user u ON u.id = ie.assignee_id
WHERE ie.unit_id = %(unit)s {condition}
ORDER BY ie.last_activity_at DESC, ie.id DESC
LIMIT {limit}
"""

COUNTS_SQL = """
SELECT (SELECT count(*) FROM exchange_inboxentry
        WHERE unit_id = %(unit)s AND unread_count > 0),
       (SELECT count(*) FROM exchange_inboxentry
        WHERE unit_id = %(unit)s AND assignee_id = %(user)s)
"""

CASE_SQL = """
SELECT ca.id, ca.public_id, ca.legal_basis, ca.opened_at, ca.kela_unit_id, ca.social_unit_id,
       c.id, c.public_id, c.first_names, c.last_name, m.name_fi,
       ku.name_fi, su.name_fi, o.name_fi
FROM exchange_case ca
JOIN clients_client c ON c.id = ca.client_id
JOIN reference_municipality m ON m.code = c.municipality_id
JOIN organisations_unit ku ON ku.id = ca.kela_unit_id
JOIN organisations_unit su ON su.id = ca.social_unit_id
JOIN organisations_organisation o ON o.id = su.organisation_id
WHERE ca.public_id = %(case)s
  AND (ca.kela_unit_id = ANY(%(units)s) OR ca.social_unit_id = ANY(%(units)s))
"""

# The case page's story (``exchange.story.case_story``, page 1, everything): the headline
# events (case opened, messages sent, referrals sent) with their thread and unit, the
# page's messages with their bodies and attachments, then the steps folded under them.
HEADLINE_KINDS = ("case_opened", "message_sent", "referral_send")
STEP_EXCLUDED = (*HEADLINE_KINDS, "thread_started")

HEADLINES_SQL = f"""
SELECT e.id, e.kind, e.at, e.actor_label, e.detail, e.thread_id, e.message_id,
       t.public_id, t.subject, un.public_id, un.name_fi, o.name_fi
FROM exchange_caseevent e
LEFT JOIN exchange_thread t ON t.id = e.thread_id
LEFT JOIN organisations_unit un ON un.id = e.unit_id
LEFT JOIN organisations_organisation o ON o.id = un.organisation_id
WHERE e.case_id = %(case)s AND e.kind = ANY(%(kinds)s)
ORDER BY e.at DESC, e.id DESC
LIMIT {STORY_ROWS}
"""

MESSAGES_SQL = """
SELECT m.id, m.body,
       (SELECT coalesce(json_agg(json_build_array(a.public_id, a.original_name,
                                                  a.active_content) ORDER BY a.id), '[]')
        FROM exchange_attachment a WHERE a.message_id = m.id)
FROM exchange_message m
WHERE m.id = ANY(%(messages)s)
"""

STEPS_SQL = """
SELECT e.id, e.kind, e.at, e.actor_label, e.detail, e.thread_id, e.message_id,
       un.name_fi, o.name_fi
FROM exchange_caseevent e
LEFT JOIN organisations_unit un ON un.id = e.unit_id
LEFT JOIN organisations_organisation o ON o.id = un.organisation_id
WHERE e.case_id = %(case)s AND e.thread_id = ANY(%(threads)s)
  AND NOT (e.kind = ANY(%(excluded)s))
ORDER BY e.at, e.id
LIMIT 1000
"""

AUDIT_SQL = """
INSERT INTO audit_auditevent (occurred_at, action, user_id, actor_label, unit_id,
    organisation_id, api_key_id, client_id, object_type, object_id, legal_basis,
    request_id, source_address, detail)
VALUES (now(), %(action)s, %(user)s, %(label)s, %(unit)s, %(organisation)s, NULL,
    %(client)s, %(object_type)s, %(object_id)s, %(legal_basis)s, %(request_id)s,
    %(address)s, %(detail)s)
RETURNING id
"""

REQUEST_ID = "bench"
SOURCE_ADDRESS = "127.0.0.1"


@dataclass(frozen=True)
class Operation:
    name: str
    real: Callable[[], list[Any]]
    raw: Callable[[psycopg.Connection[Any], bool], list[Any]]  # (connection, audit)


def _audit(conn: psycopg.Connection[Any], s: Subjects, **values: Any) -> None:
    membership = s.actor.membership(s.unit.pk)
    params = {
        "user": s.actor.user.pk,
        "label": s.actor.label,
        "unit": s.unit.pk,
        "organisation": membership.organisation_id,
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


# -- the unit inbox ---------------------------------------------------------------


def _shown_entries(items: Any) -> list[Any]:
    """What the inbox template reads from each line (lazy loads would show here)."""
    for e in items:
        _ = (
            e.client_name,
            e.birth_date,
            e.subject,
            e.thread_public_id,
            e.unread_count,
            e.is_open,
            e.last_activity_at,
            e.assignee_name,
            e.row.kind,
            e.row.status,
            e.row.due,
        )
    return [e.pk for e in items]


def real_inbox(s: Subjects, filter: str, search: str = "") -> list[Any]:
    from silta.exchange.inbox import inbox_counts, inbox_page

    page = inbox_page(actor=s.actor, unit=s.unit, filter=filter, search=search, page=1)
    counts = inbox_counts(actor=s.actor, unit=s.unit)
    return [*_shown_entries(page.items), counts.unread_threads, counts.mine]


def raw_inbox(
    conn: psycopg.Connection[Any], s: Subjects, audit: bool, unread: bool, prefix: str = ""
) -> list[Any]:
    condition = " AND ie.unread_count > 0" if unread else ""
    params: dict[str, Any] = {"unit": s.unit.pk, "user": s.actor.user.pk}
    if prefix:
        condition += " AND c.search_name LIKE %(prefix)s"
        params["prefix"] = (
            prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
    rows = conn.execute(INBOX_SQL.format(condition=condition, limit=PAGE_ROWS), params).fetchall()
    shown = rows[: PAGE_ROWS - 1]
    names = [f"{r[8]}, {r[7]}" for r in shown]  # what the page shows, as the template would
    assert len(names) == len(shown)
    counts = conn.execute(COUNTS_SQL, params).fetchone() or (0, 0)
    if audit:
        detail = {
            "list": "inbox",
            "filter": "unread" if unread else "all",
            "page": 1,
            "clients": sorted({str(r[6]) for r in shown}),
        }
        _audit(conn, s, action="search" if prefix else "view", detail=detail)
    return [*(r[0] for r in shown), *counts]


# -- a client's timeline ------------------------------------------------------------


def real_timeline(s: Subjects) -> list[Any]:
    """The case page: ``case_get`` and page 1 of ``case_story``, read as the template does."""
    from silta.exchange.selectors import case_get
    from silta.exchange.story import case_story

    case = case_get(actor=s.actor, case_id=s.case_public_id)
    story = case_story(case=case, page=1)
    # What the case page reads: the client, both parties and the social unit's organiser.
    _ = (
        case.client.full_name,
        case.kela_unit.name,
        case.social_unit.name,
        case.social_unit.organisation.name,
        case.legal_basis,
        case.opened_at,
    )
    for item in story.items:
        e = item.event
        _ = (e.at, e.kind, e.actor_label, e.detail, e.unit.name, e.unit.organisation.name)
        _ = (item.kind, item.referral_type, item.current_status, item.body)
        if e.thread is not None:
            _ = (e.thread.public_id, e.thread.subject)
        _ = [(a.public_id, a.original_name, a.active_content) for a in item.attachments]
        for step in item.steps:
            _ = (step.at, step.get_kind_display(), step.actor_label, step.detail)
            _ = (step.unit.name, step.unit.organisation.name)
    return [item.event.pk for item in story.items]


def raw_timeline(conn: psycopg.Connection[Any], s: Subjects, audit: bool) -> list[Any]:
    from silta.accounts.roles import Perm

    units = sorted(s.actor.units_with(Perm.CASE_VIEW))
    case = conn.execute(CASE_SQL, {"case": s.case_public_id, "units": units}).fetchone()
    if case is None:
        raise RuntimeError("the raw case query found nothing")
    if audit:
        acting = case[4] if case[4] in units else case[5]
        _audit(
            conn,
            s,
            action="view",
            unit=acting,
            client=case[6],
            object_type="case",
            object_id=str(case[1]),
            legal_basis=case[2],
            detail={},
        )
    headlines = conn.execute(
        HEADLINES_SQL, {"case": case[0], "kinds": list(HEADLINE_KINDS)}
    ).fetchall()[: STORY_ROWS - 1]
    messages = [h[6] for h in headlines if h[6]]
    threads = sorted({h[5] for h in headlines if h[5]})
    if messages:
        conn.execute(MESSAGES_SQL, {"messages": messages}).fetchall()
    if threads:
        conn.execute(
            STEPS_SQL, {"case": case[0], "threads": threads, "excluded": list(STEP_EXCLUDED)}
        ).fetchall()
    return [h[0] for h in headlines]


def operations(s: Subjects) -> list[Operation]:
    from silta.clients.models import search_key

    prefix = search_key(s.search_term)
    return [
        Operation("inbox, all + counts",
                  lambda: real_inbox(s, "all"),
                  lambda conn, audit: raw_inbox(conn, s, audit, unread=False)),
        Operation("inbox, unread + counts",
                  lambda: real_inbox(s, "unread"),
                  lambda conn, audit: raw_inbox(conn, s, audit, unread=True)),
        Operation(f"inbox, search '{s.search_term}' + counts",
                  lambda: real_inbox(s, "all", search=s.search_term),
                  lambda conn, audit: raw_inbox(conn, s, audit, unread=False, prefix=prefix)),
        Operation("case timeline: the case page's story (case_get + page 1)",
                  lambda: real_timeline(s),
                  lambda conn, audit: raw_timeline(conn, s, audit)),
    ]  # fmt: skip
