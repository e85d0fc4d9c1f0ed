"""The client session: apart from staff sign-in, idle-limited, attorney-bound."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from silta.portal import session as portal_session
from silta.portal.testing import sign_in_as
from silta.portal.tests.helpers import new_client as make_client
from silta.portal.tests.helpers import power_of_attorney
from tests.factories import PASSWORD, browser_client, make_user


@pytest.fixture
def home() -> str:
    return reverse("portal:home")


def test_no_session_goes_to_the_client_sign_in_not_the_staff_login(db, home):
    response = browser_client().get(home)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:sign_in"))


def test_a_signed_in_client_is_never_a_staff_user(shared_world, home):
    browser = browser_client()
    sign_in_as(browser, make_client())
    response = browser.get(home)
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    assert response["Cache-Control"] == "no-store, private"
    # and the staff pages still want a staff login
    assert browser.get(reverse("clients:find"))["Location"].startswith(reverse("accounts:login"))


def test_client_sign_in_logs_staff_out_and_rotates_the_key(shared_world):
    staff = make_user(shared_world.kela_unit, "kela_worker")
    browser = browser_client()
    assert browser.login(username=staff.username, password=PASSWORD)
    before = browser.session.session_key
    request = RequestFactory().get("/oma/")
    request.session = browser.session
    request.user = staff
    client = make_client()
    portal_session.sign_in_client(request, client, method="test")
    request.session.save()
    assert request.session.session_key != before
    assert SESSION_KEY not in request.session
    assert request.session[portal_session.CLIENT_KEY] == client.pk


def test_staff_sign_in_drops_the_client_session(shared_world, home):
    staff = make_user(shared_world.kela_unit, "kela_worker")
    browser = browser_client()
    sign_in_as(browser, make_client())
    assert browser.get(home).status_code == 200
    browser.force_login(staff)  # django.contrib.auth.login on this browser's session
    assert portal_session.CLIENT_KEY not in browser.session
    assert browser.get(home).status_code == 302


def test_a_staff_session_is_not_a_client_session(shared_world, home):
    staff = make_user(shared_world.kela_unit, "kela_worker")
    browser = browser_client()
    browser.force_login(staff)
    assert browser.get(home).status_code == 302


def test_idle_client_session_ends(shared_world, home, settings):
    settings.SILTA_CLIENT_IDLE_MINUTES = 5
    browser = browser_client()
    sign_in_as(browser, make_client())
    session = browser.session
    stale = timezone.now() - dt.timedelta(minutes=6)
    session[portal_session.SEEN_KEY] = stale.isoformat()
    session.save()
    assert browser.get(home).status_code == 302
    assert portal_session.CLIENT_KEY not in browser.session


def test_activity_keeps_the_session(shared_world, home, settings):
    settings.SILTA_CLIENT_IDLE_MINUTES = 5
    browser = browser_client()
    sign_in_as(browser, make_client())
    session = browser.session
    session[portal_session.SEEN_KEY] = (timezone.now() - dt.timedelta(minutes=4)).isoformat()
    session.save()
    assert browser.get(home).status_code == 200
    assert browser.get(home).status_code == 200


def test_sign_out_ends_the_session(shared_world, home):
    browser = browser_client()
    sign_in_as(browser, make_client())
    browser.post(reverse("portal:sign_out"))
    assert browser.get(home).status_code == 302


def test_attorney_needs_a_verified_power_in_force(shared_world):
    principal, attorney = make_client(), make_client()
    with pytest.raises(PermissionError):
        sign_in_as(browser_client(), attorney, acting_for=principal)
    power_of_attorney(principal, attorney, shared_world.social_unit, verified=False)
    with pytest.raises(PermissionError):
        sign_in_as(browser_client(), attorney, acting_for=principal)
    poa = power_of_attorney(principal, attorney, shared_world.social_unit)
    browser = browser_client()
    sign_in_as(browser, attorney, acting_for=principal)
    response = browser.get(reverse("portal:home"))
    me = response.context["me"]
    assert me.subject == principal and me.client == attorney
    assert me.scope == frozenset({"social_assistance"})
    assert me.power_of_attorney == poa


def test_a_revoked_power_ends_the_attorney_session_at_once(shared_world, home):
    principal, attorney = make_client(), make_client()
    poa = power_of_attorney(principal, attorney, shared_world.social_unit)
    browser = browser_client()
    sign_in_as(browser, attorney, acting_for=principal)
    assert browser.get(home).status_code == 200
    type(poa).objects.filter(pk=poa.pk).update(revoked_at=timezone.now())
    assert browser.get(home).status_code == 302


def test_someone_elses_power_cannot_be_used(shared_world):
    principal, attorney, stranger = make_client(), make_client(), make_client()
    poa = power_of_attorney(principal, attorney, shared_world.social_unit)
    with pytest.raises(PermissionError):
        sign_in_as(browser_client(), stranger, acting_for=poa)
