"""The directory shows a unit's regional teams (issue 11) through the panel cooperation
registers (``directory.panels``): names on the listing's cards, and on the unit page each
team's contact persons with their reachability now."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from silta.cooperation.tests import scene
from silta.directory.panels import unit_panels
from silta.directory.services import ChannelInput, channel_save, unit_refresh_search_text
from silta.organisations.models import Unit
from tests.factories import browser_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _signed_in_without_totp(settings) -> None:
    settings.SILTA_DEMO_SKIP_TOTP = True


def _browser(world):
    browser = browser_client("en")
    browser.force_login(world.users["kela_other_unit"])
    return browser


def _always_open_phone(unit):
    channel_save(
        user=None,
        unit=unit,
        check_owner=False,
        data=ChannelInput(kind="phone", label_fi="Vaihde", phone="017 182 000", always_open=True),
    )


def test_the_unit_page_shows_its_teams_with_each_contacts_reachability(world):
    coop = scene.build(world)
    _always_open_phone(world.social_unit)
    page = _browser(world).get(reverse("directory:unit", args=[world.kela_unit.public_id]))
    text = page.content.decode()
    assert page.status_code == 200 and 'data-testid="unit-teams"' in text
    assert reverse("cooperation:team", args=[coop.team.public_id]) in text
    assert text.count('data-testid="team-contact"') == 2
    assert world.users["social_worker"].display_name in text
    # Kuopio's contact person is reachable now; Kela Itä has no channel recorded.
    assert 'data-testid="status-open"' in text and "No contact channels recorded." in text


def test_a_unit_in_no_team_shows_no_panel(world):
    scene.build(world)
    page = _browser(world).get(reverse("directory:unit", args=[world.other_social_unit.public_id]))
    assert 'data-testid="unit-teams"' not in page.content.decode()


def test_the_listing_names_each_units_teams(world):
    coop = scene.build(world)
    for unit in Unit.objects.all():
        unit_refresh_search_text(unit)
    page = _browser(world).get(reverse("directory:search"), {"q": "Kuopio"})
    text = page.content.decode()
    assert page.status_code == 200 and text.count('data-testid="unit-teams"') == 2
    assert coop.team.name_fi in text
    assert 'data-testid="team-contact"' not in text  # names only on the cards


def test_the_panel_reads_a_fixed_number_of_queries_whatever_the_units(world):
    scene.build(world)
    now = timezone.now()
    few = [world.kela_unit]
    many = list(Unit.objects.all())
    with CaptureQueriesContext(connection) as one:
        unit_panels(few, now, compact=False)
    with CaptureQueriesContext(connection) as all_units:
        panels = unit_panels(many, now, compact=False)
    assert len(all_units) == len(one)
    assert panels[world.other_social_unit.pk] == []
