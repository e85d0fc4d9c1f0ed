"""Signing in: password + one-time code (TOTP), throttling and lock-out.

Every staff account needs a confirmed TOTP device. ``SILTA_DEMO_SKIP_TOTP`` lets a demo
instance skip the code; production settings refuse to start with it on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core.cache import cache
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from silta.accounts.models import User
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.core.middleware import client_address

ADDRESS_FAILURE_LIMIT = 30


class LoginOutcome(Enum):
    OK = "ok"
    ENROL_TOTP = "enrol_totp"
    INVALID = "invalid"
    LOCKED = "locked"
    THROTTLED = "throttled"


@dataclass(frozen=True)
class LoginResult:
    outcome: LoginOutcome
    user: User | None = None
    device: TOTPDevice | None = None


def _address_key(request: HttpRequest) -> str:
    return f"login-failures:{client_address(request) or '-'}"


def _find_user(username: str) -> User | None:
    return get_user_model().objects.filter(username__iexact=username.strip()).first()


def _is_locked(user: User | None, now: dt.datetime) -> bool:
    return bool(user and user.locked_until and user.locked_until > now)


def _fail(request: HttpRequest, user: User | None, reason: str) -> LoginResult:
    now = timezone.now()
    key = _address_key(request)
    cache.add(key, 0, timeout=settings.SILTA_LOGIN_LOCK_MINUTES * 60)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=settings.SILTA_LOGIN_LOCK_MINUTES * 60)
    if user is not None:
        User.objects.filter(pk=user.pk).update(failed_login_count=F("failed_login_count") + 1)
        user.refresh_from_db(fields=["failed_login_count"])
        if user.failed_login_count >= settings.SILTA_LOGIN_MAX_FAILURES:
            until = now + dt.timedelta(minutes=settings.SILTA_LOGIN_LOCK_MINUTES)
            User.objects.filter(pk=user.pk).update(locked_until=until, failed_login_count=0)
            reason = f"{reason}; locked"
    record(actor=None, user=user, action=AuditAction.LOGIN_FAILED, detail={"reason": reason})
    return LoginResult(LoginOutcome.INVALID)


def login_check(
    *, request: HttpRequest, username: str, password: str, otp_token: str
) -> LoginResult:
    """Check the credentials; does not log the user in (see ``login_complete``)."""
    if (cache.get(_address_key(request)) or 0) >= ADDRESS_FAILURE_LIMIT:
        return LoginResult(LoginOutcome.THROTTLED)
    now = timezone.now()
    candidate = _find_user(username)
    if _is_locked(candidate, now):
        record(
            actor=None, user=candidate, action=AuditAction.LOGIN_FAILED, detail={"reason": "locked"}
        )
        return LoginResult(LoginOutcome.LOCKED)
    user = authenticate(
        request, username=candidate.username if candidate else username, password=password
    )
    if user is None:
        return _fail(request, candidate, "password")
    devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    if settings.SILTA_DEMO_SKIP_TOTP:
        return LoginResult(LoginOutcome.OK, user=user, device=None)
    if not devices:
        return LoginResult(LoginOutcome.ENROL_TOTP, user=user)
    token = "".join((otp_token or "").split())
    device = next((d for d in devices if token and d.verify_token(token)), None)
    if device is None:
        return _fail(request, user, "otp")
    return LoginResult(LoginOutcome.OK, user=user, device=device)


def login_succeeded(*, user: User) -> None:
    User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
    record(actor=None, user=user, action=AuditAction.LOGIN)


def totp_device_for_enrolment(*, user: User) -> TOTPDevice:
    """The user's unconfirmed device to enrol (created once, reused until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Silta", confirmed=False)


def totp_confirm(*, device: TOTPDevice, token: str) -> bool:
    if not device.verify_token("".join((token or "").split())):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True
