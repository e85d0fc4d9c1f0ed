"""Webhook fan-out: events announced to many subscriptions, delivered by the worker.

``EVENTS`` referral changes are announced (``silta.core.events.publish``, as the services
do) to the units of ``SUBSCRIPTIONS`` subscriptions, so every event goes to every
subscription: EVENTS × SUBSCRIPTIONS signed deliveries. Then ``manage.py worker``'s loop
(``ResilientWorker``, in this process) runs the queued delivery job until nothing is left,
sending to a receiver on loopback in its own process that checks every signature
(``webhook_receiver.py``). Reported: announcing (events/s: the event row and its
deliveries), delivering (events/s and deliveries/s, the issue's measure) and whether every
delivery arrived signed. Everything made is deleted afterwards.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.db import connection
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from silta.core.events import EventType, publish
from silta.core.worker import ResilientWorker
from silta.organisations.models import Unit
from silta.webhooks.models import Delivery, Subscription, WebhookEvent
from silta.webhooks.signing import new_secret
from silta.webhooks.tasks import deliver_due

RECEIVER = Path(__file__).with_name("webhook_receiver.py")


@dataclass(frozen=True)
class FanOut:
    events: int
    subscriptions: int
    announce_seconds: float
    deliver_seconds: float
    received: int
    refused: int
    succeeded: int

    @property
    def deliveries(self) -> int:
        return self.events * self.subscriptions

    @property
    def events_per_second(self) -> float:
        return self.events / self.deliver_seconds


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_receiver(secrets: list[str], folder: Path) -> tuple[subprocess.Popen[str], int]:
    port = _free_port()
    path = folder / "secrets.json"
    path.write_text(json.dumps(secrets))
    process = subprocess.Popen(  # noqa: S603 (this interpreter, our own script)
        [sys.executable, str(RECEIVER), str(port), str(path)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    return process, port


def _counts(port: int) -> dict[str, int]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/count", timeout=10) as answer:
        counts: dict[str, int] = json.loads(answer.read())
    return counts


def _run_worker() -> None:
    ResilientWorker(
        max_backoff=1,
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="bench-webhooks",
        excluded_queue_names=[],
    ).run()


def sizes(scale: float) -> tuple[int, int]:
    """(events, subscriptions): the issue's 10,000 × 100 at full scale, a few at a smoke
    scale; ``BENCH_WEBHOOK_EVENTS`` / ``BENCH_WEBHOOK_SUBSCRIPTIONS`` override them."""
    events = 10_000 if scale >= 1 else max(20, round(10_000 * scale))
    subscriptions = 100 if scale >= 1 else 10
    return (
        int(os.environ.get("BENCH_WEBHOOK_EVENTS", events)),
        int(os.environ.get("BENCH_WEBHOOK_SUBSCRIPTIONS", subscriptions)),
    )


def measure(events: int = 10_000, subscriptions: int = 100) -> FanOut:
    units = list(Unit.objects.order_by("pk").values_list("pk", flat=True)[:subscriptions])
    if not units:
        raise RuntimeError("the data set has no units to subscribe")
    secrets = [new_secret() for _ in range(subscriptions)]
    with (
        tempfile.TemporaryDirectory() as tmp,
        override_settings(SILTA_WEBHOOK_ALLOW_LOOPBACK=True, SILTA_WEBHOOK_TASK_SECONDS=3600),
    ):
        receiver, port = _start_receiver(secrets, Path(tmp))
        made = Subscription.objects.bulk_create(
            Subscription(
                unit_id=units[i % len(units)],
                url=f"http://127.0.0.1:{port}/s/{i}",
                event_types=[EventType.REFERRAL_STATUS_CHANGED],
                secret=secret,
            )
            for i, secret in enumerate(secrets)
        )
        try:
            started = time.perf_counter()
            for _ in range(events):
                publish(EventType.REFERRAL_STATUS_CHANGED, units, "referral", uuid.uuid4())
            announced = time.perf_counter() - started
            _analyze()
            started = time.perf_counter()
            _run_worker()
            delivered = time.perf_counter() - started
            counts = _counts(port)
            succeeded = Delivery.objects.filter(subscription__in=made, status="succeeded").count()
        finally:
            receiver.terminate()
            receiver.wait()
            _clean(made)
    return FanOut(
        events, subscriptions, announced, delivered, counts["ok"], counts["bad"], succeeded
    )


def _analyze() -> None:
    """Fresh statistics for the million new deliveries, as autovacuum would have gathered
    while they were announced (it is off on the bench server): with the table's statistics
    from before (a few rows), the delivery claim plans a scan of every pending delivery,
    6.5 s a batch, instead of the due index in order, 19 ms."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE webhooks_delivery")


def _clean(made: list[Subscription]) -> None:
    events = WebhookEvent.objects.filter(deliveries__subscription__in=made).distinct()
    event_ids = list(events.values_list("pk", flat=True))
    Subscription.objects.filter(pk__in=[s.pk for s in made]).delete()
    WebhookEvent.objects.filter(pk__in=event_ids).delete()
    DBTaskResult.objects.filter(task_path=deliver_due.module_path).delete()


def report_lines(fan: FanOut) -> list[str]:
    ok = (
        "every delivery arrived, signature checked"
        if fan.received == fan.deliveries
        else (f"MISSING: {fan.deliveries - fan.received} not received, {fan.refused} refused")
    )
    return [
        "## Webhook fan-out (worker to a loopback receiver)",
        f"- {fan.events:,} events × {fan.subscriptions} subscriptions = {fan.deliveries:,} "
        f"signed deliveries; {ok}",
        f"- announcing (event and delivery rows): {fan.announce_seconds:.1f} s "
        f"({fan.events / fan.announce_seconds:,.0f} events/s)",
        f"- delivering by the worker: {fan.deliver_seconds:.1f} s "
        f"({fan.events_per_second:,.1f} events/s, "
        f"{fan.deliveries / fan.deliver_seconds:,.0f} deliveries/s)",
    ]
