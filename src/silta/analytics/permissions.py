"""Who sees which figures, from the role table only (``accounts.roles``).

- An organisation's own figures (its units, per unit and per pair, counts as they are):
  whoever holds ``ANALYTICS_VIEW`` in one of its units (unit managers, the
  organisation's administrators as its analysts, its systems' API keys).
- Figures that cross organisations (a region, the whole country): aggregates only, small
  counts hidden (``suppression``), for ``ANALYTICS_VIEW`` anywhere and for the members of
  cooperation forums and regional teams (``COOPERATION``).
- The list behind a bar is client data: only the items of a unit where the actor holds
  both ``ANALYTICS_VIEW`` and ``CASE_VIEW`` (a unit manager's own unit).
"""

from __future__ import annotations

from silta.accounts.actor import Actor
from silta.accounts.roles import Perm


def organisations(actor: Actor) -> frozenset[int]:
    """The organisations whose own figures the actor sees."""
    units = actor.units_with(Perm.ANALYTICS_VIEW)
    return frozenset(m.organisation_id for m in actor.memberships if m.unit_id in units)


def can_view_organisation(actor: Actor, organisation_id: int) -> bool:
    return organisation_id in organisations(actor)


def can_view_across(actor: Actor) -> bool:
    """Regions and the whole country (suppressed aggregates)."""
    return actor.can(Perm.ANALYTICS_VIEW) or actor.can(Perm.COOPERATION)


def can_view_any(actor: Actor) -> bool:
    return can_view_across(actor)


def drill_units(actor: Actor) -> frozenset[int]:
    """Units whose items behind a figure the actor may list."""
    return actor.units_with(Perm.ANALYTICS_VIEW) & actor.units_with(Perm.CASE_VIEW)
