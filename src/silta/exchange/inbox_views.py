"""The unit inbox (with htmx filters and search) and the manager's load view."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from silta.accounts.roles import Perm
from silta.callbacks.selectors import callback_counts
from silta.core.errors import Invalid
from silta.core.pagination import clamp_page
from silta.core.views import is_htmx, service_errors
from silta.exchange.inbox import (
    INBOX_FILTERS,
    inbox_counts,
    inbox_page,
    overdue_entries,
    unit_load,
)
from silta.organisations.selectors import own_unit, units_of_actor


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    units = units_of_actor(unit_ids=actor.units_with(Perm.CASE_VIEW))
    if units:
        return redirect("exchange:inbox", unit_id=units[0].public_id)
    return render(request, "exchange/no_unit.html")


@require_http_methods(["GET", "POST"])
@service_errors
def inbox(request: HttpRequest, unit_id: str) -> HttpResponse:
    """GET shows a filter's page; POST carries the search term in the body (it may be an
    identity code, which must never be in a URL)."""
    actor = request.actor  # type: ignore[attr-defined]
    unit = own_unit(actor=actor, unit_id=unit_id, perm=Perm.CASE_VIEW)
    source = request.POST if request.method == "POST" else request.GET
    active = source.get("filter", "all")
    if active not in INBOX_FILTERS:
        active = "all"
    search = request.POST.get("q", "") if request.method == "POST" else ""
    error = None
    try:
        number = clamp_page(source.get("page"))
        page = inbox_page(actor=actor, unit=unit, filter=active, search=search, page=number)
    except Invalid as exc:
        error, page = exc, inbox_page(actor=actor, unit=unit, filter=active)
    context = {
        "unit": unit,
        "page": page,
        "filter": active,
        "filters": INBOX_FILTERS,
        "search": search,
        "search_error": error,
        "counts": inbox_counts(actor=actor, unit=unit),
        "can_see_load": actor.can(Perm.UNIT_LOAD_VIEW, [unit.pk]),
    }
    template = "exchange/_inbox_list.html" if is_htmx(request) else "exchange/inbox.html"
    return render(request, template, context)


@require_GET
@service_errors
def load(request: HttpRequest, unit_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    unit = own_unit(actor=actor, unit_id=unit_id, perm=Perm.CASE_VIEW)
    context = {
        "unit": unit,
        "load": unit_load(actor=actor, unit=unit),
        "overdue": overdue_entries(unit=unit),
        "callbacks": callback_counts(unit_id=unit.pk),
    }
    return render(request, "exchange/load.html", context)
