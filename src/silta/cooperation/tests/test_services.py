"""Teams (reachability, versioned routines), forum visibility, identity-code refusal and
the decision search."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import translation

from silta.api_keys.services import api_key_issue
from silta.audit.models import AuditEvent
from silta.cooperation import selectors, services
from silta.cooperation.models import AgendaItem, TeamRoutine
from silta.cooperation.privacy import looks_like_identity_code
from silta.cooperation.tests.scene import build, move, propose
from silta.core.errors import Conflict, Forbidden, Invalid, NotFound
from silta.directory.hours import TimeRange
from silta.directory.services import ChannelInput, channel_save
from silta.reference.models import Municipality

pytestmark = pytest.mark.django_db
HELSINKI = zoneinfo.ZoneInfo("Europe/Helsinki")
MONDAY_10 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=HELSINKI)
MONDAY_18 = dt.datetime(2026, 3, 2, 18, 0, tzinfo=HELSINKI)


@pytest.fixture
def coop(world):
    return build(world)


# --- identity codes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["Asiakas 010594Y9032 soitti", "020594x903p", "ks. 010501E9032.", "(311299-999X)", "1905+123A"],
)
def test_identity_code_shapes_are_recognised(text):
    assert looks_like_identity_code(text) == ("1905+123A" not in text)


@pytest.mark.parametrize(
    "text", ["Puhelin 020 692 200", "Ohje 2026-03-02", "Dnro 123456-789", "991399-123A"]
)
def test_ordinary_text_is_not_an_identity_code(text):
    assert not looks_like_identity_code(text)


@pytest.mark.parametrize("field", ["title", "description"])
def test_a_proposal_with_an_identity_code_is_refused_and_nothing_saved(world, forum, field):
    values = {"title": "Ohje", "description": "Kuvaus", "topic": "guidelines"}
    values[field] = "Koskee asiakasta 010594Y9032"
    with pytest.raises(Invalid) as refused:
        services.item_propose(
            actor=world.actor("kela_processor"), forum=forum, data=services.ProposeInput(**values)
        )
    assert (refused.value.code, refused.value.field) == ("identity_code_refused", field)
    with translation.override("sv"):
        assert "personbeteckning" in str(refused.value.message)
    assert not AgendaItem.objects.exists()


def test_a_decision_or_routines_with_an_identity_code_are_refused(world, coop):
    item = coop.items["discussed"]
    with pytest.raises(Invalid):
        move(world, item, "decide", decision="Päätös 020594X903P")
    assert AgendaItem.objects.get(pk=item.pk).status == "discussed"
    with pytest.raises(Invalid):
        services.team_routines_save(
            actor=world.actor("social_worker"),
            team=coop.team,
            data=services.RoutinesInput(text="Soita 030594W903B"),
        )
    assert not TeamRoutine.objects.exists()


def test_the_web_form_shows_the_translated_refusal(client, world, forum, settings):
    settings.SILTA_DEMO_SKIP_TOTP = True
    client.force_login(world.users["kela_processor"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"
    response = client.post(
        reverse("cooperation:propose", args=[forum.public_id]),
        {"title": "Ohje", "description": "Asiakas 010594Y9032", "topic": "guidelines"},
    )
    assert response.status_code == 400
    assert "henkilötunnukselta" in response.content.decode()
    assert not AgendaItem.objects.exists()


def test_the_api_refuses_an_identity_code_as_json(client, world, forum):
    key = api_key_issue(unit=world.kela_unit, name="kela").plaintext
    response = client.post(
        f"/api/v1/forums/{forum.public_id}/items",
        data={"title": "Ohje", "description": "010594Y9032", "topic": "guidelines"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "identity_code_refused"
    assert not AgendaItem.objects.exists()


# --- forums: who sees and proposes ---------------------------------------------------------


def test_only_member_organisations_see_a_forum(world, coop):
    assert selectors.visible_forums(actor=world.actor("kela_other_unit")) == [coop.forum]
    assert selectors.visible_forums(actor=world.actor("social_other_org")) == []
    assert selectors.visible_forums(actor=world.actor("kela_admin")) == []
    with pytest.raises(NotFound):
        selectors.forum_get(actor=world.actor("social_other_org"), forum_id=coop.forum.public_id)
    with pytest.raises(NotFound):
        selectors.item_get(
            actor=world.actor("social_other_org"), item_id=coop.items["decided"].public_id
        )
    denied = AuditEvent.objects.filter(action="denied", user=world.users["social_other_org"])
    assert denied.count() == 2


def test_a_proposal_records_the_proposing_side(world, forum):
    kela = propose(world, forum, "kela_processor", "Ohjemuutos")
    social = propose(world, forum, "social_same_org_other_unit", "Vuokravakuudet")
    assert (kela.side, kela.proposing_unit) == ("kela", world.kela_unit)
    assert (social.side, social.proposing_unit) == ("social_services", world.social_unit2)
    assert kela.status == social.status == "proposed"


def test_outside_organisations_cannot_propose(world, forum):
    with pytest.raises(Forbidden):
        propose(world, forum, "social_other_org", "Ei jäsen")
    assert not AgendaItem.objects.exists()


# --- decisions ----------------------------------------------------------------------------


def test_decision_search_finds_decided_items_of_the_members_only(world, coop):
    decided = coop.items["decided"]
    actor = world.actor("social_worker")
    assert list(selectors.decisions_search(actor=actor).items) == [decided]
    assert list(selectors.decisions_search(actor=actor, query="OHJEMUUTOKSISTA").items) == [decided]
    assert list(selectors.decisions_search(actor=actor, query="kuukautta tiedottaa").items) == [
        decided
    ]
    assert list(selectors.decisions_search(actor=actor, query="vuokravakuus").items) == []
    outsider = world.actor("social_other_org")
    assert list(selectors.decisions_search(actor=outsider, query="").items) == []
    with pytest.raises(Invalid) as refused:
        selectors.decisions_search(actor=actor, query="010594Y9032")
    assert refused.value.code == "identity_code_refused"


def test_done_decisions_stay_searchable_and_proposals_are_not_decisions(world, coop):
    services.followup_done(actor=world.actor("kela_manager"), action=coop.action)
    done = move(world, coop.items["decided"], "complete")
    found = selectors.decisions_search(actor=world.actor("kela_processor"), query="Asia")
    assert [i.pk for i in found.items] == [done.pk]


# --- teams ---------------------------------------------------------------------------------


def test_team_list_filters_by_municipality(world, coop):
    kuopio, vantaa = Municipality.objects.get(code="297"), Municipality.objects.get(code="092")
    assert list(selectors.teams_list(municipality=kuopio).items) == [coop.team]
    assert list(selectors.teams_list(municipality=vantaa).items) == []
    assert list(selectors.teams_list(unit=world.social_unit2).items) == [coop.team]
    assert list(selectors.teams_list(unit=world.other_social_unit).items) == []


def test_team_page_shows_each_contact_reachable_now_or_not(world, coop):
    office: dict[int, tuple[TimeRange, ...]] = {
        d: (TimeRange.of(dt.time(9), dt.time(16)),) for d in range(5)
    }
    channel_save(
        user=None,
        unit=world.social_unit,
        check_owner=False,
        data=ChannelInput(kind="phone", phone="017 182 000", weekly=office),
    )
    open_page = selectors.team_page(team=coop.team, now=MONDAY_10)
    reach = {card.contact.user.username: card.reach.open_now for card in open_page.contacts}
    # Kuopio's phone line is open on Monday at 10; Kela Itä has no channel recorded.
    assert reach == {"social_worker": True, "kela_processor": False}
    closed_page = selectors.team_page(team=coop.team, now=MONDAY_18)
    assert {c.reach.open_now for c in closed_page.contacts} == {False}
    status = closed_page.units[1].channels[0].status
    assert status is not None and status.next_opens_at is not None
    # Kela's units first, then the organiser's.
    assert open_page.units[0].unit == world.kela_unit


def test_routines_are_versioned_and_earlier_versions_kept(world, coop):
    first = services.team_routines_save(
        actor=world.actor("social_worker"),
        team=coop.team,
        data=services.RoutinesInput(text="Soitamme maanantaisin", based_on_version=0),
    )
    second = services.team_routines_save(
        actor=world.actor("kela_processor"),
        team=coop.team,
        data=services.RoutinesInput(text="Soitamme tiistaisin", based_on_version=1),
    )
    assert (first.version, second.version) == (1, 2)
    page = selectors.team_page(team=coop.team)
    assert page.routines == second and page.history == [second, first]
    assert TeamRoutine.objects.get(pk=first.pk).text == "Soitamme maanantaisin"
    assert (second.created_by_label, second.created_by_unit) == (
        world.users["kela_processor"].display_name,
        world.kela_unit,
    )
    with pytest.raises(Conflict):
        services.team_routines_save(
            actor=world.actor("social_worker"),
            team=coop.team,
            data=services.RoutinesInput(text="Vanha sivu", based_on_version=1),
        )
    assert TeamRoutine.objects.count() == 2


def test_only_the_teams_units_keep_its_routines(world, coop):
    with pytest.raises(Forbidden):
        services.team_routines_save(
            actor=world.actor("kela_other_unit"),
            team=coop.team,
            data=services.RoutinesInput(text="Ei tiimissä"),
        )
    assert not TeamRoutine.objects.exists()


def test_the_team_page_renders_contacts_routines_and_status(client, world, coop, settings):
    settings.SILTA_DEMO_SKIP_TOTP = True
    channel_save(
        user=None,
        unit=world.social_unit,
        check_owner=False,
        data=ChannelInput(kind="phone", phone="017 182 000", always_open=True),
    )
    client.force_login(world.users["social_other_org"])
    response = client.get(reverse("cooperation:team", args=[coop.team.public_id]))
    body = response.content.decode()
    assert response.status_code == 200
    assert world.users["social_worker"].display_name in body
    assert 'data-testid="status-open"' in body
