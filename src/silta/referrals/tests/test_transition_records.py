"""What each step of ``referral_act`` writes on the referral, its event and the audit trail,
stated rule by rule (issue 15, ``make mutation`` of ``referrals/transitions.py``): the
version, the receipt, a reason's text and code, the outcome and its times, a resend's fresh
start, a statement request's requested date, the event's details and the audit's."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pydantic
import pytest
from django.utils import timezone

from silta.audit.models import AuditEvent
from silta.consents.models import Disclosure
from silta.core.errors import Conflict, Forbidden, Invalid
from silta.referrals import services
from silta.referrals.models import Referral, ReferralEvent
from silta.referrals.tests.helpers import Clock, act, at, send

pytestmark = pytest.mark.django_db
D = dt.date


def _event(referral: Referral) -> ReferralEvent:
    return ReferralEvent.objects.filter(referral=referral).latest("pk")


def _audit(referral: Referral) -> AuditEvent:
    return AuditEvent.objects.filter(object_id=str(referral.public_id), action="update").latest(
        "pk"
    )


def test_each_step_raises_the_version_by_one_and_the_receipt_records_its_time(
    world, monkeypatch
) -> None:
    clock = Clock(monkeypatch, at(2026, 11, 2, 9))
    referral = send(world, "contact")
    clock.set(2026, 11, 3, 14, 30)
    received = act(world, "social_worker", referral, "receive")
    assert (received.version, received.received_at) == (
        referral.version + 1,
        at(2026, 11, 3, 14, 30),
    )
    clock.set(2026, 11, 4)
    accepted = act(world, "social_worker", referral, "accept")
    assert accepted.version == referral.version + 2
    assert accepted.received_at == at(2026, 11, 3, 14, 30)  # only the receipt sets it
    assert (accepted.closed_at, accepted.completed_at, accepted.handoff_count) == (None, None, 0)
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.status, stored.version) == ("accepted", referral.version + 2)


def test_a_reason_text_is_trimmed_and_kept_to_500_characters(world) -> None:
    referral = act(world, "social_worker", send(world, "contact"), "receive")
    rejected = act(world, "social_worker", referral, "reject", reason_text="  " + "y" * 600 + " ")
    assert Referral.objects.get(pk=rejected.pk).reason_text == "y" * 500
    other = act(world, "social_worker", send(world, "contact"), "receive")
    held = act(world, "social_worker", other, "accept")
    held = act(world, "social_worker", held, "start")
    held = act(world, "social_worker", held, "hold", reason_text="  Vuokrasopimus puuttuu  ")
    assert Referral.objects.get(pk=held.pk).reason_text == "Vuokrasopimus puuttuu"


def test_only_a_return_keeps_a_reason_code_the_other_reasoned_steps_keep_their_text(
    world,
) -> None:
    referral = act(world, "social_worker", send(world, "contact"), "receive")
    rejected = act(
        world, "social_worker", referral, "reject", reason="wrong_unit", reason_text="Ei meille"
    )
    stored = Referral.objects.get(pk=rejected.pk)
    assert (stored.reason, stored.reason_text) == ("", "Ei meille")
    other = act(world, "social_worker", send(world, "contact"), "receive")
    returned = act(
        world, "social_worker", other, "return", reason="wrong_unit", reason_text=" Kuopio 2 "
    )
    stored = Referral.objects.get(pk=returned.pk)
    assert (stored.reason, stored.reason_text, stored.handoff_count) == (
        "wrong_unit",
        "Kuopio 2",
        1,
    )


def test_a_return_needs_no_reason_text(world) -> None:
    referral = act(world, "social_worker", send(world, "contact"), "receive")
    returned = act(world, "social_worker", referral, "return", reason="wrong_unit")
    assert (returned.status, returned.reason, returned.reason_text) == (
        "returned",
        "wrong_unit",
        "",
    )


def test_completing_records_the_outcome_with_its_date_time_and_details_and_closes(
    world, monkeypatch
) -> None:
    clock = Clock(monkeypatch, at(2026, 11, 2, 9))
    referral = send(world, "meeting_request")
    receiver = (
        "kela_processor" if referral.receiver_unit_id == world.kela_unit.pk else "social_worker"
    )
    referral = act(world, receiver, referral, "receive")
    referral = act(world, receiver, referral, "accept")
    clock.set(2026, 11, 5, 11)
    done = act(
        world,
        receiver,
        referral,
        "complete",
        outcome="meeting_confirmed",
        outcome_date=D(2026, 12, 14),
        outcome_time=dt.time(10, 0),
        outcome_text="  Kelan toimisto, Kuopio  ",
    )
    stored = Referral.objects.get(pk=done.pk)
    assert (stored.status, stored.outcome, stored.outcome_date, stored.outcome_time) == (
        "completed",
        "meeting_confirmed",
        D(2026, 12, 14),
        dt.time(10, 0),
    )
    assert stored.outcome_text == "Kelan toimisto, Kuopio"
    assert stored.completed_at == stored.closed_at == at(2026, 11, 5, 11)


def test_a_resend_starts_afresh_without_receipt_reason_or_reminders(world, monkeypatch) -> None:
    clock = Clock(monkeypatch, at(2026, 11, 2))
    referral = send(world, "contact")
    clock.set(2026, 11, 3)
    act(world, "social_worker", referral, "receive")
    Referral.objects.filter(pk=referral.pk).update(
        renotified_at=timezone.now(), escalated_at=timezone.now()
    )
    act(world, "social_worker", referral, "return", reason="wrong_unit", reason_text="Väärä")
    clock.set(2026, 11, 5, 15)
    again = act(world, "kela_processor", referral, "resend")
    stored = Referral.objects.get(pk=again.pk)
    assert (stored.status, stored.sent_at, stored.arrived_on) == (
        "requested",
        at(2026, 11, 5, 15),
        D(2026, 11, 5),
    )
    assert (stored.received_at, stored.renotified_at, stored.escalated_at) == (None, None, None)
    assert (stored.reason, stored.reason_text, stored.handoff_count) == ("", "", 1)
    # The SHL 36 § assessment: seven working days from Thursday 5 Nov.
    assert stored.due_date == D(2026, 11, 16)
    assert stored.closed_at is None


def test_a_resent_statement_request_is_due_on_the_date_it_asks_for(world, monkeypatch) -> None:
    clock = Clock(monkeypatch, at(2026, 11, 2))
    referral = send(world, "statement_request", requested_date=D(2026, 12, 18))
    assert referral.due_date == D(2026, 12, 18)
    receiver = (
        "kela_processor" if referral.receiver_unit_id == world.kela_unit.pk else "social_worker"
    )
    sender = "social_worker" if receiver == "kela_processor" else "kela_processor"
    act(world, receiver, referral, "receive")
    act(world, receiver, referral, "return", reason="wrong_unit")
    clock.set(2026, 11, 9)
    again = act(world, sender, referral, "resend")
    assert (again.arrived_on, again.due_date) == (D(2026, 11, 9), D(2026, 12, 18))


def test_the_step_event_lists_what_changed_without_empty_values(world, monkeypatch) -> None:
    clock = Clock(monkeypatch, at(2026, 11, 2))
    referral = send(world, "contact")
    clock.set(2026, 11, 3, 12)
    act(world, "social_worker", referral, "receive")
    event = _event(referral)
    assert (event.action, event.from_status, event.to_status) == (
        "receive",
        "requested",
        "received",
    )
    assert event.detail == {"received_at": str(at(2026, 11, 3, 12))}
    act(world, "social_worker", referral, "return", reason="wrong_unit")
    assert _event(referral).detail == {"reason": "wrong_unit", "handoff_count": "1"}
    clock.set(2026, 11, 5, 15)
    act(world, "kela_processor", referral, "resend")
    assert _event(referral).detail == {
        "sent_at": str(at(2026, 11, 5, 15)),
        "arrived_on": "2026-11-05",
        "due_date": "2026-11-16",
    }


def test_the_audit_names_the_step_and_where_it_led_and_a_completion_its_disclosure(world) -> None:
    referral = act(world, "social_worker", send(world, "contact"), "receive")
    audit = _audit(referral)
    assert audit.detail == {"action": "receive", "to": "received"}
    assert audit.unit_id == world.social_unit.pk and audit.client_id == referral.case.client_id
    referral = act(world, "social_worker", referral, "accept")
    act(
        world,
        "social_worker",
        referral,
        "complete",
        outcome="assessment_started",
        outcome_date=D(2026, 12, 1),
    )
    disclosure = Disclosure.objects.filter(kind="outcome").latest("pk")
    audit = _audit(referral)
    assert audit.detail == {
        "action": "complete",
        "to": "completed",
        "disclosure": str(disclosure.public_id),
    }
    assert audit.legal_basis == "consent"


def test_open_by_a_receiving_member_who_may_not_act_leaves_it_unreceived(world) -> None:
    referral = send(world, "contact")
    denied = AuditEvent.objects.filter(action="denied").count()
    opened = services.referral_open(actor=world.actor("social_admin"), referral=referral)
    assert opened is referral and opened.status == "requested"
    assert Referral.objects.get(pk=referral.pk).status == "requested"
    assert AuditEvent.objects.filter(action="denied").count() == denied


def test_open_of_a_returned_referral_by_its_receiver_changes_and_reads_nothing(
    world, django_assert_num_queries
) -> None:
    referral = act(world, "social_worker", send(world, "contact"), "receive")
    returned = act(world, "social_worker", referral, "return", reason="wrong_unit")
    actor = world.actor("social_worker")
    with django_assert_num_queries(0):
        opened = services.referral_open(actor=actor, referral=returned)
    assert opened is returned and opened.status == "returned"


def test_only_a_return_counts_a_handoff(world) -> None:
    referral = send(world, "contact")
    steps: list[tuple[str, str, dict[str, Any]]] = [
        ("social_worker", "receive", {}),
        ("social_worker", "accept", {}),
        ("social_worker", "start", {}),
        ("social_worker", "hold", {"reason_text": "Vuokrasopimus puuttuu"}),
        ("kela_processor", "resume", {}),
        (
            "social_worker",
            "complete",
            {"outcome": "assessment_started", "outcome_date": D(2026, 12, 1)},
        ),
    ]
    for key, action, fields in steps:
        referral = act(world, key, referral, action, **fields)
        assert Referral.objects.get(pk=referral.pk).handoff_count == 0, action


def test_starting_or_returning_a_forwarded_application_keeps_its_clock(world, monkeypatch) -> None:
    clock = Clock(monkeypatch, at(2026, 11, 2))
    referral = send(world, "forwarded_application")
    clock.set(2026, 11, 4)
    for action in ("receive", "accept", "start"):
        referral = act(world, "social_worker", referral, action)
    assert (referral.deadline_rule, referral.arrived_on, referral.due_date) == (
        "totul_14a_decision",
        D(2026, 11, 2),
        D(2026, 11, 11),
    )
    other = send(world, "forwarded_application")
    clock.set(2026, 11, 5)
    other = act(world, "social_worker", other, "receive")
    returned = act(world, "social_worker", other, "return", reason="wrong_unit")
    assert (returned.deadline_rule, returned.arrived_on, returned.due_date) == (
        "totul_14a_decision",
        D(2026, 11, 4),
        D(2026, 11, 13),
    )


def test_a_step_input_cannot_be_changed_once_given() -> None:
    data = services.ActInput(action="accept")
    with pytest.raises(pydantic.ValidationError):
        data.action = "complete"
    assert data.action == "accept"


def test_a_return_to_the_other_organisation_needs_a_kind_the_guide_has_an_entry_for(
    world, monkeypatch
) -> None:
    referral = act(world, "social_worker", send(world, "contact"), "receive")
    monkeypatch.setattr("silta.referrals.transitions.guide_has_entry", lambda code: False)
    with pytest.raises(Invalid) as refused:
        act(
            world,
            "social_worker",
            referral,
            "return",
            reason="basic_assistance_expense",
            expense_kind="rent",
        )
    assert refused.value.code == "guide_entry_required"
    assert Referral.objects.get(pk=referral.pk).status == "received"


def test_a_version_newer_than_the_referral_is_refused_as_stale(world) -> None:
    referral = send(world, "contact")
    with pytest.raises(Conflict) as refused:
        act(world, "social_worker", referral, "receive", version=referral.version + 1)
    assert refused.value.code == "referral_stale"
    done = act(world, "social_worker", referral, "receive", version=referral.version)
    assert done.status == "received"


def test_a_receipt_refused_as_forbidden_is_not_an_error_on_open(world, monkeypatch) -> None:
    referral = send(world, "contact")

    def forbidden(**_kwargs: object) -> Referral:
        raise Forbidden("the membership ended meanwhile")

    monkeypatch.setattr("silta.referrals.transitions.referral_act", forbidden)
    opened = services.referral_open(actor=world.actor("social_worker"), referral=referral)
    assert opened.pk == referral.pk and opened.status == "requested"


def test_a_return_to_the_other_organisation_naming_a_guide_entry_goes_through(
    world, monkeypatch
) -> None:
    """The other half of the rule above: a kind the guide has an entry for is enough, and
    it is recorded on the referral; without a kind the return is refused even so."""
    referral = act(world, "social_worker", send(world, "contact"), "receive")
    monkeypatch.setattr("silta.referrals.transitions.guide_has_entry", lambda code: True)
    with pytest.raises(Invalid) as refused:
        act(world, "social_worker", referral, "return", reason="basic_assistance_expense")
    assert refused.value.code == "guide_entry_required"
    returned = act(
        world,
        "social_worker",
        referral,
        "return",
        reason="basic_assistance_expense",
        expense_kind="rent",
    )
    assert (returned.status, returned.expense_kind) == ("returned", "rent")
    assert Referral.objects.get(pk=referral.pk).status == "returned"
