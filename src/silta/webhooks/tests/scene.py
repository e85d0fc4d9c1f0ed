"""Subscriptions on the world's units, and changes that announce events."""

from __future__ import annotations

from silta.referrals import services as referrals
from silta.referrals.models import Referral
from silta.webhooks import services
from silta.webhooks.inputs import SubscriptionInput
from silta.webhooks.models import Subscription
from tests.factories import World
from tests.permissions import REFERRAL_INPUTS

ALL_TYPES = [
    "referral.sent",
    "referral.status_changed",
    "message.created",
    "receipt.read",
    "callback.created",
    "callback.changed",
    "meeting.changed",
    "consent.revoked",
]


def subscribe(
    world: World, url: str, *, types: list[str] | None = None
) -> tuple[Subscription, str]:
    """Kuopio's administrator subscribes Kuopio's system (the secret is returned once)."""
    issued = services.subscription_create(
        actor=world.actor("social_admin"),
        unit=world.social_unit,
        data=SubscriptionInput(url=url, event_types=types or ALL_TYPES),
    )
    return issued.subscription, issued.secret


def send_referral(world: World) -> Referral:
    """Kela Itä sends Kuopio a contact referral on the shared case."""
    return referrals.referral_send(
        actor=world.actor("kela_processor"),
        case=world.open_case(),
        data=REFERRAL_INPUTS["contact"],
    )


def act(world: World, referral: Referral, action: str) -> Referral:
    return referrals.referral_act(
        actor=world.actor("social_worker"),
        referral=referral,
        data=referrals.ActInput(action=action),
    )
