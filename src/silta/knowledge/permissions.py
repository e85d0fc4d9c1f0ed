"""Who may do what with the guide and the bulletins, from the role table only.

The guide and the bulletins are not client data: every role doing case work reads the
guide (``KNOWLEDGE_READ``). A guide entry is owned by one organisation (a national
entry by Kela, a local variant by its organiser): its people draft (``KNOWLEDGE_EDIT``),
a reviewer named from the other side (Kela <-> social services) comments and approves,
and its managers publish (``KNOWLEDGE_PUBLISH``). A bulletin is seen by the publishing
organisation and the organisations it concerns; their other units acknowledge it; the
publisher's and the concerned organisations' managers see who has not. A unit's own
items touched by a bulletin are client data: seen only with ``CASE_VIEW`` in that unit.
"""

from __future__ import annotations

from django.db.models import Q

from silta.accounts.actor import Actor
from silta.accounts.models import Membership, User
from silta.accounts.roles import Perm, role_allows
from silta.knowledge.models import Bulletin, GuideEntry, GuideVersion


def organisations_with(actor: Actor, perm: Perm) -> frozenset[int]:
    units = actor.units_with(perm)
    return frozenset(m.organisation_id for m in actor.memberships if m.unit_id in units)


def _unit_in(actor: Actor, perm: Perm, organisation_ids: set[int] | frozenset[int]) -> int | None:
    """The actor's unit (lowest id) in one of ``organisation_ids`` allowing ``perm``."""
    units = actor.units_with(perm)
    found = [
        m.unit_id
        for m in actor.memberships
        if m.unit_id in units and m.organisation_id in organisation_ids
    ]
    return min(found) if found else None


def can_read(actor: Actor) -> bool:
    return actor.can(Perm.KNOWLEDGE_READ)


def editing_unit(actor: Actor, entry: GuideEntry) -> int | None:
    """The actor's unit that drafts for the entry's owner, if any."""
    return _unit_in(actor, Perm.KNOWLEDGE_EDIT, {entry.owner_id})


def publishing_unit(actor: Actor, entry: GuideEntry) -> int | None:
    """The actor's unit that owns and publishes the entry, if any."""
    return _unit_in(actor, Perm.KNOWLEDGE_PUBLISH, {entry.owner_id})


def reviewing_unit(actor: Actor, version: GuideVersion) -> int | None:
    """The named reviewer's unit on the other side, if the actor is that reviewer."""
    if actor.user is None or version.reviewer_id != actor.user.pk:
        return None
    other = {
        m.organisation_id
        for m in actor.memberships
        if m.organisation_id != version.entry.owner_id and m.is_kela != version.entry.owner.is_kela
    }
    return _unit_in(actor, Perm.KNOWLEDGE_EDIT, other)


def may_review(user: User, entry: GuideEntry) -> bool:
    """Can ``user`` be named the reviewer: they draft guide entries in an organisation of
    the other side (Kela for an organiser's entry, an organiser for Kela's)."""
    rows = Membership.objects.filter(user=user, unit__is_active=True).values_list(
        "role", "unit__organisation__kind"
    )
    owner_is_kela = entry.owner.is_kela
    return any(
        role_allows(role, Perm.KNOWLEDGE_EDIT) and (kind == "kela") != owner_is_kela
        for role, kind in rows
    )


def variant_organisation(actor: Actor, entry: GuideEntry, taken: set[int]) -> int | None:
    """The actor's organiser (lowest id) that may start a local variant of the national
    ``entry``: one where they draft, without a variant yet (``taken``)."""
    if entry.is_variant:
        return None
    units = actor.units_with(Perm.KNOWLEDGE_EDIT)
    found = [
        m.organisation_id
        for m in actor.memberships
        if m.unit_id in units and not m.is_kela and m.organisation_id not in taken
    ]
    return min(found) if found else None


def can_see_version(actor: Actor, version: GuideVersion) -> bool:
    """Published and starter text: every reader. Drafts: the owner's editors and
    publishers, and the named reviewer."""
    if version.state in ("published", "demo"):
        return can_read(actor)
    return (
        editing_unit(actor, version.entry) is not None
        or publishing_unit(actor, version.entry) is not None
        or reviewing_unit(actor, version) is not None
    )


def bulletin_filter(actor: Actor) -> Q:
    """The bulletins of the actor's organisations and those concerning them."""
    organisations = organisations_with(actor, Perm.KNOWLEDGE_READ)
    return Q(publisher_unit__organisation_id__in=organisations) | Q(organisations__in=organisations)


def receiving_unit(actor: Actor, bulletin: Bulletin, unit_id: int | None = None) -> int | None:
    """The actor's unit that acknowledges ``bulletin``: in a concerned organisation, not
    the publisher's (``unit_id``: that unit only)."""
    concerned = {o.pk for o in bulletin.organisations.all()} - {
        bulletin.publisher_unit.organisation_id
    }
    if unit_id is not None:
        member = actor.membership(unit_id)
        ok = member is not None and member.organisation_id in concerned
        return unit_id if ok and unit_id in actor.units_with(Perm.KNOWLEDGE_READ) else None
    return _unit_in(actor, Perm.KNOWLEDGE_READ, concerned)


def can_follow_up(actor: Actor, bulletin: Bulletin) -> bool:
    """The publisher's and the concerned organisations' managers (and the publishing
    unit's system) see which units have acknowledged and the impact counts per unit."""
    organisations = {o.pk for o in bulletin.organisations.all()} | {
        bulletin.publisher_unit.organisation_id
    }
    return _unit_in(actor, Perm.KNOWLEDGE_PUBLISH, organisations) is not None


def impact_unit(actor: Actor, unit_id: int) -> bool:
    """A unit's own affected items are its client data: only with CASE_VIEW there."""
    return unit_id in actor.units_with(Perm.CASE_VIEW)
