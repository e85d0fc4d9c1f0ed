"""The consents pages: what is in force at a glance, the history, recording the
application's checkbox, revoking with confirmation, a power of attorney verified."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from silta.audit.models import AuditEvent
from silta.consents.models import Consent, ConsentRevocation, PowerOfAttorney
from silta.consents.services import consent_record
from silta.consents.tests.helpers import consent_input, wording
from tests.factories import browser_client, exe_as_pdf, pdf, test_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, world, settings):
    settings.SILTA_DEMO_SKIP_TOTP = True
    client.force_login(world.users["kela_processor"])
    return client


def _url(world, name, *extra):
    return reverse(f"consents:{name}", args=[world.clients[0].public_id, *extra])


def test_the_panel_shows_what_is_in_force_and_the_history(signed_in, world):
    actor = world.actor("kela_processor")
    consent_record(actor=actor, client=world.clients[0], data=consent_input(world))
    consent_record(
        actor=actor,
        client=world.clients[0],
        data=consent_input(world, valid_from=dt.date(2020, 1, 1), valid_until=dt.date(2020, 6, 30)),
    )
    page = signed_in.get(_url(world, "panel")).content.decode()
    in_force, history = page.split('data-testid="consents-in-force"')[1].split(
        'data-testid="powers-of-attorney"'
    )
    assert "Kela ja Pohjois-Savon hyvinvointialue" in in_force  # Finnish by default
    assert "TO-2026-123" in in_force
    assert "30.6.2020" in history.split('data-testid="consent-history"')[1]
    assert world.clients[0].identity_code not in page


def test_recording_the_application_checkbox(signed_in, world):
    wording()
    data = {
        "given_how": "application",
        "application_reference": "TO-2026-9",
        "given_by": "client",
        "organiser": str(world.county.public_id),
        "units": [str(world.kela_unit.public_id)],
        "purposes": ["joint_assistance", "outcome_report"],
        "categories": ["benefit_decisions", "contact_outcome"],
        "wording": "2026-1",
        "wording_language": "sv",
    }
    response = signed_in.post(_url(world, "consent_new"), data)
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert (consent.application_reference, consent.wording_language) == ("TO-2026-9", "sv")
    assert list(consent.units.all()) == [world.kela_unit]
    bad = signed_in.post(_url(world, "consent_new"), {**data, "application_reference": ""})
    assert bad.status_code == 400
    assert Consent.objects.count() == 1


def test_a_written_consent_needs_a_pdf_or_image(signed_in, world):
    wording()
    data = {
        "given_how": "writing",
        "given_by": "client",
        "organiser": str(world.county.public_id),
        "purposes": ["joint_assistance"],
        "categories": ["benefit_decisions"],
        "wording": "2026-1",
        "wording_language": "fi",
        "document": exe_as_pdf(),
    }
    assert signed_in.post(_url(world, "consent_new"), data).status_code == 400
    assert (
        signed_in.post(_url(world, "consent_new"), {**data, "document": pdf()}).status_code == 302
    )
    assert Consent.objects.get().document_content_type == "application/pdf"


def test_revoking_asks_for_confirmation_then_revokes_once(signed_in, world):
    consent = consent_record(
        actor=world.actor("social_worker"), client=world.clients[0], data=consent_input(world)
    )
    url = _url(world, "consent_revoke", consent.public_id)
    panel = signed_in.get(_url(world, "panel")).content.decode()
    assert f'hx-get="{url}"' in panel  # the confirmation opens in place
    confirm = signed_in.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'id="revoke-form"' in confirm and f'action="{url}"' in confirm
    assert not ConsentRevocation.objects.exists()
    assert signed_in.post(url, {"how": "phone"}).status_code == 302
    assert signed_in.post(url, {"how": "phone"}).status_code == 409
    assert ConsentRevocation.objects.count() == 1


def test_a_consent_of_another_client_is_not_found_under_this_one(signed_in, world):
    other = consent_record(
        actor=world.actor("kela_processor"), client=world.clients[1], data=consent_input(world)
    )
    assert signed_in.get(_url(world, "consent_revoke", other.public_id)).status_code == 404


def test_recording_and_verifying_a_power_of_attorney(signed_in, world):
    data = {
        "attorney_kind": "person",
        "attorney_name": "Pekka Asiamies",
        "attorney_identity": test_code(70),
        "scopes": ["consents", "social_assistance"],
        "document": pdf(),
    }
    assert signed_in.post(_url(world, "poa_new"), data).status_code == 302
    poa = PowerOfAttorney.objects.get()
    assert poa.verified_at is None
    page = signed_in.get(_url(world, "panel")).content.decode()
    assert test_code(70) not in page
    assert signed_in.post(_url(world, "poa_verify", poa.public_id)).status_code == 302
    poa.refresh_from_db()
    assert poa.verified_by == world.users["kela_processor"]


def test_a_unit_without_a_relation_sees_none_of_the_clients_consents(world, settings):
    """The other county: no case, no consent naming it, the client lives elsewhere. The
    panel shows only how to record a consent, audited as a lookup; the powers of attorney
    are not offered on the consent form either."""
    settings.SILTA_DEMO_SKIP_TOTP = True
    from_vantaa = world.users["social_other_org"]
    client = world.clients[0]
    world.open_case(client)  # Kuopio and Kela share a case (and a broad consent)
    http = browser_client("fi")
    http.force_login(from_vantaa)
    page = http.get(reverse("consents:panel", args=[client.public_id])).content.decode()
    assert 'data-testid="consents-limited"' in page
    assert 'data-testid="consents-in-force"' not in page
    row = AuditEvent.objects.filter(client=client, user=from_vantaa).latest("pk")
    assert (row.action, row.detail) == ("search", {"read": "consents", "relation": False})
    # Kuopio's own worker sees the consent.
    http.force_login(world.users["social_worker"])
    page = http.get(reverse("consents:panel", args=[client.public_id])).content.decode()
    assert 'data-testid="consents-in-force"' in page and "consents-limited" not in page
