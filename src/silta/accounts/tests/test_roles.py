"""The role table pinned cell by cell, and roles failing closed.

Expected values are written out by hand from the README and DOMAIN.md; they are not read
from ``silta.accounts.roles``.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from silta.accounts.actor import Actor, ActorMembership
from silta.accounts.models import Membership
from silta.accounts.roles import ROLE_ORGANISATION_KINDS, Perm, Role, role_allows
from silta.organisations.models import Organisation, Unit

CASEWORK = {
    "client_lookup",
    "client_create",
    "case_open",
    "case_view",
    "message_send",
    "attachment_download",
    "thread_claim",
    "callback_request",
    "callback_handle",
    # issue 9: consents and powers of attorney are recorded by the caseworkers
    "consent_record",
    "consent_revoke",
    "poa_verify",
    # issue 11: meetings on the unit's cases (tripartite, network, case conference)
    "meeting_organise",
    # issue 11: regional teams and cooperation forums (not client data)
    "cooperation",
    # issue 12: the division-of-labour guide and guideline-change bulletins
    "knowledge_read",
}
# issue 12: people doing case work draft guide entries and review the other side's
GUIDE_WORK = CASEWORK | {"knowledge_edit"}
PERMISSIONS = {
    "kela_benefit_processor": GUIDE_WORK,
    # Service advisors follow and continue the exchange, ask for and handle call-backs,
    # but do not open cases or add clients (nor draft guide entries).
    "kela_service_advisor": CASEWORK - {"client_create", "case_open"},
    "social_worker": GUIDE_WORK,
    "social_counsellor": GUIDE_WORK,
    "social_assistance_processor": GUIDE_WORK,
    # managers own the guide entries and publish bulletins (issue 12)
    # ... and see their unit's handoff and deadline figures, aggregates only (issue 12)
    "unit_manager": GUIDE_WORK
    | {
        "thread_assign",
        "unit_load_view",
        "directory_edit",
        "forum_chair",
        # issue 11: set up the regional teams their unit belongs to
        "team_manage",
        "knowledge_publish",
        "analytics_view",
    },
    # administrators never read client data; their organisation's audit trail they do
    # ... and make a client's access-log report from it (703/2023 11 §)
    # ... and are the organisation's analysts (figures, aggregates only; issue 12)
    # ... and manage their units' webhook subscriptions (issue 14)
    "organisation_admin": {"audit_read", "access_report", "analytics_view", "webhooks_manage"},
    # every organisation's audit trail, each read audited (issue 9)
    "platform_auditor": {"audit_read_all"},
    # a power of attorney is verified by a named worker, never by a system
    # ... and the chair unit's system may move its forum's items
    # ... and a unit's system publishes its bulletins (issue 12)
    # ... and reads the figures and manages its unit's webhooks (issues 12, 14)
    # ... and keeps its unit's regional teams through the API (issue 11)
    "integration": (CASEWORK - {"thread_claim", "poa_verify"})
    | {
        "forum_chair",
        "team_manage",
        "knowledge_publish",
        "access_report",
        "analytics_view",
        "webhooks_manage",
    },
}
KINDS = {
    "kela_benefit_processor": {"kela"},
    "kela_service_advisor": {"kela"},
    "social_worker": {"social_services"},
    "social_counsellor": {"social_services"},
    "social_assistance_processor": {"social_services"},
    "unit_manager": {"kela", "social_services"},
    "organisation_admin": {"kela", "social_services"},
    "platform_auditor": {"kela", "social_services"},
}


def holds(role: str) -> set[str]:
    return {str(p) for p in Perm if role_allows(role, p)}


@pytest.mark.parametrize("role", sorted(PERMISSIONS))
def test_each_role_holds_exactly_its_permissions(role: str) -> None:
    assert holds(role) == PERMISSIONS[role]


def test_every_role_is_in_the_table() -> None:
    assert {str(r) for r in Role} == set(PERMISSIONS)


@pytest.mark.parametrize("role", ["janitor", "", "UNIT_MANAGER", "kela"])
def test_unknown_role_gets_no_permission_at_all(role: str) -> None:
    assert holds(role) == set()
    assert all(role_allows(role, p) is False for p in Perm)


def test_actor_with_an_unknown_role_may_do_nothing_in_its_unit() -> None:
    actor = Actor(user=None, memberships=(ActorMembership(7, 1, "retired_role", True),))
    assert all(actor.units_with(p) == frozenset() for p in Perm)
    assert not actor.can(Perm.CASE_VIEW)


def test_kela_service_advisor_handles_call_backs_sent_to_their_own_unit_only() -> None:
    advisor = Actor(
        user=None, memberships=(ActorMembership(5, 1, Role.KELA_SERVICE_ADVISOR, True),)
    )
    assert advisor.units_with(Perm.CALLBACK_HANDLE) == frozenset({5})
    assert advisor.can(Perm.CALLBACK_HANDLE, [5]) and not advisor.can(Perm.CALLBACK_HANDLE, [6])
    assert advisor.can(Perm.CALLBACK_REQUEST, [5])
    assert not advisor.can(Perm.CASE_OPEN) and not advisor.can(Perm.CLIENT_CREATE)


def test_membership_role_choices_are_every_person_role_but_not_integration() -> None:
    choices = {value for value, _label in Membership._meta.get_field("role").choices or ()}
    assert choices == set(KINDS)


def test_each_role_exists_in_its_kinds_of_organisation_and_api_keys_in_both() -> None:
    table = {str(role): {str(k) for k in kinds} for role, kinds in ROLE_ORGANISATION_KINDS.items()}
    assert table == {**KINDS, "integration": {"kela", "social_services"}}


def _membership(role: str, kind: str) -> Membership:
    unit = Unit(pk=1, organisation=Organisation(kind=kind))
    return Membership(unit=unit, role=role)


@pytest.mark.parametrize("role", sorted(KINDS))
@pytest.mark.parametrize("kind", ["kela", "social_services"])
def test_membership_clean_refuses_a_role_that_does_not_exist_in_that_kind_of_organisation(
    role: str, kind: str
) -> None:
    membership = _membership(role, kind)
    if kind in KINDS[role]:
        membership.clean()
    else:
        with pytest.raises(ValidationError) as excinfo:
            membership.clean()
        assert "role" in excinfo.value.message_dict


def test_membership_clean_leaves_an_incomplete_form_to_the_required_field_checks() -> None:
    Membership(role="social_worker").clean()  # no unit yet: nothing to compare
    Membership(unit=Unit(pk=1, organisation=Organisation(kind="kela")), role="").clean()
