from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from silta.reference.loaders import (
    DEFAULT_FILE,
    DEFAULT_YEAR,
    KELA_AREAS_FILE,
    load_kela_service_areas,
    load_municipalities,
    read_rows,
)
from silta.reference.models import KelaServiceArea, Municipality


class Command(BaseCommand):
    help = "Load (or reload) the municipality classification from a CSV file. Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
        parser.add_argument("--year", type=int, default=DEFAULT_YEAR)
        parser.add_argument("--kela-areas", type=Path, default=KELA_AREAS_FILE)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rows = read_rows(options["file"])
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        result = load_municipalities(rows, year=options["year"], model=Municipality)
        try:
            linked = load_kela_service_areas(
                options["kela_areas"], area_model=KelaServiceArea, municipality_model=Municipality
            )
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"municipalities: {result.created} created, {result.updated} updated, "
            f"{result.retired} retired; {linked} linked to Kela service areas"
        )
