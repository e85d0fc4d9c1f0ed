"""Regional team and cooperation forum pages (the same services as the API)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from silta.accounts.request import AuthenticatedRequest
from silta.cooperation import permissions, selectors, services
from silta.cooperation.forms import (
    DecisionSearchForm,
    FollowUpForm,
    MoveForm,
    ProposeForm,
    RoutinesForm,
    TeamFilterForm,
)
from silta.cooperation.models import AgendaItem
from silta.cooperation.state import ItemStatus, available
from silta.core.errors import Conflict, Invalid
from silta.core.forms import add_service_error
from silta.core.pagination import clamp_page
from silta.core.views import service_errors
from silta.directory.selectors import find_municipality
from silta.organisations.selectors import unit_by_public_id


@require_GET
@service_errors
def teams(request: AuthenticatedRequest) -> HttpResponse:
    form = TeamFilterForm(request.GET or None)
    municipality = None
    if form.is_valid() and form.cleaned_data["municipality"]:
        try:
            municipality = find_municipality(form.cleaned_data["municipality"])
        except Invalid as error:
            add_service_error(form, error)
    unit = unit_by_public_id(request.GET.get("unit")) if request.GET.get("unit") else None
    page = selectors.teams_list(
        municipality=municipality, unit=unit, page=clamp_page(request.GET.get("page"))
    )
    context = {
        "form": form,
        "page": page,
        "municipality": municipality,
        "unit": unit,
        "can_create": permissions.can_create_team(request.actor),
    }
    return render(request, "cooperation/teams.html", context, status=400 if form.errors else 200)


@require_GET
@service_errors
def team_detail(request: AuthenticatedRequest, team_id: str) -> HttpResponse:
    actor = request.actor
    page = selectors.team_page(team=selectors.team_get(team_id=team_id))
    unit_ids = {u.unit.pk for u in page.units}
    context = {
        "page": page,
        "team": page.team,
        "can_edit": permissions.routines_unit(actor, unit_ids) is not None,
        "can_manage": permissions.can_manage_team(actor, unit_ids),
    }
    return render(request, "cooperation/team.html", context)


@require_http_methods(["GET", "POST"])
@service_errors
def team_routines(request: AuthenticatedRequest, team_id: str) -> HttpResponse:
    actor = request.actor
    team = selectors.team_get(team_id=team_id)
    page = selectors.team_page(team=team)
    services.require_routines_editor(actor=actor, team=team)
    current = page.routines.text if page.routines else ""
    initial = {"text": current, "based_on_version": page.version}
    form = RoutinesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_routines_save(actor=actor, team=team, data=form.to_input())
        except (Invalid, Conflict) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The agreed routines were saved as a new version."))
            return redirect("cooperation:team", team_id=team.public_id)
    context = {"team": team, "page": page, "form": form}
    return render(request, "cooperation/routines.html", context, status=400 if form.errors else 200)


@require_GET
@service_errors
def forums(request: AuthenticatedRequest) -> HttpResponse:
    actor = request.actor
    context = {
        "forums": selectors.visible_forums(actor=actor),
        "can_create": permissions.can_create_forum(actor),
    }
    return render(request, "cooperation/forums.html", context)


@require_GET
@service_errors
def forum_detail(request: AuthenticatedRequest, forum_id: str) -> HttpResponse:
    actor = request.actor
    forum = selectors.forum_get(actor=actor, forum_id=forum_id)
    items = selectors.forum_items(forum=forum)
    groups = [(s, [i for i in items if i.status == s]) for s in ItemStatus]
    context = {
        "forum": forum,
        "groups": [(status.label, rows) for status, rows in groups if rows],
        "is_chair": permissions.can_chair(actor, forum.chair_unit_id),
    }
    return render(request, "cooperation/forum.html", context)


@require_http_methods(["GET", "POST"])
@service_errors
def propose(request: AuthenticatedRequest, forum_id: str) -> HttpResponse:
    actor = request.actor
    forum = selectors.forum_get(actor=actor, forum_id=forum_id)
    form = ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_propose(actor=actor, forum=forum, data=form.to_input())
        except Invalid as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Item proposed: the chair schedules it to a meeting."))
            return redirect("cooperation:item", item_id=item.public_id)
    return render(
        request,
        "cooperation/propose.html",
        {"forum": forum, "form": form},
        status=400 if form.errors else 200,
    )


def _item_context(request: AuthenticatedRequest, item: AgendaItem) -> dict[str, object]:
    actor = request.actor
    is_chair = permissions.can_chair(actor, item.forum.chair_unit_id)
    actions = selectors.item_actions(item=item)
    return {
        "item": item,
        "forum": item.forum,
        "is_chair": is_chair,
        "steps": available(item.status) if is_chair else [],
        "actions": [
            (a, permissions.can_mark_action_done(actor, a.owner_unit_id, item.forum.chair_unit_id))
            for a in actions
        ],
        "followup_form": FollowUpForm(units=selectors.forum_units(forum=item.forum, item=item)),
    }


@require_GET
@service_errors
def item_detail(request: AuthenticatedRequest, item_id: str) -> HttpResponse:
    actor = request.actor
    item = selectors.item_get(actor=actor, item_id=item_id)
    return render(request, "cooperation/item.html", _item_context(request, item))


@require_POST
@service_errors
def item_move(request: AuthenticatedRequest, item_id: str) -> HttpResponse:
    actor = request.actor
    item = selectors.item_get(actor=actor, item_id=item_id)
    form = MoveForm(request.POST)
    form.is_valid()  # parses; the service validates (the same as for the API)
    try:
        moved = services.item_move(actor=actor, item=item, data=form.to_input())
    except (Invalid, Conflict) as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Moved: %(status)s.") % {"status": moved.get_status_display()})
    return redirect("cooperation:item", item_id=item.public_id)


@require_POST
@service_errors
def followup_add(request: AuthenticatedRequest, item_id: str) -> HttpResponse:
    actor = request.actor
    item = selectors.item_get(actor=actor, item_id=item_id)
    form = FollowUpForm(request.POST, units=selectors.forum_units(forum=item.forum, item=item))
    form.is_valid()
    try:
        services.followup_add(actor=actor, item=item, data=form.to_input())
    except (Invalid, Conflict) as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Follow-up action added."))
    return redirect("cooperation:item", item_id=item.public_id)


@require_POST
@service_errors
def followup_done(request: AuthenticatedRequest, action_id: str) -> HttpResponse:
    actor = request.actor
    action = selectors.action_get(actor=actor, action_id=action_id)
    services.followup_done(actor=actor, action=action)
    messages.success(request, _("The action is marked done."))
    return redirect("cooperation:item", item_id=action.item.public_id)


@require_GET
@service_errors
def decisions(request: AuthenticatedRequest) -> HttpResponse:
    actor = request.actor
    form = DecisionSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = None
    try:
        page = selectors.decisions_search(
            actor=actor, query=query, page=clamp_page(request.GET.get("page"))
        )
    except Invalid as error:
        add_service_error(form, error)
        query = ""
    context = {"form": form, "page": page, "query": query}
    return render(
        request, "cooperation/decisions.html", context, status=400 if form.errors else 200
    )
