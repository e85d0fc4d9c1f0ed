"""Referral pages: send, follow (sent / received), act, and the monthly report."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from silta.accounts.request import AuthenticatedRequest
from silta.accounts.roles import Perm
from silta.consents.codes import DisclosureKind
from silta.consents.disclosures import NoLawfulBasis
from silta.consents.gate import BasisPreview, basis_preview
from silta.core.errors import Conflict, Invalid
from silta.core.forms import add_service_error
from silta.core.pagination import clamp_page
from silta.core.views import is_htmx, service_errors
from silta.exchange import selectors as exchange
from silta.exchange.models import Case
from silta.organisations.selectors import own_unit
from silta.referrals import services
from silta.referrals.deadline_rules import RULES
from silta.referrals.deadlines import working_days_left
from silta.referrals.forms import ActForm, ReferralForm
from silta.referrals.ical import meeting_ics
from silta.referrals.models import Referral
from silta.referrals.reports import monthly_report, report_csv, report_xlsx
from silta.referrals.selectors import (
    RECEIVED_FILTERS,
    SENT_FILTERS,
    referral_get,
    referrals_received,
    referrals_sent,
)
from silta.referrals.state import RECEIVER, SENDER, TRANSITIONS, Action, Status, available
from silta.referrals.types import SPECS
from silta.workdays.calendar import today, working_days_between


@require_http_methods(["GET", "POST"])
@service_errors
def new(request: AuthenticatedRequest, case_id: str) -> HttpResponse:
    actor = request.actor
    case = exchange.case_get(actor=actor, case_id=case_id, perm=Perm.MESSAGE_SEND)
    own_is_kela = case.kela_unit_id in actor.units_with(Perm.MESSAGE_SEND)
    types = [spec for spec in SPECS.values() if spec.allowed_from(own_is_kela)]
    chosen = request.POST.get("type") or request.GET.get("type") or ""
    form = (
        ReferralForm(request.POST or None, request.FILES or None, referral_type=chosen)
        if chosen in SPECS
        else None
    )
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            referral = services.referral_send(
                actor=actor,
                case=case,
                files=form.cleaned_data["attachments"],
                client_token=form.cleaned_data["client_token"],
                data=form.to_input(),
            )
        except (Invalid, NoLawfulBasis) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Referral sent. You will see here what happens."))
            return redirect("referrals:detail", referral_id=referral.public_id)
    context = {
        "case": case,
        "client": case.client,
        "types": types,
        "chosen": chosen,
        "form": form,
        "rule": RULES[SPECS[chosen].rule] if chosen in SPECS else None,
        "basis": _basis(case, case.kela_unit_id if own_is_kela else case.social_unit_id, form),
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "referrals/new.html", context, status=status)


def _basis(case: Case, unit_id: int, form: ReferralForm | None) -> BasisPreview | None:
    """On which basis the chosen type would go to the case's other party now."""
    if form is None:
        return None
    return basis_preview(
        client=case.client,
        unit_id=unit_id,
        recipient=case.counterpart_of(unit_id),
        kind=form.spec.disclosure,
    )


def outcome_basis(referral: Referral) -> BasisPreview:
    """On which basis the receiver's outcome would go back to the sender now."""
    return basis_preview(
        client=referral.case.client,
        unit_id=referral.receiver_unit_id,
        recipient=referral.sender_unit_id,
        kind=DisclosureKind.OUTCOME,
    )


@require_GET
@service_errors
def detail(request: AuthenticatedRequest, referral_id: str) -> HttpResponse:
    """The referral page; ``?action=`` shows that step's form (an htmx fragment for htmx)."""
    actor = request.actor
    referral = referral_get(actor=actor, referral_id=referral_id)
    referral = services.referral_open(actor=actor, referral=referral)
    context = _detail_context(request, referral, chosen=request.GET.get("action", ""))
    if is_htmx(request):
        return render(
            request, "referrals/_action_form.html", {**context, "form": context["chosen"]}
        )
    return render(request, "referrals/detail.html", context)


# The step offered first when it is possible; the others are behind a choice. Reject,
# return and cancel are never the first offer.
PRIMARY = (Action.ACCEPT, Action.START, Action.COMPLETE, Action.RESUME, Action.RESEND)


def _detail_context(
    request: AuthenticatedRequest,
    referral: Referral,
    *,
    chosen: str = "",
    failed: ActForm | None = None,
) -> dict[str, object]:
    actor = request.actor
    units = actor.units_with(Perm.MESSAGE_SEND)
    side = (
        RECEIVER
        if referral.receiver_unit_id in units
        else SENDER
        if referral.sender_unit_id in units
        else ""
    )
    possible = [t.action for t in available(referral.status, side)] if side else []
    primary = next((a for a in PRIMARY if a in possible), "")
    other = referral.sender_unit if side == RECEIVER else referral.receiver_unit

    def step(action: str) -> ActForm | None:
        if action not in possible:
            return None
        if failed is not None and failed.step == action:
            return failed
        return ActForm(
            referral_type=referral.type,
            action=action,
            other=other.name,
            initial={"version": referral.version, "expense_kind": referral.expense_kind},
        )

    chosen = failed.step if failed is not None and failed.step != primary else chosen
    completes = Action.COMPLETE in possible and side == RECEIVER
    now_day = today()
    end = referral.closed_at or timezone.now()
    thread_messages = list(exchange.thread_messages(thread=referral.thread))
    return {
        "referral": referral,
        "spec": referral.spec,
        "rule": RULES[referral.deadline_rule],
        "side": side,
        "primary": step(primary),
        "others": [(a, Action(a).label) for a in possible if a != primary],
        "chosen": step(chosen) if chosen != primary else None,
        "basis": outcome_basis(referral) if completes else None,
        "client": referral.case.client,
        "description": thread_messages[0].body if thread_messages else "",
        "attachments": [a for m in thread_messages for a in m.attachments.all()],
        "thread_messages": thread_messages,
        "own_unit_id": referral.receiver_unit_id if side == RECEIVER else referral.sender_unit_id,
        "days_left": working_days_left(referral.due_date, now_day),
        "days_overdue": -working_days_left(referral.due_date, now_day),
        "days_open": working_days_between(referral.arrived_on, timezone.localdate(end)),
        "events": referral.events.select_related("unit").all(),
    }


@require_POST
@service_errors
def act(request: AuthenticatedRequest, referral_id: str) -> HttpResponse:
    actor = request.actor
    referral = referral_get(actor=actor, referral_id=referral_id)
    action = request.POST.get("action", "")
    units = actor.units_with(Perm.MESSAGE_SEND)
    other = referral.receiver_unit if referral.sender_unit_id in units else referral.sender_unit
    form = ActForm(request.POST, referral_type=referral.type, action=action, other=other.name)
    if form.is_valid():
        try:
            services.referral_act(actor=actor, referral=referral, data=form.to_input())
        except (Invalid, Conflict, NoLawfulBasis) as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Saved. The referral is now “%(status)s”.")
                % {"status": Status(TRANSITIONS[action].target).label},
            )
            return redirect("referrals:detail", referral_id=referral.public_id)
    referral = referral_get(actor=actor, referral_id=referral_id)
    context = _detail_context(request, referral, failed=form)
    if context["primary"] is not form and context["chosen"] is not form:
        # The step is no longer possible (the referral moved on): say why at the top.
        context["failed_errors"] = [e for errors in form.errors.values() for e in errors]
    return render(request, "referrals/detail.html", context, status=400)


# box -> (the list's selector, its filters, the default filter)
LISTS = {
    "sent": (referrals_sent, SENT_FILTERS, "all"),
    "received": (referrals_received, RECEIVED_FILTERS, "open"),
}


def _list(request: AuthenticatedRequest, unit_id: str, box: str) -> HttpResponse:
    actor = request.actor
    unit = own_unit(actor=actor, unit_id=unit_id, perm=Perm.CASE_VIEW)
    selector, filters, default = LISTS[box]
    active = request.GET.get("filter", default)
    active = active if active in filters else default
    page = selector(
        actor=actor, unit_id=unit.pk, filter=active, page=clamp_page(request.GET.get("page"))
    )
    context = {
        "unit": unit,
        "page": page,
        "filter": active,
        "filters": filters,
        "box": box,
        "today": today(),
    }
    return render(request, "referrals/list.html", context)


@require_GET
@service_errors
def sent(request: AuthenticatedRequest, unit_id: str) -> HttpResponse:
    return _list(request, unit_id, "sent")


@require_GET
@service_errors
def received(request: AuthenticatedRequest, unit_id: str) -> HttpResponse:
    return _list(request, unit_id, "received")


@require_GET
@service_errors
def report(request: AuthenticatedRequest, unit_id: str) -> HttpResponse:
    actor = request.actor
    # A member of the unit who is not its manager is refused by monthly_report (403, like
    # the load page); anyone else gets the 404 of a unit that is not theirs.
    unit = own_unit(actor=actor, unit_id=unit_id, perm=Perm.CASE_VIEW)
    now = today()
    # The month picker (<input type="month">) sends period=YYYY-MM; year and month also work.
    period = request.GET.get("period", "").split("-")
    try:
        if len(period) == 2:
            year, month = int(period[0]), int(period[1])
        else:
            year = int(request.GET.get("year", now.year))
            month = int(request.GET.get("month", now.month))
        dt.date(year, month, 1)
    except ValueError:
        year, month = now.year, now.month
    result = monthly_report(actor=actor, unit=unit, year=year, month=month)
    name = f"silta-referrals-{year}-{month:02d}"
    output = request.GET.get("format", "")
    if output == "csv":
        response = HttpResponse(report_csv(result), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if output == "xlsx":
        response = HttpResponse(
            report_xlsx(result),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    return render(request, "referrals/report.html", {"unit": unit, "report": result})


@require_GET
@service_errors
def ics(request: AuthenticatedRequest, referral_id: str) -> HttpResponse:
    actor = request.actor
    referral = referral_get(actor=actor, referral_id=referral_id)
    if referral.outcome not in referral.spec.outcome_needs_time or referral.outcome_date is None:
        raise Invalid(_("The meeting has not been confirmed yet."), code="meeting_unconfirmed")
    response = HttpResponse(meeting_ics(referral), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="silta-{referral.public_id}.ics"'
    return response
