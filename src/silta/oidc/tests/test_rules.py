"""Role mapping rules: what may be saved, and the audit trail of every change."""

from __future__ import annotations

import pytest
from django.urls import reverse

from silta.accounts.models import User
from silta.audit.models import AuditAction, AuditEvent
from silta.core.errors import Invalid
from silta.oidc.checks import identity_providers
from silta.oidc.devidp import silta_environment
from silta.oidc.models import RoleRule
from silta.oidc.providers import Provider
from silta.oidc.rules import role_rule_delete, role_rule_save, rule_problems
from silta.oidc.staff import granted_roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def configured(settings, shared_world):
    for name, value in silta_environment("http://127.0.0.1:1").items():
        setattr(settings, name, value)
    return shared_world


def test_a_provider_grants_roles_only_in_its_own_organisation(configured):
    w = configured
    ok = rule_problems(provider_key="kela", unit=w.kela_unit, role="kela_benefit_processor")
    assert ok == {}
    assert "unit" in rule_problems(provider_key="kela", unit=w.social_unit, role="social_worker")
    assert "unit" in rule_problems(
        provider_key="psavo", unit=w.other_social_unit, role="social_worker"
    )
    assert "role" in rule_problems(
        provider_key="psavo", unit=w.social_unit, role="kela_benefit_processor"
    )
    assert "provider" in rule_problems(provider_key="nobody", unit=w.kela_unit, role="unit_manager")


def test_every_change_of_a_rule_is_audited_with_before_and_after(configured):
    w, admin = configured, configured.users["kela_admin"]
    rule = role_rule_save(
        user=admin,
        rule=RoleRule(provider="kela", value="g1", unit=w.kela_unit, role="kela_benefit_processor"),
    )
    rule.role = "unit_manager"
    role_rule_save(user=admin, rule=rule)
    role_rule_delete(user=admin, rule=rule)
    events = list(AuditEvent.objects.filter(user=admin).order_by("pk"))[-3:]
    assert [e.action for e in events] == [
        AuditAction.CREATE,
        AuditAction.UPDATE,
        AuditAction.UPDATE,
    ]
    assert events[1].detail["before"]["role"] == "kela_benefit_processor"
    assert events[1].detail["after"]["role"] == "unit_manager"
    assert events[2].detail["after"] is None and events[2].detail["deleted"] is True


def test_an_invalid_rule_is_not_saved(configured):
    bad = RoleRule(provider="kela", value="g", unit=configured.social_unit, role="social_worker")
    with pytest.raises(Invalid):
        role_rule_save(user=configured.users["kela_admin"], rule=bad)
    assert not RoleRule.objects.filter(value="g").exists()


def test_the_first_rule_for_a_unit_wins_and_other_values_grant_nothing(configured):
    w = configured
    provider = Provider(
        key="kela",
        label="",
        issuer="",
        client_id="",
        client_secret="",
        scopes="",
        organisation="kela",
    )
    RoleRule.objects.create(
        provider="kela", value="a", unit=w.kela_unit, role="kela_service_advisor"
    )
    RoleRule.objects.create(provider="kela", value="b", unit=w.kela_unit, role="unit_manager")
    RoleRule.objects.create(
        provider="kela", claim="roles", value="c", unit=w.kela_unit2, role="unit_manager"
    )
    assert granted_roles(provider, {"groups": ["a", "b"]}) == {
        w.kela_unit.pk: "kela_service_advisor"
    }
    assert granted_roles(provider, {"groups": ["c"], "roles": "c"}) == {
        w.kela_unit2.pk: "unit_manager"
    }
    assert granted_roles(provider, {"groups": ["x"]}) == {}


def test_mfa_is_read_from_amr_or_an_accepted_acr():
    provider = Provider(
        key="k",
        label="",
        issuer="",
        client_id="",
        client_secret="",
        scopes="",
        mfa_acr=("loa-high",),
    )
    assert provider.asserts_mfa({"amr": ["pwd", "otp"]})
    assert provider.asserts_mfa({"amr": ["hwk"]})
    assert provider.asserts_mfa({"acr": "loa-high"})
    assert not provider.asserts_mfa({"amr": ["pwd"], "acr": "loa-low"})
    assert not provider.asserts_mfa({"amr": "mfa"})  # amr is a list, never a string


def test_the_admin_saves_through_the_audited_service(configured, client):
    admin = User.objects.create_superuser("root", "root@example.org", "x" * 16)
    client.force_login(admin)
    session = client.session
    session["silta_external_mfa"] = admin.pk
    session.save()
    url = reverse("admin:oidc_rolerule_add")
    data = {
        "provider": "kela",
        "claim": "groups",
        "value": "adm",
        "unit": configured.social_unit.pk,
        "role": "social_worker",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200 and not RoleRule.objects.filter(value="adm").exists()
    data.update(unit=configured.kela_unit.pk, role="unit_manager")
    assert client.post(url, data).status_code == 302
    rule = RoleRule.objects.get(value="adm")
    assert AuditEvent.objects.filter(
        user=admin, action=AuditAction.CREATE, detail__role_rule=rule.pk
    ).exists()


def test_the_settings_checks_refuse_a_plain_http_issuer_and_broken_json(settings):

    settings.SILTA_OIDC_CLIENT_ISSUER = "http://idp.example.org"
    settings.SILTA_OIDC_CLIENT_ID = "silta"
    assert [e.id for e in identity_providers()] == ["oidc.E002"]
    settings.SILTA_OIDC_CLIENT_ISSUER = "http://127.0.0.1:8010"
    assert identity_providers() == []
    settings.SILTA_OIDC_STAFF_PROVIDERS = "[{"
    assert [e.id for e in identity_providers()] == ["oidc.E001"]
