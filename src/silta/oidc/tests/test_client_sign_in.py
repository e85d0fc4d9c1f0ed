"""Client sign-in through the real local provider (strong identification's stand-in)."""

from __future__ import annotations

import logging

import pytest
import requests
from django.urls import reverse

from silta.audit.models import AuditAction, AuditEvent
from silta.clients.models import Client
from silta.oidc import relying_party
from silta.oidc.tests.conftest import KNOWN_CODE, UNKNOWN_CODE
from silta.oidc.tests.flow import local, sign_in_at_provider
from silta.portal.session import CLIENT_KEY
from tests.factories import browser_client, make_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(db) -> Client:
    return make_client(2777)


def _sign_in(browser, login: str):
    start = browser.get(reverse("oidc:start"), {"next": "/oma/"})
    assert start.status_code == 302
    back = sign_in_at_provider(start["Location"], login)
    return back, browser.get(local(back))


def test_the_client_lands_signed_in_as_themselves(oidc_settings, known, caplog):
    caplog.set_level(logging.DEBUG)
    browser = browser_client()
    back, response = _sign_in(browser, "client-ok")
    assert response.status_code == 302, response.content.decode()[-1500:]
    assert response["Location"] == "/oma/"
    assert browser.session[CLIENT_KEY] == known.pk
    home = browser.get("/oma/")
    assert home.status_code == 200
    # The code travels only inside the signed ID token: never in a URL or a log line.
    assert KNOWN_CODE not in back and KNOWN_CODE not in response["Location"]
    assert all(KNOWN_CODE not in r.getMessage() for r in caplog.records)
    login = AuditEvent.objects.get(action=AuditAction.LOGIN, client=known)
    assert login.actor_label == f"Client {known.full_name}" and login.user is None


def test_a_client_session_is_never_a_staff_session(oidc_settings, known):
    browser = browser_client()
    _sign_in(browser, "client-ok")
    assert "_auth_user_id" not in browser.session
    inbox = browser.get(reverse("exchange:home"))
    assert inbox.status_code == 302 and inbox["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("login", "words"),
    [
        ("client-noclaim", "did not tell us your personal identity code"),
        ("client-badcode", "is not valid"),
        ("client-unknown", "no matters in Silta yet"),
    ],
)
def test_refused_identifications_change_nothing(oidc_settings, known, login, words):
    clients_before = Client.objects.count()
    browser = browser_client("en")
    _back, response = _sign_in(browser, login)
    assert response.status_code == 400
    assert words in response.content.decode()
    assert CLIENT_KEY not in browser.session
    assert Client.objects.count() == clients_before
    assert not Client.objects.filter(identity_code=UNKNOWN_CODE).exists()
    failed = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).latest("pk")
    assert UNKNOWN_CODE not in str(failed.detail) and KNOWN_CODE not in str(failed.detail)


def test_the_message_is_translated(oidc_settings, known):
    _back, response = _sign_in(browser_client("fi"), "client-noclaim")
    assert "henkilötunnus" in response.content.decode()


def test_a_wrong_nonce_is_refused(oidc_settings, known):
    browser = browser_client("en")
    start = browser.get(reverse("oidc:start"))
    session = browser.session
    pending = session[relying_party.SESSION_KEY]
    for data in pending.values():
        data["nonce"] = "not-the-nonce-that-was-sent"
    session[relying_party.SESSION_KEY] = pending
    session.save()
    back = sign_in_at_provider(start["Location"], "client-ok")
    response = browser.get(local(back))
    assert response.status_code == 400
    assert "did not succeed" in response.content.decode()
    assert CLIENT_KEY not in browser.session


def test_a_replayed_or_foreign_state_is_refused(oidc_settings, known):
    browser = browser_client("en")
    start = browser.get(reverse("oidc:start"))
    back = sign_in_at_provider(start["Location"], "client-ok")
    stranger = browser_client("en")  # another browser brings the same callback
    assert stranger.get(local(back)).status_code == 400
    assert browser.get(local(back)).status_code == 302  # the real one still works once
    assert browser_client().get(local(back)).status_code == 400
    assert browser.get(local(back)).status_code == 400  # state used once


def test_client_sign_in_without_configuration_says_so(settings, db):
    settings.SILTA_OIDC_CLIENT_ISSUER = ""
    response = browser_client("en").get(reverse("oidc:start"))
    assert response.status_code == 400
    assert "not available" in response.content.decode()


def test_every_client_sign_in_identifies_afresh(oidc_settings, known):
    """The provider's session from an earlier sign-in does not sign anyone in silently."""
    agent = requests.Session()  # one shared computer's browser, at the provider
    first = browser_client()
    start = first.get(reverse("oidc:start"))
    assert "prompt=login" in start["Location"]
    first.get(local(sign_in_at_provider(start["Location"], "client-ok", agent=agent)))
    again = browser_client().get(reverse("oidc:start"))
    page = agent.get(again["Location"], timeout=10)
    assert 'name="password"' in page.text  # asked again, not sent back signed in
