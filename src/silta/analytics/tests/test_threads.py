"""Message threads about an expense kind started with the other organisation count as
handoffs (issue 12): by month, unit pair, expense kind and client, never by reason; a
referral's own thread is counted as the referral, a thread about nothing in particular
not at all. Counted the same from the daily aggregates as from the threads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from silta.analytics.daily import aggregates_build
from silta.analytics.dashboard import dashboard_get
from silta.analytics.tests.scene import D, _referral, at
from silta.exchange.models import Thread
from silta.workdays.calendar import today

pytestmark = pytest.mark.django_db

KUOPIO, KELA = "Aikuissosiaalityö Kuopio", "Kela Itä"


def _thread(case, unit, moment, expense) -> Thread:
    return Thread.objects.create(
        case=case,
        subject="Asia",
        started_by_unit=unit,
        created_at=moment,
        last_message_at=moment,
        expense_kind=expense,
    )


@pytest.fixture
def threads(world):
    case_a = world.open_case(world.clients[0])
    case_b = world.open_case(world.clients[1], social_unit=world.social_unit2)
    # Counted: Kuopio -> Kela Itä about a rent deposit (Nov, twice, one client), Kela Itä
    # -> Kuopio 2 about medicine (Oct, 23:30 Helsinki: still October).
    _thread(case_a, world.social_unit, at(D(2026, 11, 3)), "rent-deposit")
    _thread(case_a, world.social_unit, at(D(2026, 11, 20)), "rent-deposit")
    _thread(case_b, world.kela_unit, at(D(2026, 10, 31), 23, 30), "medicine")
    # Not counted: about nothing recorded; a referral's own thread; outside the period.
    _thread(case_a, world.kela_unit, at(D(2026, 11, 4)), "")
    referral = _referral(
        case_a, world.kela_unit, world.social_unit, D(2026, 11, 5), None, None,
        D(2026, 11, 16), "rent",
    )  # fmt: skip
    Thread.objects.filter(pk=referral.thread_id).update(expense_kind="rent")
    _thread(case_a, world.social_unit, at(D(2026, 12, 1)), "rent")
    return case_a, case_b


def _board(world):
    with translation.override("en"):
        return dashboard_get(
            actor=world.actor("social_manager"),
            scope="organisation",
            key=str(world.county.public_id),
            first="2026-10",
            last="2026-11",
            sections=("handoffs",),
        )


def _tables(board):
    return {t.key: t.rows for t in board.tables}


def test_threads_about_an_expense_kind_are_handoffs(world, threads):
    tables = _tables(_board(world))
    # Returns, redirects, re-sends, message threads, all.
    assert [row[1:] for row in tables["handoffs_by_month"]] == [[0, 0, 0, 1, 1], [0, 0, 0, 2, 2]]
    assert sorted(tables["handoffs_by_pair"]) == [
        [KUOPIO, KELA, 0, 0, 0, 2, 2],
        [KELA, "Toimeentulotuki Kuopio", 0, 0, 0, 1, 1],
    ]
    assert tables["handoffs_by_expense_kind"] == [
        ["Rent deposit", 0, 0, 0, 2, 2],
        ["Medicine", 0, 0, 0, 1, 1],
    ]
    assert tables["returns_by_reason"] == []
    assert tables["handoffs_per_client"] == [["1", 1], ["2", 1], ["3–4", 0], ["5+", 0]]


def test_the_aggregates_count_the_threads_as_the_threads_do(world, threads):
    live = _tables(_board(world))
    assert aggregates_build(D(2026, 10, 1), today() - dt.timedelta(days=1)) > 60
    assert _tables(_board(world)) == live
