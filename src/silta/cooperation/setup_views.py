"""Pages that set regional teams and cooperation forums up (the same services as the API).

The forms post with htmx into themselves: on an error the form comes back with everything
entered and the messages beside the fields (a plain post gets the whole page, 400); on
success the browser goes to the team's or forum's page. "Update the people" re-reads the
units chosen and offers their people as contact persons, saving nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from silta.accounts.actor import Actor
from silta.accounts.request import AuthenticatedRequest
from silta.audit.denial import deny
from silta.cooperation import permissions, selectors
from silta.cooperation import setup_services as services
from silta.cooperation.models import Forum, RegionalTeam
from silta.cooperation.setup_forms import EMPTY_ROWS, ContactsForm, ForumForm, TeamForm, team_input
from silta.cooperation.unit_options import forum_unit_options, team_unit_options
from silta.core.errors import Invalid
from silta.core.forms import add_service_error
from silta.core.views import is_htmx, service_errors
from silta.organisations.models import Unit


def _done(request: HttpRequest, url: str, message: str) -> HttpResponse:
    messages.success(request, message)
    if is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _show(request: HttpRequest, template: str, context: dict[str, Any], failed: bool) -> Any:
    """The form alone for htmx (200: htmx swaps no 4xx), else the page (400 on an error)."""
    if is_htmx(request):
        return render(request, f"cooperation/_{template}_form.html", context)
    return render(
        request, f"cooperation/{template}_form.html", context, status=400 if failed else 200
    )


# --- teams -----------------------------------------------------------------------------------


def _team_initial(actor: Actor, team: RegionalTeam | None) -> tuple[dict[str, Any], dict[str, Any]]:
    if team is None:
        own = selectors.units_by_pk(unit_ids=permissions.team_manager_units(actor))
        return {"unit_ids": [str(u.public_id) for u in own]}, {}
    initial = {
        "name_fi": team.name_fi,
        "name_sv": team.name_sv,
        "unit_ids": [str(u.public_id) for u in team.units.all()],
        "municipalities": ", ".join(m.name_fi for m in team.municipalities.all()),
    }
    contacts: dict[str, Any] = {}
    for n, contact in enumerate(selectors.team_contacts(team=team)):
        contacts[f"contact_{n}_person"] = f"{contact.unit.public_id}:{contact.user.public_id}"
        contacts[f"contact_{n}_role"] = contact.role
    return initial, contacts


def _team_page(request: AuthenticatedRequest, team: RegionalTeam | None) -> HttpResponse:
    actor = request.actor
    initial, contact_initial = _team_initial(actor, team)
    data = request.POST if request.method == "POST" else None
    options = team_unit_options(**TeamForm.filter_of(data, initial))
    form = TeamForm(data, initial=initial, units=options.units, more=options.more)
    rows = ContactsForm.rows_posted(data) if data is not None else len(contact_initial) // 2
    contacts = ContactsForm(
        data,
        initial=contact_initial,
        people=selectors.team_people(unit_ids=form.chosen_units()),
        rows=rows + EMPTY_ROWS,
    )
    saving = data is not None and "refresh" not in data
    if saving and form.is_valid() and contacts.is_valid():
        try:
            if team is None:
                team = services.team_create(actor=actor, data=team_input(form, contacts))
                done = _("The team was created.")
            else:
                team = services.team_update(actor=actor, team=team, data=team_input(form, contacts))
                done = _("The team was saved.")
        except Invalid as error:
            add_service_error(form, error)
        else:
            return _done(request, reverse("cooperation:team", args=[team.public_id]), done)
    context = {"form": form, "contacts": contacts, "team": team}
    return _show(request, "team", context, bool(form.errors))


@require_http_methods(["GET", "POST"])
@service_errors
def team_new(request: AuthenticatedRequest) -> HttpResponse:
    actor = request.actor
    if not permissions.can_create_team(actor):
        raise deny(actor, detail={"perm": "team_manage"})
    return _team_page(request, None)


@require_http_methods(["GET", "POST"])
@service_errors
def team_edit(request: AuthenticatedRequest, team_id: str) -> HttpResponse:
    actor = request.actor
    team = selectors.team_get(team_id=team_id)
    if not permissions.can_manage_team(actor, {u.pk for u in team.units.all()}):
        raise deny(actor, obj=team, detail={"perm": "team_manage"})
    return _team_page(request, team)


# --- forums ----------------------------------------------------------------------------------


def _forum_initial(actor: Actor, forum: Forum | None, chairs: list[Unit]) -> dict[str, Any]:
    if forum is None:
        own = {c.organisation.public_id for c in chairs[:1]}
        kela = {o.public_id for o in selectors.setup_organisations() if o.kind == "kela"}
        return {
            "organisation_ids": [str(o) for o in own | kela],
            "chair_unit_id": str(chairs[0].public_id) if chairs else "",
        }
    return {
        "name_fi": forum.name_fi,
        "name_sv": forum.name_sv,
        "kind": forum.kind,
        "organisation_ids": [str(o.public_id) for o in forum.organisations.all()],
        "unit_ids": [str(u.public_id) for u in forum.units.all()],
        "chair_unit_id": str(forum.chair_unit.public_id),
    }


def _forum_page(request: AuthenticatedRequest, forum: Forum | None) -> HttpResponse:
    actor = request.actor
    chairs = selectors.units_by_pk(unit_ids=permissions.forum_organiser_units(actor))
    data = request.POST if request.method == "POST" else None
    initial = _forum_initial(actor, forum, chairs)
    options = forum_unit_options(**ForumForm.filter_of(data, initial))
    form = ForumForm(
        data,
        initial=initial,
        organisations=selectors.setup_organisations(),
        units=options.units,
        more=options.more,
        chair_units=chairs,
    )
    saving = data is not None and "refresh" not in data
    if saving and form.is_valid():
        try:
            if forum is None:
                forum = services.forum_create(actor=actor, data=form.to_input())
                done = _("The forum was created.")
            else:
                forum = services.forum_update(actor=actor, forum=forum, data=form.to_input())
                done = _("The forum was saved.")
        except Invalid as error:
            add_service_error(form, error)
        else:
            return _done(request, reverse("cooperation:forum", args=[forum.public_id]), done)
    return _show(request, "forum", {"form": form, "forum": forum}, bool(form.errors))


@require_http_methods(["GET", "POST"])
@service_errors
def forum_new(request: AuthenticatedRequest) -> HttpResponse:
    actor = request.actor
    if not permissions.can_create_forum(actor):
        raise deny(actor, detail={"perm": "forum_create"})
    return _forum_page(request, None)


@require_http_methods(["GET", "POST"])
@service_errors
def forum_edit(request: AuthenticatedRequest, forum_id: str) -> HttpResponse:
    actor = request.actor
    forum = selectors.forum_get(actor=actor, forum_id=forum_id)
    if not permissions.can_chair(actor, forum.chair_unit_id):
        raise deny(actor, obj=forum, detail={"perm": "forum_edit"})
    return _forum_page(request, forum)
