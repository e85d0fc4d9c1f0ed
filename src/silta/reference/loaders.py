"""Idempotent loader for the municipality classification.

Loading next year's file updates names and organisers, adds new municipalities and marks
those no longer listed (merged) as not current, without deleting them: clients keep
their references.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_FILE = DATA_DIR / "municipalities_2025.csv"
DEFAULT_YEAR = 2025
REQUIRED_COLUMNS = {
    "municipality_code",
    "name_fi",
    "name_sv",
    "wellbeing_county_code",
    "wellbeing_county_name_fi",
    "wellbeing_county_name_sv",
    "is_aland",
}


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    retired: int


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = REQUIRED_COLUMNS - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"missing columns: {', '.join(sorted(missing))}")
        rows = list(reader)
    for number, row in enumerate(rows, start=2):
        code = row["municipality_code"]
        if len(code) != 3 or not code.isdigit():
            raise ValueError(f"line {number}: bad municipality code {code!r}")
    return rows


def load_municipalities(rows: Iterable[dict[str, str]], *, year: int, model: Any) -> LoadResult:
    """Apply one classification year; all or nothing."""
    created = updated = 0
    seen: set[str] = set()
    with transaction.atomic():
        for row in rows:
            code = row["municipality_code"]
            seen.add(code)
            _obj, was_created = model.objects.update_or_create(
                code=code,
                defaults={
                    "name_fi": row["name_fi"],
                    "name_sv": row["name_sv"],
                    "organiser_code": row["wellbeing_county_code"],
                    "organiser_name_fi": row["wellbeing_county_name_fi"],
                    "organiser_name_sv": row["wellbeing_county_name_sv"],
                    "is_aland": row["is_aland"].strip().lower() == "true",
                    "classification_year": year,
                    "is_current": True,
                },
            )
            created += was_created
            updated += not was_created
        retired = (
            model.objects.exclude(code__in=seen).filter(is_current=True).update(is_current=False)
        )
    return LoadResult(created=created, updated=updated, retired=retired)


KELA_AREAS_FILE = DATA_DIR / "kela_service_areas_2026.csv"
KELA_COLUMNS = {
    "municipality_code",
    "kela_service_area_code",
    "kela_service_area_fi",
    "kela_service_area_sv",
    "kela_service_area_en",
}


def load_kela_service_areas(path: Path, *, area_model: Any, municipality_model: Any) -> int:
    """Upsert Kela's service areas and link each municipality to its area; all or nothing.

    Returns the number of municipalities linked. Unknown municipality codes are an error.
    """
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = KELA_COLUMNS - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"missing columns: {', '.join(sorted(missing))}")
        rows = list(reader)
    linked = 0
    with transaction.atomic():
        for number, row in enumerate(rows, start=2):
            area, _ = area_model.objects.update_or_create(
                code=row["kela_service_area_code"],
                defaults={
                    "name_fi": row["kela_service_area_fi"],
                    "name_sv": row["kela_service_area_sv"],
                    "name_en": row["kela_service_area_en"],
                },
            )
            updated = municipality_model.objects.filter(code=row["municipality_code"]).update(
                kela_service_area=area
            )
            if not updated:
                raise ValueError(f"line {number}: unknown municipality {row['municipality_code']}")
            linked += updated
    return linked
