from typing import Any

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silta.api_keys.models import ApiKey
from silta.api_keys.services import api_key_issue


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "unit", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "unit__name_fi")
    autocomplete_fields = ("unit",)
    fields = ("unit", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def save_model(self, request: Any, obj: ApiKey, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        issued = api_key_issue(unit=obj.unit, name=obj.name, created_by=request.user)
        obj.pk, obj.prefix = issued.api_key.pk, issued.api_key.prefix
        messages.warning(
            request,
            _("Copy the key now; it is not shown again: %(key)s") % {"key": issued.plaintext},
        )

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request: Any, queryset: Any) -> None:
        queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
