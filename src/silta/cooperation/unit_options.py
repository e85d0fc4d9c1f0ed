"""Which units a team's or a forum's form offers (issue 11): the country has about 1,900,
too many for one select. A small directory is listed whole; a large one offers the units
already chosen plus those matching the form's unit search (words of a unit's name, its
organisation or a municipality it serves), or else, for a team, those serving the team's
municipalities and, for a forum, the units of its member organisers (social services;
Kela's units only when searched for). The forms work without JavaScript: "Show the units
found" posts them back and saves nothing."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from silta.core.ids import parse_uuid
from silta.core.text import fold
from silta.directory.models import ServiceArea
from silta.organisations.models import OrganisationKind, Unit
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


def _searched(search: str) -> QuerySet[Unit] | None:
    terms = fold(search).split()
    if not terms:
        return None
    rows = Unit.objects.filter(is_active=True)
    for term in terms:
        rows = rows.filter(
            Q(search_text__contains=term) | Q(name_fi__icontains=term) | Q(name_sv__icontains=term)
        )
    return rows


def _matches(search: str, municipalities: str) -> QuerySet[Unit] | None:
    searched = _searched(search)
    if searched is not None:
        return searched
    codes = _codes(municipalities)
    if codes:
        serving = ServiceArea.objects.filter(municipality_id__in=codes).values("unit_id")
        return Unit.objects.filter(is_active=True, pk__in=serving)
    return None


def _offered(chosen: Sequence[str], matches: QuerySet[Unit] | None) -> UnitOptions:
    if matches is None and Unit.objects.filter(is_active=True).count() <= LIST_ALL_UP_TO:
        return UnitOptions(list(_ordered(Unit.objects.filter(is_active=True))))
    keys = [k for k in (parse_uuid(c) for c in chosen) if isinstance(k, uuid.UUID)]
    found = list(_ordered(matches)[: MATCHES_SHOWN + 1]) if matches is not None else []
    more = len(found) > MATCHES_SHOWN
    picked = Q(public_id__in=keys, is_active=True) | Q(pk__in=[u.pk for u in found[:MATCHES_SHOWN]])
    return UnitOptions(list(_ordered(Unit.objects.filter(picked))), more)


def team_unit_options(
    *, chosen: list[str], search: str = "", municipalities: str = ""
) -> UnitOptions:
    """The units a team form offers: see the module's docstring."""
    return _offered(chosen, _matches(search, municipalities))


def forum_unit_options(
    *, chosen: Sequence[str], search: str = "", organisations: Sequence[str] = ()
) -> UnitOptions:
    """The units a forum form offers: those searched for (of the member organisations when
    any are chosen), else the units of the member social-services organisers."""
    keys = [k for k in (parse_uuid(o) for o in organisations) if isinstance(k, uuid.UUID)]
    members = Q(organisation__public_id__in=keys) if keys else Q()
    searched = _searched(search)
    if searched is not None:
        return _offered(chosen, searched.filter(members))
    if not keys:
        return _offered(chosen, None)
    organisers = Unit.objects.filter(is_active=True).filter(members)
    return _offered(chosen, organisers.exclude(organisation__kind=OrganisationKind.KELA))
