"""Audit events in the admin: read-only, and a by-client report for the client's right to
know who used their data (703/2023 11 §). The identity code is entered in a POST form,
never in the URL.

Scoped: an organisation administrator (Perm.AUDIT_READ) reads only their organisation's
events; a platform auditor (Perm.AUDIT_READ_ALL) reads every organisation's, and each of
those reads is audited. Opening one event's page is itself audited for everyone.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silta.accounts.actor import Actor
from silta.accounts.models import User
from silta.accounts.roles import Perm
from silta.audit.models import AuditAction, AuditEvent
from silta.audit.selectors import audit_events_for_identity_code
from silta.audit.services import record
from silta.consents.access_report import access_report_pdf, client_for_report
from silta.core.errors import Invalid
from silta.core.views import staff_user

ALL = None  # the scope of a platform auditor: every organisation


def audit_scope(user: User) -> frozenset[int] | None:
    """The organisations whose audit trail ``user`` may read (None: all of them)."""
    actor = Actor.for_user(user)  # the admin site lets in signed-in staff only
    if actor.can(Perm.AUDIT_READ_ALL):
        return ALL
    units = actor.units_with(Perm.AUDIT_READ)
    return frozenset(m.organisation_id for m in actor.memberships if m.unit_id in units)


class ClientAuditForm(forms.Form):
    identity_code = forms.CharField(label=_("Client's identity code"), max_length=20)
    language = forms.ChoiceField(
        label=_("Language of the report for the client"),
        choices=[("fi", "suomi"), ("sv", "svenska"), ("en", "English")],
        initial="fi",
        required=False,
    )


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

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEvent]:
        events = super().get_queryset(request)
        scope = audit_scope(staff_user(request))
        return events if scope is ALL else events.filter(organisation_id__in=scope)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        scope = audit_scope(staff_user(request))
        return scope is ALL or bool(scope)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if self.has_view_permission(request) and audit_scope(staff_user(request)) is ALL:
            record(
                actor=Actor.for_user(staff_user(request)),
                action=AuditAction.SEARCH,
                detail={"audit": "all_organisations", "filters": sorted(request.GET.keys())},
            )
        return super().changelist_view(request, extra_context)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        event = self.get_queryset(request).filter(pk=object_id).first()
        if event is not None:
            record(
                actor=Actor.for_user(staff_user(request)),
                action=AuditAction.VIEW,
                client=event.client,
                detail={"audit_event": event.pk},
            )
        return super().change_view(request, object_id, form_url, extra_context)

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
            raise PermissionDenied
        form = ClientAuditForm(request.POST or None)
        events = None
        if request.method == "POST" and form.is_valid() and "pdf" in request.POST:
            try:
                return self._report_pdf(request, form.cleaned_data)
            except Invalid as error:
                form.add_error("identity_code", str(error.message))
        elif request.method == "POST" and form.is_valid():
            try:
                events = audit_events_for_identity_code(
                    user=request.user,
                    identity_code=form.cleaned_data["identity_code"],
                    organisation_ids=audit_scope(staff_user(request)),
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

    def _report_pdf(self, request: HttpRequest, data: dict[str, Any]) -> HttpResponse:
        """The client's access-log report (703/2023 11 §) as a PDF download; the file name
        carries the date only, never the identity code."""
        client = client_for_report(data["identity_code"])
        if client is None:
            raise Invalid(_("No client with this identity code."))
        pdf = access_report_pdf(
            user=request.user,
            client=client,
            organisation_ids=audit_scope(staff_user(request)),
            language=data.get("language") or "fi",
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        name = f"silta-report-{timezone.localdate():%Y-%m-%d}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store"
        return response
