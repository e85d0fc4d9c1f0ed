"""Per-unit API keys for the organisations' own case-management systems."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from silta.api_keys.scopes import Scope, all_scopes
from silta.organisations.models import Unit


class ApiKey(models.Model):
    """Only a prefix and the SHA-256 of the secret are kept; the key is shown once."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="api_keys", verbose_name=_("unit")
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("e.g. the system's name"))
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    # What the key may change (``scopes.Scope``); empty: read-only.
    scopes = models.JSONField(
        _("scopes"),
        default=all_scopes,
        blank=True,
        help_text=_("What the key may change. None: the key can only read."),
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def may_change(self, scope: str) -> bool:
        return scope in Scope.values and scope in (self.scopes or [])


class IdempotencyRecord(models.Model):
    """The first response to a POST with an ``Idempotency-Key``, replayed on retries."""

    api_key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    response = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["api_key", "key"], name="idempotency_unique_key")
        ]

    def __str__(self) -> str:
        return self.key
