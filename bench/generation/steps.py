"""Incremental steps on an existing data set, each run once and recorded in ``bench_step``.

Data added after the big build (the directory, referrals, consents) is loaded by a step of
its own, so that a reused data set gains it without regenerating the 18 GB of messages.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from psycopg import sql

from bench import schema
from bench.options import Options

STEPS_TABLE = "bench_step"


def _done(options: Options) -> set[str]:
    with schema.connect(options.database_url) as conn:
        conn.execute(
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {} (name text PRIMARY KEY, "
                "done_at timestamptz NOT NULL, info jsonb NOT NULL)"
            ).format(sql.Identifier(STEPS_TABLE))
        )
        rows = conn.execute(sql.SQL("SELECT name FROM {}").format(sql.Identifier(STEPS_TABLE)))
        return {row[0] for row in rows}


def _mark(options: Options, name: str, info: dict[str, Any]) -> None:
    with schema.connect(options.database_url) as conn:
        conn.execute(
            sql.SQL("INSERT INTO {} VALUES (%s, now(), %s)").format(sql.Identifier(STEPS_TABLE)),
            [name, json.dumps(info)],
        )


def step_info(options: Options) -> dict[str, Any]:
    with schema.connect(options.database_url) as conn:
        rows = conn.execute(
            sql.SQL("SELECT name, info FROM {} ORDER BY done_at").format(
                sql.Identifier(STEPS_TABLE)
            )
        ).fetchall()
    return {name: info for name, info in rows}


def ensure_steps(options: Options) -> dict[str, Any]:
    """Run the steps not yet recorded in this data set; return every step's info."""
    from bench.generation.bookings import load_bookings
    from bench.generation.consents import load_consents
    from bench.generation.directory import load_directory
    from bench.generation.meetings import load_meetings
    from bench.generation.referrals import load_referrals

    steps: list[tuple[str, Callable[[], dict[str, Any]]]] = [
        ("directory", lambda: load_directory(options)),
        ("referrals", lambda: load_referrals(options)),
        ("consents", lambda: load_consents(options)),
        ("bookings", lambda: load_bookings(options)),
        ("meetings", lambda: load_meetings(options)),
    ]
    done = _done(options)
    for name, run in steps:
        if name in done:
            continue
        print(f"Step {name!r}: not in this data set yet, loading it.", flush=True)
        started = time.perf_counter()
        info = run()
        info["seconds"] = round(time.perf_counter() - started, 1)
        _mark(options, name, info)
        print(f"Step {name!r} done in {info['seconds']:.0f} s: {info}", flush=True)
    return step_info(options)
