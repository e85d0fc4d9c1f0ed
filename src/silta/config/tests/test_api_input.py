"""Text PostgreSQL cannot hold (NUL, lone surrogates) is refused by every API input with a
400 JSON error, translated, before anything is written."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client as HttpClient

from silta.api_keys.models import IdempotencyRecord
from silta.api_keys.services import api_key_issue
from silta.clients.models import Client
from silta.config.api import api
from silta.exchange.models import Message, Thread
from tests.factories import pdf, test_code

pytestmark = pytest.mark.django_db
NUL = "a\x00b"


def _http(world, language: str = "en") -> HttpClient:
    issued = api_key_issue(unit=world.kela_unit, name="CMS")
    return HttpClient(
        HTTP_AUTHORIZATION=f"Bearer {issued.plaintext}", HTTP_ACCEPT_LANGUAGE=language
    )


def _assert_refused(response, field: str | None = None) -> None:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid_characters"
    assert body["message"]
    if field is not None:
        assert body.get("field") == field


def test_nul_in_thread_subject_and_body_is_400_and_nothing_is_stored(world) -> None:
    http = _http(world)
    case = world.open_case()
    threads, messages = Thread.objects.count(), Message.objects.count()
    url = f"/api/v1/cases/{case.public_id}/threads"
    _assert_refused(http.post(url, {"subject": NUL, "body": "ok"}), "subject")
    _assert_refused(http.post(url, {"subject": "ok", "body": NUL}), "body")
    thread = world.thread(case)
    reply = http.post(f"/api/v1/threads/{thread.thread.public_id}/messages", {"body": NUL})
    _assert_refused(reply, "body")
    assert Thread.objects.count() == threads + 1 and Message.objects.count() == messages + 1


def test_nul_in_directory_search_and_route_is_400(world) -> None:
    http = _http(world)
    _assert_refused(http.get("/api/v1/directory/units", {"q": "kuo\x00pio"}), "q")
    _assert_refused(
        http.get("/api/v1/directory/route", {"municipality": "29\x007", "topic": "x"}),
        "municipality",
    )


def test_nul_or_lone_surrogate_in_json_is_400_and_no_client_is_created(world) -> None:
    http = _http(world)
    before = Client.objects.count()
    for raw in (
        '{"identity_code": "010594Y9032", "first_names": "A\\u0000", '
        '"last_name": "B", "municipality_code": "297"}',
        '{"identity_code": "010594Y9032", "first_names": "A\\ud800", '
        '"last_name": "B", "municipality_code": "297"}',
    ):
        response = http.post(
            "/api/v1/clients",
            raw,
            content_type="application/json",
            headers={"Idempotency-Key": "k1"},
        )
        _assert_refused(response, "first_names")
    assert Client.objects.count() == before
    assert not IdempotencyRecord.objects.exists()


def test_nul_in_a_list_item_is_400(world) -> None:
    http = _http(world)
    case = world.open_case()
    referral = {"case_id": str(case.public_id), "type": "contact", "concerns": ["ok", NUL]}
    _assert_refused(http.post("/api/v1/referrals", referral, content_type="application/json"))


def test_a_file_name_loses_its_nul_in_django_before_it_reaches_us(world) -> None:
    """Django's multipart parser drops non-printable characters from file names."""
    http = _http(world)
    case = world.open_case()
    response = http.post(
        f"/api/v1/cases/{case.public_id}/threads",
        {"subject": "s", "body": "b", "files": pdf("a\x00.pdf")},
    )
    assert response.status_code == 201
    assert response.json()["attachments"][0]["file_name"] == "a.pdf"


def test_nul_in_idempotency_key_is_400(world) -> None:
    http = _http(world)
    before = Client.objects.count()
    client = {
        "identity_code": test_code(77),
        "first_names": "Aino",
        "last_name": "Uusi",
        "municipality_code": "297",
    }
    response = http.post(
        "/api/v1/clients",
        client,
        content_type="application/json",
        headers={"Idempotency-Key": "k\x00"},
    )
    _assert_refused(response, "Idempotency-Key")
    assert Client.objects.count() == before and not IdempotencyRecord.objects.exists()


def test_the_refusal_is_translated(world) -> None:
    messages = {
        language: _http(world, language)
        .get("/api/v1/directory/units", {"q": NUL})
        .json()["message"]
        for language in ("fi", "sv", "en")
    }
    assert len(set(messages.values())) == 3, messages


def _string_inputs() -> list[tuple[str, str, str, str]]:
    """(method, path, where, name) for every string query parameter, form field and JSON
    body property of every operation in the published schema."""
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    components = schema["components"]["schemas"]
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for param in operation.get("parameters", []):
                if param["in"] == "query":
                    found.append((method, path, "query", param["name"]))
            content = operation.get("requestBody", {}).get("content", {})
            for media_type, media in content.items():
                body = media["schema"]
                if "$ref" in body:
                    body = components[body["$ref"].rsplit("/", 1)[-1]]
                where = "json" if media_type == "application/json" else "form"
                found.extend((method, path, where, name) for name in body.get("properties", {}))
    return found


STRING_INPUTS = _string_inputs()


@pytest.mark.parametrize(("method", "path", "where", "name"), STRING_INPUTS)
def test_every_input_of_every_operation_refuses_nul(world, method, path, where, name) -> None:
    http = _http(world)
    url = path.replace("{", "").replace("}", "")
    for part in ("case_id", "thread_id", "message_id", "attachment_id", "unit_id"):
        url = url.replace(part, str(uuid.uuid4()))
    for part in ("request_id", "referral_id"):
        url = url.replace(part, str(uuid.uuid4()))
    if where == "query":
        response = http.generic(method.upper(), f"{url}?{name}=a%00b")
    elif where == "json":
        response = http.generic(
            method.upper(), url, f'{{"{name}": "a\\u0000b"}}', content_type="application/json"
        )
    else:
        response = http.post(url, {name: NUL})
    _assert_refused(response)


def test_the_walk_covers_the_known_text_inputs() -> None:
    names = {(path, name) for _m, path, _w, name in STRING_INPUTS}
    assert ("/api/v1/directory/units", "q") in names
    assert ("/api/v1/directory/route", "municipality") in names
    assert ("/api/v1/cases/{case_id}/threads", "subject") in names
    assert ("/api/v1/threads/{thread_id}/messages", "body") in names
    assert ("/api/v1/clients", "identity_code") in names
