"""The manager's report picks its month with <input type="month"> (period=YYYY-MM)."""

from __future__ import annotations

import pytest

from tests.factories import browser_client

pytestmark = pytest.mark.django_db


def test_month_picker_chooses_the_month(world, settings) -> None:
    settings.SILTA_DEMO_SKIP_TOTP = True
    path = f"/units/{world.social_unit.public_id}/referrals/report/"
    manager = browser_client("en")
    manager.force_login(world.users["social_manager"])
    page = manager.get(path, {"period": "2026-03"}).content.decode()
    assert 'type="month" value="2026-03"' in page
    assert "3/2026" in page
    assert 'name="year"' not in page  # no free-text year and month any more
    csv = manager.get(path, {"period": "2026-03", "format": "csv"})
    assert "silta-referrals-2026-03.csv" in csv["Content-Disposition"]


def test_a_malformed_month_shows_the_current_one(world, settings) -> None:
    settings.SILTA_DEMO_SKIP_TOTP = True
    path = f"/units/{world.social_unit.public_id}/referrals/report/"
    manager = browser_client("en")
    manager.force_login(world.users["social_manager"])
    assert manager.get(path, {"period": "2026-13"}).status_code == 200
    assert manager.get(path, {"period": "x-y"}).status_code == 200
