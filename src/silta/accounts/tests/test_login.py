"""Sign-in: password + TOTP, enrolment, throttling and lock-out, deny by default."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from silta.accounts.models import User
from silta.audit.models import AuditEvent
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"


@pytest.fixture(autouse=True)
def _clear_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff(world) -> User:
    user = world.users["kela_processor"]
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def login(client, username: str, password: str = PASSWORD, otp: str = ""):
    return client.post("/login/", {"username": username, "password": password, "otp_token": otp})


def test_password_and_code_sign_in(client, staff) -> None:
    device = TOTPDevice.objects.get(user=staff)
    response = login(client, staff.username, otp=code_for(device))
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/", follow=True).status_code == 200
    assert AuditEvent.objects.filter(user=staff, action="login").count() == 1


def test_password_without_code_is_refused(client, staff) -> None:
    response = login(client, staff.username)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(user=staff, action="login_failed").count() == 1


def test_wrong_code_is_refused(client, staff) -> None:
    response = login(client, staff.username, otp="000000")
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_wrong_password_message_does_not_reveal_which(client, staff) -> None:
    a = login(client, staff.username, password="wrong-password").content
    b = login(client, "nobody-here", password="wrong-password").content
    assert b"form-errors" in a and b"form-errors" in b


def test_lockout_after_repeated_failures(client, staff, settings) -> None:
    settings.SILTA_LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        login(client, staff.username, password="wrong-password")
    staff.refresh_from_db()
    assert staff.locked_until is not None
    device = TOTPDevice.objects.get(user=staff)
    response = login(client, staff.username, otp=code_for(device))
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_address_throttle(client, staff, monkeypatch) -> None:
    from silta.accounts import services

    monkeypatch.setattr(services, "ADDRESS_FAILURE_LIMIT", 2)
    other = make_user(staff.memberships.first().unit, "kela_benefit_processor")
    login(client, "nobody-1", password="x")
    login(client, "nobody-2", password="x")
    device = TOTPDevice.objects.create(user=other, name="p", confirmed=True)
    response = login(client, other.username, otp=code_for(device))
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_first_sign_in_enrols_an_authenticator(client, world) -> None:
    user = world.users["social_worker"]
    response = login(client, user.username)
    assert response.status_code == 302 and response["Location"] == "/login/authenticator/"
    page = client.get("/login/authenticator/")
    assert page.status_code == 200 and b"data:image/svg+xml;base64," in page.content
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/login/authenticator/", {"otp_token": code_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed and "_auth_user_id" in client.session


def test_demo_setting_skips_the_code(client, staff, settings) -> None:
    settings.SILTA_DEMO_SKIP_TOTP = True
    assert login(client, staff.username).status_code == 302


def test_session_without_second_factor_is_not_enough(client, staff) -> None:
    client.force_login(staff)  # password only, no OTP verification
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_pages_require_login_and_htmx_gets_redirect_header(client, db) -> None:
    assert client.get("/clients/find/")["Location"].startswith("/login/")
    response = client.get("/clients/find/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"].startswith("/login/")


def test_open_redirect_is_refused(client, staff, settings) -> None:
    settings.SILTA_DEMO_SKIP_TOTP = True
    response = client.post(
        "/login/?next=https://evil.example/",
        {"username": staff.username, "password": PASSWORD, "otp_token": ""},
    )
    assert response["Location"] == "/"


def test_logout_is_post_only_and_audited(client, staff, settings) -> None:
    settings.SILTA_DEMO_SKIP_TOTP = True
    client.force_login(staff)
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert AuditEvent.objects.filter(user=staff, action="logout").exists()


def test_session_ends_after_idle_time(client, staff, settings) -> None:
    import datetime as dt

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    settings.SILTA_DEMO_SKIP_TOTP = True
    client.force_login(staff)
    assert client.get("/clients/find/").status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    # Activity renews the expiry to 30 minutes from the last request.
    remaining = session.expire_date - timezone.now()
    assert dt.timedelta(minutes=29) < remaining <= dt.timedelta(minutes=30)
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get("/clients/find/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
