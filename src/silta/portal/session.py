"""The client's session in the own view, kept apart from staff sign-in.

A client (or an attorney acting for a principal) is signed in by storing ids under
portal-only session keys; ``request.user`` stays anonymous, so no staff permission can
ever follow from a client session. A staff session and a client session never mix:
signing a client in logs staff out (the session is flushed), and a staff sign-in drops
the client keys (``user_logged_in`` below). The client's idle timeout is shorter than the
staff one (``SILTA_CLIENT_IDLE_MINUTES``); every request re-reads the client and, for an
attorney, the power of attorney, so a revoked or expired power ends access at once.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import logout, user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from silta.clients.models import Client
from silta.consents.codes import PoaScope
from silta.consents.models import PowerOfAttorney

CLIENT_KEY = "silta_portal_client"
POA_KEY = "silta_portal_poa"
METHOD_KEY = "silta_portal_method"
SEEN_KEY = "silta_portal_seen"
PORTAL_KEYS = (CLIENT_KEY, POA_KEY, METHOD_KEY, SEEN_KEY)
# What the identity provider needs to end its own session when the client signs out (the
# OIDC relying party keeps the ID token here). Kept when an attorney changes whose matters
# they see; gone with the session at sign-out, idle timeout or a staff sign-in.
PROVIDER_KEY = "silta_portal_provider_session"
ALL_SCOPES = frozenset(PoaScope.values)


@dataclass(frozen=True)
class SignedInClient:
    """Who is signed in to the own view and whose matters they see.

    ``client`` is the person who signed in. ``acting_for`` is the principal when the
    person acts under a recorded, verified power of attorney (``power_of_attorney``);
    ``scope`` is then the power's scope (``PoaScope`` codes), else every scope.
    """

    client: Client
    acting_for: Client | None = None
    power_of_attorney: PowerOfAttorney | None = None
    scope: frozenset[str] = ALL_SCOPES
    method: str = "oidc"

    @property
    def subject(self) -> Client:
        """The client whose data the pages show (the principal when acting for one)."""
        return self.acting_for or self.client

    @property
    def is_attorney(self) -> bool:
        return self.acting_for is not None

    def may_see(self, scope: str) -> bool:
        return scope in self.scope

    @property
    def actor_label(self) -> str:
        """The audit trail's actor: the client, or the attorney naming the principal."""
        if self.acting_for is not None:
            return f"Attorney {self.client.full_name} for {self.acting_for.full_name}"[:300]
        return f"Client {self.client.full_name}"[:300]


def idle_limit() -> dt.timedelta:
    return dt.timedelta(minutes=settings.SILTA_CLIENT_IDLE_MINUTES)


def power_for(attorney: Client, principal: Client) -> PowerOfAttorney | None:
    """The verified power of attorney in force by which ``attorney`` acts for ``principal``."""
    now = timezone.now()
    powers = PowerOfAttorney.objects.filter(
        client=principal, attorney_identity=attorney.identity_code, verified_at__isnull=False
    ).order_by("-verified_at")
    return next((poa for poa in powers if poa.state(now) == "in_force"), None)


def principals_of(attorney: Client) -> list[PowerOfAttorney]:
    """The verified powers in force that ``attorney`` holds (to choose whom to act for)."""
    now = timezone.now()
    powers = PowerOfAttorney.objects.filter(
        attorney_identity=attorney.identity_code, verified_at__isnull=False
    ).select_related("client")
    return [poa for poa in powers if poa.state(now) == "in_force"]


def sign_in_client(
    request: HttpRequest,
    client: Client,
    *,
    acting_for: Client | PowerOfAttorney | None = None,
    method: str = "oidc",
) -> None:
    """Sign ``client`` in to the own view (after strong identification by ``method``).

    ``acting_for`` is the principal (or the power of attorney itself) when the client acts
    as an attorney; a principal without a verified power in force raises PermissionError
    and nothing is signed in. A staff user signed in on this browser is logged out first;
    the session key is always rotated (no session fixation).
    """
    poa: PowerOfAttorney | None = None
    if isinstance(acting_for, PowerOfAttorney):
        poa = acting_for if acting_for.attorney_identity == client.identity_code else None
        if poa is not None and poa.state(timezone.now()) != "in_force":
            poa = None
    elif acting_for is not None:
        poa = power_for(client, acting_for)
    if acting_for is not None and poa is None:
        raise PermissionError("No power of attorney in force for this principal.")
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        logout(request)  # flushes the staff session: the two never mix
    session = request.session
    if session.get(CLIENT_KEY) != client.pk:  # another person: not their provider session
        session.pop(PROVIDER_KEY, None)
    for key in PORTAL_KEYS:
        session.pop(key, None)
    session.cycle_key()
    session[CLIENT_KEY] = client.pk
    session[POA_KEY] = poa.pk if poa is not None else None
    session[METHOD_KEY] = method
    session[SEEN_KEY] = timezone.now().isoformat()
    _cache(request, None)


def remember_provider_session(request: HttpRequest, data: dict[str, str]) -> None:
    """Keep, for this client session only, what the provider's sign-out will need."""
    request.session[PROVIDER_KEY] = dict(data)


def provider_session(request: HttpRequest) -> dict[str, str] | None:
    data = request.session.get(PROVIDER_KEY)
    return dict(data) if isinstance(data, dict) else None


def sign_out_client(request: HttpRequest) -> None:
    """End the client session: the whole session is flushed and its key rotated."""
    request.session.flush()
    _cache(request, None)


def _expired(seen: object, now: dt.datetime) -> bool:
    if not isinstance(seen, str):
        return True
    try:
        last = dt.datetime.fromisoformat(seen)
    except ValueError:
        return True
    return now - last > idle_limit()


class PortalRequest(HttpRequest):
    """A request of the own view, typed: ``portal_client`` is the signed-in client that
    ``get_signed_in_client`` found (cached on the request), set to None at sign-in and out."""

    portal_client: SignedInClient | None


def _cache(request: HttpRequest, signed_in: SignedInClient | None) -> None:
    cast(PortalRequest, request).portal_client = signed_in


def signed_in_of(request: HttpRequest) -> SignedInClient:
    """The client of a request that passed ``client_required``."""
    signed_in = cast(PortalRequest, request).portal_client
    if signed_in is None:
        raise RuntimeError("client_required must guard this view")
    return signed_in


def get_signed_in_client(request: HttpRequest) -> SignedInClient | None:
    """The signed-in client of this request, or None (never signed in, idle, or revoked).

    Idle for longer than ``SILTA_CLIENT_IDLE_MINUTES`` signs the client out. A staff
    user is never a client. Cached on the request.
    """
    cached = getattr(request, "portal_client", None)  # set by an earlier call, or not at all
    if cached is not None:
        return cached
    session = getattr(request, "session", None)
    if session is None or session.get(CLIENT_KEY) is None:
        return None
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return None
    now = timezone.now()
    if _expired(session.get(SEEN_KEY), now):
        sign_out_client(request)
        return None
    signed_in = _load(session)
    if signed_in is None:
        sign_out_client(request)
        return None
    session[SEEN_KEY] = now.isoformat()
    _cache(request, signed_in)
    return signed_in


def _load(session: Any) -> SignedInClient | None:
    client = Client.objects.filter(pk=session.get(CLIENT_KEY)).first()
    if client is None:
        return None
    method = str(session.get(METHOD_KEY) or "oidc")
    poa_id = session.get(POA_KEY)
    if poa_id is None:
        return SignedInClient(client=client, method=method)
    poa = PowerOfAttorney.objects.select_related("client").filter(pk=poa_id).first()
    if (
        poa is None
        or poa.attorney_identity != client.identity_code
        or poa.state(timezone.now()) != "in_force"
    ):
        return None
    return SignedInClient(
        client=client,
        acting_for=poa.client,
        power_of_attorney=poa,
        scope=frozenset(poa.scopes) & ALL_SCOPES,
        method=method,
    )


def client_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Only a signed-in client reaches ``view``; it finds them in ``request.portal_client``.

    Others are sent to the client sign-in page (``SILTA_CLIENT_LOGIN_URL``), never to
    the staff login; an htmx request gets ``HX-Redirect``.
    """

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if get_signed_in_client(request) is None:
            target = f"{reverse(settings.SILTA_CLIENT_LOGIN_URL)}?next={quote(request.path)}"
            if request.headers.get("HX-Request"):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return HttpResponseRedirect(target)
        response = view(request, *args, **kwargs)
        response.headers.setdefault("Cache-Control", "no-store, private")
        return response

    return wrapped


@receiver(user_logged_in, dispatch_uid="silta.portal.staff_login_drops_client")
def _staff_login_drops_client(sender: object, request: HttpRequest | None, **kwargs: Any) -> None:
    """A staff sign-in on this browser ends any client session in it."""
    if request is None or not hasattr(request, "session"):
        return
    for key in (*PORTAL_KEYS, PROVIDER_KEY):
        request.session.pop(key, None)
    _cache(request, None)
