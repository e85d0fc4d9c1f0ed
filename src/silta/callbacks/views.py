"""Call-back pages: ask a unit to call, the unit's queue, the requester's list, actions."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from silta.accounts.actor import Actor
from silta.accounts.request import AuthenticatedRequest
from silta.accounts.roles import Perm
from silta.audit.denial import deny
from silta.callbacks import services
from silta.callbacks.forms import CallbackForm, CancelForm, CompleteForm
from silta.callbacks.selectors import (
    QUEUE_FILTERS,
    callback_counts,
    callback_get,
    callback_queue,
    callbacks_sent,
)
from silta.clients.models import Client
from silta.clients.selectors import client_get, client_seen
from silta.consents.codes import DisclosureKind
from silta.consents.disclosures import NoLawfulBasis
from silta.consents.gate import BasisPreview, basis_preview
from silta.core.errors import Conflict, Invalid
from silta.core.forms import add_service_error
from silta.core.pagination import clamp_page
from silta.core.views import service_errors
from silta.directory.selectors import unit_page, unit_topics
from silta.exchange.relations import refuse_unrelated, related_unit_ids
from silta.organisations.models import Unit
from silta.organisations.selectors import own_unit, units_of_actor


@require_http_methods(["GET", "POST"])
@service_errors
def new(request: AuthenticatedRequest, unit_id: str, client_id: str | None = None) -> HttpResponse:
    actor = request.actor
    unit = unit_page(unit_id=unit_id).unit
    client = client_get(actor=actor, client_id=client_id, audit=False) if client_id else None
    own = units_of_actor(unit_ids=actor.units_with(Perm.CALLBACK_REQUEST))
    if not own:
        raise deny(actor, detail={"perm": "callback_request"})
    if client is not None:
        own = _related(actor, client, own)
    user_phone = request.user.phone
    topics = unit_topics(unit=unit)
    form = CallbackForm(
        request.POST or None,
        units=own,
        initial={"phone": user_phone, "topic": topics[0] if topics else ""},
    )
    # Whose number: the requester's own direct line, which the receiving unit calls.
    form.fields["phone"].help_text = _(
        "%(unit)s calls you back at this number: give your own direct line."
    ) % {"unit": unit.name}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        requester = own_unit(
            actor=actor, unit_id=data["requester_unit"], perm=Perm.CALLBACK_REQUEST
        )
        try:
            created = services.callback_request(
                actor=actor,
                requester_unit_id=requester.pk,
                unit=unit,
                client=client,
                client_token=data["client_token"],
                data=form.to_input(),
            )
        except (Invalid, NoLawfulBasis) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Call-back request sent. You can follow it here."))
            return redirect("callbacks:detail", request_id=created.public_id)
    requester = next((u for u in own if str(u.public_id) == form["requester_unit"].value()), own[0])
    context = {
        "unit": unit,
        "client": client,
        "form": form,
        "basis": _basis(client, requester, unit),
    }
    return render(request, "callbacks/new.html", context, status=400 if form.errors else 200)


def _related(actor: Actor, client: Client, own: list[Unit]) -> list[Unit]:
    """The actor's units that may ask about ``client`` (a relation to the client); none:
    refused and audited. The page shows the client: audited as a view."""
    related = related_unit_ids(client=client, unit_ids=[u.pk for u in own])
    if not related:
        raise refuse_unrelated(actor=actor, client=client, unit_id=None, what="callback")
    client_seen(actor=actor, client=client, related=True)
    return [u for u in own if u.pk in related]


def _basis(client: Client | None, requester: Unit, unit: Unit) -> BasisPreview | None:
    """On which basis a request about ``client`` would go from ``requester`` to ``unit``
    (the requesting unit shown selected on the page)."""
    if client is None:
        return None
    return basis_preview(
        client=client, unit_id=requester.pk, recipient=unit, kind=DisclosureKind.CALLBACK
    )


@require_GET
@service_errors
def detail(request: AuthenticatedRequest, request_id: str) -> HttpResponse:
    actor = request.actor
    callback = callback_get(actor=actor, request_id=request_id)
    can_handle = callback.unit_id in actor.units_with(Perm.CALLBACK_HANDLE)
    can_cancel = callback.requester_unit_id in actor.units_with(Perm.CALLBACK_REQUEST) or (
        callback.unit_id in actor.units_with(Perm.THREAD_ASSIGN)
    )
    context = {
        "callback": callback,
        "overdue": callback.is_open and timezone.now() > callback.due_at,
        "can_handle": can_handle and callback.is_open,
        "can_cancel": can_cancel and callback.is_open,
        "complete_form": CompleteForm(),
        "cancel_form": CancelForm(),
    }
    return render(request, "callbacks/detail.html", context)


def _act(request: AuthenticatedRequest, request_id: str, action: str) -> HttpResponse:
    actor = request.actor
    callback = callback_get(actor=actor, request_id=request_id)
    try:
        if action == "claim":
            services.callback_claim(actor=actor, request=callback)
        elif action == "attempt":
            services.callback_attempt(actor=actor, request=callback)
            messages.info(request, _("Attempt recorded."))
        elif action == "complete":
            complete = CompleteForm(request.POST)
            complete.is_valid()  # parses; the service validates (the same as for the API)
            services.callback_complete(actor=actor, request=callback, data=complete.to_input())
            messages.success(request, _("Done: the requester sees the outcome."))
        else:
            cancel = CancelForm(request.POST)
            cancel.is_valid()
            services.callback_cancel(actor=actor, request=callback, data=cancel.to_input())
    except (Invalid, Conflict) as error:
        messages.error(request, str(error.message))
    return redirect("callbacks:detail", request_id=callback.public_id)


@require_POST
@service_errors
def claim(request: AuthenticatedRequest, request_id: str) -> HttpResponse:
    return _act(request, request_id, "claim")


@require_POST
@service_errors
def attempt(request: AuthenticatedRequest, request_id: str) -> HttpResponse:
    return _act(request, request_id, "attempt")


@require_POST
@service_errors
def complete(request: AuthenticatedRequest, request_id: str) -> HttpResponse:
    return _act(request, request_id, "complete")


@require_POST
@service_errors
def cancel(request: AuthenticatedRequest, request_id: str) -> HttpResponse:
    return _act(request, request_id, "cancel")


@require_GET
@service_errors
def queue(request: AuthenticatedRequest, unit_id: str) -> HttpResponse:
    actor = request.actor
    unit = own_unit(actor=actor, unit_id=unit_id, perm=Perm.CALLBACK_HANDLE)
    active = request.GET.get("filter", "open")
    active = active if active in QUEUE_FILTERS else "open"
    page = callback_queue(
        actor=actor, unit_id=unit.pk, filter=active, page=clamp_page(request.GET.get("page"))
    )
    context = {
        "unit": unit,
        "page": page,
        "filter": active,
        "filters": QUEUE_FILTERS,
        "counts": callback_counts(unit_id=unit.pk),
        "now": timezone.now(),
    }
    return render(request, "callbacks/queue.html", context)


@require_GET
@service_errors
def sent(request: AuthenticatedRequest, unit_id: str) -> HttpResponse:
    actor = request.actor
    unit = own_unit(actor=actor, unit_id=unit_id, perm=Perm.CALLBACK_REQUEST)
    page = callbacks_sent(actor=actor, unit_id=unit.pk, page=clamp_page(request.GET.get("page")))
    return render(
        request, "callbacks/sent.html", {"unit": unit, "page": page, "now": timezone.now()}
    )
