"""The admin: a unit's administrator sees and manages only their unit's subscriptions,
through the services (the secret is shown once), and replays deliveries; others see none."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from silta.audit.models import AuditEvent
from silta.webhooks.models import Delivery, Subscription, WebhookEvent

pytestmark = pytest.mark.django_db
URL = "https://hooks.example.fi/silta"


@pytest.fixture
def admin_client(client, shared_world):
    for key in ("social_admin", "social_worker"):
        user = shared_world.users[key]
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    client.force_login(shared_world.users["social_admin"])
    return client


def _subscription(unit, status: str = "failed") -> Subscription:
    sub = Subscription.objects.create(unit=unit, url=URL, event_types=["referral.sent"], secret="s")
    event = WebhookEvent.objects.create(
        type="referral.sent",
        object_type="referral",
        object_id="00000000-0000-4000-8000-000000000001",
        occurred_at=timezone.now(),
    )
    Delivery.objects.create(
        subscription=sub,
        event=event,
        object_id=event.object_id,
        occurred_at=event.occurred_at,
        status=status,
        attempts=10,
    )
    return sub


def test_the_administrator_sees_only_their_units_subscriptions(admin_client, shared_world):
    own = _subscription(shared_world.social_unit)
    _subscription(shared_world.kela_unit)
    page = admin_client.get(reverse("admin:webhooks_subscription_changelist"))
    assert page.status_code == 200
    assert list(page.context["cl"].queryset) == [own]
    deliveries = admin_client.get(reverse("admin:webhooks_delivery_changelist"))
    assert [d.subscription for d in deliveries.context["cl"].queryset] == [own]


def test_adding_goes_through_the_service_and_shows_the_secret_once(admin_client, shared_world):
    response = admin_client.post(
        reverse("admin:webhooks_subscription_add"),
        {
            "unit": shared_world.social_unit.pk,
            "url": URL,
            "description": "Kuopion järjestelmä",
            "event_types": ["referral.sent", "meeting.changed"],
            "is_active": "on",
        },
        follow=True,
    )
    assert response.status_code == 200
    sub = Subscription.objects.get()
    shown = [str(m) for m in response.context["messages"]]
    assert any(sub.secret in m for m in shown)
    assert sub.event_types == ["referral.sent", "meeting.changed"]
    assert AuditEvent.objects.filter(action="create", object_type="subscription").count() == 1


def test_another_units_unit_cannot_be_chosen(admin_client, shared_world):
    response = admin_client.post(
        reverse("admin:webhooks_subscription_add"),
        {"unit": shared_world.kela_unit.pk, "url": URL, "event_types": ["referral.sent"]},
    )
    assert response.status_code == 200 and "unit" in response.context["adminform"].form.errors
    assert not Subscription.objects.exists()


def test_replaying_the_given_up_deliveries(admin_client, shared_world):
    sub = _subscription(shared_world.social_unit)
    admin_client.post(
        reverse("admin:webhooks_subscription_changelist"),
        {"action": "replay_failed", "_selected_action": [sub.pk]},
    )
    found = Delivery.objects.get()
    assert (found.status, found.attempts, found.replays) == ("pending", 0, 1)


def test_a_worker_without_the_permission_sees_no_webhooks(client, admin_client, shared_world):
    client.force_login(shared_world.users["social_worker"])
    assert client.get(reverse("admin:webhooks_subscription_changelist")).status_code == 403
