from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from silta.directory.loaders import load_organisers


class Command(BaseCommand):
    help = (
        "Create (or rename) Kela's customer-service units and the social services organisers "
        "from the loaded municipality classification. Idempotent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_organisers()
        self.stdout.write(
            f"organisers: {result.organisers} ({result.created} new); "
            f"Kela service units: {result.kela_units}"
        )
