"""Search parameters and paging: each parameter narrows as FHIR says, unknown ones are a
400 OperationOutcome, and the Bundle's links page through the same search."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from silta.fhir.tests.helpers import get, key_for
from silta.referrals.models import ReferralEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def kuopio(matrix_scene):
    return key_for(matrix_scene.world.social_unit)


def _ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [e["resource"]["id"] for e in response.json()["entry"]]


def _ref_ids(scene, *states) -> set[str]:
    return {str(scene.referral(s).public_id) for s in states}


def test_status_owner_and_requester(client, matrix_scene, kuopio):
    world = matrix_scene.world
    owner = f"Organization/{world.social_unit.public_id}"
    # requested (Silta's requested and received) / in-progress + on-hold as a comma list.
    assert set(_ids(get(client, "Task", kuopio, owner=owner, status="requested"))) == _ref_ids(
        matrix_scene, "requested", "received"
    )
    found = get(client, "Task", kuopio, status="in-progress,on-hold")
    assert set(_ids(found)) == _ref_ids(matrix_scene, "in_progress", "on_hold")
    requester = f"Organization/{world.kela_unit.public_id}"
    assert len(_ids(get(client, "Task", kuopio, requester=requester))) == 7
    assert _ids(get(client, "Task", kuopio, requester=owner)) == []
    # Another unit as owner: none of the scene's referrals.
    other = f"Organization/{world.social_unit2.public_id}"
    assert _ids(get(client, "Task", kuopio, owner=other)) == []
    request = get(client, "ServiceRequest", kuopio, status="completed")
    assert set(_ids(request)) == _ref_ids(matrix_scene, "meeting")


def test_patient_and_id(client, matrix_scene, kuopio):
    world = matrix_scene.world
    mine = get(client, "Task", kuopio, patient=f"Patient/{world.clients[0].public_id}")
    assert len(_ids(mine)) == 7
    assert _ids(get(client, "Task", kuopio, patient=str(world.clients[1].public_id))) == []
    one = matrix_scene.referral("accepted").public_id
    assert _ids(get(client, "Task", kuopio, _id=str(one))) == [str(one)]
    messages = get(client, "Communication", kuopio, patient=str(world.clients[0].public_id))
    assert str(matrix_scene.message.public_id) in _ids(messages)


def test_last_updated(client, matrix_scene, kuopio):
    accepted = matrix_scene.referral("accepted")
    # Move the accepted referral's history two days back: it was last updated then.
    past = timezone.now() - dt.timedelta(days=2)
    ReferralEvent.objects.filter(referral=accepted).update(at=past)
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    recent = _ids(get(client, "Task", kuopio, _lastUpdated=f"ge{yesterday}"))
    assert str(accepted.public_id) not in recent and len(recent) == 6
    older = _ids(get(client, "Task", kuopio, _lastUpdated=f"lt{yesterday}"))
    assert older == [str(accepted.public_id)]
    day = timezone.localtime(past).date().isoformat()
    assert _ids(get(client, "Task", kuopio, _lastUpdated=day)) == [str(accepted.public_id)]
    task = get(client, f"Task/{accepted.public_id}", kuopio).json()
    assert task["meta"]["lastUpdated"] == past.isoformat()


def test_paging_links_carry_the_search(client, matrix_scene, kuopio):
    first = get(
        client,
        "Task",
        kuopio,
        _count="3",
        status="requested,accepted,in-progress,on-hold,rejected,completed",
    )
    body = first.json()
    assert len(body["entry"]) == 3
    links = {link["relation"]: link["url"] for link in body["link"]}
    assert "previous" not in links
    seen = _ids(first)
    url = links["next"]
    while url:
        parts = urlsplit(url)
        page = client.get(f"{parts.path}?{parts.query}", headers=kuopio)
        seen += _ids(page)
        links = {link["relation"]: link["url"] for link in page.json()["link"]}
        assert "previous" in links and "_count=3" in links["self"]
        url = links.get("next")
    assert len(seen) == len(set(seen)) == 7


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"identifier": "010190-900R"}, "unknown_parameter"),
        ({"status:not": "completed"}, "unknown_parameter"),
        ({"subject": "Patient/x"}, "unknown_parameter"),
        ({"status": "bogus"}, "invalid_status"),
        ({"_count": "many"}, "invalid_parameter"),
        ({"_count": "0"}, "invalid_parameter"),
        ({"_lastUpdated": "xx2026-01-01"}, "invalid_date"),
        ({"_lastUpdated": "ge2026-13-01"}, "invalid_date"),
        ({"patient": "Group/3f8c6b52-7b73-4f39-8d8d-3a2f7a0e0c11"}, "invalid_reference"),
        ({"patient": "010190-900R"}, "invalid_reference"),
        ({"_format": "xml"}, "unsupported_format"),
    ],
)
def test_bad_searches_are_400_operation_outcomes(client, matrix_scene, kuopio, params, code):
    response = get(client, "Task", kuopio, **params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/fhir+json")
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["code"] == "invalid"
    assert outcome["issue"][0]["details"]["coding"][0]["code"] == code
    assert "010190-900R" not in outcome["issue"][0]["diagnostics"]


def test_outcome_messages_follow_the_request_language(client, matrix_scene, kuopio):
    response = client.get(
        "/fhir/R4/Task", {"foo": "1"}, headers={**kuopio, "Accept-Language": "fi"}
    )
    assert "Tuntematon hakuparametri" in response.json()["issue"][0]["diagnostics"]


def test_searches_that_need_a_parameter_say_so(client, matrix_scene, kuopio):
    for path, code in [
        ("Consent", "patient_required"),
        ("Provenance", "target_required"),
        ("HealthcareService", "organization_required"),
    ]:
        response = get(client, path, kuopio)
        assert response.status_code == 400
        assert response.json()["issue"][0]["details"]["coding"][0]["code"] == code
    patient = get(client, "Patient", kuopio)
    assert patient.json()["issue"][0]["details"]["coding"][0]["code"] == "search_not_supported"


def test_a_task_page_costs_the_same_queries_whatever_its_size(client, matrix_scene, kuopio):
    """No query per row: key, units, referrals, their steps, the audit row (and the
    savepoints around them)."""
    counts = []
    client.get("/fhir/R4/Task", {"_count": "1"}, headers=kuopio)  # the key's first use
    for count in ("1", "7"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/fhir/R4/Task", {"_count": count}, headers=kuopio)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
