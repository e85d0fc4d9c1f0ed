"""Production settings refuse demo shortcuts; security settings are as promised."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
GOOD_KEY = "k3J9v_Qe2LrT8wZp0aYcN5uH-dF7sXbM4gVj1oKiE6nRtWq"  # as secrets.token_urlsafe
POSTGRES = "postgres://silta@127.0.0.1:5432/silta"
PRODUCTION = {
    "SILTA_ENV": "production",
    "SECRET_KEY": GOOD_KEY,
    "ALLOWED_HOSTS": "silta.example.fi",
    "DATABASE_URL": POSTGRES,
    "SILTA_PUBLIC_URL": "https://silta.example.fi",
}
INHERITED = ("SILTA_", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "CACHE_URL")


def _import_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(INHERITED)}
    clean.update(env)
    clean["PYTHONPATH"] = str(ROOT / "src")
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import silta.config.settings as s; print(s.DEBUG, s.IS_PRODUCTION)",
        ],
        capture_output=True,
        text=True,
        env=clean,
        cwd=ROOT,
        check=False,
    )


def test_production_refuses_to_start_with_totp_skipped() -> None:
    result = _import_settings(**PRODUCTION, SILTA_DEMO_SKIP_TOTP="true")
    assert result.returncode != 0
    assert "SILTA_DEMO_SKIP_TOTP must be off in production" in result.stderr


def test_production_refuses_default_secret_and_debug() -> None:
    result = _import_settings(SILTA_ENV="production", DEBUG="true")
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr
    assert "SECRET_KEY must be set" in result.stderr


def test_production_starts_with_safe_settings() -> None:
    result = _import_settings(**PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False True"


def test_production_cookie_flags_and_test_codes() -> None:
    code = (
        "import silta.config.settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SILTA_ALLOW_TEST_IDENTITY_CODES)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(INHERITED)}
    env.update(PRODUCTION, PYTHONPATH=str(ROOT / "src"))
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=False
    )
    assert result.stdout.split() == ["True", "True", "True", "False"], result.stderr


def _example_secret() -> str:
    example = (ROOT / ".env.example").read_text().splitlines()
    return next(line.split("=", 1)[1] for line in example if line.startswith("SECRET_KEY="))


@pytest.mark.parametrize(
    "key",
    [
        _example_secret(),  # copying .env.example must not start production
        "x" * 50,  # long but one character
        "abcdefgh" * 6,  # long, eight characters repeated
        "0123456789" * 5,  # digits only
        "Change-Me-" + GOOD_KEY,  # a placeholder made longer
        GOOD_KEY[:39],  # short
    ],
)
def test_production_refuses_placeholder_and_low_entropy_keys(key: str) -> None:
    result = _import_settings(**{**PRODUCTION, "SECRET_KEY": key})
    assert result.returncode != 0
    assert "SECRET_KEY must be set to a long random value" in result.stderr


@pytest.mark.parametrize("hosts", ["*", "silta.example.fi,*", ""])
def test_production_refuses_any_host(hosts: str) -> None:
    result = _import_settings(**{**PRODUCTION, "ALLOWED_HOSTS": hosts})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must name the site's host names" in result.stderr


@pytest.mark.parametrize("database", [None, "sqlite:////tmp/silta.sqlite3"])
def test_production_refuses_a_missing_database_url(database: str | None) -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != "DATABASE_URL"}
    if database is not None:
        env["DATABASE_URL"] = database
    result = _import_settings(**env)
    assert result.returncode != 0
    assert "DATABASE_URL must name the PostgreSQL database" in result.stderr


@pytest.mark.parametrize("url", [None, "http://silta.example.fi", "https://", ""])
def test_production_refuses_a_missing_or_plain_http_public_url(url: str | None) -> None:
    """Client notifications link to SILTA_PUBLIC_URL: never the loopback default."""
    env = {k: v for k, v in PRODUCTION.items() if k != "SILTA_PUBLIC_URL"}
    if url is not None:
        env["SILTA_PUBLIC_URL"] = url
    result = _import_settings(**env)
    assert result.returncode != 0
    assert "SILTA_PUBLIC_URL must be the site's public https:// address" in result.stderr


@pytest.mark.parametrize("key", ["change-me", "abcdefgh" * 6, GOOD_KEY[:39]])
def test_production_refuses_a_weak_field_key(key: str) -> None:
    """The key that encrypts secrets at rest is held to SECRET_KEY's standard."""
    result = _import_settings(**{**PRODUCTION, "SILTA_FIELD_KEY": key})
    assert result.returncode != 0
    assert "SILTA_FIELD_KEY must be a long random value" in result.stderr


def test_production_accepts_a_strong_field_key_or_none() -> None:
    assert _import_settings(**PRODUCTION).returncode == 0
    strong = {**PRODUCTION, "SILTA_FIELD_KEY": "Zq8" + GOOD_KEY[::-1]}
    assert _import_settings(**strong).returncode == 0


def test_unknown_environment_is_refused() -> None:
    assert _import_settings(SILTA_ENV="staging").returncode != 0


def test_security_baseline() -> None:
    from silta.config import settings as configured

    assert configured.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert configured.SESSION_COOKIE_AGE == 30 * 60
    assert configured.SESSION_SAVE_EVERY_REQUEST is True
    assert "django.middleware.csrf.CsrfViewMiddleware" in configured.MIDDLEWARE
    assert configured.TIME_ZONE == "Europe/Helsinki" and configured.LANGUAGE_CODE == "fi"
    assert configured.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


@pytest.mark.django_db
def test_strict_csp_and_headers_on_every_page(client) -> None:
    response = client.get("/login/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert len(response["X-Request-ID"]) >= 8


def _settings_value(expression: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(INHERITED)}
    clean.update(env, PYTHONPATH=str(ROOT / "src"))
    code = f"import silta.config.settings as s; print({expression})"
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=clean, cwd=ROOT
    )


def test_connections_are_health_checked_before_reuse() -> None:
    from silta.config import settings as configured

    assert configured.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_shared_cache_is_the_database_by_default_and_redis_by_url() -> None:
    default = _settings_value("s.CACHES['default']['BACKEND'], s.CACHES['default']['LOCATION']")
    assert default.stdout.split() == ["django.core.cache.backends.db.DatabaseCache", "silta_cache"]
    redis = _settings_value(
        "s.CACHES['default']['BACKEND'], s.CACHES['default']['LOCATION']",
        CACHE_URL="redis://127.0.0.1:6379/3",
    )
    assert redis.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://127.0.0.1:6379/3",
    ], redis.stderr


@pytest.mark.django_db
def test_migrate_creates_the_cache_table() -> None:
    from django.core.cache import cache
    from django.db import connection

    assert "silta_cache" in connection.introspection.table_names()
    cache.set("probe", 1)
    assert cache.get("probe") == 1
