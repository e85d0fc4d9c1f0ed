"""Sign-in: password + TOTP, enrolment, progressive delay on failures, deny by default."""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from silta.accounts import throttle
from silta.accounts.models import User
from silta.accounts.services import login_delay_clear
from silta.audit.models import AuditEvent
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"


START = time.time()


def later(monkeypatch, seconds: float) -> None:
    """Move the throttle's clock forward (the cache's own expiry is not waited for)."""
    monkeypatch.setattr(throttle, "clock", lambda: START + seconds)


@pytest.fixture(autouse=True)
def _clear_throttle(monkeypatch):
    later(monkeypatch, 0)  # a slow machine must not let a one-second wait run out
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


def failures(client, username: str, count: int) -> None:
    for _ in range(count):
        assert login(client, username, password="wrong-password").status_code == 200


def error_text(response) -> str:
    errors = response.content.decode().split('class="form-errors"', 1)[1]
    return errors.split("</", 1)[0]


def test_repeated_failures_make_the_next_attempt_wait(client, staff, settings) -> None:
    settings.SILTA_LOGIN_MAX_FAILURES = 3
    failures(client, staff.username, 3)
    device = TOTPDevice.objects.get(user=staff)
    response = login(client, staff.username, otp=code_for(device))
    assert response.status_code == 429 and response["Retry-After"] == "1"
    assert "_auth_user_id" not in client.session
    assert "1" in error_text(response)


def test_the_wait_grows_then_the_owner_gets_in(client, staff, settings, monkeypatch) -> None:
    settings.SILTA_LOGIN_MAX_FAILURES = 3
    settings.SILTA_LOGIN_MAX_DELAY_SECONDS = 4
    waits = []
    for step in range(5):
        later(monkeypatch, 10 * step)  # each attempt after the previous wait ran out
        login(client, staff.username, password="wrong-password")
        waits.append(throttle.wait_seconds(staff.username, "127.0.0.1"))
    assert waits == [0, 0, 1, 2, 4]  # doubling, capped: never a long lock
    later(monkeypatch, 60)
    device = TOTPDevice.objects.get(user=staff)
    response = login(client, staff.username, otp=code_for(device))
    assert response.status_code == 302 and "_auth_user_id" in client.session
    assert throttle.wait_seconds(staff.username, "127.0.0.1") == 0  # success clears the name


def test_locked_account_and_unknown_name_get_the_same_answer(client, staff, settings) -> None:
    settings.SILTA_LOGIN_MAX_FAILURES = 2
    answers = {}
    for name in (staff.username, "nobody-here"):
        first = login(client, name, password="wrong-password")
        failures(client, name, 1)
        delayed = login(client, name, password="wrong-password")
        answers[name] = [(r.status_code, error_text(r)) for r in (first, delayed)]
    assert answers[staff.username] == answers["nobody-here"]
    assert answers["nobody-here"][1][0] == 429


def test_failures_and_refused_attempts_are_audited(client, staff, settings) -> None:
    settings.SILTA_LOGIN_MAX_FAILURES = 1
    login(client, staff.username, password="wrong-password")
    login(client, staff.username, password="wrong-password")
    login(client, "nobody-here", password="wrong-password")
    login(client, "nobody-here", password="wrong-password")
    events = AuditEvent.objects.filter(action="login_failed").order_by("pk")
    assert [(e.user_id, e.detail["reason"]) for e in events] == [
        (staff.pk, "password"),
        (staff.pk, "delayed"),
        (None, "password"),
        (None, "delayed"),
    ]
    assert events[0].detail["delay_seconds"] == 1


def test_someone_elses_guesses_do_not_lock_the_owner_out(client, staff, settings, monkeypatch):
    """Forty wrong guesses at a name from many addresses: the owner waits at most the cap."""
    settings.SILTA_LOGIN_MAX_DELAY_SECONDS = 300
    for attempt in range(40):
        later(monkeypatch, 400 * attempt)
        client.post(
            "/login/",
            {"username": staff.username, "password": "guess", "otp_token": ""},
            REMOTE_ADDR=f"192.0.2.{attempt + 1}",
        )
    assert throttle.wait_seconds(staff.username, "198.51.100.9") <= 300
    later(monkeypatch, 400 * 40)
    device = TOTPDevice.objects.get(user=staff)
    response = login(client, staff.username, otp=code_for(device))
    assert response.status_code == 302


def test_address_throttle(client, staff, settings) -> None:
    settings.SILTA_LOGIN_ADDRESS_MAX_FAILURES = 2
    other = make_user(staff.memberships.first().unit, "kela_benefit_processor")
    login(client, "nobody-1", password="x")
    login(client, "nobody-2", password="x")
    device = TOTPDevice.objects.create(user=other, name="p", confirmed=True)
    response = login(client, other.username, otp=code_for(device))
    assert response.status_code == 429 and "_auth_user_id" not in client.session
    elsewhere = client.post(
        "/login/",
        {"username": other.username, "password": PASSWORD, "otp_token": code_for(device)},
        REMOTE_ADDR="198.51.100.9",
    )
    assert elsewhere.status_code == 302  # the address waits, not the account


def test_admin_lets_an_account_try_again(client, staff, settings) -> None:
    settings.SILTA_LOGIN_MAX_FAILURES = 1
    failures(client, staff.username, 1)
    assert throttle.wait_seconds(staff.username, "10.9.9.9") == 1
    login_delay_clear(users=[staff])
    assert throttle.wait_seconds(staff.username, "10.9.9.9") == 0


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
