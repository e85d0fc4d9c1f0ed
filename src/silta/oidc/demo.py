"""The demo's role mapping rules for the local provider's staff identities
(``devidp/accounts.json``; the providers from ``devidp.silta_environment``)."""

from __future__ import annotations

from silta.oidc.models import RoleRule
from silta.organisations.models import Unit

# provider, group, unit key (silta.demo.data), role
DEMO_RULES = (
    ("kela", "silta-kela-east-processors", "kela_east", "kela_benefit_processor"),
    ("kela", "silta-kela-east-managers", "kela_east", "unit_manager"),
    ("psavo", "silta-kuopio-social-workers", "kuopio_adult", "social_worker"),
    ("psavo", "silta-kuopio-managers", "kuopio_adult", "unit_manager"),
)


def seed(units: dict[str, Unit]) -> None:
    for provider, group, unit_key, role in DEMO_RULES:
        RoleRule.objects.create(
            provider=provider, claim="groups", value=group, unit=units[unit_key], role=role
        )
