"""The delivery job for the background worker (django-tasks, ``manage.py worker``).

``deliver_due`` sends everything due, batch after batch, for at most
``SILTA_WEBHOOK_TASK_SECONDS``; then it queues itself again: at once if more is due, else
for the time the earliest retry is due. ``wake`` queues it unless a run is already
waiting that will start early enough, so a burst of events queues one run, not thousands.

``sweep`` (``manage.py webhooks_sweep``, every few minutes from a timer) queues a run for
pending deliveries that no run is waiting for: those of a process that died between the
commit and its ``wake``, and those leased by a worker that died during a run (its lease
runs out, and the run it would have queued never was).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from silta.webhooks.delivery import Tally, deliver_batch, next_due


@task()
def deliver_due() -> dict[str, int]:
    deadline = time.monotonic() + settings.SILTA_WEBHOOK_TASK_SECONDS
    total = Tally()
    while (done := deliver_batch()) is not None:
        for name, value in dataclasses.asdict(done).items():
            setattr(total, name, getattr(total, name) + value)
        if time.monotonic() > deadline:
            wake()
            return dataclasses.asdict(total)
    later = next_due()
    if later is not None:
        wake(run_after=later)
    return dataclasses.asdict(total)


def sweep() -> dt.datetime | None:
    """Queue a run for the earliest pending delivery, unless one is queued; its due time."""
    due = next_due()
    if due is not None:
        wake(run_after=due if due > timezone.now() else None)
    return due


def wake(run_after: dt.datetime | None = None) -> None:
    """Queue ``deliver_due`` to run now (or at ``run_after``), unless a queued run will."""
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=deliver_due.module_path
    )
    by = run_after or timezone.now()
    if waiting.filter(Q(run_after=get_date_max()) | Q(run_after__lte=by)).exists():
        return
    (deliver_due.using(run_after=run_after) if run_after else deliver_due).enqueue()
