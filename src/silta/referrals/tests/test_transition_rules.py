"""Rules of referral_act and referral_open that the state table does not state: which side a
refusal names, when a referral closes, what a return and an outcome record, the outcome's
disclosure, and what the receipt on first open gives back (issue 15, ``make mutation``)."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from silta.consents.models import Disclosure
from silta.core.errors import Conflict, Forbidden
from silta.referrals import services
from silta.referrals.models import Referral
from silta.referrals.tests.helpers import act, send

pytestmark = pytest.mark.django_db


def test_a_refused_side_is_named_the_receiving_or_the_sending_unit(world) -> None:
    referral = send(world, "contact")  # Kela sends, social services receive
    with translation.override("en"):
        with pytest.raises(Forbidden, match=re.escape("Only the receiving unit can do this.")):
            act(world, "kela_processor", referral, "receive")
        act(world, "social_worker", referral, "receive")
        with pytest.raises(Forbidden, match=re.escape("Only the sending unit can do this.")):
            act(world, "social_worker", referral, "cancel", reason_text="Asia ratkesi")


@pytest.mark.parametrize(
    "action,fields,actor",
    [
        ("reject", {"reason": "wrong_unit", "reason_text": "Väärä yksikkö"}, "social_worker"),
        ("cancel", {"reason_text": "Asia ratkesi"}, "kela_processor"),
    ],
)
def test_rejecting_and_cancelling_close_the_referral(world, action, fields, actor) -> None:
    referral = act(world, "social_worker", send(world, "contact"), "receive")
    assert referral.closed_at is None
    closed = act(world, actor, referral, action, **fields)
    assert closed.closed_at is not None and closed.completed_at is None


def test_a_return_for_another_reason_still_records_the_expense_kind_named(world) -> None:
    referral = act(world, "social_worker", send(world, "contact"), "receive")
    returned = act(
        world, "social_worker", referral, "return", reason="wrong_unit", expense_kind="rent"
    )
    assert Referral.objects.get(pk=returned.pk).expense_kind == "rent"


def test_the_outcome_text_is_kept_to_5000_characters(world) -> None:
    referral = send(world, "statement_request")
    receiver = (
        "kela_processor" if referral.receiver_unit_id == world.kela_unit.pk else "social_worker"
    )
    referral = act(world, receiver, referral, "receive")
    referral = act(world, receiver, referral, "accept")
    done = act(
        world,
        receiver,
        referral,
        "complete",
        outcome="statement_given",
        outcome_text="x" * 6000,
    )
    assert len(Referral.objects.get(pk=done.pk).outcome_text) == 5000


def test_the_outcome_goes_back_logged_as_a_disclosure_of_its_own(world) -> None:
    referral = act(world, "social_worker", send(world, "contact"), "receive")
    referral = act(world, "social_worker", referral, "accept")
    before = Disclosure.objects.filter(kind="outcome").count()
    act(
        world,
        "social_worker",
        referral,
        "complete",
        outcome="assessment_started",
        outcome_date=referral.sent_at.date(),
    )
    logged = Disclosure.objects.filter(kind="outcome")
    assert logged.count() == before + 1
    assert logged.latest("pk").object_id == str(referral.public_id)


def test_first_open_by_the_receiver_records_the_receipt_and_gives_it_back(world) -> None:
    referral = send(world, "contact")
    opened = services.referral_open(actor=world.actor("social_worker"), referral=referral)
    assert opened is not None and opened.status == "received"


def test_open_by_the_sender_or_after_the_receipt_gives_the_referral_unchanged(world) -> None:
    referral = send(world, "contact")
    by_sender = services.referral_open(actor=world.actor("kela_processor"), referral=referral)
    assert by_sender is referral and by_sender.status == "requested"
    received = act(world, "social_worker", referral, "receive")
    again = services.referral_open(actor=world.actor("social_worker"), referral=received)
    assert again is received


def test_open_of_a_stale_copy_gives_the_referral_as_it_now_is(world) -> None:
    stale = send(world, "contact")
    act(world, "social_worker", stale, "receive")  # another worker opened it meanwhile
    assert stale.status == "requested"
    opened = services.referral_open(actor=world.actor("social_worker"), referral=stale)
    assert opened is not None and opened.status == "received" and opened is not stale


def test_a_receipt_refused_as_a_conflict_is_not_an_error_on_open(world, monkeypatch) -> None:
    referral = send(world, "contact")

    def conflict(**_kwargs: object) -> Referral:
        raise Conflict("raced")

    monkeypatch.setattr("silta.referrals.transitions.referral_act", conflict)
    opened = services.referral_open(actor=world.actor("social_worker"), referral=referral)
    assert opened is not None and opened.pk == referral.pk
