"""Every role x every call-back page, and every unit's API key x every call-back endpoint.

Anyone doing case work may ask; the Kuopio unit handles the scene's request from Kela Itä;
the requester (or the receiving unit's manager) may cancel. The scene is in
``tests.permissions``.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.urls import reverse

from tests.permissions import (
    Endpoint,
    Row,
    Scene,
    api_cases,
    call_api,
    check_api_response,
    check_web_page,
    get,
    post,
    web_cases,
)

pytestmark = pytest.mark.django_db


def _unit_page(name: str, unit: str) -> Any:
    return lambda s, _key: get(
        reverse(f"callbacks:{name}", args=[getattr(s.world, unit).public_id])
    )


def _act(action: str, data: dict[str, str] | None = None) -> Any:
    return lambda s, _key: post(reverse(f"callbacks:{action}", args=[s.callback.public_id]), data)


def _new_for_client(scene: Scene, _key: str) -> Any:
    args = [scene.world.clients[0].public_id, scene.world.social_unit.public_id]
    return get(reverse("callbacks:new_for_client", args=args))


def _ask_about_client(scene: Scene, key: str) -> Any:
    """The user's own unit asks Kuopio to call back about the scene's Kuopio client."""
    args = [scene.world.clients[0].public_id, scene.world.social_unit.public_id]
    data = {
        "requester_unit": str(scene.unit_of(key).public_id),
        "topic": "adult_social_work",
        "urgency": "normal",
        "phone": "020 692 200",
        "description": "Soittakaa asiakkaan asiassa",
        "client_token": str(uuid.uuid4()),
    }
    return post(reverse("callbacks:new_for_client", args=args), data)


# fmt: off
# Columns: Kela Itä processor, advisor, manager, admin | Kuopio worker, counsellor,
# processor, manager, admin | outsiders: Kela Etelä, same county's other unit, other county
# worker, other county manager.
WEB: dict[str, Row] = {
    "cb_new": Row(
        (200, 200, 200, 403,   200, 200, 200, 200, 403,   200, 200, 200, 200),
        _unit_page("new", "social_unit"),
    ),
    # About the scene's Kuopio client: Kela (every mainland client) and the Kuopio county's
    # units (its residents) have a relation; the other county's unit has none.
    "cb_new_client": Row(
        (200, 200, 200, 404,   200, 200, 200, 200, 404,   200, 200, 403, 403),
        _new_for_client,
    ),
    "cb_new_client_send": Row(
        (302, 302, 302, 404,   302, 302, 302, 302, 404,   302, 302, 403, 403),
        _ask_about_client,
    ),
    "cb_detail": Row(
        (200, 200, 200, 404,   200, 200, 200, 200, 404,   404, 404, 404, 404),
        lambda s, _key: get(reverse("callbacks:detail", args=[s.callback.public_id])),
    ),
    "cb_claim": Row(
        (403, 403, 403, 404,   302, 302, 302, 302, 404,   404, 404, 404, 404),
        _act("claim"),
    ),
    "cb_attempt": Row(
        (403, 403, 403, 404,   302, 302, 302, 302, 404,   404, 404, 404, 404),
        _act("attempt"),
    ),
    "cb_complete": Row(
        (403, 403, 403, 404,   302, 302, 302, 302, 404,   404, 404, 404, 404),
        _act("complete", {"outcome": "resolved"}),
    ),
    "cb_cancel": Row(
        (302, 302, 302, 404,   403, 403, 403, 302, 404,   404, 404, 404, 404),
        _act("cancel", {"reason": "Asia hoitui"}),
    ),
    "cb_queue": Row(
        (404, 404, 404, 404,   200, 200, 200, 200, 404,   404, 404, 404, 404),
        _unit_page("queue", "social_unit"),
    ),
    "cb_sent": Row(
        (200, 200, 200, 404,   404, 404, 404, 404, 404,   404, 404, 404, 404),
        _unit_page("sent", "kela_unit"),
    ),
}
# fmt: on


@pytest.mark.parametrize(("endpoint", "key", "expected"), web_cases(WEB))
def test_web_page(client, matrix_scene, endpoint, key, expected):
    check_web_page(client, matrix_scene, WEB[endpoint], endpoint, key, expected)


# --- the API -----------------------------------------------------------------------------


def _create_body(scene: Scene, _unit_key: str) -> dict[str, Any]:
    return {
        "unit_id": str(scene.world.social_unit.public_id),
        "topic": "adult_social_work",
        "phone": "020 692 200",
        "description": "Soittakaa",
    }


def _fixed(body: dict[str, Any]) -> Any:
    return lambda _scene, _unit_key: body


def _about_client_body(scene: Scene, unit_key: str) -> dict[str, Any]:
    return {**_create_body(scene, unit_key), "client_id": str(scene.world.clients[0].public_id)}


API: dict[str, Endpoint] = {
    "cb_create": Endpoint("post", "/api/v1/callbacks", body=_create_body),
    "cb_create_client": Endpoint("post", "/api/v1/callbacks", body=_about_client_body),
    "cb_list": Endpoint("get", "/api/v1/callbacks"),
    "cb_detail": Endpoint("get", "/api/v1/callbacks/{request_id}"),
    "cb_claim": Endpoint("post", "/api/v1/callbacks/{request_id}/claim"),
    "cb_attempt": Endpoint("post", "/api/v1/callbacks/{request_id}/attempt"),
    "cb_complete": Endpoint(
        "post", "/api/v1/callbacks/{request_id}/complete", body=_fixed({"outcome": "resolved"})
    ),
    "cb_cancel": Endpoint(
        "post", "/api/v1/callbacks/{request_id}/cancel", body=_fixed({"reason": "Asia hoitui"})
    ),
}

# fmt: off
#                  key of: kela  social kela2 social2 org2
API_EXPECTED: dict[str, tuple[int, ...]] = {
    "cb_create":       (201, 201, 201, 201, 201),
    # About the Kuopio client: the other county's key has no relation to them.
    "cb_create_client": (201, 201, 201, 201, 403),
    "cb_list":         (200, 200, 200, 200, 200),
    "cb_detail":       (200, 200, 404, 404, 404),  # Kela Itä asked Kuopio to call
    "cb_claim":        (403, 200, 404, 404, 404),
    "cb_attempt":      (403, 200, 404, 404, 404),
    "cb_complete":     (403, 200, 404, 404, 404),
    "cb_cancel":       (200, 403, 404, 404, 404),  # the requester cancels
}
# fmt: on


@pytest.mark.parametrize(("endpoint", "unit_key", "expected"), api_cases(API_EXPECTED))
def test_api_endpoint(client, matrix_scene, endpoint, unit_key, expected):
    response, key = call_api(client, matrix_scene, API[endpoint], unit_key)
    check_api_response(matrix_scene, endpoint, unit_key, response, key, expected)
