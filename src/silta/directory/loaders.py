"""Idempotent loading of the organisations Silta knows from reference data: Kela with its
customer-service units (one per Kela service area), and the 21 wellbeing services counties
plus the City of Helsinki. Åland (organiser code 91) is outside the system: no organiser."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from silta.directory.models import Topic
from silta.directory.services import service_areas_set, unit_refresh_search_text
from silta.organisations.models import Organisation, OrganisationKind, Unit, UnitKind
from silta.reference.models import KelaServiceArea, Municipality

ALAND = "91"


@dataclass(frozen=True)
class OrganisersLoaded:
    organisers: int
    created: int
    kela_units: int


def kela_organisation() -> Organisation:
    kela = Organisation.objects.filter(kind=OrganisationKind.KELA).order_by("pk").first()
    return kela or Organisation.objects.create(
        kind=OrganisationKind.KELA, name_fi="Kela", name_sv="FPA"
    )


def load_organisers() -> OrganisersLoaded:
    """Create or rename organisers from the current classification; idempotent."""
    created = 0
    with transaction.atomic():
        rows = (
            Municipality.objects.filter(is_current=True)
            .exclude(organiser_code=ALAND)
            .values_list("organiser_code", "organiser_name_fi", "organiser_name_sv")
            .distinct()
        )
        seen = set()
        for code, name_fi, name_sv in rows:
            if code in seen:
                continue
            seen.add(code)
            _org, was_created = Organisation.objects.update_or_create(
                organiser_code=code,
                defaults={
                    "kind": OrganisationKind.SOCIAL_SERVICES,
                    "name_fi": name_fi,
                    "name_sv": name_sv,
                },
            )
            created += was_created
        kela_units = _load_kela_service_units(kela_organisation())
    return OrganisersLoaded(len(seen), created, kela_units)


def _load_kela_service_units(kela: Organisation) -> int:
    """One Kela customer-service unit per service area, serving its municipalities for
    basic assistance."""
    count = 0
    for area in KelaServiceArea.objects.all():
        name_fi = f"Kela, {area.name_fi}"
        unit = Unit.objects.filter(
            organisation=kela, kind=UnitKind.KELA_SERVICE_UNIT, name_fi=name_fi
        ).first()
        if unit is None:
            unit = Unit.objects.create(
                organisation=kela,
                kind=UnitKind.KELA_SERVICE_UNIT,
                name_fi=name_fi,
                name_sv=f"FPA, {area.name_sv}",
            )
        codes = list(
            Municipality.objects.filter(
                kela_service_area=area, is_current=True, is_aland=False
            ).values_list("code", flat=True)
        )
        service_areas_set(unit=unit, topic=Topic.BASIC_ASSISTANCE, municipality_codes=codes)
        unit_refresh_search_text(unit)
        count += 1
    return count
