"""Staff sign-out at their organisation's provider too (OpenID Connect RP-Initiated
Logout 1.0), against the real local provider: Silta's session ends first, then the
provider's, and the provider sends the browser back to Silta's front page."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import pytest
import requests
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from silta.audit.models import AuditAction, AuditEvent
from silta.oidc import relying_party
from silta.oidc.providers import staff_provider
from silta.oidc.staff_session import PROVIDER_KEY
from silta.oidc.tests.flow import local, sign_in_at_provider
from silta.oidc.tests.test_client_sign_out import CONFIRM, FIELD, FORM
from silta.oidc.tests.test_staff_sign_in import rules, signed_in, user_of
from tests.factories import browser_client, make_user

pytestmark = pytest.mark.django_db
__all__ = ["rules"]  # the fixture, used by name

FRONT_PAGE = "http://testserver/"


def _signed_in(agent: requests.Session, login: str = "kela-mfa", provider: str = "kela"):
    browser = browser_client("en")
    start = browser.post(reverse("oidc:staff"), {"provider": provider})
    back = sign_in_at_provider(start["Location"], login, agent=agent)
    assert browser.get(local(back)).status_code == 302
    assert signed_in(browser)
    return browser


def _provider_session_alive(agent: requests.Session) -> bool:
    """Would the provider sign this browser in without asking (prompt=none)?"""
    start = browser_client().post(reverse("oidc:staff"), {"provider": "kela"})
    location = start["Location"] + "&prompt=none"
    for _ in range(10):
        response = agent.get(location, allow_redirects=False, timeout=10)
        location = response.headers["Location"]
        if location.startswith("http://testserver"):
            return "code=" in location and "error=" not in location
        if "://" not in location:
            location = "{0.scheme}://{0.netloc}{1}".format(urlsplit(response.url), location)
    raise AssertionError("the provider never answered the silent request")


def _confirm_at_provider(agent: requests.Session, endpoint: str, fields: dict[str, str]) -> str:
    page = agent.post(endpoint, data=fields, timeout=10)
    assert page.status_code == 200, page.text[:300]
    form = CONFIRM.search(page.text)
    action = re.search(r'action="([^"]+)"', form.group(0)) if form else None
    xsrf = re.search(r'name="xsrf" value="([^"]+)"', page.text)
    assert action and xsrf, page.text[:500]
    target = action.group(1)
    if "://" not in target:
        target = "{0.scheme}://{0.netloc}{1}".format(urlsplit(page.url), target)
    done = agent.post(
        target, data={"xsrf": xsrf.group(1), "logout": "yes"}, allow_redirects=False, timeout=10
    )
    assert done.status_code in (302, 303), done.text[:300]
    return str(done.headers["Location"])


def test_staff_sign_out_ends_silta_then_the_providers_session(oidc_settings, rules):
    agent = requests.Session()
    browser = _signed_in(agent)
    held = browser.session[PROVIDER_KEY]
    user = user_of("kela.mfa@kela.example")
    assert held["user"] == user.pk and held["id_token"].count(".") == 2
    assert _provider_session_alive(agent)

    page = browser.post(reverse("oidc:staff_sign_out"))
    assert page.status_code == 200
    assert not signed_in(browser) and PROVIDER_KEY not in browser.session
    assert AuditEvent.objects.filter(user=user, action=AuditAction.LOGOUT).exists()
    text = page.content.decode()
    form = FORM.search(text)
    assert form
    endpoint = html.unescape(form.group(1))
    provider = staff_provider("kela")
    assert provider is not None
    discovered = relying_party.oauth_client(provider).load_server_metadata()
    assert endpoint == discovered["end_session_endpoint"]
    inside = text[form.end() : text.index("</form>", form.end())]
    fields = {name: html.unescape(value) for name, value in FIELD.findall(inside)}
    assert fields == {
        "id_token_hint": held["id_token"],
        "client_id": provider.client_id,
        "post_logout_redirect_uri": FRONT_PAGE,
    }
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(endpoint))
    assert f"form-action 'self' {origin}" in page["Content-Security-Policy"]

    back = _confirm_at_provider(agent, endpoint, fields)
    assert back == FRONT_PAGE
    assert not _provider_session_alive(agent)


def test_the_code_step_keeps_the_provider_session_for_the_sign_out(oidc_settings, rules):
    browser = browser_client("en")
    start = browser.post(reverse("oidc:staff"), {"provider": "psavo"})
    first = browser.get(local(sign_in_at_provider(start["Location"], "county-enrol")))
    assert first["Location"] == reverse("accounts:totp_enrol")  # the account, no device yet
    user = user_of("county.enrol@pohde.example")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    start = browser.post(reverse("oidc:staff"), {"provider": "psavo"})
    held = browser.get(local(sign_in_at_provider(start["Location"], "county-enrol")))
    assert held["Location"] == reverse("oidc:staff_code")
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    done = browser.post(reverse("oidc:staff_code"), {"otp_token": f"{code:06d}"})
    assert done.status_code == 302 and signed_in(browser)
    page = browser.post(reverse("oidc:staff_sign_out"))
    assert page.status_code == 200 and FORM.search(page.content.decode())


def test_a_password_sign_in_signs_out_of_silta_only(oidc_settings, settings, shared_world):
    settings.SILTA_DEMO_SKIP_TOTP = True  # signed in without the code step
    browser = browser_client("en")
    staff = make_user(shared_world.kela_unit, "kela_benefit_processor")
    browser.force_login(staff)
    response = browser.post(reverse("oidc:staff_sign_out"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in browser.session
    assert AuditEvent.objects.filter(user=staff, action=AuditAction.LOGOUT).exists()


def test_an_unfinished_sign_in_never_lends_its_token_to_another_user(oidc_settings, rules):
    browser = _signed_in(requests.Session())
    session = browser.session
    session[PROVIDER_KEY] = {**session[PROVIDER_KEY], "user": -1}
    session.save()
    response = browser.post(reverse("oidc:staff_sign_out"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")


def test_the_headers_button_signs_out_through_the_provider(oidc_settings, settings, shared_world):
    settings.SILTA_DEMO_SKIP_TOTP = True
    browser = browser_client("en")
    browser.force_login(make_user(shared_world.kela_unit, "kela_benefit_processor"))
    text = browser.get(reverse("exchange:home"), follow=True).content.decode()
    assert f'action="{reverse("oidc:staff_sign_out")}"' in text
