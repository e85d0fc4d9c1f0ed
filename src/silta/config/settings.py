"""Silta settings: the one place where every environment variable is declared.

Each variable is declared once below with its type and default. The defaults run a
development instance on SQLite with nothing installed. Production differs only by
environment (``SILTA_ENV=production``, ``DATABASE_URL``, ``SECRET_KEY``...), and refuses
to start with any demo shortcut switched on. The README lists these variables.
"""

from __future__ import annotations

import math
import os
from collections import Counter
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent.parent
SRC_DIR = BASE_DIR / "src" / "silta"
INSECURE_DEV_KEY = "dev-only-insecure-key-change-me"
# The placeholder shown in .env.example: copying the example must not start production.
ENV_EXAMPLE_KEY = "change-me-to-a-long-random-value-of-at-least-40-characters"

env = environ.Env(
    SILTA_ENV=(str, "development"),
    DEBUG=(bool, None),
    SECRET_KEY=(str, INSECURE_DEV_KEY),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost", "testserver"]),
    CSRF_TRUSTED_ORIGINS=(list, []),
    DATABASE_URL=(str, f"sqlite:///{BASE_DIR / 'var' / 'silta.sqlite3'}"),
    CACHE_URL=(str, "dbcache://silta_cache"),
    SILTA_STORAGE_ROOT=(str, str(BASE_DIR / "var" / "attachments")),
    SILTA_STATIC_ROOT=(str, str(BASE_DIR / "var" / "static")),
    SILTA_MAX_ATTACHMENT_MB=(int, 20),
    SILTA_MAX_ATTACHMENTS_PER_MESSAGE=(int, 10),
    SILTA_PDF_ACTIVE_CONTENT=(str, "refuse"),
    SILTA_ALLOW_TEST_IDENTITY_CODES=(bool, None),
    SILTA_DEMO_SKIP_TOTP=(bool, False),
    SILTA_UNANSWERED_WORKING_DAYS=(int, 2),
    SILTA_CONSENT_DEFAULT_MONTHS=(int, 24),
    SILTA_CONSENT_MAX_MONTHS=(int, 36),
    SILTA_CONSENT_EXPIRY_WARNING_DAYS=(int, 10),
    SILTA_PUBLIC_URL=(str, "http://127.0.0.1:8000"),
    SILTA_NOTIFICATION_CHANNELS=(list, ["email", "suomifi"]),
    SILTA_NOTIFICATION_MAX_ATTEMPTS=(int, 6),
    SILTA_NOTIFICATION_RETRY_SECONDS=(int, 60),
    SILTA_SUOMIFI_MESSAGES_URL=(str, ""),
    SILTA_SUOMIFI_MESSAGES_USERNAME=(str, ""),
    SILTA_SUOMIFI_MESSAGES_PASSWORD=(str, ""),
    SILTA_SUOMIFI_MESSAGES_SERVICE_ID=(str, ""),
    SILTA_SUOMIFI_MESSAGES_TIMEOUT_SECONDS=(float, 10.0),
    SILTA_SESSION_IDLE_MINUTES=(int, 30),
    SILTA_CLIENT_IDLE_MINUTES=(int, 15),
    SILTA_LOGIN_MAX_FAILURES=(int, 5),
    SILTA_LOGIN_ADDRESS_MAX_FAILURES=(int, 30),
    SILTA_LOGIN_MAX_DELAY_SECONDS=(int, 300),
    SILTA_TRUSTED_PROXY_COUNT=(int, 0),
    EMAIL_URL=(str, "consolemail://"),
    DEFAULT_FROM_EMAIL=(str, "silta@localhost"),
    LOG_LEVEL=(str, "INFO"),
    SILTA_WORKER_MAX_BACKOFF_SECONDS=(float, 30.0),
    SILTA_WORKER_HEARTBEAT_MAX_AGE_SECONDS=(int, 120),
    SILTA_WEBHOOK_ALLOW_LOOPBACK=(bool, None),
    SILTA_WEBHOOK_MAX_ATTEMPTS=(int, 10),
    SILTA_WEBHOOK_RETRY_BASE_SECONDS=(float, 5.0),
    SILTA_WEBHOOK_DISABLE_AFTER_FAILURES=(int, 15),
    SILTA_WEBHOOK_TIMEOUT_SECONDS=(float, 15.0),
    SILTA_WEBHOOK_SECRET_OVERLAP_HOURS=(int, 24),
    SILTA_WEBHOOK_CONCURRENCY=(int, 8),
    SILTA_WEBHOOK_TASK_SECONDS=(int, 60),
    SILTA_FIELD_KEY=(str, ""),
    SILTA_FIELD_KEYS_OLD=(list, []),
    SILTA_OIDC_CLIENT_ISSUER=(str, ""),
    SILTA_OIDC_CLIENT_ID=(str, ""),
    SILTA_OIDC_CLIENT_SECRET=(str, ""),
    SILTA_OIDC_CLIENT_IDENTITY_CLAIM=(str, "urn:oid:1.2.246.21"),
    SILTA_OIDC_CLIENT_SCOPES=(str, "openid profile personal_identity_code"),
    SILTA_OIDC_STAFF_PROVIDERS=(str, ""),
)

SILTA_ENV = env("SILTA_ENV")
if SILTA_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("SILTA_ENV must be 'development' or 'production'.")
IS_PRODUCTION = SILTA_ENV == "production"

_debug = env("DEBUG")
DEBUG: bool = (not IS_PRODUCTION) if _debug is None else bool(_debug)
SECRET_KEY: str = env("SECRET_KEY")
ALLOWED_HOSTS: list[str] = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS: list[str] = env("CSRF_TRUSTED_ORIGINS")

_allow_test_codes = env("SILTA_ALLOW_TEST_IDENTITY_CODES")
# Test identity codes (individual number 900-999) are refused in production unless the
# operator explicitly allows them (DOMAIN.md §4).
SILTA_ALLOW_TEST_IDENTITY_CODES: bool = (
    (not IS_PRODUCTION) if _allow_test_codes is None else bool(_allow_test_codes)
)
SILTA_DEMO_SKIP_TOTP: bool = env("SILTA_DEMO_SKIP_TOTP")
SILTA_MAX_ATTACHMENT_BYTES: int = env("SILTA_MAX_ATTACHMENT_MB") * 1024 * 1024
SILTA_MAX_ATTACHMENTS_PER_MESSAGE: int = env("SILTA_MAX_ATTACHMENTS_PER_MESSAGE")
SILTA_UNANSWERED_WORKING_DAYS: int = env("SILTA_UNANSWERED_WORKING_DAYS")
# A consent's validity when none is given, and the longest allowed (silta.consents).
SILTA_CONSENT_DEFAULT_MONTHS: int = env("SILTA_CONSENT_DEFAULT_MONTHS")
SILTA_CONSENT_MAX_MONTHS: int = env("SILTA_CONSENT_MAX_MONTHS")
# The case workers are warned this many working days before a consent expires.
SILTA_CONSENT_EXPIRY_WARNING_DAYS: int = env("SILTA_CONSENT_EXPIRY_WARNING_DAYS")
if SILTA_CONSENT_EXPIRY_WARNING_DAYS < 0:
    raise ImproperlyConfigured("SILTA_CONSENT_EXPIRY_WARNING_DAYS must not be negative.")
# Sign-in throttling (silta.accounts.throttle): failures allowed per account name and per
# address before each further failure makes the next attempt wait 1 s, 2 s, 4 s... up to
# the maximum delay. No hard lock: anyone's guesses can only delay the owner a little.
SILTA_LOGIN_MAX_FAILURES: int = env("SILTA_LOGIN_MAX_FAILURES")
SILTA_LOGIN_ADDRESS_MAX_FAILURES: int = env("SILTA_LOGIN_ADDRESS_MAX_FAILURES")
SILTA_LOGIN_MAX_DELAY_SECONDS: int = env("SILTA_LOGIN_MAX_DELAY_SECONDS")
# OpenID Connect sign-in (silta.oidc): the clients' provider (Suomi.fi e-Identification or a
# broker in front of it; the claim that carries the identity code) and the staff's providers
# (a JSON list, one per organisation; README "Signing in through an identity provider").
SILTA_OIDC_CLIENT_ISSUER: str = env("SILTA_OIDC_CLIENT_ISSUER")
SILTA_OIDC_CLIENT_ID: str = env("SILTA_OIDC_CLIENT_ID")
SILTA_OIDC_CLIENT_SECRET: str = env("SILTA_OIDC_CLIENT_SECRET")
SILTA_OIDC_CLIENT_IDENTITY_CLAIM: str = env("SILTA_OIDC_CLIENT_IDENTITY_CLAIM")
SILTA_OIDC_CLIENT_SCOPES: str = env("SILTA_OIDC_CLIENT_SCOPES")
SILTA_OIDC_STAFF_PROVIDERS: str = env("SILTA_OIDC_STAFF_PROVIDERS")
# How many proxies (nginx, a load balancer) append to X-Forwarded-For in front of the
# application: the client address is the one the last of them appended (0: ignore it).
SILTA_TRUSTED_PROXY_COUNT: int = env("SILTA_TRUSTED_PROXY_COUNT")
if "SILTA_TRUST_X_FORWARDED_FOR" in os.environ:
    raise ImproperlyConfigured(
        "SILTA_TRUST_X_FORWARDED_FOR is replaced by SILTA_TRUSTED_PROXY_COUNT "
        "(the number of proxies in front of Silta, e.g. 1 for nginx alone)."
    )


def key_entropy_bits(key: str) -> float:
    """Shannon entropy of the key's characters times its length: a rough strength."""
    counts = Counter(key)
    return -sum(n * math.log2(n / len(key)) for n in counts.values()) if key else 0.0


def weak_secret_key(key: str) -> bool:
    """The development key, the .env.example placeholder, or a short or repetitive key."""
    folded = key.casefold()
    return (
        key in (INSECURE_DEV_KEY, ENV_EXAMPLE_KEY)
        or "change-me" in folded
        or "changeme" in folded
        or len(key) < 40
        or len(set(key)) < 12
        or key_entropy_bits(key) < 128
    )


def check_production_safety() -> None:
    """Refuse to start a production instance with a demo shortcut or an unsafe default."""
    if not IS_PRODUCTION:
        return
    problems = []
    if SILTA_DEMO_SKIP_TOTP:
        problems.append("SILTA_DEMO_SKIP_TOTP must be off in production")
    if DEBUG:
        problems.append("DEBUG must be off in production")
    if weak_secret_key(SECRET_KEY):
        problems.append(
            "SECRET_KEY must be set to a long random value in production (not the example; "
            "e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))')"
        )
    if not ALLOWED_HOSTS or any(host.strip() in ("*", "") for host in ALLOWED_HOSTS):
        problems.append("ALLOWED_HOSTS must name the site's host names in production, not *")
    if "DATABASE_URL" not in os.environ or env("DATABASE_URL").startswith("sqlite"):
        problems.append("DATABASE_URL must name the PostgreSQL database in production")
    # The key of the secrets encrypted at rest (webhook signing secrets): SECRET_KEY when
    # unset, and held to the same standard when set.
    field_key = os.environ.get("SILTA_FIELD_KEY", "")
    if field_key and weak_secret_key(field_key):
        problems.append(
            "SILTA_FIELD_KEY must be a long random value in production, like SECRET_KEY"
        )
    # The address in the links of client notifications and webhook payloads: the default
    # (this machine's loopback) would send clients to a page they cannot reach.
    public_url = os.environ.get("SILTA_PUBLIC_URL", "")
    if not public_url.startswith("https://") or len(public_url) <= len("https://"):
        problems.append("SILTA_PUBLIC_URL must be the site's public https:// address in production")
    if problems:
        raise ImproperlyConfigured("; ".join(problems))


check_production_safety()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "silta.core",
    "silta.audit",
    "silta.organisations",
    "silta.accounts",
    "silta.reference",
    "silta.workdays",
    "silta.clients",
    "silta.exchange",
    "silta.directory",
    "silta.callbacks",
    "silta.referrals",
    "silta.consents",
    "silta.notifications",
    "silta.meetings",
    "silta.bookings",
    "silta.knowledge",
    "silta.portal",
    "silta.cooperation",
    "silta.api_keys",
    "silta.webhooks",
    "silta.fhir",
    "silta.analytics",
    "silta.oidc",
    "silta.demo",
]

MIDDLEWARE = [
    "silta.core.health.HealthCheckMiddleware",
    "silta.core.middleware.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "silta.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Instead of LocaleMiddleware: the user's saved language, else the switcher's, else fi.
    "silta.accounts.language.PreferredLanguageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "silta.accounts.middleware.StaffLoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "silta.config.urls"
WSGI_APPLICATION = "silta.config.wsgi.application"
ASGI_APPLICATION = "silta.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "silta.accounts.context_processors.silta",
            ],
        },
    },
]

DATABASES = {"default": env.db_url("DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = 60 if IS_PRODUCTION else 0
# A persistent connection is checked before each request reuses it, so a database
# restart does not cost every gunicorn worker one 500 on its stale connection.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "exchange:home"

# Sessions end after 30 minutes without activity: every request renews the expiry.
SESSION_COOKIE_AGE = env("SILTA_SESSION_IDLE_MINUTES") * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
# The client's own view (silta.portal): a shorter idle time, its own sign-in page, and the
# URL names that start strong identification (the OIDC relying party's first step) and
# that sign out of Silta and then of the identification service.
SILTA_CLIENT_IDLE_MINUTES: int = env("SILTA_CLIENT_IDLE_MINUTES")
SILTA_CLIENT_LOGIN_URL = "portal:sign_in"
SILTA_CLIENT_SIGN_IN_START = "oidc:start"
SILTA_CLIENT_SIGN_OUT = "oidc:client_sign_out"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if IS_PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Strict CSP: scripts, styles and images only from this origin; nothing inline.
SILTA_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'none'; object-src 'none'"
)

LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Helsinki"
USE_TZ = True
# Swedish and English as written in Finland (2.12.2026 kl. 05.00); see silta/core/formats.
FORMAT_MODULE_PATH = ["silta.core.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = env("SILTA_STATIC_ROOT")

# Attachments live outside the database and outside any public URL: they are served
# only by the access-checked download view.
SILTA_STORAGE_ROOT = env("SILTA_STORAGE_ROOT")
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": SILTA_STORAGE_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A file over the attachment limit is cut off as it streams in (silta.core.uploads).
FILE_UPLOAD_HANDLERS = [
    "silta.core.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_PERMISSIONS = 0o600
# Active content in PDFs (JavaScript, actions run on opening, launching programs):
# "refuse" the file, or "flag" it (kept, and marked to whoever downloads it).
SILTA_PDF_ACTIVE_CONTENT: str = env("SILTA_PDF_ACTIVE_CONTENT")
if SILTA_PDF_ACTIVE_CONTENT not in ("refuse", "flag"):
    raise ImproperlyConfigured("SILTA_PDF_ACTIVE_CONTENT must be 'refuse' or 'flag'.")

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The background worker (``manage.py worker``) survives database outages: it backs off
# (doubling, up to this cap) and reconnects. Each pass of its loop leaves a heartbeat in
# the cache; /readyz reports the instance not ready when the heartbeat is older than this.
SILTA_WORKER_MAX_BACKOFF_SECONDS: float = env("SILTA_WORKER_MAX_BACKOFF_SECONDS")
SILTA_WORKER_HEARTBEAT_MAX_AGE_SECONDS: int = env("SILTA_WORKER_HEARTBEAT_MAX_AGE_SECONDS")

# Webhooks (silta.webhooks): http and the loopback range only in development and tests.
_webhook_loopback = env("SILTA_WEBHOOK_ALLOW_LOOPBACK")
SILTA_WEBHOOK_ALLOW_LOOPBACK: bool = DEBUG if _webhook_loopback is None else _webhook_loopback
SILTA_WEBHOOK_MAX_ATTEMPTS: int = env("SILTA_WEBHOOK_MAX_ATTEMPTS")
SILTA_WEBHOOK_RETRY_BASE_SECONDS: float = env("SILTA_WEBHOOK_RETRY_BASE_SECONDS")
SILTA_WEBHOOK_DISABLE_AFTER_FAILURES: int = env("SILTA_WEBHOOK_DISABLE_AFTER_FAILURES")
SILTA_WEBHOOK_TIMEOUT_SECONDS: float = env("SILTA_WEBHOOK_TIMEOUT_SECONDS")
SILTA_WEBHOOK_SECRET_OVERLAP_HOURS: int = env("SILTA_WEBHOOK_SECRET_OVERLAP_HOURS")
SILTA_WEBHOOK_CONCURRENCY: int = env("SILTA_WEBHOOK_CONCURRENCY")
SILTA_WEBHOOK_TASK_SECONDS: int = env("SILTA_WEBHOOK_TASK_SECONDS")
# Secrets kept in the database (webhook signing secrets) are encrypted with a key derived
# (HKDF-SHA256) from this, or from SECRET_KEY when unset; the old keys still decrypt after
# a change, until ``manage.py field_key_rotate`` has re-encrypted with the new one.
SILTA_FIELD_KEY: str = env("SILTA_FIELD_KEY") or SECRET_KEY
SILTA_FIELD_KEYS_OLD: list[str] = env("SILTA_FIELD_KEYS_OLD")

# State shared by every process (login throttling, the worker's heartbeat) lives in
# Django's cache: a database table by default (created by ``migrate``, so the demo needs
# nothing), Redis in production with Django's own backend (``CACHE_URL=redis://...``).
_cache = env.cache_url_config(env("CACHE_URL"))
if _cache["BACKEND"].endswith("RedisCache"):
    _cache["BACKEND"] = "django.core.cache.backends.redis.RedisCache"
elif _cache["BACKEND"].endswith("DatabaseCache"):
    # Django culls a third of a database cache past 300 entries: a flood of failed
    # sign-ins under many names would wipe the throttle's own counts.
    _cache.setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 100_000)
# "local": each process's own memory, for public data read on every request and fine a
# minute old (the own view's contact channels); bounded, the oldest entries go first.
CACHES = {
    "default": _cache,
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "silta-local",
        "TIMEOUT": 60,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL")

# Notifications to clients (silta.notifications): the links in them start with the public
# address; the channels this instance uses ("email", "suomifi"); a failed delivery is
# retried after RETRY_SECONDS x 2^(attempt-1), at most MAX_ATTEMPTS times. Suomi.fi
# Messages (REST API) is off until its URL is set; then its API user, password and the
# sender's service id are required (``manage.py check``).
SILTA_PUBLIC_URL: str = env("SILTA_PUBLIC_URL")
SILTA_NOTIFICATION_CHANNELS: list[str] = env("SILTA_NOTIFICATION_CHANNELS")
SILTA_NOTIFICATION_MAX_ATTEMPTS: int = env("SILTA_NOTIFICATION_MAX_ATTEMPTS")
SILTA_NOTIFICATION_RETRY_SECONDS: int = env("SILTA_NOTIFICATION_RETRY_SECONDS")
SILTA_SUOMIFI_MESSAGES_URL: str = env("SILTA_SUOMIFI_MESSAGES_URL")
SILTA_SUOMIFI_MESSAGES_USERNAME: str = env("SILTA_SUOMIFI_MESSAGES_USERNAME")
SILTA_SUOMIFI_MESSAGES_PASSWORD: str = env("SILTA_SUOMIFI_MESSAGES_PASSWORD")
SILTA_SUOMIFI_MESSAGES_SERVICE_ID: str = env("SILTA_SUOMIFI_MESSAGES_SERVICE_ID")
SILTA_SUOMIFI_MESSAGES_TIMEOUT_SECONDS: float = env("SILTA_SUOMIFI_MESSAGES_TIMEOUT_SECONDS")

# Log lines never carry client data: the request-id filter adds the id only, and the
# identity-code filter masks anything that looks like a henkilötunnus as a last line
# of defence.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "silta.core.logging.RequestIdFilter"},
        "mask_identity_codes": {"()": "silta.core.logging.MaskIdentityCodeFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id", "mask_identity_codes"],
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
    },
}

# Error pages and reports never show submitted form fields (they may hold an identity code).
DEFAULT_EXCEPTION_REPORTER_FILTER = "silta.core.logging.NoClientDataExceptionReporterFilter"
