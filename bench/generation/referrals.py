"""Referrals at national scale (step ``referrals``): about 500,000 referrals over the last
two years on existing cases, with their transition events, and a working-day calendar.

Each sampled case (30 %, one in five of them twice) gets a referral whose type follows
the case's two parties (Kela to social services or back); the thread is the case's first
thread. The deadline is Silta's own rule (``silta.referrals.deadlines.due_date``). The
life cycle depends on age: almost all older referrals are closed (completed, some
rejected, cancelled or returned, a few left open and overdue), the recent ones spread
over the open states. Events: send, receive, accept, start, then complete / reject /
return (with a reason) / cancel. Loaded with COPY after dropping the two tables'
secondary indexes and foreign keys (recreated and validated afterwards).

``bench_workday`` (day, working, running count of working days)
lets hand-written SQL compute working days between two dates as a difference of counts;
it is built from ``silta.workdays.calendar`` (Finnish holidays), 2020-2031.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from bench import schema
from bench.generation.tables import REFERRAL_MODELS, copy_columns
from bench.options import Options

SAMPLE_PERCENT = 30
SECOND_REFERRAL = 0.2
HISTORY_DAYS = 730
TYPE_WEIGHTS = {  # type: (weight, direction: "k2s", "s2k" or "either")
    "contact": (30, "k2s"),
    "forwarded_application": (25, "k2s"),
    "assessment_before_reduction": (10, "k2s"),
    "statement_request": (10, "either"),
    "document_delivery": (12, "s2k"),
    "urgent_handling": (8, "s2k"),
    "meeting_request": (5, "either"),
}
TABLES = tuple(REFERRAL_MODELS)
CALENDAR = (dt.date(2020, 1, 1), dt.date(2031, 12, 31))
RETURN_REASONS = ("basic_assistance_expense", "supplementary_expense")


@dataclass
class Ids:
    referral: int = 0
    event: int = 0


class Generator:
    def __init__(self, rng: random.Random, now: dt.datetime, staff: dict[int, list[Any]]):
        from silta.referrals.types import SPECS, ReturnReason

        self.rng, self.now, self.staff = rng, now, staff
        self.specs = SPECS
        self.reasons = list(ReturnReason.values) or list(RETURN_REASONS)
        self.types = list(TYPE_WEIGHTS)
        self.weights = [w for w, _ in TYPE_WEIGHTS.values()]
        self.ids = Ids()
        self.referrals: list[tuple[Any, ...]] = []
        self.events: list[tuple[Any, ...]] = []

    def _person(self, unit: int) -> tuple[Any, str]:
        people = self.staff.get(unit)
        return self.rng.choice(people) if people else (None, "system")

    def _event(self, referral: int, action: str, states: tuple[str, str], unit: int,
               at: dt.datetime, detail: dict[str, Any] | None = None) -> None:  # fmt: skip
        self.ids.event += 1
        user, label = self._person(unit)
        self.events.append((self.ids.event, referral, action, states[0], states[1], user,
                            label, unit, at, json.dumps(detail or {})))  # fmt: skip

    def _parties(self, kela: int, social: int) -> tuple[str, int, int]:
        kind = self.rng.choices(self.types, self.weights)[0]
        direction = TYPE_WEIGHTS[kind][1]
        if direction == "either":
            direction = self.rng.choice(("k2s", "s2k"))
        return (kind, kela, social) if direction == "k2s" else (kind, social, kela)

    def referral(self, case: tuple[Any, ...]) -> None:
        from silta.referrals.deadlines import due_date
        from silta.workdays.calendar import local_date

        case_id, kela, social, opened_at, thread_id = case
        kind, sender, receiver = self._parties(kela, social)
        earliest = max(opened_at, self.now - dt.timedelta(days=HISTORY_DAYS))
        span = (self.now - earliest).total_seconds()
        sent = earliest + dt.timedelta(seconds=self.rng.random() * span)
        spec = self.specs[kind]
        urgent = kind == "urgent_handling" or self.rng.random() < 0.05
        arrived = local_date(sent)
        requested = arrived + dt.timedelta(days=14)
        due = due_date(spec.rule, arrived, urgent=urgent, requested=requested)
        self.ids.referral += 1
        rid = self.ids.referral
        sender_user, _ = self._person(sender)
        self._event(rid, "send", ("", "requested"), sender, sent, {"type": kind})
        life = self._life(rid, sent, due, receiver, sender, spec)
        self.referrals.append((
            rid, uuid.UUID(int=self.rng.getrandbits(128), version=4), case_id, thread_id, kind,
            sender, receiver, sender_user, life["status"], urgent, "{}", life["outcome"],
            "", life["reason"], "", spec.rule, arrived, due, sent, life["received"],
            life["completed"], life["closed"], life["handoffs"], 0,
        ))  # fmt: skip

    def _life(self, rid: int, sent: dt.datetime, due: dt.date, receiver: int, sender: int,
              spec: Any) -> dict[str, Any]:  # fmt: skip
        """Receive, then close (or not yet) depending on age; events as it goes."""
        life: dict[str, Any] = {"status": "requested", "outcome": "", "reason": "",
                                "received": None, "completed": None, "closed": None,
                                "handoffs": 0}  # fmt: skip
        rng = self.rng
        received = sent + dt.timedelta(hours=rng.expovariate(1 / 14))
        if received > self.now or rng.random() < 0.01:
            return life
        life.update(status="received", received=received)
        self._event(rid, "receive", ("requested", "received"), receiver, received)
        fate = rng.random()
        if fate < 0.04:  # rejected or returned soon after opening
            at = received + dt.timedelta(hours=rng.uniform(1, 48))
            if at > self.now:
                return life
            if fate < 0.02:
                life.update(status="rejected", closed=at)
                self._event(rid, "reject", ("received", "rejected"), receiver, at)
            else:
                reason = rng.choice(self.reasons)
                life.update(status="returned", reason=reason, handoffs=1)
                self._event(rid, "return", ("received", "returned"), receiver, at,
                            {"reason": reason})  # fmt: skip
            return life
        self._progress(rid, received, fate, due, (receiver, sender), spec, life)
        return life

    def _progress(self, rid: int, received: dt.datetime, fate: float, due: dt.date,
                  units: tuple[int, int], spec: Any, life: dict[str, Any]) -> None:  # fmt: skip
        """Accepted and started, then cancelled, forgotten or completed (if done by now)."""
        rng, (receiver, sender) = self.rng, units
        started = received + dt.timedelta(hours=rng.uniform(0.5, 30))
        if started > self.now:
            return
        self._event(rid, "accept", ("received", "accepted"), receiver, started)
        self._event(rid, "start", ("accepted", "in_progress"), receiver, started)
        life["status"] = "in_progress"
        if fate < 0.06:  # cancelled by the sender while in progress
            at = started + dt.timedelta(days=rng.uniform(1, 10))
            if at <= self.now:
                life.update(status="cancelled", closed=at)
                self._event(rid, "cancel", ("in_progress", "cancelled"), sender, at)
            return
        if fate > 0.97:  # forgotten: stays open, soon overdue
            life["status"] = rng.choice(("in_progress", "on_hold"))
            return
        due_at = dt.datetime.combine(due, dt.time(12), tzinfo=dt.UTC)
        done = started + (due_at - started) * rng.uniform(0.1, 1.3)
        if done <= started:
            done = started + dt.timedelta(hours=rng.uniform(1, 72))
        if done <= self.now:
            life.update(status="completed", completed=done, closed=done,
                        outcome=rng.choice(spec.outcome_codes))  # fmt: skip
            self._event(rid, "complete", ("in_progress", "completed"), receiver, done)


def _cases(options: Options) -> list[tuple[Any, ...]]:
    with schema.connect(options.database_url) as conn:
        return conn.execute(
            f"""
            SELECT c.id, c.kela_unit_id, c.social_unit_id, c.opened_at,
                   (SELECT min(t.id) FROM exchange_thread t WHERE t.case_id = c.id)
            FROM exchange_case c TABLESAMPLE BERNOULLI ({SAMPLE_PERCENT})
                REPEATABLE ({options.seed})
            ORDER BY c.id
            """
        ).fetchall()


def _staff(options: Options) -> dict[int, list[Any]]:
    staff: dict[int, list[Any]] = defaultdict(list)
    with schema.connect(options.database_url) as conn:
        for unit, user, first, last in conn.execute(
            "SELECT m.unit_id, u.id, u.first_name, u.last_name FROM accounts_membership m "
            "JOIN accounts_user u ON u.id = m.user_id ORDER BY m.id"
        ):
            staff[unit].append((user, f"{first} {last}"))
    return staff


def _copy(options: Options, table: str, rows: list[Any]) -> None:
    from psycopg import sql

    columns = copy_columns(table)
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with (
        schema.connect(options.database_url) as conn,
        conn.cursor() as cursor,
        cursor.copy(statement) as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _calendar(options: Options) -> int:
    """``bench_workday``: per day, whether it is a working day and the running count of
    working days (working days between = difference of counts; the arrival day is never
    counted, whatever day it is)."""
    from silta.workdays.calendar import is_working_day

    rows, count, day = [], 0, CALENDAR[0]
    while day <= CALENDAR[1]:
        working = is_working_day(day)
        count += working
        rows.append((day, working, count))
        day += dt.timedelta(days=1)
    with schema.connect(options.database_url) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_workday")
        conn.execute(
            "CREATE TABLE bench_workday (day date PRIMARY KEY, working boolean NOT NULL, "
            "n integer NOT NULL)"
        )
        with conn.cursor().copy("COPY bench_workday FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    return len(rows)


def load_referrals(options: Options) -> dict[str, Any]:
    rng = random.Random(options.seed + 2)
    now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    cases = _cases(options)
    generator = Generator(rng, now, _staff(options))
    for case in cases:
        if case[4] is None:
            continue
        generator.referral(case)
        if rng.random() < SECOND_REFERRAL:
            generator.referral(case)
    print(f"  {len(generator.referrals):,} referrals, {len(generator.events):,} events "
          f"generated; loading.", flush=True)  # fmt: skip
    catalog = schema.drop_secondary(options.database_url, TABLES)
    # Fields added to the models since (the expense kind) get their default for the load.
    defaults = schema.set_missing_defaults(
        options.database_url, {table: copy_columns(table) for table in TABLES}
    )
    _copy(options, "referrals_referral", generator.referrals)
    _copy(options, "referrals_referralevent", generator.events)
    schema.drop_defaults(options.database_url, defaults)
    timings = schema.restore_secondary(options.database_url, catalog)
    schema.reset_sequences(options.database_url, TABLES)
    days = _calendar(options)
    with schema.connect(options.database_url, autocommit=True) as conn:
        for table in (*TABLES, "bench_workday"):
            conn.execute(f"VACUUM ANALYZE {table}")
    return {
        "referrals": len(generator.referrals),
        "referral_events": len(generator.events),
        "cases_sampled": len(cases),
        "generated_until": now.isoformat(),
        "calendar_days": days,
        "index_seconds": {k: round(v, 1) for k, v in timings.items()},
    }
