"""The same keys, scopes and access rules as /api/v1, and every read audited: a key of
one unit never reads another organisation's referral, and a refusal is one audit row."""

from __future__ import annotations

import pytest
from django.utils import timezone

from silta.api_keys.services import api_key_issue
from silta.audit.models import AuditEvent
from silta.fhir.tests.helpers import get, key_for, put
from silta.referrals.models import Referral
from tests.permissions import KEYS

pytestmark = pytest.mark.django_db


def _paths(scene) -> dict[str, str]:
    referral = scene.referral("accepted")
    return {
        "task": f"Task/{referral.public_id}",
        "service_request": f"ServiceRequest/{referral.public_id}",
        "provenance": f"Provenance/{referral.public_id}-1",
        "patient": f"Patient/{scene.world.clients[0].public_id}",
        "communication": f"Communication/{scene.message.public_id}",
        "document": f"DocumentReference/{scene.attachment.public_id}",
        "binary": f"Binary/{scene.attachment.public_id}",
    }


@pytest.mark.parametrize(
    "name",
    ["task", "service_request", "provenance", "communication", "document", "binary"],
)
def test_another_organisations_key_is_refused_with_one_audit_row(client, matrix_scene, name):
    """Kuopio's referral and messages are not the other county's: 404, audited."""
    world = matrix_scene.world
    issued = api_key_issue(unit=world.other_social_unit, name="other county")
    headers = {"Authorization": f"Bearer {issued.plaintext}"}
    response = get(client, _paths(matrix_scene)[name], headers)
    assert response.status_code == 404
    assert response.json()["resourceType"] == "OperationOutcome"
    assert world.clients[0].last_name not in response.content.decode()
    denied = AuditEvent.objects.filter(action="denied", api_key=issued.api_key)
    assert denied.count() == 1
    assert denied.get().unit == world.other_social_unit


def test_another_unit_of_the_same_county_is_refused_too(client, matrix_scene):
    headers = key_for(matrix_scene.world.social_unit2)
    referral = matrix_scene.referral("requested")
    assert get(client, f"Task/{referral.public_id}", headers).status_code == 404
    assert get(client, "Task", headers).json()["entry"] == []


def test_a_search_shows_only_the_units_own_referrals(client, matrix_scene):
    world = matrix_scene.world
    stranger = key_for(world.other_social_unit)
    bundle = get(client, "Task", stranger, patient=str(world.clients[0].public_id)).json()
    assert bundle["entry"] == []
    # Nor by owner: naming Kuopio as the owner does not widen what the key sees.
    owner = f"Organization/{world.social_unit.public_id}"
    assert get(client, "Task", stranger, owner=owner).json()["entry"] == []
    assert get(client, "Communication", stranger).json()["entry"] == []


def test_patient_only_for_a_unit_related_to_the_client(client, matrix_scene):
    """The other county is not responsible for the client's municipality and shares no
    case: it does not get the Patient (nor the identity code)."""
    person = matrix_scene.world.clients[0]
    response = get(
        client, f"Patient/{person.public_id}", key_for(matrix_scene.world.other_social_unit)
    )
    assert response.status_code == 404
    assert person.identity_code not in response.content.decode()


@pytest.mark.parametrize(
    "credentials",
    [{}, {"Authorization": "Bearer nonsense"}, {"Authorization": "Basic a2VsYTpzZWNyZXQ="}],
)
def test_without_a_valid_key_everything_but_metadata_is_401(client, matrix_scene, credentials):
    before = AuditEvent.objects.count()
    for path in [*_paths(matrix_scene).values(), "Task", "Organization/x"]:
        response = client.get(f"/fhir/R4/{path}", headers=credentials)
        assert response.status_code == 401, path
        assert response.json()["issue"][0]["code"] == "login"
        assert response["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/fhir/R4/metadata").status_code == 200
    assert AuditEvent.objects.count() == before


def test_a_revoked_key_and_a_staff_session_are_not_credentials(client, matrix_scene):
    world = matrix_scene.world
    revoked = api_key_issue(unit=world.social_unit, name="old")
    revoked.api_key.revoked_at = timezone.now()
    revoked.api_key.save()
    path = _paths(matrix_scene)["task"]
    headers = {"Authorization": f"Bearer {revoked.plaintext}"}
    assert client.get(f"/fhir/R4/{path}", headers=headers).status_code == 401
    client.force_login(world.users["social_worker"])
    assert client.get(f"/fhir/R4/{path}").status_code == 401


def test_every_read_is_audited_like_the_api(client, matrix_scene):
    world = matrix_scene.world
    headers = key_for(world.social_unit)
    for name, path in _paths(matrix_scene).items():
        before = AuditEvent.objects.count()
        response = get(client, path, headers)
        assert response.status_code == 200, name
        rows = list(AuditEvent.objects.order_by("-pk")[: AuditEvent.objects.count() - before])
        assert rows, f"{name} was not audited"
        assert all(r.client_id == world.clients[0].pk for r in rows), name
        assert all(r.api_key is not None and r.unit == world.social_unit for r in rows), name
    before = AuditEvent.objects.count()
    get(client, "Task", headers, _count="2")
    row = AuditEvent.objects.order_by("-pk")[0]
    assert AuditEvent.objects.count() == before + 1
    assert row.detail["list"] == "fhir_task"
    assert row.detail["clients"] == [str(world.clients[0].public_id)]


def test_the_receivers_read_records_the_receipt_as_the_api_does(client, matrix_scene):
    referral = matrix_scene.referral("requested")
    kela = key_for(matrix_scene.world.kela_unit)
    assert (
        get(client, f"Task/{referral.public_id}", kela).json()["businessStatus"]["coding"][0][
            "code"
        ]
        == "2.0"
    )
    task = get(client, f"Task/{referral.public_id}", key_for(matrix_scene.world.social_unit)).json()
    assert (task["status"], task["businessStatus"]["coding"][0]["code"]) == ("requested", "2.1")
    assert Referral.objects.get(pk=referral.pk).status == "received"


def test_a_write_needs_the_referrals_scope(client, matrix_scene):
    world = matrix_scene.world
    referral = matrix_scene.referral("received")
    read_only = key_for(world.social_unit, scopes=[])
    task = get(client, f"Task/{referral.public_id}", read_only).json()
    response = put(client, f"Task/{referral.public_id}", {**task, "status": "accepted"}, read_only)
    assert response.status_code == 403
    outcome = response.json()["issue"][0]
    assert (outcome["code"], outcome["details"]["coding"][0]["code"]) == (
        "forbidden",
        "scope_missing",
    )
    assert Referral.objects.get(pk=referral.pk).status == "received"
    assert AuditEvent.objects.filter(action="denied", detail__scope="referrals").count() == 1
    scoped = key_for(world.social_unit, scopes=["referrals"])
    response = put(client, f"Task/{referral.public_id}", {**task, "status": "accepted"}, scoped)
    assert response.status_code == 200


# Every unit key of the scene against the case's referral, message and client. Kela Itä and
# Kuopio are the case's parties; Kela's other unit and Kuopio's county's other unit are
# responsible for the client's municipality (a relation, 703/2023 9 §) but not parties.
# fmt: off
MATRIX: dict[str, tuple[int, ...]] = {
    #                kela social kela2 social2 other
    "task":          (200, 200,   404,  404,    404),
    "communication": (200, 200,   404,  404,    404),
    "patient":       (200, 200,   200,  200,    404),
}
# fmt: on


@pytest.mark.parametrize(
    ("resource", "unit_key", "expected"),
    [
        pytest.param(resource, key, row[i], id=f"{resource}-{key}")
        for resource, row in MATRIX.items()
        for i, key in enumerate(KEYS)
    ],
)
def test_the_key_matrix(client, matrix_scene, resource, unit_key, expected):
    issued = api_key_issue(unit=getattr(matrix_scene.world, unit_key), name=unit_key)
    headers = {"Authorization": f"Bearer {issued.plaintext}"}
    response = get(client, _paths(matrix_scene)[resource], headers)
    assert response.status_code == expected
    denied = AuditEvent.objects.filter(action="denied", api_key=issued.api_key).count()
    assert denied == (1 if expected == 404 else 0)
