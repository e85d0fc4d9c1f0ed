"""Who may see and record consents, powers of attorney and the disclosure log.

Built only from the role table in ``silta.accounts.roles``. Consents are read by anyone
who may look the client up or view cases (as the client page); the disclosure log shows
only the rows in which one of the actor's own organisations disclosed or received.
"""

from __future__ import annotations

from django.db.models import Q

from silta.accounts.actor import Actor
from silta.accounts.roles import Perm, Role, role_allows


def can_view_consents(actor: Actor) -> bool:
    return actor.can(Perm.CLIENT_LOOKUP) or actor.can(Perm.CASE_VIEW)


def viewing_units(actor: Actor) -> frozenset[int]:
    """The actor's units that may look at a client's consents (given a relation)."""
    return actor.units_with(Perm.CLIENT_LOOKUP) | actor.units_with(Perm.CASE_VIEW)


def acting_unit(actor: Actor, perm: Perm, unit_id: int | None = None) -> int | None:
    """The actor's unit that does ``perm``: ``unit_id`` if it allows it, else the first
    such unit (lowest id, so the choice is stable); None when no unit allows it."""
    allowed = actor.units_with(perm)
    if unit_id is not None:
        return unit_id if unit_id in allowed else None
    return min(allowed) if allowed else None


def case_worker_roles() -> list[str]:
    """The roles that work on a unit's cases: their members are warned when a consent the
    cases rest on is about to expire (an administrator's role views no case)."""
    return [role for role in Role.values if role_allows(role, Perm.CASE_VIEW)]


def can_record_consent(actor: Actor) -> bool:
    return actor.can(Perm.CONSENT_RECORD)


def can_revoke_consent(actor: Actor) -> bool:
    return actor.can(Perm.CONSENT_REVOKE)


def can_verify_poa(actor: Actor) -> bool:
    """A power of attorney is verified by a named worker, never by an API key."""
    return actor.user is not None and actor.can(Perm.POA_VERIFY)


def own_organisation_ids(actor: Actor) -> frozenset[int]:
    viewing = actor.units_with(Perm.CASE_VIEW)
    return frozenset(m.organisation_id for m in actor.memberships if m.unit_id in viewing)


def disclosure_log_filter(actor: Actor) -> Q:
    organisations = own_organisation_ids(actor)
    return Q(discloser_organisation_id__in=organisations) | Q(
        recipient_organisation_id__in=organisations
    )
