"""The client's own view: pages only (no API), each behind ``client_required``."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from silta.portal.session import client_required, get_signed_in_client, sign_out_client


@require_GET
def sign_in(request: HttpRequest) -> HttpResponse:
    """Where a client without a session lands: the way to strong identification."""
    if get_signed_in_client(request) is not None:
        return redirect("portal:home")
    try:
        provider_url = reverse(settings.SILTA_CLIENT_SIGN_IN_START)
    except NoReverseMatch:  # the identity provider's relying party is not installed
        provider_url = ""
    target = request.GET.get("next", "")
    if (
        provider_url
        and target.startswith("/oma/")
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    ):
        provider_url = f"{provider_url}?next={target}"
    return render(request, "portal/sign_in.html", {"provider_url": provider_url})


@client_required
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """End a client session (a staff session is never touched from here)."""
    sign_out_client(request)
    return redirect("portal:sign_in")


@client_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"me": request.portal_client})  # type: ignore[attr-defined]
