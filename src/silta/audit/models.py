"""The append-only audit trail: every use and disclosure of client data.

Client-data act 703/2023 10 § (käyttöloki ja luovutusloki): who used or received which
client's data, for what purpose and on which legal basis, and when. Rows are written by
``silta.audit.services.record`` only; the application never updates or deletes them.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AuditAction(models.TextChoices):
    VIEW = "view", pgettext_lazy("audit action", "View")
    SEARCH = "search", pgettext_lazy("audit action", "Search")
    CREATE = "create", pgettext_lazy("audit action", "Create")
    UPDATE = "update", pgettext_lazy("audit action", "Update")
    DOWNLOAD = "download", pgettext_lazy("audit action", "Download")
    EXPORT = "export", pgettext_lazy("audit action", "Export")
    DISCLOSE = "disclose", pgettext_lazy("audit action", "Disclose")
    DENIED = "denied", pgettext_lazy("audit action", "Permission denied")
    LOGIN = "login", pgettext_lazy("audit action", "Login")
    LOGIN_FAILED = "login_failed", pgettext_lazy("audit action", "Failed login")
    LOGOUT = "logout", pgettext_lazy("audit action", "Logout")


class LegalBasis(models.TextChoices):
    """The basis on which client data is disclosed to the other organisation."""

    CONSENT = "consent", _("The client's consent")
    CLIENT_REQUEST = "client_request", _("The client's own request")
    STATUTORY_DUTY = "statutory_duty", _("Statutory duty")
    # SHL 35 §: notify at once when the client cannot look after themselves
    WELFARE_CONCERN = "welfare_concern", _("Concern for the client's welfare")


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Audit events cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events cannot be deleted.")

    def bulk_create(
        self,
        objs: Any,
        batch_size: int | None = None,
        ignore_conflicts: bool = False,
        update_conflicts: bool = False,
        update_fields: Any = None,
        unique_fields: Any = None,
    ) -> Any:
        if update_conflicts:  # an upsert would overwrite existing rows
            raise PermissionError("Audit events cannot be changed.")
        return super().bulk_create(objs, batch_size, ignore_conflicts)


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(_("time"), db_index=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    # Names are copied so the row stays readable if the user or unit is later renamed.
    actor_label = models.CharField(_("actor"), max_length=300)
    unit = models.ForeignKey(
        "organisations.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    api_key = models.ForeignKey(
        "api_keys.ApiKey",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("API key"),
    )
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("client"),
    )
    object_type = models.CharField(_("object type"), max_length=40, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    legal_basis = models.CharField(
        _("legal basis"), max_length=20, choices=LegalBasis.choices, blank=True
    )
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    source_address = models.GenericIPAddressField(_("source address"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-occurred_at", "-id"]
        # Related-object access and internal updates go through the append-only manager too.
        base_manager_name = "objects"
        indexes = [
            models.Index(fields=["client", "-occurred_at"], name="audit_client_time"),
            models.Index(fields=["user", "-occurred_at"], name="audit_user_time"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise PermissionError("Audit events cannot be changed.")
        # Always an INSERT: a new instance given an existing id must not overwrite that row.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events cannot be deleted.")

    @property
    def object_type_label(self) -> str:
        """The object's kind in the reader's language (stored as the model's name)."""
        return object_type_label(self.object_type)


def object_type_label(model_name: str) -> str:
    """ "thread" -> "Viestiketju": the verbose name of the model stored in ``object_type``."""
    for model in apps.get_models():
        if model._meta.model_name == model_name:
            return str(model._meta.verbose_name).capitalize()
    return model_name
