"""Sign-in through an identity provider: the client's (strong identification) and the
staff's (their organisation's provider). Views only parse and render; the protocol is in
``relying_party``, the account rules in ``client`` and ``staff``."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from silta.oidc import relying_party, staff_session
from silta.oidc.client import client_for_claims
from silta.oidc.forms import CodeForm, ProviderEmailForm
from silta.oidc.providers import (
    client_provider,
    staff_provider,
    staff_provider_for_email,
    staff_providers,
)
from silta.oidc.relying_party import SignInRefused
from silta.oidc.staff import staff_sign_in
from silta.portal.session import (
    client_required,
    provider_session,
    remember_provider_session,
    sign_in_client,
    sign_out_client,
)


def _safe_next(request: HttpRequest, target: str, default: str) -> str:
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


# --- clients ---------------------------------------------------------------------------


def _tell_signed_out(request: HttpRequest) -> None:
    messages.success(request, _("You are signed out."))


def _client_refused(request: HttpRequest, message: str) -> HttpResponse:
    context = {"message": message, "retry_url": reverse("portal:sign_in")}
    return render(request, "oidc/client_refused.html", context, status=400)


@never_cache
@require_GET
def client_start(request: HttpRequest) -> HttpResponse:
    """Send the client to strong identification (the portal's sign-in button)."""
    provider = client_provider()
    if provider is None:
        return _client_refused(request, _("Signing in is not available right now."))
    home = reverse("portal:home")
    next_url = request.GET.get("next", "")
    next_url = _safe_next(request, next_url, home) if next_url.startswith("/oma/") else home
    redirect_uri = request.build_absolute_uri(reverse("oidc:client_callback"))
    # Always a fresh identification: on a shared computer the provider's own session must
    # not sign the next person in as the previous client.
    try:
        return redirect(
            relying_party.begin(request, provider, redirect_uri, next_url, prompt="login")
        )
    except SignInRefused as refused:
        return _client_refused(request, str(refused.message))


@never_cache
@require_GET
def client_callback(request: HttpRequest) -> HttpResponse:
    provider = client_provider()
    if provider is None:
        return _client_refused(request, _("Signing in is not available right now."))
    try:
        verified = relying_party.finish(request, provider)
        client = client_for_claims(verified.claims)
    except SignInRefused as refused:
        return _client_refused(request, str(refused.message))
    sign_in_client(request, client, method="oidc")
    remember_provider_session(request, {"provider": provider.key, "id_token": verified.id_token})
    return redirect(verified.next_url or "portal:home")


@never_cache
@client_required
@require_POST
def client_sign_out(request: HttpRequest) -> HttpResponse:
    """Sign out of Silta, then of the identification service (RP-Initiated Logout 1.0):
    the client session ends here first; the provider's sign-out is a form the page sends
    at once (the ID token as ``id_token_hint``), which returns to Silta's sign-in page.
    A provider without an ``end_session_endpoint``: Silta's session only."""
    held = provider_session(request) or {}
    sign_out_client(request)
    provider = client_provider()
    back = request.build_absolute_uri(reverse("portal:sign_in"))
    ending = None
    if provider is not None and held.get("provider") == provider.key:
        ending = relying_party.end_session(provider, held.get("id_token", ""), back)
    if ending is None:
        _tell_signed_out(request)
        return redirect("portal:sign_in")
    response = render(request, "oidc/client_signing_out.html", {"ending": ending})
    # Added after the page is rendered: the sign-in page the provider returns to shows it.
    _tell_signed_out(request)
    return _allow_form_to(response, ending.endpoint)


# --- staff -----------------------------------------------------------------------------


def _staff_page(
    request: HttpRequest, form: ProviderEmailForm, status: int = 200, error: str = ""
) -> HttpResponse:
    context = {
        "providers": staff_providers(),
        "form": form,
        "error": error,
        "next": request.GET.get("next", ""),
    }
    response = render(request, "oidc/staff_sign_in.html", context, status=status)
    # The choice is a form whose answer redirects to the provider: the page's CSP lets a
    # form lead there (form-action), and nowhere else.
    origins = sorted({_origin(p.issuer) for p in staff_providers()})
    response["Content-Security-Policy"] = settings.SILTA_CONTENT_SECURITY_POLICY.replace(
        "form-action 'self'", " ".join(["form-action 'self'", *origins])
    )
    return response


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@never_cache
@require_http_methods(["GET", "POST"])
def staff_start(request: HttpRequest) -> HttpResponse:
    """Choose the organisation's provider (a button each, or by the e-mail's domain)."""
    form = ProviderEmailForm(request.POST if "email" in request.POST else None)
    if request.method == "GET":
        return _staff_page(request, form)
    provider = staff_provider(request.POST.get("provider", ""))
    if provider is None and form.is_valid():
        provider = staff_provider_for_email(form.cleaned_data["email"])
        if provider is None:
            form.add_error("email", _("No organisation signs in with this address's domain."))
    if provider is None:
        return _staff_page(request, form, status=400)
    next_url = _safe_next(request, request.POST.get("next", ""), reverse("exchange:home"))
    redirect_uri = request.build_absolute_uri(reverse("oidc:staff_callback"))
    try:
        return redirect(relying_party.begin(request, provider, redirect_uri, next_url))
    except SignInRefused as refused:
        return _staff_page(request, form, status=400, error=str(refused.message))


@never_cache
@require_GET
def staff_callback(request: HttpRequest) -> HttpResponse:
    provider = staff_provider(relying_party.pending_provider_key(request))
    form = ProviderEmailForm()
    try:
        if provider is None:
            raise SignInRefused(_("This sign-in has expired. Start again."), code="state")
        verified = relying_party.finish(request, provider)
        result = staff_sign_in(provider=provider, claims=verified.claims)
    except SignInRefused as refused:
        return _staff_page(request, form, status=400, error=str(refused.message))
    if result.mfa:
        staff_session.sign_in_with_provider_mfa(request, result.user)
        target = verified.next_url
    elif settings.SILTA_DEMO_SKIP_TOTP:  # the demo skips the code for every sign-in
        staff_session.sign_in_without_code(request, result.user)
        target = verified.next_url
    elif staff_session.hold_for_code(request, result.user, verified.next_url):
        target = reverse("oidc:staff_code")
    else:
        target = reverse("accounts:totp_enrol")
    # After the sign-in's own session changes; Silta's code or enrolment keeps it.
    staff_session.remember_provider_session(request, result.user, provider.key, verified.id_token)
    return redirect(target)


@never_cache
@require_POST
def staff_sign_out(request: HttpRequest) -> HttpResponse:
    """The staff's sign-out (the header's button): Silta's session ends first; a user who
    signed in through their organisation's provider is then signed out there too
    (RP-Initiated Logout 1.0, a POST form with the ID token as ``id_token_hint``), and
    the provider returns to Silta's front page. Otherwise Silta's session only."""
    user_id = request.user.pk if request.user.is_authenticated else None
    held = staff_session.provider_session(request, user_id) or {}
    staff_session.sign_out(request)
    provider = staff_provider(held.get("provider", ""))
    ending = None
    if provider is not None:
        back = request.build_absolute_uri("/")
        ending = relying_party.end_session(provider, held.get("id_token", ""), back)
    if ending is None:
        messages.info(request, _("You have signed out."))
        return redirect("accounts:login")
    response = render(request, "oidc/staff_signing_out.html", {"ending": ending})
    messages.info(request, _("You have signed out."))
    return _allow_form_to(response, ending.endpoint)


def _allow_form_to(response: HttpResponse, endpoint: str) -> HttpResponse:
    """The page's one form leads to the provider's sign-out (form-action), nowhere else."""
    response["Content-Security-Policy"] = settings.SILTA_CONTENT_SECURITY_POLICY.replace(
        "form-action 'self'", f"form-action 'self' {_origin(endpoint)}"
    )
    return response


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
def staff_code(request: HttpRequest) -> HttpResponse:
    """Silta's own one-time code, when the provider did not assert MFA."""
    user = staff_session.pending_user(request)
    if user is None:
        return redirect("oidc:staff")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        result = staff_session.code_check(request, user, form.cleaned_data["otp_token"])
        if result.ok:
            return redirect(_safe_next(request, result.next_url, reverse("exchange:home")))
        status = 429 if result.retry_after else 400
        form.add_error(
            "otp_token",
            ngettext(
                "Too many failed attempts. Try again in %(seconds)d second.",
                "Too many failed attempts. Try again in %(seconds)d seconds.",
                result.retry_after,
            )
            % {"seconds": result.retry_after}
            if result.retry_after
            else _("The code did not match. Check your device's clock."),
        )
    return render(request, "oidc/staff_code.html", {"form": form, "user": user}, status=status)
