"""The demo client sees her matters in the own view; the staff demo logins still work."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from silta.accounts.models import User
from silta.clients.models import Client
from silta.demo import data
from silta.portal.testing import sign_in_as
from tests.factories import browser_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings) -> None:
    settings.SILTA_DEMO_SKIP_TOTP = True
    call_command("demo_seed", stdout=io.StringIO())


def test_the_demo_client_understands_her_matters(demo) -> None:
    code, *_rest = data.demo_clients()[0]
    aino = Client.objects.get(identity_code=code)
    browser = browser_client("fi")
    sign_in_as(browser, aino)
    home = browser.get(reverse("portal:home"))
    assert home.status_code == 200
    matters = home.context["matters"]
    assert matters.cases and matters.cases[0].own_worker is not None
    assert matters.referrals
    for name in ("portal:meetings", "portal:consents", "portal:data_use"):
        assert browser.get(reverse(name)).status_code == 200, name
    assert browser.post(reverse("portal:data_use"), {}).status_code == 200


def test_the_demo_attorney_acts_for_the_principal(demo) -> None:
    clients = [Client.objects.get(identity_code=c[0]) for c in data.demo_clients()[:3]]
    browser = browser_client("fi")
    sign_in_as(browser, clients[1], acting_for=clients[2])
    assert browser.get(reverse("portal:home")).status_code == 200


def test_staff_demo_logins_still_work(demo, client) -> None:
    user = User.objects.get(username="kela.kasittelija")
    assert user.check_password(data.DEMO_PASSWORD)
    client.force_login(user)
    assert client.get(reverse("portal:home")).status_code == 302  # not a client session
    assert client.get(reverse("clients:find")).status_code == 200
