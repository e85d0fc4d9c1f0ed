"""A worker's open actions (issue 11: within 1.5x the raw SQL).

``silta.meetings.selectors.open_actions`` (the "My open actions" page's and the API's read:
the actions the worker or their units own on meetings of cases they see, not done, the
earliest due first, the first 200, each with its working days left, and one audit row
naming the clients shown) for a worker of the unit owning the most open actions, against
hand-written SQL returning the same action ids plus the same audit INSERT. Its statements
are also replayed as captured (the database's share).
"""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass
from typing import Any

import psycopg

from bench.measurement.cases import AUDIT_SQL, REQUEST_ID, SOURCE_ADDRESS
from bench.measurement.timing import capture, time_samples
from bench.options import Options

GOAL_RATIO = 1.5
RAW = """
SELECT a.id, a.public_id, a.text, a.due_date, a.status, m.public_id, m.title, m.kind,
       c.public_id, ou.name_fi, ou.name_sv, p.name
FROM meetings_meetingaction a
JOIN meetings_meeting m ON m.id = a.meeting_id
JOIN exchange_case ca ON ca.id = m.case_id
JOIN clients_client c ON c.id = ca.client_id
LEFT JOIN organisations_unit ou ON ou.id = a.owner_unit_id
LEFT JOIN meetings_participant p ON p.id = a.owner_participant_id
WHERE a.status <> 'done'
  AND (a.owner_unit_id = ANY(%(units)s) OR a.owner_participant_id = ANY(ARRAY(
    SELECT mp.id FROM meetings_participant mp WHERE mp.user_id = %(user)s)))
  AND (ca.kela_unit_id = ANY(%(units)s) OR ca.social_unit_id = ANY(%(units)s))
ORDER BY a.due_date, a.id LIMIT 200
"""


@dataclass(frozen=True)
class ActionsSpeed:
    open_in_unit: int
    actions_total: int
    real_ms: float
    orm_sql_ms: float
    raw_ms: float
    raw_audit_ms: float
    queries: int
    rows: int
    same_rows: bool

    @property
    def ratio(self) -> float:
        return self.real_ms / self.raw_audit_ms


def _subject() -> tuple[Any, int, int]:
    """(the worker's actor, their unit, its open actions): the unit owning the most."""
    from django.db.models import Count

    from silta.accounts.actor import Actor
    from silta.accounts.models import Membership
    from silta.accounts.roles import Perm, Role, role_allows
    from silta.meetings.models import MeetingAction

    busiest = (
        MeetingAction.objects.exclude(status="done")
        .filter(owner_unit__isnull=False)
        .values("owner_unit")
        .annotate(n=Count("id"))
        .order_by("-n", "owner_unit")
    )
    roles = [role for role in Role if role_allows(role, Perm.CASE_VIEW)]
    for row in busiest[:20]:
        member = (
            Membership.objects.filter(unit_id=row["owner_unit"], role__in=roles)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if member is not None:
            return Actor.for_user(member.user), row["owner_unit"], row["n"]
    raise RuntimeError("no open meeting actions with a worker in the data set (step 'meetings')")


def measure(options: Options) -> ActionsSpeed:
    from silta.accounts.roles import Perm
    from silta.meetings.models import MeetingAction
    from silta.meetings.selectors import open_actions

    actor, unit_id, open_in_unit = _subject()
    units = sorted(actor.units_with(Perm.CASE_VIEW))
    membership = actor.membership(unit_id)
    params = {"units": units, "user": actor.user.pk}

    def real() -> list[int]:
        return [row.action.pk for row in open_actions(actor=actor)]

    with psycopg.connect(options.database_url, autocommit=True, prepare_threshold=None) as raw:

        def hand() -> list[int]:
            rows = raw.execute(RAW, params).fetchall()
            return [r[0] for r in rows]

        def hand_audit() -> list[int]:
            rows = raw.execute(RAW, params).fetchall()
            clients = sorted({str(r[8]) for r in rows})
            raw.execute(
                AUDIT_SQL,
                {
                    "action": "view",
                    "user": actor.user.pk,
                    "label": actor.label,
                    "unit": None,
                    "organisation": membership.organisation_id if membership else None,
                    "client": None,
                    "object_type": "",
                    "object_id": "",
                    "legal_basis": "",
                    "request_id": REQUEST_ID,
                    "address": SOURCE_ADDRESS,
                    "detail": json.dumps({"list": "meeting_actions", "clients": clients}),
                },
            ).fetchone()
            return [r[0] for r in rows]

        queries = capture(real)

        def replay() -> None:
            for statement in queries:
                raw.execute(statement)

        same = real() == hand()
        samples = time_samples(
            {"real": real, "orm_sql": replay, "raw": hand, "raw_audit": hand_audit},
            options.reps,
            options.warmup,
        )
    return ActionsSpeed(
        open_in_unit=open_in_unit,
        actions_total=MeetingAction.objects.count(),
        real_ms=statistics.median(samples["real"]),
        orm_sql_ms=statistics.median(samples["orm_sql"]),
        raw_ms=statistics.median(samples["raw"]),
        raw_audit_ms=statistics.median(samples["raw_audit"]),
        queries=len(queries),
        rows=len(real()),
        same_rows=same,
    )


def report_lines(speed: ActionsSpeed) -> list[str]:
    verdict = "meets" if speed.ratio <= GOAL_RATIO else "MISSES"
    return [
        "## A worker's open actions (meetings)",
        f"- {speed.actions_total:,} agreed actions in the year; the busiest unit owns "
        f"{speed.open_in_unit:,} open",
        f"- open_actions ({speed.rows} rows, same as the raw SQL: {speed.same_rows}; "
        f"{speed.queries} statements): {speed.real_ms:.2f} ms; its SQL replayed "
        f"{speed.orm_sql_ms:.2f} ms",
        f"- hand-written SQL: {speed.raw_ms:.2f} ms; with the audit INSERT "
        f"{speed.raw_audit_ms:.2f} ms",
        f"- ratio {speed.ratio:.2f}x of SQL + audit ({verdict} the {GOAL_RATIO:.1f}x goal); "
        f"{speed.real_ms / speed.raw_ms:.2f}x of the SELECT alone",
    ]
