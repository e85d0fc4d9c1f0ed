"""Clients: a person who is a client of both Kela and social services. Exists once."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from silta.clients.identity_codes import birth_date_of, masked
from silta.reference.models import Municipality


def search_key(*parts: str) -> str:
    """Lower-case, whitespace-normalised name for prefix search."""
    return " ".join(" ".join(parts).lower().split())


class Client(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # henkilötunnus: never in a URL, a log line, an error page or an export.
    identity_code = models.CharField(_("identity code"), max_length=11, unique=True)
    first_names = models.CharField(_("first names"), max_length=200)
    last_name = models.CharField(_("last name"), max_length=200)
    search_name = models.CharField(max_length=401, editable=False, db_index=True)
    # From the identity code, so lists can tell namesakes apart without loading the code.
    birth_date = models.DateField(_("date of birth"), null=True, blank=True, editable=False)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality of residence"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_name = search_key(self.last_name, self.first_names)
        self.birth_date = birth_date_of(self.identity_code)
        super().save(*args, **kwargs)

    @property
    def masked_identity_code(self) -> str:
        return masked(self.identity_code)

    @property
    def full_name(self) -> str:
        return f"{self.last_name}, {self.first_names}"


class OwnWorker(models.Model):
    """The client's own worker (omatyöntekijä) in a social services unit, and how to
    reach them: recorded by that unit, seen by Kela on the client's case (audited)."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="own_workers")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    reachability = models.CharField(_("how to reach"), max_length=300, blank=True)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("own worker")
        verbose_name_plural = _("own workers")
        constraints = [models.UniqueConstraint(fields=["client", "unit"], name="ownworker_unique")]

    def __str__(self) -> str:
        return self.name
