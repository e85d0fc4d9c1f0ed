"""Administrators manage the role mapping rules; each change is audited (``rules``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from silta.oidc.models import RoleRule, StaffIdentity
from silta.oidc.providers import staff_providers
from silta.oidc.rules import role_rule_delete, role_rule_save, rule_problems


class RoleRuleForm(forms.ModelForm):
    class Meta:
        model = RoleRule
        fields = ["provider", "claim", "value", "unit", "role"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keys = [(p.key, f"{p.label} ({p.key})") for p in staff_providers()]
        current = self.instance.provider if self.instance.pk else ""
        if current and current not in dict(keys):
            keys.append((current, current))
        self.fields["provider"] = forms.ChoiceField(
            choices=keys, label=RoleRule._meta.get_field("provider").verbose_name
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        problems = rule_problems(
            provider_key=data.get("provider", ""), unit=data.get("unit"), role=data.get("role", "")
        )
        for field, message in problems.items():
            self.add_error(field if field in self.fields else None, message)
        return data


@admin.register(RoleRule)
class RoleRuleAdmin(admin.ModelAdmin):
    form = RoleRuleForm
    list_display = ["provider", "claim", "value", "unit", "role", "updated_at"]
    list_filter = ["provider", "role"]
    search_fields = ["value", "unit__name_fi"]
    autocomplete_fields = ["unit"]

    def save_model(self, request: HttpRequest, obj: RoleRule, form: Any, change: bool) -> None:
        role_rule_save(user=request.user, rule=obj)  # type: ignore[arg-type]

    def delete_model(self, request: HttpRequest, obj: RoleRule) -> None:
        role_rule_delete(user=request.user, rule=obj)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for rule in queryset:
            role_rule_delete(user=request.user, rule=rule)  # type: ignore[arg-type]


@admin.register(StaffIdentity)
class StaffIdentityAdmin(admin.ModelAdmin):
    list_display = ["user", "provider", "last_sign_in_at"]
    list_filter = ["provider"]
    search_fields = ["user__username", "user__last_name"]
    readonly_fields = ["user", "provider", "subject", "last_sign_in_at", "deactivated_by_provider"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # accounts at a provider are made by signing in
