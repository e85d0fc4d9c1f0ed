"""HSDS 3.0: the export validates against the spec's schema; export -> import reproduces
the directory; a malformed file changes nothing and names the bad places."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from jsonschema import Draft202012Validator

from silta.directory import hsds
from silta.directory.hours import TimeRange
from silta.directory.hsds_import import import_directory
from silta.directory.models import Channel, ChannelKind, HoursException, ServiceArea, Topic
from silta.directory.services import ChannelInput, channel_save, service_areas_set
from silta.organisations.models import Organisation, Unit

pytestmark = pytest.mark.django_db
T = dt.time


@pytest.fixture
def directory(world):
    unit = world.social_unit
    service_areas_set(unit=unit, topic=Topic.ADULT_SOCIAL_WORK, municipality_codes=["297", "749"])
    service_areas_set(
        unit=world.kela_unit, topic=Topic.BASIC_ASSISTANCE, municipality_codes=["297"]
    )
    channel_save(
        user=None,
        unit=unit,
        check_owner=False,
        data=ChannelInput(
            kind=ChannelKind.PHONE,
            label_fi="Puhelinaika",
            label_sv="Telefontid",
            phone="017 182 000",
            weekly={d: (TimeRange.of(T(9), T(11)), TimeRange.of(T(12), T(15))) for d in range(5)},
            exceptions={
                dt.date(2026, 12, 23): (),
                dt.date(2026, 12, 30): (TimeRange.of(T(9), T(12)),),
            },
        ),
    )
    channel_save(
        user=None,
        unit=unit,
        check_owner=False,
        data=ChannelInput(
            kind=ChannelKind.VISITING_ADDRESS,
            label_fi="Asiointipiste",
            street="Suokatu 42",
            postal_code="70110",
            city="Kuopio",
            weekly={0: (TimeRange.of(T(9), T(15)),)},
        ),
    )
    channel_save(
        user=None,
        unit=unit,
        check_owner=False,
        data=ChannelInput(
            kind=ChannelKind.SECURE_EMAIL, label_fi="Turvaposti", email="sos@demo.invalid"
        ),
    )
    channel_save(
        user=None,
        unit=world.other_social_unit,
        check_owner=False,
        data=ChannelInput(
            kind=ChannelKind.PHONE,
            label_fi="Päivystys",
            phone="+358 17 263 3333",
            always_open=True,
            closed_on_holidays=False,
            weekly={},
        ),
    )
    Unit.objects.filter(pk=unit.pk).update(
        verified_at=dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)
    )
    return world


def snapshot() -> dict:
    """Everything the round trip must reproduce, keyed by stable ids."""
    return {
        "organisations": sorted(
            Organisation.objects.values_list(
                "public_id", "kind", "organiser_code", "name_fi", "name_sv"
            )
        ),
        "units": sorted(
            Unit.objects.values_list(
                "public_id",
                "organisation__public_id",
                "kind",
                "name_fi",
                "name_sv",
                "description_fi",
                "is_active",
                "verified_at__date",
            )
        ),
        "areas": sorted(
            ServiceArea.objects.values_list("unit__public_id", "municipality_id", "topic")
        ),
        "channels": sorted(
            Channel.objects.values_list(
                "public_id",
                "unit__public_id",
                "kind",
                "label_fi",
                "label_sv",
                "phone",
                "email",
                "street",
                "postal_code",
                "city",
                "always_open",
                "closed_on_holidays",
            )
        ),
        "weekly": sorted(
            Channel.objects.filter(weekly_hours__isnull=False).values_list(
                "public_id", "weekly_hours__weekday", "weekly_hours__opens", "weekly_hours__closes"
            )
        ),
        "exceptions": sorted(
            HoursException.objects.values_list("channel__public_id", "date", "opens", "closes"),
            key=str,
        ),
    }


def test_export_validates_against_the_hsds_schema(directory) -> None:
    exported = hsds.export_directory()
    validator = Draft202012Validator(hsds.organization_schema())
    assert [e.message for org in exported for e in validator.iter_errors(org)] == []
    kuopio = next(o for o in exported if o["name"] == "Pohjois-Savon hyvinvointialue")
    service = next(s for s in kuopio["services"] if s["name"] == "Aikuissosiaalityö Kuopio")
    assert service["assured_date"] == "2026-11-02"
    assert {a["extent"] for a in service["service_areas"]} == {"297", "749"}
    phone = next(sal for sal in service["service_at_locations"] if sal["phones"])
    assert phone["phones"][0]["number"] == "+35817182000"
    assert phone["location"]["location_type"] == "virtual"
    weekly = [s for s in phone["schedules"] if "valid_from" not in s]
    assert {(s["byday"], s["opens_at"], s["closes_at"]) for s in weekly} == {
        ("MO,TU,WE,TH,FR", "09:00", "11:00"),
        ("MO,TU,WE,TH,FR", "12:00", "15:00"),
    }
    closed = [s for s in phone["schedules"] if s.get("description") == hsds.CLOSED]
    assert closed[0]["valid_from"] == closed[0]["valid_to"] == "2026-12-23"


def test_round_trip_reproduces_the_directory(directory) -> None:
    before = snapshot()
    exported = hsds.export_directory()
    Channel.objects.all().delete()
    ServiceArea.objects.all().delete()
    Unit.objects.update(name_fi="x", verified_at=None)
    result = import_directory(exported)
    assert result.errors == []
    assert snapshot() == before
    assert hsds.export_directory() == exported


def test_import_is_idempotent(directory) -> None:
    exported = hsds.export_directory()
    assert import_directory(exported).errors == []
    assert import_directory(exported).errors == []
    assert hsds.export_directory() == exported


def test_malformed_file_changes_nothing_and_names_lines(directory) -> None:
    before = snapshot()
    exported = hsds.export_directory()
    broken = copy.deepcopy(exported)
    kuopio = next(o for o in broken if o["name"] == "Pohjois-Savon hyvinvointialue")
    service = kuopio["services"][0]
    service["service_areas"][0]["extent"] = "999"
    phone_sal = next(sal for sal in service["service_at_locations"] if sal["phones"])
    phone_sal["phones"][0]["number"] = "123"
    phone_sal["schedules"][0]["closes_at"] = "08:00"
    broken.append({"id": "not-an-org"})
    Unit.objects.update(name_fi="changed")
    result = import_directory(broken)
    assert result.errors
    # The schema problem is reported with its place in the file, and nothing is applied.
    assert any(e.startswith(f"[{len(broken) - 1}]") for e in result.errors)
    assert set(Unit.objects.values_list("name_fi", flat=True)) == {"changed"}
    del broken[-1]
    result = import_directory(broken)
    index = broken.index(kuopio)
    assert any(f"[{index}].services[0].service_areas[0].extent" in e for e in result.errors)
    assert any(f"[{index}].services[0].service_at_locations" in e for e in result.errors)
    Unit.objects.update(name_fi="x")
    snapshot_after = snapshot()
    assert snapshot_after["channels"] == before["channels"]
    assert snapshot_after["areas"] == before["areas"]


def test_not_a_list_is_refused(directory) -> None:
    assert import_directory({"organizations": []}).errors
