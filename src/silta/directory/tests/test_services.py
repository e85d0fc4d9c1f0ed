"""Directory edits: owners only, stale edits refused, history kept, search text."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from silta.core.errors import Conflict, Forbidden, Invalid
from silta.directory.hours import TimeRange
from silta.directory.hours_text import parse_exceptions, parse_ranges
from silta.directory.models import ChannelKind, Topic, UnitChange, UnitEditor
from silta.directory.selectors import directory_search, is_stale
from silta.directory.services import (
    ChannelInput,
    channel_save,
    service_areas_set,
    unit_update,
    unit_verify,
)
from silta.directory.tasks import remind_stale_unit_owners
from silta.organisations.models import Unit

pytestmark = pytest.mark.django_db
T = dt.time


def test_verify_by_manager_and_editor_only(world) -> None:
    unit = world.social_unit
    assert is_stale(unit)
    unit = unit_verify(user=world.users["social_manager"], unit=unit)
    assert not is_stale(unit)
    with pytest.raises(Forbidden):
        unit_verify(user=world.users["social_worker"], unit=unit)
    UnitEditor.objects.create(unit=unit, user=world.users["social_worker"])
    unit_verify(user=world.users["social_worker"], unit=unit)
    assert UnitChange.objects.filter(unit=unit, summary="verified").count() == 2


def test_stale_after_90_days(world) -> None:
    now = timezone.now()
    unit = world.social_unit
    unit.verified_at = now - dt.timedelta(days=89)
    assert not is_stale(unit, now)
    unit.verified_at = now - dt.timedelta(days=91)
    assert is_stale(unit, now)


def test_stale_edit_is_refused(world) -> None:
    unit = world.social_unit
    manager = world.users["social_manager"]
    seen = unit.version
    unit_update(
        user=manager, unit=unit, description_fi="Uusi", description_sv="", seen_version=seen
    )
    with pytest.raises(Conflict):
        unit_update(
            user=manager,
            unit=Unit.objects.get(pk=unit.pk),
            description_fi="Vanha",
            description_sv="",
            seen_version=seen,
        )
    assert Unit.objects.get(pk=unit.pk).description_fi == "Uusi"


def test_channel_validation_changes_nothing(world) -> None:
    manager = world.users["social_manager"]
    unit = world.social_unit
    with pytest.raises(Invalid) as excinfo:
        channel_save(user=manager, unit=unit, data=ChannelInput(kind="phone", phone="12"))
    assert excinfo.value.code == "phone_invalid"
    with pytest.raises(Invalid):
        channel_save(
            user=manager,
            unit=unit,
            data=ChannelInput(
                kind=ChannelKind.VISITING_ADDRESS, street="Katu 1", postal_code="123", city="X"
            ),
        )
    assert not unit.channels.exists() and not UnitChange.objects.exists()


def test_channel_saved_as_e164_with_history(world) -> None:
    manager = world.users["social_manager"]
    channel = channel_save(
        user=manager,
        unit=world.social_unit,
        data=ChannelInput(
            kind=ChannelKind.PHONE, phone="040 123 4567", weekly={0: (TimeRange.of(T(9), T(12)),)}
        ),
    )
    assert channel.phone == "+358401234567"
    change = UnitChange.objects.get(unit=world.social_unit)
    assert change.changes["phone"] == [None, "+358401234567"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9-11, 12-15", ((540, 660), (720, 900))),
        ("8.30-16.00", ((510, 960),)),
        ("", ()),
        ("suljettu", ()),
        ("0-24", ((0, 1440),)),
    ],
)
def test_parse_ranges(text: str, expected: tuple) -> None:
    assert tuple((r.opens, r.closes) for r in parse_ranges(text)) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("12-9", "hours_inverted"),
        ("9-12, 11-15", "hours_overlap"),
        ("aamulla", "hours_malformed"),
        ("25-26", "hours_malformed"),
    ],
)
def test_parse_ranges_errors(text: str, code: str) -> None:
    with pytest.raises(Invalid) as excinfo:
        parse_ranges(text)
    assert excinfo.value.code == code


def test_parse_exceptions_names_the_line() -> None:
    parsed = parse_exceptions("2026-12-31 9-12\n2026-12-24 closed\n")
    assert parsed[dt.date(2026, 12, 24)] == ()
    with pytest.raises(Invalid) as excinfo:
        parse_exceptions("2026-12-31 9-12\n31.12.2026 9-12")
    assert "2" in str(excinfo.value.message) and excinfo.value.code == "exception_malformed"


def test_search_tolerates_case_diacritics_and_swedish(world) -> None:
    service_areas_set(
        unit=world.social_unit, topic=Topic.ADULT_SOCIAL_WORK, municipality_codes=["297"]
    )
    service_areas_set(
        unit=world.other_social_unit, topic=Topic.ADULT_SOCIAL_WORK, municipality_codes=["091"]
    )
    for query, unit in [
        ("KUOPIO", world.social_unit),
        ("helsingfors", world.other_social_unit),
        ("aikuissosiaalityo kuopio", world.social_unit),
        ("vuxensocialarbete vanda", world.other_social_unit),
    ]:
        names = [c.unit for c in directory_search(query=query).units.items]
        assert unit in names, query
    with pytest.raises(Invalid):
        directory_search(query="a")


def test_person_search(world) -> None:
    world.users["social_worker"].last_name = "Hämäläinen"
    world.users["social_worker"].save()
    people = directory_search(query="hamalainen").people
    assert [m.user for m in people] == [world.users["social_worker"]]
    # The API lists units only and does not ask for staff (one query fewer a search).
    with CaptureQueriesContext(connection) as without:
        assert directory_search(query="hamalainen", people=False).people == []
    with CaptureQueriesContext(connection) as with_people:
        directory_search(query="hamalainen")
    assert len(without.captured_queries) < len(with_people.captured_queries)


def test_stale_reminder_task_emails_owners_weekly(world) -> None:
    manager = world.users["social_manager"]
    manager.email = "manager@demo.invalid"
    manager.save()
    Unit.objects.exclude(pk=world.social_unit.pk).update(verified_at=timezone.now())
    assert remind_stale_unit_owners.call() == 1
    assert mail.outbox[0].to == ["manager@demo.invalid"]
    assert "90" in mail.outbox[0].body
    # Not again within a week.
    assert remind_stale_unit_owners.call() == 0
