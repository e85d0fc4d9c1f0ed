"""The consents API: the FHIR R4 Consent validated with ``fhir.resources``, errors as
``{code, message}``, no identity code in any answer."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fhir.resources.R4B.consent import Consent as FhirConsent

from silta.api_keys.services import api_key_issue
from silta.config.api import api
from silta.consents.models import Consent
from silta.consents.poa_services import PoaInput, poa_record, poa_verify
from silta.consents.services import consent_record
from silta.consents.tests.helpers import consent_input, wording
from tests.factories import pdf, test_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def headers(world) -> dict[str, str]:
    issued = api_key_issue(unit=world.social_unit, name="Kuopio system")
    return {"Authorization": f"Bearer {issued.plaintext}"}


def _post(client: Any, path: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json", headers=headers)


def _attorney_consent(world) -> Consent:
    actor = world.actor("social_worker")
    poa = poa_record(
        actor=actor,
        client=world.clients[0],
        data=PoaInput(
            attorney_kind="person",
            attorney_name="Pekka Asiamies",
            attorney_identity=test_code(60),
            scopes=["consents"],
        ),
        document=pdf(),
    )
    poa_verify(actor=actor, poa=poa)
    return consent_record(
        actor=world.actor("kela_processor"),
        client=world.clients[0],
        data=consent_input(
            world,
            given_by="attorney",
            power_of_attorney_id=poa.public_id,
            unit_ids=[world.social_unit.public_id],
        ),
    )


def test_the_fhir_consent_is_valid_r4(client, world, headers):
    consent = _attorney_consent(world)
    response = client.get(f"/api/v1/consents/{consent.public_id}/fhir", headers=headers)
    assert response.status_code == 200
    body = response.json()
    resource = FhirConsent.model_validate(body)
    # What survived the R4 validation, read back.
    checked: dict[str, Any] = json.loads(resource.model_dump_json())
    assert checked["status"] == "active"
    assert checked["scope"]["coding"][0]["code"] == "patient-privacy"
    provision = checked["provision"]
    assert provision["type"] == "permit"
    assert provision["period"]["end"].startswith(str(consent.valid_until))
    assert {c["code"] for c in provision["purpose"]} == {"joint_assistance"}
    assert {c["code"] for c in provision["class"]} == {"applications", "benefit_decisions"}
    assert {a["role"]["coding"][0]["code"] for a in provision["actor"]} == {"IRCP"}
    assert len(provision["actor"]) == 3  # Kela, the organiser and the named unit
    assert checked["performer"][0]["display"] == "Pekka Asiamies"
    assert checked["sourceReference"]["identifier"]["value"] == "TO-2026-123"
    text = response.content.decode()
    assert world.clients[0].identity_code not in text and test_code(60) not in text


def test_a_revoked_consent_is_inactive_in_fhir(client, world, headers):
    consent = consent_record(
        actor=world.actor("kela_processor"), client=world.clients[0], data=consent_input(world)
    )
    revoked = _post(
        client, f"/api/v1/consents/{consent.public_id}/revoke", {"how": "phone"}, headers
    )
    assert (revoked.status_code, revoked.json()["state"]) == (200, "revoked")
    again = _post(client, f"/api/v1/consents/{consent.public_id}/revoke", {"how": "phone"}, headers)
    assert again.status_code == 409
    assert set(again.json()) >= {"code", "message"} and again.json()["code"] == "already_revoked"
    fhir = client.get(f"/api/v1/consents/{consent.public_id}/fhir", headers=headers).json()
    assert json.loads(FhirConsent.model_validate(fhir).model_dump_json())["status"] == "inactive"


def test_create_list_and_bad_input(client, world, headers):
    wording()
    path = f"/api/v1/clients/{world.clients[0].public_id}/consents"
    body = {
        "given_by": "legal_representative",
        "representative_name": "Maija Edunvalvoja",
        "representative_identity": test_code(61),
        "organiser_id": str(world.county.public_id),
        "purposes": ["joint_assistance"],
        "categories": ["plans"],
        "given_how": "in_person",
        "wording_version": "2026-1",
        "wording_language": "sv",
    }
    created = _post(client, path, body, headers)
    assert created.status_code == 201, created.content
    assert created.json()["state"] == "in_force"
    assert test_code(61) not in created.content.decode()
    listed = client.get(path, headers=headers)
    assert [c["id"] for c in listed.json()] == [created.json()["id"]]
    assert test_code(61) not in listed.content.decode()
    bad = _post(
        client, path, {**body, "valid_from": "2027-05-01", "valid_until": "2027-04-01"}, headers
    )
    assert (bad.status_code, bad.json()["code"]) == (400, "validity_ends_before_start")
    bad = _post(client, path, {**body, "representative_identity": ""}, headers)
    assert (bad.status_code, bad.json()["code"]) == (400, "identity_code_missing")
    bad = _post(client, path, {**body, "given_how": "writing", "document_base64": "TVo="}, headers)
    assert (bad.status_code, bad.json()["code"]) == (400, "document_type_not_allowed")
    assert Consent.objects.count() == 1


def test_unknown_ids_are_404_json(client, world, headers):
    response = client.get(
        "/api/v1/consents/00000000-0000-0000-0000-000000000000/fhir", headers=headers
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_schema_component_names_are_unique_and_ours_are_there():
    components = api.get_openapi_schema()["components"]["schemas"]
    for name in ("ConsentCreateIn", "ConsentOut", "PoaCreateIn", "PoaOut", "DisclosureOut"):
        assert name in components
