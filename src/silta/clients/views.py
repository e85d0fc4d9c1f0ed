"""Finding and adding clients; a client's page with their shared cases.

The identity code travels only in POST bodies, never in a URL: the result page is
reached by the client's opaque id.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from silta.accounts.roles import Perm
from silta.clients.identity_codes import looks_like_identity_code
from silta.clients.models import Client
from silta.clients.own_workers import own_worker_set, own_workers_for
from silta.clients.selectors import (
    client_get,
    client_identity_code,
    client_lookup,
    client_search_by_name,
)
from silta.clients.services import client_create
from silta.core.errors import Invalid
from silta.core.views import is_htmx, service_errors
from silta.directory.selectors import Route
from silta.exchange.forms import (
    CaseOpenForm,
    ClientCreateForm,
    FindClientForm,
    add_service_error,
)
from silta.exchange.inbox import inbox_unit
from silta.exchange.models import Case
from silta.exchange.selectors import client_cases
from silta.exchange.services import suggested_counterpart
from silta.organisations.models import Unit
from silta.organisations.selectors import counterpart_units, units_of_actor
from silta.referrals.selectors import client_referrals


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


def case_open_form(
    request: HttpRequest, client: Client, data: object = None, topic: str = ""
) -> tuple[CaseOpenForm | None, Route | None]:
    """The form to open a case, with the counterpart Silta suggests for the client's
    municipality and topic pre-selected (and listed first)."""
    actor = request.actor  # type: ignore[attr-defined]
    own = units_of_actor(unit_ids=actor.units_with(Perm.CASE_OPEN))
    if not own:
        return None, None
    kela_side = own[0].is_kela
    suggestion = suggested_counterpart(client=client, own_is_kela=kela_side, topic=topic)
    counterparts = counterpart_units(
        of_kela=kela_side,
        first_organisation_id=suggestion.organisation.pk if suggestion.organisation else None,
    )
    initial = {"topic": suggestion.topic}
    if suggestion.unit is not None:
        initial["counterpart_unit"] = str(suggestion.unit.public_id)
    form = CaseOpenForm(
        data,
        own_units=own,
        counterparts=counterparts,
        kela_side=kela_side,
        initial=initial,
        route_url=reverse("clients:detail", args=[client.public_id]),
    )
    return form, suggestion


@require_http_methods(["GET"])
@service_errors
def client_detail(request: HttpRequest, client_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    client = client_get(actor=actor, client_id=client_id)
    form, suggestion = case_open_form(request, client, topic=request.GET.get("topic", ""))
    context = client_context(request, client, form, suggestion)
    template = "clients/_open_case.html" if is_htmx(request) else "clients/detail.html"
    return render(request, template, context)


def client_context(
    request: HttpRequest, client: Client, form: CaseOpenForm | None, suggestion: Route | None
) -> dict[str, object]:
    """Everything the client page shows: cases, own workers, the open-case form."""
    actor = request.actor  # type: ignore[attr-defined]
    cases = client_cases(actor=actor, client=client)
    referrals = client_referrals(actor=actor, client=client)
    social_units = {case.social_unit_id for case in cases}
    own_social = [
        unit
        for unit in units_of_actor(unit_ids=actor.units_with(Perm.CASE_OPEN))
        if not unit.is_kela
    ]
    return {
        "client": client,
        "cases": cases,
        "own_workers": own_workers_for(
            actor=actor, client=client, unit_ids=social_units | {u.pk for u in own_social}
        ),
        "own_worker_units": own_social,
        "open_form": form,
        "suggestion": suggestion,
        "open_action": reverse("exchange:case_open", args=[client.public_id]),
        "callback_units": _callback_units(cases, suggestion),
        "referrals": referrals,
        "handoffs": sum(r.handoff_count for r in referrals),
        "open_referrals": sum(1 for r in referrals if r.is_open),
    }


def _callback_units(cases: list[Case], suggestion: Route | None) -> list[Unit]:
    """Units the user may want to ask for a call-back about this client."""
    units: dict[int, Unit] = {}
    if suggestion is not None and suggestion.unit is not None:
        units[suggestion.unit.pk] = suggestion.unit
    for case in cases:
        units.setdefault(case.social_unit_id, case.social_unit)
        units.setdefault(case.kela_unit_id, case.kela_unit)
    return list(units.values())[:10]


@require_POST
@service_errors
def identity_code_reveal(request: HttpRequest, client_id: str) -> HttpResponse:
    """One click shows the whole identity code (POST: it is never in a URL); audited."""
    actor = request.actor  # type: ignore[attr-defined]
    client = client_get(actor=actor, client_id=client_id)
    code = client_identity_code(actor=actor, client=client)
    if is_htmx(request):
        return render(request, "clients/_identity_code.html", {"client": client, "code": code})
    form, suggestion = case_open_form(request, client)
    context = client_context(request, client, form, suggestion)
    context["code"] = code
    return render(request, "clients/detail.html", context)


@require_POST
@service_errors
def own_worker(request: HttpRequest, client_id: str, unit_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    client = client_get(actor=actor, client_id=client_id)
    unit = inbox_unit(actor=actor, unit_id=unit_id, perm=Perm.CASE_OPEN)
    try:
        own_worker_set(
            actor=actor,
            client=client,
            unit_id=unit.pk,
            name=request.POST.get("name", ""),
            phone=request.POST.get("phone", ""),
            reachability=request.POST.get("reachability", ""),
        )
    except Invalid as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Own worker saved."))
    return redirect("clients:detail", client_id=client.public_id)
