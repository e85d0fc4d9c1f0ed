"""Completing a staff sign-in after the provider: with its MFA, or with Silta's own code.

Where the provider asserted multi-factor authentication the user is signed in at once and
the session is marked (``EXTERNAL_MFA_SESSION_KEY``: the staff middleware then does not
ask for Silta's one-time code). Otherwise the user is only *pending* until they give
Silta's TOTP code (or enrol an authenticator app on their first sign-in), exactly as a
password sign-in would ask it; failures count toward the same sign-in delay.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import login, logout
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from silta.accounts import throttle
from silta.accounts.middleware import EXTERNAL_MFA_SESSION_KEY
from silta.accounts.models import User
from silta.accounts.services import ENROL_SESSION_KEY, login_succeeded
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.core.middleware import client_address

PENDING_KEY = "silta_oidc_staff_pending"
# What the provider's sign-out needs (the provider and the ID token as ``id_token_hint``),
# kept in the server-side session only, with the user it belongs to: a token left by a
# sign-in that was never completed is never used for someone else's sign-out.
PROVIDER_KEY = "silta_oidc_staff_provider"
BACKEND = "django.contrib.auth.backends.ModelBackend"


def remember_provider_session(
    request: HttpRequest, user: User, provider: str, id_token: str
) -> None:
    """Called before the user is signed in: ``login`` keeps the session's data (it only
    rotates the key when no one was signed in), and every completion path passes it on."""
    request.session[PROVIDER_KEY] = {"user": user.pk, "provider": provider, "id_token": id_token}


def provider_session(request: HttpRequest, user_id: int | None) -> dict[str, str] | None:
    """The provider and ID token of this staff session, if they belong to ``user_id``."""
    data = request.session.get(PROVIDER_KEY)
    if not isinstance(data, dict) or user_id is None or data.get("user") != user_id:
        return None
    return {"provider": str(data.get("provider", "")), "id_token": str(data.get("id_token", ""))}


def sign_in_with_provider_mfa(request: HttpRequest, user: User) -> None:
    login(request, user, backend=BACKEND)  # rotates the session key
    request.session[EXTERNAL_MFA_SESSION_KEY] = user.pk
    login_succeeded(user=user)


def sign_in_without_code(request: HttpRequest, user: User) -> None:
    """Demo only (``SILTA_DEMO_SKIP_TOTP``, refused in production): no code asked."""
    login(request, user, backend=BACKEND)
    login_succeeded(user=user)


def hold_for_code(request: HttpRequest, user: User, next_url: str) -> bool:
    """Remember the user until the code is given; False when they must enrol a device."""
    request.session.cycle_key()
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        request.session[ENROL_SESSION_KEY] = user.pk
        request.session["silta_next"] = next_url
        return False
    request.session[PENDING_KEY] = {"user": user.pk, "next": next_url}
    return True


@dataclass(frozen=True)
class CodeResult:
    ok: bool
    retry_after: int = 0
    next_url: str = ""


def pending_user(request: HttpRequest) -> User | None:
    pending = request.session.get(PENDING_KEY) or {}
    user_id = pending.get("user")
    return User.objects.filter(pk=user_id, is_active=True).first() if user_id else None


def code_check(request: HttpRequest, user: User, token: str) -> CodeResult:
    """Silta's own one-time code for a user the provider identified without MFA."""
    address = client_address(request)
    wait = throttle.wait_seconds(user.username, address)
    if wait:
        return CodeResult(ok=False, retry_after=wait)
    token = "".join((token or "").split())
    devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    device = next((d for d in devices if token and d.verify_token(token)), None)
    if device is None:
        throttle.record_failure(user.username, address)
        detail = {"reason": "otp", "method": "oidc"}
        record(actor=None, user=user, action=AuditAction.LOGIN_FAILED, detail=detail)
        return CodeResult(ok=False)
    next_url = str((request.session.get(PENDING_KEY) or {}).get("next") or "")
    request.session.pop(PENDING_KEY, None)
    login(request, user, backend=BACKEND)
    otp_login(request, device)
    login_succeeded(user=user)
    return CodeResult(ok=True, next_url=next_url)


def sign_out(request: HttpRequest) -> None:
    """End the staff session (audited as the sign-out it is); the session is flushed."""
    if request.user.is_authenticated:
        record(actor=None, user=request.user, action=AuditAction.LOGOUT)
    logout(request)
