"""``make load``: a bounded, headless locust run against gunicorn on loopback.

Creates a PostgreSQL database on 127.0.0.1 (dropped at the end), migrates it, loads the
demo data and issues an API key for the Kela unit with the most cases; starts gunicorn
with production settings (DEBUG off) on 127.0.0.1; runs locust's API mix
(``load/locustfile.py``) for a fixed time; prints throughput and percentiles; stops
everything it started. Only loopback addresses are ever used.

Environment: LOAD_USERS (50), LOAD_SECONDS (60), LOAD_WORKERS (gunicorn workers, 4),
LOAD_PG (postgres://postgres@127.0.0.1:5432), LOAD_PORT (8765); LOAD_FAULT=0 skips the
fault test that follows the locust run (``load/fault.py``: PostgreSQL restarted under
acknowledged writes; 0 lost and 0 duplicated, else the run fails).
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psycopg
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
# load/ is a folder of scripts, not a package.
from fault import run_fault_test

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
USERS = int(os.environ.get("LOAD_USERS", "50"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
WORKERS = int(os.environ.get("LOAD_WORKERS", "4"))
PG = os.environ.get("LOAD_PG", "postgres://postgres@127.0.0.1:5432")
PORT = int(os.environ.get("LOAD_PORT", "8765"))
# The fault test (load/fault.py) after the locust run: PostgreSQL restarted under writes.
FAULT = os.environ.get("LOAD_FAULT", "1") != "0"
HOST = f"http://127.0.0.1:{PORT}"
DB = "silta_load"
LOOPBACK = ("127.", "localhost", "[::1]")
API = "/api/v1"

ISSUE_KEY = """
from django.db.models import Count
from silta.api_keys.services import api_key_issue
from silta.exchange.models import Case
from silta.organisations.models import Unit
top = Case.objects.values("kela_unit").annotate(n=Count("pk")).order_by("-n").first()
unit = Unit.objects.get(pk=top["kela_unit"])
print(api_key_issue(unit=unit, name="load test").plaintext)
"""


def _pg_host(url: str) -> str:
    return url.split("@", 1)[-1].split("/", 1)[0]


def _recreate_database(drop_only: bool = False) -> None:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {DB}")


def _environment(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        SILTA_ENV="production",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SILTA_PUBLIC_URL="https://localhost",
        DATABASE_URL=f"{PG}/{DB}",
        SILTA_ALLOW_TEST_IDENTITY_CODES="true",
        SILTA_STORAGE_ROOT=str(tmp / "attachments"),
        SILTA_STATIC_ROOT=str(tmp / "static"),
        LOG_LEVEL="WARNING",
    )
    return env


def _manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [str(BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def _prepare(env: dict[str, str]) -> str:
    print(f"load: database {DB} on {_pg_host(PG)}: migrate, demo data, API key")
    _manage(env, "migrate", "--noinput")
    # The demo loader refuses production settings: it runs as development on the same DB.
    _manage({**env, "SILTA_ENV": "development"}, "demo_seed")
    return _manage(env, "shell", "-c", ISSUE_KEY).strip().splitlines()[-1]


def _start_gunicorn(env: dict[str, str], tmp: Path) -> subprocess.Popen[bytes]:
    log = (tmp / "gunicorn.log").open("wb")
    command = [
        str(BIN / "gunicorn"),
        "silta.config.wsgi",
        "--chdir",
        "src",
        "--workers",
        str(WORKERS),
        "--bind",
        f"127.0.0.1:{PORT}",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"{HOST}/healthz", timeout=2):  # noqa: S310 (loopback)
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError(f"gunicorn did not answer; see {tmp / 'gunicorn.log'}")


def _collect_ids(headers: dict[str, str]) -> dict[str, list[str]]:
    """The unit's cases, their threads and its referrals, read through the API before the
    clock starts (passed to the locustfile in ``SILTA_LOAD_IDS``)."""
    ids: dict[str, list[str]] = {"cases": [], "threads": [], "referrals": []}
    session = requests.Session()
    session.headers.update(headers)
    for page in (1, 2, 3, 4):
        body = session.get(f"{HOST}{API}/cases", params={"page": page}, timeout=30).json()
        ids["cases"] += [case["id"] for case in body["items"]]
        if not body["has_next"]:
            break
    for case_id in ids["cases"][:40]:
        timeline = session.get(f"{HOST}{API}/cases/{case_id}/timeline", timeout=30).json()
        ids["threads"] += sorted({e["thread_id"] for e in timeline["items"] if e["thread_id"]})
    for box in ("received", "sent"):
        listing = session.get(f"{HOST}{API}/referrals", params={"box": box}, timeout=30).json()
        ids["referrals"] += [referral["id"] for referral in listing["items"]]
    if not ids["cases"] or not ids["threads"]:
        raise RuntimeError("The API key's unit has no cases or threads: seed the demo data.")
    return ids


def _headers(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}", "X-Forwarded-Proto": "https", "Accept-Language": "fi"}


def _run_locust(key: str, tmp: Path) -> dict[str, list[str]]:
    command = [
        str(BIN / "locust"),
        "-f",
        str(ROOT / "load" / "locustfile.py"),
        "--headless",
        "--users",
        str(USERS),
        "--spawn-rate",
        str(max(USERS // 5, 1)),
        "--run-time",
        f"{SECONDS}s",
        "--stop-timeout",
        "5",
        "--host",
        HOST,
        "--csv",
        str(tmp / "load"),
        "--only-summary",
    ]
    env = {**os.environ, "SILTA_LOAD_API_KEY": key}
    ids = _collect_ids(_headers(key))
    print(f"load: {len(ids['cases'])} cases, {len(ids['threads'])} threads, ", end="")
    print(f"{len(ids['referrals'])} referrals; {USERS} users for {SECONDS} s")
    env["SILTA_LOAD_IDS"] = json.dumps(ids)
    subprocess.run(command, cwd=ROOT, env=env, check=False, timeout=SECONDS + 120)
    return ids


def _summary(tmp: Path) -> None:
    with (tmp / "load_stats.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    print(f"\nload: {USERS} users, {SECONDS} s, gunicorn {WORKERS} workers, PostgreSQL")
    print(f"{'request':<20}{'count':>8}{'fail':>6}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}")
    for row in rows:
        print(
            f"{row['Name']:<20}{row['Request Count']:>8}{row['Failure Count']:>6}"
            f"{float(row['Requests/s']):>8.1f}{row['50%']:>7}{row['95%']:>7}{row['99%']:>7}"
        )
    print("(times in ms)")


def main() -> None:
    assert HOST.startswith("http://127.") and _pg_host(PG).startswith(LOOPBACK)
    with tempfile.TemporaryDirectory(prefix="silta-load-") as name:
        tmp = Path(name)
        env = _environment(tmp)
        _recreate_database()
        server, failed = None, False
        try:
            key = _prepare(env)
            server = _start_gunicorn(env, tmp)
            ids = _run_locust(key, tmp)
            _summary(tmp)
            if FAULT:
                result = run_fault_test(HOST, _headers(key), ids["threads"], f"{PG}/{DB}")
                failed = bool(result["lost"] or result["duplicated"])
        finally:
            if server is not None:
                server.send_signal(signal.SIGTERM)
                server.wait(timeout=30)
            _recreate_database(drop_only=True)
    if failed:
        sys.exit("load: the fault test lost or duplicated acknowledged writes")


if __name__ == "__main__":
    main()
