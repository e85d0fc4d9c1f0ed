"""Staff accounts at the organisations' identity providers, and the rules that turn a
provider's claims into Silta roles in units (managed by administrators, every change
audited)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from silta.accounts.roles import PERSON_ROLES


class StaffIdentity(models.Model):
    """A staff user as known to one identity provider (the provider's ``sub``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="provider_identities",
        verbose_name=_("user"),
    )
    provider = models.CharField(_("identity provider"), max_length=64)
    subject = models.CharField(_("subject at the provider"), max_length=255)
    # Silta reactivates on sign-in only an account that the provider's word deactivated.
    deactivated_by_provider = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sign_in_at = models.DateTimeField(_("last sign-in"), null=True, blank=True)

    class Meta:
        verbose_name = _("identity provider account")
        verbose_name_plural = _("identity provider accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "subject"], name="staffidentity_unique_provider_subject"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider}: {self.user}"


class RoleRule(models.Model):
    """A provider's claim value (for example a group) gives a role in a unit.

    At each sign-in the user's memberships become exactly what the rules give: a group
    removed at the provider removes the membership at the next sign-in.
    """

    provider = models.CharField(_("identity provider"), max_length=64)
    claim = models.CharField(
        _("claim"), max_length=100, default="groups", help_text=_("For example groups or roles.")
    )
    value = models.CharField(_("claim value"), max_length=255)
    unit = models.ForeignKey(
        "organisations.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    role = models.CharField(
        _("role"), max_length=40, choices=[(r.value, r.label) for r in PERSON_ROLES]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("role mapping rule")
        verbose_name_plural = _("role mapping rules")
        ordering = ["provider", "claim", "value", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "claim", "value", "unit"], name="rolerule_unique_mapping"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider}: {self.claim}={self.value} -> {self.unit} / {self.role}"
