"""Driving the local provider's sign-in form like a browser (requests), for the tests."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import requests
from authlib.integrations.requests_client import OAuth2Session

PASSWORD = "test-pass-2026"

FORM_ACTION = re.compile(r'<form method="post" action="([^"]+)"')


def sign_in_at_provider(
    authorize_url: str, login: str, password: str = PASSWORD, agent: requests.Session | None = None
) -> str:
    """Open the provider's authorization URL, sign in, and return where it sends us back
    (the relying party's callback URL with code and state). ``agent``: the same browser."""
    agent = agent or requests.Session()
    page = agent.get(authorize_url, timeout=10)
    assert page.status_code == 200, page.text[:300]
    action = FORM_ACTION.search(page.text)
    assert action, page.text[:300]
    base = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
    response = agent.post(
        base + action.group(1),
        data={"login": login, "password": password},
        allow_redirects=False,
        timeout=10,
    )
    for _ in range(10):
        location = response.headers.get("Location", "")
        assert response.status_code in (302, 303), response.text[:300]
        if location.startswith("http://testserver"):
            return location
        response = agent.get(
            location if "://" in location else base + location, allow_redirects=False, timeout=10
        )
    raise AssertionError("the provider never sent the browser back")


def local(url: str) -> str:
    """The path and query of a callback URL (what the Django test client requests)."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def token_for(issuer: str, client_id: str, redirect_uri: str, login: str, nonce: str) -> dict:
    """An ID token from the provider for any of its clients (the authorization code flow
    with PKCE done here), e.g. for another relying party: the wrong audience for Silta."""
    session = OAuth2Session(
        client_id,
        f"{client_id}-secret",
        scope="openid profile personal_identity_code",
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
    )
    verifier = "v" * 64
    url, _state = session.create_authorization_url(
        f"{issuer}/auth", nonce=nonce, code_verifier=verifier
    )
    back = sign_in_at_provider(url, login)
    return dict(
        session.fetch_token(f"{issuer}/token", authorization_response=back, code_verifier=verifier)
    )
