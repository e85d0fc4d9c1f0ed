"""Routing: every municipality resolves to exactly one organiser (or the Åland flag)."""

from __future__ import annotations

import pytest

from silta.core.errors import Invalid
from silta.directory.loaders import load_organisers
from silta.directory.models import ServiceArea, Topic
from silta.directory.selectors import find_municipality, route
from silta.directory.services import service_areas_set
from silta.organisations.models import Organisation, Unit
from silta.reference.models import Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisers(db):
    load_organisers()


def test_loader_creates_22_organisers_and_kela_service_units(organisers) -> None:
    assert Organisation.objects.filter(kind="social_services").count() == 22
    assert Organisation.objects.filter(kind="kela").count() == 1
    kela_units = Unit.objects.filter(organisation__kind="kela", kind="kela_service_unit")
    assert kela_units.count() == 5
    # Every mainland municipality is served by exactly one Kela service unit.
    served = ServiceArea.objects.filter(topic=Topic.BASIC_ASSISTANCE, unit__in=kela_units)
    mainland = Municipality.objects.filter(is_aland=False, is_current=True).count()
    assert served.count() == mainland
    assert served.values("municipality").distinct().count() == mainland


def test_loader_is_idempotent(organisers) -> None:
    result = load_organisers()
    assert (result.organisers, result.created, result.kela_units) == (22, 0, 5)
    assert Unit.objects.count() == 5


@pytest.mark.parametrize("topic", [Topic.SOCIAL_ASSISTANCE, Topic.BASIC_ASSISTANCE])
def test_every_municipality_routes_to_exactly_one_organiser(organisers, topic) -> None:
    for municipality in Municipality.objects.all():
        result = route(municipality_code=municipality.code, topic=topic)
        if municipality.is_aland:
            assert result.is_aland and result.organisation is None and not result.units
            continue
        assert result.organisation is not None, municipality.code
        if topic == Topic.BASIC_ASSISTANCE:
            assert result.organisation.is_kela and len(result.units) == 1
        else:
            assert result.organisation.organiser_code == municipality.organiser_code


def test_helsinki_routes_to_the_city(organisers) -> None:
    result = route(municipality_code="091", topic=Topic.SOCIAL_ASSISTANCE)
    assert result.organisation is not None and result.organisation.organiser_code == "90"


def test_route_picks_the_unit_serving_the_topic(organisers) -> None:
    county = Organisation.objects.get(organiser_code="13")
    adult = Unit.objects.create(
        organisation=county,
        kind="adult_social_work",
        name_fi="Aikuissosiaalityö Kuopio",
        name_sv="Vuxen",
    )
    money = Unit.objects.create(
        organisation=county,
        kind="social_assistance",
        name_fi="Toimeentulotuki",
        name_sv="Utkomststöd",
    )
    service_areas_set(unit=adult, topic=Topic.ADULT_SOCIAL_WORK, municipality_codes=["297"])
    service_areas_set(unit=money, topic=Topic.SOCIAL_ASSISTANCE, municipality_codes=["297"])
    assert route(municipality_code="297", topic=Topic.ADULT_SOCIAL_WORK).units == [adult]
    assert route(municipality_code="297", topic=Topic.SOCIAL_ASSISTANCE).units == [money]
    assert route(municipality_code="749", topic=Topic.SOCIAL_ASSISTANCE).units == []


def test_unknown_inputs(organisers) -> None:
    with pytest.raises(Invalid):
        route(municipality_code="999", topic=Topic.SOCIAL_ASSISTANCE)
    with pytest.raises(Invalid):
        route(municipality_code="297", topic="weather")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Kuopio", "297"),
        ("helsingfors", "091"),
        ("297", "297"),
        ("91", "091"),
        ("Hameenlinna", "109"),
    ],
)
def test_find_municipality_by_name_or_code(text: str, code: str) -> None:
    assert find_municipality(text).code == code


def test_merged_municipality_keeps_routing_for_existing_clients(organisers) -> None:
    # A municipality retired from the classification still resolves for old clients.
    Municipality.objects.filter(code="749").update(is_current=False)
    result = route(municipality_code="749", topic=Topic.SOCIAL_ASSISTANCE)
    assert result.organisation is not None and result.organisation.organiser_code == "13"
