"""API: the dashboard's tables as JSON (the same figures, suppression and access as the
pages). Read-only: any key of a unit reads what its unit may see; a key whose unit has no
``ANALYTICS_VIEW`` gets 403, a scope that is not its to see 404, bad input 400."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from silta.analytics.dashboard import SECTIONS, Dashboard, dashboard_get
from silta.analytics.tables import Table
from silta.analytics.thl import thl_monitoring
from silta.api_keys.auth import api_actor
from silta.audit.denial import deny
from silta.core.api_schemas import ErrorOut
from silta.core.errors import NotFound
from silta.organisations.selectors import organisation_by_public_id

router = Router(tags=["analytics"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}

Cell = int | float | str | None


class TableOut(Schema):
    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]


class ScopeOut(Schema):
    kind: str
    key: str
    label: str
    suppressed: bool


class DashboardOut(Schema):
    scope: ScopeOut
    period_from: str
    period_to: str
    tables: list[TableOut]


class DashboardQuery(Schema):
    scope: str | None = None
    key: str | None = None
    period_from: str | None = None
    period_to: str | None = None
    section: list[str] = list(SECTIONS)


def _out(board: Dashboard, tables: list[Table]) -> dict[str, Any]:
    scope = board.scope
    return {
        "scope": {
            "kind": scope.kind,
            "key": scope.key,
            "label": scope.label,
            "suppressed": scope.suppressed,
        },
        "period_from": f"{board.period.first:%Y-%m}",
        "period_to": f"{board.period.last:%Y-%m}",
        "tables": [t.as_json() for t in tables],
    }


def _board(request: HttpRequest, query: DashboardQuery, sections: tuple[str, ...]) -> Dashboard:
    return dashboard_get(
        actor=api_actor(request),
        scope=query.scope,
        key=query.key,
        first=query.period_from,
        last=query.period_to,
        sections=sections,
    )


@router.get(
    "/analytics/tables",
    response={200: DashboardOut, **ERRORS},
    summary="Handoff, response-time, call-back and bulletin tables",
    description=(
        "scope: unit | organisation (key: its id) | region (key: Kela service area code) "
        "| national; default: the key's organisation. period_from / period_to: YYYY-MM, "
        'at most 60 months; default the last 12. Counts under 5 are "<5" in regions and '
        "nationally. section: handoffs, responses, callbacks, bulletins (repeatable)."
    ),
)
def tables(request: HttpRequest, query: Query[DashboardQuery]) -> Any:
    sections = tuple(s for s in SECTIONS if s in query.section) or SECTIONS
    board = _board(request, query, sections)
    return _out(board, board.tables)


@router.get("/analytics/tables/{table_key}", response={200: DashboardOut, **ERRORS})
def table(request: HttpRequest, table_key: str, query: Query[DashboardQuery]) -> Any:
    board = _board(request, query, SECTIONS)
    found = board.table(table_key)
    if found is None:
        raise NotFound(_("Not found."))
    return _out(board, [found])


@router.get(
    "/analytics/thl/{organisation_id}",
    response={200: TableOut, **ERRORS},
    summary="Deadline monitoring (Totul 27 c §) of an organiser, April and October",
)
def thl(request: HttpRequest, organisation_id: uuid.UUID, year: int) -> Any:
    actor = api_actor(request)
    organisation = organisation_by_public_id(organisation_id)
    if organisation is None:
        raise deny(actor, hide=True, detail={"analytics": "thl"})
    return thl_monitoring(actor=actor, organisation=organisation, year=year).table.as_json()
