"""The client's notification page: choose channels and language, plain refusals for bad
input (nothing changed), every view and change audited, an attorney cannot change the
principal's choices, and a page that has no id in it cannot reach another client."""

from __future__ import annotations

import pytest
from django.urls import reverse

from silta.audit.models import AuditEvent
from silta.notifications.models import NotificationPreference
from silta.notifications.services import PreferenceInput, preference_set
from silta.portal.testing import sign_in_as
from silta.portal.tests.helpers import power_of_attorney
from tests.factories import browser_client, make_client

pytestmark = pytest.mark.django_db
URL = "/oma/ilmoitukset/"


@pytest.fixture
def person():
    return make_client(941)


def browser_for(client, language: str = "fi"):
    browser = browser_client(language)
    sign_in_as(browser, client)
    return browser


def test_the_url_is_the_one_under_the_own_view():
    assert reverse("notification_preferences") == URL


def test_a_new_client_has_no_channel_and_is_told_so(person):
    browser = browser_for(person)
    response = browser.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="no-channel"' in page
    assert '<a href="/oma/ilmoitukset/" aria-current="page">Ilmoitukset</a>' in page
    assert "Suomi.fi" not in page  # the service is off by default: not offered
    event = AuditEvent.objects.get(detail__page="notification_preferences")
    assert (event.action, event.client_id, event.detail["actor_kind"]) == (
        "view",
        person.pk,
        "client",
    )
    assert event.actor_label == f"Client {person.full_name}"
    assert event.user_id is None and event.unit_id is None


def test_choosing_e_mail_and_swedish(person):
    browser = browser_for(person)
    response = browser.post(URL, {"email": "asiakas@example.fi", "language": "sv"})
    assert response.status_code == 302 and response["Location"] == URL
    preference = NotificationPreference.objects.get(client=person)
    assert (preference.email, preference.language, preference.use_suomifi) == (
        "asiakas@example.fi",
        "sv",
        False,
    )
    assert AuditEvent.objects.filter(action="update", client=person).count() == 1
    page = browser.get(URL).content.decode()
    assert 'data-testid="no-channel"' not in page
    assert 'value="asiakas@example.fi"' in page


def test_suomifi_is_offered_when_the_service_is_on(person, settings):
    settings.SILTA_SUOMIFI_MESSAGES_URL = "https://api.messages-qa.suomi.fi"
    browser = browser_for(person)
    assert "Suomi.fi" in browser.get(URL).content.decode()
    browser.post(URL, {"use_suomifi": "on", "language": "fi"})
    assert NotificationPreference.objects.get(client=person).use_suomifi is True


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "asiakas@", "language": "fi"}, "Tarkista sähköpostiosoite"),
        ({"email": "asiakas@example.fi", "language": "de"}, "Valitse oikea vaihtoehto"),
    ],
)
def test_bad_input_is_refused_plainly_and_nothing_changes(person, data, message):
    browser = browser_for(person)
    response = browser.post(URL, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_each_client_sees_and_changes_only_their_own(person):
    other = make_client(942)
    browser_for(other).post(URL, {"email": "toinen@example.fi", "language": "en"})
    browser = browser_for(person)
    assert "toinen@example.fi" not in browser.get(URL).content.decode()
    browser.post(URL, {"email": "oma@example.fi", "language": "fi"})
    assert NotificationPreference.objects.get(client=other).email == "toinen@example.fi"
    assert NotificationPreference.objects.get(client=person).email == "oma@example.fi"


def test_without_a_client_session_the_page_sends_to_the_client_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:sign_in"))


def test_an_attorney_sees_the_principals_choices_but_cannot_change_them(world):
    principal, attorney = make_client(943), make_client(944)
    preference_set(
        client=principal, data=PreferenceInput(email="paamies@example.fi", language="fi")
    )
    poa = power_of_attorney(principal, attorney, world.social_unit)
    browser = browser_client("fi")
    sign_in_as(browser, attorney, acting_for=poa)
    page = browser.get(URL).content.decode()
    assert "Vain henkilö itse voi valita" in page and '<form method="post" novalidate>' not in page
    event = AuditEvent.objects.filter(
        detail__page="notification_preferences", action="view"
    ).first()
    assert event is not None and event.client_id == principal.pk
    assert event.detail["actor_kind"] == "attorney"
    assert event.detail["power_of_attorney"] == str(poa.public_id)
    browser.post(URL, {"email": "valtuutettu@example.fi", "language": "en"})
    assert NotificationPreference.objects.get(client=principal).email == "paamies@example.fi"
    assert not NotificationPreference.objects.filter(client=attorney).exists()
