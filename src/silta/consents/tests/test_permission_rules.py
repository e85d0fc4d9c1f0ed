"""The predicates of ``consents/permissions.py`` (issue 15, mutation testing), checked
without the database (an ``Actor`` is built from its memberships) so the mutation run can
use this file for every mutant; ``test_permissions.py`` checks the pages and the API."""

from __future__ import annotations

from typing import cast

import pytest
from django.db.models import Q

from silta.accounts.actor import Actor, ActorMembership
from silta.accounts.models import User
from silta.accounts.roles import Perm, Role
from silta.consents.permissions import (
    acting_unit,
    can_record_consent,
    can_revoke_consent,
    can_verify_poa,
    can_view_consents,
    case_worker_roles,
    disclosure_log_filter,
    own_organisation_ids,
    viewing_units,
)


def _actor(*rows: tuple[int, int, str], user: bool = True) -> Actor:
    return Actor(
        user=User(username="u") if user else None,
        memberships=tuple(ActorMembership(u, o, r, False) for u, o, r in rows),
    )


# Units 2 and 1 (in that order) of organisation 10: social workers; unit 3 of organisation
# 30: an administrator, who does no case work.
WORKER = _actor(
    (2, 10, Role.SOCIAL_WORKER), (1, 10, Role.SOCIAL_WORKER), (3, 30, Role.ORGANISATION_ADMIN)
)
ADMIN = _actor((3, 30, Role.ORGANISATION_ADMIN))


def test_consents_are_viewed_by_whoever_looks_clients_up_or_views_cases():
    assert can_view_consents(WORKER) is True
    assert can_view_consents(ADMIN) is False


class _OnePermission:
    """An actor whose roles allow one permission only (no role in today's table does)."""

    def __init__(self, perm: Perm) -> None:
        self.perm = perm

    def can(self, perm: Perm, unit_ids: object = None) -> bool:
        return perm == self.perm


@pytest.mark.parametrize("perm", [Perm.CLIENT_LOOKUP, Perm.CASE_VIEW])
def test_either_looking_clients_up_or_viewing_cases_alone_is_enough_to_view_consents(perm):
    assert can_view_consents(cast(Actor, _OnePermission(perm))) is True


def test_the_viewing_units_are_those_whose_role_looks_up_or_views():
    assert viewing_units(WORKER) == frozenset({1, 2})
    assert viewing_units(ADMIN) == frozenset()


def test_the_acting_unit_is_the_unit_asked_for_when_it_allows_the_permission():
    assert acting_unit(WORKER, Perm.CONSENT_RECORD, 2) == 2  # not the lowest id
    assert acting_unit(WORKER, Perm.CONSENT_RECORD, 3) is None  # the administrator's unit
    assert acting_unit(WORKER, Perm.CONSENT_RECORD, 9) is None  # not the actor's unit


def test_without_a_unit_asked_for_the_acting_unit_is_the_lowest_id_that_allows_it():
    assert acting_unit(WORKER, Perm.CONSENT_RECORD) == 1
    assert acting_unit(ADMIN, Perm.CONSENT_RECORD) is None


def test_the_case_worker_roles_are_every_role_that_views_cases():
    assert case_worker_roles() == [
        Role.KELA_BENEFIT_PROCESSOR,
        Role.KELA_SERVICE_ADVISOR,
        Role.SOCIAL_WORKER,
        Role.SOCIAL_COUNSELLOR,
        Role.SOCIAL_ASSISTANCE_PROCESSOR,
        Role.UNIT_MANAGER,
        Role.INTEGRATION,
    ]


def test_recording_and_revoking_follow_the_role_table():
    assert can_record_consent(WORKER) is True
    assert can_revoke_consent(WORKER) is True
    assert can_record_consent(ADMIN) is False
    assert can_revoke_consent(ADMIN) is False


def test_a_power_of_attorney_is_verified_by_a_named_worker_whose_role_verifies():
    assert can_verify_poa(WORKER) is True
    assert can_verify_poa(ADMIN) is False  # a named person, but the role does not verify
    keyless = _actor((1, 10, Role.UNIT_MANAGER), user=False)  # the role verifies, nobody named
    assert keyless.can(Perm.POA_VERIFY)
    assert can_verify_poa(keyless) is False


def test_the_own_organisations_are_those_of_the_units_that_view_cases():
    assert own_organisation_ids(WORKER) == frozenset({10})  # not the administrator's 30
    assert own_organisation_ids(ADMIN) == frozenset()


def test_the_disclosure_log_shows_rows_the_own_organisations_disclosed_or_received():
    own = frozenset({10})
    assert disclosure_log_filter(WORKER) == Q(discloser_organisation_id__in=own) | Q(
        recipient_organisation_id__in=own
    )
