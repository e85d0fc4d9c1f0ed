"""The forum form's units at national scale (issue 11): with a large directory the select
offers the units chosen plus those the unit search finds (of the member organisations),
or else the member social-services organisers' units, not every unit of the country;
"Show the units found" posts the form back (htmx or not) and saves nothing; a unit found
can be chosen and saved."""

from __future__ import annotations

import pytest
from django.urls import reverse

from silta.cooperation.models import Forum
from silta.cooperation.unit_options import LIST_ALL_UP_TO, MATCHES_SHOWN
from silta.organisations.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _signed_in_is_verified(settings):
    settings.SILTA_DEMO_SKIP_TOTP = True


@pytest.fixture
def country(world):
    """More units than the select lists whole, most of them another organiser's."""
    Unit.objects.bulk_create(
        Unit(organisation=world.other_county, kind="adult_social_work", name_fi=f"Sosiaalityö {n}",
             name_sv=f"Socialt arbete {n}", search_text=f"sosiaalityo {n} etela-savo")
        for n in range(LIST_ALL_UP_TO + MATCHES_SHOWN)
    )  # fmt: skip
    return Unit.objects.create(
        organisation=world.kela, kind="kela_service_unit", name_fi="Kelan palvelupiste Kuopio",
        name_sv="FPA:s servicepunkt Kuopio", search_text="kelan palvelupiste kuopio kela",
    )  # fmt: skip


def _options(body: str) -> list[str]:
    start = body.index('id="id_unit_ids"')
    return body[start : body.index("</select>", start)].split("<option")[1:]


def _post(world, **changes):
    data = {
        "name_fi": "Kumppanuusryhmä",
        "name_sv": "",
        "kind": "partnership_group",
        "organisation_ids": [str(world.kela.public_id), str(world.county.public_id)],
        "chair_unit_id": str(world.social_unit.public_id),
        "unit_search": "",
        "unit_ids": [],
        "refresh": "1",
    }
    return {**data, **changes}


def test_a_large_directory_offers_the_member_organisers_units_not_the_country(
    client, world, country
):
    client.force_login(world.users["social_manager"])
    body = client.get(reverse("cooperation:forum_new")).content.decode()
    options = _options(body)
    county_units = Unit.objects.filter(organisation=world.county, is_active=True)
    assert len(options) == county_units.count() < LIST_ALL_UP_TO
    assert str(country.public_id) not in body and "Sosiaalityö 1<" not in body
    assert str(world.social_unit.public_id) in body


def test_the_unit_search_finds_a_member_unit_and_keeps_the_chosen(client, world, country):
    client.force_login(world.users["social_manager"])
    chosen = [str(world.social_unit.public_id)]
    response = client.post(
        reverse("cooperation:forum_new"),
        _post(world, unit_search="palvelupiste KUOPIO", unit_ids=chosen),
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert f'value="{country.public_id}">' in body
    assert f'value="{world.social_unit.public_id}" selected' in body
    assert len(_options(body)) == 2 and not Forum.objects.exists()


def test_the_search_stays_within_the_member_organisations(client, world, country):
    client.force_login(world.users["social_manager"])
    body = client.post(
        reverse("cooperation:forum_new"), _post(world, unit_search="sosiaalityö 12")
    ).content.decode()
    assert "Sosiaalityö 12<" not in body  # another organiser's, not a member
    members = [
        str(world.kela.public_id),
        str(world.county.public_id),
        str(world.other_county.public_id),
    ]
    body = client.post(
        reverse("cooperation:forum_new"),
        _post(world, unit_search="sosiaalityö 12", organisation_ids=members),
    ).content.decode()
    assert "Sosiaalityö 12<" in body


def test_too_many_matches_ask_for_more_words(client, world, country):
    client.force_login(world.users["social_manager"])
    members = [str(world.kela.public_id), str(world.other_county.public_id)]
    body = client.post(
        reverse("cooperation:forum_new"),
        _post(world, unit_search="etelä-savo", organisation_ids=members),
    ).content.decode()
    assert len(_options(body)) == MATCHES_SHOWN
    assert "Hakua vastaa enemmän yksiköitä kuin luetteloon mahtuu" in body


def test_a_unit_found_is_saved_to_the_forum(client, world, country):
    client.force_login(world.users["social_manager"])
    chosen = [str(world.social_unit.public_id), str(country.public_id)]
    post = _post(world, unit_ids=chosen, unit_search="kuopio")
    del post["refresh"]
    response = client.post(reverse("cooperation:forum_new"), post, headers={"HX-Request": "true"})
    assert response.status_code == 204
    forum = Forum.objects.get()
    assert set(forum.units.all()) == {world.social_unit, country}
