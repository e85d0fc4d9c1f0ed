"""Every unit's API key x the working-day calendar: it holds no client data, so every key
may count. The scene is in ``tests.permissions``."""

from __future__ import annotations

import pytest

from tests.permissions import Endpoint, api_cases, call_api, check_api_response

pytestmark = pytest.mark.django_db

API: dict[str, Endpoint] = {
    "cal_due_date": Endpoint(
        "get", "/api/v1/calendar/due-date", form={"start": "2025-12-05", "working_days": "7"}
    ),
    "cal_working_days": Endpoint(
        "get", "/api/v1/calendar/working-days", form={"from": "2025-12-01", "to": "2025-12-31"}
    ),
}

# fmt: off
#                  key of: kela  social kela2 social2 org2
API_EXPECTED: dict[str, tuple[int, ...]] = {
    "cal_due_date":    (200, 200, 200, 200, 200),
    "cal_working_days": (200, 200, 200, 200, 200),
}
# fmt: on


@pytest.mark.parametrize(("endpoint", "unit_key", "expected"), api_cases(API_EXPECTED))
def test_api_endpoint(client, matrix_scene, endpoint, unit_key, expected):
    response, key = call_api(client, matrix_scene, API[endpoint], unit_key)
    check_api_response(matrix_scene, endpoint, unit_key, response, key, expected)
