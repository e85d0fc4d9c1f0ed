"""Every role x every analytics page, and every unit's API key x every endpoint.

The matrices' world: Kela Itä and Kela Etelä (Kela), Kuopio's two units (the Pohjois-Savo
county) and Vantaa (another county). An organisation's own figures: its managers and
administrators (``ANALYTICS_VIEW``); a region: also everyone who takes part in
cooperation; the list behind a bar: a manager of that unit only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from silta.analytics.scope import organiser_regions
from tests.permissions import (
    Endpoint,
    Row,
    Scene,
    api_cases,
    call_api,
    check_api_response,
    check_web_page,
    get,
    web_cases,
)

pytestmark = pytest.mark.django_db
PERIOD = {"from": "2026-10", "to": "2026-11"}


def _county(scene: Scene) -> dict[str, str]:
    return {"scope": "organisation", "key": str(scene.world.county.public_id), **PERIOD}


def _page(name: str, params: Any, *args: Any) -> Any:
    def build(scene: Scene, _key: str) -> Any:
        values = [a(scene) if callable(a) else a for a in args]
        return get(reverse(f"analytics:{name}", args=values), params(scene))

    return build


def _region(scene: Scene) -> dict[str, str]:
    return {"scope": "region", "key": organiser_regions()["13"], **PERIOD}


# fmt: off
# Columns: Kela Itä processor, advisor, manager, admin | Kuopio worker, counsellor,
# processor, manager, admin | outsiders: Kela Etelä, same county's other unit, other county
# worker, other county manager.
COUNTY = (404, 404, 404, 404,   404, 404, 404, 200, 200,   404, 404, 404, 404)
WEB: dict[str, Row] = {
    "an_dashboard_county": Row(COUNTY, _page("dashboard", _county)),
    "an_dashboard_unit": Row(
        COUNTY,
        _page("dashboard", lambda s: {"scope": "unit", "key": str(s.world.social_unit.public_id)}),
    ),
    # Across organisations (suppressed): whoever sees figures or takes part in cooperation.
    "an_dashboard_region": Row(
        (200, 200, 200, 200,   200, 200, 200, 200, 200,   200, 200, 200, 200),
        _page("dashboard", _region),
    ),
    "an_export_csv": Row(COUNTY, _page("export", _county, "returns_by_reason", "csv")),
    "an_export_xlsx": Row(COUNTY, _page("export", _county, "response_by_unit", "xlsx")),
    "an_thl": Row(
        COUNTY, _page("thl", lambda s: {"year": "2026"}, lambda s: s.world.county.public_id)
    ),
    # The referrals behind a bar: client data, the unit's own manager only.
    "an_drill": Row(
        (404, 404, 404, 404,   404, 404, 404, 200, 404,   404, 404, 404, 404),
        _page("drill", lambda s: {"unit": str(s.world.social_unit.public_id), **PERIOD}),
    ),
    # Bad input is refused before anything is read, for everyone.
    "an_period_too_long": Row(
        (400, 400, 400, 400,   400, 400, 400, 400, 400,   400, 400, 400, 400),
        _page("dashboard", lambda s: {"from": "2019-01", "to": "2026-11"}),
    ),
}
# fmt: on


@pytest.mark.parametrize(("endpoint", "key", "expected"), web_cases(WEB))
def test_web_page(client, matrix_scene, endpoint, key, expected):
    check_web_page(client, matrix_scene, WEB[endpoint], endpoint, key, expected)


@dataclass(frozen=True)
class AnalyticsEndpoint(Endpoint):
    """Query parameters name the county or its region; the path the county and a table."""

    params: str = ""

    def request(self, scene: Scene, unit_key: str) -> tuple[str, str, dict[str, Any]]:
        world = scene.world
        query = {
            "county": {"scope": "organisation", "key": str(world.county.public_id)},
            "region": {"scope": "region", "key": organiser_regions()["13"]},
            "year": {"year": "2026"},
        }.get(self.params, {})
        path = self.path.format(
            table_key="returns_by_reason", organisation_id=world.county.public_id
        )
        return self.method, path, {"data": {**query, "period_from": "2026-10"}}


API: dict[str, Endpoint] = {
    "an_tables": AnalyticsEndpoint("get", "/api/v1/analytics/tables"),
    "an_tables_county": AnalyticsEndpoint("get", "/api/v1/analytics/tables", params="county"),
    "an_tables_region": AnalyticsEndpoint("get", "/api/v1/analytics/tables", params="region"),
    "an_table": AnalyticsEndpoint("get", "/api/v1/analytics/tables/{table_key}", params="county"),
    "an_thl": AnalyticsEndpoint("get", "/api/v1/analytics/thl/{organisation_id}", params="year"),
}

# fmt: off
#                      key of: kela  social kela2 social2 org2
API_EXPECTED: dict[str, tuple[int, ...]] = {
    "an_tables":        (200, 200, 200, 200, 200),  # the key's own organisation
    "an_tables_county": (404, 200, 404, 200, 404),
    "an_tables_region": (200, 200, 200, 200, 200),
    "an_table":         (404, 200, 404, 200, 404),
    "an_thl":           (404, 200, 404, 200, 404),
}
# fmt: on


@pytest.mark.parametrize(("endpoint", "unit_key", "expected"), api_cases(API_EXPECTED))
def test_api_endpoint(client, matrix_scene, endpoint, unit_key, expected):
    response, key = call_api(client, matrix_scene, API[endpoint], unit_key)
    check_api_response(matrix_scene, endpoint, unit_key, response, key, expected)
