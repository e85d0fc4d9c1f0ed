"""``_include`` and ``_revinclude`` of a Task search: the Tasks' patients, owners and
requesters, and their history, each once, through the same reads (access and audit) as by
id; an undeclared include is a 400 OperationOutcome."""

from __future__ import annotations

import pytest

from silta.audit.models import AuditEvent
from silta.fhir.tests.helpers import get, key_for, validate
from silta.referrals.models import Referral
from silta.referrals.state import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def kuopio(matrix_scene):
    return key_for(matrix_scene.world.social_unit)


def _by_mode(response) -> tuple[list[dict], list[dict]]:
    assert response.status_code == 200, response.content
    entries = response.json()["entry"]
    match = [e["resource"] for e in entries if e["search"]["mode"] == "match"]
    include = [e["resource"] for e in entries if e["search"]["mode"] == "include"]
    return match, include


def test_task_includes_patient_owner_and_requester_once(client, matrix_scene, kuopio):
    world = matrix_scene.world
    person = world.clients[0]
    before = AuditEvent.objects.filter(client=person).count()
    tasks, extra = _by_mode(
        get(
            client,
            "Task",
            kuopio,
            patient=f"Patient/{person.public_id}",
            _include=["Task:patient", "Task:owner", "Task:requester"],
        )
    )
    assert len(tasks) > 1
    kinds = sorted((r["resourceType"], r["id"]) for r in extra)
    assert kinds == sorted(
        [
            ("Patient", str(person.public_id)),
            ("Organization", str(world.social_unit.public_id)),
            ("Organization", str(world.kela_unit.public_id)),
        ]
    ), "each referenced resource once, however many Tasks name it"
    # The included Patient was read as by id: its identity code reveal is one audit row
    # naming the client (the search itself names it only in its list row).
    assert AuditEvent.objects.filter(client=person).count() == before + 1
    get(client, "Task", kuopio, patient=f"Patient/{person.public_id}")
    assert AuditEvent.objects.filter(client=person).count() == before + 1


def test_without_include_only_the_matches(client, matrix_scene, kuopio):
    _tasks, extra = _by_mode(get(client, "Task", kuopio))
    assert extra == []


def test_revinclude_gives_each_tasks_history(client, matrix_scene, kuopio):
    referral = matrix_scene.referral("returned")
    tasks, extra = _by_mode(
        get(client, "Task", kuopio, _id=str(referral.public_id), _revinclude="Provenance:target")
    )
    assert [t["id"] for t in tasks] == [str(referral.public_id)]
    history = [h["reference"].split("/")[1] for h in tasks[0]["relevantHistory"]]
    assert [r["id"] for r in extra] == history and len(history) == 3
    assert {r["target"][0]["reference"] for r in extra} == {f"Task/{referral.public_id}"}


def test_a_key_that_sees_no_task_gets_nothing_included(client, matrix_scene):
    """The other county's unit sees no Kuopio referral: nothing matches, nothing included."""
    stranger = key_for(matrix_scene.world.other_social_unit)
    tasks, extra = _by_mode(get(client, "Task", stranger, _include="Task:patient"))
    assert tasks == [] and extra == []


@pytest.mark.parametrize(
    "params",
    [
        {"_include": "Task:subject"},
        {"_include": "*"},
        {"_include": "Task:patient,Task:based-on"},
        {"_revinclude": "Communication:part-of"},
        {"_include:iterate": "Task:patient"},
    ],
)
def test_unknown_includes_are_a_400(client, matrix_scene, kuopio, params):
    response = get(client, "Task", kuopio, **params)
    assert response.status_code == 400
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"


def test_other_types_take_no_include_and_the_statement_lists_them(client, matrix_scene, kuopio):
    patient = f"Patient/{matrix_scene.world.clients[0].public_id}"
    refused = get(client, "Consent", kuopio, patient=patient, _include="Consent:patient")
    assert refused.status_code == 400
    statement = client.get("/fhir/R4/metadata").json()
    task = next(r for r in statement["rest"][0]["resource"] if r["type"] == "Task")
    assert task["searchInclude"] == ["Task:patient", "Task:owner", "Task:requester"]
    assert task["searchRevInclude"] == ["Provenance:target"]


def test_the_focus_is_refused_and_no_referral_is_received_in_passing(client, matrix_scene, kuopio):
    waiting = Referral.objects.filter(
        receiver_unit=matrix_scene.world.social_unit, status=Status.REQUESTED
    )
    before = sorted(waiting.values_list("pk", flat=True))
    assert before, "the scene has referrals the unit has not received yet"
    events = AuditEvent.objects.count()
    for value in ("Task:focus", "Task:patient,Task:focus"):
        response = get(client, "Task", kuopio, _include=value)
        assert response.status_code == 400
        outcome = validate(response.json())
        assert outcome.issue[0].details.coding[0].code == "include_refused"
        assert "Task:focus" in outcome.issue[0].diagnostics
    assert sorted(waiting.values_list("pk", flat=True)) == before  # none received
    assert AuditEvent.objects.count() == events  # nothing read, so nothing audited
    statement = client.get("/fhir/R4/metadata").json()
    task = next(r for r in statement["rest"][0]["resource"] if r["type"] == "Task")
    assert "Task:focus" not in task["searchInclude"]
    assert "_include=Task:focus is refused" in task["documentation"]
    assert "include_refused" in task["documentation"]
