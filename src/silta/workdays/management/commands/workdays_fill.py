from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from silta.workdays.table import calendar_ensure, calendar_fill
from silta.workdays.tasks import calendar_extend


class Command(BaseCommand):
    help = (
        "Fill the working-day calendar table from the calendar module: the missing years "
        "from ten back to five ahead, or --years FIRST LAST rewritten; --queue leaves it to "
        "the worker."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--years", nargs=2, type=int, metavar=("FIRST", "LAST"))
        parser.add_argument("--queue", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["queue"]:
            self.stdout.write(f"queued {calendar_extend.enqueue().id}")
            return
        years = options["years"]
        days = calendar_fill(*years) if years else calendar_ensure()
        self.stdout.write(f"{days} days written")
