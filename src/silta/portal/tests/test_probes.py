"""Client versus client over every page of the own view, and the attorney's scope.

Client B signs in and tries every page and every id of client A's (meeting, case and
consent ids in URLs and POST bodies): each is refused as not found with one audited
"denied" row, shows nothing of A and changes nothing. An attorney sees the principal's
matters within the power's scope, marked as such, and is refused outside it.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from silta.audit.models import AuditEvent
from silta.consents.models import Consent, ConsentRevocation
from silta.portal.testing import sign_in_as
from silta.referrals.models import Referral
from tests.factories import browser_client


def _browser(client: Any, **kwargs: Any) -> Any:
    browser = browser_client("en")
    sign_in_as(browser, client, **kwargs)
    return browser


def _state() -> tuple[int, int, int]:
    return Consent.objects.count(), ConsentRevocation.objects.count(), Referral.objects.count()


def _probes(portal: Any) -> dict[str, tuple[str, str, dict[str, str]]]:
    """Every page, aimed at client A's objects (as B would try them)."""
    a_consent = Consent.objects.filter(client=portal.a).get()
    return {
        "calendar": (
            "get",
            reverse("portal:meeting_calendar", args=[portal.meetings["a"].public_id]),
            {},
        ),
        "booking_calendar": (
            "get",
            reverse("portal:booking_calendar", args=[portal.bookings["a"].public_id]),
            {},
        ),
        "meeting_request": (
            "post",
            reverse("portal:meetings"),
            {"case": str(portal.case_a.public_id)},
        ),
        "consent_give": (
            "post",
            reverse("portal:consent_give"),
            {"case": str(portal.case_a.public_id), "purposes": "joint_assistance", "agreed": "on"},
        ),
        "consent_revoke": (
            "post",
            reverse("portal:consent_revoke"),
            {"consent": str(a_consent.public_id)},
        ),
    }


def test_client_b_reaches_none_of_client_as_items(portal):
    browser = _browser(portal.b)
    before = _state()
    for name, (method, path, data) in _probes(portal).items():
        denied = AuditEvent.objects.filter(action="denied", client=portal.b).count()
        response = getattr(browser, method)(path, data)
        text = response.content.decode(errors="replace")
        assert portal.a.last_name not in text, name
        assert response.status_code == 404, name
        assert AuditEvent.objects.filter(action="denied", client=portal.b).count() == denied + 1
        assert "Not found." in text, name
    assert _state() == before


@pytest.mark.parametrize(
    "name", ["portal:home", "portal:meetings", "portal:consents", "portal:data_use"]
)
def test_every_page_shows_only_the_clients_own_data(portal, name):
    browser = _browser(portal.b)
    response = browser.get(reverse(name))
    if name == "portal:data_use":
        response = browser.post(reverse(name), {})
    text = response.content.decode()
    assert response.status_code == 200
    assert portal.a.last_name not in text
    assert str(portal.case_a.public_id) not in text
    assert str(portal.meetings["a"].public_id) not in text
    assert str(portal.bookings["a"].public_id) not in text
    for consent in Consent.objects.filter(client=portal.a):
        assert str(consent.public_id) not in text


def test_a_malformed_id_is_not_found(portal):
    browser = _browser(portal.b)
    response = browser.post(reverse("portal:consent_revoke"), {"consent": "../../etc"})
    assert response.status_code == 404


def test_the_attorney_sees_the_principals_matters_marked_as_such(portal):
    browser = _browser(portal.attorney, acting_for=portal.a)
    response = browser.get(reverse("portal:home"))
    assert response.status_code == 200
    text = response.content.decode()
    assert f"You are acting for {portal.a.full_name}" in text
    shown = {card.referral.pk for card in response.context["matters"].referrals}
    assert portal.referrals["done_a"].pk in shown
    event = AuditEvent.objects.filter(action="view", client=portal.a).latest("id")
    assert event.detail["actor_kind"] == "attorney"
    assert event.actor_label == f"Attorney {portal.attorney.full_name} for {portal.a.full_name}"
    assert event.detail["power_of_attorney"] == str(portal.powers["matters"].public_id)


def test_the_attorney_is_refused_outside_the_powers_scope(portal):
    browser = _browser(portal.attorney, acting_for=portal.a)
    before = _state()
    for method, name in (("get", "portal:consents"), ("post", "portal:consent_give")):
        response = getattr(browser, method)(reverse(name))
        assert response.status_code == 403
        assert "Your power of attorney does not cover this." in response.content.decode()
    assert AuditEvent.objects.filter(action="denied", client=portal.a).count() == 2
    assert _state() == before
    consents_only = _browser(portal.consent_attorney, acting_for=portal.a)
    assert consents_only.get(reverse("portal:home")).status_code == 403
    assert consents_only.get(reverse("portal:consents")).status_code == 200


def test_the_attorney_gives_a_consent_as_attorney(portal):
    browser = _browser(portal.consent_attorney, acting_for=portal.a)
    response = browser.post(
        reverse("portal:consent_give"),
        {"case": str(portal.case_a.public_id), "purposes": ["joint_assistance"], "agreed": "on"},
    )
    assert response.status_code == 302
    consent = Consent.objects.filter(client=portal.a).latest("recorded_at")
    assert consent.given_by == "attorney"
    assert consent.power_of_attorney == portal.powers["consents"]


def test_own_pages_never_show_another_clients_attorney_view(portal):
    """The stranger has no case: the pages say so and show nothing of anyone."""
    browser = _browser(portal.stranger)
    text = browser.get(reverse("portal:home")).content.decode()
    assert "do not have a shared matter about you" in text
    assert portal.a.last_name not in text and portal.b.last_name not in text


def test_the_attorney_chooses_whose_matters_and_never_anothers_power(portal):
    browser = _browser(portal.attorney)
    page = browser.get(reverse("portal:acting_for"))
    assert page.status_code == 200
    assert str(portal.powers["matters"].public_id) in page.content.decode()
    assert str(portal.powers["consents"].public_id) not in page.content.decode()
    home = browser.get(reverse("portal:home")).content.decode()
    assert "You also have a power of attorney" in home
    chosen = browser.post(
        reverse("portal:acting_for"), {"power": str(portal.powers["matters"].public_id)}
    )
    assert chosen.status_code == 302
    assert browser.get(reverse("portal:home")).context["me"].subject == portal.a
    # Another attorney's power: an audited 404, still acting for A.
    denied = AuditEvent.objects.filter(action="denied").count()
    stolen = browser.post(
        reverse("portal:acting_for"), {"power": str(portal.powers["consents"].public_id)}
    )
    assert stolen.status_code == 404
    assert AuditEvent.objects.filter(action="denied").count() == denied + 1
    back = browser.post(reverse("portal:acting_for"), {"power": "self"})
    assert back.status_code == 302
    assert browser.get(reverse("portal:home")).context["me"].subject == portal.attorney
