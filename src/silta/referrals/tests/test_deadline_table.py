"""Every row of the deadline table: the normal and the urgent due date, counted by hand.

Arrivals are working days only (Monday 2 February 2026, and Thursday 5 February 2026 so
that the count crosses a weekend); February 2026 has no public holidays. The start day is
not counted: 7 working days after Monday 2 February is Wednesday 11 February.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from silta.referrals.deadline_rules import RULES
from silta.referrals.deadlines import due_date, working_days_left

D = dt.date
MONDAY, THURSDAY = D(2026, 2, 2), D(2026, 2, 5)
# rule: (normal, urgent) due dates for an arrival on Monday 2 Feb, then on Thursday 5 Feb.
VECTORS = {
    # Totul 14 a §: 7th working day; urgent (14 b §): the next working day.
    "totul_14a_decision": ((D(2026, 2, 11), D(2026, 2, 3)), (D(2026, 2, 16), D(2026, 2, 6))),
    "totul_14a_after_completion": (
        (D(2026, 2, 11), D(2026, 2, 3)),
        (D(2026, 2, 16), D(2026, 2, 6)),
    ),
    # Totul 14 b §: urgent either way, the next working day.
    "totul_14b_urgent": ((D(2026, 2, 3), D(2026, 2, 3)), (D(2026, 2, 6), D(2026, 2, 6))),
    # Totul 14 d §: the meeting by the 7th working day, urgent or not.
    "totul_14d_meeting": ((D(2026, 2, 11), D(2026, 2, 11)), (D(2026, 2, 16), D(2026, 2, 16))),
    # SHL 36 §: assessment started by the 7th working day; an urgent need at once.
    "shl_36_assessment": ((D(2026, 2, 11), MONDAY), (D(2026, 2, 16), THURSDAY)),
    "totul_10a_assessment": ((D(2026, 2, 11), MONDAY), (D(2026, 2, 16), THURSDAY)),
    # Totul 15 §: Kela says by the 7th working day; urgent: the next working day.
    "totul_15_consider": ((D(2026, 2, 11), D(2026, 2, 3)), (D(2026, 2, 16), D(2026, 2, 6))),
}


def test_every_rule_of_the_table_has_vectors() -> None:
    assert set(RULES) == {*VECTORS, "requested_date"}


@pytest.mark.parametrize("rule", sorted(VECTORS))
def test_normal_due_date_of_each_rule_for_a_monday_and_a_thursday_arrival(rule: str) -> None:
    (monday, _), (thursday, _) = VECTORS[rule]
    assert due_date(rule, MONDAY, urgent=False) == monday
    assert due_date(rule, THURSDAY, urgent=False) == thursday


@pytest.mark.parametrize("rule", sorted(VECTORS))
def test_urgent_due_date_of_each_rule_for_a_monday_and_a_thursday_arrival(rule: str) -> None:
    (_, monday), (_, thursday) = VECTORS[rule]
    assert due_date(rule, MONDAY, urgent=True) == monday
    assert due_date(rule, THURSDAY, urgent=True) == thursday


def test_14d_meeting_is_due_on_the_7th_working_day_even_when_urgent() -> None:
    assert due_date("totul_14d_meeting", MONDAY, urgent=False) == D(2026, 2, 11)
    assert due_date("totul_14d_meeting", MONDAY, urgent=True) == D(2026, 2, 11)


def test_10a_assessment_is_due_on_the_7th_working_day_and_urgent_the_same_day() -> None:
    assert due_date("totul_10a_assessment", MONDAY, urgent=False) == D(2026, 2, 11)
    assert due_date("totul_10a_assessment", MONDAY, urgent=True) == MONDAY


def test_15_statement_is_due_on_the_7th_working_day_and_urgent_the_next_day() -> None:
    assert due_date("totul_15_consider", MONDAY, urgent=False) == D(2026, 2, 11)
    assert due_date("totul_15_consider", MONDAY, urgent=True) == D(2026, 2, 3)


@pytest.mark.parametrize("urgent", [False, True])
def test_requested_date_rule_is_due_on_the_date_the_requester_gave(urgent: bool) -> None:
    requested = D(2026, 3, 14)  # any date, even a Saturday: the requester chose it
    assert due_date("requested_date", MONDAY, urgent=urgent, requested=requested) == requested


def test_requested_date_rule_without_a_date_is_an_error() -> None:
    with pytest.raises(ValueError, match="requested date"):
        due_date("requested_date", MONDAY, urgent=False)


def test_fixed_rules_ignore_a_requested_date() -> None:
    assert due_date("totul_14a_decision", MONDAY, urgent=False, requested=D(2026, 3, 1)) == D(
        2026, 2, 11
    )


def test_silence_renotifies_after_1_working_day_and_escalates_after_2_for_every_rule() -> None:
    for rule in RULES.values():
        assert (rule.renotify_after, rule.escalate_after) == (1, 2), rule.id


def test_working_days_left_counts_to_the_due_date_and_below_zero_when_overdue() -> None:
    due = D(2026, 2, 11)
    assert working_days_left(due, MONDAY) == 7
    assert working_days_left(due, D(2026, 2, 10)) == 1
    assert working_days_left(due, due) == 0
    assert working_days_left(due, D(2026, 2, 12)) == -1
    assert working_days_left(due, D(2026, 2, 16)) == -3


def test_the_rule_table_cannot_be_changed_at_run_time() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        RULES["totul_14a_decision"].working_days = 8  # type: ignore[misc]
