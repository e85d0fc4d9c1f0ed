"""The API a receiving system uses: subscribe, read the log, replay, rotate; bad input is a
clear error and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from silta.api_keys.services import api_key_issue
from silta.audit.models import AuditEvent
from silta.webhooks import delivery
from silta.webhooks.models import Subscription
from silta.webhooks.tests.scene import send_referral

pytestmark = pytest.mark.django_db
BASE = "/api/v1/webhooks/subscriptions"


@pytest.fixture
def api(client, shared_world) -> Any:
    key = api_key_issue(unit=shared_world.social_unit, name="Kuopion asiakastietojärjestelmä")
    headers = {"Authorization": f"Bearer {key.plaintext}", "Accept-Language": "fi"}

    def call(method: str, path: str, body: Any = None) -> Any:
        kwargs: dict[str, Any] = {"headers": headers}
        if body is not None:
            kwargs.update(data=body, content_type="application/json")
        return getattr(client, method)(path, **kwargs)

    return call


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        (
            {"url": "http://hooks.example.fi/", "event_types": ["referral.sent"]},
            "url_not_https",
            "url",
        ),
        (
            {"url": "https://10.0.0.5/hook", "event_types": ["referral.sent"]},
            "url_not_allowed",
            "url",
        ),
        (
            {"url": "https://127.0.0.1/hook", "event_types": ["referral.sent"]},
            "url_not_allowed",
            "url",
        ),
        (
            {"url": "https://u:p@hooks.example.fi/", "event_types": ["referral.sent"]},
            "url_invalid",
            "url",
        ),
        ({"url": "hooks.example.fi", "event_types": ["referral.sent"]}, "url_invalid", "url"),
        (
            {"url": "https://hooks.example.fi/", "event_types": ["referral.eaten"]},
            "event_type_unknown",
            "event_types",
        ),
    ],
)
def test_bad_input_is_refused_in_finnish_and_nothing_is_saved(api, settings, body, code, field):
    settings.SILTA_WEBHOOK_ALLOW_LOOPBACK = False
    response = api("post", BASE, body)
    assert response.status_code == 400, response.content
    assert (response.json()["code"], response.json()["field"]) == (code, field)
    assert response.json()["message"] and "address" not in response.json()["message"]
    assert not Subscription.objects.exists()


def test_subscribe_receive_read_the_log_and_replay(
    api, shared_world, receiver, django_capture_on_commit_callbacks
):
    created = api("post", BASE, {"url": receiver.url, "event_types": ["referral.sent"]})
    assert created.status_code == 201, created.content
    sub = created.json()
    assert sub["secret"].startswith("whsec_") and sub["unit_id"] == str(
        shared_world.social_unit.public_id
    )
    assert "secret" not in api("get", f"{BASE}/{sub['id']}").json()
    assert [s["id"] for s in api("get", BASE).json()] == [sub["id"]]
    assert AuditEvent.objects.filter(action="create", object_type="subscription").exists()
    receiver.secrets = [sub["secret"]]
    with django_capture_on_commit_callbacks(execute=True):
        send_referral(shared_world)
    delivery.deliver_batch()
    log = api("get", f"{BASE}/{sub['id']}/deliveries").json()["items"]
    assert [(d["status"], d["attempts"], d["last_status_code"]) for d in log] == [
        ("succeeded", 1, 200)
    ]
    assert log[0]["log"][0]["succeeded"] and log[0]["log"][0]["latency_ms"] >= 0
    assert api("get", f"{BASE}/{sub['id']}/deliveries?status=pending").json()["items"] == []
    replayed = api("post", f"{BASE}/{sub['id']}/deliveries/{log[0]['id']}/replay")
    assert replayed.status_code == 202 and replayed.json()["status"] == "pending"
    delivery.deliver_batch()
    first, again = receiver.accepted
    assert first.headers["webhook-id"] == again.headers["webhook-id"] == log[0]["webhook_id"]
    log = api("get", f"{BASE}/{sub['id']}/deliveries").json()["items"]
    assert [a["replay"] for a in log[0]["log"]] == [False, True]


def test_a_pending_delivery_cannot_be_replayed(
    api, shared_world, receiver, django_capture_on_commit_callbacks
):
    sub = api("post", BASE, {"url": receiver.url, "event_types": ["referral.sent"]}).json()
    with django_capture_on_commit_callbacks(execute=True):
        send_referral(shared_world)
    [pending] = api("get", f"{BASE}/{sub['id']}/deliveries").json()["items"]
    response = api("post", f"{BASE}/{sub['id']}/deliveries/{pending['id']}/replay")
    assert (response.status_code, response.json()["code"]) == (409, "delivery_pending")


def test_rotate_update_and_delete(api, receiver):
    sub = api("post", BASE, {"url": receiver.url, "event_types": ["referral.sent"]}).json()
    rotated = api("post", f"{BASE}/{sub['id']}/rotate-secret").json()
    assert rotated["secret"] != sub["secret"] and rotated["previous_secret_valid_until"]
    changed = api(
        "put",
        f"{BASE}/{sub['id']}",
        {"url": receiver.url, "event_types": ["meeting.changed"], "is_active": False},
    ).json()
    assert (changed["event_types"], changed["is_active"]) == (["meeting.changed"], False)
    assert api("delete", f"{BASE}/{sub['id']}").status_code == 204
    assert api("get", f"{BASE}/{sub['id']}").status_code == 404
    assert {e["type"] for e in api("get", "/api/v1/webhooks/event-types").json()} >= {
        "referral.status_changed",
        "booking.changed",
        "consent.revoked",
    }
