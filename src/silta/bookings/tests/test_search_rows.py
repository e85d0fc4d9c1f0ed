"""The slot search returns rows, not model instances (issue 11's speed): the API's
SlotOut and the results table show exactly what the slot and its unit hold, in the
page's language; the search reads no Slot or Unit instance."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from silta.api_keys.services import api_key_issue
from silta.bookings.inputs import SearchInput
from silta.bookings.selectors import SlotRow, slots_search
from silta.bookings.tests.scene import one_slot, service_point
from silta.organisations.models import Unit

pytestmark = pytest.mark.django_db
SEARCH = {"municipalities": ["297"], "topic": "basic_assistance"}


@pytest.fixture
def point(world, settings):
    settings.SILTA_DEMO_SKIP_TOTP = True
    return service_point(world)


def test_the_search_row_is_the_slot_and_its_unit(world, point):
    slot = one_slot(world, channel="phone", place_details="Soitamme", duration_minutes=45)
    (row,) = slots_search(
        actor=world.actor("social_worker"), data=SearchInput.model_validate(SEARCH)
    )
    assert row == SlotRow.of(slot)
    assert (row.pk, row.public_id, row.unit_public_id) == (slot.pk, slot.public_id, point.public_id)
    assert (row.duration_minutes, row.place_text, row.resource) == (45, "Soitamme", slot.resource)
    with translation.override("sv"):
        assert (row.unit_name, row.channel_label) == (point.name_sv, "Per telefon")
    with translation.override("fi"):
        assert (row.unit_name, row.channel_label) == (point.name_fi, slot.get_channel_display())


def test_the_api_shows_every_field_as_before(client, world, point):
    slot = one_slot(world)
    key = api_key_issue(unit=world.social_unit, name="Kuopio").plaintext
    found = client.get(
        "/api/v1/bookings/slots",
        SEARCH,
        headers={"Authorization": f"Bearer {key}", "Accept-Language": "sv"},
    )
    assert found.status_code == 200
    assert found.json() == [
        {
            "id": str(slot.public_id),
            "unit_id": str(point.public_id),
            "unit_name": "FPA:s servicepunkt Kuopio",
            "topic": "basic_assistance",
            "starts_at": slot.starts_at.isoformat().replace("+00:00", "Z"),
            "ends_at": slot.ends_at.isoformat().replace("+00:00", "Z"),
            "channel": "in_person",
            "place_text": slot.place_text,
            "video_platform": "",
            "resource": "Palveluneuvoja 1",
        }
    ]


def test_the_results_table_row(client, world, point):
    slot = one_slot(world)
    client.force_login(world.users["social_worker"])
    page = client.get(
        reverse("bookings:search"),
        {"municipality": "297", "topic": "basic_assistance"},
        headers={"HX-Request": "true"},
    )
    text = page.content.decode()
    with translation.override("fi"):
        when = formats.date_format(timezone.localtime(slot.starts_at), "SHORT_DATETIME_FORMAT")
        channel = slot.get_channel_display()
    assert f"<td>{when} (30 min)</td><td>Kelan palvelupiste Kuopio</td>" in text
    assert f"<td>Palveluneuvoja 1</td><td>{channel}: {slot.place_text}</td>" in text


def test_a_closed_units_slots_are_not_found(world, point):
    one_slot(world)
    search = SearchInput.model_validate(SEARCH)
    assert len(slots_search(actor=world.actor("social_worker"), data=search)) == 1
    Unit.objects.filter(pk=point.pk).update(is_active=False)
    assert slots_search(actor=world.actor("social_worker"), data=search) == []
