"""Signing in through the real local OpenID provider in Chromium (issues 13 and 14).

A client opens the own view's sign-in page, goes to the provider, signs in with a test
identity (a test identity code in the provider's claim) and lands in their own view, with no
staff page open to them. A Kela staff member chooses "sign in with your organisation's
account" on Silta's login page, signs in at the provider (which asserts MFA) and lands in
their unit's inbox with the role the provider's group maps to. The provider runs on loopback
for this module, its callbacks pointing at the live server.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from silta.accounts.models import Membership
from silta.oidc import devidp
from silta.oidc.models import RoleRule
from tests.e2e.conftest import Journey
from tests.e2e.test_reflow_a11y import _violations
from tests.factories import make_client, test_code

pytestmark = pytest.mark.e2e
PASSWORD = "e2e-pass-2026"
CODE = test_code(2791)


@pytest.fixture(scope="module")
def provider(live_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[devidp.DevIdp]:
    accounts: dict[str, Any] = {
        "asiakas": {
            "password": PASSWORD,
            "amr": ["pwd", "mfa"],
            "claims": {"given_name": "Aino", "family_name": "Verkko", "urn:oid:1.2.246.21": CODE},
        },
        "kela.sso": {
            "password": PASSWORD,
            "amr": ["pwd", "mfa"],
            "claims": {
                "given_name": "Kaisu",
                "family_name": "Kertakirjautuja",
                "email": "kaisu@kela.example",
                "groups": ["kela-e2e"],
            },
        },
    }
    path = Path(tmp_path_factory.mktemp("devidp")) / "accounts.json"
    path.write_text(json.dumps({"accounts": accounts}))
    idp = devidp.start(
        port=devidp.free_port(), redirect_bases=(live_server.url,), accounts_file=path
    )
    yield idp
    idp.stop()


@pytest.fixture
def configured(settings: Any, provider: devidp.DevIdp, journey: Journey) -> Journey:
    for name, value in devidp.silta_environment(provider.issuer).items():
        setattr(settings, name, value)
    return journey


def _sign_in_at_provider(page: Page, login: str) -> None:
    expect(page.get_by_role("heading", name="Test identification (local provider)")).to_be_visible()
    page.get_by_label("User name").fill(login)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_client_signs_in_through_the_provider(page: Page, live_server: Any, configured: Journey):
    client = make_client(2791)
    assert client.identity_code == CODE
    page.goto(live_server.url + reverse("portal:sign_in"))
    page.get_by_role("link", name="Kirjaudu sisään").click()
    _sign_in_at_provider(page, "asiakas")
    page.wait_for_url(f"{live_server.url}/oma/**")
    expect(page.get_by_role("button", name="Kirjaudu ulos")).to_be_visible()
    assert CODE not in page.url
    # A client session opens no staff page.
    page.goto(live_server.url + reverse("exchange:home"))
    assert page.url.startswith(live_server.url + reverse("accounts:login"))


def test_staff_sign_in_with_their_organisations_account(
    page: Page, live_server: Any, configured: Journey
):
    w = configured.world
    RoleRule.objects.create(
        provider="kela", value="kela-e2e", unit=w.kela_unit, role="kela_benefit_processor"
    )
    page.goto(live_server.url + reverse("accounts:login"))
    page.get_by_role("link", name="Kirjaudu organisaatiosi tunnuksella").click()
    page.get_by_role("button", name="Kela (demo)").click()
    _sign_in_at_provider(page, "kela.sso")
    page.wait_for_url(f"{live_server.url}/units/**")
    membership = Membership.objects.get(user__email="kaisu@kela.example")
    assert (membership.unit_id, membership.role) == (w.kela_unit.pk, "kela_benefit_processor")


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_sign_in_pages_reflow_at_320px_and_pass_axe(
    browser: Any, live_server: Any, configured: Journey, language: str
):
    context = browser.new_context(bypass_csp=True, viewport={"width": 320, "height": 640})
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    pages = {
        "chooser": reverse("oidc:staff"),
        "refused": reverse("oidc:client_callback") + "?state=unknown&code=x",
    }
    for name, path in pages.items():
        page.goto(live_server.url + path)
        assert _violations(page) == [], name
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 320, (name, width)
    page.goto(live_server.url + pages["chooser"])
    page.locator("input[type=email]").fill("someone@elsewhere.example")
    page.locator("form:has(input[type=email]) button[type=submit]").click()
    expect(page.locator(".field-error").first).to_be_visible()
    assert _violations(page) == []
    context.close()
