"""Appointment slots at national scale (step ``bookings``): Kela's five customer-service
areas x 150 service points (x ``BENCH_SCALE``, at least 2 per area), each publishing 40
slots a working day (8:00-15:50, ten minutes each, two desks) for a year from the next
working day, Helsinki time, Finnish holidays skipped: about 7.5 million slots at scale 1.
Each point serves three municipalities of its area for basic assistance (the search's
service area). One slot in twenty in the first two months is booked, for the client of a
random shared case by its social unit.

Slots and bookings are streamed by COPY with the tables' secondary indexes, unique
constraints, foreign keys and the slots' exclusion constraint dropped, then recreated.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

from psycopg import sql

from bench import schema
from bench.options import Options

POINTS_PER_AREA = 150
SLOTS_PER_DAY = 40  # two desks x 20 ten-minute slots, 8:00-11:20 and 12:30-15:50
BOOKED_SHARE, BOOKED_DAYS = 0.05, 60
TABLES = ("bookings_slot", "bookings_booking")
SLOT_COLUMNS = (
    "id", "public_id", "unit_id", "topic", "starts_at", "ends_at", "channel", "place_text",
    "video_platform", "resource", "series", "published_at", "published_by_label",
)  # fmt: skip
BOOKING_COLUMNS = (
    "id", "public_id", "ical_uid", "slot_id", "serving_unit_id", "case_id", "client_id",
    "booking_unit_id", "booked_by_id", "booked_by_label", "referral_id", "feedback_at",
    "client_email", "status", "sequence", "booked_at", "cancelled_at", "cancel_reason",
    "no_show_at", "updated_by_label",
)  # fmt: skip
EXCLUSION = (
    "ALTER TABLE bookings_slot ADD CONSTRAINT slot_no_overlap EXCLUDE USING gist "
    "(unit_id WITH =, resource WITH =, tstzrange(starts_at, ends_at) WITH &&)"
)


def _day_times(day: dt.date) -> list[tuple[dt.datetime, str]]:
    from silta.workdays.calendar import HELSINKI

    times = []
    for desk in ("Palveluneuvoja 1", "Palveluneuvoja 2"):
        for start, count in ((dt.time(8), 10), (dt.time(12, 30), 10)):
            moment = dt.datetime.combine(day, start, tzinfo=HELSINKI)
            for _ in range(count):
                times.append((moment, desk))
                moment += dt.timedelta(minutes=10)
    return times


def _points(options: Options, rng: random.Random) -> list[tuple[int, list[str]]]:
    """(unit id, served municipality codes) of the new service points."""
    from silta.directory.models import ServiceArea
    from silta.organisations.models import Organisation, Unit
    from silta.reference.models import KelaServiceArea

    kela = Organisation.objects.get(kind="kela")
    per_area = max(2, round(POINTS_PER_AREA * options.scale))
    made = []
    for area in KelaServiceArea.objects.order_by("code"):
        codes = list(
            area.municipalities.filter(is_current=True, is_aland=False).values_list(
                "code", flat=True
            )
        )
        units = Unit.objects.bulk_create(
            Unit(
                organisation=kela,
                kind="kela_service_unit",
                name_fi=f"Kelan palvelupiste {area.code}-{n + 1}",
                name_sv=f"FPA:s servicepunkt {area.code}-{n + 1}",
            )
            for n in range(per_area)
        )
        rows = []
        for unit in units:
            served = rng.sample(codes, min(3, len(codes)))
            rows += [
                ServiceArea(unit=unit, municipality_id=code, topic="basic_assistance")
                for code in served
            ]
            made.append((unit.pk, served))
        ServiceArea.objects.bulk_create(rows, ignore_conflicts=True)
    return made


def _cases(rng: random.Random) -> list[tuple[int, int, int]]:
    """(case id, client id, social unit id) of a sample of shared cases."""
    from silta.exchange.models import Case

    ids = list(Case.objects.values_list("id", "client_id", "social_unit_id")[:20000])
    rng.shuffle(ids)
    return ids


def _slot_row(
    rng: random.Random, slot_id: int, unit_id: int, moment: dt.datetime, desk: str, now: Any
) -> tuple[Any, ...]:
    end = moment + dt.timedelta(minutes=10)
    public_id = uuid.UUID(int=rng.getrandbits(128), version=4)
    place = f"Kelan palvelupiste {unit_id}"
    return (
        *(slot_id, public_id, unit_id, "basic_assistance", moment, end, "in_person", place),
        *("", desk, None, now, "bench"),
    )


def _booking_row(
    booking_id: int, slot_id: int, unit_id: int, case: tuple[int, int, int], now: Any
) -> tuple[Any, ...]:
    case_id, client_id, social_unit_id = case
    return (
        *(booking_id, uuid.uuid4(), uuid.uuid4(), slot_id, unit_id, case_id, client_id),
        *(social_unit_id, None, "bench", None, None, "", "booked", 0, now, None, "", None, ""),
    )


def load_bookings(options: Options) -> dict[str, Any]:
    from silta.workdays.calendar import is_working_day

    rng = random.Random(options.seed + 11)
    url = options.database_url
    points = _points(options, rng)
    cases = _cases(rng)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    first = now.date() + dt.timedelta(days=1)
    days = [first + dt.timedelta(days=n) for n in range(365)]
    days = [d for d in days if is_working_day(d)]
    booked_until = now + dt.timedelta(days=BOOKED_DAYS)
    with schema.connect(url, autocommit=True) as conn:
        conn.execute("ALTER TABLE bookings_slot DROP CONSTRAINT IF EXISTS slot_no_overlap")
    catalog = schema.drop_secondary(url, TABLES)
    slot_id = booking_id = 0
    with schema.connect(url) as conn, conn.cursor() as cursor:
        bookings: list[tuple[Any, ...]] = []
        columns = sql.SQL(", ").join(map(sql.Identifier, SLOT_COLUMNS))
        with cursor.copy(sql.SQL("COPY bookings_slot ({}) FROM STDIN").format(columns)) as copy:
            for unit_id, _codes in points:
                for day in days:
                    for moment, desk in _day_times(day):
                        slot_id += 1
                        copy.write_row(_slot_row(rng, slot_id, unit_id, moment, desk, now))
                        if moment < booked_until and cases and rng.random() < BOOKED_SHARE:
                            booking_id += 1
                            case = cases[booking_id % len(cases)]
                            bookings.append(_booking_row(booking_id, slot_id, unit_id, case, now))
        columns = sql.SQL(", ").join(map(sql.Identifier, BOOKING_COLUMNS))
        with cursor.copy(sql.SQL("COPY bookings_booking ({}) FROM STDIN").format(columns)) as copy:
            for row in bookings:
                copy.write_row(row)
        conn.commit()
    print(f"  {slot_id:,} slots, {booking_id:,} bookings loaded; recreating indexes.", flush=True)
    timings = schema.restore_secondary(url, catalog)
    with schema.connect(url, autocommit=True) as conn:
        conn.execute(EXCLUSION)
    schema.reset_sequences(url, TABLES)
    with schema.connect(url, autocommit=True) as conn:
        for table in TABLES:
            conn.execute(sql.SQL("VACUUM ANALYZE {}").format(sql.Identifier(table)))
    return {
        "service_points": len(points),
        "working_days": len(days),
        "slots": slot_id,
        "bookings": booking_id,
        "index_seconds": {k: round(v, 1) for k, v in timings.items()},
    }
