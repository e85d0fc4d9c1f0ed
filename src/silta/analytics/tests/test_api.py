"""The API gives the pages' tables as JSON: the same figures, the same suppression, and
bad input as a JSON error in the request's language with nothing changed."""

from __future__ import annotations

import pytest

from silta.api_keys.services import api_key_issue
from silta.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _get(client, unit, path, **params):
    key = api_key_issue(unit=unit, name="system").plaintext
    return client.get(
        f"/api/v1/analytics/{path}",
        params,
        headers={"Authorization": f"Bearer {key}", "Accept-Language": "en"},
    )


def test_the_county_tables_as_json(client, world, data):
    response = _get(
        client,
        world.social_unit,
        "tables/returns_by_reason",
        period_from="2026-10",
        period_to="2026-11",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["scope"]["kind"] == "organisation" and not body["scope"]["suppressed"]
    (table,) = body["tables"]
    assert table["rows"][0] == ["The expense belongs to basic assistance (Kela)", 2]


def test_the_whole_country_hides_small_counts(client, world, data):
    response = _get(
        client,
        world.kela_unit,
        "tables",
        scope="national",
        period_from="2026-10",
        period_to="2026-11",
        section="handoffs",
    )
    body = response.json()
    assert body["scope"]["suppressed"]
    by_month = next(t for t in body["tables"] if t["key"] == "handoffs_by_month")
    assert by_month["rows"][1][1:] == ["<5", "<5", "<5", 0, 6]


def test_bad_period_is_a_translated_json_error(client, world, data):
    before = AuditEvent.objects.count()
    response = _get(client, world.social_unit, "tables", period_from="2026-11", period_to="2026-01")
    assert response.status_code == 400
    assert response.json() == {
        "code": "period_reversed",
        "message": "The period ends before it starts: choose an end month after the start month.",
        "field": "to",
    }
    assert AuditEvent.objects.count() == before


def test_thl_table(client, world, data):
    response = _get(client, world.social_unit, f"thl/{world.county.public_id}", year=2026)
    assert response.status_code == 200
    rows = response.json()["rows"]
    assert [r[0] for r in rows] == ["2026-04"] * 3 + ["2026-10"] * 3
