"""Consents in the admin: wordings may be added (never changed); consents, powers of
attorney and the disclosure log are read-only there (they change through the services)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from silta.consents.models import Consent, ConsentWording, Disclosure, PowerOfAttorney


class ReadOnlyAdmin(admin.ModelAdmin):
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ConsentWording)
class ConsentWordingAdmin(admin.ModelAdmin):
    list_display = ("version", "created_at")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = (
        "public_id",
        "given_by",
        "given_how",
        "valid_from",
        "valid_until",
        "recorded_at",
    )
    list_filter = ("given_how", "given_by")
    exclude = ("representative_identity",)


@admin.register(PowerOfAttorney)
class PowerOfAttorneyAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "attorney_kind", "valid_from", "valid_until", "verified_at")
    exclude = ("attorney_identity",)


@admin.register(Disclosure)
class DisclosureAdmin(ReadOnlyAdmin):
    list_display = (
        "occurred_at",
        "kind",
        "category",
        "purpose",
        "discloser_label",
        "discloser_unit",
        "recipient_unit",
        "statutory_basis",
    )
    list_filter = ("kind", "statutory_basis", "discloser_organisation")
    date_hierarchy = "occurred_at"
    list_select_related = ("discloser_unit", "recipient_unit")
