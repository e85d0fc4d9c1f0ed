"""The unit inbox (with htmx filters and search) and the manager's load view."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from silta.accounts.request import AuthenticatedRequest
from silta.accounts.roles import Perm
from silta.callbacks.selectors import callback_counts
from silta.core.errors import Invalid
from silta.core.pagination import clamp_page
from silta.core.views import is_htmx, service_errors
from silta.exchange import workflow
from silta.exchange.inbox import (
    INBOX_FILTERS,
    InboxQuery,
    inbox_counts,
    inbox_page,
    inbox_threads,
    overdue_entries,
    unit_load,
)
from silta.organisations.selectors import own_unit, units_of_actor


@require_GET
def home(request: AuthenticatedRequest) -> HttpResponse:
    actor = request.actor
    units = units_of_actor(unit_ids=actor.units_with(Perm.CASE_VIEW))
    if units:
        return redirect("exchange:inbox", unit_id=units[0].public_id)
    return render(request, "exchange/no_unit.html")


@require_http_methods(["GET", "POST"])
@service_errors
def inbox(request: AuthenticatedRequest, unit_id: str) -> HttpResponse:
    """GET shows a filter's page; POST carries the search term in the body (it may be an
    identity code, which must never be in a URL)."""
    actor = request.actor
    unit = own_unit(actor=actor, unit_id=unit_id, perm=Perm.CASE_VIEW)
    source = request.POST if request.method == "POST" else request.GET
    query = InboxQuery.parse(source)
    search = request.POST.get("q", "") if request.method == "POST" else ""
    error = None
    try:
        number = clamp_page(source.get("page"))
        page = inbox_page(actor=actor, unit=unit, search=search, page=number, query=query)
    except Invalid as exc:
        error, page = exc, inbox_page(actor=actor, unit=unit, query=query)
    context = {
        "unit": unit,
        "page": page,
        "query": query,
        "filter": query.filter,
        "filters": INBOX_FILTERS,
        "search": search,
        "search_error": error,
        "counts": inbox_counts(actor=actor, unit=unit),
        "can_see_load": actor.can(Perm.UNIT_LOAD_VIEW, [unit.pk]),
        "can_claim": actor.can(Perm.THREAD_CLAIM, [unit.pk]),
    }
    template = "exchange/_inbox_list.html" if is_htmx(request) else "exchange/inbox.html"
    return render(request, template, context)


@require_POST
@service_errors
def inbox_claim(request: AuthenticatedRequest, unit_id: str) -> HttpResponse:
    """Claim the ticked threads at once, then back to the same view of the inbox."""
    actor = request.actor
    unit = own_unit(actor=actor, unit_id=unit_id, perm=Perm.THREAD_CLAIM)
    threads = inbox_threads(unit=unit, thread_ids=request.POST.getlist("threads"))
    taken = workflow.threads_claim(actor=actor, threads=threads)
    messages.success(
        request,
        ngettext("%(n)d thread is now yours.", "%(n)d threads are now yours.", taken)
        % {"n": taken},
    )
    target = redirect("exchange:inbox", unit_id=unit.public_id)
    target["Location"] += "?" + InboxQuery.parse(request.POST).querystring()
    return target


@require_GET
@service_errors
def load(request: AuthenticatedRequest, unit_id: str) -> HttpResponse:
    actor = request.actor
    unit = own_unit(actor=actor, unit_id=unit_id, perm=Perm.CASE_VIEW)
    context = {
        "unit": unit,
        "load": unit_load(actor=actor, unit=unit),
        "overdue": overdue_entries(unit=unit),
        "callbacks": callback_counts(unit_id=unit.pk),
    }
    return render(request, "exchange/load.html", context)
