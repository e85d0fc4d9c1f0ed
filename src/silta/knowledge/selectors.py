"""Reading the guide and the bulletins.

Anything the actor may not see is the same 404 as anything that does not exist, and
the refusal is audited. The guide and the bulletins are not client data; a unit's own
items touched by a bulletin are, and listing them is audited with the clients named.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from silta.accounts.actor import Actor
from silta.accounts.models import User
from silta.accounts.roles import Perm, Role, role_allows
from silta.audit.denial import deny
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.core.ids import parse_uuid
from silta.core.pagination import Page, paginate
from silta.knowledge import impact, permissions
from silta.knowledge.guide import OPEN_DRAFT_STATES, shown_version
from silta.knowledge.models import (
    Acknowledgement,
    Bulletin,
    BulletinAttachment,
    GuideEntry,
    GuideVersion,
    VersionState,
)
from silta.knowledge.search import search_filter
from silta.organisations.models import Organisation, Unit


def _require_reader(actor: Actor, detail: dict[str, Any]) -> None:
    if not permissions.can_read(actor):
        raise deny(actor, hide=True, detail=detail)


@dataclass(frozen=True)
class EntryRow:
    entry: GuideEntry
    version: GuideVersion | None
    changes: list[Bulletin]

    @property
    def is_demo(self) -> bool:
        return self.version is None or not self.version.is_verified


def upcoming_changes(entry: GuideEntry, today: dt.date | None = None) -> list[Bulletin]:
    """Bulletins touching the (national) expense kind that take effect today or later."""
    today = today or timezone.localdate()
    national = entry.national_id or entry.pk
    return list(
        Bulletin.objects.filter(expense_kinds=national, effective_date__gte=today)
        .order_by("effective_date", "pk")
        .distinct()
    )


def guide_list(*, actor: Actor, query: str = "") -> list[EntryRow]:
    """The national entries, or those matching ``query`` (by themselves or by a local
    variant's text), in the guide's order."""
    _require_reader(actor, {"knowledge": "guide"})
    entries = GuideEntry.objects.filter(national__isnull=True).select_related("owner")
    found = search_filter(query)
    if found is not None:
        variants = GuideEntry.objects.filter(found, national__isnull=False).values("national_id")
        entries = entries.filter(found | Q(pk__in=variants))
    return [EntryRow(e, shown_version(e), upcoming_changes(e)) for e in entries]


def entry_get(*, actor: Actor, slug: str) -> GuideEntry:
    _require_reader(actor, {"guide_entry": slug[:80]})
    entry = GuideEntry.objects.select_related("owner", "national").filter(slug=slug).first()
    if entry is None:
        raise deny(actor, hide=True, detail={"guide_entry": slug[:80]})
    return entry


@dataclass(frozen=True)
class EntryPage:
    entry: GuideEntry
    shown: EntryRow
    variants: list[EntryRow]
    history: list[GuideVersion]
    draft: GuideVersion | None


def entry_page(*, actor: Actor, entry: GuideEntry) -> EntryPage:
    """The entry as shown, its local variants next to it, its dated published versions
    and, for the owner's people and the named reviewer, the open draft."""
    variants = [] if entry.is_variant else list(entry.variants.select_related("owner"))
    draft = entry.versions.filter(state__in=OPEN_DRAFT_STATES).select_related("entry").first()
    if draft is not None:
        draft.entry = entry
        if not permissions.can_see_version(actor, draft):
            draft = None
    return EntryPage(
        entry=entry,
        shown=EntryRow(entry, shown_version(entry), upcoming_changes(entry)),
        variants=[EntryRow(v, shown_version(v), []) for v in variants],
        history=list(entry.versions.filter(state=VersionState.PUBLISHED).order_by("-number")),
        draft=draft,
    )


def version_get(*, actor: Actor, entry: GuideEntry, number: int) -> GuideVersion:
    version = entry.versions.filter(number=number).first()
    if version is not None:
        version.entry = entry
    if version is None or not permissions.can_see_version(actor, version):
        raise deny(actor, hide=True, detail={"guide_entry": entry.slug, "version": number})
    return version


def reviewer_choices(entry: GuideEntry, limit: int = 200) -> list[User]:
    """People of the other side who draft guide entries: who can be named reviewer."""
    kind = "social_services" if entry.owner.is_kela else "kela"
    roles = [str(role) for role in Role if role_allows(role, Perm.KNOWLEDGE_EDIT)]
    return list(
        User.objects.filter(
            is_active=True,
            memberships__role__in=roles,
            memberships__unit__is_active=True,
            memberships__unit__organisation__kind=kind,
        )
        .distinct()
        .order_by("last_name", "first_name")[:limit]
    )


# --- bulletins ---------------------------------------------------------------------------


def _bulletins(actor: Actor) -> QuerySet[Bulletin]:
    ids = Bulletin.objects.filter(permissions.bulletin_filter(actor)).values("pk")
    return Bulletin.objects.filter(pk__in=ids).select_related(
        "publisher_unit", "publisher_unit__organisation"
    )


def bulletin_list(*, actor: Actor, page: int = 1) -> Page[Bulletin]:
    _require_reader(actor, {"knowledge": "bulletins"})
    found = _bulletins(actor).prefetch_related(
        "organisations", "attachments", Prefetch("expense_kinds", GuideEntry.objects.all())
    )
    return paginate(found.order_by("-published_at", "-pk"), number=page)


def bulletin_get(*, actor: Actor, bulletin_id: Any) -> Bulletin:
    key = parse_uuid(bulletin_id)
    bulletin = (
        _bulletins(actor)
        .prefetch_related(
            "organisations", "attachments", Prefetch("expense_kinds", GuideEntry.objects.all())
        )
        .filter(public_id=key)
        .first()
        if key and permissions.can_read(actor)
        else None
    )
    if bulletin is None:
        raise deny(actor, hide=True, detail={"bulletin": str(bulletin_id)[:40]})
    return bulletin


def bulletin_attachment_get(*, actor: Actor, bulletin_id: Any, file_id: Any) -> BulletinAttachment:
    """One attachment of a bulletin the actor may read; any other is the same 404."""
    found = bulletin_get(actor=actor, bulletin_id=bulletin_id)
    attachment = next(
        (a for a in found.attachments.all() if str(a.public_id) == str(file_id)), None
    )
    if attachment is None:
        raise deny(actor, hide=True, detail={"bulletin_file": str(file_id)[:40]})
    return attachment


@dataclass(frozen=True)
class AckRow:
    unit: Unit
    acknowledgement: Acknowledgement | None


def acknowledgements(bulletin: Bulletin) -> list[AckRow]:
    """Every receiving unit and its acknowledgement (None: not yet), not-yet first."""
    acks = {a.unit_id: a for a in bulletin.acknowledgements.all()}
    rows = [AckRow(u, acks.get(u.pk)) for u in impact.receiving_units(bulletin)]
    return sorted(rows, key=lambda row: row.acknowledgement is not None)


def own_acknowledgement(actor: Actor, bulletin: Bulletin) -> tuple[int | None, Any]:
    """The actor's receiving unit and its acknowledgement, if any."""
    unit_id = permissions.receiving_unit(actor, bulletin)
    if unit_id is None:
        return None, None
    return unit_id, bulletin.acknowledgements.filter(unit_id=unit_id).first()


def impact_for_publisher(*, actor: Actor, bulletin: Bulletin) -> list[impact.UnitImpact]:
    """Counts per receiving unit (no items): the publisher's and the managers' view."""
    if not permissions.can_follow_up(actor, bulletin):
        raise deny(actor, hide=True, detail={"bulletin_impact": str(bulletin.public_id)})
    return impact.impact_counts(bulletin)


def impact_own(*, actor: Actor, bulletin: Bulletin, unit: Unit) -> impact.ImpactItems:
    """A receiving unit's own affected items; audited with the clients listed."""
    receiving = {u.pk for u in impact.receiving_units(bulletin)}
    if unit.pk not in receiving or not permissions.impact_unit(actor, unit.pk):
        raise deny(actor, hide=True, detail={"bulletin_impact": str(bulletin.public_id)})
    items = impact.impact_items(bulletin, unit)
    clients = sorted(
        {str(e.client.public_id) for e in items.entries}
        | {str(r.case.client.public_id) for r in items.referrals}
    )
    if clients:
        record(
            actor=actor,
            action=AuditAction.VIEW,
            unit_id=unit.pk,
            detail={
                "list": "bulletin_impact",
                "bulletin": str(bulletin.public_id),
                "clients": clients,
            },
        )
    return items


def impact_units(actor: Actor, bulletin: Bulletin) -> list[Unit]:
    """The actor's receiving units whose items they may list."""
    units = actor.units_with(Perm.CASE_VIEW)
    return [u for u in impact.receiving_units(bulletin) if u.pk in units]


def scope_choices() -> QuerySet[Organisation]:
    """The organisations a bulletin can concern (Kela first, then the organisers)."""
    return Organisation.objects.order_by("kind", "name_fi")


def key_unit(actor: Actor) -> Unit:
    """The unit an API key acts for."""
    return Unit.objects.select_related("organisation").get(pk=actor.memberships[0].unit_id)
