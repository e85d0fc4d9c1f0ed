"""Who manages webhook subscriptions, from the role table only.

A unit's subscriptions are managed by whoever holds ``Perm.WEBHOOKS_MANAGE`` in that
unit: its administrators in the admin, and its own system with the unit's API key. They
are told by e-mail when a subscription is disabled after repeated failures.
"""

from __future__ import annotations

from django.db.models import Q

from silta.accounts.actor import Actor
from silta.accounts.roles import ROLE_PERMISSIONS, Perm


def managed_units(actor: Actor) -> frozenset[int]:
    return actor.units_with(Perm.WEBHOOKS_MANAGE)


def can_manage(actor: Actor, unit_id: int) -> bool:
    return unit_id in managed_units(actor)


def subscription_filter(actor: Actor) -> Q:
    """The subscriptions the actor manages (the same 404 for others' and missing ones)."""
    return Q(unit_id__in=managed_units(actor))


def manager_roles() -> list[str]:
    """The roles that manage subscriptions: the people to tell when one is disabled."""
    return [role.value for role, perms in ROLE_PERMISSIONS.items() if Perm.WEBHOOKS_MANAGE in perms]
