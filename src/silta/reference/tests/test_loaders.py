"""The municipality classification: shipped data, idempotent reloads, mergers."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.management import call_command

from silta.reference.loaders import DEFAULT_FILE, load_municipalities, read_rows
from silta.reference.models import Municipality

pytestmark = pytest.mark.django_db


def test_all_municipalities_are_loaded_by_migration() -> None:
    assert Municipality.objects.count() == 308
    kuopio = Municipality.objects.get(code="297")
    assert (kuopio.name_fi, kuopio.organiser_code, kuopio.is_aland) == ("Kuopio", "13", False)
    assert Municipality.objects.get(code="091").organiser_code == "90"  # City of Helsinki
    assert Municipality.objects.filter(is_aland=True).count() == 16
    assert Municipality.objects.get(code="478").organiser_code == "91"


def test_every_municipality_has_exactly_one_organiser() -> None:
    codes = set(Municipality.objects.values_list("organiser_code", flat=True))
    expected = {f"{n:02d}" for n in range(1, 22)} | {"90", "91"}
    assert codes == expected


def test_reload_is_idempotent() -> None:
    result = load_municipalities(read_rows(DEFAULT_FILE), year=2025, model=Municipality)
    assert (result.created, result.updated, result.retired) == (0, 308, 0)
    assert Municipality.objects.count() == 308


def test_next_year_merger_keeps_references(tmp_path: Path, world) -> None:
    # Pretend Siilinjärvi (749) merges into Kuopio in 2026, and a client lives there.
    from tests.factories import make_client

    client = make_client(90, municipality="749")
    with DEFAULT_FILE.open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["municipality_code"] != "749"]
    target = tmp_path / "municipalities_2026.csv"
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0].keys()))
        writer.writeheader()
        writer.writerows(rows)
    call_command("load_municipalities", file=target, year=2026)
    retired = Municipality.objects.get(code="749")
    assert not retired.is_current
    client.refresh_from_db()
    assert client.municipality_id == "749"
    assert Municipality.objects.filter(is_current=True).count() == 307
    assert Municipality.objects.get(code="297").classification_year == 2026


def test_malformed_file_changes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("municipality_code,name_fi\n12,X\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing columns"):
        read_rows(bad)
    assert Municipality.objects.count() == 308
