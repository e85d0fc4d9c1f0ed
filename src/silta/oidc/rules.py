"""Administrators' role mapping rules: validated, and every change audited.

A rule may only grant a role that exists in the unit's kind of organisation, in an active
unit, of the organisation that the provider serves (Kela's provider never grants a role
in a county's unit). Changes are written with an audit event holding the rule before and
after, so "who gave this group that role, and when" has an answer.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from silta.accounts.models import User
from silta.accounts.roles import ROLE_ORGANISATION_KINDS, Role
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.core.errors import Invalid
from silta.oidc.models import RoleRule
from silta.oidc.providers import Provider, staff_provider
from silta.organisations.models import OrganisationKind, Unit


def serves(provider: Provider, unit: Unit) -> bool:
    """Does the provider's organisation (``"kela"`` or an organiser code) own the unit?"""
    wanted = provider.organisation
    if not wanted:
        return True
    organisation = unit.organisation
    if wanted == "kela":
        return organisation.kind == OrganisationKind.KELA
    return organisation.organiser_code == wanted


def rule_problems(*, provider_key: str, unit: Unit | None, role: str) -> dict[str, str]:
    """Field -> message for a rule that must not be saved (empty: fine)."""
    problems: dict[str, str] = {}
    provider = staff_provider(provider_key)
    if provider is None:
        problems["provider"] = _("No identity provider with this key is configured.")
    if unit is None:
        return problems
    if not unit.is_active:
        problems["unit"] = _("This unit is not active.")
    elif provider is not None and not serves(provider, unit):
        problems["unit"] = _("This provider's organisation does not own this unit.")
    if role and unit.organisation.kind not in ROLE_ORGANISATION_KINDS.get(Role(role), ()):
        problems["role"] = _("This role does not exist in this kind of organisation.")
    return problems


def _snapshot(rule: RoleRule) -> dict[str, Any]:
    return {
        "provider": rule.provider,
        "claim": rule.claim,
        "value": rule.value,
        "unit": str(rule.unit.public_id),
        "unit_name": rule.unit.name_fi,
        "role": rule.role,
    }


@transaction.atomic
def role_rule_save(*, user: User, rule: RoleRule) -> RoleRule:
    """Create or change a rule (validated), with the audit event of the change."""
    problems = rule_problems(provider_key=rule.provider, unit=rule.unit, role=rule.role)
    if problems:
        field, message = next(iter(problems.items()))
        raise Invalid(message, code="role_rule_invalid", field=field)
    before = None
    if rule.pk is not None:
        old = RoleRule.objects.select_related("unit").filter(pk=rule.pk).first()
        before = _snapshot(old) if old is not None else None
    rule.save()
    record(
        actor=None,
        user=user,
        action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
        obj=rule,
        unit_id=rule.unit_id,
        detail={"role_rule": rule.pk, "before": before, "after": _snapshot(rule)},
    )
    return rule


@transaction.atomic
def role_rule_delete(*, user: User, rule: RoleRule) -> None:
    snapshot, pk, unit_id = _snapshot(rule), rule.pk, rule.unit_id
    rule.delete()
    record(
        actor=None,
        user=user,
        action=AuditAction.UPDATE,
        unit_id=unit_id,
        detail={"role_rule": pk, "before": snapshot, "after": None, "deleted": True},
    )
