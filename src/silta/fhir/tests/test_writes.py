"""Task writes from the receiving system: through the referral transitions (side, role,
required fields, audit), 409 for a move the state machine does not allow, 422 for an
invalid Task, and nothing changed on any refusal."""

from __future__ import annotations

import pytest

from silta.audit.models import AuditEvent
from silta.fhir.codes import BUSINESS_STATUS, REFERRAL_OUTCOME, RETURN_REASON
from silta.fhir.tests.helpers import get, key_for, patch, put, validate
from silta.referrals.models import Referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def kuopio(matrix_scene):
    return key_for(matrix_scene.world.social_unit)


@pytest.fixture
def kela(matrix_scene):
    return key_for(matrix_scene.world.kela_unit)


def _task(client, referral, headers):
    return get(client, f"Task/{referral.public_id}", headers).json()


def _state(referral) -> tuple[str, int]:
    fresh = Referral.objects.get(pk=referral.pk)
    return fresh.status, fresh.version


def _outcome_code(response) -> str:
    return response.json()["issue"][0]["details"]["coding"][0]["code"]


def test_the_receiver_accepts_starts_holds_and_completes(client, matrix_scene, kuopio, kela):
    referral = matrix_scene.referral("received")
    path = f"Task/{referral.public_id}"
    task = _task(client, referral, kuopio)
    accepted = put(client, path, {**task, "status": "accepted"}, kuopio)
    assert accepted.status_code == 200, accepted.content
    validate(accepted.json())
    assert accepted.json()["businessStatus"]["coding"][0]["code"] == "3.0"
    assert accepted["ETag"] == f'W/"{accepted.json()["meta"]["versionId"]}"'
    started = patch(
        client, path, [{"op": "replace", "path": "/status", "value": "in-progress"}], kuopio
    )
    assert started.json()["status"] == "in-progress"
    held = patch(
        client,
        path,
        [
            {"op": "replace", "path": "/status", "value": "on-hold"},
            {"op": "add", "path": "/statusReason", "value": {"text": "Vuokrasopimus puuttuu"}},
        ],
        kuopio,
    )
    assert held.json()["statusReason"]["text"] == "Vuokrasopimus puuttuu"
    # The sender supplies the information: in-progress again (resume, the sender's step).
    resumed = patch(
        client, path, [{"op": "replace", "path": "/status", "value": "in-progress"}], kela
    )
    assert resumed.status_code == 200, resumed.content
    output = {
        "type": {"coding": [{"system": "x", "code": "resulting-activity"}]},
        "valueCodeableConcept": {
            "coding": [{"system": REFERRAL_OUTCOME, "code": "no_action"}],
            "text": "Soitettu asiakkaalle",
        },
    }
    task = resumed.json()
    done = put(client, path, {**task, "status": "completed", "output": [output]}, kuopio)
    assert done.status_code == 200, done.content
    fresh = Referral.objects.get(pk=referral.pk)
    assert (fresh.status, fresh.outcome, fresh.outcome_text) == (
        "completed",
        "no_action",
        "Soitettu asiakkaalle",
    )
    steps = list(fresh.events.values_list("action", flat=True))
    assert steps[-5:] == ["accept", "start", "hold", "resume", "complete"]
    updates = AuditEvent.objects.filter(action="update", object_id=str(referral.public_id))
    assert updates.filter(api_key__isnull=False).count() == 5


def test_a_return_with_its_reason_counts_a_handoff(client, matrix_scene, kuopio):
    referral = matrix_scene.referral("received")
    task = _task(client, referral, kuopio)
    task.update(
        status="rejected",
        businessStatus={"coding": [{"system": BUSINESS_STATUS, "code": "4.1"}]},
        statusReason={
            "coding": [{"system": RETURN_REASON, "code": "wrong_unit"}],
            "text": "Ei meille",
        },
    )
    response = put(client, f"Task/{referral.public_id}", task, kuopio)
    assert response.status_code == 200, response.content
    fresh = Referral.objects.get(pk=referral.pk)
    assert (fresh.status, fresh.reason, fresh.handoff_count) == ("returned", "wrong_unit", 1)


@pytest.mark.parametrize(
    ("state", "status"),
    [
        ("meeting", "in-progress"),  # completed is terminal
        ("requested", "completed"),
        ("accepted", "on-hold"),  # hold only from in-progress
        ("in_progress", "draft"),
        ("received", "failed"),  # Silta has no failed
    ],
)
def test_an_illegal_move_is_409_and_changes_nothing(client, matrix_scene, kuopio, state, status):
    referral = matrix_scene.referral(state)
    task = _task(client, referral, kuopio)
    before, writes = _state(referral), AuditEvent.objects.filter(action="update").count()
    body = {**task, "status": status, "statusReason": {"text": "syy"}}
    response = put(client, f"Task/{referral.public_id}", body, kuopio)
    assert response.status_code == 409, response.content
    assert response.json()["issue"][0]["code"] == "conflict"
    assert _outcome_code(response) == "transition_not_allowed"
    assert _state(referral) == before
    assert AuditEvent.objects.filter(action="update").count() == writes


def test_the_wrong_side_is_refused_by_the_transition_service(client, matrix_scene, kela):
    """Accepting is the receiver's: the sender's key gets the service's 403, audited."""
    referral = matrix_scene.referral("received")
    task = _task(client, referral, kela)
    response = put(client, f"Task/{referral.public_id}", {**task, "status": "accepted"}, kela)
    assert response.status_code == 403
    assert _state(referral)[0] == "received"


def test_a_stale_version_is_409(client, matrix_scene, kuopio):
    referral = matrix_scene.referral("received")
    task = _task(client, referral, kuopio)
    version = int(task["meta"]["versionId"])
    response = put(
        client,
        f"Task/{referral.public_id}",
        {**task, "status": "accepted"},
        {**kuopio, "If-Match": f'W/"{version - 1}"'},
    )
    assert response.status_code == 409
    assert _outcome_code(response) == "referral_stale"
    assert _state(referral)[0] == "received"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"status": "bogus"}, "invalid_resource"),
        ({"intent": None}, "invalid_resource"),
        ({"resourceType": "Patient"}, "invalid_resource"),
        ({"for": "Patient/1"}, "invalid_resource"),
        ({"status": "rejected", "statusReason": None}, "reason_required"),
        ({"status": "completed"}, "outcome_required"),
    ],
)
def test_an_invalid_task_is_422_and_changes_nothing(client, matrix_scene, kuopio, change, code):
    state = "in_progress" if change.get("status") == "completed" else "received"
    referral = matrix_scene.referral(state)
    task = _task(client, referral, kuopio)
    body = {k: v for k, v in {**task, **change}.items() if v is not None}
    before = _state(referral)
    response = put(client, f"Task/{referral.public_id}", body, kuopio)
    assert response.status_code == 422, response.content
    assert _outcome_code(response) == code
    assert _state(referral) == before


def test_bad_requests(client, matrix_scene, kuopio):
    referral = matrix_scene.referral("received")
    path = f"/fhir/R4/Task/{referral.public_id}"
    task = _task(client, referral, kuopio)
    other = {**task, "id": str(matrix_scene.referral("accepted").public_id)}
    assert put(client, f"Task/{referral.public_id}", other, kuopio).status_code == 400
    text = client.put(path, "status=accepted", content_type="text/plain", headers=kuopio)
    assert text.status_code == 415
    broken = client.put(path, "{", content_type="application/fhir+json", headers=kuopio)
    assert broken.status_code == 400
    bad_patch = patch(
        client, f"Task/{referral.public_id}", [{"op": "move", "path": "/status"}], kuopio
    )
    assert bad_patch.status_code == 422
    missing = patch(
        client,
        f"Task/{referral.public_id}",
        [{"op": "replace", "path": "/nope/x", "value": 1}],
        kuopio,
    )
    assert missing.status_code == 422
    # Only Task takes writes.
    patient = f"/fhir/R4/Patient/{matrix_scene.world.clients[0].public_id}"
    assert (
        client.put(patient, "{}", content_type="application/fhir+json", headers=kuopio).status_code
        == 405
    )
    deleted = client.delete(path, headers=kuopio)
    assert (deleted.status_code, deleted["Allow"]) == (405, "GET, PUT, PATCH")
    history = client.get(f"{path}/_history", headers=kuopio)
    assert (history.status_code, history.json()["resourceType"]) == (404, "OperationOutcome")
    assert _state(referral)[0] == "received"


def test_an_unchanged_task_is_a_no_op(client, matrix_scene, kuopio):
    referral = matrix_scene.referral("accepted")
    task = _task(client, referral, kuopio)
    before = _state(referral)
    response = put(client, f"Task/{referral.public_id}", task, kuopio)
    assert response.status_code == 200
    assert _state(referral) == before


def test_the_receipt_as_business_status_2_1(client, matrix_scene, kuopio):
    """A receiving system that only patches the businessStatus records the receipt."""
    referral = matrix_scene.referral("requested")
    ops = [
        {
            "op": "replace",
            "path": "/businessStatus",
            "value": {"coding": [{"system": BUSINESS_STATUS, "code": "2.1"}]},
        }
    ]
    response = patch(client, f"Task/{referral.public_id}", ops, kuopio)
    assert response.status_code == 200, response.content
    assert response.json()["businessStatus"]["coding"][0]["code"] == "2.1"
    assert _state(referral)[0] == "received"
    last = Referral.objects.get(pk=referral.pk).events.order_by("at", "pk").values_list("action")
    assert list(last)[-1] == ("receive",)
