"""Sign-in with password and one-time code, TOTP enrolment, sign-out."""

from __future__ import annotations

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from silta.accounts.forms import LoginForm, TotpConfirmForm
from silta.accounts.language import supported
from silta.accounts.models import User
from silta.accounts.services import (
    ENROL_SESSION_KEY,
    LoginOutcome,
    LoginResult,
    login_check,
    login_succeeded,
    totp_confirm,
    totp_device_for_enrolment,
    user_language_set,
)
from silta.audit.models import AuditAction
from silta.audit.services import record


def _error_message(result: LoginResult) -> str:
    if result.outcome == LoginOutcome.DELAYED:
        return ngettext(
            "Too many failed attempts. Try again in %(seconds)d second.",
            "Too many failed attempts. Try again in %(seconds)d seconds.",
            result.retry_after,
        ) % {"seconds": result.retry_after}
    return _("Wrong username, password or one-time code.")


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("exchange:home")


def _complete(request: HttpRequest, user: User, device: TOTPDevice | None) -> HttpResponse:
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if device is not None:
        otp_login(request, device)
    login_succeeded(user=user)
    return redirect(_next_url(request))


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = login_check(request=request, **form.cleaned_data)
        if result.outcome == LoginOutcome.OK and result.user is not None:
            return _complete(request, result.user, result.device)
        if result.outcome == LoginOutcome.ENROL_TOTP and result.user is not None:
            request.session.cycle_key()
            request.session[ENROL_SESSION_KEY] = result.user.pk
            request.session["silta_next"] = _next_url(request)
            return redirect("accounts:totp_enrol")
        form.add_error(None, _error_message(result))
        if result.outcome == LoginOutcome.DELAYED:
            response = render(
                request,
                "accounts/login.html",
                {"form": form, "next": _next_url(request)},
                status=429,
            )
            response["Retry-After"] = str(result.retry_after)
            return response
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)})


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
def totp_enrol_view(request: HttpRequest) -> HttpResponse:
    """First sign-in: set up the authenticator app, then confirm with a code."""
    pending = request.session.get(ENROL_SESSION_KEY)
    user = User.objects.filter(pk=pending, is_active=True).first() if pending else None
    if user is None:
        return redirect("accounts:login")
    device = totp_device_for_enrolment(user=user)
    form = TotpConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if totp_confirm(device=device, token=form.cleaned_data["otp_token"]):
            target = request.session.pop("silta_next", "")
            request.session.pop(ENROL_SESSION_KEY, None)
            response = _complete(request, user, device)
            return redirect(target) if target else response
        form.add_error("otp_token", _("The code did not match. Check your device's clock."))
    secret = base64.b32encode(device.bin_key).decode()
    context = {"form": form, "qr": _qr_svg(device.config_url), "secret": secret}
    return render(request, "accounts/totp_enrol.html", context)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        record(actor=None, user=request.user, action=AuditAction.LOGOUT)
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("accounts:login")


@require_POST
def language_view(request: HttpRequest) -> HttpResponse:
    """The language switcher: remembered in a cookie, and on the user when signed in."""
    language = supported(request.POST.get("language"))
    response = redirect(_next_url(request))
    if language is None:
        return response
    if request.user.is_authenticated:
        user_language_set(user=request.user, language=language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response
