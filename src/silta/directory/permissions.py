"""Who may do what in the directory: predicates built from the role table only."""

from __future__ import annotations

from silta.accounts.models import Membership, User
from silta.accounts.roles import Perm, role_allows
from silta.organisations.models import Unit


def editable_by(unit: Unit, user: User | None) -> bool:
    """Owners keep an entry fresh: members whose role may edit the unit's directory entry
    (its managers) and the unit's named editors."""
    if user is None:
        return False
    roles = Membership.objects.filter(unit=unit, user=user).values_list("role", flat=True)
    return (
        any(role_allows(role, Perm.DIRECTORY_EDIT) for role in roles)
        or unit.editors.filter(user=user).exists()
    )
