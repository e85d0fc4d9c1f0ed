"""Call-back requests (soittopyyntö): a tracked commitment to call back, with a due time
from the unit's promise and a recorded outcome that the requester sees."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from silta.audit.models import LegalBasis
from silta.clients.models import Client
from silta.directory.models import Topic
from silta.organisations.models import Unit


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent (same day)")


class CallbackStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLAIMED = "claimed", _("Claimed")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Outcome(models.TextChoices):
    RESOLVED = "resolved", _("Reached and resolved")
    CONTINUES_IN_CASE = "continues_in_case", _("Reached, continues in a case")
    NOT_REACHED = "not_reached", _("Could not reach")


OPEN_STATUSES = (CallbackStatus.OPEN, CallbackStatus.CLAIMED)


class CallbackRequest(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    requester_label = models.CharField(max_length=300)
    requester_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    legal_basis = models.CharField(
        _("legal basis"), max_length=20, choices=LegalBasis.choices, blank=True
    )
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    phone = models.CharField(_("number to call"), max_length=20)
    preferred_times = models.CharField(_("preferred times"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=2000)
    status = models.CharField(max_length=10, choices=CallbackStatus.choices, default="open")
    created_at = models.DateTimeField()
    due_at = models.DateTimeField(_("due"))
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True)
    attempts = models.PositiveSmallIntegerField(_("call attempts"), default=0)
    completed_at = models.DateTimeField(null=True)
    completed_by_label = models.CharField(max_length=300, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("note"), max_length=2000, blank=True)
    cancelled_reason = models.CharField(_("reason"), max_length=500, blank=True)
    client_token = models.UUIDField(null=True, blank=True)

    class Meta:
        verbose_name = _("call-back request")
        verbose_name_plural = _("call-back requests")
        constraints = [
            models.UniqueConstraint(
                fields=["requester_unit", "client_token"],
                condition=models.Q(client_token__isnull=False),
                name="callback_unique_client_token",
            )
        ]
        indexes = [
            models.Index(fields=["unit", "status", "due_at"], name="callback_queue"),
            models.Index(fields=["requester_unit", "-created_at"], name="callback_sent"),
        ]

    def __str__(self) -> str:
        return str(self.public_id)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
