from typing import Any

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silta.api_keys.models import ApiKey
from silta.api_keys.scopes import Scope, scope_labels
from silta.api_keys.services import api_key_issue


class ApiKeyForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=Scope.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What the key may change. None: the key can only read."),
    )

    class Meta:
        model = ApiKey
        fields = ("unit", "name", "scopes")


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    form = ApiKeyForm
    list_display = ("name", "unit", "prefix", "scope_list", "created_at", "last_used_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "unit__name_fi")
    autocomplete_fields = ("unit",)
    fields = ("unit", "name", "scopes", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def save_model(self, request: Any, obj: ApiKey, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        issued = api_key_issue(
            unit=obj.unit, name=obj.name, created_by=request.user, scopes=obj.scopes
        )
        obj.pk, obj.prefix = issued.api_key.pk, issued.api_key.prefix
        messages.warning(
            request,
            _("Copy the key now; it is not shown again: %(key)s") % {"key": issued.plaintext},
        )

    @admin.display(description=_("Scopes"))
    def scope_list(self, obj: ApiKey) -> str:
        return ", ".join(scope_labels(obj.scopes)) or str(_("Read-only"))

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request: Any, queryset: Any) -> None:
        queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
