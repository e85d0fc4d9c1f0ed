"""Reading organisations and units (not client data: no audit needed, except a refusal)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from silta.audit.denial import deny
from silta.core.ids import parse_uuid
from silta.core.pagination import Page, paginate
from silta.organisations.models import Organisation, OrganisationKind, Unit

if TYPE_CHECKING:
    from silta.accounts.actor import Actor
    from silta.accounts.roles import Perm


def active_units() -> QuerySet[Unit]:
    return Unit.objects.filter(is_active=True).select_related("organisation")


def units_page(*, page: int = 1, size: int = 100) -> Page[Unit]:
    return paginate(active_units().order_by("name_fi", "pk"), number=page, size=size)


def unit_by_public_id(public_id: Any) -> Unit | None:
    key = parse_uuid(public_id)
    return active_units().filter(public_id=key).first() if key else None


def organisation_by_public_id(public_id: Any) -> Organisation | None:
    key = parse_uuid(public_id)
    return Organisation.objects.filter(public_id=key).first() if key else None


def counterpart_units(
    *, of_kela: bool, first_organisation_id: int | None = None, limit: int = 500
) -> list[Unit]:
    """Units of the other organisation kind, for choosing a case's counterpart; the
    responsible organisation's units first."""
    kind = OrganisationKind.SOCIAL_SERVICES if of_kela else OrganisationKind.KELA
    units = active_units().filter(organisation__kind=kind)
    first: list[Unit] = []
    if first_organisation_id is not None:
        first = list(units.filter(organisation_id=first_organisation_id).order_by("name_fi"))
        units = units.exclude(organisation_id=first_organisation_id)
    rest = list(units.order_by("organisation__name_fi", "name_fi")[: max(limit - len(first), 0)])
    return first + rest


def units_of_actor(*, unit_ids: frozenset[int]) -> list[Unit]:
    """The actor's own units (for the unit switcher and the 'act as' choice)."""
    return list(active_units().filter(pk__in=unit_ids).order_by("name_fi"))


def own_unit(*, actor: Actor, unit_id: Any, perm: Perm) -> Unit:
    """One of the units (by public id) in which the actor may do ``perm``: the unit a page
    acts for (an inbox, a queue, a report). Any other id is a refusal, audited, and 404."""
    unit = (
        Unit.objects.select_related("organisation")
        .filter(public_id=unit_id, pk__in=actor.units_with(perm))
        .first()
        if parse_uuid(unit_id)
        else None
    )
    if unit is None:
        raise deny(actor, hide=True, detail={"unit": str(unit_id)})
    return unit
