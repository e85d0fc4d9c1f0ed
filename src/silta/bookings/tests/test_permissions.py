"""Every role x every booking page, and every unit's API key x every booking endpoint.

Kela Itä (a party of the scene's shared case) publishes phone slots; Kuopio's social
worker books one for the case's client. Publishing and searching are open to every
worker who arranges meetings (administrators: 403); booking needs a party of the case of
the other organisation (Kela itself: 400, the same organisation); a booking is seen by
the booking and the serving unit only (everyone else 404); the booking unit rebooks, the
serving unit records a no-show, either cancels.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from silta.bookings import services, slots
from silta.bookings.inputs import BookInput, PublishInput
from silta.bookings.models import Booking, Slot
from silta.bookings.tests.scene import at, working_day
from tests.permissions import (
    Endpoint,
    Row,
    Scene,
    api_cases,
    call_api,
    check_api_response,
    check_web_page,
    get,
    post,
    web_cases,
)

pytestmark = pytest.mark.django_db


def _publish_data(hour: int, resource: str = "Palveluneuvoja") -> dict[str, Any]:
    return {
        "topic": "basic_assistance",
        "channel": "phone",
        "resource": resource,
        "duration_minutes": 30,
        "starts_at": at(working_day(), hour).isoformat(),
    }


def slot(scene: Scene, n: int = 0) -> Slot:
    """Kela Itä's slot ``n`` (made once per test: the scene is a copy)."""
    made = scene.__dict__.setdefault("_slots", {})
    if n not in made:
        data = PublishInput.model_validate(_publish_data(9 + n))
        made[n] = slots.slots_publish(actor=scene.world.actor("kela_processor"), data=data)[0]
    return made[n]


def booking(scene: Scene, state: str = "booked") -> Booking:
    made = scene.__dict__.setdefault("_bookings", {})
    if state not in made:
        booked = services.booking_create(
            actor=scene.world.actor("social_worker"),
            case=scene.case,
            slot=slot(scene, 0 if state == "booked" else 2),
            data=BookInput(),
        ).booking
        if state == "begun":
            begun = timezone.now() - dt.timedelta(minutes=5)
            Slot.objects.filter(pk=booked.slot_id).update(
                starts_at=begun, ends_at=begun + dt.timedelta(minutes=30)
            )
        made[state] = booked
    return made[state]


def _page(name: str, state: str = "booked", data: Any = None) -> Any:
    def build(scene: Scene, _key: str) -> Any:
        path = reverse(f"bookings:{name}", args=[booking(scene, state).public_id])
        body = data(scene) if callable(data) else data
        return post(path, body) if data is not None else get(path)

    return build


def _book(method: str) -> Any:
    def build(scene: Scene, _key: str) -> Any:
        path = reverse("bookings:book", args=[slot(scene).public_id])
        if method == "get":
            return get(path)
        return post(path, {"case_id": str(scene.case.public_id)})

    return build


SEARCH = {"municipality": "297", "topic": "basic_assistance"}
PUBLISH = {
    "topic": "basic_assistance",
    "channel": "phone",
    "resource": "Neuvoja",
    "duration_minutes": "30",
    "first_day": working_day().isoformat(),
    "last_day": working_day().isoformat(),
    "day_start": "12:00",
    "day_end": "13:00",
    "every_minutes": "30",
}
STAFF = (200, 200, 200, 403, 200, 200, 200, 200, 403, 200, 200, 200, 200)
STAFF_POSTS = (302, 302, 302, 403, 302, 302, 302, 302, 403, 302, 302, 302, 302)
PARTIES = (200, 200, 200, 404, 200, 200, 200, 200, 404, 404, 404, 404, 404)
PARTY_POSTS = (302, 302, 302, 404, 302, 302, 302, 302, 404, 404, 404, 404, 404)

# fmt: off
# Columns: Kela Itä processor, advisor, manager, admin | Kuopio worker, counsellor,
# processor, manager, admin | outsiders: Kela Etelä, same county's other unit, other county
# worker, other county manager.
WEB: dict[str, Row] = {
    "b_index": Row(STAFF, lambda s, _k: get(reverse("bookings:index"))),
    "b_publish": Row(STAFF, lambda s, _k: get(reverse("bookings:publish"))),
    "b_publish_post": Row(STAFF_POSTS, lambda s, _k: post(reverse("bookings:publish"), PUBLISH)),
    "b_search": Row(STAFF, lambda s, _k: get(reverse("bookings:search"), SEARCH)),
    "b_book": Row(STAFF, _book("get")),
    # Kela Itä's own slot: Kela cannot book it for a client (400, the same organisation).
    "b_book_post": Row((400, 400, 400, 403, 302, 302, 302, 302, 403, 404, 404, 404, 404),
                       _book("post")),
    "b_detail": Row(PARTIES, _page("detail")),
    "b_ics": Row(PARTIES, _page("ics")),
    "b_cancel": Row(PARTY_POSTS, _page("cancel", data={"reason": "Sairastuminen"})),
    "b_rebook": Row((403, 403, 403, 404, 302, 302, 302, 302, 404, 404, 404, 404, 404),
                    _page("rebook", data=lambda s: {"slot_id": str(slot(s, 1).public_id)})),
    "b_no_show": Row((302, 302, 302, 404, 403, 403, 403, 403, 404, 404, 404, 404, 404),
                     _page("no_show", "begun", data={})),
}
# fmt: on


@pytest.mark.parametrize(("endpoint", "key", "expected"), web_cases(WEB))
def test_web_page(client, matrix_scene, endpoint, key, expected):
    check_web_page(client, matrix_scene, WEB[endpoint], endpoint, key, expected)


# --- the API -----------------------------------------------------------------------------


@dataclass(frozen=True)
class BookingEndpoint(Endpoint):
    """An endpoint naming the scene's booking (in ``state``), or with a query."""

    state: str = "booked"
    query: dict[str, str] | None = None

    def request(self, scene: Scene, unit_key: str) -> tuple[str, str, dict[str, Any]]:
        path = self.path
        if "{booking_id}" in path:
            path = path.format(booking_id=booking(scene, self.state).public_id)
        if self.query is not None:
            return self.method, path, {"data": self.query}
        if self.body is None:
            return self.method, path, {}
        body = json.dumps(self.body(scene, unit_key))
        return self.method, path, {"data": body, "content_type": "application/json"}


def _book_body(scene: Scene, _key: str) -> dict[str, Any]:
    return {"slot_id": str(slot(scene).public_id), "case_id": str(scene.case.public_id)}


API: dict[str, Endpoint] = {
    "b_publish": BookingEndpoint(
        "post", "/api/v1/bookings/slots", body=lambda s, _k: _publish_data(14, "Rajapinta")
    ),
    "b_search": BookingEndpoint(
        "get",
        "/api/v1/bookings/slots",
        query={"municipalities": "297", "topic": "basic_assistance"},
    ),
    "b_book": BookingEndpoint("post", "/api/v1/bookings", body=_book_body),
    "b_list": BookingEndpoint("get", "/api/v1/bookings"),
    "b_detail": BookingEndpoint("get", "/api/v1/bookings/{booking_id}"),
    "b_rebook": BookingEndpoint(
        "post",
        "/api/v1/bookings/{booking_id}/rebook",
        body=lambda s, _k: {"slot_id": str(slot(s, 1).public_id)},
    ),
    "b_cancel": BookingEndpoint(
        "post", "/api/v1/bookings/{booking_id}/cancel", body=lambda s, _k: {"reason": "Sairas"}
    ),
    "b_no_show": BookingEndpoint(
        "post", "/api/v1/bookings/{booking_id}/no-show", body=lambda s, _k: {}, state="begun"
    ),
}

# fmt: off
#                  key of: kela  social kela2 social2 org2
API_EXPECTED: dict[str, tuple[int, ...]] = {
    "b_publish":   (201, 201, 201, 201, 201),
    "b_search":    (200, 200, 200, 200, 200),
    "b_book":      (400, 201, 404, 404, 404),  # Kela's own slot; outsiders: the case is not theirs
    "b_list":      (200, 200, 200, 200, 200),
    "b_detail":    (200, 200, 404, 404, 404),
    "b_rebook":    (403, 200, 404, 404, 404),  # the booking unit
    "b_cancel":    (200, 200, 404, 404, 404),  # the booking or the serving unit
    "b_no_show":   (200, 403, 404, 404, 404),  # the serving unit
}
# fmt: on


@pytest.mark.parametrize(("endpoint", "unit_key", "expected"), api_cases(API_EXPECTED))
def test_api_endpoint(client, matrix_scene, endpoint, unit_key, expected):
    response, key = call_api(client, matrix_scene, API[endpoint], unit_key)
    check_api_response(matrix_scene, endpoint, unit_key, response, key, expected)
