"""The JSON API: keys, the same rules as the web UI, idempotent POSTs, JSON errors."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from silta.api_keys.models import IdempotencyRecord
from silta.api_keys.services import api_key_issue, api_key_revoke
from silta.audit.models import AuditEvent
from silta.clients.models import Client
from silta.exchange.models import Message, Receipt, Thread
from tests.factories import PDF_BYTES, exe_as_pdf, give_consent, pdf, png, test_code

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, unit, language: str = "en") -> None:
        self.issued = api_key_issue(unit=unit, name="CMS")
        self.http = HttpClient(
            HTTP_AUTHORIZATION=f"Bearer {self.issued.plaintext}", HTTP_ACCEPT_LANGUAGE=language
        )

    def get(self, path: str, **kw):
        return self.http.get(f"/api/v1{path}", **kw)

    def post(self, path: str, data=None, *, key: str | None = None, multipart: bool = False):
        headers = {"Idempotency-Key": key} if key else {}
        if multipart:
            return self.http.post(f"/api/v1{path}", data or {}, headers=headers)
        return self.http.post(
            f"/api/v1{path}", data or {}, content_type="application/json", headers=headers
        )


@pytest.fixture
def kela_api(world) -> Api:
    return Api(world.kela_unit)


@pytest.fixture
def social_api(world) -> Api:
    return Api(world.social_unit)


def test_no_key_or_bad_key_is_401_json(world) -> None:
    response = HttpClient().get("/api/v1/cases")
    assert response.status_code == 401 and response.json()["code"] == "unauthorized"
    bad = HttpClient(HTTP_AUTHORIZATION="Bearer silta_abc_def").get("/api/v1/cases")
    assert bad.status_code == 401


def test_revoked_key_stops_working(world, kela_api) -> None:
    assert kela_api.get("/cases").status_code == 200
    api_key_revoke(api_key=kela_api.issued.api_key)
    assert kela_api.get("/cases").status_code == 401


def test_key_is_stored_hashed(world, kela_api) -> None:
    stored = kela_api.issued.api_key
    secret = kela_api.issued.plaintext.split("_", 2)[2]
    assert secret not in stored.secret_hash and len(stored.secret_hash) == 64


def test_openapi_schema_is_published(world) -> None:
    response = HttpClient().get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/clients/lookup" in paths and "/api/v1/threads/{thread_id}/messages" in paths


def test_lookup_is_post_and_audited(world, kela_api) -> None:
    client = world.clients[0]
    response = kela_api.post("/clients/lookup", {"identity_code": client.identity_code})
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(client.public_id) and "identity_code" not in body
    assert (
        AuditEvent.objects.filter(
            client=client, action="search", api_key=kela_api.issued.api_key
        ).count()
        == 1
    )
    missing = kela_api.post("/clients/lookup", {"identity_code": test_code(77)})
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_invalid_identity_code_is_a_json_error(world, kela_api) -> None:
    response = kela_api.post("/clients/lookup", {"identity_code": "010594Y9033"})
    assert response.status_code == 400
    assert response.json()["code"] == "identity_code_checksum"
    assert "check character" in response.json()["message"]


def test_create_client_is_idempotent(world, kela_api) -> None:
    data = {
        "identity_code": test_code(55),
        "first_names": "Eino",
        "last_name": "Ilmoitus",
        "municipality_code": "297",
    }
    first = kela_api.post("/clients", data, key="create-55")
    again = kela_api.post("/clients", data, key="create-55")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Client.objects.filter(identity_code=test_code(55)).count() == 1
    # A different request under the same key is refused; a new key hits the existing client.
    other = kela_api.post("/clients", {**data, "last_name": "Muu"}, key="create-55")
    assert other.status_code == 409 and other.json()["code"] == "idempotency_key_reused"
    duplicate = kela_api.post("/clients", data, key="create-55-b")
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "client_exists"


def test_unknown_municipality_changes_nothing(world, kela_api) -> None:
    data = {
        "identity_code": test_code(56),
        "first_names": "A",
        "last_name": "B",
        "municipality_code": "999",
    }
    response = kela_api.post("/clients", data)
    assert response.status_code == 400 and response.json()["code"] == "municipality_unknown"
    assert not Client.objects.filter(identity_code=test_code(56)).exists()


def test_full_exchange_over_the_api(world, kela_api, social_api) -> None:
    client = world.clients[1]
    give_consent(client, world.county, world.kela_unit)  # the checkbox on the application
    opened = kela_api.post(
        "/cases",
        {
            "client_id": str(client.public_id),
            "counterpart_unit_id": str(world.social_unit.public_id),
        },
        key="open-1",
    )
    assert opened.status_code == 201
    case_id = opened.json()["id"]
    sent = kela_api.post(
        f"/cases/{case_id}/threads",
        {"subject": "Vuokravakuus", "body": "Hakemus", "files": [pdf(), png()]},
        key="thread-1",
        multipart=True,
    )
    assert sent.status_code == 201, sent.content
    message = sent.json()
    assert [a["content_type"] for a in message["attachments"]] == ["application/pdf", "image/png"]
    assert message["receipts"][0]["kind"] == "delivered"
    # Retried with the same key: the same message, nothing new.
    retry = kela_api.post(
        f"/cases/{case_id}/threads",
        {"subject": "Vuokravakuus", "body": "Hakemus", "files": [pdf(), png()]},
        key="thread-1",
        multipart=True,
    )
    assert retry.json()["id"] == message["id"]
    assert Thread.objects.count() == 1 and Message.objects.count() == 1

    listed = social_api.get("/cases").json()
    assert [c["id"] for c in listed["items"]] == [case_id]
    read = social_api.post(f"/messages/{message['id']}/read")
    assert read.status_code == 200 and read.json() == {"marked": True}
    assert social_api.post(f"/messages/{message['id']}/read").json() == {"marked": False}
    assert Receipt.objects.filter(kind="read").count() == 1
    # Only the receiving side can mark a message read.
    assert kela_api.post(f"/messages/{message['id']}/read").status_code == 409

    download = social_api.get(f"/attachments/{message['attachments'][0]['id']}")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF_BYTES

    reply = social_api.post(
        f"/threads/{message['thread_id']}/messages",
        {"body": "Päätös", "files": [pdf("paatos.pdf")]},
        multipart=True,
    )
    assert reply.status_code == 201
    timeline = kela_api.get(f"/cases/{case_id}/timeline").json()
    kinds = [item["kind"] for item in timeline["items"]]
    assert kinds[:2] == ["message_sent", "message_read"] and "case_opened" in kinds


def test_other_organisation_gets_404_and_denial_is_audited(world, kela_api) -> None:
    message = world.thread()
    outsider = Api(world.other_social_unit)
    before = AuditEvent.objects.filter(action="denied").count()
    assert outsider.get(f"/cases/{message.case.public_id}/timeline").status_code == 404
    assert outsider.post(f"/messages/{message.public_id}/read").status_code == 404
    assert outsider.get(f"/threads/{message.thread.public_id}/messages").status_code == 404
    assert AuditEvent.objects.filter(action="denied").count() == before + 3


def test_disallowed_attachment_over_api(world, kela_api) -> None:
    case = world.open_case()
    response = kela_api.post(
        f"/cases/{case.public_id}/threads",
        {"subject": "x", "body": "y", "files": [exe_as_pdf()]},
        multipart=True,
        key="bad-file",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "attachment_type_not_allowed"
    assert not Message.objects.exists()
    assert IdempotencyRecord.objects.get(key="bad-file").status_code == 400


def test_validation_error_is_json(world, kela_api) -> None:
    response = kela_api.post("/clients", {"identity_code": "x"})
    assert response.status_code == 422 and response.json()["code"] == "invalid_request"
