"""API key scopes: every key reads; changing needs the area's scope; none is read-only."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from silta.api_keys.scopes import ALL_SCOPES, Scope
from silta.api_keys.services import api_key_issue
from silta.audit.models import AuditEvent
from silta.clients.models import Client
from silta.config.api import api
from silta.exchange.models import Case
from tests.factories import test_code

pytestmark = pytest.mark.django_db

WRITES = ("post", "put", "patch", "delete")


def _http(unit, scopes) -> HttpClient:
    issued = api_key_issue(unit=unit, name="CMS", scopes=scopes)
    return HttpClient(HTTP_AUTHORIZATION=f"Bearer {issued.plaintext}", HTTP_ACCEPT_LANGUAGE="en")


def _post(http: HttpClient, path: str, data: dict):
    return http.post(f"/api/v1{path}", data, content_type="application/json")


def test_a_new_key_may_change_everything_by_default(world):
    issued = api_key_issue(unit=world.kela_unit, name="CMS")
    assert issued.api_key.scopes == list(ALL_SCOPES)


def test_unknown_scopes_are_not_stored(world):
    issued = api_key_issue(unit=world.kela_unit, name="CMS", scopes=["exchange", "root"])
    assert issued.api_key.scopes == ["exchange"]


def test_a_read_only_key_reads_but_cannot_change_anything(world):
    case = world.open_case()
    http = _http(world.kela_unit, [])
    assert http.get("/api/v1/cases").status_code == 200
    assert http.get(f"/api/v1/cases/{case.public_id}/timeline").status_code == 200
    # The lookup is a POST only to keep the identity code out of the URL: it reads.
    found = _post(http, "/clients/lookup", {"identity_code": world.clients[0].identity_code})
    assert found.status_code == 200
    before = Client.objects.count()
    response = _post(
        http,
        "/clients",
        {
            "identity_code": test_code(77),
            "first_names": "Uusi",
            "last_name": "Asiakas",
            "municipality_code": "297",
        },
    )
    assert response.status_code == 403
    assert response.json()["code"] == "scope_missing"
    assert "clients" in response.json()["message"]
    assert Client.objects.count() == before
    denied = AuditEvent.objects.filter(action="denied").latest("pk")
    assert denied.detail["scope"] == "clients"
    assert denied.detail["path"] == "/api/v1/clients"
    assert world.clients[0].identity_code not in str(denied.detail)


def test_a_scope_opens_only_its_own_area(world):
    case = world.open_case()
    http = _http(world.kela_unit, ["referrals"])
    opened = _post(
        http,
        "/cases",
        {
            "client_id": str(world.clients[1].public_id),
            "counterpart_unit_id": str(world.social_unit.public_id),
        },
    )
    assert opened.status_code == 403
    assert opened.json()["code"] == "scope_missing"
    assert not Case.objects.filter(client=world.clients[1]).exists()
    # The referrals scope reaches the referral service (which answers on its own terms).
    sent = _post(http, "/referrals", {"case_id": str(case.public_id), "type": "no_such_type"})
    assert sent.status_code != 403


def test_a_missing_scope_is_refused_before_the_request_is_read(world):
    http = _http(world.kela_unit, ["exchange"])
    response = http.post("/api/v1/callbacks", "not json at all", content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "scope_missing"


def test_every_changing_operation_names_a_scope():
    """A new router's writes need a row in ``Scope``: its tag is the scope."""
    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in WRITES and path != "/api/v1/clients/lookup":
                assert operation["tags"][0] in Scope.values, (method, path)


def test_the_openapi_describes_the_scopes():
    schema = api.get_openapi_schema()
    description = schema["components"]["securitySchemes"]["ApiKeyAuth"]["description"]
    for code in Scope.values:
        assert f"`{code}`" in description
