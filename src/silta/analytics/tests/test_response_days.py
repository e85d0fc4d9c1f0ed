"""The response figures read the daily aggregates for the settled referrals of the days
built and stay equal to the live answer (``queries.response_groups_live``): over a
generated history (every status, receipts and outcomes at midnight edges, overdue and
in-time, rejected and cancelled), after a rebuild, after referrals settle, are returned
and re-sent (moving their arrival day) once the days are built, and after the refresh."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from django.utils import timezone

from silta.analytics import queries, response_sql
from silta.analytics.daily import aggregates_build, aggregates_refresh, days_build
from silta.analytics.models import BuiltDay, ResponseDay
from silta.analytics.periods import Period
from silta.analytics.scope import Scope, organiser_regions
from silta.analytics.tests.scene import _referral, at
from silta.organisations.models import Unit
from silta.referrals.models import Referral
from silta.workdays.calendar import add_working_days, today
from tests.factories import World, make_client

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)
STATUSES = ("requested", "received", "in_progress", "on_hold", "returned", "completed",
            "completed", "completed", "rejected", "cancelled")  # fmt: skip


def _history(world: World, *, seed: int = 27, referrals: int = 90) -> list[Referral]:
    rng = random.Random(seed)
    clients = [*world.clients, *(make_client(n) for n in range(3, 6))]
    cases = [
        world.open_case(clients[0]),
        world.open_case(clients[1], social_unit=world.social_unit2),
        world.open_case(
            clients[2], kela_unit=world.kela_unit2, social_unit=world.other_social_unit
        ),
        *(world.open_case(c) for c in clients[3:]),
    ]
    now, made = today(), []
    for n in range(referrals):
        case = rng.choice(cases)
        sender, receiver = (
            (case.kela_unit, case.social_unit) if n % 3 else (case.social_unit, case.kela_unit)
        )
        arrived = now - rng.randint(0, 100) * DAY
        due = add_working_days(arrived, 7)
        status = rng.choice(STATUSES)
        hour, minute = rng.choice(((0, 5), (9, 0), (23, 40)))
        received = (
            at(min(now, arrived + rng.randint(0, 4) * DAY), hour, minute)
            if status not in ("requested",)
            else None
        )
        completed = (
            at(min(now, arrived + rng.randint(0, 14) * DAY), hour, minute)
            if status == "completed"
            else None
        )
        referral = _referral(case, sender, receiver, arrived, received, completed, due, "")
        closed = completed or (
            at(min(now, arrived + rng.randint(0, 10) * DAY), 12)
            if status in ("rejected", "cancelled")
            else None
        )
        Referral.objects.filter(pk=referral.pk).update(status=status, closed_at=closed)
        made.append(referral)
    return made


def _scopes(world: World) -> list[Scope]:
    county_units = tuple(
        Unit.objects.filter(organisation=world.county).values_list("pk", flat=True)
    )
    region = organiser_regions()[world.county.organiser_code]
    codes = [c for c, r in organiser_regions().items() if r == region]
    region_units = tuple(
        Unit.objects.filter(organisation__organiser_code__in=codes).values_list("pk", flat=True)
    )
    return [
        Scope("organisation", "", "", county_units, False),
        Scope("unit", "", "", (world.social_unit2.pk,), False),
        Scope("region", region, "", region_units, True),
        Scope("national", "", "", None, True),
    ]


def _period() -> Period:
    last = today().replace(day=1)
    first = (last - 110 * DAY).replace(day=1)
    return Period(first, last)


def _rows(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    def plain(value: Any) -> Any:
        if isinstance(value, dt.date):
            return value
        if value is None:
            return 0
        return int(value) if not isinstance(value, str) else dt.date.fromisoformat(value)

    return sorted(tuple(plain(v) for v in row) for row in rows)


def _both(world: World) -> tuple[list[Any], list[Any]]:
    """(the figures' rows, the live answer's rows) for every scope."""
    period, now = _period(), today()
    figures = [_rows(response_sql.response_groups(s, period, now)) for s in _scopes(world)]
    live = [_rows(queries.response_groups_live(s, period, now)) for s in _scopes(world)]
    return figures, live


@pytest.fixture
def history(world):
    return _history(world)


def test_the_aggregates_give_the_live_answer(world, history):
    figures, live = _both(world)
    assert figures == live and any(live)
    assert aggregates_build(today() - 120 * DAY, today()) == 120
    assert ResponseDay.objects.exists()
    # Only referrals settled before the build are aggregated; the others stay live (the
    # history settles some later today, at 10:00, 12:00 or 23:40, after the build).
    aggregated = sum(ResponseDay.objects.values_list("received", flat=True))
    built = BuiltDay.objects.order_by("built_at").values_list("built_at", flat=True)[0]
    settled = Referral.objects.filter(
        status__in=response_sql.SETTLED, arrived_on__lt=today(), closed_at__lt=built
    ).count()
    assert 0 < aggregated == settled
    assert _both(world) == (live, live)


def test_the_figures_read_the_aggregates_of_the_days_built(world, history):
    aggregates_build(today() - 120 * DAY, today())
    _figures, live = _both(world)
    row = ResponseDay.objects.order_by("day").first()
    assert row is not None
    ResponseDay.objects.filter(pk=row.pk).update(received=row.received + 1000)
    figures, _live = _both(world)
    assert figures != live
    # A day no longer built is counted from the referrals, whatever rows it has.
    BuiltDay.objects.filter(day=row.day).delete()
    assert _both(world) == (live, live)


def test_referrals_settled_returned_or_resent_after_the_build_stay_exact(world, history):
    # Built two hours ago; a referral is settled an hour ago, before the refresh.
    two_hours_ago = timezone.now() - dt.timedelta(hours=2)
    days_build([today() - n * DAY for n in range(1, 121)], now=two_hours_ago)
    before, _live = _both(world)
    now = timezone.now() - dt.timedelta(hours=1)
    moved = Referral.objects.filter(status="returned", arrived_on__lt=today()).first()
    open_ = Referral.objects.filter(status="in_progress", arrived_on__lt=today()).first()
    assert moved and open_
    # Completed now: after its arrival day was built.
    Referral.objects.filter(pk=open_.pk).update(status="completed", completed_at=now, closed_at=now)
    # A returned referral sent again: a new arrival today, a new due date.
    Referral.objects.filter(pk=moved.pk).update(
        status="requested", arrived_on=today(), due_date=add_working_days(today(), 7),
        received_at=None, sent_at=now,
    )  # fmt: skip
    figures, live = _both(world)
    assert figures == live != before
    # The refresh rewrites the arrival day of the referral settled since: it is aggregated.
    aggregates_refresh()
    built_at = BuiltDay.objects.get(day=open_.arrived_on).built_at
    assert built_at > now
    # The other days' build time moves up to the refresh's (none of theirs settled since).
    assert not BuiltDay.objects.filter(built_at__lt=built_at).exists()
    in_aggregate = sum(
        ResponseDay.objects.filter(day=open_.arrived_on).values_list("completed", flat=True)
    )
    assert (
        in_aggregate
        == Referral.objects.filter(
            arrived_on=open_.arrived_on, status="completed", closed_at__lt=built_at
        ).count()
    )
    assert _both(world) == (live, live)
