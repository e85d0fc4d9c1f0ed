"""The daily aggregates give the live figures: over a generated history (returns, renamed
expense kinds, redirects, midnight edges, small counts hidden), after a rebuild, after
the worker's refresh, with today's events and with a return today that renames the
expense kind of a referral handed off on an aggregated day."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from silta.analytics import coverage, handoffs
from silta.analytics.coverage import period_split
from silta.analytics.daily import aggregates_build, aggregates_refresh, days_build
from silta.analytics.dashboard import dashboard_get
from silta.analytics.handoff_sql import Split, first_handoff_day
from silta.analytics.models import BuiltDay, HandoffClientDay, HandoffDay, Refresh
from silta.analytics.tests.history import build, event
from silta.analytics.tests.scene import at
from silta.referrals.models import ReferralEvent
from silta.workdays.calendar import today

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def _month(day: dt.date, back: int) -> str:
    index = day.year * 12 + day.month - 1 - back
    return f"{index // 12}-{index % 12 + 1:02d}"


def _boards(world) -> list[Any]:
    """Every handoff table of four scopes (two of them hiding small counts)."""
    now = today()
    scopes = [
        ("organisation", str(world.county.public_id)),
        ("unit", str(world.social_unit2.public_id)),
        ("national", ""),
        ("region", _region(world)),
    ]
    out = []
    with translation.override("en"):
        for scope, key in scopes:
            board = dashboard_get(
                actor=world.actor("social_manager") if scope != "region" else _across(world),
                scope=scope,
                key=key,
                first=_month(now, 3),
                last=_month(now, 0),
                sections=("handoffs",),
            )
            out.append([(t.key, t.rows, t.drill) for t in board.tables])
    return out


def _across(world):
    return world.actor("social_manager")


def _region(world) -> str:
    from silta.analytics.scope import organiser_regions

    return organiser_regions()[world.county.organiser_code]


def _live(world, monkeypatch) -> list[Any]:
    """The figures counted from the events alone (the split of every day: live)."""
    with monkeypatch.context() as patch:
        patch.setattr(
            handoffs,
            "period_split",
            lambda first, end, today: Split(None, (), ((first, end),)),
        )
        return _boards(world)


@pytest.fixture
def history(world):
    return build(world)


def test_the_aggregates_give_the_live_figures(world, history, monkeypatch):
    live = _live(world, monkeypatch)
    assert any("<5" in str(board) for board in live)  # small counts are hidden somewhere
    first = today() - dt.timedelta(days=120)
    assert aggregates_build(first, today()) == 120  # today is never built
    assert HandoffDay.objects.exists() and HandoffClientDay.objects.exists()
    assert not BuiltDay.objects.filter(day__gte=today()).exists()
    assert _boards(world) == live
    # Today's events are counted live.
    referral = history[0]
    event(referral, "return", referral.receiver_unit_id, at(today(), 0, 5), reason="wrong_unit")
    event(referral, "resend", referral.sender_unit_id, at(today(), 0, 10))
    assert _boards(world) == _live(world, monkeypatch) != live


def test_a_return_today_renaming_the_expense_kind_is_counted_as_the_live_figures_count_it(
    world, history, monkeypatch
):
    aggregates_build(today() - dt.timedelta(days=120), today())
    aggregates_refresh()
    handoff = (
        ReferralEvent.objects.filter(action="resend", at__lt=at(today(), 0))
        .exclude(referral__expense_kind="medicine")
        .select_related("referral")
        .first()
    )
    assert handoff is not None
    referral = handoff.referral
    # A return is logged at the time it is made: after the refresh.
    event(referral, "return", referral.receiver_unit_id, timezone.now(),
          reason="basic_assistance_expense", expense_kind="medicine")  # fmt: skip
    split = period_split(today() - dt.timedelta(days=120), today() + DAY, today())
    assert split.excluded  # the renamed referral's days are counted live...
    assert _boards(world) == _live(world, monkeypatch)  # ...so the kinds are today's
    # The next refresh rewrites those days with the new kind.
    built_before = dict(BuiltDay.objects.values_list("day", "built_at"))
    assert aggregates_refresh() >= len(split.excluded)
    for day in split.excluded:
        assert BuiltDay.objects.get(day=day).built_at > built_before[day]
    assert HandoffDay.objects.filter(day__in=split.excluded, expense_kind="medicine").exists()
    assert _boards(world) == _live(world, monkeypatch)


def test_the_figures_read_the_aggregates_for_the_days_built(world, history, monkeypatch):
    aggregates_build(today() - dt.timedelta(days=120), today())
    live = _live(world, monkeypatch)
    latest = HandoffDay.objects.order_by("-day").first()
    assert latest is not None
    HandoffDay.objects.filter(pk=latest.pk).update(handoffs=1000)
    assert _boards(world) != live
    # A day not built is counted from the events.
    BuiltDay.objects.all().delete()
    assert _boards(world) == live


def test_the_refresh_builds_yesterday_and_the_missed_days_once(world, history):
    yesterday = today() - DAY
    first = first_handoff_day()
    assert first is not None and first < yesterday - 30 * DAY
    # Nothing built yet: every day from the first handoff to yesterday.
    assert aggregates_refresh() == (yesterday - first).days + 1
    assert BuiltDay.objects.order_by("day").values_list("day", flat=True)[0] == first
    BuiltDay.objects.all().delete()
    days_build([yesterday - 5 * DAY])
    assert aggregates_refresh() == 5  # the four missed days and yesterday
    assert set(BuiltDay.objects.values_list("day", flat=True)) == {
        yesterday - n * DAY for n in range(6)
    }
    assert aggregates_refresh() == 0
    assert Refresh.objects.count() == 3


def test_the_first_day_is_the_earliest_handoff_or_thread_in_helsinki_time(world, history):
    referral = history[0]
    event(referral, "resend", referral.sender_unit_id, at(today() - 400 * DAY, 0, 30))
    # 00:30 in Helsinki is the evening before in UTC: still that Helsinki day.
    assert first_handoff_day() == today() - 400 * DAY


def test_the_split_counts_today_and_days_not_built_live():
    BuiltDay.objects.bulk_create(
        [BuiltDay(day=today() - n * DAY, built_at=at(today(), 0)) for n in (2, 3, 5)]
    )
    first, end = today() - 6 * DAY, today() + DAY
    split = period_split(first, end, today())
    assert split.aggregated == (today() - 5 * DAY, today() - DAY)
    assert split.live == (
        (first, today() - 5 * DAY),
        (today() - 4 * DAY, today() - 3 * DAY),
        (today() - DAY, end),
    )
    assert coverage.runs([today(), today() - DAY]) == [(today() - DAY, today() + DAY)]


def test_the_command_rebuilds_a_range_and_queues_the_refresh(world, history):
    out = StringIO()
    yesterday = today() - DAY
    call_command("analytics_daily", "--from", str(yesterday - 2 * DAY), "--to", str(today()),
                 stdout=out)  # fmt: skip
    assert out.getvalue().strip() == "3 days written"
    call_command("analytics_daily", stdout=out)
    assert "0 days written" in out.getvalue()
    call_command("analytics_daily", "--queue", stdout=out)
    assert "queued" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("analytics_daily", "--from", "2026-13-01", "--to", "2026-12-01")
    with pytest.raises(CommandError):
        call_command("analytics_daily", "--from", "2026-11-01")
