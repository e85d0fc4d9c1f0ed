"""Organisations (Kela and the social services organisers) and their units."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    KELA = "kela", _("Kela")
    # hyvinvointialue or the City of Helsinki (järjestäjä)
    SOCIAL_SERVICES = "social_services", _("Social services organiser")


class Organisation(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    # Statistics Finland's wellbeing services county code (01-21, 90 = Helsinki); empty for Kela.
    organiser_code = models.CharField(_("organiser code"), max_length=2, blank=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_fi"]
        constraints = [
            models.UniqueConstraint(
                fields=["organiser_code"],
                condition=~models.Q(organiser_code=""),
                name="organisation_unique_organiser_code",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_sv if get_language() == "sv" and self.name_sv else self.name_fi

    @property
    def is_kela(self) -> bool:
        return self.kind == OrganisationKind.KELA


class UnitKind(models.TextChoices):
    KELA_BENEFIT_TEAM = "kela_benefit_team", _("Kela benefit team")
    KELA_SERVICE_UNIT = "kela_service_unit", _("Kela customer service unit")
    ADULT_SOCIAL_WORK = "adult_social_work", _("Adult social work")
    SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance processing")
    CHILD_AND_FAMILY = "child_and_family", _("Child and family services")
    OLDER_PEOPLE = "older_people", _("Services for older people")
    EMERGENCY = "emergency", _("Emergency social services")


class Unit(models.Model):
    """A team inside an organisation; the party to cases and the owner of an inbox."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="units", verbose_name=_("organisation")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices)
    name_fi = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)
    description_fi = models.TextField(_("description in Finnish"), blank=True)
    description_sv = models.TextField(_("description in Swedish"), blank=True)
    # Freshness of the directory entry: stale when not verified in 90 days.
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    stale_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    verified_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The unit's call-back promise: working days after the request (urgent: same day).
    callback_working_days = models.PositiveSmallIntegerField(
        _("call-back promise (working days)"), default=1
    )
    # Grows with every directory edit: an edit from an older page is refused as stale.
    version = models.PositiveIntegerField(default=0)
    # Lower-case, diacritics-free names of the unit, its organisation and the
    # municipalities it serves, for directory search.
    search_text = models.TextField(blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name_fi"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_sv if get_language() == "sv" and self.name_sv else self.name_fi

    @property
    def is_kela(self) -> bool:
        return self.organisation.kind == OrganisationKind.KELA

    @property
    def description(self) -> str:
        return (
            self.description_sv
            if get_language() == "sv" and self.description_sv
            else (self.description_fi)
        )
