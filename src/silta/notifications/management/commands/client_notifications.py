from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from silta.notifications.tasks import (
    notify_expiring_consents,
    read_delivery_events,
    retry_due_deliveries,
)


class Command(BaseCommand):
    help = (
        "Queue the clients' notifications of consents about to expire (once per consent) "
        "re-queue failed deliveries that are due, and read Suomi.fi Messages' delivery events. "
        "Run daily (or more often) from cron."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for job in (notify_expiring_consents, retry_due_deliveries, read_delivery_events):
            result = job.enqueue()
            self.stdout.write(f"queued task {result.id}")
