"""What the client is told when a referral about them moves (``silta.notifications``).

Only that there is something new in Silta, with a link to their own view; never what.
The answer to their joint-meeting request (Totul 14 d §) is news when the request is
accepted, rejected, or completed with the meeting's time; any other referral when it is
completed with an outcome, unless its type never shows itself to the client
(``TypeSpec.client_sees``) or a worker keeps it from the client's own view (the own view,
above this app, says so through ``kept_from_client``: a withheld item is not news to the
client, not even as "something new"). Called inside the transition's transaction: a
rolled-back step notifies nobody, and a notification never stops the step.
"""

from __future__ import annotations

from collections.abc import Callable

from silta.notifications.models import NotificationKind
from silta.notifications.services import notify_client
from silta.referrals.models import Referral
from silta.referrals.state import Action
from silta.referrals.types import ReferralType
from silta.referrals.typespec import ClientSees

MEETING_REQUEST_ANSWERS = frozenset({Action.ACCEPT, Action.REJECT, Action.COMPLETE})

# Is this referral kept from the client? The own view (``silta.portal``, which owns the
# withholding) registers its check when the apps are ready.
_kept_checks: list[Callable[[Referral], bool]] = []


def kept_from_client(check: Callable[[Referral], bool]) -> None:
    """Register ``check``: a referral it answers True for notifies the client of nothing."""
    if check not in _kept_checks:
        _kept_checks.append(check)


def notice_kind(referral: Referral, action: str) -> str | None:
    """The notification a step gives the client, or None."""
    if referral.type == ReferralType.MEETING_REQUEST:
        return (
            NotificationKind.MEETING_REQUEST_ANSWERED if action in MEETING_REQUEST_ANSWERS else None
        )
    if action != Action.COMPLETE or referral.spec.client_sees == ClientSees.NEVER:
        return None
    if any(check(referral) for check in _kept_checks):
        return None
    return NotificationKind.REFERRAL_OUTCOME


def notify_step(referral: Referral, action: str) -> None:
    kind = notice_kind(referral, action)
    if kind is not None:
        notify_client(referral.case.client, kind)
