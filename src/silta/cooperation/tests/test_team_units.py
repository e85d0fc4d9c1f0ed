"""The team form's units at national scale (issue 11): with a large directory the select
offers the units chosen plus those the unit search or the team's municipalities find,
not every unit of the country; "Show the units found" posts the form back (htmx or
not) and saves nothing; a unit found can be chosen and saved."""

from __future__ import annotations

import pytest
from django.urls import reverse

from silta.cooperation.models import RegionalTeam
from silta.cooperation.unit_options import LIST_ALL_UP_TO, MATCHES_SHOWN
from silta.directory.models import ServiceArea
from silta.organisations.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _signed_in_is_verified(settings):
    settings.SILTA_DEMO_SKIP_TOTP = True


@pytest.fixture
def country(world):
    """More units than the select lists whole; Kela's Kuopio point serves Kuopio (297)."""
    Unit.objects.bulk_create(
        Unit(organisation=world.county, kind="adult_social_work", name_fi=f"Sosiaalityö {n}",
             name_sv=f"Socialt arbete {n}", search_text=f"sosiaalityo {n} pohjois-savo")
        for n in range(LIST_ALL_UP_TO + MATCHES_SHOWN)
    )  # fmt: skip
    point = Unit.objects.create(
        organisation=world.kela, kind="kela_service_unit", name_fi="Kelan palvelupiste Kuopio",
        name_sv="FPA:s servicepunkt Kuopio", search_text="kelan palvelupiste kuopio kela",
    )  # fmt: skip
    ServiceArea.objects.create(unit=point, municipality_id="297", topic="basic_assistance")
    return point


def _options(body: str) -> int:
    start = body.index('id="id_unit_ids"')
    return body[start : body.index("</select>", start)].count("<option")


def _post(world, **changes):
    data = {
        "name_fi": "Kuopion tiimi",
        "name_sv": "",
        "municipalities": "",
        "unit_search": "",
        "unit_ids": [str(world.social_unit.public_id)],
        "refresh": "1",
    }
    return {**data, **changes}


def test_a_large_directory_offers_the_own_unit_not_the_whole_country(client, world, country):
    client.force_login(world.users["social_manager"])
    body = client.get(reverse("cooperation:team_new")).content.decode()
    assert f'value="{world.social_unit.public_id}" selected' in body
    assert str(country.public_id) not in body and "Sosiaalityö 1<" not in body
    assert _options(body) == 1


def test_the_unit_search_finds_a_unit_and_keeps_the_chosen(client, world, country):
    client.force_login(world.users["social_manager"])
    response = client.post(
        reverse("cooperation:team_new"),
        _post(world, unit_search="palvelupiste KUOPIO"),
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert f'value="{country.public_id}">' in body
    assert f'value="{world.social_unit.public_id}" selected' in body
    assert _options(body) == 2 and not RegionalTeam.objects.exists()


def test_without_words_the_teams_municipalities_narrow_the_units(client, world, country):
    client.force_login(world.users["social_manager"])
    body = client.post(
        reverse("cooperation:team_new"), _post(world, municipalities="Helsinki, kuopio")
    ).content.decode()
    assert f'value="{country.public_id}">' in body and _options(body) == 2
    elsewhere = client.post(reverse("cooperation:team_new"), _post(world, municipalities="091"))
    assert str(country.public_id) not in elsewhere.content.decode()


def test_too_many_matches_ask_for_more_words(client, world, country):
    client.force_login(world.users["social_manager"])
    body = client.post(
        reverse("cooperation:team_new"), _post(world, unit_search="pohjois-savo")
    ).content.decode()
    assert _options(body) == MATCHES_SHOWN + 1  # the matches shown and the chosen unit
    assert "Hakua vastaa enemmän yksiköitä kuin luetteloon mahtuu" in body


def test_a_unit_found_is_saved_to_the_team(client, world, country):
    client.force_login(world.users["social_manager"])
    chosen = [str(world.social_unit.public_id), str(country.public_id)]
    post = _post(world, unit_ids=chosen, municipalities="Kuopio", unit_search="kuopio")
    del post["refresh"]
    response = client.post(reverse("cooperation:team_new"), post, headers={"HX-Request": "true"})
    assert response.status_code == 204
    team = RegionalTeam.objects.get()
    assert set(team.units.all()) == {world.social_unit, country}
