"""The transactional outbox: the event is written in the announcing change's transaction;
a committed change always has its event, a rolled-back one none, and deliveries whose
wake-up was lost (a process that died after the commit) go out on the worker's sweep."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from silta.referrals.models import Referral
from silta.webhooks import delivery, outbox
from silta.webhooks.models import Delivery, DeliveryStatus, WebhookEvent
from silta.webhooks.tasks import deliver_due
from silta.webhooks.tests.scene import act, send_referral, subscribe
from silta.webhooks.tests.test_worker import run_worker
from tests.factories import build_world

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


@pytest.mark.django_db(transaction=True)
def test_events_of_a_process_that_died_after_the_commit_go_out_on_the_sweep(receiver, monkeypatch):
    world = build_world()
    _, secret = subscribe(world, receiver.url, types=TYPES)
    receiver.secrets = [secret]
    # The process dies between the commit and waking the worker: no run is queued.
    monkeypatch.setattr(outbox, "wake", lambda: None)
    referral = send_referral(world)
    assert WebhookEvent.objects.filter(object_id=referral.public_id).count() == 1
    assert _queued() == 0
    run_worker()
    assert receiver.accepted == []
    call_command("webhooks_sweep", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _queued() == 1
    run_worker()
    assert [r.payload["type"] for r in receiver.accepted] == ["referral.sent"]
    assert Delivery.objects.get().status == DeliveryStatus.SUCCEEDED


@pytest.mark.django_db(transaction=True)
def test_deliveries_of_a_worker_that_died_mid_run_go_out_after_the_lease(receiver):
    world = build_world()
    _, secret = subscribe(world, receiver.url, types=TYPES)
    receiver.secrets = [secret]
    referral = send_referral(world)
    act(world, referral, "receive")
    DBTaskResult.objects.all().delete()
    # A worker claims (leases) the deliveries and dies before sending them.
    claimed = delivery._claim(timezone.now(), 500)
    assert len(claimed) == 1, "the object's second event waits for its first"
    leased_until = Delivery.objects.get(pk=claimed[0].pk).next_attempt_at
    assert leased_until is not None and leased_until > timezone.now()
    # The sweep queues a run for when the lease runs out, not before.
    assert call_command("webhooks_sweep", stdout=open("/dev/null", "w")) is None  # noqa: SIM115
    waiting = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert waiting.run_after == leased_until
    run_worker()
    assert receiver.accepted == []
    # The lease has run out: the next sweep's run delivers both, in order.
    Delivery.objects.filter(pk=claimed[0].pk).update(
        next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
    )
    call_command("webhooks_sweep", stdout=open("/dev/null", "w"))  # noqa: SIM115
    run_worker()
    assert [r.payload["type"] for r in receiver.accepted] == [
        "referral.sent",
        "referral.status_changed",
    ]
