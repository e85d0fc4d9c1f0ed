"""The client's notification choices, a page of the client's own view (``/oma/``).

``config.urls`` mounts it behind ``silta.portal.session.client_required`` (the portal
sits above this app, so the guard is composed at the root); the signed-in client is
``request.portal_client``. A person acting for someone else with a power of attorney
sees the choices but cannot change them: the notifications are the principal's own.
Each view and each change is audited with the client as the subject.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from silta.accounts.actor import Actor
from silta.core.errors import ServiceError
from silta.core.forms import add_service_error
from silta.notifications.channels import enabled_channels
from silta.notifications.forms import PreferenceForm
from silta.notifications.models import Channel, NotificationPreference
from silta.notifications.selectors import preference_read
from silta.notifications.services import PreferenceInput, preference_set


def _initial(current: NotificationPreference | None) -> dict[str, Any]:
    if current is None:
        return {"email": "", "use_suomifi": False, "language": (get_language() or "fi")[:2]}
    return {
        "email": current.email,
        "use_suomifi": current.use_suomifi,
        "language": current.language,
    }


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    signed_in = getattr(request, "portal_client", None)
    if signed_in is None:  # mounted without the client guard: show nothing
        raise Http404
    client = signed_in.subject
    # Who acts: the client or their attorney, an actor without memberships (no staff
    # permission), as the own view's other pages record it.
    actor = Actor(user=None, memberships=(), name=signed_in.actor_label)
    detail: dict[str, Any] = {"actor_kind": "attorney" if signed_in.is_attorney else "client"}
    if signed_in.power_of_attorney is not None:
        detail["power_of_attorney"] = str(signed_in.power_of_attorney.public_id)
    may_change = not signed_in.is_attorney
    suomifi = Channel.SUOMIFI in enabled_channels()
    if request.method == "POST" and may_change:
        form = PreferenceForm(request.POST, suomifi=suomifi)
        if form.is_valid():
            data = PreferenceInput(
                email=form.cleaned_data["email"],
                use_suomifi=bool(form.cleaned_data.get("use_suomifi")),
                language=form.cleaned_data["language"],
            )
            try:
                preference_set(client=client, data=data, actor=actor, detail=detail)
            except ServiceError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Your choices are saved."))
                return redirect(request.path)
        current = preference_read(client=client, actor=actor, detail=detail)
    else:
        current = preference_read(client=client, actor=actor, detail=detail)
        form = PreferenceForm(initial=_initial(current), suomifi=suomifi)
    has_channel = bool(current and (current.email or (current.use_suomifi and suomifi)))
    return render(
        request,
        "notifications/preferences.html",
        {
            "me": signed_in,
            "form": form,
            "may_change": may_change,
            "has_channel": has_channel,
            "nav": "notifications",
        },
        status=400 if form.errors else 200,
    )
