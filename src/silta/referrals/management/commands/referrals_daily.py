from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from silta.referrals.tasks import escalate_silent_referrals, send_daily_digests


class Command(BaseCommand):
    help = (
        "Queue the referral tasks: silence escalation (run hourly on working days) and, "
        "with --digest, the daily digest. The worker (manage.py worker) runs them."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--digest", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        queued: list[Any] = [escalate_silent_referrals.enqueue()]
        if options["digest"]:
            queued.append(send_daily_digests.enqueue())
        self.stdout.write("queued " + ", ".join(str(r.id) for r in queued))
