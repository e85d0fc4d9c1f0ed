"""Finding and adding clients; a client's page with their shared cases.

The identity code travels only in POST bodies, never in a URL: the result page is
reached by the client's opaque id.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from silta.accounts.request import AuthenticatedRequest
from silta.accounts.roles import Perm
from silta.clients.forms import ClientCreateForm, FindClientForm
from silta.clients.identity_codes import looks_like_identity_code
from silta.clients.pages import case_open_form, client_context, client_for_page
from silta.clients.selectors import client_identity_code, client_lookup
from silta.clients.services import client_create
from silta.core.errors import Invalid
from silta.core.forms import add_service_error
from silta.core.views import is_htmx, service_errors
from silta.exchange.selectors import client_search_by_name


@require_http_methods(["GET", "POST"])
@service_errors
def client_find(request: AuthenticatedRequest) -> HttpResponse:
    actor = request.actor
    form = FindClientForm(request.POST or None)
    context: dict[str, object] = {"form": form, "results": None, "create_form": None}
    if request.method == "POST" and form.is_valid():
        query = form.cleaned_data["query"]
        try:
            if looks_like_identity_code(query):
                client = client_lookup(actor=actor, identity_code=query)
                if client is not None:
                    return redirect("clients:detail", client_id=client.public_id)
                if actor.can(Perm.CLIENT_CREATE):
                    context["create_form"] = ClientCreateForm(initial={"identity_code": query})
                context["not_found"] = True
            else:
                context["results"] = client_search_by_name(actor=actor, term=query)
        except Invalid as error:
            add_service_error(form, error)
    return render(request, "clients/find.html", context)


@require_POST
@service_errors
def client_add(request: AuthenticatedRequest) -> HttpResponse:
    actor = request.actor
    form = ClientCreateForm(request.POST)
    if form.is_valid():
        try:
            client = client_create(actor=actor, **form.cleaned_data)
        except Invalid as error:
            add_service_error(form, error)
        else:
            return redirect("clients:detail", client_id=client.public_id)
    context = {"form": FindClientForm(), "create_form": form, "not_found": True}
    return render(request, "clients/find.html", context, status=400)


@require_http_methods(["GET"])
@service_errors
def client_detail(request: AuthenticatedRequest, client_id: str) -> HttpResponse:
    client, related = client_for_page(request, client_id)
    form, suggestion = (
        case_open_form(request, client, topic=request.GET.get("topic", ""))
        if related
        else (None, None)
    )
    context = client_context(request, client, form, suggestion, related=related)
    template = "clients/_open_case.html" if is_htmx(request) and related else "clients/detail.html"
    return render(request, template, context)


@require_POST
@service_errors
def identity_code_reveal(request: AuthenticatedRequest, client_id: str) -> HttpResponse:
    """One click shows the whole identity code (POST: it is never in a URL); audited."""
    actor = request.actor
    client, related = client_for_page(request, client_id)
    code = client_identity_code(actor=actor, client=client, related=related)
    if is_htmx(request):
        return render(request, "clients/_identity_code.html", {"client": client, "code": code})
    form, suggestion = case_open_form(request, client)
    context = client_context(request, client, form, suggestion)
    context["code"] = code
    return render(request, "clients/detail.html", context)
