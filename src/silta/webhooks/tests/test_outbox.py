"""The transactional outbox: the event is written in the announcing change's transaction;
a committed change always has its event, a rolled-back one none, and deliveries whose
wake-up was lost (a process that died after the commit) go out on the worker's sweep."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from silta.referrals.models import Referral
from silta.webhooks.models import Delivery, DeliveryStatus, WebhookEvent
from silta.webhooks.tasks import deliver_due
from silta.webhooks.tests.scene import send_referral, subscribe

TYPES = ["referral.sent", "referral.status_changed"]


def _queued() -> int:
    return DBTaskResult.objects.filter(
        task_path=deliver_due.module_path, status=TaskResultStatus.READY
    ).count()


@pytest.mark.django_db
def test_the_event_is_written_in_the_changes_transaction(
    shared_world, django_capture_on_commit_callbacks
):
    subscribe(shared_world, "https://receiver.example/hooks", types=TYPES)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        referral = send_referral(shared_world)
        # Before the commit the event and its delivery are there, in the same transaction.
        event = WebhookEvent.objects.get()
        assert (event.type, event.object_id) == ("referral.sent", referral.public_id)
        assert Delivery.objects.get().status == DeliveryStatus.PENDING
        assert _queued() == 0, "the worker is woken only after the commit"
    assert callbacks, "waking the worker waits for the commit"
    for callback in callbacks:
        callback()
    assert _queued() == 1


@pytest.mark.django_db
def test_a_rolled_back_change_leaves_no_event(shared_world, django_capture_on_commit_callbacks):
    subscribe(shared_world, "https://receiver.example/hooks", types=TYPES)
    before = Referral.objects.count()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        send_referral(shared_world)
        assert WebhookEvent.objects.count() == 1
        raise RuntimeError("the request failed after the write")
    assert Referral.objects.count() == before
    assert not WebhookEvent.objects.exists() and not Delivery.objects.exists()
    assert callbacks == [] and _queued() == 0


@pytest.mark.django_db
def test_a_change_whose_event_cannot_be_written_is_not_made(shared_world, monkeypatch):
    subscribe(shared_world, "https://receiver.example/hooks", types=TYPES)
    before = Referral.objects.count()

    def broken(**fields: object) -> WebhookEvent:
        raise RuntimeError("the outbox table is unavailable")

    monkeypatch.setattr(WebhookEvent.objects, "create", broken)
    with pytest.raises(RuntimeError):
        send_referral(shared_world)
    assert Referral.objects.count() == before
