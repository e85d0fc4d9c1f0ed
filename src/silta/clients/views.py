"""Finding and adding clients; a client's page with their shared cases.

The identity code travels only in POST bodies, never in a URL: the result page is
reached by the client's opaque id.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from silta.accounts.roles import Perm
from silta.clients.identity_codes import looks_like_identity_code
from silta.clients.selectors import client_get, client_lookup, client_search_by_name
from silta.clients.services import client_create
from silta.core.errors import Invalid
from silta.core.views import service_errors
from silta.exchange.forms import (
    CaseOpenForm,
    ClientCreateForm,
    FindClientForm,
    add_service_error,
)
from silta.exchange.selectors import client_cases
from silta.organisations.selectors import counterpart_units, units_of_actor


@require_http_methods(["GET", "POST"])
@service_errors
def client_find(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
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
def client_add(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
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


def case_open_form(request: HttpRequest, data: object = None) -> CaseOpenForm | None:
    actor = request.actor  # type: ignore[attr-defined]
    own = units_of_actor(unit_ids=actor.units_with(Perm.CASE_OPEN))
    if not own:
        return None
    return CaseOpenForm(data, own_units=own, counterparts=counterpart_units(of_kela=own[0].is_kela))


@require_http_methods(["GET"])
@service_errors
def client_detail(request: HttpRequest, client_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    client = client_get(actor=actor, client_id=client_id)
    cases = client_cases(actor=actor, client=client)
    context = {
        "client": client,
        "cases": cases,
        "open_form": case_open_form(request),
        "open_action": reverse("exchange:case_open", args=[client.public_id]),
    }
    return render(request, "clients/detail.html", context)
