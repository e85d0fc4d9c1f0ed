"""The scopes offered in the dashboard's picker: the actor's own organisations and their
units, the regions and the whole country (when the actor may see across)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from silta.accounts.actor import Actor
from silta.analytics import permissions
from silta.organisations.models import Organisation, Unit
from silta.reference.models import KelaServiceArea


@dataclass(frozen=True)
class Option:
    scope: str
    key: str
    label: str


def scope_choices(actor: Actor) -> list[Option]:
    own = permissions.organisations(actor)
    options = [
        Option("organisation", str(o.public_id), o.name)
        for o in Organisation.objects.filter(pk__in=own)
    ]
    options += [
        Option("unit", str(u.public_id), f"{u.organisation.name}: {u.name}")
        for u in Unit.objects.filter(organisation_id__in=own, is_active=True).select_related(
            "organisation"
        )
    ]
    if permissions.can_view_across(actor):
        options += [
            Option("region", a.code, _("Region: %(name)s") % {"name": a.name})
            for a in KelaServiceArea.objects.order_by("code")
        ]
        options.append(Option("national", "", _("Whole country")))
    return options
