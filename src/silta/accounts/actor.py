"""Who is acting: a signed-in staff member, or a unit's integration through an API key.

Every service and selector takes an ``Actor``. Its memberships are loaded once per
request, so permission checks cost no further queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from silta.accounts.roles import Perm, Role, role_allows

if TYPE_CHECKING:
    from silta.accounts.models import User
    from silta.api_keys.models import ApiKey


@dataclass(frozen=True)
class ActorMembership:
    unit_id: int
    organisation_id: int
    role: str
    is_kela: bool


@dataclass(frozen=True)
class Actor:
    user: User | None
    memberships: tuple[ActorMembership, ...]
    api_key: ApiKey | None = None
    # Who acts when it is neither a staff member nor a key: the client (or their attorney)
    # in their own view (silta.portal). Such an actor has no memberships, so no permission.
    name: str = ""
    _unit_ids: frozenset[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_unit_ids", frozenset(m.unit_id for m in self.memberships))

    @classmethod
    def for_user(cls, user: User) -> Actor:
        rows = user.memberships.filter(unit__is_active=True).values_list(
            "unit_id", "unit__organisation_id", "role", "unit__organisation__kind"
        )
        return cls(
            user=user,
            memberships=tuple(
                ActorMembership(unit_id, org_id, role, kind == "kela")
                for unit_id, org_id, role, kind in rows
            ),
        )

    @classmethod
    def for_api_key(cls, api_key: ApiKey) -> Actor:
        unit = api_key.unit
        membership = ActorMembership(
            unit.pk, unit.organisation_id, Role.INTEGRATION, unit.organisation.kind == "kela"
        )
        return cls(user=None, memberships=(membership,), api_key=api_key)

    @property
    def unit_ids(self) -> frozenset[int]:
        return self._unit_ids

    def units_with(self, perm: Perm) -> frozenset[int]:
        """The units in which this actor may do ``perm``."""
        return frozenset(m.unit_id for m in self.memberships if role_allows(m.role, perm))

    def can(self, perm: Perm, unit_ids: Iterable[int] | None = None) -> bool:
        """May the actor do ``perm`` in any of ``unit_ids`` (or in any unit at all)?"""
        allowed = self.units_with(perm)
        if unit_ids is None:
            return bool(allowed)
        return bool(allowed.intersection(unit_ids))

    def membership(self, unit_id: int) -> ActorMembership | None:
        return next((m for m in self.memberships if m.unit_id == unit_id), None)

    @property
    def label(self) -> str:
        if self.user is not None:
            return self.user.display_name
        if self.api_key is not None:
            return f"API: {self.api_key.name}"
        return self.name or "system"
