"""The worker's sweep: deliveries whose wake-up was lost (a process that died between the
commit and waking the worker) or whose worker died mid-run (after its lease) go out.

Real commits, in a module of their own (no module-wide transaction around them)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from silta.webhooks import delivery, outbox
from silta.webhooks.models import Delivery, DeliveryStatus, WebhookEvent
from silta.webhooks.tests.scene import act, send_referral, subscribe
from silta.webhooks.tests.test_outbox import TYPES, _queued
from silta.webhooks.tests.test_worker import run_worker
from tests.factories import build_world


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
