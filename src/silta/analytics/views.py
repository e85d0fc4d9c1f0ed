"""Pages: the dashboard (charts with their tables), CSV and XLSX of each table, the list
behind a bar, and the organiser's 27 c § monitoring file. They parse and render only; the
figures come from ``dashboard``, ``drill`` and ``thl``, as in the API."""

from __future__ import annotations

import datetime as dt
import uuid
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from silta.accounts.actor import Actor
from silta.accounts.request import AuthenticatedRequest
from silta.analytics import choices
from silta.analytics.dashboard import SECTIONS, dashboard_get
from silta.analytics.drill import DrillInput, drill_list
from silta.analytics.tables import Table, table_csv, table_xlsx
from silta.analytics.thl import thl_monitoring
from silta.audit.denial import deny
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.core.errors import Invalid, NotFound
from silta.core.views import service_errors
from silta.organisations.selectors import organisation_by_public_id

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _actor(request: AuthenticatedRequest) -> Actor:
    return request.actor


def _params(request: HttpRequest) -> dict[str, str | None]:
    """scope and key, or the picker's "scope:key"; from and to as YYYY-MM."""
    get = request.GET
    scope, key = get.get("scope") or None, get.get("key") or None
    if get.get("scope_key"):
        scope, _sep, key = get["scope_key"].partition(":")
    return {
        "scope": scope or None,
        "key": key or None,
        "first": get.get("from") or None,
        "last": get.get("to") or None,
    }


@require_GET
@service_errors
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    actor = _actor(request)
    params = _params(request)
    options = choices.scope_choices(actor)
    try:
        board = dashboard_get(actor=actor, **params)  # type: ignore[arg-type]
    except Invalid as refused:
        # Bad input: the form again with the message; nothing read or written.
        context = {"error": refused, "params": params, "options": options, "board": None}
        return render(request, "analytics/dashboard.html", context, status=400)
    drill_url = reverse("analytics:drill")
    charts = []
    for table in board.tables:
        links = [f"{drill_url}?{query}" if query else None for query in table.drill]
        links += [None] * (len(table.rows) - len(links))
        charts.append(
            {
                "table": table,
                "id": f"chart-{table.key}",
                "data_id": f"chart-{table.key}-data",
                "data": {**table.chart_data(), "drill": links},
                "rows": list(zip(table.rows, links, strict=True)),
            }
        )
    query = urlencode(
        {
            "scope": board.scope.kind,
            "key": board.scope.key,
            "from": f"{board.period.first:%Y-%m}",
            "to": f"{board.period.last:%Y-%m}",
        }
    )
    context = {
        "board": board,
        "charts": charts,
        "params": params,
        "options": options,
        "error": None,
        "query": query,
    }
    return render(request, "analytics/dashboard.html", context)


def _download(table: Table, heading: str, output: str, name: str) -> HttpResponse:
    if output == "xlsx":
        response = HttpResponse(table_xlsx(table, heading), content_type=XLSX)
        extension = "xlsx"
    else:
        response = HttpResponse(table_csv(table), content_type="text/csv; charset=utf-8")
        extension = "csv"
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


@require_GET
@service_errors
def export(request: AuthenticatedRequest, table_key: str, output: str) -> HttpResponse:
    actor = _actor(request)
    board = dashboard_get(actor=actor, **_params(request), sections=SECTIONS)
    table = board.table(table_key)
    if table is None:
        raise NotFound(_("Not found."))
    record(
        actor=actor,
        action=AuditAction.EXPORT,
        unit_id=min(actor.unit_ids) if actor.unit_ids else None,
        detail={"analytics": table_key, "scope": board.scope.key, "period": board.period.key()},
    )
    heading = f"{board.scope.label} {board.period.first:%Y-%m}..{board.period.last:%Y-%m}"
    return _download(table, heading, output, f"silta-{table_key}-{board.period.key()}")


@require_GET
@service_errors
def drill(request: AuthenticatedRequest) -> HttpResponse:
    get = request.GET
    data = DrillInput(
        unit=get.get("unit", ""),
        first=get.get("from") or None,
        last=get.get("to") or None,
        kind=get.get("kind", ""),
        reason=get.get("reason", ""),
        other=get.get("other", ""),
        expense_kind=get.get("expense_kind", ""),
    )
    found = drill_list(actor=_actor(request), data=data)
    return render(request, "analytics/drill.html", {"found": found})


@require_GET
@service_errors
def thl(request: AuthenticatedRequest, organisation_id: uuid.UUID) -> HttpResponse:
    actor = _actor(request)
    organisation = organisation_by_public_id(organisation_id)
    if organisation is None:
        raise deny(actor, hide=True, detail={"analytics": "thl"})
    try:
        year = int(request.GET.get("year", dt.date.today().year))
        dt.date(year, 1, 1)
    except ValueError:
        raise Invalid(_("Give the year as four digits."), code="year_invalid") from None
    monitoring = thl_monitoring(actor=actor, organisation=organisation, year=year)
    name = f"silta-thl-27c-{organisation.organiser_code or 'kela'}-{year}"
    heading = f"{organisation.name} {year}"
    return _download(monitoring.table, heading, request.GET.get("format", "xlsx"), name)
