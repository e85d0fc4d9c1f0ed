"""What every page's template needs to know about the signed-in person."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from silta.accounts.roles import Perm
from silta.organisations.selectors import units_of_actor


def _nav_units(request: HttpRequest) -> list[Any]:
    actor = getattr(request, "actor", None)
    if actor is None:
        return []
    return units_of_actor(unit_ids=actor.units_with(Perm.CASE_VIEW))


def silta(request: HttpRequest) -> dict[str, Any]:
    actor = getattr(request, "actor", None)
    return {
        "SILTA_DEMO_SKIP_TOTP": settings.SILTA_DEMO_SKIP_TOTP,
        "nav_units": SimpleLazyObject(lambda: _nav_units(request)),
        "can_find_clients": SimpleLazyObject(
            lambda: bool(actor and (actor.can(Perm.CLIENT_LOOKUP) or actor.can(Perm.CASE_VIEW)))
        ),
        # The handoff and deadline figures (silta.analytics).
        "can_see_figures": SimpleLazyObject(lambda: bool(actor and actor.can(Perm.ANALYTICS_VIEW))),
    }
