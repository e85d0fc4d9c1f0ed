"""Setting teams and forums up by staff: who may, what a team and a forum must hold, the
audit rows, the htmx form that keeps its input on an error, and the API's same path."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from silta.api_keys.services import api_key_issue
from silta.audit.models import AuditEvent
from silta.cooperation import selectors
from silta.cooperation.models import Forum, RegionalTeam, TeamContact
from silta.cooperation.setup_services import (
    ContactInput,
    ForumInput,
    TeamInput,
    forum_create,
    forum_update,
    team_create,
    team_update,
)
from silta.core.errors import Forbidden, Invalid

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _signed_in_is_verified(settings):
    # The TOTP sign-in is tested elsewhere: here a forced login counts as verified.
    settings.SILTA_DEMO_SKIP_TOTP = True


def _team_input(world, **changes) -> TeamInput:
    values = {
        "name_fi": "Kuopion tiimi",
        "name_sv": "Kuopios team",
        "unit_ids": [world.kela_unit.public_id, world.social_unit.public_id],
        "municipalities": ["Kuopio", "749"],
        "contacts": [
            ContactInput(
                user_id=world.users["social_worker"].public_id,
                unit_id=world.social_unit.public_id,
                role="contact",
            )
        ],
    }
    return TeamInput(**{**values, **changes})


def _forum_input(world, chair, **changes) -> ForumInput:
    values = {
        "name_fi": "Kumppanuusryhmä",
        "kind": "partnership_group",
        "organisation_ids": [world.kela.public_id, world.county.public_id],
        "unit_ids": [world.kela_unit.public_id],
        "chair_unit_id": chair.public_id,
    }
    return ForumInput(**{**values, **changes})


# --- teams -----------------------------------------------------------------------------------


def test_a_manager_creates_a_team_of_both_sides_with_contacts_and_it_is_audited(world):
    team = team_create(actor=world.actor("social_manager"), data=_team_input(world))
    assert {u.pk for u in team.units.all()} == {world.kela_unit.pk, world.social_unit.pk}
    assert sorted(m.code for m in team.municipalities.all()) == ["297", "749"]
    (contact,) = TeamContact.objects.filter(team=team)
    assert (contact.user, contact.unit, contact.role) == (
        world.users["social_worker"],
        world.social_unit,
        "contact",
    )
    assert team.name_sv == "Kuopios team"
    event = AuditEvent.objects.get(action="create", object_id=str(team.public_id))
    assert event.unit == world.social_unit and event.user == world.users["social_manager"]


def test_the_new_team_is_listed_by_its_municipality_and_unit(world):
    team = team_create(actor=world.actor("kela_manager"), data=_team_input(world))
    kuopio = team.municipalities.get(code="297")
    assert list(selectors.teams_list(municipality=kuopio).items) == [team]
    assert selectors.unit_teams(unit=world.social_unit) == [team]


@pytest.mark.parametrize(
    "key", ["kela_processor", "social_worker", "kela_admin", "social_admin", "kela_other_unit"]
)
def test_only_a_manager_sets_a_team_up(world, key):
    with pytest.raises(Forbidden):
        team_create(actor=world.actor(key), data=_team_input(world))
    assert not RegionalTeam.objects.exists()
    assert AuditEvent.objects.filter(action="denied", user=world.users[key]).count() == 1


def test_another_organisations_manager_cannot_set_up_a_team_without_their_own_unit(world):
    with pytest.raises(Invalid) as refused:
        team_create(actor=world.actor("social_other_org_manager"), data=_team_input(world))
    assert refused.value.code == "team_own_unit"
    assert not RegionalTeam.objects.exists()


def test_another_organisations_manager_cannot_edit_the_team(world):
    team = team_create(actor=world.actor("social_manager"), data=_team_input(world))
    with pytest.raises(Forbidden):
        team_update(
            actor=world.actor("social_other_org_manager"),
            team=team,
            data=_team_input(world, name_fi="Vallattu"),
        )
    team.refresh_from_db()
    assert team.name_fi == "Kuopion tiimi"


def test_the_kela_manager_of_a_member_unit_edits_the_team_and_its_contacts(world):
    team = team_create(actor=world.actor("social_manager"), data=_team_input(world))
    contacts = [
        ContactInput(
            user_id=world.users["kela_processor"].public_id,
            unit_id=world.kela_unit.public_id,
            role="deputy",
        )
    ]
    team_update(
        actor=world.actor("kela_manager"),
        team=team,
        data=_team_input(
            world,
            name_fi="Kuopion ja Siilinjärven tiimi",
            unit_ids=[
                world.kela_unit.public_id,
                world.social_unit.public_id,
                world.social_unit2.public_id,
            ],
            contacts=contacts,
        ),
    )
    team.refresh_from_db()
    assert team.name_fi == "Kuopion ja Siilinjärven tiimi"
    assert team.units.count() == 3
    assert list(team.contacts.values_list("user__username", "role")) == [
        ("kela_processor", "deputy")
    ]
    event = AuditEvent.objects.get(action="update", object_id=str(team.public_id))
    assert event.unit == world.kela_unit and event.detail["contacts"] == 1


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"name_fi": " "}, "name_required"),
        ({"name_fi": "Tiimi 010594Y9032"}, "identity_code_refused"),
        ({"unit_ids": []}, "team_needs_both_sides"),
        ({"unit_ids": ["social_unit", "social_unit2"]}, "team_needs_both_sides"),
        ({"municipalities": []}, "municipality_required"),
        ({"municipalities": ["Atlantis"]}, "municipality_unknown"),
        ({"municipalities": ["Maarianhamina"]}, "municipality_aland"),
        ({"contacts": [("kela_other_unit", "kela_unit2", "contact")]}, "contact_not_in_team"),
        ({"contacts": [("kela_admin", "kela_unit", "contact")]}, "contact_not_in_team"),
        ({"contacts": [("social_worker", "social_unit", "boss")]}, "contact_role"),
        (
            {
                "contacts": [
                    ("social_worker", "social_unit", "contact"),
                    ("social_worker", "social_unit", "deputy"),
                ]
            },
            "contact_duplicate",
        ),
    ],
)
def test_a_bad_team_is_refused_with_a_reason_and_nothing_saved(world, changes, code):
    if "unit_ids" in changes:
        changes["unit_ids"] = [getattr(world, name).public_id for name in changes["unit_ids"]]
    if "contacts" in changes:
        changes["contacts"] = [
            ContactInput(
                user_id=world.users[user].public_id,
                unit_id=getattr(world, unit).public_id,
                role=role,
            )
            for user, unit, role in changes["contacts"]
        ]
    with pytest.raises(Invalid) as refused:
        team_create(actor=world.actor("kela_manager"), data=_team_input(world, **changes))
    assert refused.value.code == code
    assert not RegionalTeam.objects.exists() and not TeamContact.objects.exists()


# --- forums ----------------------------------------------------------------------------------


def test_the_organiser_creates_a_forum_of_both_sides_chaired_from_their_unit(world):
    forum = forum_create(
        actor=world.actor("kela_manager"), data=_forum_input(world, world.kela_unit)
    )
    assert forum.chair_unit == world.kela_unit and forum.kind == "partnership_group"
    assert set(forum.organisations.all()) == {world.kela, world.county}
    assert forum.name_sv == "Kumppanuusryhmä"  # the Finnish name when none in Swedish
    assert AuditEvent.objects.filter(action="create", object_id=str(forum.public_id)).count() == 1
    # Both sides' staff see it; the other county's do not.
    assert forum in selectors.visible_forums(actor=world.actor("social_worker"))
    assert forum not in selectors.visible_forums(actor=world.actor("social_other_org"))


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"kind": "party"}, "kind_required"),
        ({"organisation_ids": ["county", "other_county"]}, "forum_needs_both_sides"),
        ({"organisation_ids": ["kela"]}, "forum_needs_both_sides"),
        ({"chair_unit_id": "social_unit"}, "chair_unit_own"),
        ({"chair_unit_id": None}, "chair_unit_own"),
        ({"unit_ids": ["other_social_unit"]}, "unit_not_member"),
        ({"name_fi": ""}, "name_required"),
    ],
)
def test_a_bad_forum_is_refused_with_a_reason_and_nothing_saved(world, changes, code):
    for name in ("organisation_ids", "unit_ids"):
        if name in changes:
            changes[name] = [getattr(world, n).public_id for n in changes[name]]
    if changes.get("chair_unit_id"):
        changes["chair_unit_id"] = getattr(world, changes["chair_unit_id"]).public_id
    with pytest.raises(Invalid) as refused:
        forum_create(
            actor=world.actor("kela_manager"),
            data=_forum_input(world, world.kela_unit, **changes),
        )
    assert refused.value.code == code
    assert not Forum.objects.exists()


def test_the_chair_unit_s_organisation_must_be_a_member(world):
    with pytest.raises(Invalid) as refused:
        forum_create(
            actor=world.actor("social_other_org_manager"),
            data=_forum_input(world, world.other_social_unit),
        )
    assert refused.value.code == "chair_not_member"


@pytest.mark.parametrize("key", ["social_worker", "kela_processor", "social_admin"])
def test_only_an_organiser_sets_a_forum_up(world, key):
    with pytest.raises(Forbidden):
        forum_create(actor=world.actor(key), data=_forum_input(world, world.social_unit))
    assert not Forum.objects.exists()


def test_only_the_chair_edits_the_forum(world):
    forum = forum_create(
        actor=world.actor("social_manager"), data=_forum_input(world, world.social_unit)
    )
    with pytest.raises(Forbidden):
        forum_update(
            actor=world.actor("kela_manager"),
            forum=forum,
            data=_forum_input(world, world.kela_unit, name_fi="Kelan ryhmä"),
        )
    forum_update(
        actor=world.actor("social_manager"),
        forum=forum,
        data=_forum_input(world, world.social_unit, kind="working_group"),
    )
    forum.refresh_from_db()
    assert forum.kind == "working_group" and forum.name_fi == "Kumppanuusryhmä"


# --- the page and the API ----------------------------------------------------------------------


def _team_post(world, **changes) -> dict[str, object]:
    worker = world.users["social_worker"].public_id
    data: dict[str, object] = {
        "name_fi": "Sivulta luotu tiimi",
        "name_sv": "",
        "unit_ids": [str(world.kela_unit.public_id), str(world.social_unit.public_id)],
        "municipalities": "Kuopio",
        "contact_0_person": f"{world.social_unit.public_id}:{worker}",
        "contact_0_role": "contact",
        "contact_1_person": "",
        "contact_1_role": "contact",
    }
    return {**data, **changes}


def test_the_htmx_form_keeps_the_input_on_an_error(client, world):
    client.force_login(world.users["social_manager"])
    response = client.post(
        reverse("cooperation:team_new"),
        _team_post(world, municipalities="Atlantis"),
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200  # htmx swaps the form back in
    assert 'id="team-form"' in body and "<html" not in body
    assert "Sivulta luotu tiimi" in body and "Atlantis" in body
    assert f'value="{world.kela_unit.public_id}" selected' in body
    person = f"{world.social_unit.public_id}:{world.users['social_worker'].public_id}"
    assert f'value="{person}" selected' in body
    assert not RegionalTeam.objects.exists()


def test_a_plain_post_with_an_error_gets_the_page_400_and_a_good_one_goes_to_the_team(
    client, world
):
    client.force_login(world.users["social_manager"])
    failed = client.post(reverse("cooperation:team_new"), _team_post(world, unit_ids=[]))
    assert failed.status_code == 400 and "<html" in failed.content.decode()
    response = client.post(
        reverse("cooperation:team_new"), _team_post(world), headers={"HX-Request": "true"}
    )
    team = RegionalTeam.objects.get()
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("cooperation:team", args=[team.public_id])
    assert team.contacts.get().user == world.users["social_worker"]


def test_updating_the_people_saves_nothing_and_offers_the_chosen_units_people(client, world):
    client.force_login(world.users["kela_manager"])
    response = client.post(
        reverse("cooperation:team_new"),
        _team_post(world, refresh="1", unit_ids=[str(world.social_unit2.public_id)]),
    )
    body = response.content.decode()
    assert response.status_code == 200 and not RegionalTeam.objects.exists()
    people = f"{world.social_unit2.public_id}:{world.users['social_same_org_other_unit'].public_id}"
    assert people in body
    assert f"{world.kela_unit.public_id}:{world.users['kela_processor'].public_id}" not in body


def test_the_api_sets_a_team_and_a_forum_up_with_the_key_of_a_member_unit(client, world):
    issued = api_key_issue(unit=world.kela_unit, name="Kelan järjestelmä")
    headers = {"Authorization": f"Bearer {issued.plaintext}"}
    body = {
        "name_fi": "API-tiimi",
        "unit_ids": [str(world.kela_unit.public_id), str(world.social_unit.public_id)],
        "municipalities": ["297"],
        "contacts": [
            {
                "user_id": str(world.users["kela_processor"].public_id),
                "unit_id": str(world.kela_unit.public_id),
                "role": "manager",
            }
        ],
    }
    created = client.post(
        "/api/v1/teams", json.dumps(body), content_type="application/json", headers=headers
    )
    assert created.status_code == 201, created.content
    assert created.json()["municipalities"] == ["297"]
    bad = client.post(
        "/api/v1/teams",
        json.dumps({**body, "unit_ids": [str(world.kela_unit.public_id)]}),
        content_type="application/json",
        headers=headers,
    )
    assert bad.status_code == 400 and bad.json()["code"] == "team_needs_both_sides"
    forum = client.post(
        "/api/v1/forums",
        json.dumps(
            {
                "name_fi": "Ohjausryhmä",
                "kind": "steering_group",
                "organisation_ids": [str(world.kela.public_id), str(world.county.public_id)],
                "chair_unit_id": str(world.kela_unit.public_id),
            }
        ),
        content_type="application/json",
        headers=headers,
    )
    assert forum.status_code == 201, forum.content
    assert forum.json()["chair_unit"]["id"] == str(world.kela_unit.public_id)


def test_a_team_with_more_contacts_than_a_page_can_hold_is_refused(world):
    contact = ContactInput(
        user_id=world.users["social_worker"].public_id, unit_id=world.social_unit.public_id
    )
    with pytest.raises(Invalid) as refused:
        team_create(
            actor=world.actor("kela_manager"), data=_team_input(world, contacts=[contact] * 51)
        )
    assert (refused.value.code, refused.value.field) == ("too_many", "contacts")
