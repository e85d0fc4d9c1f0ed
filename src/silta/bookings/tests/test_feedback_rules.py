"""The 10 a § feedback rules (``bookings/feedback.py``), pinned one by one: which referral
may be linked to a booking, and the receiver's steps from each open state to the
completed feedback "booked (date)" (issue 15, mutation testing)."""

from __future__ import annotations

import datetime as dt

import pytest

from silta.bookings import feedback
from silta.core.errors import Invalid
from silta.referrals import services as referrals
from silta.referrals.models import Referral
from silta.referrals.state import Action, Status
from silta.referrals.transitions import ActInput, referral_act
from silta.workdays.calendar import HELSINKI

pytestmark = pytest.mark.django_db

# The receiver's steps that bring a fresh referral to each open state.
TO_STATE: dict[str, tuple[str, ...]] = {
    Status.REQUESTED: (),
    Status.RECEIVED: (Action.RECEIVE,),
    Status.ACCEPTED: (Action.RECEIVE, Action.ACCEPT),
    Status.IN_PROGRESS: (Action.RECEIVE, Action.ACCEPT, Action.START),
}


def _assessment(world, status: str = Status.REQUESTED, case=None) -> Referral:
    case = case or world.open_case()
    referral = referrals.referral_send(
        actor=world.actor("kela_processor"),
        case=case,
        data=referrals.ReferralInput(
            type="assessment_before_reduction",
            description="Palvelutarpeen arviointi ennen alentamista",
            fields={"planned_reduction": "40"},
        ),
    )
    for step in TO_STATE[status]:
        referral = referral_act(
            actor=world.actor("social_worker"), referral=referral, data=ActInput(action=step)
        )
    assert referral.status == status
    return referral


def test_the_feedback_steps_lead_from_every_open_state_to_complete_and_nowhere_else():
    assert feedback.STEPS == {
        Status.REQUESTED: (Action.RECEIVE, Action.ACCEPT, Action.COMPLETE),
        Status.RECEIVED: (Action.ACCEPT, Action.COMPLETE),
        Status.ACCEPTED: (Action.COMPLETE,),
        Status.IN_PROGRESS: (Action.COMPLETE,),
    }


@pytest.mark.parametrize("status", list(TO_STATE))
def test_booked_feedback_completes_the_referral_from_every_open_state(world, status):
    referral = _assessment(world, status)
    # 23.30 UTC on 14 January is 15 January in Helsinki: the feedback gives the local date.
    starts_at = dt.datetime(2027, 1, 14, 23, 30, tzinfo=dt.UTC)
    done = feedback.record_booked(
        actor=world.actor("social_worker"), referral=referral, starts_at=starts_at
    )
    assert isinstance(done, Referral)
    assert (done.status, done.outcome) == (Status.COMPLETED, "booked")
    assert done.outcome_date == dt.date(2027, 1, 15) == starts_at.astimezone(HELSINKI).date()
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.status, stored.outcome, stored.outcome_date) == (
        Status.COMPLETED,
        "booked",
        dt.date(2027, 1, 15),
    )


def test_no_linked_referral_means_no_feedback_to_fill_in(world):
    case = world.open_case()
    _assessment(world, case=case)
    unit_id = world.actor("social_worker").memberships[0].unit_id
    assert feedback.assessment_referral(case, unit_id, None) is None


@pytest.mark.parametrize("status", list(TO_STATE))
def test_an_open_assessment_referral_of_the_receiving_unit_can_be_linked(world, status):
    referral = _assessment(world, status)
    linked = feedback.assessment_referral(
        referral.case, referral.receiver_unit_id, referral.public_id
    )
    assert linked == referral


def test_a_referral_with_its_feedback_already_given_cannot_be_linked(world):
    referral = _assessment(world, Status.ACCEPTED)
    feedback.record_booked(
        actor=world.actor("social_worker"),
        referral=referral,
        starts_at=dt.datetime(2027, 1, 14, 9, tzinfo=HELSINKI),
    )
    with pytest.raises(Invalid) as refused:
        feedback.assessment_referral(referral.case, referral.receiver_unit_id, referral.public_id)
    assert (refused.value.code, refused.value.field) == ("referral_closed", "referral_id")


def test_only_the_receiving_units_referral_can_be_linked(world):
    referral = _assessment(world)
    with pytest.raises(Invalid) as refused:
        feedback.assessment_referral(referral.case, referral.sender_unit_id, referral.public_id)
    assert (refused.value.code, refused.value.field) == ("referral_invalid", "referral_id")
