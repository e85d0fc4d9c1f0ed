"""The dashboard: every table of one scope and period, read once and audited."""

from __future__ import annotations

from dataclasses import dataclass

from silta.accounts.actor import Actor
from silta.analytics.bulletins import bulletin_table
from silta.analytics.handoffs import handoff_tables
from silta.analytics.names import UnitNames
from silta.analytics.periods import Period, period_parse
from silta.analytics.responses import callback_table, response_tables
from silta.analytics.scope import Scope, scope_resolve
from silta.analytics.tables import Table
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.workdays.calendar import today

SECTIONS = ("handoffs", "responses", "callbacks", "bulletins")


@dataclass
class Dashboard:
    scope: Scope
    period: Period
    tables: list[Table]

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)


def dashboard_get(
    *,
    actor: Actor,
    scope: str | None = None,
    key: str | None = None,
    first: str | None = None,
    last: str | None = None,
    sections: tuple[str, ...] = SECTIONS,
) -> Dashboard:
    """The figures of a scope the actor may see, for whole months (bad input: ``Invalid``,
    nothing read or written)."""
    period = period_parse(first, last)
    resolved = scope_resolve(actor, scope, key)
    tables: list[Table] = []
    units_named = UnitNames()
    if "handoffs" in sections:
        tables += handoff_tables(resolved, period, units_named, today())
    if "responses" in sections:
        tables += response_tables(resolved, period, units_named, today())
    if "callbacks" in sections:
        tables.append(callback_table(resolved, period, units_named))
    if "bulletins" in sections:
        tables.append(bulletin_table(resolved, period))
    record(
        actor=actor,
        action=AuditAction.VIEW,
        unit_id=min(actor.unit_ids) if actor.unit_ids else None,
        detail={
            "analytics": resolved.kind,
            "scope": resolved.key,
            "period": period.key(),
            "sections": list(sections),
        },
    )
    return Dashboard(resolved, period, tables)
