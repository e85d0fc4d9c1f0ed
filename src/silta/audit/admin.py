"""Audit events in the admin: read-only, and a by-client report for the client's right to
know who used their data (703/2023 11 §). The identity code is entered in a POST form,
never in the URL."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from silta.audit.models import AuditAction, AuditEvent
from silta.audit.selectors import audit_events_for_identity_code
from silta.core.errors import Invalid


class ClientAuditForm(forms.Form):
    identity_code = forms.CharField(label=_("Client's identity code"), max_length=20)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = (
        "occurred_at",
        "action",
        "actor_label",
        "unit",
        "object_kind",
        "legal_basis",
        "source_address",
        "request_id",
    )
    list_filter = ("action", "legal_basis", "organisation")
    search_fields = ("actor_label", "request_id", "object_id")
    date_hierarchy = "occurred_at"
    list_select_related = ("unit",)
    show_full_result_count = False

    @admin.display(description=_("object type"), ordering="object_type")
    def object_kind(self, obj: AuditEvent) -> str:
        return obj.object_type_label

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[Any]:
        custom = [
            path(
                "by-client/",
                self.admin_site.admin_view(self.by_client_view),
                name="audit_auditevent_by_client",
            ),
        ]
        return custom + super().get_urls()

    def by_client_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        form = ClientAuditForm(request.POST or None)
        events = None
        if request.method == "POST" and form.is_valid():
            try:
                events = audit_events_for_identity_code(
                    user=request.user, identity_code=form.cleaned_data["identity_code"]
                )
            except Invalid as error:
                form.add_error("identity_code", str(error.message))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Who has used a client's data"),
            "form": form,
            "events": events,
            "opts": self.model._meta,
            "actions": AuditAction,
        }
        return TemplateResponse(request, "admin/audit/by_client.html", context)
