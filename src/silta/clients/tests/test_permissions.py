"""Every role x every client page, and every unit's API key x every client endpoint.

Written out by hand from ``silta.accounts.roles``; the scene and the meaning of each
outcome are in ``tests.permissions``.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.factories import test_code
from tests.permissions import (
    Endpoint,
    Request,
    Row,
    Scene,
    api_cases,
    call_api,
    check_api_response,
    check_read_only_call,
    check_web_page,
    get,
    post,
    web_cases,
)

pytestmark = pytest.mark.django_db


def _client_add(_scene: Scene, _key: str) -> Request:
    data = {
        "identity_code": test_code(777),
        "first_names": "Uusi",
        "last_name": "Asiakas",
        "municipality_code": "297",
    }
    return post(reverse("clients:add"), data)


# fmt: off
# Columns: Kela Itä processor, advisor, manager, admin | Kuopio worker, counsellor,
# processor, manager, admin | outsiders: Kela Etelä, same county's other unit, other county
# worker, other county manager.
WEB: dict[str, Row] = {
    "client_find": Row(
        (200, 200, 200, 200,   200, 200, 200, 200, 200,   200, 200, 200, 200),
        lambda s, _key: get(reverse("clients:find")),
    ),
    "client_lookup": Row(
        (302, 302, 302, 403,   302, 302, 302, 302, 403,   302, 302, 302, 302),
        lambda s, _key: post(reverse("clients:find"), {"query": s.world.clients[0].identity_code}),
    ),
    "client_add": Row(
        (302, 403, 302, 403,   302, 302, 302, 302, 403,   302, 302, 302, 302),
        _client_add,
    ),
    # Whoever may look clients up; the other county's staff (no relation to the Kuopio
    # client) see only the name and the date of birth (test_relations checks the page).
    "client_detail": Row(
        (200, 200, 200, 404,   200, 200, 200, 200, 404,   200, 200, 200, 200),
        lambda s, _key: get(reverse("clients:detail", args=[s.world.clients[0].public_id])),
    ),
    # Revealing the whole identity code (a POST, audited): whoever sees the whole client
    # page; the other county's staff have no relation to the client.
    "client_identity_code": Row(
        (200, 200, 200, 404,   200, 200, 200, 200, 404,   200, 200, 403, 403),
        lambda s, _key: post(
            reverse("clients:identity_code", args=[s.world.clients[0].public_id])
        ),
    ),
}
# fmt: on


@pytest.mark.parametrize(("endpoint", "key", "expected"), web_cases(WEB))
def test_web_page(client, matrix_scene, endpoint, key, expected):
    check_web_page(client, matrix_scene, WEB[endpoint], endpoint, key, expected)


# --- the API -----------------------------------------------------------------------------


def _lookup_body(scene: Scene, _unit_key: str) -> dict[str, Any]:
    return {"identity_code": scene.world.clients[0].identity_code}


def _create_body(_scene: Scene, _unit_key: str) -> dict[str, Any]:
    return {
        "identity_code": test_code(778),
        "first_names": "Uusi",
        "last_name": "Asiakas",
        "municipality_code": "297",
    }


API: dict[str, Endpoint] = {
    "client_lookup": Endpoint("post", "/api/v1/clients/lookup", body=_lookup_body),
    "client_create": Endpoint("post", "/api/v1/clients", body=_create_body),
}

# fmt: off
#                  key of: kela  social kela2 social2 org2
API_EXPECTED: dict[str, tuple[int, ...]] = {
    "client_lookup":   (200, 200, 200, 200, 200),
    "client_create":   (201, 201, 201, 201, 201),
}
# A read-only integration may look clients up but not add them.
READ_ONLY_EXPECTED: dict[str, tuple[int, ...]] = {
    "client_create":   (403, 403, 403, 403, 403),
}
# fmt: on


@pytest.mark.parametrize(("endpoint", "unit_key", "expected"), api_cases(API_EXPECTED))
def test_api_endpoint(client, matrix_scene, endpoint, unit_key, expected):
    response, key = call_api(client, matrix_scene, API[endpoint], unit_key)
    check_api_response(matrix_scene, endpoint, unit_key, response, key, expected)


@pytest.mark.parametrize(("endpoint", "unit_key", "expected"), api_cases(READ_ONLY_EXPECTED))
def test_api_endpoint_for_a_read_only_integration(
    client, matrix_scene, read_only_integration, endpoint, unit_key, expected
):
    check_read_only_call(client, matrix_scene, API[endpoint], endpoint, unit_key, expected)
