"""Notifications to the client and their delivery log.

A ``Notification`` says only that there is something new in Silta for the client (its
``kind`` chooses the page the link opens); it holds no client data beyond the client
itself. Each channel the client chose gets one ``Delivery``: the delivery log the
administrators read in the admin (status, attempts, the last error's code, never an
address, a name or an identity code). ``NotificationPreference`` is the client's choice
of channels and language.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from silta.clients.models import Client


class Language(models.TextChoices):
    FI = "fi", _("Finnish")
    SV = "sv", _("Swedish")
    EN = "en", _("English")


class NotificationKind(models.TextChoices):
    MEETING_CONFIRMED = "meeting_confirmed", _("Meeting confirmed")
    MEETING_CHANGED = "meeting_changed", _("Meeting changed")
    MEETING_CANCELLED = "meeting_cancelled", _("Meeting cancelled")
    CONSENT_EXPIRING = "consent_expiring", _("Consent about to expire")
    REFERRAL_OUTCOME = "referral_outcome", _("Outcome the client may see")
    MEETING_REQUEST_ANSWERED = "meeting_request_answered", _("Answer to a meeting request")


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SUOMIFI = "suomifi", _("Suomi.fi Messages")


class ProviderState(models.TextChoices):
    """A sent Suomi.fi message's state, from the service's events (``GET /v2/events``)."""

    CREATED = "created", _("In the client's mailbox")
    READ = "read", _("Read by the client")


class Outcome(models.TextChoices):
    QUEUED = "queued", _("Queued for delivery")
    NO_CHANNEL = "no_channel", _("No channel: the client has chosen none")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    RETRYING = "retrying", _("Failed, will be retried")
    SENT = "sent", _("Sent")
    NO_MAILBOX = "no_mailbox", _("Not sent: no Suomi.fi Messages in use")
    FAILED = "failed", _("Failed for good")


FINAL_STATUSES = (DeliveryStatus.SENT, DeliveryStatus.NO_MAILBOX, DeliveryStatus.FAILED)


class NotificationPreference(models.Model):
    """The client's channels and language (one row per client; none: no channel)."""

    client = models.OneToOneField(
        Client, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    use_suomifi = models.BooleanField(_("Suomi.fi Messages"), default=False)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FI
    )
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.client.public_id)


class Notification(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=40, choices=NotificationKind.choices)
    # The page the link opens, a path inside Silta (never an id of client data in it).
    link_path = models.CharField(max_length=200)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    # Once-only events (a consent about to expire) carry a key; repeats are not sent.
    dedup_key = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["dedup_key"],
                condition=~Q(dedup_key=""),
                name="notification_dedup_once",
            )
        ]
        indexes = [models.Index(fields=["client", "-created_at"], name="notification_client")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"


class Delivery(models.Model):
    """One channel's delivery of a notification: the delivery log."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # The error's code and HTTP status only (no response text: it could echo the recipient).
    last_error = models.CharField(_("last error"), max_length=100, blank=True)
    # Suomi.fi Messages: our externalId (idempotent resend) and its messageId.
    external_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider_message_id = models.CharField(max_length=40, blank=True, db_index=True)
    # Its state from the service's events (``notifications.events``): read, or only there.
    provider_state = models.CharField(
        _("state in Suomi.fi Messages"), max_length=10, choices=ProviderState.choices, blank=True
    )
    provider_state_at = models.DateTimeField(_("state changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("delivery log")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.get_status_display()}"


class EventCursor(models.Model):
    """Where the reading of a service's events stopped: its continuation token."""

    name = models.CharField(max_length=40, unique=True)
    token = models.CharField(max_length=500, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
