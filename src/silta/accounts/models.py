"""Staff users and their memberships (a role in a unit)."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from silta.accounts.roles import PERSON_ROLES, ROLE_ORGANISATION_KINDS, Role
from silta.core.text import fold
from silta.organisations.models import Unit


class User(AbstractUser):
    """A staff member of Kela or of a social services organiser."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    phone = models.CharField(_("work phone"), max_length=40, blank=True)
    # Folded full name for directory search ("Hämäläinen" is found by "hamalainen").
    search_name = models.CharField(max_length=301, blank=True, default="", editable=False)
    # The language chosen with the switcher; empty: Finnish (never the browser's).
    language = models.CharField(
        _("language"), max_length=8, blank=True, default="", choices=settings.LANGUAGES
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        indexes = [models.Index(fields=["search_name"], name="user_search_name")]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_name = fold(f"{self.first_name} {self.last_name}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Membership(models.Model):
    """A user's role in a unit. A user may belong to several units."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("unit")
    )
    role = models.CharField(
        _("role"), max_length=40, choices=[(r.value, r.label) for r in PERSON_ROLES]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="membership_unique_user_unit")
        ]
        indexes = [models.Index(fields=["unit", "role"], name="membership_unit_role")]

    def __str__(self) -> str:
        return f"{self.user} / {self.unit} / {self.get_role_display()}"

    def clean(self) -> None:
        if not self.unit_id or not self.role:
            return
        allowed = ROLE_ORGANISATION_KINDS[Role(self.role)]
        if self.unit.organisation.kind not in allowed:
            raise ValidationError(
                {"role": _("This role does not exist in this kind of organisation.")}
            )
