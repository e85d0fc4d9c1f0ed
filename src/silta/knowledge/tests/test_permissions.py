"""Every role x every guide and bulletin page, and every unit's API key x every endpoint.

The knowledge scene (``scene``): Kela owns the starter guide; "rent" v2 is in review by
Kuopio's social worker, "rent-deposit" v2 a Kela draft, "moving-costs" v2 reviewed; Kela
Itä's manager published a bulletin to the Pohjois-Savo county (Kuopio and its other
unit receive it; Vantaa is not concerned). Administrators read no guide or bulletins.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from silta.knowledge.tests.scene import BULLETIN_ID, FILE_ID
from tests.factories import pdf
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


def _guide(name: str, *args: Any, data: dict[str, str] | None = None, method: Any = get) -> Any:
    return lambda _s, _key: method(reverse(f"knowledge:{name}", args=list(args)), data)


def _bulletin(name: str, *extra: Any, method: Any = get, data: Any = None) -> Any:
    def build(scene: Scene, _key: str) -> Any:
        args = [BULLETIN_ID, *(e(scene) if callable(e) else e for e in extra)]
        return method(reverse(f"knowledge:{name}", args=args), data)

    return build


def _review_request(scene: Scene, _key: str) -> Any:
    reviewer = str(scene.world.users["social_worker"].public_id)
    path = reverse("knowledge:review_request", args=["rent-deposit", 2])
    return post(path, {"reviewer": reviewer})


# fmt: off
# Columns: Kela Itä processor, advisor, manager, admin | Kuopio worker, counsellor,
# processor, manager, admin | outsiders: Kela Etelä, same county's other unit, other county
# worker, other county manager.
WEB: dict[str, Row] = {
    "kn_guide": Row(
        (200, 200, 200, 404,   200, 200, 200, 200, 404,   200, 200, 200, 200),
        _guide("guide"),
    ),
    "kn_entry": Row(
        (200, 200, 200, 404,   200, 200, 200, 200, 404,   200, 200, 200, 200),
        _guide("entry", "rent-deposit"),
    ),
    # The referral and message forms' hint, and a recorded kind's link to its entry.
    "kn_hint": Row(
        (200, 200, 200, 404,   200, 200, 200, 200, 404,   200, 200, 200, 200),
        _guide("hint", data={"expense_kind": "rent-deposit"}),
    ),
    "kn_by_kind": Row(
        (302, 302, 302, 404,   302, 302, 302, 302, 404,   302, 302, 302, 302),
        _guide("by_kind", "rent-deposit"),
    ),
    "kn_version_demo": Row(
        (200, 200, 200, 404,   200, 200, 200, 200, 404,   200, 200, 200, 200),
        _guide("version", "rent-deposit", 1),
    ),
    # A draft: the owner's editors and publishers only.
    "kn_version_draft": Row(
        (200, 404, 200, 404,   404, 404, 404, 404, 404,   200, 404, 404, 404),
        _guide("version", "rent-deposit", 2),
    ),
    # In review: and the named reviewer.
    "kn_version_in_review": Row(
        (200, 404, 200, 404,   200, 404, 404, 404, 404,   200, 404, 404, 404),
        _guide("version", "rent", 2),
    ),
    "kn_draft_new": Row(
        (200, 403, 200, 404,   403, 403, 403, 403, 404,   200, 403, 403, 403),
        _guide("draft_new", "eyeglasses"),
    ),
    "kn_draft_edit": Row(
        (200, 404, 200, 404,   404, 404, 404, 404, 404,   200, 404, 404, 404),
        _guide("draft_edit", "rent-deposit", 2),
    ),
    "kn_review_request": Row(
        (302, 404, 302, 404,   404, 404, 404, 404, 404,   302, 404, 404, 404),
        _review_request,
    ),
    # Only the named reviewer approves.
    "kn_review": Row(
        (403, 404, 403, 404,   302, 404, 404, 404, 404,   403, 404, 404, 404),
        _guide("review", "rent", 2, data={"kind": "approve"}, method=post),
    ),
    # Only an owner publishes.
    "kn_publish": Row(
        (403, 404, 302, 404,   403, 404, 404, 404, 404,   403, 404, 404, 404),
        _guide("publish", "moving-costs", 2, method=post),
    ),
    # Local variants are the organisers'.
    "kn_variant_new": Row(
        (403, 403, 403, 404,   302, 302, 302, 302, 404,   403, 302, 302, 302),
        _guide("variant_new", "rent-deposit", method=post),
    ),
    "kn_bulletins": Row(
        (200, 200, 200, 404,   200, 200, 200, 200, 404,   200, 200, 200, 200),
        _guide("bulletins"),
    ),
    "kn_bulletin_new": Row(
        (403, 403, 200, 403,   403, 403, 403, 200, 403,   403, 403, 403, 200),
        _guide("bulletin_new"),
    ),
    "kn_bulletin": Row(
        (200, 200, 200, 404,   200, 200, 200, 200, 404,   200, 200, 404, 404),
        _bulletin("bulletin"),
    ),
    # Kela's side is told it does not acknowledge its own bulletin (a message, 302).
    "kn_bulletin_ack": Row(
        (302, 302, 302, 404,   302, 302, 302, 302, 404,   302, 302, 404, 404),
        _bulletin("bulletin_ack", method=post),
    ),
    "kn_bulletin_post": Row(
        (302, 302, 302, 404,   302, 302, 302, 302, 404,   302, 302, 404, 404),
        _bulletin("bulletin_post", method=post, data={"body": "Kysymys"}),
    ),
    # A unit's own affected items: client data of Kuopio's case workers.
    "kn_bulletin_impact": Row(
        (404, 404, 404, 404,   200, 200, 200, 200, 404,   404, 404, 404, 404),
        _bulletin("bulletin_impact", lambda s: s.world.social_unit.public_id),
    ),
    "kn_bulletin_file": Row(
        (200, 200, 200, 404,   200, 200, 200, 200, 404,   200, 200, 404, 404),
        _bulletin("bulletin_file", FILE_ID),
    ),
}
# fmt: on


@pytest.mark.parametrize(("endpoint", "key", "expected"), web_cases(WEB))
def test_web_page(client, knowledge_scene, matrix_scene, endpoint, key, expected):
    check_web_page(client, matrix_scene, WEB[endpoint], endpoint, key, expected)


# --- the API -----------------------------------------------------------------------------


@dataclass(frozen=True)
class KnowledgeEndpoint(Endpoint):
    """Paths name the guide entry by slug and the scene's bulletin by its fixed id."""

    # The body's fields as multipart form fields, with a PDF as ``files``.
    multipart: bool = False

    def request(self, scene: Scene, unit_key: str) -> tuple[str, str, dict[str, Any]]:
        concrete = self.path.format(slug="rent-deposit", bulletin_id=BULLETIN_ID, file_id=FILE_ID)
        if self.multipart and self.body is not None:
            return self.method, concrete, {"data": {**self.body(scene, unit_key), "files": pdf()}}
        method, _path, kwargs = Endpoint(self.method, "/", self.body, self.form).request(
            scene, unit_key
        )
        return method, concrete, kwargs


def _publish_body(scene: Scene, unit_key: str) -> dict[str, Any]:
    world = scene.world
    other = world.county if getattr(world, unit_key).is_kela else world.kela
    return {
        "title": "Ohjemuutos",
        "summary": "Tiivistelmä",
        "what_changes": "Mikä muuttuu",
        "effective_date": "2030-01-01",
        "expense_kinds": ["rent"],
        "organisations": [str(other.public_id)],
    }


API: dict[str, Endpoint] = {
    "kn_guide": KnowledgeEndpoint("get", "/api/v1/knowledge/guide"),
    "kn_entry": KnowledgeEndpoint("get", "/api/v1/knowledge/guide/{slug}"),
    "kn_bulletins": KnowledgeEndpoint("get", "/api/v1/knowledge/bulletins"),
    "kn_publish": KnowledgeEndpoint("post", "/api/v1/knowledge/bulletins", body=_publish_body),
    "kn_bulletin": KnowledgeEndpoint("get", "/api/v1/knowledge/bulletins/{bulletin_id}"),
    "kn_ack": KnowledgeEndpoint("post", "/api/v1/knowledge/bulletins/{bulletin_id}/acknowledge"),
    "kn_impact": KnowledgeEndpoint("get", "/api/v1/knowledge/bulletins/{bulletin_id}/impact"),
    "kn_publish_files": KnowledgeEndpoint(
        "post", "/api/v1/knowledge/bulletins/with-files", body=_publish_body, multipart=True
    ),
    "kn_file": KnowledgeEndpoint(
        "get", "/api/v1/knowledge/bulletins/{bulletin_id}/attachments/{file_id}"
    ),
}

# fmt: off
#                  key of: kela  social kela2 social2 org2
API_EXPECTED: dict[str, tuple[int, ...]] = {
    "kn_guide":        (200, 200, 200, 200, 200),
    "kn_entry":        (200, 200, 200, 200, 200),
    "kn_bulletins":    (200, 200, 200, 200, 200),
    "kn_publish":      (201, 201, 201, 201, 201),
    "kn_bulletin":     (200, 200, 200, 200, 404),  # Vantaa is not concerned
    "kn_ack":          (400, 200, 400, 200, 404),  # Kela does not acknowledge its own
    "kn_impact":       (200, 200, 200, 200, 404),
    "kn_publish_files": (201, 201, 201, 201, 201),
    "kn_file":         (200, 200, 200, 200, 404),
}
# fmt: on


@pytest.mark.parametrize(("endpoint", "unit_key", "expected"), api_cases(API_EXPECTED))
def test_api_endpoint(client, knowledge_scene, matrix_scene, endpoint, unit_key, expected):
    response, key = call_api(client, matrix_scene, API[endpoint], unit_key)
    check_api_response(matrix_scene, endpoint, unit_key, response, key, expected)
