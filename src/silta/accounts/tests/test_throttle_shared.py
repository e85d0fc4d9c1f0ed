"""Sign-in throttling is shared by every web process: it lives in the shared cache.

Each gunicorn worker has its own memory, so a per-process count let 115 of 140 failures
through with a limit of 30. Here the failures are made through one cache connection and
read back through a separate backend instance, as another process would.
"""

from __future__ import annotations

import uuid

import pytest
from django.core.cache.backends.base import BaseCache
from django.test import override_settings
from django.utils.module_loading import import_string

from silta.accounts import throttle

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/0"


def _redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


BACKENDS = {
    "database": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "silta_cache",
    },
    "redis": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
}


def other_process(config: dict[str, str]) -> BaseCache:
    """A fresh backend instance with its own connection (what another worker has)."""
    options = {k: v for k, v in config.items() if k not in ("BACKEND", "LOCATION")}
    return import_string(config["BACKEND"])(config["LOCATION"], options)


@pytest.mark.parametrize("backend", list(BACKENDS))
def test_failures_counted_in_one_process_delay_another(client, settings, backend) -> None:
    if backend == "redis" and not _redis_reachable():
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    config = {**BACKENDS[backend], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    settings.SILTA_LOGIN_ADDRESS_MAX_FAILURES = 3
    with override_settings(CACHES={"default": config}):
        for attempt in range(3):
            response = client.post(
                "/login/", {"username": f"nobody-{attempt}", "password": "x", "otp_token": ""}
            )
            assert response.status_code == 200
        elsewhere = other_process(config)
        stem, _free = throttle._subjects("anyone", "127.0.0.1")["address"]
        assert elsewhere.get(f"{stem}:failures") == 3
        assert elsewhere.get(f"{stem}:until") is not None
        assert client.post("/login/", {"username": "x", "password": "y"}).status_code == 429
        throttle.clear_account("anyone")
        elsewhere.delete_many([f"{stem}:failures", f"{stem}:until"])


def test_a_flood_of_names_does_not_cull_the_counts(settings) -> None:
    """Django's database cache culls past MAX_ENTRIES (300 by default)."""
    assert settings.CACHES["default"]["OPTIONS"]["MAX_ENTRIES"] >= 100_000
    settings.SILTA_LOGIN_MAX_FAILURES = 1
    throttle.record_failure("first-target", "192.0.2.1", now=1000.0)
    for n in range(200):  # 400 entries and more: past Django's default
        throttle.record_failure(f"name-{n}", f"192.0.2.{n % 250 + 2}", now=1000.0)
    assert throttle.wait_seconds("first-target", "198.51.100.1", now=1000.5) == 1
