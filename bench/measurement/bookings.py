"""Slot search for one service area and topic over a month (issue 11: within 1.5x the
raw SQL).

``silta.bookings.selectors.slots_search`` (the page's and the API's read: the area's
serving units from the directory, free slots of the topic in the month, earliest first,
the first 200) for the first of Kela's service areas (by code), by a worker's
actor, against hand-written SQL returning the same slot ids; its statements are also
replayed as captured (the database's share). The search shows no client data, so it
writes no audit row.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from typing import Any

import psycopg

from bench.measurement.timing import capture, time_samples
from bench.options import Options

GOAL_RATIO = 1.5
RAW = """
SELECT s.id, s.public_id, s.unit_id, s.topic, s.starts_at, s.ends_at, s.channel,
       s.place_text, s.video_platform, s.resource, su.public_id, su.name_fi, su.name_sv
FROM bookings_slot s JOIN organisations_unit su ON su.id = s.unit_id
WHERE s.topic = %(topic)s AND s.starts_at >= %(start)s AND s.starts_at < %(end)s
  AND s.unit_id = ANY(ARRAY(
    SELECT sa.unit_id FROM directory_servicearea sa
    JOIN reference_municipality m ON m.code = sa.municipality_id
    JOIN organisations_unit u ON u.id = sa.unit_id
    WHERE sa.topic = %(topic)s AND m.kela_service_area_id = %(area)s AND u.is_active))
  AND NOT EXISTS (
    SELECT 1 FROM bookings_booking b WHERE b.slot_id = s.id AND b.status <> 'cancelled')
ORDER BY s.starts_at, s.id LIMIT 200
"""


@dataclass(frozen=True)
class SearchSpeed:
    area: str
    slots_in_area: int
    real_ms: float
    orm_sql_ms: float
    raw_ms: float
    rows: int
    same_rows: bool

    @property
    def ratio(self) -> float:
        return self.real_ms / self.raw_ms


def _subject() -> tuple[Any, Any, dt.date, dt.date]:
    from silta.accounts.actor import Actor
    from silta.accounts.models import Membership
    from silta.accounts.roles import Perm, Role, role_allows
    from silta.directory.models import ServiceArea

    row = (
        ServiceArea.objects.filter(topic="basic_assistance", unit__kind="kela_service_unit")
        .values("municipality__kela_service_area")
        .order_by("municipality__kela_service_area")
        .first()
    )
    if row is None:
        raise RuntimeError("no service points in the data set (step 'bookings')")
    roles = [role for role in Role if role_allows(role, Perm.MEETING_ORGANISE)]
    member = Membership.objects.filter(role__in=roles).select_related("user").first()
    if member is None:
        raise RuntimeError("no worker who may book in the data set")
    first = dt.date.today() + dt.timedelta(days=7)
    area = row["municipality__kela_service_area"]
    return area, Actor.for_user(member.user), first, first + dt.timedelta(days=30)


def measure(options: Options) -> SearchSpeed:
    from silta.bookings.inputs import SearchInput
    from silta.bookings.selectors import slots_search
    from silta.workdays.calendar import HELSINKI

    area, actor, first, last = _subject()
    data = SearchInput(service_area=area, topic="basic_assistance", date_from=first, date_to=last)
    params = {
        "topic": "basic_assistance",
        "area": area,
        "start": dt.datetime.combine(first, dt.time(), tzinfo=HELSINKI),
        "end": dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=HELSINKI),
    }

    def real() -> list[int]:
        return [s.pk for s in slots_search(actor=actor, data=data)]

    with psycopg.connect(options.database_url, autocommit=True, prepare_threshold=None) as raw:

        def hand() -> list[int]:
            return [r[0] for r in raw.execute(RAW, params).fetchall()]

        queries = capture(real)

        def replay() -> None:
            for statement in queries:
                raw.execute(statement).fetchall()

        same = real() == hand()
        samples = time_samples(
            {"real": real, "orm_sql": replay, "raw": hand}, options.reps, options.warmup
        )
        in_area = raw.execute(
            "SELECT count(*) FROM bookings_slot s WHERE s.unit_id IN (SELECT sa.unit_id FROM "
            "directory_servicearea sa JOIN reference_municipality m ON m.code = "
            "sa.municipality_id WHERE m.kela_service_area_id = %s)",
            [area],
        ).fetchone()
    return SearchSpeed(
        area=str(area),
        slots_in_area=in_area[0] if in_area else 0,
        real_ms=statistics.median(samples["real"]),
        orm_sql_ms=statistics.median(samples["orm_sql"]),
        raw_ms=statistics.median(samples["raw"]),
        rows=len(real()),
        same_rows=same,
    )


def report_lines(speed: SearchSpeed) -> list[str]:
    verdict = "meets" if speed.ratio <= GOAL_RATIO else "MISSES"
    return [
        "## Slot search: one service area, basic assistance, a month (bookings)",
        f"- service area {speed.area}: {speed.slots_in_area:,} slots in the year",
        f"- slots_search ({speed.rows} rows, same as the raw SQL: {speed.same_rows}): "
        f"{speed.real_ms:.2f} ms; its SQL replayed {speed.orm_sql_ms:.2f} ms",
        f"- hand-written SQL: {speed.raw_ms:.2f} ms",
        f"- ratio {speed.ratio:.2f}x ({verdict} the {GOAL_RATIO:.1f}x goal)",
    ]
