"""What the directory's rows carry: search cards and the unit page read the hours, the
service areas and the staff as rows (not prefetched models), so these tests pin every
field a page or the API shows, and that the statements do not grow with the units."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from silta.accounts.models import Membership, User
from silta.accounts.roles import Role
from silta.directory.hours import TimeRange
from silta.directory.models import ChannelKind, Topic
from silta.directory.selectors import directory_search, unit_page
from silta.directory.services import ChannelInput, channel_save, service_areas_set
from silta.reference.models import Municipality
from silta.workdays.calendar import HELSINKI
from tests.factories import make_user

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=HELSINKI)  # a Wednesday, not a holiday
TODAY = NOW.date()
WORKDAY = (TimeRange(8 * 60, 11 * 60 + 30), TimeRange(12 * 60, 16 * 60))


def _channels(unit) -> None:
    channel_save(
        user=None,
        unit=unit,
        check_owner=False,
        data=ChannelInput(
            kind=ChannelKind.PHONE,
            label_fi="Neuvonta",
            label_sv="Rådgivning",
            phone="+358171822000",
            weekly={day: WORKDAY for day in range(5)},
            exceptions={
                TODAY - dt.timedelta(days=3): (),  # before the window: not read
                TODAY + dt.timedelta(days=1): (),  # closed tomorrow
                TODAY + dt.timedelta(days=7): (TimeRange(9 * 60, 12 * 60),),
                TODAY + dt.timedelta(days=420): (),  # after the window: not read
            },
        ),
    )
    channel_save(
        user=None,
        unit=unit,
        check_owner=False,
        data=ChannelInput(kind=ChannelKind.SECURE_EMAIL, email="kirjaamo@example.fi", weekly={}),
    )


@pytest.fixture
def listed(world):
    for unit in (world.social_unit, world.social_unit2):
        service_areas_set(unit=unit, topic=Topic.ADULT_SOCIAL_WORK, municipality_codes=["297"])
    service_areas_set(
        unit=world.social_unit, topic=Topic.EMERGENCY, municipality_codes=["297", "091"]
    )
    _channels(world.social_unit)
    return world


def _check_channels(channels) -> None:
    phone, email = channels
    assert (phone.channel.kind, phone.channel.phone) == (ChannelKind.PHONE, "+358171822000")
    assert (phone.channel.label_fi, phone.channel.label_sv) == ("Neuvonta", "Rådgivning")
    assert dict(phone.schedule.weekly) == {day: WORKDAY for day in range(5)}
    assert dict(phone.schedule.exceptions) == {
        TODAY + dt.timedelta(days=1): (),
        TODAY + dt.timedelta(days=7): (TimeRange(9 * 60, 12 * 60),),
    }
    assert phone.schedule.closed_on_holidays and not phone.schedule.always_open
    assert phone.status.is_open
    assert phone.status.closes_at == dt.datetime(2026, 12, 2, 11, 30, tzinfo=HELSINKI)
    assert email.channel.email == "kirjaamo@example.fi" and email.status is None


def test_search_cards_carry_channels_hours_and_status(listed) -> None:
    result = directory_search(query="kuopio", now=NOW)
    cards = {card.unit.pk: card for card in result.units.items}
    assert set(cards) == {listed.social_unit.pk, listed.social_unit2.pk}
    _check_channels(cards[listed.social_unit.pk].channels)
    assert cards[listed.social_unit2.pk].channels == []
    assert cards[listed.social_unit.pk].stale  # never checked


def test_search_statements_do_not_grow_with_units(listed) -> None:
    _channels(listed.social_unit2)
    with CaptureQueriesContext(connection) as two:
        result = directory_search(query="kuopio", now=NOW)
    assert [len(card.channels) for card in result.units.items] == [2, 2]
    with CaptureQueriesContext(connection) as one:
        directory_search(query="aikuissosiaalityo kuopio", now=NOW)
    # units, channels with their hours (weekly and exceptions), people
    assert len(two.captured_queries) == len(one.captured_queries) == 3


def test_people_found_carry_their_line_without_more_statements(listed) -> None:
    user = listed.users["social_worker"]
    User.objects.filter(pk=user.pk).update(title="Sosiaalityöntekijä", phone="017 123 456")
    found = directory_search(query=user.get_full_name(), now=NOW).people
    assert user.pk in {m.user_id for m in found}
    with CaptureQueriesContext(connection) as reads:
        lines = {
            m.user_id: (
                m.user.display_name,
                m.user.title,
                m.user.phone,
                m.unit.public_id,
                m.unit.name,
                m.unit.organisation.name,
            )
            for m in found
        }
    assert reads.captured_queries == []
    assert lines[user.pk] == (
        user.get_full_name(),
        "Sosiaalityöntekijä",
        "017 123 456",
        listed.social_unit.public_id,
        "Aikuissosiaalityö Kuopio",
        listed.social_unit.organisation.name_fi,
    )


def test_unit_page_carries_channels_areas_and_staff(listed) -> None:
    unit = listed.social_unit
    admin = make_user(unit, Role.ORGANISATION_ADMIN, "admin_here")
    worker = listed.users["social_worker"]
    User.objects.filter(pk=worker.pk).update(title="Sosiaalityöntekijä", phone="017 123 456")
    page = unit_page(unit_id=unit.public_id, now=NOW)
    _check_channels(page.channels)
    kuopio, helsinki = (Municipality.objects.get(code=c) for c in ("297", "091"))
    emergency, adult = str(Topic.EMERGENCY.label), str(Topic.ADULT_SOCIAL_WORK.label)
    assert {topic: [p.code for p in places] for topic, places in page.areas.items()} == {
        adult: ["297"],
        emergency: ["091", "297"],  # by Finnish name: Helsinki, Kuopio
    }
    assert [p.name for p in page.areas[emergency]] == [helsinki.name_fi, kuopio.name_fi]
    with translation.override("sv"):
        assert [p.name for p in page.areas[emergency]] == [helsinki.name_sv, kuopio.name_sv]
    expected = set(
        Membership.objects.filter(unit=unit)
        .exclude(role=Role.ORGANISATION_ADMIN)
        .values_list("pk", flat=True)
    )
    assert {m.pk for m in page.members} == expected and expected
    assert admin.pk not in {m.user_id for m in page.members}
    with CaptureQueriesContext(connection) as reads:
        lines = {m.user_id: (m.display_name, m.title, m.phone, m.role) for m in page.members}
    assert reads.captured_queries == []
    assert lines[worker.pk] == (
        worker.get_full_name(),
        "Sosiaalityöntekijä",
        "017 123 456",
        Membership.objects.get(user=worker, unit=unit).role,
    )


def test_a_staff_line_without_a_name_shows_the_username_and_its_role_label(listed) -> None:
    unit = listed.social_unit
    nameless = make_user(unit, Role.SOCIAL_WORKER, "nimeton")
    User.objects.filter(pk=nameless.pk).update(first_name="", last_name="")
    member = Membership.objects.get(user=nameless, unit=unit)
    line = next(m for m in unit_page(unit_id=unit.public_id, now=NOW).members if m.pk == member.pk)
    assert (line.user_id, line.display_name) == (nameless.pk, "nimeton")
    assert line.role_label == member.get_role_display()
    with translation.override("sv"):
        assert line.role_label == member.get_role_display() != ""


def test_the_unit_page_reads_its_areas_with_the_unit(listed) -> None:
    unit = listed.social_unit
    with CaptureQueriesContext(connection) as statements:
        page = unit_page(unit_id=unit.public_id, now=NOW)
    # The unit with its areas, the staff, the channels with their hours.
    assert len(statements.captured_queries) == 3
    assert page.areas and page.unit.pk == unit.pk


def test_a_unit_without_areas_has_none(listed) -> None:
    unit = listed.social_unit
    unit.service_areas.all().delete()
    assert unit_page(unit_id=unit.public_id, now=NOW).areas == {}
