"""Teams and forums are set up by staff on their pages (``setup_services``) and still in
the admin; routines, items and actions are written through the services (versioned,
audited), so the admin shows those read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from silta.cooperation.models import AgendaItem, Forum, RegionalTeam, TeamContact, TeamRoutine


class ContactInline(admin.TabularInline):
    model = TeamContact
    extra = 1
    autocomplete_fields = ("user",)


@admin.register(RegionalTeam)
class RegionalTeamAdmin(admin.ModelAdmin):
    list_display = ("name_fi", "is_active")
    search_fields = ("name_fi", "name_sv")
    filter_horizontal = ("units", "municipalities")
    inlines = [ContactInline]


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin):
    list_display = ("name_fi", "kind", "chair_unit", "is_active")
    list_filter = ("kind",)
    filter_horizontal = ("organisations", "units")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TeamRoutine)
class TeamRoutineAdmin(ReadOnlyAdmin):
    list_display = ("team", "version", "created_by_label", "created_at")


@admin.register(AgendaItem)
class AgendaItemAdmin(ReadOnlyAdmin):
    list_display = ("title", "forum", "status", "side", "meeting_date")
    list_filter = ("status",)
