from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from silta.directory.tasks import remind_stale_unit_owners


class Command(BaseCommand):
    help = (
        "Queue the reminder to owners of directory entries not checked in 90 days "
        "(run daily from cron; the worker sends the e-mails)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = remind_stale_unit_owners.enqueue()
        self.stdout.write(f"queued task {result.id}")
