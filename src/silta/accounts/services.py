"""Signing in: password + one-time code (TOTP), with a progressive delay on failures.

Every staff account needs a confirmed TOTP device. ``SILTA_DEMO_SKIP_TOTP`` lets a demo
instance skip the code; production settings refuse to start with it on. Failed attempts
make the next one wait (``silta.accounts.throttle``); an unknown name and a real account
get the same answers, and both the failures and the refused attempts are audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from silta.accounts import throttle
from silta.accounts.models import User
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.core.middleware import client_address

# The user who is enrolling an authenticator app (first sign-in without a device).
ENROL_SESSION_KEY = "silta_enrol_user"


class LoginOutcome(Enum):
    OK = "ok"
    ENROL_TOTP = "enrol_totp"
    INVALID = "invalid"
    DELAYED = "delayed"


@dataclass(frozen=True)
class LoginResult:
    outcome: LoginOutcome
    user: User | None = None
    device: TOTPDevice | None = None
    retry_after: int = 0


def _find_user(username: str) -> User | None:
    return get_user_model().objects.filter(username__iexact=username.strip()).first()


def _fail(request: HttpRequest, username: str, user: User | None, reason: str) -> LoginResult:
    failure = throttle.record_failure(username, client_address(request))
    detail: dict[str, object] = {"reason": reason}
    if failure.delay_seconds:
        detail["delay_seconds"] = failure.delay_seconds
    record(actor=None, user=user, action=AuditAction.LOGIN_FAILED, detail=detail)
    return LoginResult(LoginOutcome.INVALID)


def login_check(
    *, request: HttpRequest, username: str, password: str, otp_token: str
) -> LoginResult:
    """Check the credentials; does not log the user in (see ``login_complete``)."""
    candidate = _find_user(username)
    wait = throttle.wait_seconds(username, client_address(request))
    if wait:
        detail = {"reason": "delayed", "retry_after": wait}
        record(actor=None, user=candidate, action=AuditAction.LOGIN_FAILED, detail=detail)
        return LoginResult(LoginOutcome.DELAYED, retry_after=wait)
    user = authenticate(
        request, username=candidate.username if candidate else username, password=password
    )
    if user is None:
        return _fail(request, username, candidate, "password")
    devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    if settings.SILTA_DEMO_SKIP_TOTP:
        return LoginResult(LoginOutcome.OK, user=user, device=None)
    if not devices:
        return LoginResult(LoginOutcome.ENROL_TOTP, user=user)
    token = "".join((otp_token or "").split())
    device = next((d for d in devices if token and d.verify_token(token)), None)
    if device is None:
        return _fail(request, username, user, "otp")
    return LoginResult(LoginOutcome.OK, user=user, device=device)


def login_succeeded(*, user: User) -> None:
    throttle.clear_account(user.username)
    record(actor=None, user=user, action=AuditAction.LOGIN)


def login_delay_clear(*, users: list[User]) -> None:
    """An administrator lets these accounts try again at once."""
    for user in users:
        throttle.clear_account(user.username)


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


def user_language_set(*, user: User, language: str) -> None:
    """Save the user's language: every page after sign-in is in it (on any device)."""
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
