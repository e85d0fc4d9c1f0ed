"""The fault test of issue 10: PostgreSQL restarted under a stream of acknowledged writes.

Writers post messages through the API, each with its own ``Idempotency-Key`` and a body
that names it; a write that fails (connection refused, a 5xx, a 503 during the outage, a
timeout) is retried with the same key and body until it is acknowledged (201) or the
deadline passes. Midway, PostgreSQL is restarted (``LOAD_PG_RESTART``, by default
``pg_ctlcluster <version> main restart``). Afterwards the database is read:

- **lost**: an acknowledged write whose message is not there;
- **duplicated**: a key whose message is there more than once.

Both must be 0. Run by ``make load`` after the locust run (``LOAD_FAULT=0`` skips it), on
the same gunicorn and database. Only loopback addresses are used.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import requests

WRITERS = int(os.environ.get("LOAD_FAULT_WRITERS", "6"))
SECONDS = int(os.environ.get("LOAD_FAULT_SECONDS", "40"))
RESTART_AT = float(os.environ.get("LOAD_FAULT_RESTART_AT", "0.4"))  # share of SECONDS
DEADLINE = 90  # seconds a single write may keep retrying


def _restart_command() -> list[str]:
    configured = os.environ.get("LOAD_PG_RESTART", "")
    if configured:
        return configured.split()
    versions = sorted(p.name for p in Path("/etc/postgresql").iterdir() if p.is_dir())
    return ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "restart"]


@dataclass
class Tally:
    acknowledged: dict[str, str] = field(default_factory=dict)  # key -> message id
    retries: int = 0
    gave_up: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def seen(self, status: int) -> None:
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1


def _writable_threads(host: str, headers: dict[str, str], threads: list[str]) -> list[str]:
    """Threads a message can go to without naming a basis (a consent covers it)."""
    usable = []
    for thread_id in threads[:30]:
        response = requests.post(
            f"{host}/api/v1/threads/{thread_id}/messages",
            files={"body": (None, "Vikatestin koeviesti.")},
            headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
            timeout=30,
        )
        if response.status_code == 201:
            usable.append(thread_id)
    if not usable:
        raise RuntimeError("No thread takes a message on a consent: seed the demo data.")
    return usable


def _write(host: str, headers: dict[str, str], thread_id: str, run: str, tally: Tally) -> None:
    key = str(uuid.uuid4())
    body = f"vikatesti {run} {key}"
    started = time.monotonic()
    while time.monotonic() - started < DEADLINE:
        try:
            response = requests.post(
                f"{host}/api/v1/threads/{thread_id}/messages",
                files={"body": (None, body)},
                headers={**headers, "Idempotency-Key": key},
                timeout=15,
            )
        except requests.RequestException:
            tally.seen(0)
        else:
            tally.seen(response.status_code)
            if response.status_code == 201:
                with tally.lock:
                    tally.acknowledged[key] = response.json()["id"]
                return
            if response.status_code < 500 and response.status_code != 409:
                raise RuntimeError(f"unexpected {response.status_code}: {response.text[:200]}")
        with tally.lock:
            tally.retries += 1
        time.sleep(0.5)
    with tally.lock:
        tally.gave_up += 1


def _writer(
    host: str, headers: dict[str, str], threads: list[str], run: str, tally: Tally, until: float
) -> None:
    n = 0
    while time.monotonic() < until:
        _write(host, headers, threads[n % len(threads)], run, tally)
        n += 1


def _count(database_url: str, run: str) -> dict[str, int]:
    """Messages of this run in the database, by idempotency key (the body's last word)."""
    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            "SELECT body FROM exchange_message WHERE body LIKE %s", [f"vikatesti {run} %"]
        ).fetchall()
    counts: dict[str, int] = {}
    for (body,) in rows:
        key = body.rsplit(" ", 1)[-1]
        counts[key] = counts.get(key, 0) + 1
    return counts


def run_fault_test(
    host: str, headers: dict[str, str], threads: list[str], database_url: str
) -> dict[str, Any]:
    usable = _writable_threads(host, headers, threads)
    run, tally = uuid.uuid4().hex[:8], Tally()
    until = time.monotonic() + SECONDS
    workers = [
        threading.Thread(target=_writer, args=(host, headers, usable, run, tally, until))
        for _ in range(WRITERS)
    ]
    for worker in workers:
        worker.start()
    time.sleep(SECONDS * RESTART_AT)
    restart = _restart_command()
    print(f"fault: restarting PostgreSQL ({' '.join(restart)})")
    began = time.monotonic()
    subprocess.run(restart, check=True, timeout=120)
    outage = time.monotonic() - began
    for worker in workers:
        worker.join()
    counts = _count(database_url, run)
    lost = [key for key in tally.acknowledged if counts.get(key, 0) == 0]
    duplicated = [key for key, n in counts.items() if n > 1]
    result = {
        "acknowledged": len(tally.acknowledged),
        "lost": len(lost),
        "duplicated": len(duplicated),
        "retries": tally.retries,
        "gave_up": tally.gave_up,
        "restart_seconds": round(outage, 1),
        "statuses": dict(sorted(tally.statuses.items())),
    }
    print(
        f"fault: {result['acknowledged']} acknowledged writes, {result['lost']} lost, "
        f"{result['duplicated']} duplicated; {result['retries']} retries "
        f"(answers {result['statuses']}, 0 = no connection), restart took "
        f"{result['restart_seconds']} s, {result['gave_up']} writes gave up"
    )
    return result
