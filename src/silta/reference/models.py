"""Reference data shipped with Silta: Finland's municipalities and their organisers.

Source: Statistics Finland's classification of municipalities and wellbeing services
counties (CC BY 4.0, attribution "Statistics Finland"); see data/SOURCES.md.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Municipality(models.Model):
    code = models.CharField(_("municipality code"), max_length=3, primary_key=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=100)
    name_sv = models.CharField(_("name in Swedish"), max_length=100)
    # 01-21 wellbeing services counties, 90 City of Helsinki, 91 Åland
    organiser_code = models.CharField(_("organiser code"), max_length=2)
    organiser_name_fi = models.CharField(_("organiser (fi)"), max_length=200)
    organiser_name_sv = models.CharField(_("organiser (sv)"), max_length=200)
    # Åland's social assistance is under Åland's own law: route nothing there.
    is_aland = models.BooleanField(_("Åland"), default=False)
    classification_year = models.PositiveSmallIntegerField(_("classification year"))
    # False once a later classification no longer lists it (merged); clients keep the code.
    is_current = models.BooleanField(_("in the current classification"), default=True)
    kela_service_area = models.ForeignKey(
        "reference.KelaServiceArea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="municipalities",
        verbose_name=_("Kela service area"),
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name_fi"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def name(self) -> str:
        return self.name_sv if get_language() == "sv" else self.name_fi


class KelaServiceArea(models.Model):
    """Kela's customer-service areas (the former insurance districts)."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)

    class Meta:
        verbose_name = _("Kela service area")
        verbose_name_plural = _("Kela service areas")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = get_language()
        if language == "sv":
            return self.name_sv
        return self.name_en if language == "en" else self.name_fi
