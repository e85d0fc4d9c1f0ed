"""Names for the ids in grouped rows: units, organisations, regions, months, codes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

from silta.analytics.scope import organiser_regions
from silta.organisations.models import Unit
from silta.reference.expense_kinds import ExpenseKind
from silta.reference.models import KelaServiceArea
from silta.referrals.types import ReturnReason


@dataclass(frozen=True)
class UnitName:
    pk: int
    public_id: str
    name: str
    organisation_id: int
    organisation: str
    region: str


def units(ids: Iterable[int]) -> dict[int, UnitName]:
    """The units (one query), with their organisation and region names."""
    regions = organiser_regions()
    areas = {a.code: a.name for a in KelaServiceArea.objects.all()}
    found = {}
    for unit in Unit.objects.filter(pk__in=set(ids)).select_related("organisation"):
        organisation = unit.organisation
        region = (
            _("Kela")
            if organisation.is_kela
            else areas.get(regions.get(organisation.organiser_code, ""), _("Unknown"))
        )
        found[unit.pk] = UnitName(
            unit.pk,
            str(unit.public_id),
            unit.name,
            organisation.pk,
            organisation.name,
            region,
        )
    return found


def month(value: dt.date | str) -> dt.date:
    """A month as the database returned it (a date, or ISO text on SQLite)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def month_label(value: dt.date) -> str:
    return formats.date_format(value, "YEAR_MONTH_FORMAT")


def reason_label(code: str) -> str:
    return str(ReturnReason(code).label) if code in ReturnReason.values else _("Not given")


def expense_label(code: str) -> str:
    return str(ExpenseKind(code).label) if code in ExpenseKind.values else _("Not recorded")
