"""The data migration that corrects due dates counted by the old weekend rule.

Before the correction an arrival on a non-working day was moved to the next working day
and counted from there: one working day too many. The migration recounts every referral
whose arrival fell on a non-working day and records the correction in its history.
"""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.utils import translation

from silta.referrals.deadline_rules import RULES
from silta.referrals.models import Referral, ReferralEvent
from silta.referrals.tests.helpers import Clock, act, at, send

pytestmark = pytest.mark.django_db
D = dt.date
migration = importlib.import_module(
    "silta.referrals.migrations.0004_correct_non_working_day_arrivals"
)


def _as_before(referral: Referral, due: dt.date) -> Referral:
    Referral.objects.filter(pk=referral.pk).update(due_date=due)
    return Referral.objects.get(pk=referral.pk)


def test_weekend_and_holiday_arrivals_are_recounted_with_history(world, monkeypatch) -> None:
    # The case and its consent first: the consent is in force at every moment below.
    Clock(monkeypatch, at(2026, 12, 23, 9))
    world.open_case()
    Clock(monkeypatch, at(2027, 3, 6, 10))  # Saturday 6.3.2027
    saturday = _as_before(send(world, "contact"), D(2027, 3, 17))  # the old answer
    Clock(monkeypatch, at(2026, 12, 24, 9))  # Christmas Eve, urgent handling (14 b §)
    christmas = _as_before(send(world, "urgent_handling"), D(2026, 12, 29))
    Clock(monkeypatch, at(2027, 3, 5, 10))  # Friday: a working day, never touched
    friday = send(world, "contact")
    version = saturday.version

    migration.correct(apps, None)

    saturday.refresh_from_db()
    christmas.refresh_from_db()
    assert saturday.due_date == D(2027, 3, 16)
    assert christmas.due_date == D(2026, 12, 28)
    assert saturday.version == version + 1
    assert Referral.objects.get(pk=friday.pk).due_date == D(2027, 3, 16)
    event = ReferralEvent.objects.get(referral=saturday, action="due_corrected")
    assert event.detail["due_before"] == "2027-03-17"
    assert event.detail["due_after"] == "2027-03-16"
    assert event.from_status == event.to_status == saturday.status
    with translation.override("fi"):
        assert event.label == (
            "määräpäivä korjattu 17.3.2027 → 16.3.2027 (saapumispäivää ei lasketa)"
        )
    assert not ReferralEvent.objects.filter(referral=friday, action="due_corrected").exists()


def test_closed_referrals_are_corrected_for_the_report(world, monkeypatch) -> None:
    Clock(monkeypatch, at(2027, 3, 7, 10))  # Sunday
    referral = _as_before(send(world, "contact"), D(2027, 3, 17))
    act(world, "kela_processor", referral, "cancel", reason_text="Peruttu")
    migration.correct(apps, None)
    assert Referral.objects.get(pk=referral.pk).due_date == D(2027, 3, 16)


def test_a_second_run_changes_nothing(world, monkeypatch) -> None:
    Clock(monkeypatch, at(2027, 3, 6, 10))
    referral = _as_before(send(world, "contact"), D(2027, 3, 17))
    migration.correct(apps, None)
    migration.correct(apps, None)
    assert ReferralEvent.objects.filter(referral=referral, action="due_corrected").count() == 1


def test_a_date_set_by_the_requester_is_left_alone(world, monkeypatch) -> None:
    Clock(monkeypatch, at(2027, 3, 6, 10))
    referral = send(world, "statement_request", requested_date=D(2027, 3, 31))
    migration.correct(apps, None)
    assert Referral.objects.get(pk=referral.pk).due_date == D(2027, 3, 31)
    assert not ReferralEvent.objects.filter(action="due_corrected").exists()


def test_the_migration_table_matches_the_rule_table() -> None:
    for rule_id, (normal, urgent) in migration.RULE_DAYS.items():
        assert (RULES[rule_id].working_days, RULES[rule_id].urgent_working_days) == (
            normal,
            urgent,
        )
