"""Every API error is JSON ``{code, message}`` in the request's language."""

from __future__ import annotations

import ast
import logging
from pathlib import Path
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client as HttpClient

from silta.api_keys.services import api_key_issue

pytestmark = pytest.mark.django_db
LANGUAGES = ("fi", "sv", "en")
SRC = Path(__file__).resolve().parents[2]


def _http(world, language: str = "en") -> HttpClient:
    issued = api_key_issue(unit=world.kela_unit, name="CMS")
    return HttpClient(
        HTTP_AUTHORIZATION=f"Bearer {issued.plaintext}", HTTP_ACCEPT_LANGUAGE=language
    )


def _error(response, status: int, code: str) -> str:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code and body["message"], body
    return body["message"]


def _in_each_language(world, status: int, code: str, send) -> None:
    """The same error, asked for in fi, sv and en, comes back in three languages."""
    messages = {lang: _error(send(_http(world, lang)), status, code) for lang in LANGUAGES}
    assert len(set(messages.values())) == 3, messages


def test_unexpected_exception_is_json_500_logged_without_client_data(world, caplog) -> None:
    secret = "Asiakas 010594Y9032"
    caplog.set_level(logging.ERROR, logger="silta.api")
    with mock.patch("silta.exchange.api.selectors.unit_cases", side_effect=RuntimeError(secret)):
        _in_each_language(world, 500, "server_error", lambda http: http.get("/api/v1/cases"))
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "RuntimeError" in logged
    assert secret not in logged and "010594Y9032" not in logged


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_database_unreachable_is_json_503_with_retry_after(world, error) -> None:
    with mock.patch("silta.exchange.api.selectors.unit_cases", side_effect=error("down")):
        response = _http(world, "sv").get("/api/v1/cases")
    _error(response, 503, "database_unavailable")
    assert int(response["Retry-After"]) > 0


def test_database_unreachable_while_checking_the_key_is_503(world) -> None:
    http = _http(world)
    with mock.patch(
        "silta.api_keys.auth.api_key_authenticate", side_effect=OperationalError("down")
    ):
        response = http.get("/api/v1/cases")
    _error(response, 503, "database_unavailable")
    assert response["Retry-After"]


def test_body_over_the_limit_is_json_413(world, settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    big = '{"identity_code": "' + "1" * 2000 + '"}'

    def send(http):
        return http.post("/api/v1/clients/lookup", big, content_type="application/json")

    _in_each_language(world, 413, "request_too_large", send)
    case = world.open_case()

    def send_form(http):
        return http.post(
            f"/api/v1/cases/{case.public_id}/threads", {"subject": "s", "body": "b" * 2000}
        )

    _error(send_form(_http(world)), 413, "request_too_large")


def test_multipart_without_boundary_is_json_400(world) -> None:
    case = world.open_case()

    def send(http):
        return http.post(
            f"/api/v1/cases/{case.public_id}/threads",
            b"subject=s&body=b",
            content_type="multipart/form-data",
        )

    _in_each_language(world, 400, "malformed_multipart", send)


def test_malformed_json_is_json_400(world) -> None:
    def send(http):
        return http.post("/api/v1/clients/lookup", "{not json", content_type="application/json")

    _in_each_language(world, 400, "malformed_json", send)


def test_wrong_content_type_is_json_415(world) -> None:
    def send(http):
        return http.post(
            "/api/v1/clients/lookup", '{"identity_code": "x"}', content_type="text/plain"
        )

    _in_each_language(world, 415, "unsupported_media_type", send)


def test_unknown_api_path_is_json_404(world) -> None:
    _in_each_language(world, 404, "not_found", lambda http: http.get("/api/v1/no-such-thing"))
    _error(HttpClient().get("/api/v1/cases/x/y/z"), 404, "not_found")


def test_unsupported_method_is_json_405_with_allow(world) -> None:
    _in_each_language(world, 405, "method_not_allowed", lambda http: http.delete("/api/v1/cases"))
    response = _http(world).put("/api/v1/cases")
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}


def test_missing_key_and_invalid_fields_are_translated(world) -> None:
    messages = {
        lang: _error(
            HttpClient(HTTP_ACCEPT_LANGUAGE=lang).get("/api/v1/cases"), 401, "unauthorized"
        )
        for lang in LANGUAGES
    }
    assert len(set(messages.values())) == 3, messages

    def send(http):
        return http.post("/api/v1/clients/lookup", {}, content_type="application/json")

    _in_each_language(world, 422, "invalid_request", send)


def test_not_found_from_a_service_is_translated(world) -> None:
    unit = "00000000-0000-0000-0000-000000000000"

    def send(http):
        body = {"unit_id": unit, "topic": "other", "phone": "+358401234567", "description": "d"}
        return http.post("/api/v1/callbacks", body, content_type="application/json")

    _in_each_language(world, 404, "not_found", send)


def _literal_messages() -> list[str]:
    """``raise Invalid("plain text")``: a service error whose message is not translated."""
    error_names = {"Invalid", "NotFound", "Forbidden", "Conflict", "ServiceError"}
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id in error_names and node.args and _is_literal(node.args[0]):
                found.append(f"{path.relative_to(SRC)}:{node.lineno}")
    return found


def _is_literal(node: ast.expr) -> bool:
    """A string written in the code ("...", f"...", "..." % x), not a gettext call."""
    if isinstance(node, ast.BinOp):
        return _is_literal(node.left)
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


def test_no_service_error_carries_an_untranslated_literal_message() -> None:
    assert _literal_messages() == []
