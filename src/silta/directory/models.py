"""The living directory: which unit serves which municipality and topic, how to reach it
(channels with service hours), who keeps the entry fresh, and its change history."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from silta.organisations.models import Unit
from silta.reference.models import Municipality


class Topic(models.TextChoices):
    """What a contact is about: decides the responsible unit (routing)."""

    BASIC_ASSISTANCE = "basic_assistance", _("Basic social assistance (Kela)")
    SOCIAL_ASSISTANCE = "social_assistance", _("Supplementary and preventive assistance")
    ADULT_SOCIAL_WORK = "adult_social_work", _("Adult social work")
    CHILD_AND_FAMILY = "child_and_family", _("Child and family services")
    OLDER_PEOPLE = "older_people", _("Services for older people")
    EMERGENCY = "emergency", _("Emergency social services")


class ServiceArea(models.Model):
    """A unit serves a municipality for a topic (a county may split work by area)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="service_areas")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices)

    class Meta:
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "municipality", "topic"], name="servicearea_unique"
            )
        ]
        indexes = [models.Index(fields=["municipality", "topic"], name="servicearea_route")]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.municipality_id}/{self.topic}"


class ChannelKind(models.TextChoices):
    PHONE = "phone", _("Phone")
    CALLBACK = "callback", _("Call-back line")
    SECURE_EMAIL = "secure_email", _("Secure e-mail")
    VISITING_ADDRESS = "visiting_address", _("Visiting address")


class Channel(models.Model):
    """One way to reach a unit, with its own service hours."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField(_("kind"), max_length=20, choices=ChannelKind.choices)
    label_fi = models.CharField(_("label in Finnish"), max_length=200, blank=True)
    label_sv = models.CharField(_("label in Swedish"), max_length=200, blank=True)
    # E.164 (phonenumbers); shown in national format.
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    street = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    always_open = models.BooleanField(_("open 24/7"), default=False)
    closed_on_holidays = models.BooleanField(_("closed on public holidays"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("contact channel")
        verbose_name_plural = _("contact channels")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label or self.get_kind_display()

    @property
    def label(self) -> str:
        return self.label_sv if get_language() == "sv" and self.label_sv else self.label_fi


class WeeklyHours(models.Model):
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="weekly_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"))  # 0 = Monday
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))  # 00:00 = midnight at the end of the day

    class Meta:
        ordering = ["weekday", "opens"]

    def __str__(self) -> str:
        return f"{self.weekday} {self.opens}-{self.closes}"


class HoursException(models.Model):
    """Hours for one date, replacing the weekly hours; no times = closed that day."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="exceptions")
    date = models.DateField(_("date"))
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["date", "opens"]
        indexes = [models.Index(fields=["channel", "date"], name="hoursexception_day")]

    def __str__(self) -> str:
        return f"{self.date} {self.opens}-{self.closes}"


class UnitEditor(models.Model):
    """A named editor who keeps a unit's entry up to date (besides its managers)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="editors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "user"], name="uniteditor_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.user_id}"


class UnitChange(models.Model):
    """History of directory edits: who changed what, when."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="changes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_label = models.CharField(max_length=300)
    at = models.DateTimeField()
    summary = models.CharField(max_length=200)
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["unit", "-at"], name="unitchange_unit_time")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.at:%Y-%m-%d} {self.summary}"
