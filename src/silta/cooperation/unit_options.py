"""Which units a team's form offers (issue 11): the country has about 1,900, too many for
one select. A small directory is listed whole; a large one offers the units already
chosen plus those matching the form's unit search (words of a unit's name, its
organisation or a municipality it serves), or else those serving the team's
municipalities. The form works without JavaScript: "Find units" posts it back."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from silta.core.ids import parse_uuid
from silta.core.text import fold
from silta.directory.models import ServiceArea
from silta.organisations.models import Unit
from silta.reference.models import Municipality

# Up to this many active units, the select lists them all; at most this many matches.
LIST_ALL_UP_TO = 150
MATCHES_SHOWN = 150


@dataclass(frozen=True)
class UnitOptions:
    units: list[Unit]
    # More units matched than are shown: the form asks for a narrower search.
    more: bool = False


def _ordered(rows: QuerySet[Unit]) -> QuerySet[Unit]:
    return rows.select_related("organisation").order_by(
        "-organisation__kind", "organisation__name_fi", "name_fi", "pk"
    )


def _codes(municipalities: str) -> set[str]:
    """The codes of the municipalities named (names or codes, commas); unknown ones skipped."""
    texts = [t.strip() for t in (municipalities or "").split(",") if t.strip()]
    codes = {t.zfill(3) for t in texts if t.isdigit()}
    names = {fold(t) for t in texts if not t.isdigit()}
    if names:
        for code, name_fi, name_sv in Municipality.objects.filter(is_current=True).values_list(
            "code", "name_fi", "name_sv"
        ):
            if fold(name_fi) in names or fold(name_sv) in names:
                codes.add(code)
    return codes


def _matches(search: str, municipalities: str) -> QuerySet[Unit] | None:
    terms = fold(search).split()
    if terms:
        rows = Unit.objects.filter(is_active=True)
        for term in terms:
            rows = rows.filter(
                Q(search_text__contains=term)
                | Q(name_fi__icontains=term)
                | Q(name_sv__icontains=term)
            )
        return rows
    codes = _codes(municipalities)
    if codes:
        serving = ServiceArea.objects.filter(municipality_id__in=codes).values("unit_id")
        return Unit.objects.filter(is_active=True, pk__in=serving)
    return None


def team_unit_options(
    *, chosen: list[str], search: str = "", municipalities: str = ""
) -> UnitOptions:
    """The units a team form offers: see the module's docstring."""
    matches = _matches(search, municipalities)
    if matches is None and Unit.objects.filter(is_active=True).count() <= LIST_ALL_UP_TO:
        return UnitOptions(list(_ordered(Unit.objects.filter(is_active=True))))
    keys = [k for k in (parse_uuid(c) for c in chosen) if isinstance(k, uuid.UUID)]
    found = list(_ordered(matches)[: MATCHES_SHOWN + 1]) if matches is not None else []
    more = len(found) > MATCHES_SHOWN
    picked = Q(public_id__in=keys, is_active=True) | Q(pk__in=[u.pk for u in found[:MATCHES_SHOWN]])
    return UnitOptions(list(_ordered(Unit.objects.filter(picked))), more)
