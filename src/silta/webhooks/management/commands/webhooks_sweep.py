from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from silta.webhooks.tasks import sweep


class Command(BaseCommand):
    help = (
        "Queue a webhook delivery run for pending deliveries no run is waiting for "
        "(run every few minutes from cron; the worker delivers)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        due = sweep()
        self.stdout.write("nothing pending" if due is None else f"pending, due {due.isoformat()}")
