"""The guide on the work pages: the forms' hint for a chosen expense kind (an htmx
partial; the code alone is in the URL, never client data) and the link from a recorded
kind to its entry."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from silta.accounts.request import AuthenticatedRequest
from silta.core.views import service_errors
from silta.knowledge import work


@require_GET
@service_errors
def hint(request: AuthenticatedRequest) -> HttpResponse:
    actor = request.actor
    code = (request.GET.get("expense_kind") or "").strip()[:40]
    found = work.guide_hint(actor=actor, code=code)
    return render(request, "knowledge/_guide_hint.html", {"hint": found})


@require_GET
@service_errors
def by_kind(request: AuthenticatedRequest, code: str) -> HttpResponse:
    actor = request.actor
    entry = work.national_entry(actor=actor, code=code)
    return redirect("knowledge:entry", slug=entry.slug)
