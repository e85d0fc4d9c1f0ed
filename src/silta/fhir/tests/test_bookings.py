"""Bookings as FHIR Appointment: valid R4, seen only by the booking unit and the serving
unit (as on the bookings pages), every read audited, searchable by patient, status and
date together with the meetings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from silta.audit.models import AuditEvent
from silta.bookings import services
from silta.bookings.inputs import BookingCancelInput
from silta.bookings.models import Booking, Slot
from silta.bookings.tests.scene import at, book, one_slot, service_point, working_day
from silta.fhir.codes import BOOKING_CHANNEL, TOPIC
from silta.fhir.tests.helpers import get, key_for
from silta.meetings.tests.scene import confirmed_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(shared_world) -> Booking:
    point = service_point(shared_world)
    slot = one_slot(shared_world)
    booking = book(shared_world, slot).booking
    assert booking.serving_unit == point
    return booking


def _ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [e["resource"]["id"] for e in response.json()["entry"]]


def _move_to_the_past(booking: Booking) -> None:
    start = timezone.now() - dt.timedelta(days=1)
    Slot.objects.filter(pk=booking.slot_id).update(
        starts_at=start, ends_at=start + dt.timedelta(minutes=30)
    )


def test_a_booking_is_a_valid_appointment_for_both_units(client, shared_world, booked):
    world = shared_world
    for unit in (world.social_unit, booked.serving_unit):
        before = AuditEvent.objects.filter(action="view", client=booked.client).count()
        appointment = get(client, f"Appointment/{booked.public_id}", key_for(unit)).json()
        assert AuditEvent.objects.filter(action="view", client=booked.client).count() == before + 1
        assert appointment["status"] == "booked"
        assert appointment["start"] == booked.slot.starts_at.isoformat()
        assert appointment["minutesDuration"] == 30
        assert appointment["serviceType"][0]["coding"][0]["system"] == TOPIC
        assert appointment["serviceType"][0]["coding"][0]["code"] == "basic_assistance"
        channel = appointment["appointmentType"]["coding"][0]
        assert (channel["system"], channel["code"]) == (BOOKING_CHANNEL, "in_person")
        assert appointment["comment"] == booked.slot.place_text
        references = [p["actor"]["reference"] for p in appointment["participant"]]
        assert references == [
            f"Organization/{booked.serving_unit.public_id}",
            f"Organization/{world.social_unit.public_id}",
            f"Patient/{booked.client.public_id}",
        ]
    # The identity code is never in it.
    body = get(client, f"Appointment/{booked.public_id}", key_for(world.social_unit))
    assert booked.client.identity_code not in body.content.decode()


def test_other_units_neither_read_nor_find_it(client, shared_world, booked):
    world = shared_world
    for unit in (world.other_social_unit, world.social_unit2, world.kela_unit):
        headers = key_for(unit)
        response = get(client, f"Appointment/{booked.public_id}", headers)
        assert response.status_code == 404
        assert response.json()["resourceType"] == "OperationOutcome"
        assert str(booked.client.public_id) not in response.content.decode()
        patient = f"Patient/{booked.client.public_id}"
        assert _ids(get(client, "Appointment", headers, patient=patient)) == []


def test_cancelled_no_show_and_fulfilled(client, shared_world, booked):
    world = shared_world
    headers = key_for(world.social_unit)
    second = book(shared_world, one_slot(shared_world, starts_at=at(working_day(), 11))).booking
    services.booking_cancel(
        actor=world.actor("social_worker"),
        booking=second,
        data=BookingCancelInput(reason="Asiakas sairastui"),
    )
    cancelled = get(client, f"Appointment/{second.public_id}", headers).json()
    assert cancelled["status"] == "cancelled"
    assert cancelled["cancelationReason"] == {"text": "Asiakas sairastui"}
    assert {p["status"] for p in cancelled["participant"]} == {"declined", "accepted"}
    _move_to_the_past(booked)
    assert get(client, f"Appointment/{booked.public_id}", headers).json()["status"] == "fulfilled"
    assert _ids(get(client, "Appointment", headers, status="fulfilled")) == [str(booked.public_id)]
    assert _ids(get(client, "Appointment", headers, status="booked")) == []
    services.booking_no_show(actor=world.actor("point"), booking=booked)
    assert get(client, f"Appointment/{booked.public_id}", headers).json()["status"] == "noshow"
    assert _ids(get(client, "Appointment", headers, status="noshow")) == [str(booked.public_id)]
    assert _ids(get(client, "Appointment", headers, status="cancelled")) == [str(second.public_id)]
    assert _ids(get(client, "Appointment", headers, status="fulfilled")) == []


def test_search_by_patient_date_and_status_with_the_meetings(client, shared_world, booked):
    world = shared_world
    headers = key_for(world.social_unit)
    case = booked.case
    meeting = confirmed_meeting(world, case)
    patient = f"Patient/{booked.client.public_id}"
    both = _ids(get(client, "Appointment", headers, patient=patient))
    assert set(both) == {str(booked.public_id), str(meeting.public_id)}
    # Newest first: the meeting was arranged after the booking was made.
    assert both == [str(meeting.public_id), str(booked.public_id)]
    day = booked.slot.starts_at.astimezone(dt.UTC).date()
    on_the_day = _ids(get(client, "Appointment", headers, patient=patient, date=day.isoformat()))
    assert str(booked.public_id) in on_the_day
    later = (booked.slot.starts_at + dt.timedelta(hours=1)).isoformat()
    assert str(booked.public_id) not in _ids(get(client, "Appointment", headers, date=f"ge{later}"))
    assert str(booked.public_id) in _ids(get(client, "Appointment", headers, date=f"lt{later}"))
    # Paging goes through both kinds: one a page, then the other.
    first = get(client, "Appointment", headers, patient=patient, _count=1).json()
    assert [link["relation"] for link in first["link"]] == ["self", "next"]
    second = get(client, "Appointment", headers, patient=patient, _count=1, _page=2).json()
    assert [e["resource"]["id"] for e in first["entry"] + second["entry"]] == both
    assert [link["relation"] for link in second["link"]] == ["self", "previous"]
    # A status no appointment has, and a malformed date: 400 OperationOutcomes.
    for params in ({"status": "sleeping"}, {"date": "sometime"}, {"date": "xx2026-01-01"}):
        refused = get(client, "Appointment", headers, **params)
        assert refused.status_code == 400
        assert refused.json()["resourceType"] == "OperationOutcome"


def test_a_deep_page_loads_only_its_own_rows(client, shared_world, booked):
    """Pages walked one by one give the whole search once, in order; a deep page reads
    only keys for the rows before it, and loads (joins, maps) only its own rows."""
    world = shared_world
    headers = key_for(world.social_unit)
    for _ in range(3):
        confirmed_meeting(world, booked.case)
    patient = f"Patient/{booked.client.public_id}"
    whole = _ids(get(client, "Appointment", headers, patient=patient))
    assert len(whole) == 4
    walked = []
    for page in range(1, 5):
        with CaptureQueriesContext(connection) as queries:
            bundle = get(client, "Appointment", headers, patient=patient, _count=1, _page=page)
        walked += _ids(bundle)
        relations = [link["relation"] for link in bundle.json()["link"]]
        assert ("next" in relations) == (page < 4)
        assert ("previous" in relations) == (page > 1)
        # The rows loaded with their clients' columns (the key queries select three).
        selected = [q["sql"].split(" FROM ")[0] for q in queries]
        loads = [sql for sql in selected if "clients_client" in sql]
        loads = [sql for sql in loads if "bookings_booking" in sql or "meetings_meeting" in sql]
        loads = [q["sql"] for q in queries if q["sql"].split(" FROM ")[0] in loads]
        assert loads, "the page's row is loaded with its client"
        assert all("LIMIT" not in sql for sql in loads), "only the page's rows, by id"
    assert walked == whole


def test_the_capability_statement_lists_the_date_search(client, db):
    statement = client.get("/fhir/R4/metadata").json()
    appointment = next(r for r in statement["rest"][0]["resource"] if r["type"] == "Appointment")
    assert {p["name"] for p in appointment["searchParam"]} >= {"patient", "status", "date", "_id"}
    assert "booking" in appointment["documentation"]
