"""Who may keep a referral from the client's own view: a worker of one of the case's
party units whose role may write on the case (predicates from ``accounts.roles``)."""

from __future__ import annotations

from silta.accounts.actor import Actor
from silta.accounts.roles import Perm
from silta.exchange.permissions import acting_unit_for_case
from silta.referrals.models import Referral


def withholding_unit(actor: Actor, referral: Referral) -> int | None:
    """The actor's party unit that may withhold or release ``referral`` (None: may not)."""
    return acting_unit_for_case(actor, referral.case, Perm.MESSAGE_SEND)


def can_see_withholding(actor: Actor, referral: Referral) -> bool:
    return acting_unit_for_case(actor, referral.case, Perm.CASE_VIEW) is not None
