"""A unit manager sets up a regional team in the Finnish UI and finds it in the directory
(issue 11).

The Kuopio adult social work unit's manager opens the regional teams, starts a new team
(their own unit is chosen already), adds Kela Itä, names a municipality that does not
exist: the form comes back through htmx with the reason and everything entered kept.
They correct the municipality, update the list of people to see Kela Itä's, name Kela's
benefit processor as the contact person and create the team. The team page shows the
contact person; the directory's page of Kela Itä lists the team. The form with its error
passes axe (WCAG 2.1 A and AA rules).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, expect

from silta.accounts.roles import Role
from silta.cooperation.models import RegionalTeam
from tests.e2e.conftest import TIMEOUT_MS, Journey
from tests.e2e.test_reflow_a11y import _violations
from tests.factories import make_user

pytestmark = pytest.mark.e2e

TEAM = "Kuopion alueellinen tiimi"
UNKNOWN = "Tuntematon kunta. Anna kunnan nimi tai kolminumeroinen kuntanumero."
CREATED = "Tiimi on perustettu."


def test_a_manager_sets_up_a_team_and_it_shows_in_the_directory(
    live_server: Any, new_context: Any, login: Any, journey: Journey
) -> None:
    world = journey.world
    manager = make_user(world.social_unit, Role.UNIT_MANAGER, "maija.esimies", totp=True)
    manager.first_name, manager.last_name = "Maija", "Esimies"
    manager.save(update_fields=["first_name", "last_name"])
    context: BrowserContext = new_context(bypass_csp=True)  # axe is injected
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    login(page, manager)

    # 1. Regional teams -> New regional team: the manager's own unit is chosen already.
    page.goto(live_server.url + reverse("cooperation:teams"))
    page.get_by_role("link", name="Uusi alueellinen tiimi").click()
    expect(page.locator("h1")).to_have_text("Uusi alueellinen tiimi")
    units = page.locator("#id_unit_ids")
    selected = units.evaluate("s => Array.from(s.selectedOptions).map(o => o.value)")
    assert selected == [str(world.social_unit.public_id)]

    # 2. A municipality that does not exist: the form comes back, the input kept.
    page.locator("#id_name_fi").fill(TEAM)
    units.select_option([str(world.social_unit.public_id), str(world.kela_unit.public_id)])
    page.locator("#id_municipalities").fill("Atlantis")
    page.get_by_role("button", name="Perusta tiimi").click()
    expect(page.locator("#team-form")).to_contain_text(UNKNOWN)
    expect(page.locator("#id_name_fi")).to_have_value(TEAM)
    expect(page.locator("#id_municipalities")).to_have_value("Atlantis")
    selected = units.evaluate("s => Array.from(s.selectedOptions).map(o => o.value)")
    assert sorted(selected) == sorted(
        [str(world.social_unit.public_id), str(world.kela_unit.public_id)]
    )
    assert RegionalTeam.objects.count() == 0
    assert not _violations(page), _violations(page)

    # 3. Kela Itä's people are offered after updating the list; Kaisa Laine is named.
    page.locator("#id_municipalities").fill("Kuopio, Siilinjärvi")
    # The form the refresh brings back replaces this one: wait for it before choosing (the
    # page shown after the error already lists the chosen units' people).
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.get_by_role("button", name="Päivitä henkilöluettelo").click()
    expect(page.locator("#id_municipalities")).to_have_value("Kuopio, Siilinjärvi")
    person = f"{world.kela_unit.public_id}:{journey.kela_user.public_id}"
    expect(page.locator(f"#id_contact_0_person option[value='{person}']")).to_have_count(1)
    page.locator("#id_contact_0_person").select_option(person)
    page.locator("#id_contact_0_role").select_option("contact")
    page.get_by_role("button", name="Perusta tiimi").click()

    # 4. The team page: its contact person; then the directory's page of Kela Itä.
    expect(page).to_have_url(re.compile(r"/cooperation/teams/[0-9a-f-]{36}/$"))
    team = RegionalTeam.objects.get()
    assert page.url.endswith(f"/cooperation/teams/{team.public_id}/")
    expect(page.locator(".message-success")).to_have_text(CREATED)
    expect(page.locator("h1")).to_have_text(TEAM)
    expect(page.locator("[data-testid=contacts]")).to_contain_text("Kaisa Laine")
    assert sorted(m.code for m in team.municipalities.all()) == ["297", "749"]
    page.goto(live_server.url + reverse("directory:unit", args=[world.kela_unit.public_id]))
    panel = page.locator("[data-testid=unit-teams]")
    expect(panel.get_by_role("link", name=TEAM)).to_be_visible()
    expect(panel).to_contain_text("Kaisa Laine")
    context.close()
