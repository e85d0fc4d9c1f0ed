"""Directory pages: search (with "reachable now"), routing, unit pages, owner edits."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from silta.accounts.request import AuthenticatedRequest
from silta.core.errors import Conflict, Invalid
from silta.core.forms import add_service_error
from silta.core.pagination import clamp_page
from silta.core.views import is_htmx, service_errors
from silta.directory import services
from silta.directory.forms import ChannelForm, RouteForm, SearchForm, UnitForm
from silta.directory.hours_text import (
    format_exceptions,
    format_ranges,
    parse_exceptions,
    parse_ranges,
)
from silta.directory.models import Channel
from silta.directory.panels import unit_panels
from silta.directory.permissions import editable_by
from silta.directory.phones import display_phone
from silta.directory.schedules import channel_schedule
from silta.directory.selectors import (
    directory_search,
    find_municipality,
    route,
    unit_changes,
    unit_channel,
    unit_page,
)


@require_GET
@service_errors
def search(request: AuthenticatedRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    context: dict[str, object] = {"form": form, "result": None}
    if form.is_valid() and form.cleaned_data["q"]:
        try:
            now = timezone.now()
            result = directory_search(
                query=form.cleaned_data["q"],
                topic=form.cleaned_data["topic"],
                page=clamp_page(request.GET.get("page")),
                now=now,
            )
            context["result"] = result
            cards = [card.unit for card in result.units.items]
            context["panels"] = unit_panels(cards, now, compact=True)
        except Invalid as error:
            add_service_error(form, error)
    template = "directory/_results.html" if is_htmx(request) else "directory/search.html"
    return render(request, template, context)


@require_GET
@service_errors
def routing(request: AuthenticatedRequest) -> HttpResponse:
    form = RouteForm(request.GET or None)
    context: dict[str, object] = {"form": form, "route": None}
    if form.is_valid():
        try:
            municipality = find_municipality(form.cleaned_data["municipality"])
            context["route"] = route(
                municipality_code=municipality.code, topic=form.cleaned_data["topic"]
            )
        except Invalid as error:
            add_service_error(form, error)
    return render(request, "directory/route.html", context)


@require_GET
@service_errors
def unit_detail(request: AuthenticatedRequest, unit_id: str) -> HttpResponse:
    now = timezone.now()
    page = unit_page(unit_id=unit_id, now=now)
    can_edit = editable_by(page.unit, request.user)
    context = {
        "page": page,
        "unit": page.unit,
        "can_edit": can_edit,
        "changes": unit_changes(unit=page.unit) if can_edit else [],
        "now": now,
        "panels": unit_panels([page.unit], now, compact=False)[page.unit.pk],
    }
    return render(request, "directory/unit.html", context)


@require_POST
@service_errors
def unit_verify(request: AuthenticatedRequest, unit_id: str) -> HttpResponse:
    unit = unit_page(unit_id=unit_id).unit
    try:
        services.unit_verify(
            user=request.user,
            unit=unit,
            seen_version=_int(request.POST.get("version")),
        )
    except Conflict as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Thank you: the entry is marked as checked today."))
    return redirect("directory:unit", unit_id=unit.public_id)


def _int(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
@service_errors
def unit_edit(request: AuthenticatedRequest, unit_id: str) -> HttpResponse:
    unit = unit_page(unit_id=unit_id).unit
    services.require_owner(unit, request.user)
    form = UnitForm(
        request.POST or None,
        initial={
            "description_fi": unit.description_fi,
            "description_sv": unit.description_sv,
            "version": unit.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(
                user=request.user,
                unit=unit,
                description_fi=form.cleaned_data["description_fi"],
                description_sv=form.cleaned_data["description_sv"],
                seen_version=form.cleaned_data["version"],
            )
        except (Invalid, Conflict) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("directory:unit", unit_id=unit.public_id)
    return render(
        request,
        "directory/unit_edit.html",
        {"unit": unit, "form": form},
        status=400 if form.errors else 200,
    )


def _channel_initial(channel: Channel | None, version: int) -> dict[str, object]:
    if channel is None:
        return {"version": version}
    schedule = channel_schedule(channel)
    initial: dict[str, object] = {
        field: getattr(channel, field)
        for field in (
            "kind",
            "label_fi",
            "label_sv",
            "email",
            "street",
            "postal_code",
            "city",
            "always_open",
        )
    }
    initial["phone"] = display_phone(channel.phone)
    initial["open_on_holidays"] = not channel.closed_on_holidays
    initial["exceptions"] = format_exceptions(dict(schedule.exceptions))
    for day in range(7):
        initial[f"day{day}"] = format_ranges(schedule.weekly.get(day, ()))
    initial["version"] = version
    return initial


def _channel_input(form: ChannelForm) -> services.ChannelInput:
    data = form.cleaned_data
    weekly = {}
    for day in range(7):
        try:
            ranges = parse_ranges(data[f"day{day}"])
        except Invalid as error:
            raise Invalid(error.message, code=error.code, field=f"day{day}") from error
        if ranges:
            weekly[day] = ranges
    try:
        exceptions = parse_exceptions(data["exceptions"])
    except Invalid as error:
        raise Invalid(error.message, code=error.code, field="exceptions") from error
    return services.ChannelInput(
        kind=data["kind"],
        label_fi=data["label_fi"],
        label_sv=data["label_sv"],
        phone=data["phone"],
        email=data["email"],
        street=data["street"],
        postal_code=data["postal_code"],
        city=data["city"],
        always_open=data["always_open"],
        closed_on_holidays=not data["open_on_holidays"],
        weekly=weekly,
        exceptions=exceptions,
    )


@require_http_methods(["GET", "POST"])
@service_errors
def channel_edit(
    request: AuthenticatedRequest, unit_id: str, channel_id: str | None = None
) -> HttpResponse:
    unit = unit_page(unit_id=unit_id).unit
    services.require_owner(unit, request.user)
    channel = unit_channel(unit=unit, channel_id=channel_id) if channel_id else None
    form = ChannelForm(request.POST or None, initial=_channel_initial(channel, unit.version))
    if request.method == "POST" and form.is_valid():
        try:
            services.channel_save(
                user=request.user,
                unit=unit,
                data=_channel_input(form),
                channel=channel,
                seen_version=form.cleaned_data["version"],
            )
        except (Invalid, Conflict) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("directory:unit", unit_id=unit.public_id)
    context = {"unit": unit, "channel": channel, "form": form}
    return render(
        request, "directory/channel_edit.html", context, status=400 if form.errors else 200
    )


@require_POST
@service_errors
def channel_delete(request: AuthenticatedRequest, unit_id: str, channel_id: str) -> HttpResponse:
    unit = unit_page(unit_id=unit_id).unit
    channel = unit_channel(unit=unit, channel_id=channel_id)
    try:
        services.channel_delete(
            user=request.user,
            unit=unit,
            channel=channel,
            seen_version=_int(request.POST.get("version")) or 0,
        )
    except Conflict as error:
        messages.error(request, str(error.message))
    return redirect("directory:unit", unit_id=unit.public_id)


@require_GET
def about(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "directory/about.html")
