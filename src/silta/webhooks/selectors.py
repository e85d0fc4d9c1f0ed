"""Reads: the subscriptions an actor manages and their delivery log. A subscription or
delivery that is not the actor's to manage is "not found", like a missing one."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from silta.accounts.actor import Actor
from silta.audit.denial import deny
from silta.core.errors import Invalid
from silta.core.ids import parse_uuid
from silta.core.pagination import Page, paginate
from silta.organisations.models import Unit
from silta.webhooks import permissions
from silta.webhooks.models import Attempt, Delivery, DeliveryStatus, Subscription


def subscription_list(*, actor: Actor) -> QuerySet[Subscription]:
    return Subscription.objects.filter(permissions.subscription_filter(actor)).select_related(
        "unit"
    )


def subscription_get(*, actor: Actor, subscription_id: Any) -> Subscription:
    public_id = parse_uuid(subscription_id)
    found = (
        Subscription.objects.select_related("unit").filter(public_id=public_id).first()
        if public_id
        else None
    )
    if found is None or not permissions.can_manage(actor, found.unit_id):
        raise deny(actor, hide=True, detail={"webhooks": "subscription"})
    return found


def delivery_list(*, subscription: Subscription, status: str = "", page: int = 1) -> Page[Delivery]:
    """The subscription's deliveries, newest first, each with its log of tries."""
    if status and status not in DeliveryStatus.values:
        raise Invalid(_("Unknown status."), code="status_unknown", field="status")
    rows = (
        Delivery.objects.filter(subscription=subscription)
        .select_related("event")
        .prefetch_related(Prefetch("log", queryset=Attempt.objects.order_by("pk")))
        .order_by("-created_at", "-pk")
    )
    if status:
        rows = rows.filter(status=status)
    return paginate(rows, number=page)


def delivery_get(*, actor: Actor, subscription: Subscription, delivery_id: Any) -> Delivery:
    public_id = parse_uuid(delivery_id)
    found = (
        Delivery.objects.select_related("event", "subscription")
        .filter(public_id=public_id, subscription=subscription)
        .first()
        if public_id
        else None
    )
    if found is None:
        raise deny(actor, hide=True, detail={"webhooks": "delivery"})
    return found


def key_unit(actor: Actor) -> Unit:
    """The unit an API key acts for."""
    return Unit.objects.get(pk=actor.memberships[0].unit_id)
