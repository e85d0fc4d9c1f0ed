"""The shared-case predicates of ``exchange/permissions.py`` (issue 15, mutation testing).

Referrals have no permission module of their own: a referral is seen and acted on through
its case, with these predicates. Each is checked here without the database (an ``Actor`` is
built from its memberships), so the mutation run can use this file for every mutant; the
permission matrices (``test_permissions.py``) check the pages and the API.
"""

from __future__ import annotations

from django.db.models import Q

from silta.accounts.actor import Actor, ActorMembership
from silta.accounts.models import User
from silta.accounts.roles import Perm, Role
from silta.exchange.models import Case
from silta.exchange.permissions import (
    acting_unit_for_case,
    can_name_own_worker,
    can_on_case,
    case_filter,
    visible_cases,
)


def _actor(*rows: tuple[int, int, str, bool]) -> Actor:
    return Actor(user=User(username="u"), memberships=tuple(ActorMembership(*r) for r in rows))


# Unit 1: a social worker (social services); unit 2: an administrator (no case work);
# unit 3: a Kela service advisor (views cases, opens none).
WORKER = _actor((1, 10, Role.SOCIAL_WORKER, False), (2, 10, Role.ORGANISATION_ADMIN, False))
ADVISOR = _actor((3, 20, Role.KELA_SERVICE_ADVISOR, True), (1, 10, Role.SOCIAL_WORKER, False))


def test_a_case_is_seen_when_either_party_is_a_unit_whose_role_views_cases():
    units = frozenset({1})
    assert case_filter(WORKER) == Q(kela_unit_id__in=units) | Q(social_unit_id__in=units)
    assert case_filter(ADVISOR) == Q(kela_unit_id__in=frozenset({1, 3})) | Q(
        social_unit_id__in=frozenset({1, 3})
    )


def test_the_case_filter_takes_the_permission_asked_for():
    opening = frozenset({1})  # the advisor's unit 3 views cases but opens none
    assert case_filter(ADVISOR, Perm.CASE_OPEN) == Q(kela_unit_id__in=opening) | Q(
        social_unit_id__in=opening
    )


def test_visible_cases_are_the_cases_of_the_filter():
    cases = visible_cases(ADVISOR, Perm.CASE_OPEN)
    assert cases.model is Case
    expected = Case.objects.filter(case_filter(ADVISOR, Perm.CASE_OPEN))
    assert cases.query.where == expected.query.where
    assert (
        visible_cases(ADVISOR).query.where == Case.objects.filter(case_filter(ADVISOR)).query.where
    )


def test_the_acting_unit_is_the_actors_party_unit_that_allows_the_permission():
    case = Case(kela_unit_id=3, social_unit_id=1)
    assert acting_unit_for_case(ADVISOR, case, Perm.CASE_VIEW) == 3  # the Kela party first
    assert acting_unit_for_case(ADVISOR, case, Perm.CASE_OPEN) == 1  # 3 may not open
    assert (
        acting_unit_for_case(WORKER, Case(kela_unit_id=3, social_unit_id=2), Perm.CASE_VIEW) is None
    )
    assert (
        acting_unit_for_case(WORKER, Case(kela_unit_id=5, social_unit_id=6), Perm.CASE_VIEW) is None
    )


def test_acting_on_a_case_needs_an_acting_unit():
    assert can_on_case(WORKER, Case(kela_unit_id=3, social_unit_id=1), Perm.CASE_VIEW) is True
    assert can_on_case(WORKER, Case(kela_unit_id=3, social_unit_id=2), Perm.CASE_VIEW) is False
    assert can_on_case(ADVISOR, Case(kela_unit_id=3, social_unit_id=2), Perm.CASE_OPEN) is False


def test_the_clients_own_worker_is_named_by_a_social_unit_that_opens_cases():
    assert can_name_own_worker(WORKER, 1) is True
    assert can_name_own_worker(WORKER, 2) is False  # an administrator opens no case
    assert can_name_own_worker(WORKER, 4) is False  # not the actor's unit


def test_kela_names_no_own_worker_even_where_it_opens_cases():
    processor = _actor((5, 20, Role.KELA_BENEFIT_PROCESSOR, True))
    assert 5 in processor.units_with(Perm.CASE_OPEN)
    assert can_name_own_worker(processor, 5) is False
    assert can_name_own_worker(ADVISOR, 3) is False
