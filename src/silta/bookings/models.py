"""Joint appointment booking: a service point (a Kela customer-service point or a
social-services unit) publishes appointment slots; a worker of the other organisation
books one for their client on a lawful basis; cancel, rebook, no-show.

A slot is not client data (time, place, topic, who serves). A booking is: it names the
client to the serving unit, so it passes the consents gate and is seen only by the
booking unit and the serving unit. One active booking per slot is a database rule.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from silta.clients.models import Client
from silta.directory.models import Topic
from silta.exchange.models import Case
from silta.organisations.models import Unit
from silta.referrals.models import Referral


class SlotChannel(models.TextChoices):
    IN_PERSON = "in_person", _("In person at the unit's visiting address")
    PHONE = "phone", _("By phone")
    VIDEO = "video", _("Video appointment")


class Slot(models.Model):
    """One appointment time of a serving unit's resource (a desk or a named worker)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Indexed by ``slot_search`` (unit first): a single-column index here would tempt the
    # planner to read every slot of the units and filter the month out.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", db_index=False)
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices)
    starts_at = models.DateTimeField(_("time"))
    ends_at = models.DateTimeField()
    channel = models.CharField(_("channel"), max_length=10, choices=SlotChannel.choices)
    # The place as the confirmation shows it: the address, how the call goes, the link.
    place_text = models.CharField(_("place"), max_length=500)
    video_platform = models.CharField(_("video platform"), max_length=100, blank=True)
    # Who serves: the resource two slots may not share at the same time.
    resource = models.CharField(_("who serves"), max_length=200)
    # Slots published together (a series) share this id.
    series = models.UUIDField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField()
    published_by_label = models.CharField(max_length=300)

    class Meta:
        verbose_name = _("appointment slot")
        verbose_name_plural = _("appointment slots")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after"
            )
        ]
        # The search: a service area's units, one topic, a date range.
        indexes = [models.Index(fields=["unit", "topic", "starts_at"], name="slot_search")]

    def __str__(self) -> str:
        return str(self.public_id)

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("The client did not come")


class Booking(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The iCalendar UID: one per booking, kept through a rebooking and the cancellation.
    ical_uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    # The serving unit (the slot's), kept here for the unit's list.
    serving_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    booking_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    booked_by_label = models.CharField(max_length=300)
    # Totul 10 a §: the assessment referral whose feedback "booked (date)" this fills in.
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    feedback_at = models.DateTimeField(null=True, blank=True)
    # The client's own address for the confirmation (time, place, organiser only).
    client_email = models.EmailField(_("the client's e-mail"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=BookingStatus.choices, default="booked"
    )
    # RFC 5545 SEQUENCE of the last confirmation sent.
    sequence = models.PositiveIntegerField(default=0)
    booked_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=500, blank=True)
    no_show_at = models.DateTimeField(null=True, blank=True)
    updated_by_label = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            # No double booking, also under concurrency: one active booking per slot.
            models.UniqueConstraint(
                fields=["slot"],
                condition=~models.Q(status="cancelled"),
                name="booking_one_active_per_slot",
            )
        ]
        indexes = [
            models.Index(fields=["booking_unit", "-booked_at"], name="booking_by_unit"),
            models.Index(fields=["serving_unit", "-booked_at"], name="booking_at_unit"),
        ]

    def __str__(self) -> str:
        return str(self.public_id)

    @property
    def is_active(self) -> bool:
        return self.status == BookingStatus.BOOKED
