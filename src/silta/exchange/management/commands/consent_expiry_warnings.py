from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from silta.exchange.consent_expiry import warn_expiring_consents


class Command(BaseCommand):
    help = (
        "Queue the warning to the case workers of consents about to expire "
        "(SILTA_CONSENT_EXPIRY_WARNING_DAYS working days ahead; once per consent). Run daily "
        "from cron; the worker sends the e-mails."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = warn_expiring_consents.enqueue()
        self.stdout.write(f"queued task {result.id}")
