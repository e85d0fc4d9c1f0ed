"""Directory data in the admin: service areas, editors, the municipality classification.

Channels and their hours are edited by the unit's owners on the unit page (with
validation, history and stale-edit protection), so the admin shows them read-only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from silta.callbacks.models import CallbackRequest
from silta.directory.models import Channel, ServiceArea, UnitEditor
from silta.directory.services import unit_refresh_search_text
from silta.organisations.admin import UnitAdmin
from silta.organisations.models import Unit
from silta.reference.models import KelaServiceArea, Municipality


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name_fi",
        "name_sv",
        "organiser_name_fi",
        "kela_service_area",
        "is_aland",
        "is_current",
        "classification_year",
    )
    list_filter = ("organiser_name_fi", "is_aland", "is_current")
    search_fields = ("code", "name_fi", "name_sv")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # loaded from Statistics Finland's classification

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(KelaServiceArea)
class KelaServiceAreaAdmin(admin.ModelAdmin):
    list_display = ("code", "name_fi", "name_sv")


class ServiceAreaInline(admin.TabularInline):
    model = ServiceArea
    extra = 1
    autocomplete_fields = ("municipality",)


class UnitEditorInline(admin.TabularInline):
    model = UnitEditor
    extra = 1
    autocomplete_fields = ("user",)


class ChannelInline(admin.TabularInline):
    model = Channel
    extra = 0
    fields = ("kind", "label_fi", "phone", "email", "street", "city", "always_open")
    readonly_fields = fields
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DirectoryUnitAdmin(UnitAdmin):
    inlines = [*UnitAdmin.inlines, ServiceAreaInline, UnitEditorInline, ChannelInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        unit_refresh_search_text(form.instance)


admin.site.unregister(Unit)
admin.site.register(Unit, DirectoryUnitAdmin)


@admin.register(CallbackRequest)
class CallbackRequestAdmin(admin.ModelAdmin):
    """Status only: no client, phone number or description in the admin."""

    list_display = (
        "created_at",
        "unit",
        "requester_unit",
        "topic",
        "urgency",
        "status",
        "due_at",
        "outcome",
    )
    list_filter = ("status", "urgency", "topic")
    fields = list_display
    readonly_fields = list_display

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
