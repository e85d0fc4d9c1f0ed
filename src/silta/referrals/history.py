"""The history of a referral: one ``ReferralEvent`` and one case-timeline line per step."""

from __future__ import annotations

import datetime as dt
from typing import Any

from silta.accounts.actor import Actor
from silta.exchange.models import CaseEvent
from silta.referrals.models import Referral, ReferralEvent


def log_step(
    actor: Actor,
    referral: Referral,
    action: str,
    source: str,
    target: str,
    unit_id: int | None,
    now: dt.datetime,
    detail: dict[str, Any],
) -> None:
    ReferralEvent.objects.create(
        referral=referral,
        action=action,
        from_status=source,
        to_status=target,
        actor=actor.user,
        actor_label=actor.label,
        unit_id=unit_id,
        at=now,
        detail=detail,
    )
    CaseEvent.objects.create(
        case_id=referral.case_id,
        thread_id=referral.thread_id,
        kind=f"referral_{action}",
        actor=actor.user,
        actor_label=actor.label,
        unit_id=unit_id or referral.sender_unit_id,
        at=now,
        detail={
            "referral": str(referral.public_id),
            "type": referral.type,
            "status": target,
            **detail,
        },
    )
