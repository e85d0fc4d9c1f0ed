"""Reading regional teams and cooperation forums. Not client data: reads are not audited,
but a forum outside the actor's organisations is 404 (one "denied" audit row), the same
answer as one that does not exist."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silta.accounts.actor import Actor
from silta.accounts.models import Membership
from silta.accounts.roles import Perm, role_allows
from silta.audit.denial import deny
from silta.cooperation.models import (
    AgendaItem,
    FollowUpAction,
    Forum,
    RegionalTeam,
    TeamContact,
    TeamRoutine,
)
from silta.cooperation.permissions import forum_filter
from silta.cooperation.privacy import refuse_identity_codes
from silta.cooperation.state import DECISION_STATUSES, ItemStatus
from silta.core.errors import Invalid, NotFound, ServiceError
from silta.core.ids import parse_uuid
from silta.core.pagination import Page, paginate
from silta.directory.models import Channel, HoursException
from silta.directory.schedules import ChannelStatus, reachability
from silta.directory.selectors import is_stale
from silta.organisations.models import Organisation, Unit
from silta.reference.models import Municipality


def _not_found(actor: Actor | None, detail: dict[str, str]) -> ServiceError:
    """404; audited when there is an actor (a public page without one writes no row)."""
    if actor is None:
        return NotFound(_("Not found."))
    return deny(actor, hide=True, detail=detail)


# --- regional teams ------------------------------------------------------------------------


def _teams() -> QuerySet[RegionalTeam]:
    return RegionalTeam.objects.filter(is_active=True).prefetch_related(
        Prefetch("units", queryset=Unit.objects.select_related("organisation")),
        "municipalities",
    )


def teams_list(
    *, municipality: Municipality | None = None, unit: Unit | None = None, page: int = 1
) -> Page[RegionalTeam]:
    """Every active team, or those covering ``municipality`` / with ``unit`` in them."""
    rows = _teams()
    if municipality is not None:
        rows = rows.filter(municipalities=municipality)
    if unit is not None:
        rows = rows.filter(units=unit)
    return paginate(rows.order_by("name_fi", "pk").distinct(), number=page, size=50)


def unit_teams(*, unit: Unit) -> list[RegionalTeam]:
    """The teams a unit belongs to (for a unit's listing)."""
    return list(_teams().filter(units=unit).order_by("name_fi", "pk"))


def team_get(*, team_id: Any) -> RegionalTeam:
    key = parse_uuid(team_id)
    team = _teams().filter(public_id=key).first() if key else None
    if team is None:
        raise NotFound(_("Not found."))
    return team


@dataclass(frozen=True)
class UnitReach:
    unit: Unit
    channels: list[ChannelStatus]
    stale: bool

    @property
    def open_now(self) -> bool:
        return any(c.status is not None and c.status.is_open for c in self.channels)


@dataclass(frozen=True)
class ContactCard:
    contact: TeamContact
    reach: UnitReach


@dataclass(frozen=True)
class TeamPage:
    team: RegionalTeam
    units: list[UnitReach]
    contacts: list[ContactCard]
    routines: TeamRoutine | None
    history: list[TeamRoutine]

    @property
    def version(self) -> int:
        return self.routines.version if self.routines else 0


def _reach(units: list[Unit], now: dt.datetime) -> dict[int, UnitReach]:
    """Each unit's channels with "open now" from the directory's hours."""
    today = timezone.localdate(now)
    channels = Channel.objects.filter(unit__in=units).prefetch_related(
        "weekly_hours",
        Prefetch(
            "exceptions",
            queryset=HoursException.objects.filter(
                date__gte=today - dt.timedelta(days=1), date__lte=today + dt.timedelta(days=400)
            ),
        ),
    )
    by_unit: dict[int, list[Channel]] = {u.pk: [] for u in units}
    for channel in channels.order_by("pk"):
        by_unit[channel.unit_id].append(channel)
    return {u.pk: UnitReach(u, reachability(by_unit[u.pk], now), is_stale(u, now)) for u in units}


@dataclass(frozen=True)
class UnitTeam:
    """A team of a unit, for the directory: its contact persons with their reachability."""

    team: RegionalTeam
    contacts: list[ContactCard]


def teams_of_units(
    units: list[Unit], now: dt.datetime, *, with_contacts: bool = True
) -> dict[int, list[UnitTeam]]:
    """Per unit, the active teams it belongs to (by name), each with its contact persons
    and their units' "open now" (one query per kind of row, whatever the number of units)."""
    teams = list(
        RegionalTeam.objects.filter(is_active=True, units__in=units)
        .prefetch_related("units")
        .distinct()
        .order_by("name_fi", "pk")
    )
    contacts: dict[int, list[TeamContact]] = {t.pk: [] for t in teams}
    if with_contacts and teams:
        rows = (
            TeamContact.objects.filter(team__in=teams, user__is_active=True)
            .select_related("user", "unit", "unit__organisation")
            .order_by("unit__name_fi", "role", "user__last_name", "pk")
        )
        for contact in rows:
            contacts[contact.team_id].append(contact)
    reach = _reach(list({c.unit for rows in contacts.values() for c in rows}), now)
    ids = {u.pk for u in units}
    result: dict[int, list[UnitTeam]] = {u.pk: [] for u in units}
    for team in teams:
        cards = [ContactCard(c, reach[c.unit_id]) for c in contacts[team.pk]]
        for unit in team.units.all():
            if unit.pk in ids:
                result[unit.pk].append(UnitTeam(team, cards))
    return result


def team_page(*, team: RegionalTeam, now: dt.datetime | None = None) -> TeamPage:
    """Who to reach: the team's units and contact persons, each with their reachability
    now, and the agreed routines (the latest version and the earlier ones)."""
    now = now or timezone.now()
    units = sorted(team.units.all(), key=lambda u: (not u.is_kela, u.name_fi))
    reach = _reach(units, now)
    contacts = [
        ContactCard(contact, reach[contact.unit_id])
        for contact in team.contacts.select_related("user", "unit")
        .filter(unit__in=units, user__is_active=True)
        .order_by("unit__name_fi", "role", "user__last_name")
    ]
    history = list(team.routines.select_related("created_by_unit").order_by("-version")[:50])
    return TeamPage(
        team, [reach[u.pk] for u in units], contacts, history[0] if history else None, history
    )


# --- forums --------------------------------------------------------------------------------


def visible_forums(*, actor: Actor) -> list[Forum]:
    return list(
        Forum.objects.filter(forum_filter(actor))
        .select_related("chair_unit")
        .distinct()
        .order_by("kind", "name_fi", "pk")
    )


def forum_get(*, actor: Actor, forum_id: Any) -> Forum:
    key = parse_uuid(forum_id)
    forum = (
        Forum.objects.filter(forum_filter(actor), public_id=key)
        .select_related("chair_unit", "chair_unit__organisation")
        .prefetch_related("organisations", "units")
        .distinct()
        .first()
        if key
        else None
    )
    if forum is None:
        raise _not_found(actor, {"forum": str(forum_id)})
    return forum


def forum_items(*, forum: Forum, status: str = "") -> list[AgendaItem]:
    """The forum's agenda: by meeting date, then newest proposals."""
    rows = forum.items.select_related("proposing_unit")
    if status in ItemStatus.values:
        rows = rows.filter(status=status)
    return list(rows.order_by("meeting_date", "-proposed_at", "-pk")[:500])


def open_followups(*, actor: Actor, limit: int = 200) -> list[FollowUpAction]:
    """The open follow-up actions the actor's units own (forum items are not client
    data), the earliest due first: the owners' list next to their meeting actions."""
    return list(
        FollowUpAction.objects.filter(status="open", owner_unit_id__in=actor.unit_ids)
        .select_related("item__forum", "owner_unit")
        .order_by("due_date", "pk")[:limit]
    )


def forum_units(*, forum: Forum, item: AgendaItem | None = None) -> list[Unit]:
    """Units that can own a follow-up action: the forum's member units, its chair unit and
    the item's proposing unit."""
    ids = {u.pk for u in forum.units.all()} | {forum.chair_unit_id}
    if item is not None:
        ids.add(item.proposing_unit_id)
    return list(
        Unit.objects.filter(pk__in=ids, is_active=True)
        .select_related("organisation")
        .order_by("name_fi")
    )


def item_get(*, actor: Actor, item_id: Any) -> AgendaItem:
    key = parse_uuid(item_id)
    visible = Forum.objects.filter(forum_filter(actor)).values("pk")
    item = (
        AgendaItem.objects.filter(public_id=key, forum__in=visible)
        .select_related("forum", "forum__chair_unit", "proposing_unit")
        .first()
        if key
        else None
    )
    if item is None:
        raise _not_found(actor, {"agenda_item": str(item_id)})
    return item


def item_actions(*, item: AgendaItem) -> list[FollowUpAction]:
    return list(item.actions.select_related("owner_unit").order_by("due_date", "pk"))


def action_get(*, actor: Actor, action_id: Any) -> FollowUpAction:
    key = parse_uuid(action_id)
    visible = Forum.objects.filter(forum_filter(actor)).values("pk")
    action = (
        FollowUpAction.objects.filter(public_id=key, item__forum__in=visible)
        .select_related("item", "item__forum", "owner_unit")
        .first()
        if key
        else None
    )
    if action is None:
        raise _not_found(actor, {"followup": str(action_id)})
    return action


def decisions_search(*, actor: Actor, query: str = "", page: int = 1) -> Page[AgendaItem]:
    """Decided (and done) items of the actor's forums whose title, description or decision
    holds every word of ``query``; newest decision first."""
    refuse_identity_codes(q=query)
    terms = (query or "").split()
    if any(len(t) > 100 for t in terms) or len(terms) > 10:
        raise Invalid(_("The search is too long."), code="search_too_long", field="q")
    visible = Forum.objects.filter(forum_filter(actor)).values("pk")
    rows = AgendaItem.objects.filter(forum__in=visible, status__in=DECISION_STATUSES)
    for term in terms:
        rows = rows.filter(
            Q(title__icontains=term) | Q(description__icontains=term) | Q(decision__icontains=term)
        )
    rows = rows.select_related("forum", "proposing_unit").prefetch_related(
        Prefetch("actions", queryset=FollowUpAction.objects.select_related("owner_unit"))
    )
    return paginate(rows.order_by("-decided_at", "-pk"), number=page)


# --- choices of the team and forum set-up pages -----------------------------------------------


def setup_organisations() -> list[Organisation]:
    return list(Organisation.objects.order_by("-kind", "name_fi", "pk"))


def team_people(*, unit_ids: Any) -> list[Membership]:
    """The people of ``unit_ids`` who take part in cooperation: possible contact persons."""
    rows = (
        Membership.objects.filter(unit__public_id__in=list(unit_ids), user__is_active=True)
        .select_related("user", "unit")
        .order_by("unit__name_fi", "user__last_name", "user__first_name", "pk")
    )
    return [m for m in rows if role_allows(m.role, Perm.COOPERATION)]


def team_contacts(*, team: RegionalTeam) -> list[TeamContact]:
    return list(team.contacts.select_related("user", "unit").order_by("unit__name_fi", "pk"))


def units_by_pk(*, unit_ids: Any) -> list[Unit]:
    """The active units of ``unit_ids`` (the actor's own, for the set-up pages)."""
    return list(
        Unit.objects.filter(pk__in=list(unit_ids), is_active=True)
        .select_related("organisation")
        .order_by("name_fi", "pk")
    )
