"""The directory at national scale (step ``directory``): local units per municipality,
service areas, contact channels with weekly hours and holiday exceptions, their staff,
and every unit's search text.

The bench world has 137 units (the organisers' county-wide teams and Kela's benefit
teams). Real organisers also list local offices: here each of the 292 mainland
municipalities gets six local units of its organiser (social assistance office, adult
social work, work-age guidance, family social work, child and family services, services
for older people), which with the county-wide units makes about 1,900 directory entries.
Written with ``bulk_create`` (a few tens of thousands of rows); the search text comes from
Silta's own ``unit_search_text``, so it folds exactly as the application does.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import defaultdict
from typing import Any

from django.db import transaction

from bench import schema
from bench.generation import data
from bench.generation.world import build_world
from bench.options import Options

LOCAL_UNITS = (  # kind, Finnish name, Swedish name
    ("social_assistance", "Sosiaalitoimisto", "Socialbyrå"),
    ("adult_social_work", "Aikuissosiaalityö", "Socialt arbete för vuxna"),
    ("adult_social_work", "Työikäisten sosiaaliohjaus", "Socialhandledning för vuxna"),
    ("child_and_family", "Perhesosiaalityö", "Familjesocialarbete"),
    ("child_and_family", "Lapsiperheiden palvelut", "Tjänster för barnfamiljer"),
    ("older_people", "Ikäihmisten palvelut", "Äldreomsorg"),
)
TOPIC_OF_KIND = {
    "kela_benefit_team": "basic_assistance",
    "kela_service_unit": "basic_assistance",
    "social_assistance": "social_assistance",
    "adult_social_work": "adult_social_work",
    "child_and_family": "child_and_family",
    "older_people": "older_people",
    "emergency": "emergency",
}
HOURS = (  # weekly opening hours of a phone line / an office, Monday to Friday
    ((9, 0), (15, 0)),
    ((8, 0), (16, 0)),
    ((9, 0), (12, 0)),
)
CLOSED_DAYS = ((12, 24), (12, 31), (6, 19))  # exceptions: eves closed (after "now")
LOCAL_STAFF = (1, 4)


def _closed_dates(now: dt.date) -> list[dt.date]:
    dates = []
    for month, day in CLOSED_DAYS:
        date = dt.date(now.year, month, day)
        dates.append(date if date >= now else date.replace(year=now.year + 1))
    return sorted(dates)


def _new_units(rng: random.Random, joined: dt.datetime) -> list[Any]:
    """One of each local unit per mainland municipality, for its organiser."""
    from silta.organisations.models import Organisation, Unit
    from silta.reference.models import Municipality

    organisations = {o.organiser_code: o for o in Organisation.objects.exclude(organiser_code="")}
    units = []
    for municipality in Municipality.objects.filter(is_current=True, is_aland=False).order_by(
        "code"
    ):
        organisation = organisations[municipality.organiser_code]
        for kind, name_fi, name_sv in LOCAL_UNITS:
            verified = joined + dt.timedelta(days=rng.randrange(4 * 365))
            units.append(
                Unit(
                    public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    organisation=organisation,
                    kind=kind,
                    name_fi=f"{name_fi}, {municipality.name_fi}",
                    name_sv=f"{name_sv}, {municipality.name_sv}",
                    verified_at=verified if rng.random() < 0.8 else None,
                )
            )
            units[-1].bench_municipality = municipality.code  # type: ignore[attr-defined]
    return Unit.objects.bulk_create(units, batch_size=1000)


def _service_areas(options: Options, new_units: list[Any]) -> list[Any]:
    """Local units serve their municipality; county-wide units every municipality of their
    organiser; Kela's teams every municipality of their customer service area."""
    from silta.directory.models import ServiceArea
    from silta.reference.models import Municipality

    world = build_world(options.staff, random.Random(options.seed))
    municipalities = list(Municipality.objects.filter(is_current=True, is_aland=False))
    by_organiser: dict[str, list[str]] = defaultdict(list)
    by_area: dict[str, list[str]] = defaultdict(list)
    for m in municipalities:
        by_organiser[m.organiser_code].append(m.code)
        by_area[str(m.kela_service_area_id)].append(m.code)
    areas = []
    for unit in new_units:
        areas.append(ServiceArea(unit=unit, municipality_id=unit.bench_municipality,
                                 topic=TOPIC_OF_KIND[unit.kind]))  # fmt: skip
    for organiser in world.organisers:
        for spec in organiser.units:
            areas += [
                ServiceArea(unit_id=spec.id, municipality_id=code, topic=TOPIC_OF_KIND[spec.kind])
                for code in by_organiser[organiser.code]
            ]
    for area, specs in world.kela_units_by_area.items():
        areas += [
            ServiceArea(unit_id=spec.id, municipality_id=code, topic="basic_assistance")
            for spec in specs
            for code in by_area[area]
        ]
    return ServiceArea.objects.bulk_create(areas, batch_size=5000)


def _channels(rng: random.Random, units: list[Any], now: dt.date) -> dict[str, int]:
    """One to three channels per unit: a phone line always, then an office or a call-back
    line, then secure e-mail (open 24/7); weekday hours and the coming eves closed."""
    from silta.directory.models import Channel, HoursException, WeeklyHours

    channels = []
    for unit in units:
        kinds = ["phone", rng.choice(["visiting_address", "callback"]), "secure_email"]
        for position, kind in enumerate(kinds[: rng.choice((1, 2, 2, 3, 3))]):
            channels.append(
                Channel(
                    public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    unit_id=unit.id,
                    kind=kind,
                    label_fi={"phone": "Puhelin", "callback": "Takaisinsoitto"}.get(kind, ""),
                    phone=f"+35829{rng.randrange(10**7):07d}" if kind != "secure_email" else "",
                    email=f"unit{unit.id}@bench.invalid" if kind == "secure_email" else "",
                    street="Kauppakatu 1" if kind == "visiting_address" else "",
                    postal_code="70100" if kind == "visiting_address" else "",
                    always_open=kind == "secure_email",
                    position=position,
                )
            )
    Channel.objects.bulk_create(channels, batch_size=2000)
    hours, exceptions = [], []
    for channel in channels:
        if channel.always_open:
            continue
        opens, closes = rng.choice(HOURS)
        hours += [
            WeeklyHours(channel=channel, weekday=day, opens=dt.time(*opens),
                        closes=dt.time(*closes) if day < 4 else dt.time(opens[0] + 3))
            for day in range(5)
        ]  # fmt: skip
        exceptions += [HoursException(channel=channel, date=d) for d in _closed_dates(now)]
    WeeklyHours.objects.bulk_create(hours, batch_size=5000)
    HoursException.objects.bulk_create(exceptions, batch_size=5000)
    return {"channels": len(channels), "weekly_hours": len(hours), "exceptions": len(exceptions)}


def _local_staff(rng: random.Random, units: list[Any], joined: dt.datetime) -> int:
    """A few staff per local unit (the first one its manager); ``bulk_create`` skips
    ``User.save``, so the search name is folded here the way ``save`` folds it."""
    from silta.accounts.models import Membership, User
    from silta.core.text import fold

    users, memberships = [], []
    for unit in units:
        for index in range(rng.randint(*LOCAL_STAFF)):
            first, last = rng.choice(data.FIRST_NAMES), rng.choice(data.LAST_NAMES)
            number = len(users) + 1
            users.append(
                User(
                    public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    username=f"benchdir{number:05d}",
                    first_name=first,
                    last_name=last,
                    search_name=fold(f"{first} {last}"),
                    email=f"benchdir{number:05d}@bench.invalid",
                    title=data.SOCIAL_TITLES.get("social_worker", data.DEFAULT_KELA_TITLE),
                    password=f"!bench{rng.getrandbits(160):040x}",
                    date_joined=joined,
                )
            )
            role = "unit_manager" if index == 0 else "social_worker"
            memberships.append((len(users) - 1, unit.id, role))
    User.objects.bulk_create(users, batch_size=2000)
    Membership.objects.bulk_create(
        [Membership(user=users[i], unit_id=unit_id, role=role) for i, unit_id, role in memberships],
        batch_size=2000,
    )
    return len(users)


def _search_texts() -> int:
    from silta.directory.services import unit_search_text
    from silta.organisations.models import Unit

    units = list(Unit.objects.select_related("organisation"))
    for unit in units:
        unit.search_text = unit_search_text(unit)
    Unit.objects.bulk_update(units, ["search_text"], batch_size=500)
    return len(units)


def _fill_search_names() -> int:
    """Staff whose search name is empty (a generator older than the field) get it folded
    as ``silta.core.text.fold`` does, through the model's own ``save`` logic."""
    from silta.accounts.models import User
    from silta.core.text import fold

    users = list(User.objects.filter(search_name=""))
    for user in users:
        user.search_name = fold(f"{user.first_name} {user.last_name}")
    User.objects.bulk_update(users, ["search_name"], batch_size=1000)
    return len(users)


def load_directory(options: Options) -> dict[str, Any]:
    rng = random.Random(options.seed + 1)
    now = dt.datetime.now(dt.UTC)
    with transaction.atomic():
        units = _new_units(rng, now - dt.timedelta(days=4 * 365))
        areas = _service_areas(options, units)
        from silta.organisations.models import Unit

        counts = _channels(rng, list(Unit.objects.order_by("id")), now.date())
        staff = _local_staff(rng, units, now - dt.timedelta(days=4 * 365))
        filled = _fill_search_names()
        texts = _search_texts()
    schema.reset_sequences(options.database_url, ["organisations_unit", "accounts_user"])
    with schema.connect(options.database_url, autocommit=True) as conn:
        for table in ("organisations_unit", "accounts_user", "accounts_membership",
                      "directory_servicearea", "directory_channel", "directory_weeklyhours",
                      "directory_hoursexception"):  # fmt: skip
            conn.execute(sql_analyze(table))
    return {"units_added": len(units), "units": texts, "service_areas": len(areas),
            **counts, "staff_added": staff, "search_names_filled": filled}  # fmt: skip


def sql_analyze(table: str) -> Any:
    from psycopg import sql

    return sql.SQL("ANALYZE {}").format(sql.Identifier(table))
