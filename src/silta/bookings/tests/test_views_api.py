"""The pages and the API reach the same outcomes: a taken or past slot is 409 with a
clear translated message (JSON {code, message} in the API, on the form on the page),
nothing changed; the search finds the free slots by area and topic (GET, no client
data); the confirmation downloads as iCalendar."""

from __future__ import annotations

import datetime as dt
import json

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from silta.api_keys.services import api_key_issue
from silta.bookings.models import Booking, Slot
from silta.bookings.tests.scene import book, one_slot, service_point

pytestmark = pytest.mark.django_db


@pytest.fixture
def point(world, settings):
    settings.SILTA_DEMO_SKIP_TOTP = True
    return service_point(world)


def _api(client, world, path, body, language="fi"):
    key = api_key_issue(unit=world.social_unit, name="Kuopio").plaintext
    return client.post(
        path,
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}", "Accept-Language": language},
    )


def test_api_books_once_and_refuses_the_taken_slot_with_409(client, world, point):
    slot, case = one_slot(world), world.open_case()
    body = {"slot_id": str(slot.public_id), "case_id": str(case.public_id)}
    first = _api(client, world, "/api/v1/bookings", body)
    assert first.status_code == 201 and first.json()["status"] == "booked"
    second = _api(client, world, "/api/v1/bookings", body)
    assert second.status_code == 409
    assert second.json()["code"] == "slot_taken" and "varasi" in second.json()["message"]
    assert Booking.objects.count() == 1


def test_api_refuses_a_past_slot_and_bad_series(client, world, point):
    slot, case = one_slot(world), world.open_case()
    Slot.objects.filter(pk=slot.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=2),
        ends_at=timezone.now() - dt.timedelta(hours=1),
    )
    body = {"slot_id": str(slot.public_id), "case_id": str(case.public_id)}
    past = _api(client, world, "/api/v1/bookings", body, language="en")
    assert (past.status_code, past.json()["code"]) == (409, "slot_past")
    assert past.json()["message"] == "This time has already passed."
    bad = _api(
        client,
        world,
        "/api/v1/bookings/slots",
        {
            "topic": "basic_assistance",
            "channel": "video",
            "resource": "A",
            "video_url": "ftp://x",
            "video_platform": "Teams",
            "starts_at": "2030-01-02T10:00",
        },
    )
    assert (bad.status_code, bad.json()["code"]) == (400, "video_url_invalid")
    assert Booking.objects.count() == 0


def test_the_page_shows_why_a_taken_slot_cannot_be_booked(client, world, point):
    slot, case = one_slot(world), world.open_case()
    book(world, slot, case=case)
    client.force_login(world.users["social_counsellor"])
    response = client.post(
        reverse("bookings:book", args=[slot.public_id]),
        {"case_id": str(case.public_id)},
        headers={"Accept-Language": "fi"},
    )
    assert response.status_code == 409
    assert "varasi" in response.content.decode()
    assert Booking.objects.count() == 1


def test_search_finds_the_free_slot_and_the_booking_page_downloads_its_ics(client, world, point):
    slot, taken = one_slot(world), one_slot(world, resource="Palveluneuvoja 2")
    booked = book(world, taken).booking
    client.force_login(world.users["social_worker"])
    query = {"municipality": "297", "topic": "basic_assistance"}
    page = client.get(reverse("bookings:search"), query, headers={"HX-Request": "true"})
    text = page.content.decode()
    assert page.status_code == 200 and 'id="slot-results"' in text and "<html" not in text
    assert reverse("bookings:book", args=[slot.public_id]) in text
    assert reverse("bookings:book", args=[taken.public_id]) not in text
    ics = client.get(reverse("bookings:ics", args=[booked.public_id]))
    event = icalendar.Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert str(event["uid"]) == f"{booked.ical_uid}@silta"
    assert world.clients[0].last_name not in ics.content.decode()


def test_search_without_an_area_is_a_clear_message(client, world, point):
    client.force_login(world.users["social_worker"])
    page = client.get(reverse("bookings:search"), {"topic": "basic_assistance"})
    assert page.status_code == 400


def test_api_search_by_municipality_and_topic(client, world, point):
    slot = one_slot(world)
    key = api_key_issue(unit=world.social_unit, name="Kuopio").plaintext
    headers = {"Authorization": f"Bearer {key}"}
    found = client.get(
        "/api/v1/bookings/slots",
        {"municipalities": ["297"], "topic": "basic_assistance"},
        headers=headers,
    )
    assert found.status_code == 200
    assert [s["id"] for s in found.json()] == [str(slot.public_id)]
    elsewhere = client.get(
        "/api/v1/bookings/slots",
        {"municipalities": ["091"], "topic": "basic_assistance"},
        headers=headers,
    )
    assert elsewhere.json() == []
    bad = client.get("/api/v1/bookings/slots", {"topic": "x"}, headers=headers)
    assert (bad.status_code, bad.json()["code"]) == (400, "topic_required")
