"""The ID token checks, with tokens the real local provider issued (and some it did not)."""

from __future__ import annotations

import base64
import json
import time

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from silta.oidc.providers import Provider, client_provider
from silta.oidc.relying_party import SignInRefused, verify_id_token
from silta.oidc.tests.flow import token_for

CALLBACK = "http://testserver/oidc/client/callback/"


@pytest.fixture
def silta_token(oidc_settings):
    return token_for(oidc_settings.issuer, "silta-client", CALLBACK, "client-ok", nonce="n-1")


def test_a_good_token_passes(oidc_settings, silta_token):
    claims = verify_id_token(_provider(), silta_token, "n-1")
    assert claims["aud"] == "silta-client" and claims["sub"] == "client-ok"


def test_another_relying_partys_token_is_refused(oidc_settings):
    other = token_for(
        oidc_settings.issuer, "other-app", "http://testserver/callback/", "client-ok", nonce="n-2"
    )
    with pytest.raises(SignInRefused) as refused:
        verify_id_token(_provider(), other, "n-2")
    assert refused.value.code == "id_token_invalid_aud"


def test_a_wrong_nonce_is_refused(oidc_settings, silta_token):
    with pytest.raises(SignInRefused) as refused:
        verify_id_token(_provider(), silta_token, "some-other-nonce")
    assert refused.value.code == "id_token_invalid_nonce"


def test_a_tampered_signature_is_refused(oidc_settings, silta_token):
    head, body, signature = silta_token["id_token"].split(".")
    flipped = ("A" if signature[10] != "A" else "B").join((signature[:10], signature[11:]))
    with pytest.raises(SignInRefused) as refused:
        verify_id_token(_provider(), {**silta_token, "id_token": f"{head}.{body}.{flipped}"}, "n-1")
    assert refused.value.code == "id_token_invalid_signature"


def test_a_token_signed_by_someone_else_is_refused(oidc_settings, silta_token):
    """Right claims, even the provider's key id, but not the provider's key."""
    head = silta_token["id_token"].split(".")[0]
    kid = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))["kid"]
    now = int(time.time())
    claims = {
        "iss": oidc_settings.issuer,
        "aud": "silta-client",
        "sub": "client-ok",
        "nonce": "n-1",
        "iat": now,
        "exp": now + 300,
    }
    forged = jwt.encode({"alg": "RS256", "kid": kid}, claims, RSAKey.generate_key(2048))
    with pytest.raises(SignInRefused) as refused:
        verify_id_token(_provider(), {"id_token": forged, "access_token": "x"}, "n-1")
    assert refused.value.code == "id_token_invalid_signature"


def test_an_expired_token_is_refused(oidc_settings, silta_token, monkeypatch):
    later = time.time() + 3600
    monkeypatch.setattr(time, "time", lambda: later)
    with pytest.raises(SignInRefused) as refused:
        verify_id_token(_provider(), silta_token, "n-1")
    assert refused.value.code == "id_token_invalid_exp"


def _provider() -> Provider:
    provider = client_provider()
    assert provider is not None
    return provider
