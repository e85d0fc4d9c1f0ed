"""The delivery log in the admin, read-only: what was sent to clients, by which channel,
how many attempts, the last error's code. No address, name or identity code is shown
(the client by its opaque id); the log changes only through the worker."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from silta.notifications.models import Delivery, Notification


class ReadOnlyAdmin(admin.ModelAdmin):
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = (
        "channel",
        "status",
        "attempts",
        "last_attempt_at",
        "sent_at",
        "last_error",
        "provider_state",
        "provider_state_at",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "kind", "outcome", "language", "created_at")
    list_filter = ("kind", "outcome", "language")
    fields = ("public_id", "client_ref", "kind", "link_path", "language", "outcome", "created_at")
    readonly_fields = fields
    inlines = (DeliveryInline,)
    date_hierarchy = "created_at"

    @admin.display(description=_("client"))
    def client_ref(self, obj: Notification) -> str:
        return str(obj.client.public_id)


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = (
        "notification",
        "channel",
        "status",
        "attempts",
        "last_attempt_at",
        "next_attempt_at",
        "sent_at",
        "last_error",
        "provider_state",
    )
    list_filter = ("status", "channel", "provider_state", "notification__kind")
    list_select_related = ("notification",)
    fields = (
        "notification",
        "channel",
        "status",
        "attempts",
        "last_attempt_at",
        "next_attempt_at",
        "sent_at",
        "last_error",
        "external_id",
        "provider_message_id",
        "provider_state",
        "provider_state_at",
    )
    readonly_fields = fields
    ordering = ("-notification__created_at", "pk")
