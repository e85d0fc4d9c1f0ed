"""The client's own view: pages only (no API), each behind ``client_required``, each read
audited with the client (or the attorney) as the actor. No identity code or client data
travels in a URL or a query string: choices and ids go in POST bodies."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from silta.audit.models import AuditAction
from silta.bookings.ical import booking_file
from silta.core.errors import Forbidden, NotFound, ServiceError
from silta.core.forms import add_service_error
from silta.meetings.ical import REQUEST, meeting_ics
from silta.portal import selectors
from silta.portal.access import (
    CONSENTS,
    MATTERS,
    audit_read,
    audit_write,
    refuse_hidden,
    require_scope,
)
from silta.portal.forms import ConsentGiveForm, ConsentRevokeForm, DataUseForm, MeetingRequestForm
from silta.portal.matters import my_matters
from silta.portal.report import data_use, data_use_pdf, period
from silta.portal.services import GiveConsent, ask_joint_meeting, give_consent, revoke_consent
from silta.portal.session import (
    SignedInClient,
    client_required,
    get_signed_in_client,
    principals_of,
    sign_in_client,
    sign_out_client,
    signed_in_of,
)

View = Callable[..., HttpResponse]


def _me(request: HttpRequest) -> SignedInClient:
    return signed_in_of(request)


def portal_page(view: View) -> View:
    """A signed-in client only; a refusal becomes the own view's 404 or 403 page."""

    @client_required
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            return _error(request, _("Not found."), 404)
        except Forbidden as exc:
            return _error(request, str(exc.message), 403)
        except ServiceError as exc:
            return _error(request, str(exc.message), exc.status)

    return wrapper


def _error(request: HttpRequest, message: str, status: int) -> HttpResponse:
    context = {"me": get_signed_in_client(request), "message": message}
    return render(request, "portal/error.html", context, status=status)


def _page(request: HttpRequest, template: str, nav: str, **context: Any) -> HttpResponse:
    return render(request, template, {"me": _me(request), "nav": nav, **context})


@require_GET
def sign_in(request: HttpRequest) -> HttpResponse:
    """Where a client without a session lands: the way to strong identification."""
    if get_signed_in_client(request) is not None:
        return redirect("portal:home")
    try:
        provider_url = reverse(settings.SILTA_CLIENT_SIGN_IN_START)
    except NoReverseMatch:  # the identity provider's relying party is not installed
        provider_url = ""
    target = request.GET.get("next", "")
    if (
        provider_url
        and target.startswith("/oma/")
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    ):
        provider_url = f"{provider_url}?next={target}"
    return render(request, "portal/sign_in.html", {"provider_url": provider_url})


@client_required
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """End a client session (a staff session is never touched from here). Signing out
    of the identity provider too is the relying party's (``SILTA_CLIENT_SIGN_OUT``)."""
    sign_out_client(request)
    messages.success(request, _("You are signed out."))
    return redirect("portal:sign_in")


@portal_page
@require_http_methods(["GET", "POST"])
def acting_for(request: HttpRequest) -> HttpResponse:
    """Whose matters: one's own, or a principal's under a verified power of attorney in
    force held by the signed-in person. Choosing signs in again (a new session key)."""
    me = _me(request)
    powers = principals_of(me.client)
    if request.method == "POST":
        choice = request.POST.get("power", "")
        if choice == "self":
            sign_in_client(request, me.client, method=me.method)
            return redirect("portal:home")
        chosen = next((p for p in powers if str(p.public_id) == choice), None)
        if chosen is None:
            raise refuse_hidden(me, "acting_for", power=str(choice)[:64])
        sign_in_client(request, me.client, acting_for=chosen, method=me.method)
        return redirect("portal:home")
    return _page(request, "portal/acting_for.html", "acting_for", powers=powers)


@portal_page
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """My matters: the shared cases, the referrals in plain language, the deadlines."""
    me = _me(request)
    require_scope(me, MATTERS, "matters")
    matters = my_matters(me.subject)
    audit_read(me, "matters", referrals=len(matters.referrals))
    holds = not me.is_attorney and bool(principals_of(me.client))
    return _page(request, "portal/home.html", "home", matters=matters, holds_powers=holds)


@portal_page
@require_http_methods(["GET", "POST"])
def meetings(request: HttpRequest) -> HttpResponse:
    """Upcoming meetings and appointments booked for the client, their calendar files,
    and the request for a joint meeting."""
    me = _me(request)
    require_scope(me, MATTERS, "meetings")
    cases = selectors.client_cases(me.subject)
    form = MeetingRequestForm(request.POST or None, cases=cases)
    if request.method == "POST":
        case = _own_case(me, request, "meeting_request")
        if form.is_valid():
            try:
                referral = ask_joint_meeting(me, case, form.cleaned_data["wishes"])
            except ServiceError as exc:
                add_service_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Your request was sent. Kela offers you a meeting by %(date)s.")
                    % {"date": date_format(referral.due_date, "j.n.Y")},
                )
                return redirect("portal:meetings")
    upcoming = selectors.upcoming_meetings(me.subject)
    bookings = selectors.upcoming_bookings(me.subject)
    pending = selectors.pending_meeting_request(me.subject)
    audit_read(me, "meetings", meetings=len(upcoming), bookings=len(bookings))
    context = {
        "meetings": upcoming,
        "bookings": bookings,
        "pending": pending,
        "form": form,
        "cases": cases,
    }
    return _page(request, "portal/meetings.html", "meetings", **context)


@portal_page
@require_GET
def meeting_calendar(request: HttpRequest, meeting_id: Any) -> HttpResponse:
    """The confirmed meeting as an iCalendar file (time, place, organiser only)."""
    me = _me(request)
    require_scope(me, MATTERS, "meeting_calendar")
    meeting = selectors.client_meeting(me.subject, meeting_id)
    if meeting is None:
        raise refuse_hidden(me, "meeting_calendar", meeting=str(meeting_id))
    audit_write(me, AuditAction.DOWNLOAD, meeting, page="meeting_calendar")
    response = HttpResponse(meeting_ics(meeting, REQUEST), content_type="text/calendar")
    response["Content-Disposition"] = 'attachment; filename="silta-tapaaminen.ics"'
    return response


@portal_page
@require_GET
def booking_calendar(request: HttpRequest, booking_id: Any) -> HttpResponse:
    """An appointment booked for the client as an iCalendar file (time, place and the
    serving unit only): the same file the booking's confirmation carries."""
    me = _me(request)
    require_scope(me, MATTERS, "booking_calendar")
    booking = selectors.client_booking(me.subject, booking_id)
    if booking is None:
        raise refuse_hidden(me, "booking_calendar", booking=str(booking_id))
    audit_write(me, AuditAction.DOWNLOAD, booking, page="booking_calendar")
    response = HttpResponse(booking_file(booking), content_type="text/calendar")
    response["Content-Disposition"] = 'attachment; filename="silta-ajanvaraus.ics"'
    return response


def _own_case(me: SignedInClient, request: HttpRequest, page: str) -> Any:
    """The client's own case named in the POST body; any other id is an audited 404."""
    case = selectors.client_case(me.subject, request.POST.get("case"))
    if case is None:
        raise refuse_hidden(me, page, case=str(request.POST.get("case", ""))[:64])
    return case


def _consent_forms(me: SignedInClient, data: Any = None) -> tuple[ConsentGiveForm, Any]:
    wording = selectors.current_wording()
    purposes = list(wording.purposes) if wording else []
    form = ConsentGiveForm(data, cases=selectors.client_cases(me.subject), purposes=purposes)
    return form, wording


def _consents_page(request: HttpRequest, form: ConsentGiveForm, wording: Any) -> HttpResponse:
    me = _me(request)
    consents = selectors.client_consents(me.subject)
    powers = selectors.powers_given(me.subject)
    audit_read(me, "consents", consents=len(consents))
    language = "sv" if get_language() == "sv" else "fi"
    context = {
        "consents": consents,
        "powers": powers,
        "form": form,
        "wording": wording,
        "wording_text": wording.text(language) if wording else "",
        "now": timezone.now(),
    }
    status = 400 if form.errors else 200
    response = _page(request, "portal/consents.html", "consents", **context)
    response.status_code = status
    return response


@portal_page
@require_GET
def consents(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    require_scope(me, CONSENTS, "consents")
    form, wording = _consent_forms(me)
    return _consents_page(request, form, wording)


@portal_page
@require_POST
def consent_give(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    require_scope(me, CONSENTS, "consent_give")
    form, wording = _consent_forms(me, request.POST)
    case = _own_case(me, request, "consent_give")
    if form.is_valid():
        data = GiveConsent(
            case=case,
            purposes=form.cleaned_data["purposes"],
            agreed=form.cleaned_data["agreed"],
            language=get_language() or "fi",
        )
        try:
            give_consent(me, data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Thank you. Your consent is now in force."))
            return redirect("portal:consents")
    return _consents_page(request, form, wording)


@portal_page
@require_POST
def consent_revoke(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    require_scope(me, CONSENTS, "consent_revoke")
    form = ConsentRevokeForm(request.POST)
    consent = selectors.client_consent(me.subject, form.data.get("consent"))
    if not form.is_valid() or consent is None:
        raise refuse_hidden(me, "consent_revoke", consent=str(form.data.get("consent", ""))[:64])
    try:
        revoke_consent(me, consent)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Your consent is revoked. It stopped at once."))
    return redirect("portal:consents")


@portal_page
@require_http_methods(["GET", "POST"])
def data_use_page(request: HttpRequest) -> HttpResponse:
    """Who has used my data (703/2023 11 §): the period is chosen in a POST form."""
    me = _me(request)
    require_scope(me, MATTERS, "data_use")
    form = DataUseForm(request.POST or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            span = period(
                form.cleaned_data["since"], form.cleaned_data["until"], timezone.localdate()
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            report = data_use(me.subject, span)
            if "pdf" in request.POST:
                audit_write(me, AuditAction.EXPORT, page="data_use_pdf")
                response = HttpResponse(data_use_pdf(me.subject, report), "application/pdf")
                response["Content-Disposition"] = 'attachment; filename="silta-tietojen-kaytto.pdf"'
                return response
            audit_read(me, "data_use")
    status = 400 if form.errors else 200
    response = _page(request, "portal/data_use.html", "data_use", form=form, report=report)
    response.status_code = status
    return response
