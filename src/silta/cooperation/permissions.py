"""Who may do what in regional teams and cooperation forums, from the role table only.

Teams are read by every signed-in staff member, like the directory; a team's routines are
kept by the people of its units. A forum is seen, and items are proposed to it, by
anyone whose role takes part in cooperation in a unit of a member organisation; its chair
unit's managers (or the chair unit's system) move the items. A follow-up action is marked
done by its owner unit or by the chair.

Teams and forums are set up by staff, not only in the admin: a team by the managers of
its units (``TEAM_MANAGE``), a forum by its organiser, the manager of the chair unit
(``FORUM_CHAIR``), who also edits it.
"""

from __future__ import annotations

from django.db.models import Q

from silta.accounts.actor import Actor
from silta.accounts.roles import Perm


def _organisations(actor: Actor, perm: Perm) -> frozenset[int]:
    units = actor.units_with(perm)
    return frozenset(m.organisation_id for m in actor.memberships if m.unit_id in units)


def forum_filter(actor: Actor) -> Q:
    """The forums the actor sees: those of which one of their organisations is a member."""
    return Q(organisations__in=_organisations(actor, Perm.COOPERATION), is_active=True)


def proposing_unit(actor: Actor, organisation_ids: set[int]) -> int | None:
    """The actor's unit that proposes to a forum of ``organisation_ids`` (lowest id)."""
    units = actor.units_with(Perm.COOPERATION)
    found = [
        m.unit_id
        for m in actor.memberships
        if m.unit_id in units and m.organisation_id in organisation_ids
    ]
    return min(found) if found else None


def can_chair(actor: Actor, chair_unit_id: int) -> bool:
    return chair_unit_id in actor.units_with(Perm.FORUM_CHAIR)


def can_mark_action_done(actor: Actor, owner_unit_id: int, chair_unit_id: int) -> bool:
    return owner_unit_id in actor.units_with(Perm.COOPERATION) or can_chair(actor, chair_unit_id)


def routines_unit(actor: Actor, team_unit_ids: set[int]) -> int | None:
    """The actor's unit in the team that keeps its routines (lowest id), if any."""
    units = actor.units_with(Perm.COOPERATION) & team_unit_ids
    return min(units) if units else None


# --- setting teams and forums up ------------------------------------------------------------


def team_manager_units(actor: Actor) -> frozenset[int]:
    """The units whose regional teams the actor sets up (their managers, their systems)."""
    return actor.units_with(Perm.TEAM_MANAGE)


def can_create_team(actor: Actor) -> bool:
    return bool(team_manager_units(actor))


def can_manage_team(actor: Actor, team_unit_ids: set[int]) -> bool:
    """A team is kept by the managers of its own units: another organisation's manager
    (or a manager of a unit outside the team) only reads it."""
    return bool(team_manager_units(actor) & team_unit_ids)


def forum_organiser_units(actor: Actor) -> frozenset[int]:
    """The units that may organise (and so chair) a forum the actor sets up."""
    return actor.units_with(Perm.FORUM_CHAIR)


def can_create_forum(actor: Actor) -> bool:
    return bool(forum_organiser_units(actor))
