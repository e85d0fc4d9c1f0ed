"""The figures against the hand-counted data set of ``scene`` (read its table first)."""

from __future__ import annotations

import pytest
from django.utils import translation

from silta.analytics.dashboard import dashboard_get
from silta.analytics.periods import period_parse
from silta.analytics.suppression import HIDDEN, count, derived
from silta.audit.models import AuditEvent
from silta.core.errors import Invalid

pytestmark = pytest.mark.django_db

KUOPIO, KUOPIO2, KELA = "Aikuissosiaalityö Kuopio", "Toimeentulotuki Kuopio", "Kela Itä"


def _county(world, actor="social_manager", **kwargs):
    with translation.override("en"):
        return dashboard_get(
            actor=world.actor(actor),
            scope="organisation",
            key=str(world.county.public_id),
            first="2026-10",
            last="2026-11",
            **kwargs,
        )


def _rows(dashboard, key):
    table = dashboard.table(key)
    assert table is not None, key
    return table.rows


def test_handoffs_by_month_kind_pair_reason_and_expense_kind(world, data):
    board = _county(world, sections=("handoffs",))
    # Returns, redirects, re-sends, all.
    assert [row[1:] for row in _rows(board, "handoffs_by_month")] == [
        [1, 0, 1, 0, 2],
        [3, 1, 1, 0, 5],
    ]
    pairs = _rows(board, "handoffs_by_pair")
    assert pairs[:2] == [[KUOPIO, KELA, 3, 0, 0, 0, 3], [KUOPIO2, KELA, 0, 1, 1, 0, 2]]
    assert sorted(pairs[2:]) == [
        [KELA, KUOPIO, 0, 0, 1, 0, 1],
        [KELA, KUOPIO2, 1, 0, 0, 0, 1],
    ]
    assert _rows(board, "returns_by_reason") == [
        ["The expense belongs to basic assistance (Kela)", 2],
        ["The expense belongs to supplementary assistance (organiser)", 1],
        ["Wrong unit within the organisation", 1],
    ]
    assert _rows(board, "handoffs_by_expense_kind") == [
        ["Rent deposit", 3, 0, 1, 0, 4],
        ["Medicine", 1, 0, 1, 0, 2],
        ["Not recorded", 0, 1, 0, 0, 1],
    ]
    # Client 0: R1 three times and R2 once; client 1: R3 once and R4 twice.
    assert _rows(board, "handoffs_per_client") == [["1", 0], ["2", 0], ["3–4", 2], ["5+", 0]]


def test_response_times_and_shares_within_the_deadline(world, data):
    board = _county(world, sections=("responses",))
    # Received, acknowledged within 1 wd (%), mean wd to acknowledge, completed,
    # completed within deadline (%), mean wd to outcome, open and overdue.
    assert sorted(_rows(board, "response_by_unit")) == [
        [KUOPIO, "Pohjois-Savon hyvinvointialue", 3, 33.3, 1.0, 2, 50.0, 5.5, 1],
        [KELA, "Kela", 1, 100.0, 1.0, 1, 100.0, 7.0, 0],
        [KUOPIO2, "Pohjois-Savon hyvinvointialue", 1, 100.0, 0.0, 1, 100.0, 2.0, 0],
    ]
    assert sorted(_rows(board, "response_by_organiser")) == [
        ["Kela", 1, 100.0, 1.0, 1, 100.0, 7.0, 0],
        ["Pohjois-Savon hyvinvointialue", 4, 50.0, 0.7, 3, 66.7, 4.3, 1],
    ]
    by_month = _rows(board, "response_by_month")
    assert [row[1:] for row in by_month] == [
        [1, 100.0, 1.0, 1, 100.0, 7.0, 0],
        [4, 50.0, 0.7, 3, 66.7, 4.3, 1],
    ]
    regions = {row[0]: row[1:] for row in _rows(board, "response_by_region")}
    assert regions["Kela"] == [1, 100.0, 1.0, 1, 100.0, 7.0, 0]
    assert len(regions) == 2  # Pohjois-Savo's service area and Kela


def test_callbacks(world, data):
    board = _county(world, sections=("callbacks",))
    # Requests, mean wd to first handling, done, done in time (%), then the outcomes.
    assert _rows(board, "callbacks_by_unit") == [[KUOPIO, 2, 1.0, 1, 100.0, 1, 0, 0]]


def test_cross_organisation_views_hide_small_counts(world, data):
    with translation.override("en"):
        board = dashboard_get(
            actor=world.actor("social_manager"),
            scope="national",
            first="2026-10",
            last="2026-11",
            sections=("handoffs", "responses"),
        )
    assert board.scope.suppressed
    # November nationally: 4 returns (R1 twice, R2, R5), 1 redirect, 1 re-send: 6 in all.
    assert [row[1:] for row in _rows(board, "handoffs_by_month")] == [
        [HIDDEN, 0, HIDDEN, 0, HIDDEN],
        [HIDDEN, HIDDEN, HIDDEN, 0, 6],
    ]
    assert _rows(board, "handoffs_per_client") == [
        ["1", HIDDEN],
        ["2", 0],
        ["3–4", HIDDEN],
        ["5+", 0],
    ]
    # A share of fewer than five referrals is as telling as the count.
    assert all(cell == HIDDEN for row in _rows(board, "response_by_organiser") for cell in row[1:3])
    table = board.table("handoffs_by_month")
    assert table is not None
    assert table.chart_data()["datasets"][2]["data"] == [None, None]
    assert not any(board.scope.drill_units)


def test_suppression_rule():
    assert [count(n, suppressed=True) for n in (0, 1, 4, 5, 12)] == [0, "<5", "<5", 5, 12]
    assert [count(n, suppressed=False) for n in (0, 1, 4)] == [0, 1, 4]
    assert derived(50.0, 2, suppressed=True) == "<5"
    assert derived(50.0, 6, suppressed=True) == 50.0
    assert derived(None, 0, suppressed=True) is None


def test_a_period_over_five_years_or_reversed_is_refused_and_reads_nothing(world, data):
    before = AuditEvent.objects.count()
    for first, last, code in (
        ("2020-01", "2026-11", "period_too_long"),
        ("2026-11", "2026-10", "period_reversed"),
        ("2026-13", "2026-11", "period_invalid"),
    ):
        with pytest.raises(Invalid) as refused:
            dashboard_get(actor=world.actor("social_manager"), first=first, last=last)
        assert refused.value.code == code
    assert AuditEvent.objects.count() == before
    assert len(period_parse("2021-12", "2026-11").months) == 60
