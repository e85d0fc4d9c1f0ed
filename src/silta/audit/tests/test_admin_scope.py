"""Audit reading is scoped to the reader's organisation; a platform auditor reads all and
every such read is audited (issue 9, access findings)."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from silta.accounts.models import Membership
from silta.accounts.roles import Role
from silta.audit.models import AuditEvent
from tests.factories import browser_client, make_user

pytestmark = pytest.mark.django_db

LIST = "/admin/audit/auditevent/"


def _staff(user, *, superuser: bool = False) -> HttpClient:
    user.is_staff = True
    user.is_superuser = superuser
    user.save()
    http = browser_client("en")
    http.force_login(user)
    return http


@pytest.fixture
def scene(world, settings):
    """Events of both organisations about the same client."""
    settings.SILTA_DEMO_SKIP_TOTP = True  # the sign-in itself is tested elsewhere
    case = world.open_case()
    world.thread(case, from_key="kela_processor")
    world.thread(case, from_key="social_worker")
    kela = AuditEvent.objects.filter(organisation=world.kela).count()
    social = AuditEvent.objects.filter(organisation=world.county).count()
    assert kela and social
    return world, case


def _listed_organisations(response) -> set[int]:
    return {event.organisation_id for event in response.context["cl"].result_list}


@pytest.mark.parametrize("superuser", [False, True])
def test_an_organisation_admin_reads_only_their_organisations_events(scene, superuser):
    world, _case = scene
    http = _staff(world.users["kela_admin"], superuser=superuser)
    response = http.get(LIST, {"all": ""})
    assert response.status_code == 200
    assert _listed_organisations(response) == {world.kela.pk}


def test_the_by_client_report_is_scoped_too(scene):
    world, case = scene
    http = _staff(world.users["social_admin"])
    response = http.post(f"{LIST}by-client/", {"identity_code": case.client.identity_code})
    events = response.context["events"]
    assert events
    assert {event.organisation_id for event in events} == {world.county.pk}


def test_another_organisations_event_page_is_not_shown(scene):
    world, _case = scene
    social_event = AuditEvent.objects.filter(organisation=world.county).earliest("pk")
    http = _staff(world.users["kela_admin"])
    response = http.get(f"{LIST}{social_event.pk}/change/")
    assert response.status_code in (302, 404)
    assert not AuditEvent.objects.filter(
        action="view", detail__audit_event=social_event.pk
    ).exists()


def test_opening_one_event_is_audited(scene):
    world, _case = scene
    kela_event = AuditEvent.objects.filter(organisation=world.kela).earliest("pk")
    http = _staff(world.users["kela_admin"])
    assert http.get(f"{LIST}{kela_event.pk}/change/").status_code == 200
    row = AuditEvent.objects.filter(action="view", detail__audit_event=kela_event.pk).get()
    assert row.user == world.users["kela_admin"]


def test_a_platform_auditor_reads_every_organisation_and_each_read_is_audited(scene):
    world, _case = scene
    auditor = make_user(world.kela_unit, Role.PLATFORM_AUDITOR, "auditor")
    http = _staff(auditor)
    before = AuditEvent.objects.filter(action="search", user=auditor).count()
    response = http.get(LIST, {"all": ""})
    assert _listed_organisations(response) >= {world.kela.pk, world.county.pk}
    assert AuditEvent.objects.filter(action="search", user=auditor).count() == before + 1


def test_a_worker_without_an_audit_role_does_not_see_the_audit(scene):
    world, _case = scene
    http = _staff(world.users["kela_processor"])
    assert http.get(LIST).status_code == 403


def test_staff_without_any_membership_sees_no_audit(scene):
    world, _case = scene
    user = world.users["kela_admin"]
    Membership.objects.filter(user=user).delete()
    http = _staff(user, superuser=True)
    assert http.get(LIST).status_code == 403
