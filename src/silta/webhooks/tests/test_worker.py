"""End to end through the background worker: committed changes queue one delivery run,
``manage.py worker``'s loop runs it, a failure queues the retry for later."""

from __future__ import annotations

import pytest
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from silta.core.worker import ResilientWorker
from silta.webhooks.models import Delivery
from silta.webhooks.tasks import deliver_due
from silta.webhooks.tests.scene import act, send_referral, subscribe
from tests.factories import build_world

# Real commits: the events are recorded after the commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


def run_worker() -> None:
    ResilientWorker(
        max_backoff=1,
        sleep=lambda _s: None,
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="webhook-test",
        excluded_queue_names=[],
    ).run()


def test_the_worker_delivers_committed_changes_and_schedules_retries(receiver, settings):
    settings.SILTA_WEBHOOK_RETRY_BASE_SECONDS = 3600
    world = build_world()
    _, secret = subscribe(world, receiver.url)
    receiver.secrets = [secret]
    referral = send_referral(world)
    act(world, referral, "receive")
    runs = DBTaskResult.objects.filter(task_path=deliver_due.module_path)
    assert runs.count() == 1, "one run is queued for the three events, not three"
    run_worker()
    assert sorted(r.payload["type"] for r in receiver.accepted) == [
        "message.created",
        "referral.sent",
        "referral.status_changed",
    ]
    assert runs.get().status == TaskResultStatus.SUCCESSFUL
    # The receiver fails: the retry is queued for when it is due, not run at once.
    receiver.status = 503
    act(world, referral, "accept")
    run_worker()
    waiting = Delivery.objects.get(status="pending")
    assert waiting.attempts == 1 and waiting.last_status_code == 503
    later = runs.filter(status=TaskResultStatus.READY).get()
    assert waiting.next_attempt_at is not None and later.run_after >= waiting.next_attempt_at
