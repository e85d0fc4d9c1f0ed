"""What a dashboard covers: one unit, one organisation (all its units), a region (a Kela
service area: the organisers in it, their units, and Kela's work with them) or the whole
country. Resolved once, access-checked, and carrying whether small counts are hidden."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from silta.accounts.actor import Actor
from silta.analytics import permissions
from silta.audit.denial import deny
from silta.core.errors import Invalid
from silta.organisations.models import Organisation, OrganisationKind, Unit
from silta.reference.models import KelaServiceArea, Municipality

KINDS = ("unit", "organisation", "region", "national")


@dataclass(frozen=True)
class Scope:
    kind: str
    key: str  # the unit's or organisation's public id, the region's code, "" for national
    label: str
    # The units whose work is counted (either party of a referral or call-back); None: all.
    unit_ids: tuple[int, ...] | None
    # Cross-organisation views hide small counts.
    suppressed: bool
    organisation_id: int | None = None
    drill_units: frozenset[int] = field(default_factory=frozenset)
    # A social services organiser (its THL monitoring file is offered; Kela's is not).
    organiser: bool = False


def organiser_regions() -> dict[str, str]:
    """Organiser code -> the Kela service area of most of its municipalities."""
    counts: dict[str, dict[str, int]] = {}
    rows = Municipality.objects.filter(is_current=True, is_aland=False).values_list(
        "organiser_code", "kela_service_area_id"
    )
    for organiser, area in rows:
        if area:
            per = counts.setdefault(organiser, {})
            per[area] = per.get(area, 0) + 1
    return {code: max(per, key=lambda a: (per[a], a)) for code, per in counts.items()}


def _uuid(key: str) -> uuid.UUID:
    try:
        return uuid.UUID(key)
    except ValueError:
        raise Invalid(_("Unknown scope."), code="scope_unknown", field="key") from None


def _organisation_scope(actor: Actor, key: str) -> Scope:
    organisation = Organisation.objects.filter(public_id=_uuid(key)).first()
    if organisation is None or not permissions.can_view_organisation(actor, organisation.pk):
        raise deny(actor, hide=True, detail={"analytics": "organisation", "key": key})
    units = tuple(Unit.objects.filter(organisation=organisation).values_list("pk", flat=True))
    return Scope(
        "organisation",
        str(organisation.public_id),
        organisation.name,
        units,
        False,
        organisation.pk,
        permissions.drill_units(actor) & set(units),
        organisation.kind == OrganisationKind.SOCIAL_SERVICES,
    )


def _unit_scope(actor: Actor, key: str) -> Scope:
    unit = Unit.objects.select_related("organisation").filter(public_id=_uuid(key)).first()
    if unit is None or not permissions.can_view_organisation(actor, unit.organisation_id):
        raise deny(actor, hide=True, detail={"analytics": "unit", "key": key})
    return Scope(
        "unit",
        str(unit.public_id),
        unit.name,
        (unit.pk,),
        False,
        unit.organisation_id,
        permissions.drill_units(actor) & {unit.pk},
    )


def _region_scope(actor: Actor, key: str) -> Scope:
    area = KelaServiceArea.objects.filter(code=key).first()
    if area is None:
        raise Invalid(_("Unknown region."), code="scope_unknown", field="key")
    codes = [code for code, region in organiser_regions().items() if region == area.code]
    units = tuple(
        Unit.objects.filter(organisation__organiser_code__in=codes).values_list("pk", flat=True)
    )
    return Scope("region", area.code, area.name, units, True)


def scope_resolve(actor: Actor, kind: str | None, key: str | None) -> Scope:
    """The scope asked for, or the actor's first organisation; refused (audited) when the
    actor may not see it."""
    if not permissions.can_view_any(actor):
        raise deny(actor, detail={"analytics": kind or ""})
    if not kind:
        own = sorted(permissions.organisations(actor))
        if not own:
            return Scope("national", "", _("Whole country"), None, True)
        organisation = Organisation.objects.get(pk=own[0])
        return _organisation_scope(actor, str(organisation.public_id))
    if kind not in KINDS:
        raise Invalid(_("Unknown scope."), code="scope_unknown", field="scope")
    if kind == "unit":
        return _unit_scope(actor, key or "")
    if kind == "organisation":
        return _organisation_scope(actor, key or "")
    if not permissions.can_view_across(actor):
        raise deny(actor, detail={"analytics": kind})
    if kind == "region":
        return _region_scope(actor, key or "")
    return Scope("national", "", _("Whole country"), None, True)
