from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from silta.core.fieldcrypto import rotate_all


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted database field with SILTA_FIELD_KEY (after a key change, "
        "with the old key in SILTA_FIELD_KEYS_OLD; then the old key can be dropped)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"re-encrypted {rotate_all()} rows")
