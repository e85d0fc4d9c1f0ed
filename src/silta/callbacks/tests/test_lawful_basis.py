"""A call-back request about a client tells the other organisation who the client is: it
goes out on the client's consent only (no statutory basis allows it) and is logged in the
disclosure log; within one organisation, or with no client, nothing is disclosed."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from silta.api_keys.services import api_key_issue
from silta.audit.models import AuditEvent
from silta.callbacks import services
from silta.callbacks.models import CallbackRequest
from silta.consents.codes import Category, Purpose
from silta.consents.disclosures import NoLawfulBasis
from silta.consents.models import Disclosure
from tests.factories import give_consent

pytestmark = pytest.mark.django_db

DESCRIPTION = "Asiakas pyysi soittoa vuokravakuudesta"


def _data(**basis: Any) -> services.CallbackInput:
    return services.CallbackInput(
        topic="adult_social_work",
        urgency="normal",
        phone="020 692 200",
        description=DESCRIPTION,
        **basis,
    )


def _ask(world, unit, *, client=None, **basis: object) -> CallbackRequest:
    return services.callback_request(
        actor=world.actor("kela_processor"),
        requester_unit_id=world.kela_unit.pk,
        unit=unit,
        client=client,
        data=_data(**basis),
    )


def test_about_a_client_without_consent_is_refused_and_nothing_is_written(world) -> None:
    client = world.clients[0]
    with pytest.raises(NoLawfulBasis) as refused:
        _ask(world, world.social_unit, client=client)
    assert (refused.value.reason, refused.value.lawful_bases) == ("no_consent", ())
    assert not CallbackRequest.objects.exists()
    assert not Disclosure.objects.exists()
    denied = AuditEvent.objects.get(action="denied", client=client)
    assert denied.detail["disclose"] == "callback" and denied.detail["object"] == "callback"


@pytest.mark.parametrize(
    "basis",
    [
        {"statutory_basis": "shl_35_1_consent"},  # names consent: not a basis on its own
        {"statutory_basis": "shl_35_2_no_consent", "circumstance": "cannot_be_asked"},
        {"statutory_basis": "totul_18h"},
    ],
)
def test_no_statutory_basis_replaces_the_consent(world, basis) -> None:
    with pytest.raises(NoLawfulBasis):
        _ask(world, world.social_unit, client=world.clients[0], **basis)
    assert not CallbackRequest.objects.exists() and not Disclosure.objects.exists()


def test_with_consent_one_disclosure_row_names_the_consent(world) -> None:
    client = world.clients[0]
    consent = give_consent(client, world.county, world.kela_unit)
    request = _ask(world, world.social_unit, client=client)
    row = Disclosure.objects.get()
    assert (row.kind, row.object_type, row.object_id) == (
        "callback",
        "callback",
        str(request.public_id),
    )
    assert (row.consent_id, row.statutory_basis, row.client_id) == (consent.pk, "", client.pk)
    assert (row.discloser_unit_id, row.recipient_unit_id) == (
        world.kela_unit.pk,
        world.social_unit.pk,
    )
    assert (row.purpose, row.category) == (Purpose.JOINT_ASSISTANCE, Category.CONTACT_DETAILS)
    assert request.legal_basis == "consent"
    audit = AuditEvent.objects.get(action="disclose", client=client)
    assert audit.legal_basis == "consent" and audit.detail["disclosure"] == str(row.public_id)


def test_a_consent_without_contact_details_does_not_cover_it(world) -> None:
    client = world.clients[0]
    give_consent(client, world.county, world.kela_unit, categories=[Category.BENEFIT_DECISIONS])
    with pytest.raises(NoLawfulBasis) as refused:
        _ask(world, world.social_unit, client=client)
    assert refused.value.reason == "consent_category_out_of_scope"
    assert not CallbackRequest.objects.exists()


def test_the_chosen_consent_must_be_the_clients(world) -> None:
    other = give_consent(world.clients[1], world.county, world.kela_unit)
    give_consent(world.clients[0], world.county, world.kela_unit)
    with pytest.raises(NoLawfulBasis) as refused:
        _ask(world, world.social_unit, client=world.clients[0], consent_id=other.public_id)
    assert refused.value.reason == "consent_not_found"


def test_within_one_organisation_nothing_is_disclosed(world) -> None:
    request = _ask(world, world.kela_unit2, client=world.clients[0])
    assert request.legal_basis == ""
    assert not Disclosure.objects.exists()
    audit = AuditEvent.objects.get(object_type="callbackrequest", client=world.clients[0])
    assert audit.action == "create"


def test_without_a_client_nothing_is_disclosed(world) -> None:
    request = _ask(world, world.social_unit)
    assert request.client_id is None and request.legal_basis == ""
    assert not Disclosure.objects.exists()


# --- the page and the API ----------------------------------------------------------------


@pytest.fixture
def page(world, settings) -> HttpClient:
    settings.SILTA_DEMO_SKIP_TOTP = True
    http = HttpClient()
    http.cookies["django_language"] = "en"
    http.force_login(world.users["kela_processor"])
    return http


def _form(world) -> dict[str, str]:
    return {
        "requester_unit": str(world.kela_unit.public_id),
        "topic": "adult_social_work",
        "urgency": "normal",
        "phone": "020 692 200",
        "description": DESCRIPTION,
        "client_token": "6f0a2c1e-9a55-4c55-9a0c-0a5b1c2d3e4f",
    }


def _url(world) -> str:
    args = [world.clients[0].public_id, world.social_unit.public_id]
    return reverse("callbacks:new_for_client", args=args)


def test_page_shows_the_basis_and_keeps_the_text_when_refused(world, page) -> None:
    shown = page.get(_url(world)).content.decode()
    assert 'data-testid="basis-missing"' in shown and 'data-testid="basis-consent-only"' in shown
    response = page.post(_url(world), _form(world))
    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="basis-error"' in html and "Only the client" in html
    assert DESCRIPTION in html  # the text is kept
    assert not CallbackRequest.objects.exists() and not Disclosure.objects.exists()


def test_page_sends_on_the_consent(world, page) -> None:
    give_consent(world.clients[0], world.county, world.kela_unit)
    assert 'data-testid="basis-consent"' in page.get(_url(world)).content.decode()
    response = page.post(_url(world), _form(world))
    request = CallbackRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("callbacks:detail", args=[request.public_id])
    assert Disclosure.objects.get().object_id == str(request.public_id)


def test_page_about_no_client_shows_no_basis(world, page) -> None:
    shown = page.get(reverse("callbacks:new", args=[world.social_unit.public_id]))
    assert 'data-testid="basis"' not in shown.content.decode()


def _api(world) -> HttpClient:
    issued = api_key_issue(unit=world.kela_unit, name="CMS")
    return HttpClient(HTTP_AUTHORIZATION=f"Bearer {issued.plaintext}", HTTP_ACCEPT_LANGUAGE="en")


def _body(world, **basis: object) -> dict[str, object]:
    return {
        "unit_id": str(world.social_unit.public_id),
        "client_id": str(world.clients[0].public_id),
        "topic": "adult_social_work",
        "phone": "020 692 200",
        "description": DESCRIPTION,
        **basis,
    }


def test_api_refuses_without_consent_and_sends_on_the_named_one(world) -> None:
    api = _api(world)
    refused = api.post("/api/v1/callbacks", _body(world), content_type="application/json")
    assert refused.status_code == 422
    assert (refused.json()["code"], refused.json()["lawful_bases"]) == ("no_lawful_basis", [])
    assert not CallbackRequest.objects.exists()
    consent = give_consent(world.clients[0], world.county, world.kela_unit)
    body = _body(world, consent_id=str(consent.public_id))
    sent = api.post("/api/v1/callbacks", body, content_type="application/json")
    assert sent.status_code == 201, sent.json()
    row = Disclosure.objects.get()
    assert (row.object_id, row.consent_id) == (sent.json()["id"], consent.pk)
