"""Webhook subscriptions and their delivery log in the admin, for the people who manage a
unit's subscriptions (``permissions.py``): only their units' rows, every write through
the services (audited), the secret shown once after creating or rotating it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from silta.accounts.actor import Actor
from silta.core.errors import ServiceError
from silta.core.events import EventType
from silta.organisations.models import Unit
from silta.webhooks import permissions, services
from silta.webhooks.inputs import SubscriptionInput
from silta.webhooks.models import Attempt, Delivery, DeliveryStatus, Subscription


def _actor(request: HttpRequest) -> Actor:
    return Actor.for_user(request.user)  # type: ignore[arg-type]


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(label=_("Address (URL)"), max_length=500, assume_scheme="https")
    event_types = forms.MultipleChoiceField(
        label=_("Event types"), choices=EventType.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Subscription
        fields = ("unit", "url", "description", "event_types", "is_active")


class _ManagedMixin:
    """Rows of the units the signed-in person manages; nothing for anyone else."""

    unit_path = "unit_id"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(permissions.managed_units(_actor(request)))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        rows = super().get_queryset(request)  # type: ignore[misc]
        units = permissions.managed_units(_actor(request))
        return rows.filter(**{f"{self.unit_path}__in": units})


@admin.register(Subscription)
class SubscriptionAdmin(_ManagedMixin, admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ("url", "unit", "is_active", "consecutive_failures", "disabled_at")
    list_filter = ("is_active",)
    readonly_fields = ("consecutive_failures", "disabled_at", "disabled_reason")
    actions = ["rotate_secret", "replay_failed"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "unit":
            kwargs["queryset"] = Unit.objects.filter(
                pk__in=permissions.managed_units(_actor(request))
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Subscription, form: Any, change: bool) -> None:
        data = SubscriptionInput(
            url=form.cleaned_data["url"],
            event_types=form.cleaned_data["event_types"],
            description=form.cleaned_data["description"],
            is_active=form.cleaned_data["is_active"],
        )
        actor = _actor(request)
        if change:
            saved = services.subscription_update(
                actor=actor, subscription=Subscription.objects.get(pk=obj.pk), data=data
            )
            obj.pk = saved.pk
            return
        issued = services.subscription_create(actor=actor, unit=obj.unit, data=data)
        obj.pk = issued.subscription.pk
        self._show_secret(request, issued)

    def delete_model(self, request: HttpRequest, obj: Subscription) -> None:
        services.subscription_delete(actor=_actor(request), subscription=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Subscription]) -> None:
        for sub in queryset:
            self.delete_model(request, sub)

    def _show_secret(self, request: HttpRequest, issued: services.Issued) -> None:
        messages.warning(
            request,
            _("Copy the signing secret of %(url)s now; it is not shown again: %(secret)s")
            % {"url": issued.subscription.url, "secret": issued.secret},
        )

    @admin.action(description=_("Rotate the signing secret (the old one signs too for a while)"))
    def rotate_secret(self, request: HttpRequest, queryset: QuerySet[Subscription]) -> None:
        for sub in queryset:
            self._show_secret(
                request, services.secret_rotate(actor=_actor(request), subscription=sub)
            )

    @admin.action(description=_("Replay the given-up deliveries"))
    def replay_failed(self, request: HttpRequest, queryset: QuerySet[Subscription]) -> None:
        failed = Delivery.objects.filter(subscription__in=queryset, status=DeliveryStatus.FAILED)
        _replay(request, failed)


def _replay(request: HttpRequest, deliveries: QuerySet[Delivery]) -> None:
    done = 0
    for delivery in deliveries.select_related("subscription"):
        try:
            services.delivery_replay(actor=_actor(request), delivery=delivery)
            done += 1
        except ServiceError as error:
            messages.error(request, str(error.message))
            return
    messages.success(request, _("Deliveries queued again: %(count)d") % {"count": done})


class AttemptInline(admin.TabularInline):
    model = Attempt
    extra = 0
    can_delete = False
    fields = ("number", "at", "status_code", "latency_ms", "succeeded", "replay", "error")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(_ManagedMixin, admin.ModelAdmin):
    unit_path = "subscription__unit_id"
    list_display = ("event", "subscription", "status", "attempts", "last_status_code", "created_at")
    list_filter = ("status",)
    list_select_related = ("event", "subscription")
    inlines = [AttemptInline]
    actions = ["replay"]
    readonly_fields = (
        "subscription",
        "event",
        "status",
        "attempts",
        "replays",
        "next_attempt_at",
        "last_status_code",
        "last_error",
        "finished_at",
    )
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Replay the selected deliveries"), permissions=["view"])
    def replay(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        _replay(request, queryset)
