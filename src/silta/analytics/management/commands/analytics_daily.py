from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from silta.analytics.daily import aggregates_build, aggregates_refresh
from silta.analytics.tasks import analytics_refresh


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {text}") from None


class Command(BaseCommand):
    help = (
        "The daily handoff aggregates of the figures: yesterday, any missed day and the "
        "days made stale (run daily); --from FIRST --to LAST rebuilds a range (up to "
        "yesterday); --queue leaves the daily refresh to the worker."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--from", dest="first", metavar="YYYY-MM-DD")
        parser.add_argument("--to", dest="last", metavar="YYYY-MM-DD")
        parser.add_argument("--queue", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["queue"]:
            self.stdout.write(f"queued {analytics_refresh.enqueue().id}")
            return
        if options["first"] or options["last"]:
            if not (options["first"] and options["last"]):
                raise CommandError("give both --from and --to")
            days = aggregates_build(_day(options["first"]), _day(options["last"]))
        else:
            days = aggregates_refresh()
        self.stdout.write(f"{days} days written")
