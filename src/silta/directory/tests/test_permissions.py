"""Every role x every directory page, and every unit's API key x every directory endpoint.

The directory is for every signed-in staff member; only the unit's owners (here the
Kuopio manager) edit its entry. The scene is in ``tests.permissions``.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from silta.organisations.models import Unit
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


def _unit(scene: Scene) -> list[Any]:
    return [scene.world.social_unit.public_id]


def _channel(scene: Scene) -> list[Any]:
    return [*_unit(scene), scene.channel.public_id]


def _version(scene: Scene) -> dict[str, int]:
    return {"version": Unit.objects.get(pk=scene.world.social_unit.pk).version}


# fmt: off
# Columns: Kela Itä processor, advisor, manager, admin | Kuopio worker, counsellor,
# processor, manager, admin | outsiders: Kela Etelä, same county's other unit, other county
# worker, other county manager.
WEB: dict[str, Row] = {
    "dir_search": Row(
        (200, 200, 200, 200,   200, 200, 200, 200, 200,   200, 200, 200, 200),
        lambda s, _key: get(reverse("directory:search"), {"q": "kuopio"}),
    ),
    "dir_route": Row(
        (200, 200, 200, 200,   200, 200, 200, 200, 200,   200, 200, 200, 200),
        lambda s, _key: get(
            reverse("directory:route"), {"municipality": "297", "topic": "social_assistance"}
        ),
    ),
    "dir_unit": Row(
        (200, 200, 200, 200,   200, 200, 200, 200, 200,   200, 200, 200, 200),
        lambda s, _key: get(reverse("directory:unit", args=_unit(s))),
    ),
    "dir_about": Row(
        (200, 200, 200, 200,   200, 200, 200, 200, 200,   200, 200, 200, 200),
        lambda s, _key: get(reverse("directory:about")),
    ),
    "dir_verify": Row(
        (403, 403, 403, 403,   403, 403, 403, 302, 403,   403, 403, 403, 403),
        lambda s, _key: post(reverse("directory:verify", args=_unit(s)), _version(s)),
    ),
    "dir_unit_edit": Row(
        (403, 403, 403, 403,   403, 403, 403, 200, 403,   403, 403, 403, 403),
        lambda s, _key: get(reverse("directory:unit_edit", args=_unit(s))),
    ),
    "dir_channel_new": Row(
        (403, 403, 403, 403,   403, 403, 403, 200, 403,   403, 403, 403, 403),
        lambda s, _key: get(reverse("directory:channel_new", args=_unit(s))),
    ),
    "dir_channel_edit": Row(
        (403, 403, 403, 403,   403, 403, 403, 200, 403,   403, 403, 403, 403),
        lambda s, _key: get(reverse("directory:channel_edit", args=_channel(s))),
    ),
    "dir_channel_delete": Row(
        (403, 403, 403, 403,   403, 403, 403, 302, 403,   403, 403, 403, 403),
        lambda s, _key: post(reverse("directory:channel_delete", args=_channel(s)), _version(s)),
    ),
}
# fmt: on


@pytest.mark.parametrize(("endpoint", "key", "expected"), web_cases(WEB))
def test_web_page(client, matrix_scene, endpoint, key, expected):
    check_web_page(client, matrix_scene, WEB[endpoint], endpoint, key, expected)


# --- the API -----------------------------------------------------------------------------

API: dict[str, Endpoint] = {
    "dir_units": Endpoint("get", "/api/v1/directory/units", form={"q": "kuopio"}),
    "dir_unit": Endpoint("get", "/api/v1/directory/units/{unit_id}"),
    "dir_route": Endpoint(
        "get",
        "/api/v1/directory/route",
        form={"municipality": "297", "topic": "social_assistance"},
    ),
    "dir_hsds": Endpoint("get", "/api/v1/directory/hsds"),
}

# fmt: off
#                  key of: kela  social kela2 social2 org2
API_EXPECTED: dict[str, tuple[int, ...]] = {
    "dir_units":       (200, 200, 200, 200, 200),
    "dir_unit":        (200, 200, 200, 200, 200),
    "dir_route":       (200, 200, 200, 200, 200),
    "dir_hsds":        (200, 200, 200, 200, 200),
}
# fmt: on


@pytest.mark.parametrize(("endpoint", "unit_key", "expected"), api_cases(API_EXPECTED))
def test_api_endpoint(client, matrix_scene, endpoint, unit_key, expected):
    response, key = call_api(client, matrix_scene, API[endpoint], unit_key)
    check_api_response(matrix_scene, endpoint, unit_key, response, key, expected)
