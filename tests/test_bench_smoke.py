"""The benchmark, end to end at a tiny scale, so a migration that breaks it fails the tests.

``bench/run.py`` regenerates a data set of 500 clients and 5,000 messages (plus the
directory, referral and consent steps) in its own PostgreSQL database, times every
operation once and checks that the real code and the hand-written SQL return the same
rows. PostgreSQL only: the bench is COPY, PostgreSQL catalogues and EXPLAIN.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "silta_bench_smoke"
OPERATIONS = (
    "inbox, all + counts",
    "inbox, unread + counts",
    "case timeline: the case page's story (case_get + page 1)",
    "directory unit page",
    "referrals received, overdue (page 1)",
    "referrals monthly report",
    "consent panel",
    "disclosure check",
    "client home page",
    "analytics: organiser 12-month dashboard",
    "analytics: region view",
)

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="the bench runs on PostgreSQL only (COPY, its catalogues, EXPLAIN)",
)


def _url(database: str) -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{database}"))


def test_the_bench_runs_at_a_tiny_scale():
    url = _url(DATABASE)
    command = [
        sys.executable,
        str(ROOT / "bench" / "run.py"),
        *("--scale", "0.0005", "--reps", "1", "--warmup", "0"),
        *("--regenerate", "--no-results-file", "--database-url", url),
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith("BENCH_")}
    try:
        done = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False
        )
    finally:
        with psycopg.connect(_url("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    rows = {
        line.split("  ")[0]: line.split()[-1]
        for line in done.stdout.splitlines()
        if re.search(r"\d+x", line) and "  " in line
    }
    for name in OPERATIONS:
        matching = [row for row in rows if row.startswith(name)]
        assert matching, f"{name!r} was not measured"
        assert all(rows[row] == "yes" for row in matching), f"{name!r}: rows differ"
    # The slot search (bench.measurement.bookings) and a worker's open meeting actions
    # (bench.measurement.meetings) against their hand-written SQL.
    assert done.stdout.count("same as the raw SQL: True") == 2, "slots or actions: rows differ"
