"""Booking pages: my units' bookings, publishing slots (the serving unit), the slot
search (GET, no client data; htmx swaps the results), booking a slot for a client, a
booking's page (rebook, cancel, no-show) and its confirmation download.

Pages read through the selectors and write through the services; a refused or invalid
write comes back as a message, with the form kept.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from silta.accounts.request import AuthenticatedRequest
from silta.accounts.roles import Perm
from silta.bookings import forms, services, slots
from silta.bookings.ical import booking_file
from silta.bookings.models import BookingStatus
from silta.bookings.permissions import can_change, can_mark_no_show, can_rebook, can_search
from silta.bookings.selectors import (
    bookable_cases,
    booking_get,
    free_slots_like,
    open_assessment_referrals,
    service_areas,
    slot_get,
    slots_search,
    unit_bookings,
    unit_slots,
)
from silta.consents.disclosures import NoLawfulBasis
from silta.core.errors import Conflict, Invalid
from silta.core.forms import add_service_error
from silta.core.views import is_htmx, service_errors
from silta.exchange.selectors import case_get


def _actor(request: AuthenticatedRequest) -> Any:
    return request.actor


def _require_search(request: AuthenticatedRequest, what: str) -> Any:
    actor = _actor(request)
    if not can_search(actor):
        raise services.deny(actor, None, what)
    return actor


@require_GET
@service_errors
def index(request: AuthenticatedRequest) -> HttpResponse:
    actor = _require_search(request, "list")
    return render(request, "bookings/index.html", {"bookings": unit_bookings(actor=actor)})


@require_http_methods(["GET", "POST"])
@service_errors
def publish(request: AuthenticatedRequest) -> HttpResponse:
    actor = _require_search(request, "publish")
    units = slots.publishable_units(actor)
    form = forms.PublishForm(request.POST or None, units=units)
    if request.method == "POST":
        try:
            made = slots.slots_publish(actor=actor, data=form.to_input())
        except (Invalid, Conflict) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("%(count)s slots published.") % {"count": len(made)})
            return redirect("bookings:publish")
    context = {
        "form": form,
        "slots": unit_slots(unit_ids=frozenset(u.pk for u in units)),
    }
    return render(request, "bookings/publish.html", context, status=400 if form.errors else 200)


@require_GET
@service_errors
def search(request: AuthenticatedRequest) -> HttpResponse:
    actor = _require_search(request, "search")
    form = forms.SearchForm(request.GET or None, areas=service_areas())
    results = None
    if request.GET:
        try:
            results = slots_search(actor=actor, data=form.to_input())
        except Invalid as error:
            add_service_error(form, error)
    context = {"form": form, "results": results}
    template = "bookings/_results.html" if is_htmx(request) else "bookings/search.html"
    return render(request, template, context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@service_errors
def book(request: AuthenticatedRequest, slot_id: str) -> HttpResponse:
    actor = _require_search(request, "book")
    slot = slot_get(actor=actor, slot_id=slot_id)
    cases = bookable_cases(actor=actor)
    form = forms.BookForm(
        request.POST or None,
        cases=cases,
        referrals=open_assessment_referrals(actor=actor, cases=cases),
    )
    status = 200
    if request.method == "POST":
        try:
            data = form.to_input()
            if data.case_id is None:
                raise Invalid(_("Choose the client."), code="case_required", field="case_id")
            case = case_get(actor=actor, case_id=data.case_id, perm=Perm.MEETING_ORGANISE)
            booked = services.booking_create(actor=actor, case=case, slot=slot, data=data)
        except (Invalid, Conflict, NoLawfulBasis) as error:
            add_service_error(form, error)
            status = error.status
        else:
            messages.success(request, _("Booked. The confirmation was sent."))
            if booked.feedback_error:
                messages.warning(
                    request,
                    _("The assessment feedback was not recorded: %(reason)s")
                    % {"reason": booked.feedback_error},
                )
            elif booked.booking.referral_id:
                messages.success(request, _("The assessment feedback “booked” was recorded."))
            return redirect("bookings:detail", booking_id=booked.booking.public_id)
    return render(request, "bookings/book.html", {"form": form, "slot": slot}, status=status)


@require_GET
@service_errors
def detail(request: AuthenticatedRequest, booking_id: str) -> HttpResponse:
    actor = _actor(request)
    booking = booking_get(actor=actor, booking_id=booking_id)
    active = booking.status == BookingStatus.BOOKED
    rebook = can_rebook(actor, booking) and active
    context = {
        "booking": booking,
        "can_cancel": can_change(actor, booking) and active,
        "can_no_show": can_mark_no_show(actor, booking) and active,
        "rebook_form": forms.RebookForm(slots=free_slots_like(booking.slot)) if rebook else None,
        "cancel_form": forms.CancelForm(),
    }
    return render(request, "bookings/detail.html", context)


def _act(request: AuthenticatedRequest, booking_id: str, write: Any) -> HttpResponse:
    actor = _actor(request)
    booking = booking_get(actor=actor, booking_id=booking_id)
    try:
        write(actor, booking)
    except (Invalid, Conflict, NoLawfulBasis) as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Saved."))
    return redirect("bookings:detail", booking_id=booking.public_id)


@require_POST
@service_errors
def rebook(request: AuthenticatedRequest, booking_id: str) -> HttpResponse:
    def write(actor: Any, booking: Any) -> Any:
        data = forms.RebookForm(request.POST, slots=free_slots_like(booking.slot)).to_input()
        slot = slot_get(actor=actor, slot_id=data.slot_id or request.POST.get("slot_id"))
        return services.booking_rebook(actor=actor, booking=booking, slot=slot)

    return _act(request, booking_id, write)


@require_POST
@service_errors
def cancel(request: AuthenticatedRequest, booking_id: str) -> HttpResponse:
    data = forms.CancelForm(request.POST).to_input()
    return _act(
        request, booking_id, lambda a, b: services.booking_cancel(actor=a, booking=b, data=data)
    )


@require_POST
@service_errors
def no_show(request: AuthenticatedRequest, booking_id: str) -> HttpResponse:
    return _act(request, booking_id, lambda a, b: services.booking_no_show(actor=a, booking=b))


@require_GET
@service_errors
def ics(request: AuthenticatedRequest, booking_id: str) -> HttpResponse:
    """The confirmation as the booking stands (the cancellation once cancelled)."""
    booking = booking_get(actor=_actor(request), booking_id=booking_id)
    response = HttpResponse(booking_file(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="silta-appointment.ics"'
    return response
