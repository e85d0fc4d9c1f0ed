"""Reading the directory: search, unit pages and routing. Directory data is not client
data: any signed-in staff member may read it (no audit event)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, QuerySet, TextField
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from silta.accounts.models import Membership, User
from silta.accounts.roles import Role
from silta.core.errors import Invalid, NotFound
from silta.core.ids import parse_uuid
from silta.core.pagination import Page, paginate
from silta.core.text import fold
from silta.directory.models import (
    Channel,
    HoursException,
    ServiceArea,
    Topic,
    UnitChange,
    WeeklyHours,
)
from silta.directory.schedules import (
    ChannelStatus,
    ExceptionRow,
    WeeklyRow,
    channel_status,
    schedule_of,
)
from silta.organisations.models import Organisation, Unit
from silta.reference.models import Municipality

STALE_AFTER = dt.timedelta(days=90)
PERSON_LIMIT = 10
# What a person found by search shows (name, title, work phone, role), as a membership.
STAFF_FIELDS = (
    "id",
    "role",
    "unit_id",
    "user_id",
    "user__username",
    "user__first_name",
    "user__last_name",
    "user__title",
    "user__phone",
)


def is_stale(unit: Unit, now: dt.datetime | None = None) -> bool:
    """Not verified in 90 days (or never)."""
    now = now or timezone.now()
    return unit.verified_at is None or now - unit.verified_at > STALE_AFTER


def _exceptions_window(now: dt.datetime) -> tuple[dt.date, dt.date]:
    today = timezone.localdate(now)
    return today - dt.timedelta(days=1), today + dt.timedelta(days=400)


_CHANNELS = Channel._meta.db_table
_WEEKLY = WeeklyHours._meta.db_table
_EXCEPTIONS = HoursException._meta.db_table
# A channel's weekly hours (date NULL) and the window's exceptions (weekday -1) as a JSON
# text of [weekday, opens, closes, date] rows: a scalar subquery of the channels' own
# statement (issue 10: the hours cost no statement of their own).
_HOURS_ROWS = (
    f"SELECT weekday, opens, closes, NULL AS day FROM {_WEEKLY}"  # noqa: S608
    f" WHERE channel_id = {_CHANNELS}.id UNION ALL"
    f" SELECT -1, opens, closes, date FROM {_EXCEPTIONS}"
    f" WHERE channel_id = {_CHANNELS}.id AND date BETWEEN %s AND %s"
)
_HOURS_SQL = {
    "postgresql": (
        "(SELECT json_agg(json_build_array(h.weekday, h.opens, h.closes, h.day))::text"  # noqa: S608
        f" FROM ({_HOURS_ROWS.replace('NULL AS day', 'NULL::date AS day')}) h)"
    ),
    "sqlite": (
        "(SELECT json_group_array(json_array(h.weekday, h.opens, h.closes, h.day))"  # noqa: S608
        f" FROM ({_HOURS_ROWS}) h)"
    ),
}


def _time(text: str | None) -> dt.time | None:
    return dt.time.fromisoformat(text) if text is not None else None


def _hours(text: str | None) -> tuple[list[WeeklyRow], list[ExceptionRow]]:
    weekly: list[WeeklyRow] = []
    exceptions: list[ExceptionRow] = []
    for weekday, opens, closes, date in json.loads(text) if text else []:
        if date is None:
            weekly.append((weekday, dt.time.fromisoformat(opens), dt.time.fromisoformat(closes)))
        else:
            exceptions.append((dt.date.fromisoformat(date), _time(opens), _time(closes)))
    return weekly, exceptions


def channels_of(unit_ids: Sequence[int], now: dt.datetime) -> dict[int, list[ChannelStatus]]:
    """Every channel of the units, in their order, with its schedule and its status now.

    One statement whatever the number of units: the channels, each with its weekly hours
    and its exceptions of the next 400 days as rows (JSON text, not models); each
    channel's schedule is built once from them.
    """
    result: dict[int, list[ChannelStatus]] = {pk: [] for pk in unit_ids}
    hours = RawSQL(  # noqa: S611
        _HOURS_SQL[connection.vendor], _exceptions_window(now), output_field=TextField()
    )
    channels = Channel.objects.filter(unit_id__in=unit_ids).annotate(hours_json=hours)
    for c in channels.order_by("position", "pk"):
        weekly, exceptions = _hours(c.hours_json)
        schedule = schedule_of(c, weekly, exceptions)
        result[c.unit_id].append(channel_status(c, schedule, now))
    return result


@dataclass(frozen=True)
class UnitCard:
    unit: Unit
    channels: list[ChannelStatus]
    stale: bool


@dataclass(frozen=True)
class SearchResult:
    units: Page[UnitCard]
    people: list[Membership]


def _unit_cards(units: list[Unit], now: dt.datetime) -> list[UnitCard]:
    channels = channels_of([u.pk for u in units], now)
    return [UnitCard(u, channels[u.pk], is_stale(u, now)) for u in units]


def directory_search(
    *,
    query: str,
    topic: str = "",
    page: int = 1,
    now: dt.datetime | None = None,
    people: bool = True,
) -> SearchResult:
    """Units whose names, organisation or served municipalities match every word of the
    query (case and diacritics ignored), and (``people``) staff whose name matches."""
    now = now or timezone.now()
    terms = fold(query).split()
    if not terms or all(len(t) < 2 for t in terms):
        raise Invalid(_("Type at least two letters."), code="search_too_short", field="q")
    units = Unit.objects.filter(is_active=True)
    for term in terms:
        units = units.filter(search_text__contains=term)
    if topic:
        units = units.filter(service_areas__topic=topic).distinct()
    ordered = units.select_related("organisation").order_by(
        "organisation__name_fi", "name_fi", "pk"
    )
    result = paginate(ordered, number=page, size=20)
    staff = _people(terms) if people and page == 1 else []
    cards = _unit_cards(list(result.items), now)
    return SearchResult(Page(cards, result.number, result.size, result.has_next), staff)


def _people(terms: list[str]) -> list[Membership]:
    users = User.objects.filter(is_active=True)
    for term in terms:
        users = users.filter(search_name__contains=term)
    return list(
        Membership.objects.filter(user__in=users[:PERSON_LIMIT], unit__is_active=True)
        .exclude(role=Role.ORGANISATION_ADMIN)
        .select_related("user", "unit", "unit__organisation")
        .only(
            *STAFF_FIELDS,
            "unit__public_id",
            "unit__name_fi",
            "unit__name_sv",
            "unit__organisation__name_fi",
            "unit__organisation__name_sv",
        )
        .order_by("user__last_name", "user__first_name")[:PERSON_LIMIT]
    )


@dataclass(frozen=True)
class Place:
    """A municipality a unit serves, as its page names it."""

    code: str
    name_fi: str
    name_sv: str

    @property
    def name(self) -> str:
        return self.name_sv if get_language() == "sv" else self.name_fi


@dataclass(frozen=True, slots=True)
class StaffLine:
    """A staff member on a unit's page (and its FHIR PractitionerRole): a row, not a
    membership and a user built per person."""

    pk: int  # the membership's id
    user_id: int
    role: str
    display_name: str  # first and last name, or the username if both are empty
    title: str
    phone: str

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS.get(self.role, self.role))


ROLE_LABELS = dict(Role.choices)


def _staff_lines(unit_id: int) -> list[StaffLine]:
    rows = (
        Membership.objects.filter(unit_id=unit_id, user__is_active=True)
        .exclude(role=Role.ORGANISATION_ADMIN)
        .order_by("user__last_name", "user__first_name")
        .values_list(
            "id",
            "user_id",
            "role",
            "user__first_name",
            "user__last_name",
            "user__username",
            "user__title",
            "user__phone",
        )[:200]
    )
    return [
        StaffLine(pk, user, role, f"{first} {last}".strip() or username, title, phone)
        for pk, user, role, first, last, username, title, phone in rows
    ]


@dataclass(frozen=True)
class UnitPage:
    unit: Unit
    channels: list[ChannelStatus]
    stale: bool
    areas: dict[str, list[Place]]  # topic's label -> municipalities by Finnish name
    members: list[StaffLine]


_UNITS = Unit._meta.db_table
_AREAS = ServiceArea._meta.db_table
_MUNICIPALITIES = Municipality._meta.db_table
# A unit's service areas as a JSON text of [topic, code, name_fi, name_sv] rows by topic and
# Finnish name: a scalar subquery of the unit's own statement (issue 10: one statement less).
_AREAS_SQL = {
    "postgresql": (
        "(SELECT json_agg(json_build_array(sa.topic, m.code, m.name_fi, m.name_sv)"  # noqa: S608
        f" ORDER BY sa.topic, m.name_fi)::text FROM {_AREAS} sa"
        f" JOIN {_MUNICIPALITIES} m ON m.code = sa.municipality_id"
        f" WHERE sa.unit_id = {_UNITS}.id)"
    ),
    "sqlite": (
        "(SELECT json_group_array(json_array(topic, code, name_fi, name_sv)) FROM"  # noqa: S608
        f" (SELECT sa.topic, m.code, m.name_fi, m.name_sv FROM {_AREAS} sa"
        f" JOIN {_MUNICIPALITIES} m ON m.code = sa.municipality_id"
        f" WHERE sa.unit_id = {_UNITS}.id ORDER BY sa.topic, m.name_fi))"
    ),
}


def _areas(text: str | None) -> dict[str, list[Place]]:
    topics = dict(Topic.choices)
    areas: dict[str, list[Place]] = {}
    for topic, *place in json.loads(text) if text else []:
        areas.setdefault(str(topics.get(topic, topic)), []).append(Place(*place))
    return areas


def unit_page(*, unit_id: Any, now: dt.datetime | None = None) -> UnitPage:
    now = now or timezone.now()
    key = parse_uuid(unit_id)
    areas_sql = RawSQL(_AREAS_SQL[connection.vendor], (), output_field=TextField())  # noqa: S611
    unit = (
        Unit.objects.select_related("organisation", "verified_by")
        .annotate(areas_json=areas_sql)
        .filter(public_id=key, is_active=True)
        .first()
        if key
        else None
    )
    if unit is None:
        raise NotFound(_("Not found."))
    areas = _areas(unit.areas_json)
    members = _staff_lines(unit.pk)
    channels = channels_of([unit.pk], now)[unit.pk]
    return UnitPage(unit, channels, is_stale(unit, now), areas, members)


@dataclass(frozen=True)
class Route:
    """Where a matter about a client of ``municipality`` and ``topic`` belongs."""

    municipality: Municipality
    topic: str
    organisation: Organisation | None
    units: list[Unit]
    is_aland: bool

    @property
    def unit(self) -> Unit | None:
        return self.units[0] if self.units else None


def route(*, municipality_code: str, topic: str) -> Route:
    """Resolve the responsible organiser and unit(s) for a municipality and topic.

    Åland is flagged and routes nowhere (its social assistance is under Åland's own law).
    Basic assistance routes to Kela's units serving the municipality.
    """
    municipality = Municipality.objects.filter(code=(municipality_code or "").strip()).first()
    if municipality is None:
        raise Invalid(
            _("Unknown municipality code."), code="municipality_unknown", field="municipality"
        )
    if topic not in Topic.values:
        raise Invalid(_("Unknown topic."), code="topic_unknown", field="topic")
    if municipality.is_aland:
        return Route(municipality, topic, None, [], True)
    if topic == Topic.BASIC_ASSISTANCE:
        organisation = Organisation.objects.filter(kind="kela").order_by("pk").first()
    else:
        organisation = Organisation.objects.filter(
            organiser_code=municipality.organiser_code
        ).first()
    units: QuerySet[Unit] = Unit.objects.none()
    if organisation is not None:
        units = (
            Unit.objects.filter(
                organisation=organisation,
                is_active=True,
                service_areas__municipality=municipality,
                service_areas__topic=topic,
            )
            .select_related("organisation")
            .order_by("name_fi", "pk")
            .distinct()
        )
    return Route(municipality, topic, organisation, list(units[:10]), False)


def find_municipality(text: str) -> Municipality:
    """A municipality by code (297) or by Finnish or Swedish name (Kuopio, Helsingfors)."""
    value = (text or "").strip()
    found = None
    if value.isdigit():
        found = Municipality.objects.filter(code=value.zfill(3)).first()
    else:
        folded = fold(value)
        for candidate in Municipality.objects.filter(is_current=True):
            if folded in (fold(candidate.name_fi), fold(candidate.name_sv)):
                found = candidate
                break
    if found is None:
        raise Invalid(
            _("Unknown municipality. Give its name or three-digit code."),
            code="municipality_unknown",
            field="municipality",
        )
    return found


def unit_channel(*, unit: Unit, channel_id: Any) -> Channel:
    key = parse_uuid(channel_id)
    channel = (
        Channel.objects.prefetch_related("weekly_hours", "exceptions")
        .filter(unit=unit, public_id=key)
        .first()
        if key
        else None
    )
    if channel is None:
        raise NotFound(_("Not found."))
    return channel


def unit_changes(*, unit: Unit, limit: int = 20) -> list[Any]:
    return list(UnitChange.objects.filter(unit=unit).order_by("-at", "-pk")[:limit])


def unit_topics(*, unit: Unit) -> list[str]:
    """The topics a unit serves (codes), the one with most municipalities first: the
    call-back form starts from the receiving unit's own topic."""
    return list(
        ServiceArea.objects.filter(unit=unit)
        .values("topic")
        .annotate(n=Count("id"))
        .order_by("-n", "topic")
        .values_list("topic", flat=True)
    )
