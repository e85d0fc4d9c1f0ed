"""Totul 10 a §: the assessment referral's feedback "booked (date)", filled in when the
assessment is booked through Silta.

Kela refers the client to the organiser's service-need assessment before a reduction;
whether the client attended or booked it decides 20 % or 40 %. The receiving unit books
the appointment and links the referral: the feedback goes back to Kela through the
referrals service (``referral_act``), on the same lawful basis check as any outcome.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from silta.accounts.actor import Actor
from silta.core.errors import Invalid
from silta.exchange.models import Case
from silta.referrals.models import Referral
from silta.referrals.state import Action, Status
from silta.referrals.transitions import ActInput, referral_act
from silta.referrals.types import Choice, ReferralType
from silta.workdays.calendar import local_date

# The steps from each open state to the completed feedback (the receiver's own steps).
STEPS: dict[str, tuple[str, ...]] = {
    Status.REQUESTED: (Action.RECEIVE, Action.ACCEPT, Action.COMPLETE),
    Status.RECEIVED: (Action.ACCEPT, Action.COMPLETE),
    Status.ACCEPTED: (Action.COMPLETE,),
    Status.IN_PROGRESS: (Action.COMPLETE,),
}


def assessment_referral(case: Case, unit_id: int, referral_id: Any) -> Referral | None:
    """The 10 a § referral of ``case`` the booking unit received, still waiting for its
    feedback (none asked: None)."""
    if referral_id is None:
        return None
    referral = Referral.objects.filter(
        case=case,
        public_id=referral_id,
        type=ReferralType.ASSESSMENT_BEFORE_REDUCTION,
        receiver_unit_id=unit_id,
    ).first()
    if referral is None:
        raise Invalid(
            _("Link only an assessment referral (Totul 10 a §) your unit received on this case."),
            code="referral_invalid",
            field="referral_id",
        )
    if referral.status not in STEPS:
        raise Invalid(
            _("This referral already has its feedback or is closed."),
            code="referral_closed",
            field="referral_id",
        )
    return referral


def record_booked(*, actor: Actor, referral: Referral, starts_at: Any) -> Referral:
    """The feedback "the client booked the assessment" with the appointment's date."""
    for step in STEPS.get(referral.status, ()):
        data = ActInput(action=step)
        if step == Action.COMPLETE:
            data = ActInput(action=step, outcome=Choice.BOOKED, outcome_date=local_date(starts_at))
        referral = referral_act(actor=actor, referral=referral, data=data)
    return referral
