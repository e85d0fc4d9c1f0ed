from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from silta.directory.hsds import export_directory


class Command(BaseCommand):
    help = "Write the directory as Open Referral HSDS 3.0 JSON (a list of organizations)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", default="-", help="file name, or - for stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        text = json.dumps(export_directory(), ensure_ascii=False, indent=1)
        if options["output"] == "-":
            self.stdout.write(text)
        else:
            with open(options["output"], "w", encoding="utf-8") as handle:
                handle.write(text)
