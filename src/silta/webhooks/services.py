"""Writes: a unit's subscriptions (create, change, delete, rotate the secret) and the
manual replay of a delivery. Each checks the actor may manage the unit, changes nothing on
bad input, and records the audit event in its transaction (never the secret)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from silta.accounts.actor import Actor
from silta.audit.denial import deny
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.core.errors import Conflict, Invalid
from silta.core.events import EventType
from silta.organisations.models import Unit
from silta.webhooks import permissions, signing
from silta.webhooks.addresses import check_url
from silta.webhooks.inputs import SubscriptionInput
from silta.webhooks.models import Delivery, DeliveryStatus, Subscription
from silta.webhooks.tasks import wake


@dataclass(frozen=True)
class Issued:
    """A subscription with its new secret, shown to the caller once."""

    subscription: Subscription
    secret: str


def _require(actor: Actor, unit_id: int, obj: Any = None) -> None:
    if not permissions.can_manage(actor, unit_id):
        raise deny(actor, hide=True, obj=obj, detail={"webhooks": "manage"})


def _event_types(values: list[str]) -> list[str]:
    unknown = sorted(set(values) - set(EventType.values))
    if unknown:
        raise Invalid(
            _("Unknown event type: %(types)s.") % {"types": ", ".join(unknown)},
            code="event_type_unknown",
            field="event_types",
        )
    if not values:
        raise Invalid(_("Choose at least one event type."), code="required", field="event_types")
    return [t for t in EventType.values if t in values]


def _fields(data: SubscriptionInput) -> dict[str, Any]:
    return {
        "url": check_url(data.url),
        "event_types": _event_types(list(data.event_types)),
        "description": data.description.strip(),
        "is_active": data.is_active,
    }


def _audit(actor: Actor, action: AuditAction, sub: Subscription, what: str) -> None:
    record(
        actor=actor,
        action=action,
        obj=sub,
        unit_id=sub.unit_id,
        detail={"webhooks": what, "url": sub.url, "event_types": sub.event_types},
    )


def subscription_create(*, actor: Actor, unit: Unit, data: SubscriptionInput) -> Issued:
    _require(actor, unit.pk)
    fields = _fields(data)
    secret = signing.new_secret()
    with transaction.atomic():
        sub = Subscription.objects.create(unit=unit, secret=secret, **fields)
        _audit(actor, AuditAction.CREATE, sub, "subscription_create")
    return Issued(sub, secret)


def subscription_update(
    *, actor: Actor, subscription: Subscription, data: SubscriptionInput
) -> Subscription:
    """Change the address, event types or description; turning it on again clears an
    automatic disabling and its failure count (pending deliveries then go out)."""
    _require(actor, subscription.unit_id, subscription)
    fields = _fields(data)
    with transaction.atomic():
        sub = Subscription.objects.select_for_update().get(pk=subscription.pk)
        if fields["is_active"] and not sub.is_active:
            fields.update(consecutive_failures=0, disabled_at=None, disabled_reason="")
        for name, value in fields.items():
            setattr(sub, name, value)
        sub.save()
        _audit(actor, AuditAction.UPDATE, sub, "subscription_update")
    if sub.is_active:
        wake()
    return sub


def subscription_delete(*, actor: Actor, subscription: Subscription) -> None:
    """Delete it with its deliveries and their log."""
    _require(actor, subscription.unit_id, subscription)
    with transaction.atomic():
        _audit(actor, AuditAction.UPDATE, subscription, "subscription_delete")
        subscription.delete()


def secret_rotate(*, actor: Actor, subscription: Subscription) -> Issued:
    """A new secret signs from now on; the previous one signs too (both signatures in
    ``webhook-signature``) for ``SILTA_WEBHOOK_SECRET_OVERLAP_HOURS``, so the receiver can
    switch without losing a delivery."""
    _require(actor, subscription.unit_id, subscription)
    secret = signing.new_secret()
    overlap = dt.timedelta(hours=settings.SILTA_WEBHOOK_SECRET_OVERLAP_HOURS)
    with transaction.atomic():
        sub = Subscription.objects.select_for_update().get(pk=subscription.pk)
        sub.previous_secret, sub.secret = sub.secret, secret
        sub.previous_secret_until = timezone.now() + overlap
        sub.save(update_fields=["secret", "previous_secret", "previous_secret_until", "updated_at"])
        _audit(actor, AuditAction.UPDATE, sub, "secret_rotate")
    return Issued(sub, secret)


def delivery_replay(*, actor: Actor, delivery: Delivery) -> Delivery:
    """Send a delivery again (with the same ``webhook-id``), whatever its outcome was."""
    _require(actor, delivery.subscription.unit_id, delivery.subscription)
    with transaction.atomic():
        found = (
            Delivery.objects.select_for_update().select_related("subscription").get(pk=delivery.pk)
        )
        if not found.subscription.is_active:
            raise Conflict(
                _("The subscription is turned off. Turn it on before replaying."),
                code="subscription_inactive",
            )
        if found.status == DeliveryStatus.PENDING:
            raise Conflict(
                _("The delivery is still being tried. Replay it once it has finished."),
                code="delivery_pending",
            )
        found.status, found.attempts, found.finished_at = DeliveryStatus.PENDING, 0, None
        found.next_attempt_at, found.replays = timezone.now(), found.replays + 1
        found.save(
            update_fields=["status", "attempts", "finished_at", "next_attempt_at", "replays"]
        )
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=found.subscription,
            unit_id=found.subscription.unit_id,
            detail={"webhooks": "replay", "delivery": str(found.public_id)},
        )
    wake()
    return found
