"""Liveness says the process answers; readiness checks database, migrations and worker."""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache
from django.db import OperationalError
from django.db.migrations.executor import MigrationExecutor

from silta.core import health
from silta.core.worker import HEARTBEAT_KEY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)
    cache.set(HEARTBEAT_KEY, {"worker_id": "w", "at": time.time() - 5}, None)


def database_down(monkeypatch) -> None:
    def cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", cursor)


def test_liveness_needs_no_database(client, monkeypatch, django_assert_num_queries) -> None:
    database_down(monkeypatch)
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_ready_lists_every_check(client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ready"
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["migrations"] == {"ok": True, "unapplied": 0}
    worker = body["checks"]["worker"]
    assert worker["ok"] is True and 4 <= worker["age_seconds"] < 60
    assert worker["max_age_seconds"] == 120
    assert response["Cache-Control"] == "no-store"


def test_not_ready_while_the_database_is_down(client, monkeypatch) -> None:
    database_down(monkeypatch)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {"ok": False, "error": "OperationalError"}
    assert response.json()["status"] == "not ready"


def test_not_ready_with_unapplied_migrations(client, monkeypatch) -> None:
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("m", False)])
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == {"ok": False, "unapplied": 1}


def test_not_ready_without_a_recent_worker_heartbeat(client, settings) -> None:
    settings.SILTA_WORKER_HEARTBEAT_MAX_AGE_SECONDS = 3
    stale = client.get("/readyz")
    assert stale.status_code == 503
    assert stale.json()["checks"]["worker"]["ok"] is False
    cache.delete(HEARTBEAT_KEY)
    never = client.get("/readyz").json()["checks"]["worker"]
    assert never == {"ok": False, "age_seconds": None, "max_age_seconds": 3}


def test_probes_answer_straight_from_gunicorn(client, settings) -> None:
    """No HTTPS redirect and no ALLOWED_HOSTS refusal for a probe at the bare address."""
    settings.ALLOWED_HOSTS = ["silta.example.fi"]
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz", HTTP_HOST="10.0.0.7:8001").status_code == 200
    assert client.get("/readyz", HTTP_HOST="10.0.0.7:8001").status_code == 200
    assert client.get("/login/", HTTP_HOST="10.0.0.7:8001").status_code == 400
