"""Setting regional teams and cooperation forums up: writes by staff (and their units'
systems), no longer only in the admin.

A team is set up and kept by the managers of its own units (``TEAM_MANAGE``): its units
come from both organisations, it covers mainland municipalities, and its contact persons
are people of its units. A forum is set up by its organiser, who chairs it from their own
unit (``FORUM_CHAIR``): its member organisations include Kela and social services, and its
member units belong to them. Each write takes one typed input, checks the role again,
works in one transaction and records the audit event. Not client data: identity-code-shaped
names are refused.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pydantic
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from silta.accounts.actor import Actor
from silta.accounts.models import Membership
from silta.accounts.roles import Perm, role_allows
from silta.audit.denial import deny
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.cooperation import permissions
from silta.cooperation.models import ContactRole, Forum, ForumKind, RegionalTeam, TeamContact
from silta.cooperation.privacy import refuse_identity_codes
from silta.core.errors import Invalid
from silta.directory.selectors import find_municipality
from silta.organisations.models import Organisation, OrganisationKind, Unit
from silta.reference.models import Municipality


class ContactInput(pydantic.BaseModel):
    """A contact person (yhteyshenkilö): a person of one of the team's units, in a role."""

    model_config = pydantic.ConfigDict(frozen=True)

    user_id: uuid.UUID
    unit_id: uuid.UUID
    role: str = ContactRole.CONTACT


class TeamInput(pydantic.BaseModel):
    """A regional team as a whole: a save replaces its units, municipalities and contacts."""

    model_config = pydantic.ConfigDict(frozen=True)

    name_fi: str = ""
    name_sv: str = ""
    unit_ids: list[uuid.UUID] = []
    # Names (Finnish or Swedish) or three-digit codes.
    municipalities: list[str] = []
    contacts: list[ContactInput] = []


class ForumInput(pydantic.BaseModel):
    """A cooperation forum as a whole: its kind, members and chair unit."""

    model_config = pydantic.ConfigDict(frozen=True)

    name_fi: str = ""
    name_sv: str = ""
    kind: str = ""
    organisation_ids: list[uuid.UUID] = []
    unit_ids: list[uuid.UUID] = []
    chair_unit_id: uuid.UUID | None = None


@dataclass(frozen=True)
class _TeamValues:
    name_fi: str
    name_sv: str
    units: list[Unit]
    municipalities: list[Municipality]
    contacts: list[tuple[int, int, str]]  # (user id, unit id, role)


def _names(data: TeamInput | ForumInput) -> tuple[str, str]:
    name_fi = (data.name_fi or "").strip()
    name_sv = (data.name_sv or "").strip() or name_fi
    if not name_fi:
        raise Invalid(_("Give the name in Finnish."), code="name_required", field="name_fi")
    if len(name_fi) > 200 or len(name_sv) > 200:
        raise Invalid(_("The name is too long."), code="too_long", field="name_fi")
    refuse_identity_codes(name_fi=name_fi, name_sv=name_sv)
    return name_fi, name_sv


def _units(ids: list[uuid.UUID], *, field: str) -> list[Unit]:
    _too_many(ids, 200, field)
    wanted = set(ids)
    units = list(
        Unit.objects.filter(public_id__in=wanted, is_active=True).select_related("organisation")
    )
    if len(units) != len(wanted):
        raise Invalid(_("Choose units from the list."), code="unit_unknown", field=field)
    return sorted(units, key=lambda u: u.pk)


def _both_sides(kinds: set[str]) -> bool:
    return {OrganisationKind.KELA, OrganisationKind.SOCIAL_SERVICES} <= kinds


def _too_many(values: list[Any], limit: int, field: str) -> None:
    if len(values) > limit:
        raise Invalid(_("Too many entries."), code="too_many", field=field)


def _municipalities(texts: list[str]) -> list[Municipality]:
    _too_many(texts, 400, "municipalities")
    found: dict[str, Municipality] = {}
    for text in texts:
        if not (text or "").strip():
            continue
        try:
            municipality = find_municipality(text)
        except Invalid as error:
            raise Invalid(error.message, code=error.code, field="municipalities") from error
        if municipality.is_aland:
            raise Invalid(
                _("Åland's municipalities handle social assistance themselves."),
                code="municipality_aland",
                field="municipalities",
            )
        found[municipality.code] = municipality
    if not found:
        raise Invalid(
            _("Name at least one municipality."),
            code="municipality_required",
            field="municipalities",
        )
    return sorted(found.values(), key=lambda m: m.code)


def _contacts(contacts: list[ContactInput], units: list[Unit]) -> list[tuple[int, int, str]]:
    """Each contact a person of the named team unit whose role takes part in cooperation."""
    _too_many(contacts, 50, "contacts")
    by_public = {u.public_id: u.pk for u in units}
    rows: dict[int, tuple[int, int, str]] = {}
    for contact in contacts:
        unit_id = by_public.get(contact.unit_id)
        member = (
            Membership.objects.filter(
                unit_id=unit_id, user__public_id=contact.user_id, user__is_active=True
            ).first()
            if unit_id
            else None
        )
        if member is None or not role_allows(member.role, Perm.COOPERATION):
            raise Invalid(
                _("A contact person must work in one of the team's units."),
                code="contact_not_in_team",
                field="contacts",
            )
        if contact.role not in ContactRole.values:
            raise Invalid(_("Choose the contact role."), code="contact_role", field="contacts")
        if member.user_id in rows:
            raise Invalid(
                _("Each person is named once."), code="contact_duplicate", field="contacts"
            )
        rows[member.user_id] = (member.user_id, member.unit_id, contact.role)
    return list(rows.values())


def _team_values(actor: Actor, data: TeamInput) -> _TeamValues:
    name_fi, name_sv = _names(data)
    units = _units(data.unit_ids, field="unit_ids")
    if not _both_sides({u.organisation.kind for u in units}):
        raise Invalid(
            _("A team has units of both Kela and social services."),
            code="team_needs_both_sides",
            field="unit_ids",
        )
    if not permissions.can_manage_team(actor, {u.pk for u in units}):
        raise Invalid(
            _("Include your own unit in the team."), code="team_own_unit", field="unit_ids"
        )
    municipalities = _municipalities(data.municipalities)
    return _TeamValues(name_fi, name_sv, units, municipalities, _contacts(data.contacts, units))


def _apply_team(team: RegionalTeam, values: _TeamValues) -> None:
    team.name_fi, team.name_sv = values.name_fi, values.name_sv
    team.save()
    team.units.set(values.units)
    team.municipalities.set(values.municipalities)
    team.contacts.all().delete()
    TeamContact.objects.bulk_create(
        TeamContact(team=team, user_id=user_id, unit_id=unit_id, role=role)
        for user_id, unit_id, role in values.contacts
    )


def _team_detail(values: _TeamValues) -> dict[str, Any]:
    return {
        "units": [str(u.public_id) for u in values.units],
        "municipalities": [m.code for m in values.municipalities],
        "contacts": len(values.contacts),
    }


def _acting_team_unit(actor: Actor, unit_ids: set[int]) -> int:
    return min(permissions.team_manager_units(actor) & unit_ids)


def team_create(*, actor: Actor, data: TeamInput) -> RegionalTeam:
    """A manager sets up a team that includes their own unit."""
    if not permissions.can_create_team(actor):
        raise deny(actor, detail={"perm": "team_manage"})
    values = _team_values(actor, data)
    with transaction.atomic():
        team = RegionalTeam()
        _apply_team(team, values)
        unit_id = _acting_team_unit(actor, {u.pk for u in values.units})
        record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=team,
            unit_id=unit_id,
            detail=_team_detail(values),
        )
    return team


def team_update(*, actor: Actor, team: RegionalTeam, data: TeamInput) -> RegionalTeam:
    """The managers of the team's units change its name, units, municipalities and contact
    persons (the routines have their own versioned write)."""
    before = set(team.units.values_list("pk", flat=True))
    if not permissions.can_manage_team(actor, before):
        raise deny(actor, obj=team, detail={"perm": "team_manage"})
    values = _team_values(actor, data)
    with transaction.atomic():
        RegionalTeam.objects.select_for_update().get(pk=team.pk)
        _apply_team(team, values)
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=team,
            unit_id=_acting_team_unit(actor, before),
            detail=_team_detail(values),
        )
    return team


# --- forums ----------------------------------------------------------------------------------


def _organisations(ids: list[uuid.UUID]) -> list[Organisation]:
    _too_many(ids, 100, "organisation_ids")
    wanted = set(ids)
    found = list(Organisation.objects.filter(public_id__in=wanted).order_by("pk"))
    if len(found) != len(wanted):
        raise Invalid(
            _("Choose organisations from the list."),
            code="organisation_unknown",
            field="organisation_ids",
        )
    if not _both_sides({o.kind for o in found}):
        raise Invalid(
            _("A forum has members from both Kela and social services."),
            code="forum_needs_both_sides",
            field="organisation_ids",
        )
    return found


def _chair_unit(actor: Actor, chair_unit_id: uuid.UUID | None, organisations: set[int]) -> Unit:
    unit = (
        Unit.objects.filter(public_id=chair_unit_id, is_active=True).first()
        if chair_unit_id
        else None
    )
    if unit is None or unit.pk not in permissions.forum_organiser_units(actor):
        raise Invalid(
            _("Choose your own unit as the chair unit."),
            code="chair_unit_own",
            field="chair_unit_id",
        )
    if unit.organisation_id not in organisations:
        raise Invalid(
            _("The chair unit's organisation must be a member."),
            code="chair_not_member",
            field="organisation_ids",
        )
    return unit


def _forum_values(actor: Actor, data: ForumInput) -> dict[str, Any]:
    name_fi, name_sv = _names(data)
    if data.kind not in ForumKind.values:
        raise Invalid(_("Choose the kind of forum."), code="kind_required", field="kind")
    organisations = _organisations(data.organisation_ids)
    org_ids = {o.pk for o in organisations}
    chair = _chair_unit(actor, data.chair_unit_id, org_ids)
    units = _units(data.unit_ids, field="unit_ids")
    if any(u.organisation_id not in org_ids for u in units):
        raise Invalid(
            _("Member units must belong to the member organisations."),
            code="unit_not_member",
            field="unit_ids",
        )
    return {
        "name_fi": name_fi,
        "name_sv": name_sv,
        "kind": data.kind,
        "chair_unit": chair,
        "organisations": organisations,
        "units": units,
    }


def _apply_forum(forum: Forum, values: dict[str, Any]) -> dict[str, Any]:
    forum.name_fi, forum.name_sv = values["name_fi"], values["name_sv"]
    forum.kind, forum.chair_unit = values["kind"], values["chair_unit"]
    forum.save()
    forum.organisations.set(values["organisations"])
    forum.units.set(values["units"])
    return {
        "kind": forum.kind,
        "chair_unit": str(forum.chair_unit.public_id),
        "organisations": [str(o.public_id) for o in values["organisations"]],
        "units": [str(u.public_id) for u in values["units"]],
    }


def forum_create(*, actor: Actor, data: ForumInput) -> Forum:
    """The organiser sets a forum up and chairs it from their own unit."""
    if not permissions.can_create_forum(actor):
        raise deny(actor, detail={"perm": "forum_create"})
    values = _forum_values(actor, data)
    with transaction.atomic():
        forum = Forum()
        detail = _apply_forum(forum, values)
        record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=forum,
            unit_id=forum.chair_unit_id,
            detail=detail,
        )
    return forum


def forum_update(*, actor: Actor, forum: Forum, data: ForumInput) -> Forum:
    """The chair changes the forum's name, kind, members or hands the chair to another of
    their own units."""
    if not permissions.can_chair(actor, forum.chair_unit_id):
        raise deny(actor, obj=forum, detail={"perm": "forum_edit"})
    values = _forum_values(actor, data)
    acting = forum.chair_unit_id
    with transaction.atomic():
        Forum.objects.select_for_update().get(pk=forum.pk)
        detail = _apply_forum(forum, values)
        record(actor=actor, action=AuditAction.UPDATE, obj=forum, unit_id=acting, detail=detail)
    return forum
