"""A year of meetings (step ``meetings``): three meetings for every ten shared cases, spread
over the twelve months before the data set's day and the month after it. Kinds: tripartite
60 %, network 25 %, case conference 15 %. A past meeting was held (minutes recorded: 85 %)
or cancelled; a coming one is confirmed or still finding a time. Each has a worker of the
case's Kela unit and of its social unit as participants (where the unit has staff), a held
one 1-3 agreed actions owned by one of the two units (70 %) or by a participant, due within
40 days of the meeting: done when due more than a month ago (90 %), otherwise open or in
progress.

Meetings, participants and actions are streamed by COPY with the tables' secondary indexes,
unique constraints and foreign keys dropped, then recreated.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from psycopg import sql

from bench import schema
from bench.options import Options

MEETINGS_PER_CASE = 0.3
TABLES = ("meetings_meeting", "meetings_participant", "meetings_meetingaction")
MEETING_COLUMNS = (
    "id", "public_id", "ical_uid", "case_id", "referral_id", "kind", "title",
    "organiser_unit_id", "organiser_id", "organiser_label", "status", "duration_minutes",
    "place_kind", "place_unit_id", "place_text", "video_platform", "starts_at", "sequence",
    "created_at", "cancelled_reason", "client_attended", "agreed", "minutes_at",
    "minutes_by_label",
)  # fmt: skip
PARTICIPANT_COLUMNS = (
    "id", "public_id", "meeting_id", "user_id", "unit_id", "name", "email", "organisation",
    "attended",
)  # fmt: skip
ACTION_COLUMNS = (
    "id", "public_id", "meeting_id", "text", "owner_unit_id", "owner_participant_id",
    "due_date", "status", "done_at", "updated_by_label",
)  # fmt: skip
KINDS = (("tripartite", 0.60), ("network", 0.25), ("case_conference", 0.15))
ACTIONS = (
    "Asiakas toimittaa vuokrasopimuksen",
    "Kela käsittelee täydennetyn hakemuksen",
    "Sosiaalityöntekijä varaa palvelutarpeen arvioinnin",
    "Selvitetään asumistuen tarkistus",
    "Laaditaan aktivointisuunnitelma",
)


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _staff() -> dict[int, list[tuple[int, str]]]:
    """Per unit, its people who see cases: (user id, name)."""
    from silta.accounts.models import Membership
    from silta.accounts.roles import Perm, role_allows

    staff: dict[int, list[tuple[int, str]]] = defaultdict(list)
    rows = Membership.objects.filter(user__is_active=True).values_list(
        "unit_id", "user_id", "role", "user__first_name", "user__last_name"
    )
    for unit_id, user_id, role, first, last in rows.order_by("pk"):
        if role_allows(role, Perm.CASE_VIEW):
            staff[unit_id].append((user_id, f"{first} {last}".strip() or "Työntekijä"))
    return staff


def _cases(rng: random.Random, count: int) -> list[tuple[int, int, int]]:
    from silta.exchange.models import Case

    ids = list(Case.objects.values_list("id", "kela_unit_id", "social_unit_id").order_by("pk"))
    return [rng.choice(ids) for _ in range(count)] if ids else []


class _Rows:
    """The three tables' rows, numbered as they are made."""

    def __init__(self) -> None:
        self.meetings: list[tuple[Any, ...]] = []
        self.participants: list[tuple[Any, ...]] = []
        self.actions: list[tuple[Any, ...]] = []


def _kind(rng: random.Random) -> str:
    roll, total = rng.random(), 0.0
    for kind, share in KINDS:
        total += share
        if roll < total:
            return kind
    return KINDS[-1][0]


def _status(rng: random.Random, starts: dt.datetime, now: dt.datetime) -> str:
    if starts >= now:
        return "confirmed" if rng.random() < 0.7 else "scheduling"
    return "held" if rng.random() < 0.85 else "cancelled"


def _meeting(
    rng: random.Random,
    rows: _Rows,
    case: tuple[int, int, int],
    staff: dict[int, list[tuple[int, str]]],
    now: dt.datetime,
) -> None:
    case_id, kela_unit, social_unit = case
    meeting_id = len(rows.meetings) + 1
    starts = now - dt.timedelta(days=365) + dt.timedelta(minutes=rng.randrange(395 * 24 * 60))
    starts = starts.replace(minute=starts.minute // 15 * 15, second=0, microsecond=0)
    status = _status(rng, starts, now)
    organiser_unit = rng.choice((kela_unit, social_unit))
    people = [(u, *rng.choice(staff[u])) for u in (kela_unit, social_unit) if staff.get(u)]
    organiser = next((p for p in people if p[0] == organiser_unit), None)
    held = status == "held"
    rows.meetings.append(
        (
            *(meeting_id, _uuid(rng), _uuid(rng), case_id, None, _kind(rng), "Yhteistapaaminen"),
            *(organiser_unit, organiser[1] if organiser else None, "bench", status, 60),
            *("phone", None, "Puhelinneuvottelu", "", None if status == "scheduling" else starts),
            *(None if status == "scheduling" else 0, starts - dt.timedelta(days=10), ""),
            *(rng.random() < 0.8 if held else None, "Sovittiin jatkosta." if held else ""),
            *(starts + dt.timedelta(hours=2) if held else None, "bench" if held else ""),
        )
    )
    participant_ids = []
    for unit_id, user_id, name in people:
        participant_ids.append(len(rows.participants) + 1)
        rows.participants.append(
            (participant_ids[-1], _uuid(rng), meeting_id, user_id, unit_id, name, "", "", held)
        )
    if held:
        _actions(rng, rows, meeting_id, (kela_unit, social_unit), participant_ids, starts, now)


def _actions(
    rng: random.Random,
    rows: _Rows,
    meeting_id: int,
    units: tuple[int, int],
    participant_ids: list[int],
    starts: dt.datetime,
    now: dt.datetime,
) -> None:
    for _ in range(rng.randint(1, 3)):
        due = (starts + dt.timedelta(days=rng.randint(3, 40))).date()
        done = due < (now - dt.timedelta(days=30)).date() and rng.random() < 0.9
        status = "done" if done else rng.choice(("open", "open", "in_progress"))
        by_participant = participant_ids and rng.random() < 0.3
        rows.actions.append(
            (
                *(len(rows.actions) + 1, _uuid(rng), meeting_id, rng.choice(ACTIONS)),
                None if by_participant else rng.choice(units),
                rng.choice(participant_ids) if by_participant else None,
                *(due, status, starts + dt.timedelta(days=2) if done else None, "bench"),
            )
        )


def _copy(cursor: Any, table: str, columns: tuple[str, ...], rows: Iterator[Any]) -> None:
    names = sql.SQL(", ").join(map(sql.Identifier, columns))
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(sql.Identifier(table), names)
    with cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def load_meetings(options: Options) -> dict[str, Any]:
    rng = random.Random(options.seed + 13)
    url = options.database_url
    staff = _staff()
    from silta.exchange.models import Case

    count = round(Case.objects.count() * MEETINGS_PER_CASE)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    rows = _Rows()
    for case in _cases(rng, count):
        _meeting(rng, rows, case, staff, now)
    catalog = schema.drop_secondary(url, TABLES)
    with schema.connect(url) as conn, conn.cursor() as cursor:
        _copy(cursor, "meetings_meeting", MEETING_COLUMNS, iter(rows.meetings))
        _copy(cursor, "meetings_participant", PARTICIPANT_COLUMNS, iter(rows.participants))
        _copy(cursor, "meetings_meetingaction", ACTION_COLUMNS, iter(rows.actions))
        conn.commit()
    print(
        f"  {len(rows.meetings):,} meetings, {len(rows.participants):,} participants, "
        f"{len(rows.actions):,} actions loaded; recreating indexes.",
        flush=True,
    )
    timings = schema.restore_secondary(url, catalog)
    schema.reset_sequences(url, TABLES)
    with schema.connect(url, autocommit=True) as conn:
        for table in TABLES:
            conn.execute(sql.SQL("VACUUM ANALYZE {}").format(sql.Identifier(table)))
    open_actions = sum(1 for a in rows.actions if a[7] != "done")
    return {
        "meetings": len(rows.meetings),
        "participants": len(rows.participants),
        "actions": len(rows.actions),
        "open_actions": open_actions,
        "index_seconds": {k: round(v, 1) for k, v in timings.items()},
    }
