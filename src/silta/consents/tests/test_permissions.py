"""Every role x every consents page, and every unit's API key x every consents endpoint.

Written out by hand from ``silta.accounts.roles``: consents are read by whoever may look
the client up or view cases (as the client page; administrators never read client data);
every casework role records and revokes them and verifies powers of attorney; an API key
records and revokes but never verifies. The scene and the meaning of each outcome are in
``tests.permissions``; the scene's consent and power of attorney are made on first use.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from silta.accounts.actor import Actor
from silta.consents.models import Consent, PowerOfAttorney
from silta.consents.poa_services import PoaInput, poa_record
from silta.consents.services import consent_record
from silta.consents.tests.helpers import consent_input, wording
from tests.factories import PDF_BYTES, pdf, test_code
from tests.permissions import (
    Endpoint,
    Request,
    Row,
    Scene,
    api_cases,
    call_api,
    check_api_response,
    check_web_page,
    get,
    post,
    web_cases,
)

pytestmark = pytest.mark.django_db


def scene_consent(scene: Scene) -> Consent:
    client = scene.world.clients[0]
    existing = Consent.objects.filter(client=client).first()
    if existing is not None:
        return existing
    actor = Actor.for_user(scene.world.users["kela_processor"])
    return consent_record(actor=actor, client=client, data=consent_input(scene.world))


def scene_poa(scene: Scene) -> PowerOfAttorney:
    client = scene.world.clients[0]
    existing = PowerOfAttorney.objects.filter(client=client).first()
    if existing is not None:
        return existing
    data = PoaInput(
        attorney_kind="person",
        attorney_name="Pekka Asiamies",
        attorney_identity=test_code(55),
        scopes=["consents"],
    )
    actor = Actor.for_user(scene.world.users["social_worker"])
    return poa_record(actor=actor, client=client, data=data, document=pdf())


def _client_id(scene: Scene) -> Any:
    return scene.world.clients[0].public_id


def _consent_form(scene: Scene) -> dict[str, Any]:
    wording()
    return {
        "given_how": "application",
        "application_reference": "TO-1",
        "given_by": "client",
        "organiser": str(scene.world.county.public_id),
        "purposes": ["joint_assistance"],
        "categories": ["benefit_decisions"],
        "wording": "2026-1",
        "wording_language": "fi",
    }


def _url(name: str, scene: Scene, *extra: Any) -> str:
    return reverse(f"consents:{name}", args=[_client_id(scene), *extra])


def _consent_revoke(scene: Scene, _key: str) -> Request:
    consent = scene_consent(scene)
    return post(_url("consent_revoke", scene, consent.public_id), {"how": "phone"})


def _poa_revoke(scene: Scene, _key: str) -> Request:
    return post(_url("poa_revoke", scene, scene_poa(scene).public_id), {"how": "phone"})


def _poa_new(scene: Scene, _key: str) -> Request:
    data = {
        "attorney_kind": "person",
        "attorney_name": "Pekka Asiamies",
        "attorney_identity": test_code(56),
        "scopes": ["consents"],
        "document": pdf(),
    }
    return post(_url("poa_new", scene), data)


# fmt: off
# Columns: Kela Itä processor, advisor, manager, admin | Kuopio worker, counsellor,
# processor, manager, admin | outsiders: Kela Etelä, same county's other unit, other county
# worker, other county manager.
VIEW = (200, 200, 200, 404,   200, 200, 200, 200, 404,   200, 200, 200, 200)
WRITE = (302, 302, 302, 404,   302, 302, 302, 302, 404,   302, 302, 302, 302)
# One consent or power of attorney: the other county has no relation to the client (the
# panel shows it nothing of them, and they cannot be opened, revoked or verified there).
ONE_VIEW = (200, 200, 200, 404,   200, 200, 200, 200, 404,   200, 200, 404, 404)
ONE_WRITE = (302, 302, 302, 404,   302, 302, 302, 302, 404,   302, 302, 404, 404)
WEB: dict[str, Row] = {
    "consent_panel": Row(VIEW, lambda s, _key: get(_url("panel", s))),
    "consent_new_form": Row(VIEW, lambda s, _key: get(_url("consent_new", s))),
    "consent_new": Row(WRITE, lambda s, _key: post(_url("consent_new", s), _consent_form(s))),
    "consent_revoke_confirm": Row(
        ONE_VIEW, lambda s, _key: get(_url("consent_revoke", s, scene_consent(s).public_id))
    ),
    "consent_revoke": Row(ONE_WRITE, _consent_revoke),
    "poa_new_form": Row(VIEW, lambda s, _key: get(_url("poa_new", s))),
    "poa_new": Row(WRITE, _poa_new),
    "poa_verify": Row(
        ONE_WRITE, lambda s, _key: post(_url("poa_verify", s, scene_poa(s).public_id))
    ),
    "poa_revoke": Row(ONE_WRITE, _poa_revoke),
    "disclosure_log": Row(VIEW, lambda s, _key: get(_url("disclosures", s))),
}
# fmt: on


@pytest.mark.parametrize(("endpoint", "key", "expected"), web_cases(WEB))
def test_web_page(client, matrix_scene, endpoint, key, expected):
    check_web_page(client, matrix_scene, WEB[endpoint], endpoint, key, expected)


# --- the API -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsentEndpoint(Endpoint):
    """An endpoint whose path names the scene's client, consent or power of attorney."""

    def request(self, scene: Scene, unit_key: str) -> tuple[str, str, dict[str, Any]]:
        ids = {"client_id": _client_id(scene)}
        if "{consent_id}" in self.path:
            ids["consent_id"] = scene_consent(scene).public_id
        if "{poa_id}" in self.path:
            ids["poa_id"] = scene_poa(scene).public_id
        resolved = Endpoint(self.method, self.path.format(**ids), self.body, self.form)
        return resolved.request(scene, unit_key)


def _consent_body(scene: Scene, _unit_key: str) -> dict[str, Any]:
    wording()
    return {
        "given_by": "client",
        "organiser_id": str(scene.world.county.public_id),
        "purposes": ["joint_assistance"],
        "categories": ["benefit_decisions"],
        "given_how": "writing",
        "wording_version": "2026-1",
        "document_name": "suostumus.pdf",
        "document_base64": base64.b64encode(PDF_BYTES).decode(),
    }


def _poa_body(_scene: Scene, _unit_key: str) -> dict[str, Any]:
    return {
        "attorney_kind": "organisation",
        "attorney_name": "Edunvalvonta Oy",
        "attorney_identity": "0112038-9",
        "scopes": ["consents"],
        "external_mandate_ref": "SFI-123",
    }


API: dict[str, Endpoint] = {
    "consent_create": ConsentEndpoint(
        "post", "/api/v1/clients/{client_id}/consents", body=_consent_body
    ),
    "consent_list": ConsentEndpoint("get", "/api/v1/clients/{client_id}/consents"),
    "consent_revoke": ConsentEndpoint(
        "post", "/api/v1/consents/{consent_id}/revoke", body=lambda s, k: {"how": "writing"}
    ),
    "consent_fhir": ConsentEndpoint("get", "/api/v1/consents/{consent_id}/fhir"),
    "poa_create": ConsentEndpoint(
        "post", "/api/v1/clients/{client_id}/powers-of-attorney", body=_poa_body
    ),
    "poa_list": ConsentEndpoint("get", "/api/v1/clients/{client_id}/powers-of-attorney"),
    "poa_revoke": ConsentEndpoint(
        "post", "/api/v1/powers-of-attorney/{poa_id}/revoke", body=lambda s, k: {"how": "phone"}
    ),
    "disclosure_list": ConsentEndpoint("get", "/api/v1/clients/{client_id}/disclosures"),
    # The law as data: every key may read it (no client data).
    "statutory_bases": Endpoint("get", "/api/v1/statutory-bases"),
    # 703/2023 11 §: each organisation's system makes its own part of the report.
    "access_report": ConsentEndpoint(
        "post", "/api/v1/clients/{client_id}/access-report", body=lambda s, k: {"language": "fi"}
    ),
}

# fmt: off
#                  key of: kela  social kela2 social2 org2
API_EXPECTED: dict[str, tuple[int, ...]] = {
    "consent_create":   (201, 201, 201, 201, 201),
    "consent_list":     (200, 200, 200, 200, 404),
    "consent_revoke":   (200, 200, 200, 200, 404),
    "consent_fhir":     (200, 200, 200, 200, 404),
    "poa_create":       (201, 201, 201, 201, 201),
    "poa_list":         (200, 200, 200, 200, 404),
    "poa_revoke":       (200, 200, 200, 200, 404),
    "disclosure_list":  (200, 200, 200, 200, 200),
    "statutory_bases":  (200, 200, 200, 200, 200),
    "access_report":    (200, 200, 200, 200, 200),
}
# fmt: on


@pytest.mark.parametrize(("endpoint", "unit_key", "expected"), api_cases(API_EXPECTED))
def test_api_endpoint(client, matrix_scene, endpoint, unit_key, expected):
    response, key = call_api(client, matrix_scene, API[endpoint], unit_key)
    check_api_response(matrix_scene, endpoint, unit_key, response, key, expected)
