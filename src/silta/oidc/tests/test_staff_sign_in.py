"""Staff sign-in through their organisation's provider (the real local provider)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from silta.accounts.middleware import EXTERNAL_MFA_SESSION_KEY
from silta.accounts.models import Membership, User
from silta.audit.models import AuditAction, AuditEvent
from silta.oidc.models import RoleRule, StaffIdentity
from silta.oidc.tests.flow import local, sign_in_at_provider
from tests.factories import browser_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules(shared_world):
    w = shared_world
    return {
        "processor": RoleRule.objects.create(
            provider="kela",
            value="kela-processors",
            unit=w.kela_unit,
            role="kela_benefit_processor",
        ),
        "manager": RoleRule.objects.create(
            provider="kela", value="kela-managers", unit=w.kela_unit, role="unit_manager"
        ),
        "county": RoleRule.objects.create(
            provider="psavo", value="county-workers", unit=w.social_unit, role="social_worker"
        ),
    }


def sign_in(browser, login: str, provider: str):
    start = browser.post(reverse("oidc:staff"), {"provider": provider})
    assert start.status_code == 302, start.content.decode()[-800:]
    return browser.get(local(sign_in_at_provider(start["Location"], login)))


def signed_in(browser) -> bool:
    """Does a staff page open (not the way to the sign-in page)?"""
    response = browser.get(reverse("exchange:home"))
    return not response.get("Location", "").startswith(reverse("accounts:login"))


def user_of(login_email: str) -> User:
    return User.objects.get(email=login_email)


def test_kela_staff_sign_in_with_role_from_claims_and_mfa_skips_totp(oidc_settings, rules):
    browser = browser_client()
    response = sign_in(browser, "kela-mfa", "kela")
    assert response.status_code == 302 and response["Location"] == reverse("exchange:home")
    user = user_of("kela.mfa@kela.example")
    assert not user.has_usable_password()
    roles = list(Membership.objects.filter(user=user).values_list("unit_id", "role"))
    assert roles == [(rules["processor"].unit_id, "kela_benefit_processor")]
    assert browser.session[EXTERNAL_MFA_SESSION_KEY] == user.pk
    assert signed_in(browser)
    assert StaffIdentity.objects.get(user=user).provider == "kela"
    assert AuditEvent.objects.filter(user=user, action=AuditAction.LOGIN).exists()


def test_a_role_change_at_the_provider_takes_effect_at_the_next_sign_in(
    oidc_settings, rules, provider_accounts
):
    sign_in(browser_client(), "kela-change", "kela")
    user = user_of("kela.change@kela.example")
    assert Membership.objects.get(user=user).role == "kela_benefit_processor"
    provider_accounts.set_claims("kela-change", groups=["kela-managers"])
    sign_in(browser_client(), "kela-change", "kela")
    assert Membership.objects.get(user=user).role == "unit_manager"
    changes = AuditEvent.objects.filter(user=user, action=AuditAction.UPDATE)
    assert any(e.detail.get("membership") == "changed" for e in changes)
    # The group removed at the provider: the membership and the account go.
    provider_accounts.set_claims("kela-change", groups=[])
    browser = browser_client("en")
    refused = sign_in(browser, "kela-change", "kela")
    assert refused.status_code == 400 and "no access to Silta" in refused.content.decode()
    user.refresh_from_db()
    assert not user.is_active and not Membership.objects.filter(user=user).exists()
    assert "_auth_user_id" not in browser.session
    # Given back at the provider: active again with the role.
    provider_accounts.set_claims("kela-change", groups=["kela-processors"])
    assert sign_in(browser_client(), "kela-change", "kela").status_code == 302
    user.refresh_from_db()
    assert user.is_active and Membership.objects.get(user=user).role == "kela_benefit_processor"


def test_silta_active_false_deactivates(oidc_settings, rules, provider_accounts):
    sign_in(browser_client(), "kela-leaver", "kela")
    provider_accounts.set_claims("kela-leaver", silta_active=False)
    assert sign_in(browser_client(), "kela-leaver", "kela").status_code == 400
    user = user_of("kela.leaver@kela.example")
    assert not user.is_active and not user.memberships.exists()


def test_without_mfa_silta_asks_its_own_code(oidc_settings, rules):
    browser = browser_client("en")
    first = sign_in(browser, "county-enrol", "psavo")
    assert first["Location"] == reverse("accounts:totp_enrol")  # no device yet: enrol
    user = user_of("county.enrol@pohde.example")
    assert not signed_in(browser)

    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    browser = browser_client("en")
    held = sign_in(browser, "county-enrol", "psavo")
    assert held["Location"] == reverse("oidc:staff_code")
    assert EXTERNAL_MFA_SESSION_KEY not in browser.session
    assert not signed_in(browser)
    wrong = browser.post(reverse("oidc:staff_code"), {"otp_token": "000000"})
    assert wrong.status_code == 400 and "did not match" in wrong.content.decode()
    assert not signed_in(browser)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    done = browser.post(reverse("oidc:staff_code"), {"otp_token": f"{code:06d}"})
    assert done.status_code == 302 and done["Location"] == reverse("exchange:home")
    assert signed_in(browser)


def test_a_rule_to_a_unit_that_no_longer_exists_refuses_with_nothing_changed(
    oidc_settings, rules, shared_world
):
    unit = shared_world.kela_unit2
    RoleRule.objects.create(provider="kela", value="ghost-unit", unit=unit, role="unit_manager")
    type(unit).objects.filter(pk=unit.pk).update(is_active=False)
    users_before = User.objects.count()
    response = sign_in(browser_client("en"), "kela-ghost", "kela")
    assert response.status_code == 400
    assert "does not exist in Silta" in response.content.decode()
    assert User.objects.count() == users_before
    assert not StaffIdentity.objects.filter(user__email="kela.ghost@kela.example").exists()


def test_the_email_domain_chooses_the_provider(oidc_settings, rules):
    browser = browser_client("en")
    start = browser.post(reverse("oidc:staff"), {"email": "someone@pohde.example"})
    assert start.status_code == 302 and "client_id=silta-staff-psavo" in start["Location"]
    unknown = browser.post(reverse("oidc:staff"), {"email": "someone@elsewhere.example"})
    assert unknown.status_code == 400
    assert "No organisation signs in" in unknown.content.decode()
    page = browser.get(reverse("oidc:staff"))
    # The chooser's forms may lead to the providers (a browser enforces form-action on the
    # redirect), and nowhere else.
    assert f"form-action 'self' {oidc_settings.issuer};" in page["Content-Security-Policy"]
    assert "Kela (demo)" in page.content.decode() and "Pohjois-Savon" in page.content.decode()


def test_a_client_identity_is_never_a_staff_user(oidc_settings, rules):
    """The staff clients' provider keys do not accept a token for another client."""
    response = sign_in(browser_client("en"), "client-ok", "kela")
    assert response.status_code == 400  # no rule gives a citizen a role
    assert not StaffIdentity.objects.filter(subject="client-ok").exists()
