"""Deny by default: every page needs a signed-in, second-factor-verified staff member."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from silta.accounts.actor import Actor
from silta.accounts.request import AuthenticatedRequest

# "/oma/" is the client's own view: its pages guard themselves (silta.portal.session).
PUBLIC_PREFIXES = (
    "/static/",
    "/api/",
    "/fhir/",
    "/i18n/",
    "/favicon.ico",
    "/healthz",
    "/readyz",
    "/oma/",
    # Signing in through an identity provider (silta.oidc), before anyone is signed in.
    "/oidc/",
)
# Set by silta.oidc to the user's id when their organisation's identity provider asserted
# multi-factor authentication (amr/acr): Silta's own one-time code is then not asked again.
EXTERNAL_MFA_SESSION_KEY = "silta_external_mfa"
PUBLIC_NAMES = ("accounts:login", "accounts:totp_enrol", "accounts:logout", "accounts:language")


def is_verified(request: HttpRequest) -> bool:
    user = request.user
    if not user.is_authenticated:
        return False
    if str(request.session.get(EXTERNAL_MFA_SESSION_KEY, "")) == str(user.pk):
        return True
    return settings.SILTA_DEMO_SKIP_TOTP or bool(getattr(user, "is_verified", lambda: False)())


class StaffLoginRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._public_paths: tuple[str, ...] | None = None

    def _public(self, path: str) -> bool:
        if self._public_paths is None:
            self._public_paths = tuple(reverse(name) for name in PUBLIC_NAMES)
        return path.startswith(PUBLIC_PREFIXES) or path in self._public_paths

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_verified(request):
            # From here on a staff member's request; its Actor is built on first read (the
            # lazy object stands in for it, as Django's own does for ``request.user``).
            staff = cast(AuthenticatedRequest, request)
            user = staff.user
            staff.actor = cast(Actor, SimpleLazyObject(lambda: Actor.for_user(user)))
        elif not self._public(request.path):
            login = reverse("accounts:login")
            target = f"{login}?next={quote(request.path)}"
            if request.headers.get("HX-Request"):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return HttpResponseRedirect(target)
        return self.get_response(request)
