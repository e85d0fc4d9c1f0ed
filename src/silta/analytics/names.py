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


class UnitNames:
    """Names of units with their organisation and region, read once per dashboard: the
    regions and service areas once, each unit once."""

    def __init__(self) -> None:
        self._known: dict[int, UnitName] = {}
        self._regions: dict[str, str] | None = None
        self._areas: dict[str, str] = {}

    def __call__(self, ids: Iterable[int]) -> dict[int, UnitName]:
        wanted = set(ids)
        missing = wanted - set(self._known)
        if missing:
            self._load(missing)
        return {pk: self._known[pk] for pk in wanted if pk in self._known}

    def _load(self, ids: set[int]) -> None:
        if self._regions is None:
            self._regions = organiser_regions()
            self._areas = {a.code: a.name for a in KelaServiceArea.objects.all()}
        for unit in Unit.objects.filter(pk__in=ids).select_related("organisation"):
            organisation = unit.organisation
            region = (
                _("Kela")
                if organisation.is_kela
                else self._areas.get(
                    self._regions.get(organisation.organiser_code, ""), _("Unknown")
                )
            )
            self._known[unit.pk] = UnitName(
                unit.pk,
                str(unit.public_id),
                unit.name,
                organisation.pk,
                organisation.name,
                region,
            )


def month(value: dt.date | str) -> dt.date:
    """A month as the database returned it (a date, or ISO text on SQLite)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def month_label(value: dt.date) -> str:
    return formats.date_format(value, "YEAR_MONTH_FORMAT")


def reason_label(code: str) -> str:
    return str(ReturnReason(code).label) if code in ReturnReason.values else _("Not given")


def expense_label(code: str) -> str:
    return str(ExpenseKind(code).label) if code in ExpenseKind.values else _("Not recorded")
