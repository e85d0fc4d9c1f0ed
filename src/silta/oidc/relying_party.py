"""The OpenID Connect relying party: authorization code flow with PKCE, state and nonce.

Authlib does the protocol: discovery, the authorization URL with a PKCE challenge (S256),
the code exchange at the token endpoint with the client secret, and the ID token's
signature (the provider's JWKS), issuer, audience (our client id), expiry and nonce. The
state, nonce and code verifier live in the server-side session under this module's key,
one per pending sign-in, and are used once.

Every failure becomes ``SignInRefused`` with a translated message and a stable code; the
reason is audited, never the token or its claims (the ID token may carry an identity code).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.django_client import DjangoOAuth2App, OAuth
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from joserfc.errors import JoseError

from silta.oidc.providers import Provider

logger = logging.getLogger(__name__)
SESSION_KEY = "silta_oidc_pending"
_clients: dict[tuple[str, str, str, str], DjangoOAuth2App] = {}


class SignInRefused(Exception):
    """The sign-in did not succeed; nothing was changed. ``message`` is for the user."""

    def __init__(self, message: str | Promise, *, code: str) -> None:
        super().__init__(code)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Verified:
    """A verified ID token's claims, and where the sign-in should land."""

    claims: dict[str, Any]
    next_url: str
    # The raw ID token: kept in the client's server-side session only, as the
    # ``id_token_hint`` of the sign-out at the provider (``end_session``).
    id_token: str = ""


def oauth_client(provider: Provider) -> DjangoOAuth2App:
    """One Authlib client per configured provider (its discovery document and keys cached)."""
    key = (provider.key, provider.issuer, provider.client_id, provider.client_secret)
    client = _clients.get(key)
    if client is None:
        registry = OAuth()
        client = registry.register(
            name=provider.key,
            client_id=provider.client_id,
            client_secret=provider.client_secret,
            server_metadata_url=provider.metadata_url,
            client_kwargs={
                "scope": provider.scopes,
                "code_challenge_method": "S256",
                "token_endpoint_auth_method": "client_secret_basic",
                "timeout": 10,
            },
        )
        _clients[key] = client
    return client


UNREACHABLE = _("The identification service did not answer. Try again in a moment.")
FAILED = _("The identification did not succeed. Nothing was changed. Try again.")


def begin(
    request: HttpRequest,
    provider: Provider,
    redirect_uri: str,
    next_url: str,
    *,
    prompt: str | None = None,
) -> str:
    """The provider's authorization URL; remembers state, nonce and verifier in the session."""
    extra = {"prompt": prompt} if prompt else {}
    try:
        rv = oauth_client(provider).create_authorization_url(redirect_uri, **extra)
    except (requests.RequestException, ValueError) as exc:
        logger.warning("OIDC discovery failed for %s: %s", provider.key, type(exc).__name__)
        raise SignInRefused(UNREACHABLE, code="provider_unreachable") from exc
    pending = dict(request.session.get(SESSION_KEY) or {})
    # Several tabs may sign in at once; keep a few, newest last.
    pending = dict(list(pending.items())[-4:])
    pending[rv["state"]] = {
        "provider": provider.key,
        "nonce": rv["nonce"],
        "code_verifier": rv["code_verifier"],
        "redirect_uri": redirect_uri,
        "next": next_url,
    }
    request.session[SESSION_KEY] = pending
    return str(rv["url"])


def _take_pending(request: HttpRequest, provider: Provider) -> dict[str, str]:
    state = request.GET.get("state", "")
    pending = dict(request.session.get(SESSION_KEY) or {})
    data = pending.pop(state, None) if state else None
    request.session[SESSION_KEY] = pending
    if data is None or data.get("provider") != provider.key:
        raise SignInRefused(
            _("This sign-in has expired or was started elsewhere. Start again."),
            code="state_mismatch",
        )
    return data


def finish(request: HttpRequest, provider: Provider) -> Verified:
    """Exchange the code and verify the ID token; raises ``SignInRefused``."""
    data = _take_pending(request, provider)
    if request.GET.get("error"):
        if request.GET["error"] == "access_denied":
            raise SignInRefused(_("The identification was cancelled."), code="cancelled")
        raise SignInRefused(FAILED, code="provider_error")
    code = request.GET.get("code", "")
    if not code:
        raise SignInRefused(FAILED, code="code_missing")
    client = oauth_client(provider)
    try:
        token = client.fetch_access_token(
            code=code, redirect_uri=data["redirect_uri"], code_verifier=data["code_verifier"]
        )
    except (requests.RequestException, OAuthError) as exc:
        logger.warning("OIDC token request failed for %s: %s", provider.key, type(exc).__name__)
        raise SignInRefused(FAILED, code="token_request_failed") from exc
    claims = verify_id_token(provider, token, data["nonce"])
    return Verified(
        claims=_with_userinfo(client, token, claims),
        next_url=data["next"],
        id_token=str(token["id_token"]),
    )


def _with_userinfo(
    client: DjangoOAuth2App, token: dict[str, Any], claims: dict[str, Any]
) -> dict[str, Any]:
    """Claims a provider gives only at its userinfo endpoint (for the same ``sub``) are
    added; the ID token's own claims always win."""
    if not token.get("access_token") or not client.load_server_metadata().get("userinfo_endpoint"):
        return claims
    try:
        info = dict(client.userinfo(token=token))
    except (requests.RequestException, OAuthError, ValueError):
        return claims
    if info.get("sub") != claims.get("sub"):
        return claims
    return {**info, **claims}


def verify_id_token(provider: Provider, token: dict[str, Any], nonce: str) -> dict[str, Any]:
    """The ID token's claims after checking signature, issuer, audience, expiry and nonce."""
    if not token.get("id_token"):
        raise SignInRefused(FAILED, code="id_token_missing")
    client = oauth_client(provider)
    try:
        issuer = client.load_server_metadata()["issuer"]
        options = {
            "iss": {"essential": True, "value": issuer},
            "aud": {"essential": True, "value": provider.client_id},
            "exp": {"essential": True},
            "nonce": {"essential": True, "value": nonce},
        }
        claims = dict(client.parse_id_token(token, nonce=nonce, claims_options=options))
    except (JoseError, AuthlibBaseError, ValueError, KeyError) as exc:
        reason = getattr(exc, "claim", None) or "signature"
        logger.warning("OIDC ID token refused for %s: %s", provider.key, reason)
        raise SignInRefused(FAILED, code=f"id_token_invalid_{reason}") from exc
    except requests.RequestException as exc:
        raise SignInRefused(UNREACHABLE, code="provider_unreachable") from exc
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    # Checked here too: the rules above are the library's; these three are the contract.
    if provider.client_id not in audiences or claims.get("nonce") != nonce:
        raise SignInRefused(FAILED, code="id_token_invalid_aud_or_nonce")
    if claims.get("iss") != issuer:
        raise SignInRefused(FAILED, code="id_token_invalid_iss")
    return claims


@dataclass(frozen=True)
class EndSession:
    """The provider's sign-out (OpenID Connect RP-Initiated Logout 1.0): where to POST
    the fields. POST, not GET: the ID token carries the identity code, and a URL is kept
    in the browser's history and the provider's access log."""

    endpoint: str
    fields: dict[str, str]


def end_session(
    provider: Provider, id_token: str, post_logout_redirect_uri: str
) -> EndSession | None:
    """The sign-out at the provider's ``end_session_endpoint`` (from discovery), or None
    when the provider has none or does not answer: then only Silta's session ends."""
    if not id_token:
        return None
    try:
        endpoint = oauth_client(provider).load_server_metadata().get("end_session_endpoint")
    except (requests.RequestException, ValueError) as exc:
        logger.warning("OIDC discovery failed for %s: %s", provider.key, type(exc).__name__)
        return None
    if not isinstance(endpoint, str) or not endpoint.startswith(("https://", "http://")):
        return None
    fields = {
        "id_token_hint": id_token,
        "client_id": provider.client_id,
        "post_logout_redirect_uri": post_logout_redirect_uri,
    }
    return EndSession(endpoint=endpoint, fields=fields)


def pending_provider_key(request: HttpRequest) -> str:
    """Which provider the returning sign-in was started with ("" when unknown)."""
    data = (request.session.get(SESSION_KEY) or {}).get(request.GET.get("state", ""))
    return str(data.get("provider", "")) if data else ""
