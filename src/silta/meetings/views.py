"""Meeting pages: new meeting on a case, the meeting page (times, answers, place,
agenda, minutes, actions), the invitation download, upcoming meetings, my open actions.

Every page reads through the access selectors (404 for not yours) and writes through the
services; a refused or invalid write comes back to the meeting page as a message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from silta.accounts.request import AuthenticatedRequest
from silta.accounts.roles import Perm
from silta.consents.disclosures import NoLawfulBasis
from silta.cooperation.selectors import open_followups
from silta.core.errors import Conflict, Invalid
from silta.core.forms import add_service_error
from silta.core.views import service_errors
from silta.exchange.selectors import case_get
from silta.meetings import forms, minutes, services
from silta.meetings.ical import CANCEL, REQUEST, meeting_ics
from silta.meetings.models import Meeting, MeetingStatus
from silta.meetings.permissions import (
    can_add_agenda,
    can_answer_for,
    can_organise,
    can_update_action,
)
from silta.meetings.selectors import (
    action_get,
    answers_by_time,
    case_meetings,
    case_workers,
    meeting_get,
    open_actions,
    place_units,
    upcoming_meetings,
)
from silta.referrals.deadlines import working_days_left
from silta.workdays.calendar import today, working_days_between


@require_GET
@service_errors
def index(request: AuthenticatedRequest) -> HttpResponse:
    actor = request.actor
    return render(request, "meetings/index.html", {"meetings": upcoming_meetings(actor=actor)})


@require_GET
@service_errors
def actions(request: AuthenticatedRequest) -> HttpResponse:
    actor = request.actor
    rows = open_actions(actor=actor)
    day = today()
    followups = [
        (a, a.due_date < day, working_days_between(a.due_date, day))
        for a in open_followups(actor=actor)
    ]
    context = {"rows": rows, "followups": followups, "status_form": forms.ActionStatusForm()}
    return render(request, "meetings/actions.html", context)


@require_http_methods(["GET", "POST"])
@service_errors
def new(request: AuthenticatedRequest, case_id: str) -> HttpResponse:
    actor = request.actor
    case = case_get(actor=actor, case_id=case_id)
    if not actor.can(Perm.MEETING_ORGANISE, case.party_unit_ids):
        raise services.deny(actor, None, "create")
    form = forms.MeetingForm(
        request.POST or None,
        workers=case_workers(case=case),
        units=place_units(case=case),
        initial={"referral_id": request.GET.get("referral"), "duration_minutes": 60},
    )
    if request.method == "POST":
        try:
            meeting = services.meeting_create(actor=actor, case=case, data=form.to_input())
        except (Invalid, NoLawfulBasis) as error:  # no consent: shown on top, form kept
            add_service_error(form, error)
        else:
            messages.success(request, _("Meeting created."))
            return redirect("meetings:detail", meeting_id=meeting.public_id)
    context = {"case": case, "form": form, "meetings": case_meetings(case=case)}
    return render(request, "meetings/new.html", context, status=400 if form.errors else 200)


def _deadline(meeting: Meeting) -> dict[str, Any]:
    referral = meeting.referral
    # Shown while a time is being found for a request still open (once the request is
    # completed or cancelled, its deadline is no longer anyone's to meet).
    if referral is None or meeting.status != MeetingStatus.SCHEDULING or not referral.is_open:
        return {}
    left = working_days_left(referral.due_date, today())
    return {"deadline": referral.due_date, "days_left": left, "days_overdue": -left}


def _owners(meeting: Meeting, participants: list[Any]) -> list[tuple[str, str]]:
    units = [meeting.case.kela_unit, meeting.case.social_unit]
    return [(f"unit:{u.public_id}", u.name) for u in units] + [
        (f"participant:{p.public_id}", p.name) for p in participants
    ]


def _page(
    request: AuthenticatedRequest, meeting: Meeting, status: int = 200, **bound: Any
) -> HttpResponse:
    """The meeting page; ``bound``: a refused form kept as filled in (``minutes_form``,
    ``action_form``), its refusal shown on it."""
    actor = request.actor
    participants = list(meeting.participants.select_related("user", "unit"))
    times = list(meeting.times.all())
    answerable = [p for p in participants if can_answer_for(actor, meeting, p)]
    context = {
        "meeting": meeting,
        "participants": participants,
        "times": times,
        "answers": answers_by_time(meeting),
        "answer_forms": [
            (p, forms.AnswerForm(times=times, initial={"participant_id": p.public_id}))
            for p in answerable
        ],
        "organiser": can_organise(actor, meeting),
        "can_add_agenda": can_add_agenda(actor, meeting) and meeting.is_open,
        "agenda": list(meeting.agenda.all()),
        "actions": [
            (a, can_update_action(actor, a))
            for a in meeting.actions.select_related("owner_unit", "owner_participant")
        ],
        "times_form": forms.TimesForm(),
        "confirm_form": forms.ConfirmForm(times=times),
        "place_form": forms.PlaceForm(units=place_units(case=meeting.case)),
        "cancel_form": forms.CancelForm(),
        "agenda_form": forms.AgendaForm(),
        "minutes_form": forms.MinutesForm(
            participants=participants, with_client=meeting.with_client
        ),
        "action_form": forms.ActionForm(owners=_owners(meeting, participants)),
        "status_form": forms.ActionStatusForm(),
        "today": today(),
        **_deadline(meeting),
        **bound,
    }
    return render(request, "meetings/detail.html", context, status=status)


@require_GET
@service_errors
def detail(request: AuthenticatedRequest, meeting_id: str) -> HttpResponse:
    actor = request.actor
    return _page(request, meeting_get(actor=actor, meeting_id=meeting_id))


def _act(
    request: AuthenticatedRequest, meeting_id: str, write: Callable[[Any, Meeting], Any]
) -> HttpResponse:
    actor = request.actor
    return _written(request, meeting_get(actor=actor, meeting_id=meeting_id), write)


def _written(
    request: AuthenticatedRequest, meeting: Meeting, write: Callable[[Any, Meeting], Any]
) -> HttpResponse:
    """Back to the meeting page, with the write's refusal (or "Saved.") as a message."""
    try:
        write(request.actor, meeting)
    except (Invalid, Conflict) as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Saved."))
    return redirect("meetings:detail", meeting_id=meeting.public_id)


@require_POST
@service_errors
def times(request: AuthenticatedRequest, meeting_id: str) -> HttpResponse:
    data = forms.TimesForm(request.POST).to_input()
    return _act(
        request,
        meeting_id,
        lambda a, m: services.meeting_propose_times(actor=a, meeting=m, data=data),
    )


@require_POST
@service_errors
def answer(request: AuthenticatedRequest, meeting_id: str) -> HttpResponse:
    def write(actor: Any, meeting: Meeting) -> Any:
        form = forms.AnswerForm(request.POST, times=list(meeting.times.all()))
        return services.meeting_answer(actor=actor, meeting=meeting, data=form.to_input())

    return _act(request, meeting_id, write)


@require_POST
@service_errors
def confirm(request: AuthenticatedRequest, meeting_id: str) -> HttpResponse:
    data = forms.ConfirmForm(request.POST).to_input()
    return _act(
        request, meeting_id, lambda a, m: services.meeting_confirm(actor=a, meeting=m, data=data)
    )


@require_POST
@service_errors
def place(request: AuthenticatedRequest, meeting_id: str) -> HttpResponse:
    def write(actor: Any, meeting: Meeting) -> Any:
        form = forms.PlaceForm(request.POST, units=place_units(case=meeting.case))
        return services.meeting_change_place(actor=actor, meeting=meeting, data=form.to_input())

    return _act(request, meeting_id, write)


@require_POST
@service_errors
def cancel(request: AuthenticatedRequest, meeting_id: str) -> HttpResponse:
    data = forms.CancelForm(request.POST).to_input()
    return _act(
        request, meeting_id, lambda a, m: services.meeting_cancel(actor=a, meeting=m, data=data)
    )


@require_POST
@service_errors
def agenda(request: AuthenticatedRequest, meeting_id: str) -> HttpResponse:
    data = forms.AgendaForm(request.POST).to_input()
    return _act(
        request, meeting_id, lambda a, m: services.agenda_add(actor=a, meeting=m, data=data)
    )


@require_POST
@service_errors
def minutes_view(request: AuthenticatedRequest, meeting_id: str) -> HttpResponse:
    actor = request.actor
    meeting = meeting_get(actor=actor, meeting_id=meeting_id)
    form = forms.MinutesForm(
        request.POST,
        participants=list(meeting.participants.all()),
        with_client=meeting.with_client,
    )
    try:
        return _written(
            request,
            meeting,
            lambda a, m: minutes.minutes_record(actor=a, meeting=m, data=form.to_input()),
        )
    except NoLawfulBasis as error:  # no consent: shown on the minutes, the form kept
        add_service_error(form, error)
        return _page(request, meeting, status=400, minutes_form=form)


@require_POST
@service_errors
def action_add(request: AuthenticatedRequest, meeting_id: str) -> HttpResponse:
    actor = request.actor
    meeting = meeting_get(actor=actor, meeting_id=meeting_id)
    participants = list(meeting.participants.all())
    form = forms.ActionForm(request.POST, owners=_owners(meeting, participants))
    try:
        return _written(
            request,
            meeting,
            lambda a, m: minutes.action_add(actor=a, meeting=m, data=form.to_input()),
        )
    except NoLawfulBasis as error:  # no consent: shown on the action form, kept
        add_service_error(form, error)
        return _page(request, meeting, status=400, action_form=form)


@require_POST
@service_errors
def action_status(request: AuthenticatedRequest, action_id: str) -> HttpResponse:
    actor = request.actor
    action = action_get(actor=actor, action_id=action_id)
    try:
        minutes.action_set_status(
            actor=actor, action=action, data=forms.ActionStatusForm(request.POST).to_input()
        )
    except Invalid as error:
        messages.error(request, str(error.message))
    if request.POST.get("next") == "actions":
        return redirect("meetings:actions")
    return redirect("meetings:detail", meeting_id=action.meeting.public_id)


@require_GET
@service_errors
def ics(request: AuthenticatedRequest, meeting_id: str) -> HttpResponse:
    """The invitation as the meeting stands (the cancellation once cancelled)."""
    actor = request.actor
    meeting = meeting_get(actor=actor, meeting_id=meeting_id)
    if meeting.starts_at is None or meeting.sequence is None:
        raise Conflict(_("The time is not confirmed yet."), code="not_confirmed")
    method = CANCEL if meeting.status == MeetingStatus.CANCELLED else REQUEST
    response = HttpResponse(
        meeting_ics(meeting, method), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="silta-meeting.ics"'
    return response
