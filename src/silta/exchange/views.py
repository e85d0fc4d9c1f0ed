"""Shared cases and threads in the browser: the same services as the API."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from silta.accounts.request import AuthenticatedRequest
from silta.accounts.roles import Perm
from silta.accounts.selectors import unit_members
from silta.audit.denial import deny
from silta.clients.pages import case_open_form, client_context, client_for_page
from silta.clients.selectors import client_get
from silta.consents.codes import DisclosureKind
from silta.consents.disclosures import NoLawfulBasis
from silta.consents.gate import BasisPreview, basis_preview
from silta.core.errors import Conflict, Invalid
from silta.core.forms import add_service_error
from silta.core.pagination import clamp_page
from silta.core.views import is_htmx, service_errors
from silta.exchange import selectors, services, workflow
from silta.exchange.downloads import attachment_response
from silta.exchange.forms import AssignForm, ReplyForm, ThreadStartForm
from silta.exchange.models import Case, Thread
from silta.exchange.own_workers import own_worker_set
from silta.exchange.permissions import acting_unit_for_case
from silta.exchange.story import STORY_KINDS, case_story
from silta.organisations.selectors import own_unit, unit_by_public_id
from silta.referrals.selectors import case_referrals


@require_POST
@service_errors
def case_open(request: AuthenticatedRequest, client_id: str) -> HttpResponse:
    actor = request.actor
    client, related = client_for_page(request, client_id)
    form, suggestion = case_open_form(
        request, client, request.POST, request.POST.get("topic", ""), related_only=False
    )
    if form is None:  # the actor's role may not open shared cases in any of their units
        raise deny(
            actor,
            message=_("Your role does not allow opening shared cases."),
            client=client,
            detail={"perm": "case_open"},
        )
    if form.is_valid():
        own = own_unit(actor=actor, unit_id=form.cleaned_data["acting_unit"], perm=Perm.CASE_OPEN)
        counterpart = unit_by_public_id(form.cleaned_data["counterpart_unit"])
        try:
            case, created = services.case_open(
                actor=actor,
                client=client,
                acting_unit_id=own.pk,
                counterpart_unit_id=counterpart.pk if counterpart else 0,
                basis=form.basis_choice(),
                topic=form.cleaned_data.get("topic", ""),
                override_reason=form.cleaned_data["override_reason"],
            )
        except (Invalid, NoLawfulBasis) as error:
            add_service_error(form, error)
        else:
            if not created:
                messages.info(request, _("The client already has a shared case with this unit."))
            return redirect("exchange:case", case_id=case.public_id)
    context = client_context(request, client, form, suggestion, related=related)
    return render(request, "clients/detail.html", context, status=400)


@require_POST
@service_errors
def own_worker(request: AuthenticatedRequest, client_id: str, unit_id: str) -> HttpResponse:
    """Name the client's own worker in one of the actor's social units (on the client
    page); shown to Kela where the client's consent allows (``exchange.own_workers``)."""
    actor = request.actor
    # Not a read of the client's data: the write below is audited with the client.
    client = client_get(actor=actor, client_id=client_id, audit=False)
    unit = own_unit(actor=actor, unit_id=unit_id, perm=Perm.CASE_OPEN)
    try:
        saved = own_worker_set(
            actor=actor,
            client=client,
            unit_id=unit.pk,
            name=request.POST.get("name", ""),
            phone=request.POST.get("phone", ""),
            reachability=request.POST.get("reachability", ""),
        )
    except (Invalid, NoLawfulBasis) as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Own worker saved."))
        for kela_unit, reason in saved.not_shown:
            text = _("Not shown to %(unit)s: %(reason)s.")
            messages.warning(request, text % {"unit": kela_unit.name, "reason": reason})
    return redirect("clients:detail", client_id=client.public_id)


def message_basis(case: Case, unit_id: int | None) -> BasisPreview | None:
    """On which basis a message from ``unit_id`` on ``case`` would go out now."""
    if unit_id is None:
        return None
    # The case's units, loaded with their organisations by the selectors: no queries.
    discloser, recipient = case.sides_from(unit_id)
    return basis_preview(
        client=case.client,
        unit_id=unit_id,
        recipient=recipient,
        kind=DisclosureKind.MESSAGE,
        documents=True,
        discloser=discloser,
    )


def _case_context(
    request: AuthenticatedRequest, case_id: str, start_form: ThreadStartForm | None
) -> dict:
    actor = request.actor
    case = selectors.case_get(actor=actor, case_id=case_id)
    page = clamp_page(request.GET.get("page"))
    kind = request.GET.get("kind", "all")
    sender_unit = acting_unit_for_case(actor, case, Perm.MESSAGE_SEND)
    can_send = sender_unit is not None
    return {
        "basis": message_basis(case, sender_unit),
        "case": case,
        "client": case.client,
        "threads": selectors.case_threads(case=case),
        "referrals": case_referrals(case=case),
        "story": case_story(case=case, page=page, kind=kind),
        "story_kind": kind if kind in STORY_KINDS else "all",
        "start_form": (start_form or ThreadStartForm()) if can_send else None,
        "own_unit_id": acting_unit_for_case(actor, case, Perm.CASE_VIEW),
    }


@require_GET
@service_errors
def case_detail(request: AuthenticatedRequest, case_id: str) -> HttpResponse:
    return render(request, "exchange/case.html", _case_context(request, case_id, None))


@require_POST
@service_errors
def thread_start(request: AuthenticatedRequest, case_id: str) -> HttpResponse:
    actor = request.actor
    form = ThreadStartForm(request.POST, request.FILES)
    if form.is_valid():
        case = selectors.case_get(actor=actor, case_id=case_id, perm=Perm.MESSAGE_SEND, audit=False)
        try:
            message = services.thread_start(
                actor=actor,
                case=case,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                files=form.cleaned_data["attachments"],
                client_token=form.cleaned_data["client_token"],
                basis=form.basis_choice(),
                expense_kind=form.cleaned_data["expense_kind"],
            )
        except (Invalid, NoLawfulBasis) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Message sent."))
            return redirect("exchange:thread", thread_id=message.thread.public_id)
    context = _case_context(request, case_id, form)
    return render(request, "exchange/case.html", context, status=400)


def _thread_context(request: AuthenticatedRequest, thread: Thread, reply: ReplyForm | None) -> dict:
    actor = request.actor
    case = thread.case
    own_unit = acting_unit_for_case(actor, case, Perm.CASE_VIEW)
    can_assign = acting_unit_for_case(actor, case, Perm.THREAD_ASSIGN) is not None
    entry = selectors.inbox_entry(thread=thread, unit_id=own_unit)
    sender_unit = acting_unit_for_case(actor, case, Perm.MESSAGE_SEND)
    can_send = sender_unit is not None
    return {
        "basis": message_basis(case, sender_unit),
        "thread": thread,
        "case": case,
        "client": case.client,
        "messages_list": selectors.thread_messages(thread=thread),
        "entry": entry,
        "own_unit_id": own_unit,
        "reply_form": (reply or ReplyForm(initial={"version": thread.version}))
        if can_send
        else None,
        "can_claim": acting_unit_for_case(actor, case, Perm.THREAD_CLAIM) is not None,
        "assign_form": AssignForm(
            members=unit_members(unit=entry.unit),
            initial={"assignee": entry.assignee.public_id if entry.assignee else ""},
        )
        if can_assign
        else None,
    }


@require_GET
@service_errors
def thread_detail(request: AuthenticatedRequest, thread_id: str) -> HttpResponse:
    actor = request.actor
    thread = selectors.thread_get(actor=actor, thread_id=thread_id)
    workflow.thread_mark_read(actor=actor, thread=thread)
    return render(request, "exchange/thread.html", _thread_context(request, thread, None))


@require_POST
@service_errors
def message_send(request: AuthenticatedRequest, thread_id: str) -> HttpResponse:
    actor = request.actor
    thread = selectors.thread_get(actor=actor, thread_id=thread_id, perm=Perm.MESSAGE_SEND)
    form = ReplyForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        try:
            services.message_send(
                actor=actor,
                thread=thread,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["attachments"],
                client_token=form.cleaned_data["client_token"],
                seen_version=form.cleaned_data["version"],
                basis=form.basis_choice(),
            )
        except Conflict as error:
            add_service_error(form, error)
            status = 409
            # Show what is new; keep the text, renew the version so a resend is possible.
            thread = selectors.thread_get(actor=actor, thread_id=thread_id)
            workflow.thread_mark_read(actor=actor, thread=thread)  # shown now, so read
            data = request.POST.copy()
            data["version"] = str(thread.version)
            form.data = data
        except (Invalid, NoLawfulBasis) as error:
            add_service_error(form, error)
        else:
            if is_htmx(request):
                thread = selectors.thread_get(actor=actor, thread_id=thread_id)
                context = _thread_context(request, thread, None)
                context["sent"] = True
                return render(request, "exchange/_thread_body.html", context)
            messages.success(request, _("Message sent."))
            return redirect("exchange:thread", thread_id=thread.public_id)
    context = _thread_context(request, thread, form)
    template = "exchange/_thread_body.html" if is_htmx(request) else "exchange/thread.html"
    return render(request, template, context, status=200 if is_htmx(request) else status)


@require_POST
@service_errors
def thread_claim(request: AuthenticatedRequest, thread_id: str) -> HttpResponse:
    actor = request.actor
    thread = selectors.thread_get(actor=actor, thread_id=thread_id, perm=Perm.THREAD_CLAIM)
    workflow.thread_claim(actor=actor, thread=thread)
    messages.success(request, _("The thread is now yours."))
    return redirect("exchange:thread", thread_id=thread.public_id)


@require_POST
@service_errors
def thread_assign(request: AuthenticatedRequest, thread_id: str) -> HttpResponse:
    actor = request.actor
    thread = selectors.thread_get(actor=actor, thread_id=thread_id)
    workflow.thread_assign(actor=actor, thread=thread, assignee_id=request.POST.get("assignee"))
    messages.success(request, _("Assignment saved."))
    return redirect("exchange:thread", thread_id=thread.public_id)


@require_POST
@service_errors
def thread_status(request: AuthenticatedRequest, thread_id: str) -> HttpResponse:
    actor = request.actor
    thread = selectors.thread_get(actor=actor, thread_id=thread_id, perm=Perm.MESSAGE_SEND)
    workflow.thread_set_status(actor=actor, thread=thread, status=request.POST.get("status", ""))
    return redirect("exchange:thread", thread_id=thread.public_id)


@require_GET
@service_errors
def attachment_download(request: AuthenticatedRequest, attachment_id: str) -> HttpResponseBase:
    return attachment_response(actor=request.actor, attachment_id=attachment_id)
