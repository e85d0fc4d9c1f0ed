"""Webhook subscriptions of a unit, the events announced to them and each delivery's log.

A ``WebhookEvent`` is one announced change (ids only); a ``Delivery`` is that event on its
way to one subscription, retried with backoff until it succeeds or is given up; every HTTP
try is an ``Attempt`` (the delivery log: status code, latency, error).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from silta.core.events import EventType
from silta.core.fieldcrypto import EncryptedCharField
from silta.organisations.models import Unit


class Subscription(models.Model):
    """Where a unit's system wants to hear of changes, and the secret that signs them."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    url = models.URLField(_("address (URL)"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    event_types = models.JSONField(_("event types"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    # Standard Webhooks: "whsec_" + base64 of 32 random bytes, encrypted at rest (a Fernet
    # token in the column). During a rotation the previous secret signs too, until
    # ``previous_secret_until``.
    secret = EncryptedCharField(max_length=300, editable=False)
    previous_secret = EncryptedCharField(max_length=300, blank=True, editable=False)
    previous_secret_until = models.DateTimeField(null=True, blank=True, editable=False)
    consecutive_failures = models.PositiveIntegerField(
        _("consecutive failures"), default=0, editable=False
    )
    disabled_at = models.DateTimeField(_("disabled"), null=True, blank=True, editable=False)
    disabled_reason = models.CharField(
        _("reason for disabling"), max_length=200, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["unit_id", "pk"]

    def __str__(self) -> str:
        return self.url

    def event_type_labels(self) -> list[str]:
        return [str(EventType(t).label) for t in self.event_types if t in EventType.values]


class WebhookEvent(models.Model):
    """One announced change: its type and the changed object's public id, nothing else."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    type = models.CharField(_("event type"), max_length=50, choices=EventType.choices)
    object_type = models.CharField(_("object type"), max_length=50)
    object_id = models.UUIDField(_("object id"))
    occurred_at = models.DateTimeField(_("occurred"))

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")

    def __str__(self) -> str:
        return f"{self.type} {self.object_id}"

    @property
    def webhook_id(self) -> str:
        """The ``webhook-id``: the same on every retry and replay (the receiver's
        idempotency key), and the same for every subscription of the event."""
        return f"msg_{self.public_id.hex}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be delivered")
    SUCCEEDED = "succeeded", _("Delivered")
    FAILED = "failed", _("Given up")


class Delivery(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subscription = models.ForeignKey(
        Subscription,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("webhook subscription"),
    )
    event = models.ForeignKey(
        WebhookEvent, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("event")
    )
    # Copied from the event: a subscription gets one object's events in this order.
    object_id = models.UUIDField()
    occurred_at = models.DateTimeField()
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    # Tries in the current round (a replay starts a new round).
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    replays = models.PositiveIntegerField(_("manual replays"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("last status code"), null=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event"], name="webhook_delivery_once_per_subscription"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="webhook_delivery_due",
            ),
            models.Index(
                fields=["subscription", "object_id", "occurred_at"],
                condition=Q(status="pending"),
                name="webhook_delivery_chain",
            ),
            models.Index(fields=["subscription", "-created_at"], name="webhook_delivery_log"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription}"


class Attempt(models.Model):
    """One HTTP try of a delivery (the delivery log)."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="log")
    number = models.PositiveIntegerField(_("attempt"))
    at = models.DateTimeField(_("time"))
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True)
    latency_ms = models.PositiveIntegerField(_("latency (ms)"))
    error = models.CharField(_("error"), max_length=300, blank=True)
    succeeded = models.BooleanField(_("succeeded"), default=False)
    replay = models.BooleanField(_("manual replay"), default=False)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["delivery_id", "number"]

    def __str__(self) -> str:
        return f"{self.delivery_id} #{self.number}"
