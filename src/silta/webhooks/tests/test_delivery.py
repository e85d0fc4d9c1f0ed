"""Deliveries to a real HTTP receiver on loopback: what is sent and signed, retries with
the same id, order per object, a receiver that is down for a while, and giving up."""

from __future__ import annotations

import json

import pytest
from standardwebhooks import Webhook

from silta.webhooks import delivery
from silta.webhooks.models import Attempt, Delivery, DeliveryStatus, WebhookEvent
from silta.webhooks.tests.scene import act, send_referral, subscribe

pytestmark = pytest.mark.django_db


def drain(rounds: int = 1) -> None:
    """Run the worker's batch step ``rounds`` times (each sends whatever is due)."""
    for _ in range(rounds):
        delivery.deliver_batch()


def test_a_referral_is_announced_signed_with_ids_only(
    shared_world, receiver, django_capture_on_commit_callbacks
):
    _, secret = subscribe(shared_world, receiver.url)
    receiver.secrets = [secret]
    with django_capture_on_commit_callbacks(execute=True):
        referral = send_referral(shared_world)
    drain()
    got = {r.payload["type"]: r for r in receiver.accepted}
    assert set(got) == {"message.created", "referral.sent"}
    sent = got["referral.sent"]
    # The payload: the event's id, type and time, the object's type and public id; nothing else.
    assert set(sent.payload) == {"id", "type", "timestamp", "data"}
    assert sent.payload["data"] == {"object_type": "referral", "object_id": str(referral.public_id)}
    assert sent.headers["webhook-id"] == sent.payload["id"]
    assert sent.headers["webhook-signature"].startswith("v1,")
    # The specification's own library verifies it too.
    assert Webhook(secret).verify(sent.body, sent.headers)["type"] == "referral.sent"
    # Never client data: no name, identity code or text of the referral, in body or headers.
    client = referral.case.client
    for r in receiver.requests:
        text = r.body.decode() + json.dumps(r.headers)
        for secret_text in (
            client.identity_code,
            client.last_name,
            client.first_names,
            "Häätöuhka",
        ):
            assert secret_text not in text
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SUCCEEDED}
    log = Attempt.objects.get(delivery__event__type="referral.sent")
    assert (log.number, log.status_code, log.succeeded) == (1, 200, True)
    assert log.latency_ms >= 0


def test_only_subscribed_types_and_units_get_events(
    shared_world, receiver, django_capture_on_commit_callbacks
):
    _, secret = subscribe(shared_world, receiver.url, types=["referral.status_changed"])
    receiver.secrets = [secret]
    with django_capture_on_commit_callbacks(execute=True):
        referral = send_referral(shared_world)
    assert not WebhookEvent.objects.exists(), "no subscription asked for these: nothing kept"
    with django_capture_on_commit_callbacks(execute=True):
        act(shared_world, referral, "receive")
    drain()
    assert [r.payload["type"] for r in receiver.accepted] == ["referral.status_changed"]


def test_a_failed_delivery_is_retried_with_the_same_id(
    shared_world, receiver, django_capture_on_commit_callbacks
):
    _, secret = subscribe(shared_world, receiver.url, types=["referral.sent"])
    receiver.secrets = [secret]
    receiver.status = 500
    with django_capture_on_commit_callbacks(execute=True):
        send_referral(shared_world)
    drain(2)
    receiver.status = 204
    drain()
    ids = {r.headers["webhook-id"] for r in receiver.requests}
    assert len(receiver.requests) == 3 and len(ids) == 1
    assert len(receiver.accepted) == 1
    found = Delivery.objects.get()
    assert (found.status, found.attempts, found.last_status_code) == ("succeeded", 3, 204)
    log = list(found.log.values_list("number", "status_code", "succeeded", "error"))
    assert log == [(1, 500, False, "HTTP 500"), (2, 500, False, "HTTP 500"), (3, 204, True, "")]


def test_backoff_grows_exponentially_and_honours_retry_after(settings):
    settings.SILTA_WEBHOOK_RETRY_BASE_SECONDS = 5
    delays = [delivery.backoff(n).total_seconds() for n in (1, 2, 3, 4)]
    for delay, expected in zip(delays, (5, 20, 80, 320), strict=True):
        assert expected * 0.8 <= delay <= expected * 1.2
    assert delivery.backoff(1, retry_after=120).total_seconds() == 120
    assert delivery.backoff(30).total_seconds() == delivery.MAX_DELAY_SECONDS


def test_an_objects_events_arrive_in_order(
    shared_world, receiver, django_capture_on_commit_callbacks
):
    """Event N+1 of a referral waits until N has succeeded, even when N needed retries."""
    _, secret = subscribe(shared_world, receiver.url, types=["referral.status_changed"])
    receiver.secrets = [secret]
    with django_capture_on_commit_callbacks(execute=True):
        referral = send_referral(shared_world)
        referral = act(shared_world, referral, "receive")
        referral = act(shared_world, referral, "accept")
        act(shared_world, referral, "start")
    receiver.status = 503
    drain(3)
    # Only the first event was tried: the later ones wait behind it.
    assert len({r.headers["webhook-id"] for r in receiver.requests}) == 1
    receiver.status = 200
    drain(4)
    events = WebhookEvent.objects.order_by("occurred_at")
    assert [r.headers["webhook-id"] for r in receiver.accepted] == [e.webhook_id for e in events]


def test_a_given_up_event_lets_the_next_one_go(
    shared_world, receiver, settings, django_capture_on_commit_callbacks
):
    settings.SILTA_WEBHOOK_MAX_ATTEMPTS = 2
    _, secret = subscribe(shared_world, receiver.url, types=["referral.status_changed"])
    receiver.secrets = [secret]
    with django_capture_on_commit_callbacks(execute=True):
        referral = send_referral(shared_world)
        referral = act(shared_world, referral, "receive")
        act(shared_world, referral, "accept")
    receiver.status = 500
    drain(2)
    first, second = Delivery.objects.order_by("occurred_at")
    first.refresh_from_db()
    assert (first.status, first.attempts) == ("failed", 2)
    receiver.status = 200
    drain()
    second.refresh_from_db()
    assert second.status == "succeeded"


def test_a_receiver_down_for_a_while_gets_everything_when_back(
    shared_world, receiver, django_capture_on_commit_callbacks
):
    _, secret = subscribe(shared_world, receiver.url)
    receiver.secrets = [secret]
    receiver.stop()  # connection refused
    with django_capture_on_commit_callbacks(execute=True):
        referral = send_referral(shared_world)
        act(shared_world, referral, "receive")
    drain(3)
    pending = Delivery.objects.filter(status="pending")
    assert pending.count() == 3
    tried = [d for d in pending if d.attempts]
    # The message and the referral were tried; the referral's next event waits behind it.
    assert len(tried) == 2 and all("ConnectionRefused" in d.last_error for d in tried)
    receiver.start()  # the same port again
    drain(3)
    assert Delivery.objects.filter(status="succeeded").count() == 3
    assert sorted(r.payload["type"] for r in receiver.accepted) == [
        "message.created",
        "referral.sent",
        "referral.status_changed",
    ]
