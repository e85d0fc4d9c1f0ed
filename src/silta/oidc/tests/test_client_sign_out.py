"""Client sign-out at the identification service too (OpenID Connect RP-Initiated Logout
1.0), against the real local provider: Silta's session ends first, then the provider's,
and the provider sends the browser back to Silta's sign-in page."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import pytest
import requests
from django.http import HttpRequest
from django.urls import reverse

from silta.clients.models import Client
from silta.oidc import relying_party
from silta.oidc.providers import client_provider
from silta.oidc.tests.conftest import KNOWN_CODE
from silta.oidc.tests.flow import local, sign_in_at_provider
from silta.portal.session import CLIENT_KEY, PROVIDER_KEY, sign_in_client
from silta.portal.testing import sign_in_as
from tests.factories import browser_client, make_client

pytestmark = pytest.mark.django_db

FORM = re.compile(r'<form id="provider-sign-out" method="post" action="([^"]+)"')
FIELD = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
CONFIRM = re.compile(r'<form[^>]*id="op.logoutForm"[^>]*>')
SIGN_IN_PAGE = "http://testserver/oma/kirjaudu/"


@pytest.fixture
def known(db) -> Client:
    return make_client(2777)


def _signed_in(agent: requests.Session):
    browser = browser_client("en")
    start = browser.get(reverse("oidc:start"), {"next": "/oma/"})
    back = sign_in_at_provider(start["Location"], "client-ok", agent=agent)
    assert browser.get(local(back)).status_code == 302
    assert CLIENT_KEY in browser.session
    return browser


def _provider_session_alive(agent: requests.Session) -> bool:
    """Would the provider sign this browser in without asking (prompt=none)?"""
    start = browser_client().get(reverse("oidc:start"))
    location = start["Location"].replace("prompt=login", "prompt=none")
    for _ in range(10):
        response = agent.get(location, allow_redirects=False, timeout=10)
        location = response.headers["Location"]
        if location.startswith("http://testserver"):
            return "code=" in location and "error=" not in location
        if "://" not in location:
            location = "{0.scheme}://{0.netloc}{1}".format(urlsplit(response.url), location)
    raise AssertionError("the provider never answered the silent request")


def _confirm_at_provider(agent: requests.Session, endpoint: str, fields: dict[str, str]) -> str:
    """Send Silta's sign-out form to the provider, say yes, return where it sends us."""
    page = agent.post(endpoint, data=fields, timeout=10)
    assert page.status_code == 200, page.text[:300]
    form = CONFIRM.search(page.text)
    assert form, page.text[:500]
    action = re.search(r'action="([^"]+)"', form.group(0))
    assert action
    xsrf = re.search(r'name="xsrf" value="([^"]+)"', page.text)
    assert xsrf
    target = action.group(1)
    if "://" not in target:
        target = "{0.scheme}://{0.netloc}{1}".format(urlsplit(page.url), target)
    done = agent.post(
        target,
        data={"xsrf": xsrf.group(1), "logout": "yes"},
        allow_redirects=False,
        timeout=10,
    )
    assert done.status_code in (302, 303), done.text[:300]
    return str(done.headers["Location"])


def test_sign_out_ends_silta_then_the_providers_session(oidc_settings, known):
    agent = requests.Session()  # the browser, at the provider
    browser = _signed_in(agent)
    held = browser.session[PROVIDER_KEY]
    assert held["id_token"].count(".") == 2  # the ID token (a JWS), in the session only
    assert _provider_session_alive(agent)

    page = browser.post(reverse("oidc:client_sign_out"))
    assert page.status_code == 200
    text = page.content.decode()
    # Silta's session ended first: the own view asks to sign in again.
    assert CLIENT_KEY not in browser.session and PROVIDER_KEY not in browser.session
    assert browser.get("/oma/").status_code == 302
    # The provider's sign-out is a POST form (the ID token never goes in a URL).
    form = FORM.search(text)
    assert form
    endpoint = html.unescape(form.group(1))
    provider = client_provider()
    assert provider is not None
    discovered = relying_party.oauth_client(provider).load_server_metadata()
    assert endpoint == discovered["end_session_endpoint"]
    inside = text[form.end() : text.index("</form>", form.end())]
    fields = {name: html.unescape(value) for name, value in FIELD.findall(inside)}
    assert fields == {
        "id_token_hint": held["id_token"],
        "client_id": "silta-client",
        "post_logout_redirect_uri": SIGN_IN_PAGE,
    }
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(endpoint))
    assert f"form-action 'self' {origin}" in page["Content-Security-Policy"]

    back = _confirm_at_provider(agent, endpoint, fields)
    assert back == SIGN_IN_PAGE
    assert not _provider_session_alive(agent)
    landing = browser.get(local(back))
    assert landing.status_code == 200
    assert "You are signed out." in landing.content.decode()
    assert KNOWN_CODE not in back


def test_without_an_end_session_endpoint_only_silta_signs_out(oidc_settings, known, monkeypatch):
    agent = requests.Session()
    browser = _signed_in(agent)
    provider = client_provider()
    assert provider is not None
    metadata = relying_party.oauth_client(provider).load_server_metadata()
    monkeypatch.delitem(metadata, "end_session_endpoint")
    response = browser.post(reverse("oidc:client_sign_out"))
    assert response.status_code == 302 and response["Location"] == reverse("portal:sign_in")
    assert CLIENT_KEY not in browser.session
    assert _provider_session_alive(agent)  # the provider's own session is left as it is
    assert "You are signed out." in browser.get(response["Location"]).content.decode()


def test_a_session_without_an_id_token_signs_out_locally(oidc_settings, known):
    browser = browser_client("en")
    sign_in_as(browser, known)
    response = browser.post(reverse("oidc:client_sign_out"))
    assert response.status_code == 302 and response["Location"] == reverse("portal:sign_in")
    assert CLIENT_KEY not in browser.session


def test_the_own_views_button_signs_out_through_the_provider(oidc_settings, known):
    browser = browser_client("en")
    sign_in_as(browser, known)
    text = browser.get(reverse("portal:home")).content.decode()
    assert f'action="{reverse("oidc:client_sign_out")}"' in text


def test_another_person_signing_in_does_not_inherit_the_id_token(oidc_settings, known):
    browser = _signed_in(requests.Session())
    assert PROVIDER_KEY in browser.session
    other = make_client(2779)
    # Someone else signed in on the same session (here without a provider token).
    request = HttpRequest()
    request.session = browser.session
    sign_in_client(request, other, method="test")
    assert PROVIDER_KEY not in request.session
