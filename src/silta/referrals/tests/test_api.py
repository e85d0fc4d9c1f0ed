"""The referral API: the same services and rules as the pages, FHIR-aligned status."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext

from silta.api_keys.services import api_key_issue
from silta.audit.models import AuditEvent
from silta.referrals.models import Referral, ReferralEvent
from silta.referrals.tests.helpers import send

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, unit) -> None:
        issued = api_key_issue(unit=unit, name="CMS")
        self.http = HttpClient(
            HTTP_AUTHORIZATION=f"Bearer {issued.plaintext}", HTTP_ACCEPT_LANGUAGE="en"
        )

    def get(self, path: str, **params):
        return self.http.get(f"/api/v1{path}", params)

    def post(self, path: str, data: dict, key: str | None = None):
        headers = {"Idempotency-Key": key} if key else {}
        return self.http.post(
            f"/api/v1{path}", data, content_type="application/json", headers=headers
        )


@pytest.fixture
def kela(world) -> Api:
    return Api(world.kela_unit)


@pytest.fixture
def social(world) -> Api:
    return Api(world.social_unit)


def contact(case) -> dict[str, object]:
    return {
        "case_id": str(case.public_id),
        "type": "contact",
        "description": "Asiakas pyysi yhteydenottoa",
        "concerns": ["housing_risk"],
        "basis": "client_asked",
    }


def test_create_is_idempotent_with_a_key(world, kela) -> None:
    case = world.open_case()
    first = kela.post("/referrals", contact(case), key="ref-1")
    assert first.status_code == 201, first.json()
    again = kela.post("/referrals", contact(case), key="ref-1")
    assert again.status_code == 201 and again.json() == first.json()
    assert Referral.objects.count() == 1
    body = first.json()
    assert (body["type"], body["status"], body["urgent"], body["handoff_count"]) == (
        "contact",
        "requested",
        False,
        0,
    )
    assert (body["fhir_status"], body["fhir_business_status"]) == ("requested", "2.0")
    assert body["sender_unit_id"] == str(world.kela_unit.public_id)
    assert body["receiver_unit_id"] == str(world.social_unit.public_id)
    assert body["deadline_rule"] == "shl_36_assessment" and body["escalated"] is False
    reused = kela.post("/referrals", {**contact(case), "description": "toinen"}, key="ref-1")
    assert reused.status_code == 409 and reused.json()["code"] == "idempotency_key_reused"
    assert kela.post("/referrals", contact(case), key="ref-2").status_code == 201
    assert Referral.objects.count() == 2


NO_CONTACT = {"concerns": None, "basis": None}  # drop the contact's own fields


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"concerns": []}, 400, "concerns_required"),
        ({"basis": ""}, 400, "basis_required"),
        ({"type": "document_delivery"}, 400, "type_direction"),
        ({"type": "nonsense"}, 400, "type_required"),
        ({"type": "forwarded_application", **NO_CONTACT}, 400, "attachment_required"),
        (
            {"type": "statement_request", **NO_CONTACT, "requested_date": "2026-02-30"},
            400,
            "requested_date_invalid",
        ),
        # Another type's field is refused, not ignored: the API takes the web's fields.
        ({"joint": True}, 400, "field_unknown"),
        ({"urgent": "maybe"}, 422, "invalid_request"),
    ],
)
def test_create_refusals(world, kela, change, status: int, code: str) -> None:
    body = {**contact(world.open_case()), **change}
    response = kela.post("/referrals", {k: v for k, v in body.items() if v is not None})
    assert response.status_code == status and response.json()["code"] == code
    assert not Referral.objects.exists()


def test_outsider_cannot_send_on_the_case(world) -> None:
    outsider = Api(world.other_social_unit)
    response = outsider.post("/referrals", contact(world.open_case()))
    assert response.status_code == 404 and not Referral.objects.exists()


def test_receivers_read_records_the_receipt(world, kela, social) -> None:
    referral = send(world)
    path = f"/referrals/{referral.public_id}"
    by_sender = kela.get(path).json()
    assert (by_sender["status"], by_sender["received_at"]) == ("requested", None)
    by_receiver = social.get(path).json()
    assert by_receiver["status"] == "received" and by_receiver["received_at"] is not None
    assert (by_receiver["fhir_status"], by_receiver["fhir_business_status"]) == (
        "requested",
        "2.1",
    )
    assert kela.get(path).json()["status"] == "received"
    social.get(path)
    assert ReferralEvent.objects.filter(action="receive").count() == 1
    assert AuditEvent.objects.filter(object_id=str(referral.public_id), action="view").count() >= 3
    assert Api(world.other_social_unit).get(path).status_code == 404
    assert Api(world.kela_unit2).get(path).status_code == 404


def test_transitions_and_their_refusals(world, kela, social) -> None:
    referral = send(world)
    path = f"/referrals/{referral.public_id}"
    social.get(path)  # received
    illegal = social.post(f"{path}/transitions", {"action": "start"})
    assert illegal.status_code == 409 and illegal.json()["code"] == "transition_not_allowed"
    wrong_side = kela.post(f"{path}/transitions", {"action": "accept"})
    assert wrong_side.status_code == 403 and wrong_side.json()["code"] == "forbidden"
    stale = social.post(f"{path}/transitions", {"action": "accept", "version": 0})
    assert stale.status_code == 409 and stale.json()["code"] == "referral_stale"
    unknown = social.post(f"{path}/transitions", {"action": "approve"})
    assert unknown.status_code == 400 and unknown.json()["code"] == "action_unknown"
    accepted = social.post(f"{path}/transitions", {"action": "accept", "version": 1})
    assert accepted.status_code == 200
    assert (accepted.json()["status"], accepted.json()["fhir_status"]) == ("accepted", "accepted")
    no_outcome = social.post(f"{path}/transitions", {"action": "complete"}, key="c-1")
    assert no_outcome.status_code == 400 and no_outcome.json()["code"] == "outcome_required"
    done = {
        "action": "complete",
        "outcome": "assessment_started",
        "outcome_date": "2026-12-01",
        "version": 2,
    }
    completed = social.post(f"{path}/transitions", done, key="c-2")
    assert completed.status_code == 200
    body = completed.json()
    assert (body["status"], body["fhir_status"], body["fhir_business_status"]) == (
        "completed",
        "completed",
        "7.0",
    )
    assert (body["outcome"], body["outcome_date"]) == ("assessment_started", "2026-12-01")
    assert social.post(f"{path}/transitions", done, key="c-2").json() == body  # replayed
    again = social.post(f"{path}/transitions", {**done, "version": 3})
    assert again.status_code == 409 and again.json()["code"] == "transition_not_allowed"
    seen = kela.get(path).json()
    assert (seen["status"], seen["outcome"]) == ("completed", "assessment_started")


def test_return_and_resend_through_the_api(world, kela, social) -> None:
    referral = send(world)
    path = f"/referrals/{referral.public_id}"
    social.get(path)
    returned = social.post(
        f"{path}/transitions", {"action": "return", "reason": "wrong_organiser"}
    ).json()
    assert (returned["status"], returned["fhir_status"], returned["fhir_business_status"]) == (
        "returned",
        "rejected",
        "4.1",
    )
    assert (returned["handoff_count"], returned["reason"]) == (1, "wrong_organiser")
    resent = kela.post(f"{path}/transitions", {"action": "resend"}).json()
    assert (resent["status"], resent["fhir_business_status"], resent["handoff_count"]) == (
        "requested",
        "2.0",
        1,
    )


# Every status with its FHIR Task.status and businessStatus code (STANDARDS.md, BSeR).
FHIR = [
    ("requested", "requested", "2.0"),
    ("received", "requested", "2.1"),
    ("accepted", "accepted", "3.0"),
    ("rejected", "rejected", "4.0"),
    ("returned", "rejected", "4.1"),
    ("in_progress", "in-progress", "5.0"),
    ("on_hold", "on-hold", "5.3"),
    ("completed", "completed", "7.0"),
    ("cancelled", "cancelled", "6.0"),
]


@pytest.mark.parametrize(("status", "fhir_status", "business"), FHIR)
def test_fhir_status_fields(world, kela, status: str, fhir_status: str, business: str) -> None:
    referral = send(world)
    Referral.objects.filter(pk=referral.pk).update(status=status)
    body = kela.get(f"/referrals/{referral.public_id}").json()
    assert (body["status"], body["fhir_status"], body["fhir_business_status"]) == (
        status,
        fhir_status,
        business,
    )


def test_lists_by_box_and_filter(world, kela, social) -> None:
    first, second = send(world), send(world)
    social.get(f"/referrals/{first.public_id}")  # received
    received = social.get("/referrals", box="received").json()
    assert {item["id"] for item in received["items"]} == {
        str(first.public_id),
        str(second.public_id),
    }
    waiting = kela.get("/referrals", box="sent", filter="waiting").json()
    assert [item["id"] for item in waiting["items"]] == [str(second.public_id)]
    assert kela.get("/referrals", box="received").json()["items"] == []
    assert Api(world.other_social_unit).get("/referrals").json()["items"] == []


def test_api_requires_a_key(world) -> None:
    referral = send(world)
    anonymous = HttpClient()
    assert anonymous.get(f"/api/v1/referrals/{referral.public_id}").status_code == 401
    assert anonymous.get("/api/v1/referrals").status_code == 401
    assert Referral.objects.get().status == "requested"


def test_the_list_reads_a_fixed_number_of_queries_however_many_rows(world, kela) -> None:
    # Each row used to load its deferred fields (case, thread, units, payload) one by
    # one: about 14 queries a row. Now the page is one joined read, whatever its size.
    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as captured:
            body = kela.get("/referrals", box="sent").json()
        assert len(body["items"]) == Referral.objects.filter(sender_unit=world.kela_unit).count()
        return len(captured.captured_queries)

    case = world.open_case()
    kela.post("/referrals", contact(case))
    one = queries_for_list()
    for _ in range(4):
        kela.post("/referrals", contact(case))
    assert queries_for_list() == one
