"""The calendar API: other systems count working days the same way Silta does."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from silta.api_keys.services import api_key_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def http(world) -> HttpClient:
    issued = api_key_issue(unit=world.social_unit, name="CMS")
    return HttpClient(HTTP_AUTHORIZATION=f"Bearer {issued.plaintext}", HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        ("2026-12-23", 7, "2027-01-07"),  # over Christmas, New Year and Epiphany
        ("2026-12-23", 1, "2026-12-28"),
        ("2026-04-02", 7, "2026-04-15"),  # Easter
        ("2026-06-18", 1, "2026-06-22"),  # Midsummer Eve
        ("2026-10-30", 7, "2026-11-10"),  # All Saints' Day on a Saturday: no effect
        ("2026-11-23", 0, "2026-11-23"),
        ("2026-02-02", 7, "2026-02-11"),  # DOMAIN.md §3
        # Arrivals on a non-working day: the arrival day is never counted, and the first
        # working day after it is working day 1 (not moved to Monday first).
        ("2027-03-06", 7, "2027-03-16"),  # Saturday: the same as Friday 5.3.2027
        ("2027-03-07", 7, "2027-03-16"),  # Sunday
        ("2027-01-06", 7, "2027-01-15"),  # Epiphany on a Wednesday
        ("2026-12-24", 7, "2027-01-07"),  # Christmas Eve
        ("2027-06-25", 7, "2027-07-06"),  # Midsummer Eve
        ("2027-12-03", 7, "2027-12-15"),  # the eve of the Independence Day long weekend
        ("2026-11-21", 1, "2026-11-23"),  # urgent (14 b §): Saturday -> Monday
    ],
)
def test_due_date(http, start: str, n: int, due: str) -> None:
    response = http.get("/api/v1/calendar/due-date", {"start": start, "working_days": n})
    assert response.status_code == 200
    assert response.json() == {
        "start": start,
        "working_days": n,
        "due_date": due,
        "due_is_working_day": True,
    }


def test_zero_working_days_is_the_start_day_itself(http) -> None:
    response = http.get("/api/v1/calendar/due-date", {"start": "2026-11-21", "working_days": 0})
    assert response.json() == {
        "start": "2026-11-21",
        "working_days": 0,
        "due_date": "2026-11-21",
        "due_is_working_day": False,
    }


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("due-date", {"start": "9999-12-30", "working_days": 7}),
        ("due-date", {"start": "9999-12-31", "working_days": 3660}),
        ("due-date", {"start": "0001-01-01", "working_days": 1}),
        ("due-date", {"start": "1852-12-31", "working_days": 0}),
        ("working-days", {"from": "9999-12-01", "to": "9999-12-31"}),
        ("working-days", {"from": "0001-01-01", "to": "0001-02-01"}),
    ],
)
def test_dates_out_of_range_are_a_400_json_error(http, path: str, params: dict) -> None:
    response = http.get(f"/api/v1/calendar/{path}", params)
    if params.get("from") == "9999-12-01":
        assert response.status_code == 200  # within the calendar: counted
        return
    assert response.status_code == 400
    assert response.json()["code"] == "date_out_of_range"
    assert "31.12.9999" in response.json()["message"]


def test_range_errors_speak_the_request_language(world) -> None:
    issued = api_key_issue(unit=world.social_unit, name="CMS")
    key = f"Bearer {issued.plaintext}"
    cases: list[tuple[str, dict[str, str | int]]] = [
        ("due-date", {"start": "2026-12-23", "working_days": 9999}),
        ("working-days", {"from": "2000-01-01", "to": "2030-01-01"}),
        ("due-date", {"start": "9999-12-30", "working_days": 7}),
    ]
    for path, params in cases:
        answers = {
            language: HttpClient(HTTP_AUTHORIZATION=key, HTTP_ACCEPT_LANGUAGE=language)
            .get(f"/api/v1/calendar/{path}", params)
            .json()["message"]
            for language in ("fi", "sv", "en")
        }
        assert len(set(answers.values())) == 3, answers


def test_openapi_documents_the_counting_and_limits(client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    due = schema["paths"]["/api/v1/calendar/due-date"]["get"]
    assert "never counted" in due["description"]
    limits = next(p for p in due["parameters"] if p["name"] == "working_days")["schema"]
    assert (limits["minimum"], limits["maximum"]) == (0, 3660)
    span = schema["paths"]["/api/v1/calendar/working-days"]["get"]["description"]
    assert "(`from`, `to`]" in span and "Negative" in span


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        ("2026-12-23", "2027-01-07", 7),
        ("2027-01-07", "2026-12-23", -7),
        ("2026-12-23", "2026-12-23", 0),
        ("2026-12-23", "2026-12-27", 0),  # 24-27 Dec: holidays and a weekend
        ("2026-10-26", "2026-11-02", 5),
        ("2026-03-02", "2026-03-20", 14),
    ],
)
def test_working_days_between(http, start: str, end: str, count: int) -> None:
    response = http.get("/api/v1/calendar/working-days", {"from": start, "to": end})
    assert response.status_code == 200
    assert response.json() == {"start": start, "end": end, "working_days": count}


@pytest.mark.parametrize(
    ("path", "params", "status", "code"),
    [
        ("due-date", {"start": "2026-12-23", "working_days": -1}, 400, "working_days_range"),
        ("due-date", {"start": "2026-12-23", "working_days": 3661}, 400, "working_days_range"),
        ("due-date", {"start": "2026-13-01", "working_days": 7}, 422, "invalid_request"),
        ("due-date", {"start": "2026-12-23", "working_days": "seven"}, 422, "invalid_request"),
        ("due-date", {"start": "2026-12-23"}, 422, "invalid_request"),
        ("due-date", {"working_days": 7}, 422, "invalid_request"),
        ("working-days", {"from": "2020-01-01", "to": "2031-01-01"}, 400, "range_too_long"),
        ("working-days", {"from": "2026-02-30", "to": "2026-03-01"}, 422, "invalid_request"),
        ("working-days", {"from": "2026-01-01"}, 422, "invalid_request"),
        ("working-days", {"start": "2026-01-01", "to": "2026-02-01"}, 422, "invalid_request"),
    ],
)
def test_bad_input_is_refused_with_a_code(http, path, params, status: int, code: str) -> None:
    response = http.get(f"/api/v1/calendar/{path}", params)
    assert response.status_code == status
    assert response.json()["code"] == code


def test_largest_allowed_values_work(http) -> None:
    response = http.get("/api/v1/calendar/due-date", {"start": "2026-01-01", "working_days": 3660})
    assert response.status_code == 200 and response.json()["due_is_working_day"] is True
    span = http.get("/api/v1/calendar/working-days", {"from": "2026-01-01", "to": "2036-01-08"})
    assert span.status_code == 200


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("due-date", {"start": "2026-12-23", "working_days": 7}),
        ("working-days", {"from": "2026-12-23", "to": "2027-01-07"}),
    ],
)
def test_a_key_is_required(world, path: str, params: dict[str, str]) -> None:
    response = HttpClient().get(f"/api/v1/calendar/{path}", params)
    assert response.status_code == 401 and response.json()["code"] == "unauthorized"
    bad = HttpClient(HTTP_AUTHORIZATION="Bearer silta_abc_def")
    assert bad.get(f"/api/v1/calendar/{path}", params).status_code == 401
