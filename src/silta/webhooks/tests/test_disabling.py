"""Repeated failures turn a subscription off and tell the unit's administrators; a 410
Gone does at once; turning it on again delivers what waited."""

from __future__ import annotations

import pytest
from django.core import mail

from silta.webhooks import delivery, services
from silta.webhooks.inputs import SubscriptionInput
from silta.webhooks.models import Delivery, Subscription
from silta.webhooks.tests.scene import act, send_referral, subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _three_strikes(settings, shared_world) -> None:
    settings.SILTA_WEBHOOK_DISABLE_AFTER_FAILURES = 3
    # Everyone has an address: only Kuopio's administrator may get the mail.
    for key, user in shared_world.users.items():
        user.email = f"{key}@example.fi"
        user.save(update_fields=["email"])


def test_repeated_failures_disable_and_email_the_units_administrators(
    shared_world, receiver, django_capture_on_commit_callbacks
):
    sub, secret = subscribe(shared_world, receiver.url, types=["referral.sent"])
    receiver.secrets, receiver.status = [secret], 500
    with django_capture_on_commit_callbacks(execute=True):
        referral = send_referral(shared_world)
    for _ in range(5):
        delivery.deliver_batch()
    sub.refresh_from_db()
    assert (sub.is_active, sub.disabled_reason, sub.consecutive_failures) == (False, "failures", 3)
    assert len(receiver.requests) == 3, "nothing is sent once it is off"
    [sent] = mail.outbox
    assert sent.to == ["social_admin@example.fi"]
    assert receiver.url in sent.body and shared_world.social_unit.name_fi in sent.body
    client = referral.case.client
    assert client.last_name not in sent.body and str(referral.public_id) not in sent.body
    # Turned on again: the failure count starts over and the waiting event goes out.
    receiver.status = 200
    services.subscription_update(
        actor=shared_world.actor("social_admin"),
        subscription=sub,
        data=SubscriptionInput(url=receiver.url, event_types=["referral.sent"]),
    )
    delivery.deliver_batch()
    sub.refresh_from_db()
    assert (sub.is_active, sub.consecutive_failures, sub.disabled_at) == (True, 0, None)
    assert Delivery.objects.get().status == "succeeded" and len(receiver.accepted) == 1


def test_a_success_between_failures_starts_the_count_over(
    shared_world, receiver, django_capture_on_commit_callbacks
):
    sub, secret = subscribe(shared_world, receiver.url, types=["referral.status_changed"])
    receiver.secrets, receiver.status = [secret], 500
    with django_capture_on_commit_callbacks(execute=True):
        referral = send_referral(shared_world)
        act(shared_world, referral, "receive")
    delivery.deliver_batch()
    delivery.deliver_batch()
    receiver.status = 200
    delivery.deliver_batch()
    sub.refresh_from_db()
    assert (sub.is_active, sub.consecutive_failures) == (True, 0)
    assert mail.outbox == []


def test_410_gone_turns_the_subscription_off_at_once(
    shared_world, receiver, django_capture_on_commit_callbacks
):
    sub, secret = subscribe(shared_world, receiver.url, types=["referral.sent"])
    receiver.secrets, receiver.status = [secret], 410
    with django_capture_on_commit_callbacks(execute=True):
        send_referral(shared_world)
    delivery.deliver_batch()
    sub.refresh_from_db()
    assert (sub.is_active, sub.disabled_reason) == (False, "gone")
    assert Delivery.objects.get().status == "failed"
    assert "410" in mail.outbox[0].body


def test_an_inactive_subscription_gets_no_new_events(
    shared_world, receiver, django_capture_on_commit_callbacks
):
    sub, _ = subscribe(shared_world, receiver.url, types=["referral.sent"])
    Subscription.objects.filter(pk=sub.pk).update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        send_referral(shared_world)
    assert not Delivery.objects.exists()
