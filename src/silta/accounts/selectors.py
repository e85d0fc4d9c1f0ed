from __future__ import annotations

from silta.accounts.models import User
from silta.organisations.models import Unit


def unit_members(*, unit: Unit, limit: int = 300) -> list[User]:
    """Active members of a unit, for assigning threads."""
    return list(
        User.objects.filter(memberships__unit=unit, is_active=True)
        .order_by("last_name", "first_name")
        .distinct()[:limit]
    )
