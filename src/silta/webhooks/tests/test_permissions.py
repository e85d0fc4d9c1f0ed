"""Every unit's API key × every webhook endpoint.

Kuopio (the scene's social unit) has a subscription with one finished delivery; a key
manages only its own unit's subscriptions: Kuopio's key gets them, every other key the
same 404 as for a missing one (one "denied" audit row). Listing and creating act on the
key's own unit, so every key may.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from silta.api_keys.services import api_key_issue
from silta.webhooks.models import Delivery, Subscription, WebhookEvent
from tests.permissions import Endpoint, Scene, api_cases, call_api, check_api_response

pytestmark = pytest.mark.django_db

URL = "https://hooks.example.fi/silta"


def subscription(scene: Scene) -> Subscription:
    """Kuopio's subscription, made once per test (the scene is a copy)."""
    made: dict[str, Subscription] = scene.__dict__.setdefault("_webhooks", {})
    if "sub" not in made:
        sub = Subscription.objects.create(
            unit=scene.world.social_unit, url=URL, event_types=["referral.sent"], secret="whsec_x"
        )
        event = WebhookEvent.objects.create(
            type="referral.sent",
            object_type="referral",
            object_id=scene.referral("requested").public_id,
            occurred_at=timezone.now(),
        )
        Delivery.objects.create(
            subscription=sub,
            event=event,
            object_id=event.object_id,
            occurred_at=event.occurred_at,
            status="succeeded",
            attempts=1,
        )
        made["sub"] = sub
    return made["sub"]


@dataclass(frozen=True)
class WebhookEndpoint(Endpoint):
    def request(self, scene: Scene, unit_key: str) -> tuple[str, str, dict[str, Any]]:
        path = self.path
        if "{subscription_id}" in path:
            sub = subscription(scene)
            path = path.format(
                subscription_id=sub.public_id, delivery_id=sub.deliveries.get().public_id
            )
        if self.body is None:
            return self.method, path, {}
        body = json.dumps(self.body(scene, unit_key))
        return self.method, path, {"data": body, "content_type": "application/json"}


def _body(_scene: Scene, _key: str) -> dict[str, Any]:
    return {"url": URL, "event_types": ["referral.sent", "message.created"]}


BASE = "/api/v1/webhooks/subscriptions"
ONE = BASE + "/{subscription_id}"
API: dict[str, Endpoint] = {
    "wh_event_types": WebhookEndpoint("get", "/api/v1/webhooks/event-types"),
    "wh_list": WebhookEndpoint("get", BASE),
    "wh_create": WebhookEndpoint("post", BASE, body=_body),
    "wh_detail": WebhookEndpoint("get", ONE),
    "wh_update": WebhookEndpoint("put", ONE, body=_body),
    "wh_delete": WebhookEndpoint("delete", ONE),
    "wh_rotate": WebhookEndpoint("post", ONE + "/rotate-secret"),
    "wh_deliveries": WebhookEndpoint("get", ONE + "/deliveries"),
    "wh_replay": WebhookEndpoint("post", ONE + "/deliveries/{delivery_id}/replay"),
}

# fmt: off
#                 key of: kela social kela2 social2 org2
API_EXPECTED: dict[str, tuple[int, ...]] = {
    "wh_event_types": (200, 200, 200, 200, 200),
    "wh_list":        (200, 200, 200, 200, 200),
    "wh_create":      (201, 201, 201, 201, 201),  # for the key's own unit
    "wh_detail":      (404, 200, 404, 404, 404),
    "wh_update":      (404, 200, 404, 404, 404),
    "wh_delete":      (404, 204, 404, 404, 404),
    "wh_rotate":      (404, 200, 404, 404, 404),
    "wh_deliveries":  (404, 200, 404, 404, 404),
    "wh_replay":      (404, 202, 404, 404, 404),
}
# fmt: on


@pytest.mark.parametrize(("endpoint", "unit_key", "expected"), api_cases(API_EXPECTED))
def test_api_endpoint(client, matrix_scene, settings, endpoint, unit_key, expected):
    settings.SILTA_WEBHOOK_ALLOW_LOOPBACK = False
    response, key = call_api(client, matrix_scene, API[endpoint], unit_key)
    check_api_response(matrix_scene, endpoint, unit_key, response, key, expected)


def test_a_key_without_the_webhooks_scope_can_only_read(client, matrix_scene):
    """Changing needs the scope: 403 scope_missing, nothing changed; reading does not."""
    issued = api_key_issue(unit=matrix_scene.world.social_unit, name="reader", scopes=["referrals"])
    headers = {"Authorization": f"Bearer {issued.plaintext}"}
    sub = subscription(matrix_scene)
    rotate = client.post(f"{BASE}/{sub.public_id}/rotate-secret", headers=headers)
    assert (rotate.status_code, rotate.json()["code"]) == (403, "scope_missing")
    sub.refresh_from_db()
    assert sub.secret == "whsec_x" and not sub.previous_secret
    assert client.get(f"{BASE}/{sub.public_id}", headers=headers).status_code == 200
