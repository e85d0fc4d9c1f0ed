"""The predicates of ``cooperation/permissions.py`` (issue 15, mutation testing), checked
without the database (an ``Actor`` is built from its memberships) so the mutation run can
use this file for every mutant; ``test_permissions.py`` checks the pages and the API."""

from __future__ import annotations

from django.db.models import Q

from silta.accounts.actor import Actor, ActorMembership
from silta.accounts.models import User
from silta.accounts.roles import Role
from silta.cooperation.permissions import (
    can_chair,
    can_create_forum,
    can_create_team,
    can_manage_team,
    can_mark_action_done,
    forum_filter,
    forum_organiser_units,
    proposing_unit,
    routines_unit,
    team_manager_units,
)


def _actor(*rows: tuple[int, int, str]) -> Actor:
    return Actor(
        user=User(username="u"),
        memberships=tuple(ActorMembership(u, o, r, False) for u, o, r in rows),
    )


# Organisation 10: social workers in units 3 and 2, an administrator in unit 4 (no
# cooperation); organisation 20: the manager of unit 1 (chairs, sets teams up).
MEMBER = _actor(
    (3, 10, Role.SOCIAL_WORKER), (2, 10, Role.SOCIAL_WORKER), (4, 10, Role.ORGANISATION_ADMIN)
)
MANAGER = _actor((1, 20, Role.UNIT_MANAGER), (5, 30, Role.ORGANISATION_ADMIN))
ADMIN = _actor((4, 10, Role.ORGANISATION_ADMIN))


def test_the_forums_seen_are_the_active_ones_of_the_organisations_that_cooperate():
    assert forum_filter(MEMBER) == Q(organisations__in=frozenset({10}), is_active=True)
    assert forum_filter(MANAGER) == Q(organisations__in=frozenset({20}), is_active=True)
    assert forum_filter(ADMIN) == Q(organisations__in=frozenset(), is_active=True)


def test_the_proposing_unit_is_the_lowest_cooperating_unit_of_a_member_organisation():
    assert proposing_unit(MEMBER, {10, 99}) == 2
    assert proposing_unit(MEMBER, {20}) is None
    assert proposing_unit(ADMIN, {10}) is None  # a member organisation, no cooperation role
    assert proposing_unit(MANAGER, {20, 30}) == 1  # not unit 5, whose role does not cooperate


def test_the_chair_is_a_manager_of_the_chair_unit():
    assert can_chair(MANAGER, 1) is True
    assert can_chair(MANAGER, 5) is False
    assert can_chair(MEMBER, 2) is False  # cooperates, but does not chair


def test_an_action_is_marked_done_by_its_owner_unit_or_by_the_chair():
    assert can_mark_action_done(MEMBER, 2, 1) is True  # the owner
    assert can_mark_action_done(MANAGER, 7, 1) is True  # the chair
    assert can_mark_action_done(MEMBER, 7, 1) is False
    assert can_mark_action_done(MEMBER, 4, 8) is False  # the administrator's unit owns it


def test_the_routines_unit_is_the_lowest_cooperating_unit_in_the_team():
    assert routines_unit(MEMBER, {3, 9}) == 3
    assert routines_unit(MEMBER, {1, 2, 3}) == 2
    assert routines_unit(MEMBER, {4, 9}) is None


def test_teams_are_set_up_and_kept_by_the_managers_of_their_units():
    assert team_manager_units(MANAGER) == frozenset({1})
    assert team_manager_units(MEMBER) == frozenset()
    assert can_create_team(MANAGER) is True
    assert can_create_team(MEMBER) is False
    assert can_manage_team(MANAGER, {1, 2}) is True
    assert can_manage_team(MANAGER, {2, 5}) is False
    assert can_manage_team(MEMBER, {2, 3}) is False


def test_forums_are_organised_by_the_managers_of_a_chair_unit():
    assert forum_organiser_units(MANAGER) == frozenset({1})
    assert forum_organiser_units(MEMBER) == frozenset()
    assert can_create_forum(MANAGER) is True
    assert can_create_forum(MEMBER) is False
