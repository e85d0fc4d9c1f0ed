"""The demo's cooperation: a Kuopio team and a cooperation group run from both sides."""

from __future__ import annotations

import pytest
from django.urls import reverse

from silta.cooperation import demo, selectors
from silta.cooperation.models import AgendaItem, Forum, RegionalTeam

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_a_team_and_a_forum_in_several_states(world):
    units = {
        "kela_east": world.kela_unit,
        "kuopio_adult": world.social_unit,
        "psavo_assistance": world.social_unit2,
    }
    users = {
        "kela.esihenkilo": world.users["kela_manager"],
        "kela.kasittelija": world.users["kela_processor"],
        "sos.tyontekija": world.users["social_worker"],
        "sos.johtaja": world.users["social_manager"],
        "sos.etuus": world.users["social_same_org_other_unit"],
    }
    demo.seed(units, users)
    team = RegionalTeam.objects.get()
    page = selectors.team_page(team=team)
    assert len(page.contacts) == 5 and page.version == 1
    forum = Forum.objects.get()
    states = sorted(AgendaItem.objects.filter(forum=forum).values_list("status", "side"))
    assert states == [
        ("decided", "kela"),
        ("proposed", "social_services"),
        ("scheduled", "social_services"),
    ]
    decided = selectors.decisions_search(actor=world.actor("kela_advisor"), query="tiedottaa")
    assert len(decided.items) == 1 and decided.items[0].actions.count() == 1


def test_the_demos_managers_reach_the_set_up_pages(client, world, settings):
    """The logins ``demo_logins`` prints for the set-up pages open them."""
    settings.SILTA_DEMO_SKIP_TOTP = True
    units = {
        "kela_east": world.kela_unit,
        "kuopio_adult": world.social_unit,
        "psavo_assistance": world.social_unit2,
    }
    users = {
        "kela.esihenkilo": world.users["kela_manager"],
        "kela.kasittelija": world.users["kela_processor"],
        "sos.tyontekija": world.users["social_worker"],
        "sos.johtaja": world.users["social_manager"],
        "sos.etuus": world.users["social_same_org_other_unit"],
    }
    demo.seed(units, users)
    team, forum = RegionalTeam.objects.get(), Forum.objects.get()
    assert "sos.johtaja" in demo.SETUP_LOGINS[0] and "kela.esihenkilo" in demo.SETUP_LOGINS[0]
    for user, pages in (
        ("social_manager", ["team_new", "forum_new", ("team_edit", team), ("forum_edit", forum)]),
        ("kela_manager", ["team_new", "forum_new", ("team_edit", team)]),
    ):
        client.force_login(world.users[user])
        for page in pages:
            name, obj = page if isinstance(page, tuple) else (page, None)
            args = [obj.public_id] if obj else []
            assert client.get(reverse(f"cooperation:{name}", args=args)).status_code == 200
    client.force_login(world.users["social_worker"])
    assert client.get(reverse("cooperation:team_edit", args=[team.public_id])).status_code == 403
