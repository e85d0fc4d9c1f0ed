"""Liveness (``/healthz``) and readiness (``/readyz``) for load balancers and operators.

``/healthz`` only says the process answers: it touches neither the database nor the
cache, so a database outage does not get every web process restarted. ``/readyz`` says
whether this instance can do its work: the database answers, every migration on disk is
applied, and a background worker has passed through its loop recently (its heartbeat in
the shared cache is younger than ``SILTA_WORKER_HEARTBEAT_MAX_AGE_SECONDS``). It answers
503 with the failing checks when not ready.

``HealthCheckMiddleware`` answers both paths first in the middleware stack, so a probe
sent straight to gunicorn (plain HTTP, an address as host) is not redirected to HTTPS or
refused by ``ALLOWED_HOSTS``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse

from silta.core.worker import heartbeat_age

logger = logging.getLogger("silta.health")

Check = dict[str, Any]
_migrations_applied = False  # once true it stays true for this process's code


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True}


def check_migrations() -> Check:
    global _migrations_applied
    if _migrations_applied:
        return {"ok": True, "unapplied": 0}
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        return {"ok": False, "error": type(exc).__name__}
    _migrations_applied = not plan
    return {"ok": not plan, "unapplied": len(plan)}


def check_worker() -> Check:
    max_age = settings.SILTA_WORKER_HEARTBEAT_MAX_AGE_SECONDS
    try:
        age = heartbeat_age()
    except Exception as exc:  # a cache outage makes the heartbeat unknown, not the page fail
        return {"ok": False, "error": type(exc).__name__, "max_age_seconds": max_age}
    return {
        "ok": age is not None and age <= max_age,
        "age_seconds": None if age is None else round(age, 1),
        "max_age_seconds": max_age,
    }


CHECKS: dict[str, Callable[[], Check]] = {
    "database": check_database,
    "migrations": check_migrations,
    "worker": check_worker,
}


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers (no database, no cache)."""
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: database reachable, migrations applied, worker heartbeat recent."""
    checks = {name: check() for name, check in CHECKS.items()}
    ready = all(result["ok"] for result in checks.values())
    if not ready:
        logger.warning("not ready: %s", ", ".join(n for n, r in checks.items() if not r["ok"]))
    body = {"status": "ready" if ready else "not ready", "checks": checks}
    response = JsonResponse(body, status=200 if ready else 503)
    response["Cache-Control"] = "no-store"
    return response


PROBES: dict[str, Callable[[HttpRequest], JsonResponse]] = {
    "/healthz": healthz,
    "/readyz": readyz,
}


class HealthCheckMiddleware:
    """Answer the probes before host checks, HTTPS redirects, sessions and sign-in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info)
        if probe is not None and request.method in ("GET", "HEAD"):
            return probe(request)
        return self.get_response(request)
