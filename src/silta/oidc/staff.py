"""Staff sign-in through an organisation's identity provider: the account and its
memberships follow the provider's claims at every sign-in.

- The account is found by (provider, ``sub``); created on the first sign-in (no password).
- Memberships become exactly what the administrators' rules give for the claims: a group
  added at the provider adds the role, one removed removes it, at the next sign-in.
- ``silta_active: false``, or no rule giving any role, deactivates the account (and its
  memberships go) and refuses the sign-in.
- A rule pointing at a unit that no longer exists (inactive) refuses the sign-in with
  nothing changed.
Every change is audited as the provider's ("source": "oidc").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silta.accounts.models import Membership, User
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.oidc.models import RoleRule, StaffIdentity
from silta.oidc.providers import Provider
from silta.oidc.relying_party import SignInRefused
from silta.oidc.rules import serves


@dataclass(frozen=True)
class StaffSignIn:
    user: User
    mfa: bool


def _values(claims: dict[str, Any], claim: str) -> set[str]:
    value = claims.get(claim)
    if isinstance(value, list):
        return {str(v) for v in value}
    return {str(value)} if value not in (None, "") else set()


def granted_roles(provider: Provider, claims: dict[str, Any]) -> dict[int, str]:
    """Unit id -> role that the rules give for these claims (the first rule per unit wins)."""
    grants: dict[int, str] = {}
    rules = RoleRule.objects.filter(provider=provider.key).select_related("unit__organisation")
    for rule in rules.order_by("pk"):
        if rule.value not in _values(claims, rule.claim):
            continue
        if not rule.unit.is_active or not serves(provider, rule.unit):
            raise SignInRefused(
                _(
                    "Your organisation's sign-in gives you a role in a unit that does not "
                    "exist in Silta. Nothing was changed. Ask your administrator to fix it."
                ),
                code="rule_unit_missing",
            )
        grants.setdefault(rule.unit_id, rule.role)
    return grants


def _says_inactive(claims: dict[str, Any]) -> bool:
    value = claims.get("silta_active")
    return value is False or str(value).lower() in {"false", "0", "no"}


def _username(provider: Provider, claims: dict[str, Any], subject: str) -> str:
    email = str(claims.get("email") or "").strip().lower()
    if email and not User.objects.filter(username__iexact=email).exists():
        return email[:150]
    return f"{provider.key}.{subject}"[:150]


def _deactivate(identity: StaffIdentity, provider: Provider, reason: str) -> None:
    user = identity.user
    removed = list(Membership.objects.filter(user=user).values_list("unit_id", "role"))
    Membership.objects.filter(user=user).delete()
    user.is_active = False
    user.save(update_fields=["is_active"])
    identity.deactivated_by_provider = True
    identity.save(update_fields=["deactivated_by_provider"])
    detail = {"source": "oidc", "provider": provider.key, "deactivated": reason}
    record(actor=None, user=user, action=AuditAction.UPDATE, obj=user, detail=detail)
    for unit_id, role in removed:
        _audit_membership(user, provider, unit_id, role, "removed")


def _audit_membership(user: User, provider: Provider, unit_id: int, role: str, change: str) -> None:
    detail = {"source": "oidc", "provider": provider.key, "role": role, "membership": change}
    record(actor=None, user=user, action=AuditAction.UPDATE, unit_id=unit_id, detail=detail)


def _sync_memberships(user: User, provider: Provider, grants: dict[int, str]) -> None:
    current = {m.unit_id: m for m in Membership.objects.filter(user=user)}
    for unit_id, membership in current.items():
        if unit_id not in grants:
            membership.delete()
            _audit_membership(user, provider, unit_id, membership.role, "removed")
        elif membership.role != grants[unit_id]:
            membership.role = grants[unit_id]
            membership.save(update_fields=["role"])
            _audit_membership(user, provider, unit_id, membership.role, "changed")
    for unit_id, role in grants.items():
        if unit_id not in current:
            Membership.objects.create(user=user, unit_id=unit_id, role=role)
            _audit_membership(user, provider, unit_id, role, "added")


def _update_user(user: User, claims: dict[str, Any]) -> None:
    fields = {
        "first_name": str(claims.get("given_name") or user.first_name)[:150],
        "last_name": str(claims.get("family_name") or user.last_name)[:150],
        "email": str(claims.get("email") or user.email)[:254],
        "is_active": True,
    }
    changed = [name for name, value in fields.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, fields[name])
    if changed:
        user.save(update_fields=changed)


REFUSED_INACTIVE = _(
    "Your organisation's identity service says you have no access to Silta. "
    "Ask your administrator if this is wrong."
)


def staff_sign_in(*, provider: Provider, claims: dict[str, Any]) -> StaffSignIn:
    """Create or update the account and its memberships from verified claims."""
    subject = str(claims.get("sub") or "")
    if not subject:
        raise SignInRefused(_("The identification did not succeed."), code="sub_missing")
    identity = (
        StaffIdentity.objects.select_related("user")
        .filter(provider=provider.key, subject=subject)
        .first()
    )
    inactive = _says_inactive(claims)
    grants = {} if inactive else granted_roles(provider, claims)
    if inactive or not grants:
        if identity is not None and identity.user.is_active:
            with transaction.atomic():
                _deactivate(identity, provider, "inactive" if inactive else "no_roles")
        raise SignInRefused(REFUSED_INACTIVE, code="inactive" if inactive else "no_roles")
    # An account closed in Silta (not by the provider's word) is not reopened by a sign-in.
    if (
        identity is not None
        and not identity.user.is_active
        and not identity.deactivated_by_provider
    ):
        raise SignInRefused(REFUSED_INACTIVE, code="closed_in_silta")
    with transaction.atomic():
        if identity is None:
            user = User(username=_username(provider, claims, subject))
            user.set_unusable_password()
            user.save()
            identity = StaffIdentity.objects.create(
                user=user, provider=provider.key, subject=subject
            )
            detail = {"source": "oidc", "provider": provider.key, "account": "created"}
            record(actor=None, user=user, action=AuditAction.CREATE, obj=user, detail=detail)
        user = identity.user
        _update_user(user, claims)
        _sync_memberships(user, provider, grants)
        identity.last_sign_in_at = timezone.now()
        identity.deactivated_by_provider = False
        identity.save(update_fields=["last_sign_in_at", "deactivated_by_provider"])
    return StaffSignIn(user=user, mfa=provider.asserts_mfa(claims))
